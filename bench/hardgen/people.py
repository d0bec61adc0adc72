"""The true people of a generated world and the facts that change over time.

A ``Person`` holds what is true (registered names, date of birth, addresses and phones with the
dates they held them); agencies record it imperfectly (``render.py``).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

T = TypeVar("T")


@dataclass(slots=True)
class Address:
    line: str
    postcode: str
    area: str  # places.AREAS key


@dataclass(slots=True)
class Person:
    """One real person; every list of (from date, value) is sorted by date."""

    pid: str
    sex: str
    given: list[str]
    family: str
    dob: date
    community: str
    household: str
    ethnicity: str
    nationality: str
    addresses: list[tuple[date, Address]] = field(default_factory=list)
    phones: list[tuple[date, str]] = field(default_factory=list)
    families: list[tuple[date, str]] = field(default_factory=list)  # later family names
    email: str | None = None
    nhs: str | None = None
    vehicles: list[tuple[date, str]] = field(default_factory=list)
    licences: dict[str, str] = field(default_factory=dict)  # licensing agency → number
    handles: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    goes_by: str | None = None  # a short form or middle name the person is known by
    mother: str | None = None
    father: str | None = None
    twin_of: str | None = None
    junior_of: str | None = None
    job: str | None = None  # dsl, social_worker, officer, nurse, carer, youth_worker, driver
    work_phone: str | None = None
    work_email: str | None = None
    restricted: bool = False
    in_care: date | None = None  # the day the child came into care
    roles: set[str] = field(default_factory=set)
    areas: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)

    def age_on(self, day: date) -> int:
        before = (day.month, day.day) < (self.dob.month, self.dob.day)
        return day.year - self.dob.year - int(before)

    def is_adult_on(self, day: date) -> bool:
        return self.age_on(day) >= 18

    def is_child_on(self, day: date) -> bool:
        """Born by ``day`` and under 18 on it."""
        return self.dob <= day and self.age_on(day) < 18

    def address_on(self, day: date, stale: bool = False) -> Address | None:
        return _value_on(self.addresses, day, stale)

    def phone_on(self, day: date, stale: bool = False) -> str | None:
        return _value_on(self.phones, day, stale)

    def vehicle_on(self, day: date) -> str | None:
        return _value_on(self.vehicles, day, False)

    def family_on(self, day: date) -> str:
        return _value_on(self.families, day, False) or self.family

    def moved(self, day: date, address: Address) -> None:
        """From ``day`` on the person lives at ``address``."""
        self.addresses = [(d, a) for d, a in self.addresses if d < day] + [(day, address)]
        self.areas.add(address.area)


def _value_on(history: list[tuple[date, T]], day: date, stale: bool) -> T | None:
    """The value held on ``day``; ``stale`` gives the one before it (an agency not told)."""
    if not history:
        return None
    index = bisect_right([d for d, _ in history], day) - 1
    if index < 0:  # nothing yet on that day (a child's first phone, a name not yet taken)
        return None
    if stale and index > 0:
        index -= 1
    return history[index][1]


@dataclass(slots=True)
class Household:
    hid: str
    area: str
    members: list[str] = field(default_factory=list)
    landline: str | None = None
    large: bool = False


@dataclass(frozen=True, slots=True)
class HardPair:
    """Two different people a linkage engine may wrongly merge, and why (classes.csv)."""

    a: str
    b: str
    kind: str  # twins, siblings_1y, father_son, same_name_neighbours, same_name_different_area…
