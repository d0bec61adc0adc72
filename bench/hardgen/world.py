"""Everything one generation run builds, in one place, and its random streams.

Each stage draws from its own stream (``world.rng("stage")``), seeded from the run's seed and the
stage's name, so changing one stage does not reshuffle the others, and the same seed and settings
give the same bytes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from bench.hardgen.idgen import Pool
from bench.hardgen.people import Address, HardPair, Household, Person
from bench.hardgen.places import AreaPlaces
from bench.hardgen.settings import Settings


@dataclass(slots=True)
class Mention:
    """A person as named in one record, with what this record adds about them."""

    pid: str
    role: str
    indicators: tuple[str, ...] = ()
    person_outcome: str = ""
    unnamed: bool = False  # "unknown male": only an identifier or a description
    phone: str | None = None  # an extra phone seen with this person in this record
    vehicle: str | None = None  # the car this person was seen in
    professional: bool = False  # named in their work role (work phone and email)
    address: Address | None = None  # an address this record gives instead of the home one


@dataclass(slots=True)
class Record:
    """One agency record (a crime report, a referral...) and the people it names."""

    agency: str
    agency_type: str
    record_type: str
    day: date
    area: str
    mentions: list[Mention] = field(default_factory=list)
    location: tuple[str, str] | None = None
    outcome: str = ""
    narrative: str = ""
    offence: str = ""
    group_based: bool = False
    grading: str = ""
    record_id: str = ""

    def add(self, pid: str, role: str, **extra: object) -> None:
        """Name ``pid`` in ``role``; a person named twice keeps the first role."""
        if any(m.pid == pid for m in self.mentions):
            return
        self.mentions.append(Mention(pid, role, **extra))  # type: ignore[arg-type]


@dataclass(slots=True)
class PlantedGroup:
    gid: str
    areas: tuple[str, ...]
    organiser: str
    suspects: list[str]
    associates: list[str]
    victims: list[str]
    phone: str = ""  # the shared phone the organiser holds
    vehicle: str = ""  # the organiser's car the drivers use
    flat: Address | None = None  # the flat above a takeaway
    premises: tuple[str, str] | None = None  # the takeaway the organiser holds the licence of

    @property
    def adults(self) -> list[str]:
        return [self.organiser, *self.suspects, *self.associates]


@dataclass(slots=True)
class World:
    settings: Settings
    seed: int
    pool: Pool
    places: dict[str, AreaPlaces] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    households: dict[str, Household] = field(default_factory=dict)
    pairs: list[HardPair] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    groups: list[PlantedGroup] = field(default_factory=list)
    # area → job → people doing it there (reporters, carers, drivers...).
    staff: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    school_of: dict[str, str] = field(default_factory=dict)  # child → school
    dsl: dict[str, str] = field(default_factory=dict)  # school → its safeguarding lead

    def rng(self, stage: str) -> random.Random:
        return random.Random(f"{self.seed}:{self.settings.name}:{stage}")

    def new_pid(self) -> str:
        return f"T{len(self.people) + 1:06d}"

    def add_person(self, person: Person) -> Person:
        self.people[person.pid] = person
        self.households[person.household].members.append(person.pid)
        return person

    def day_between(self, rng: random.Random, start: date, end: date) -> date:
        span = max((end - start).days, 0)
        return start + timedelta(days=rng.randint(0, span))

    def any_day(self, rng: random.Random) -> date:
        return self.day_between(rng, self.settings.start, self.settings.end)

    def in_area(self, area: str) -> list[Person]:
        return [
            p
            for p in self.people.values()
            if (a := p.address_on(self.settings.end)) is not None and a.area == area
        ]
