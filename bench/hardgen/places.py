"""Areas, their agencies, streets, postcodes and the places named in records.

Each area is a local authority with its own council, NHS trust, schools and licensing authority;
police forces cover several areas (West Yorkshire polices Bradford, Kirklees and Calderdale), so a
force's extract holds records of several ``area_code``s. GSS codes are the real ones of these
councils; postcodes have the real districts but made-up units.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bench.hardgen.names_data import words

_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass(frozen=True, slots=True)
class Area:
    """A local authority area and the agencies that serve it."""

    key: str
    name: str
    gss: str
    police: str
    nhs: str
    districts: tuple[str, ...]
    landline: str
    # Share of households of each naming community (names_data.COMMUNITIES keys).
    communities: tuple[tuple[str, float], ...]

    @property
    def council(self) -> str:
        return f"LA-{self.key.upper()}"

    @property
    def education(self) -> str:
        return f"EDU-{self.key.upper()}"

    @property
    def licensing(self) -> str:
        return f"LIC-{self.key.upper()}"

    @property
    def voluntary(self) -> str:
        return f"VOL-{self.key.upper()}"

    @property
    def community(self) -> str:
        """The partnership's public reporting form (community reports)."""
        return f"COM-{self.key.upper()}"


_NORTH_MIX = (
    ("white_british", 0.6),
    ("pakistani", 0.2),
    ("bangladeshi", 0.02),
    ("indian", 0.04),
    ("black", 0.04),
    ("polish", 0.04),
    ("roma", 0.02),
    ("kurdish_arab", 0.025),
    ("east_asian", 0.015),
)
_BRADFORD_MIX = (
    ("white_british", 0.5),
    ("pakistani", 0.3),
    ("bangladeshi", 0.03),
    ("indian", 0.04),
    ("black", 0.03),
    ("polish", 0.04),
    ("roma", 0.03),
    ("kurdish_arab", 0.02),
    ("east_asian", 0.01),
)
_WHITE_MAJORITY_MIX = (
    ("white_british", 0.82),
    ("pakistani", 0.06),
    ("indian", 0.02),
    ("black", 0.02),
    ("polish", 0.04),
    ("roma", 0.015),
    ("kurdish_arab", 0.01),
    ("east_asian", 0.015),
)

AREAS: dict[str, Area] = {
    a.key: a
    for a in (
        Area(
            "bradford",
            "Bradford",
            "E08000032",
            "POL-WY",
            "NHS-BTH",
            ("BD1", "BD2", "BD3", "BD4", "BD5", "BD6", "BD7", "BD8", "BD9", "BD10", "BD15"),
            "01274",
            _BRADFORD_MIX,
        ),
        Area(
            "kirklees",
            "Kirklees",
            "E08000034",
            "POL-WY",
            "NHS-CHFT",
            ("HD1", "HD2", "HD3", "HD4", "HD5", "WF12", "WF13", "WF17"),
            "01484",
            _NORTH_MIX,
        ),
        Area(
            "calderdale",
            "Calderdale",
            "E08000033",
            "POL-WY",
            "NHS-CHFT",
            ("HX1", "HX2", "HX3", "HX5", "HX6", "HX7"),
            "01422",
            _WHITE_MAJORITY_MIX,
        ),
        Area(
            "rotherham",
            "Rotherham",
            "E08000018",
            "POL-SY",
            "NHS-TRFT",
            ("S60", "S61", "S62", "S63", "S65", "S66"),
            "01709",
            _WHITE_MAJORITY_MIX,
        ),
        Area(
            "sheffield",
            "Sheffield",
            "E08000019",
            "POL-SY",
            "NHS-STH",
            ("S2", "S3", "S4", "S5", "S8", "S9", "S11", "S13"),
            "0114",
            _NORTH_MIX,
        ),
        Area(
            "rochdale",
            "Rochdale",
            "E08000005",
            "POL-GMP",
            "NHS-NCA",
            ("OL10", "OL11", "OL12", "OL16"),
            "01706",
            _NORTH_MIX,
        ),
        Area(
            "oldham",
            "Oldham",
            "E08000004",
            "POL-GMP",
            "NHS-NCA",
            ("OL1", "OL4", "OL8", "OL9"),
            "0161",
            _NORTH_MIX,
        ),
        Area(
            "telford",
            "Telford and Wrekin",
            "E06000020",
            "POL-WM",
            "NHS-SATH",
            ("TF1", "TF2", "TF3", "TF4", "TF7"),
            "01952",
            _WHITE_MAJORITY_MIX,
        ),
    )
}

_STREET_STEMS = words(
    "Oak Beech Ash Elm Cedar Willow Hawthorn Holly Rowan Birch Chapel Church Mill Station "
    "Victoria Albert Park Manor Grange Moor Bank Hill Clough Beck Spring Well Cross Market "
    "Queen King Princess Whitby Leeds Halifax Otley Thornton Allerton Heaton Frizinghall "
    "Lumb Cliffe Howard Cavendish Durham Bolton Carlisle Lister Salt Greenhill Westfield "
    "Eastwood Northfield Southfield Fairweather Cemetery Prospect Providence Union Hanover"
)
_STREET_KINDS = words("Road Street Lane Avenue Terrace Close Grove Drive Place Crescent Way Court")
_HOTELS = "Station Hotel|Midland Lodge|Park View Hotel|Travel Inn {t}|Crown Hotel|Cedar Court"
_TAKEAWAYS = "Golden Chicken|Star Pizza|Tasty Grill|Best Kebab|Dixy Express|Pizza Palace|Spice Hut"
_PARKS = "{t} Park|Lister Park|Peel Park|Bowling Park|Recreation Ground|Canal Towpath"
_OTHER = "{t} Bus Station|{t} Interchange|Kirkgate Centre|Retail Park car park|Snooker Club"


@dataclass(slots=True)
class Street:
    name: str
    postcode: str
    houses: int


@dataclass(slots=True)
class AreaPlaces:
    """The streets and named places of one area, made once per world."""

    area: Area
    streets: list[Street] = field(default_factory=list)
    hotels: list[tuple[str, str]] = field(default_factory=list)  # (name, postcode)
    takeaways: list[tuple[str, str]] = field(default_factory=list)
    parks: list[tuple[str, str]] = field(default_factory=list)
    others: list[tuple[str, str]] = field(default_factory=list)
    care_homes: list[tuple[str, str]] = field(default_factory=list)  # (address, postcode)
    schools: list[str] = field(default_factory=list)


def postcode(rng: random.Random, district: str) -> str:
    """A postcode with a real district and a made-up unit, as printed: ``BD3 9QA``."""
    letters = "".join(rng.choice(_INWARD_LETTERS) for _ in range(2))
    return f"{district} {rng.randint(0, 9)}{letters}"


def make_places(area: Area, rng: random.Random, households: int) -> AreaPlaces:
    """Enough streets for ``households`` (about 40 houses each) and a few named places."""
    places = AreaPlaces(area)
    used: set[str] = set()
    while len(places.streets) * 40 < households * 1.3:
        name = f"{rng.choice(_STREET_STEMS)} {rng.choice(_STREET_KINDS)}"
        if name in used:
            continue
        used.add(name)
        district = rng.choice(area.districts)
        places.streets.append(Street(name, postcode(rng, district), rng.randint(12, 140)))
    town = area.name.split()[0]
    places.hotels = _named(rng, area, _HOTELS, town)
    places.takeaways = _named(rng, area, _TAKEAWAYS, town)
    places.parks = _named(rng, area, _PARKS, town)
    places.others = _named(rng, area, _OTHER, town)
    places.care_homes = [
        (f"{rng.randint(1, 60)} {rng.choice(_STREET_STEMS)} House", postcode(rng, d))
        for d in rng.sample(area.districts, min(3, len(area.districts)))
    ]
    count = max(3, households // 400)
    stems = rng.sample(_STREET_STEMS, count)
    kinds = ("Academy", "High School", "Community College", "Grammar School")
    places.schools = [f"{stem} {rng.choice(kinds)}" for stem in stems]
    return places


def _named(rng: random.Random, area: Area, names: str, town: str) -> list[tuple[str, str]]:
    return [
        (name.format(t=town), postcode(rng, rng.choice(area.districts)))
        for name in names.split("|")
    ]
