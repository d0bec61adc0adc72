"""The places of a synthetic area: local authorities, police forces, agencies, streets and venues.

Area codes are real ONS GSS codes so that the agency registry and per-area oversight work as they
would on real data (local authorities E08..., police force areas E23...). Streets, postcodes and
venues are plausible but invented combinations.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LocalArea:
    """One local authority with its police force, health trust and local detail."""

    key: str
    name: str
    la_code: str
    force: str
    force_name: str
    force_area_code: str
    trust: str
    trust_name: str
    # (postcode district, town) pairs the area's addresses fall in.
    districts: tuple[tuple[str, str], ...]
    streets: tuple[str, ...]
    # First letters of vehicle registrations issued nearby (DVLA memory tags).
    vehicle_tags: tuple[str, ...]
    parks: tuple[str, ...]
    busy_places: tuple[str, ...]
    hotels: tuple[str, ...]
    takeaways: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Agency:
    """A row of the agency registry (`truth/agencies.csv`)."""

    code: str
    agency_type: str
    name: str
    area_code: str
    area_name: str
    local: str  # key of the LocalArea whose people this agency mostly sees


_COMMON_STREETS = (
    "Victoria Road",
    "Church Street",
    "Park Lane",
    "Station Road",
    "Albert Street",
    "Mill Lane",
    "Queens Road",
    "King Street",
    "High Street",
    "Green Lane",
    "New Road",
    "Manor Road",
    "Springfield Road",
    "Grange Road",
    "Cross Street",
    "Hollins Lane",
    "Moor Lane",
    "Oak Avenue",
    "Willow Close",
    "Beech Grove",
    "Chapel Street",
    "Hall Lane",
    "School Street",
    "Bank Street",
)

_WY_TAGS = ("YA", "YB", "YC", "YD", "YE", "YF", "YG", "YH", "YJ", "YK")
_GM_TAGS = ("MA", "MB", "MC", "MD", "ME", "MF", "MG", "MH", "MJ", "MK", "ML", "MM")

AREAS: dict[str, LocalArea] = {
    "bradford": LocalArea(
        key="bradford",
        name="Bradford",
        la_code="E08000032",
        force="WY",
        force_name="West Yorkshire Police",
        force_area_code="E23000010",
        trust="BTH",
        trust_name="Bradford Teaching Hospitals NHS Foundation Trust",
        districts=(
            ("BD1", "Bradford"),
            ("BD2", "Bradford"),
            ("BD3", "Bradford"),
            ("BD4", "Bradford"),
            ("BD5", "Bradford"),
            ("BD6", "Bradford"),
            ("BD7", "Bradford"),
            ("BD8", "Bradford"),
            ("BD9", "Bradford"),
            ("BD10", "Bradford"),
            ("BD15", "Bradford"),
            ("BD18", "Shipley"),
            ("BD16", "Bingley"),
            ("BD21", "Keighley"),
            ("BD20", "Keighley"),
            ("LS29", "Ilkley"),
        ),
        streets=(
            *_COMMON_STREETS,
            "Leeds Road",
            "Manningham Lane",
            "Thornton Road",
            "Great Horton Road",
            "Little Horton Lane",
            "Killinghall Road",
            "Heaton Road",
            "Toller Lane",
            "Allerton Road",
            "Wakefield Road",
            "Oak Lane",
            "Carlisle Road",
        ),
        vehicle_tags=_WY_TAGS,
        parks=("Lister Park", "Peel Park", "Bowling Park", "Horton Park", "City Park"),
        busy_places=(
            "Bradford Interchange",
            "Broadway shopping centre",
            "Kirkgate Centre",
            "Forster Square station",
        ),
        hotels=("Station Lodge Hotel", "Cityview Hotel", "Park Gate Inn", "Northern Rose Hotel"),
        takeaways=(
            "Kings Chicken & Pizza, Leeds Road",
            "Golden Grill, Manningham Lane",
            "Tasty Bites, Thornton Road",
            "Best Kebab House, Great Horton Road",
        ),
    ),
    "kirklees": LocalArea(
        key="kirklees",
        name="Kirklees",
        la_code="E08000034",
        force="WY",
        force_name="West Yorkshire Police",
        force_area_code="E23000010",
        trust="CHFT",
        trust_name="Calderdale and Huddersfield NHS Foundation Trust",
        districts=(
            ("HD1", "Huddersfield"),
            ("HD2", "Huddersfield"),
            ("HD3", "Huddersfield"),
            ("HD4", "Huddersfield"),
            ("HD5", "Huddersfield"),
            ("HD7", "Huddersfield"),
            ("HD9", "Holmfirth"),
            ("WF12", "Dewsbury"),
            ("WF13", "Dewsbury"),
            ("WF14", "Mirfield"),
            ("WF16", "Heckmondwike"),
            ("WF17", "Batley"),
            ("BD19", "Cleckheaton"),
        ),
        streets=(
            *_COMMON_STREETS,
            "Bradford Road",
            "Halifax Road",
            "Trinity Street",
            "Wakefield Road",
            "Leeds Road",
            "Savile Town Road",
            "Staincliffe Road",
        ),
        vehicle_tags=_WY_TAGS,
        parks=("Greenhead Park", "Crow Nest Park", "Wilton Park", "Ravensknowle Park"),
        busy_places=("Huddersfield bus station", "Kingsgate Centre", "Dewsbury market"),
        hotels=("Castle View Hotel", "Huddersfield Lodge", "Spen Valley Inn"),
        takeaways=(
            "Pizza Palace, Bradford Road",
            "Chicken Hut, Trinity Street",
            "Grill House, Halifax Road",
        ),
    ),
    "rochdale": LocalArea(
        key="rochdale",
        name="Rochdale",
        la_code="E08000005",
        force="GM",
        force_name="Greater Manchester Police",
        force_area_code="E23000005",
        trust="NCA",
        trust_name="Northern Care Alliance NHS Foundation Trust",
        districts=(
            ("OL11", "Rochdale"),
            ("OL12", "Rochdale"),
            ("OL16", "Rochdale"),
            ("OL10", "Heywood"),
            ("OL15", "Littleborough"),
            ("M24", "Middleton"),
        ),
        streets=(
            *_COMMON_STREETS,
            "Yorkshire Street",
            "Drake Street",
            "Oldham Road",
            "Milkstone Road",
            "Bury Road",
            "Whitworth Road",
            "Spotland Road",
        ),
        vehicle_tags=_GM_TAGS,
        parks=("Broadfield Park", "Springfield Park", "Queens Park", "Falinge Park"),
        busy_places=("Rochdale Interchange", "Rochdale Exchange", "Middleton Arndale"),
        hotels=("Town Gate Hotel", "Moorland Inn", "Pennine View Lodge"),
        takeaways=(
            "Super Chicken, Yorkshire Street",
            "Village Grill, Oldham Road",
            "Top Pizza, Drake Street",
        ),
    ),
}

# Which second area each preset pairs with, for cross-area cases (a driver licensed in one area
# working in another, a child placed out of area).
PARTNERS: dict[str, str] = {"bradford": "rochdale", "kirklees": "rochdale", "rochdale": "bradford"}


def agencies_for(primary: str) -> tuple[Agency, ...]:
    """The agencies of a preset: the full set for the primary area, police, social care and
    licensing for its partner.

    >>> [agency.code for agency in agencies_for("bradford")][:3]
    ['POL-WY', 'LA-BRADFORD', 'NHS-BTH']
    """
    main, partner = AREAS[primary], AREAS[PARTNERS[primary]]
    agencies = [
        _police(main),
        Agency(
            f"LA-{main.key.upper()}",
            "social_care",
            f"{main.name} Children's Social Care",
            main.la_code,
            main.name,
            main.key,
        ),
        Agency(f"NHS-{main.trust}", "health", main.trust_name, main.la_code, main.name, main.key),
        Agency(
            f"EDU-{main.key.upper()}",
            "education",
            f"{main.name} Schools",
            main.la_code,
            main.name,
            main.key,
        ),
        _licensing(main),
    ]
    if partner.force != main.force:
        agencies.append(_police(partner))
    agencies.append(
        Agency(
            f"LA-{partner.key.upper()}",
            "social_care",
            f"{partner.name} Children's Social Care",
            partner.la_code,
            partner.name,
            partner.key,
        )
    )
    agencies.append(_licensing(partner))
    return tuple(agencies)


def _police(area: LocalArea) -> Agency:
    force_area = area.force_name.removesuffix(" Police")
    return Agency(
        f"POL-{area.force}", "police", area.force_name, area.force_area_code, force_area, area.key
    )


def _licensing(area: LocalArea) -> Agency:
    return Agency(
        f"LIC-{area.key.upper()}",
        "licensing",
        f"{area.name} Council Licensing",
        area.la_code,
        area.name,
        area.key,
    )
