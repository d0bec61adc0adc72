"""The true population of a synthetic area: households, children, adults and professionals.

Everything here is the ground truth; agencies later record these people imperfectly
(`variation.py`). Ethnicity is drawn per household from the area's mix before anyone has a role.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from safehub.synthetic import ethnicity, names
from safehub.synthetic.geography import AREAS, PARTNERS
from safehub.synthetic.identifiers import Identifiers
from safehub.synthetic.namedata import HANDLE_PLATFORMS, HANDLE_WORDS

# Share of households by number of children (large families are what make innocent dense
# structure: the same parents and siblings in every referral).
_CHILDREN_PER_HOUSEHOLD = (1, 2, 3, 4, 5, 6, 7, 8)
_HOUSEHOLD_WEIGHTS = (30, 33, 18, 9, 5, 3, 1.5, 0.5)
PARTNER_AREA_SHARE = 0.15


@dataclass(slots=True)
class Person:
    """One real (synthetic) person. ``pid`` is the index in ``Population.people``."""

    pid: int
    kind: str  # child, adult, professional, public
    sex: str
    given: str
    middle: str
    family: str
    dob: date
    ethnicity: str
    observed: str
    nationality: str
    area: str
    household: int = -1
    addresses: list[tuple[int, str, str]] = field(default_factory=list)  # (from, address, pc)
    phones: list[tuple[int, str]] = field(default_factory=list)  # (from ordinal, canonical)
    nhs: str = ""
    email: str = ""
    handle: str = ""
    vehicle: str = ""
    licence: str = ""
    alias: str = ""
    school: int = -1
    role_title: str = ""

    @property
    def true_id(self) -> str:
        return f"TP{self.pid:07d}"

    def address_on(self, day: int) -> tuple[str, str]:
        """(address, postcode) where the person lived on ``day`` (an ordinal)."""
        current = ("", "")
        for start, address, postcode in self.addresses:
            if start > day:
                break
            current = (address, postcode)
        return current

    def phone_on(self, day: int) -> str:
        current = ""
        for start, phone in self.phones:
            if start > day:
                break
            current = phone
        return current

    def age_on(self, day: date) -> int:
        years = day.year - self.dob.year
        return years - ((day.month, day.day) < (self.dob.month, self.dob.day))


@dataclass(slots=True)
class Household:
    hid: int
    area: str
    parents: list[int]
    children: list[int]


@dataclass(slots=True)
class Population:
    """All people, by kind, with the households and the professionals who report."""

    start: date
    end: date
    people: list[Person] = field(default_factory=list)
    households: list[Household] = field(default_factory=list)
    children: list[int] = field(default_factory=list)
    adults: list[int] = field(default_factory=list)  # every non-professional adult
    single_adults: list[int] = field(default_factory=list)
    drivers: list[int] = field(default_factory=list)
    school_leads: list[int] = field(default_factory=list)
    health_staff: list[int] = field(default_factory=list)
    officers: dict[str, list[int]] = field(default_factory=dict)  # area key -> police officers


class PopulationBuilder:
    """Builds a ``Population`` of about ``children`` children from one seeded generator."""

    def __init__(
        self, rng: random.Random, ids: Identifiers, primary: str, start: date, end: date
    ) -> None:
        self.rng = rng
        self.ids = ids
        self.primary = primary
        self.partner = PARTNERS[primary]
        self.pop = Population(start=start, end=end)
        self.start_day = start.toordinal()
        self.end_day = end.toordinal()
        self.handles: set[str] = set()

    def build(self, children: int) -> Population:
        while len(self.pop.children) < children:
            self._household(min(self._household_size(), children - len(self.pop.children)))
        self._single_adults(max(10, children // 4))
        self._drivers(max(6, children // 30))
        self._professionals(children)
        return self.pop

    # -- households ---------------------------------------------------------------------------
    def _household_size(self) -> int:
        return self.rng.choices(_CHILDREN_PER_HOUSEHOLD, _HOUSEHOLD_WEIGHTS)[0]

    def _household(self, n_children: int) -> None:
        rng = self.rng
        area = self.partner if rng.random() < PARTNER_AREA_SHARE else self.primary
        code = ethnicity.sample_ethnicity(rng, area, 1)[0]
        given_heritage, family_heritage = names.heritage_for(rng, code)
        family = names.family_name(rng, family_heritage)
        hid = len(self.pop.households)
        ages = sorted((rng.randrange(0, 18) for _ in range(n_children)), reverse=True)
        parent_age = ages[0] + rng.randrange(20, 38)
        parents = [
            self._new(
                kind="adult",
                sex="F",
                age=parent_age + rng.randrange(-3, 4),
                code=code,
                heritage=given_heritage,
                family=family,
                area=area,
                hid=hid,
            )
        ]
        if rng.random() < 0.65:
            parents.append(
                self._new(
                    kind="adult",
                    sex="M",
                    age=parent_age + rng.randrange(0, 6),
                    code=code,
                    heritage=given_heritage,
                    family=family,
                    area=area,
                    hid=hid,
                )
            )
        kids_family = family if rng.random() < 0.85 else names.family_name(rng, family_heritage)
        kids = [
            self._new(
                kind="child",
                sex=rng.choice("FM"),
                age=age,
                code=code,
                heritage=given_heritage,
                family=kids_family,
                area=area,
                hid=hid,
            )
            for age in ages
        ]
        self._share_home(parents + kids, area)
        self.pop.households.append(Household(hid, area, parents, kids))
        self.pop.adults.extend(parents)
        self.pop.children.extend(kids)

    def _share_home(self, members: list[int], area: str) -> None:
        """Everyone in a household lives at the same addresses, moving together."""
        history = [(self.start_day - 3000, *self._address(area))]
        for _ in range(self.rng.choices((0, 1, 2), (72, 23, 5))[0]):
            history.append((self.rng.randrange(self.start_day, self.end_day), *self._address(area)))
        history.sort()
        for pid in members:
            self.pop.people[pid].addresses = list(history)

    # -- other adults -------------------------------------------------------------------------
    def _single_adults(self, count: int) -> None:
        for _ in range(count):
            area = self.partner if self.rng.random() < 0.3 else self.primary
            pid = self._stranger(kind="adult", area=area, age=self.rng.randrange(18, 65))
            self.pop.adults.append(pid)
            self.pop.single_adults.append(pid)

    def _drivers(self, count: int) -> None:
        """Licensed taxi and private-hire drivers, chosen from adults by sex and age only."""
        rng = self.rng
        candidates = [
            pid for pid in self.pop.adults if 21 <= self.pop.people[pid].age_on(self.pop.end) <= 65
        ]
        cumulative = list(
            accumulate(9.0 if self.pop.people[pid].sex == "M" else 1.0 for pid in candidates)
        )
        chosen: dict[int, None] = {}
        while len(chosen) < min(count, len(candidates)):
            chosen[rng.choices(candidates, cum_weights=cumulative)[0]] = None
        for pid in chosen:
            self.make_driver(pid)

    def make_driver(self, pid: int, licensing_area: str = "") -> None:
        """Give an adult a driver licence and a vehicle; the licensing council may be in another
        area than the one the driver lives and works in (the cross-area taxi pattern)."""
        person = self.pop.people[pid]
        if person.licence:
            return
        year = self.rng.randrange(2008, self.pop.end.year)
        person.licence = self.ids.licence(licensing_area or person.area, year)
        if not person.vehicle:
            person.vehicle = self.ids.vehicle(AREAS[person.area].vehicle_tags)
        self.pop.drivers.append(pid)

    def _professionals(self, children: int) -> None:
        rng = self.rng
        schools = max(2, children // 350)
        for school in range(schools):
            pid = self._stranger(
                kind="professional",
                area=self.primary,
                age=rng.randrange(28, 60),
                title="Designated Safeguarding Lead",
            )
            self.pop.people[pid].school = school
            self.pop.school_leads.append(pid)
        for _ in range(max(2, children // 1500)):
            self.pop.health_staff.append(
                self._stranger(
                    kind="professional",
                    area=self.primary,
                    age=rng.randrange(28, 60),
                    title=rng.choice(("Health Visitor", "School Nurse", "GP")),
                )
            )
        for area in (self.primary, self.partner):
            self.pop.officers[area] = [
                self._stranger(
                    kind="professional",
                    area=area,
                    age=rng.randrange(22, 55),
                    title="Police Constable",
                )
                for _ in range(max(2, children // 2000))
            ]
        for pid in self.pop.children:
            if self.pop.people[pid].age_on(self.pop.end) >= 5:
                self.pop.people[pid].school = rng.randrange(schools)

    def new_public(self, area: str) -> int:
        """A member of the public who reports a concern."""
        return self._stranger(kind="public", area=area, age=self.rng.randrange(18, 80))

    # -- people -------------------------------------------------------------------------------
    def _stranger(self, *, kind: str, area: str, age: int, title: str = "") -> int:
        code = ethnicity.sample_ethnicity(self.rng, area, 1)[0]
        given_heritage, family_heritage = names.heritage_for(self.rng, code)
        pid = self._new(
            kind=kind,
            sex=self.rng.choice("FM"),
            age=age,
            code=code,
            heritage=given_heritage,
            family=names.family_name(self.rng, family_heritage),
            area=area,
            hid=-1,
        )
        person = self.pop.people[pid]
        person.role_title = title
        if kind != "professional":
            history = [(self.start_day - 3000, *self._address(area))]
            if self.rng.random() < 0.3:
                history.append(
                    (self.rng.randrange(self.start_day, self.end_day), *self._address(area))
                )
            person.addresses = history
        return pid

    def _new(
        self,
        *,
        kind: str,
        sex: str,
        age: int,
        code: str,
        heritage: str,
        family: str,
        area: str,
        hid: int,
    ) -> int:
        rng = self.rng
        dob = self.pop.end - timedelta(days=age * 365 + rng.randrange(0, 365))
        middle = names.given_name(rng, heritage, sex) if rng.random() < 0.35 else ""
        given = names.given_name(rng, heritage, sex)
        if middle == given:
            middle = ""
        person = Person(
            pid=len(self.pop.people),
            kind=kind,
            sex=sex,
            given=given,
            middle=middle,
            family=family,
            dob=dob,
            ethnicity=code,
            observed=ethnicity.observed_code(rng, code),
            nationality=ethnicity.nationality_for(rng, code),
            area=area,
            household=hid,
            nhs=self.ids.nhs_number(),
        )
        self._contacts(person, age)
        self.pop.people.append(person)
        return person.pid

    def _contacts(self, person: Person, age: int) -> None:
        rng = self.rng
        if age >= 11 and rng.random() < (0.85 if age >= 18 else 0.6):
            person.phones = [(self.start_day - 3000, self.ids.phone())]
            if rng.random() < 0.3:
                person.phones.append(
                    (rng.randrange(self.start_day, self.end_day), self.ids.phone())
                )
        if age >= 18 and rng.random() < 0.5:
            person.email = self.ids.email(person.given, person.family)
        if age >= 11 and rng.random() < (0.5 if age < 18 else 0.2):
            person.handle = self._handle(person, age)
        if age >= 18 and rng.random() < 0.2:
            person.vehicle = self.ids.vehicle(AREAS[person.area].vehicle_tags)

    def _handle(self, person: Person, age: int) -> str:
        rng = self.rng
        word = rng.choice(HANDLE_WORDS)
        base = "".join(ch for ch in person.given.lower() if ch.isascii() and ch.isalpha())
        year = self.pop.end.year - age
        handle = rng.choice(
            (
                f"{base}_{word}{year % 100:02d}",
                f"{word}{base}{rng.randrange(100)}",
                f"{base}.{person.family[:1].lower()}{year}",
            )
        )
        # Handles are unique, so that only planted sharing links two people through one.
        while handle in self.handles:
            handle = f"{handle}{rng.randrange(10)}"
        self.handles.add(handle)
        return f"{rng.choice(HANDLE_PLATFORMS)}:{handle}"

    def _address(self, area_key: str) -> tuple[str, str]:
        rng = self.rng
        area = AREAS[area_key]
        district, town = rng.choice(area.districts)
        number = rng.randrange(1, 240)
        street = rng.choice(area.streets)
        prefix = f"Flat {rng.randrange(1, 12)}, " if rng.random() < 0.15 else ""
        return f"{prefix}{number} {street}, {town}", self.ids.postcode(district)
