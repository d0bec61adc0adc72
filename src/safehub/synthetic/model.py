"""Records before they are written: who is in them, when, and what the agency noted."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from safehub.synthetic.geography import Agency
from safehub.synthetic.identifiers import Identifiers
from safehub.synthetic.population import Population, PopulationBuilder


@dataclass(slots=True)
class Mention:
    """One person in one record (a row of the extract)."""

    pid: int
    role: str
    indicators: str = ""
    outcome: str = ""
    # Identifiers seen in this record that are not the person's own (a shared phone, the car a
    # child was found in): they are what links people through records.
    phone: str = ""
    vehicle: str = ""
    address: tuple[str, str] | None = None
    # The record holds nothing of the person but the identifiers above (a car a neighbour saw).
    sparse: bool = False


@dataclass(slots=True)
class Record:
    agency: int
    record_type: str
    day: int  # date ordinal
    mentions: list[Mention]
    area_code: str = ""
    location_name: str = ""
    location_postcode: str = ""
    outcome: str = ""
    narrative: str = ""
    offence_code: str = ""
    group_based: str = ""
    intel_grading: str = ""
    group: int = -1  # index of the planted group this record belongs to, -1 if innocent


@dataclass(frozen=True, slots=True)
class PlantedGroup:
    """A planted exploitation network: who is in it and who its key people are."""

    group_id: str
    members: tuple[tuple[int, str], ...]  # (pid, role_in_group)
    key_people: tuple[int, ...]  # pids, most important first
    links: tuple[tuple[int, int], ...] = ()  # planned (adult, child) links, each in a record


@dataclass(slots=True)
class World:
    """Everything the record generators share: the population, agencies and the output."""

    rng: random.Random
    ids: Identifiers
    builder: PopulationBuilder
    agencies: tuple[Agency, ...]
    primary: str
    partner: str
    records: list[Record] = field(default_factory=list)
    groups: list[PlantedGroup] = field(default_factory=list)
    _index: dict[tuple[str, str], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for index, agency in reversed(list(enumerate(self.agencies))):
            self._index[(agency.agency_type, agency.local)] = index
            # Falls back to the first agency of the type (the primary area's).
            self._index[(agency.agency_type, "")] = index

    @property
    def pop(self) -> Population:
        return self.builder.pop

    @property
    def start_day(self) -> int:
        return self.pop.start.toordinal()

    @property
    def end_day(self) -> int:
        return self.pop.end.toordinal()

    def agency(self, agency_type: str, area: str) -> int:
        """Index of the agency of this type serving ``area`` (falling back to the primary's)."""
        index = self._index.get((agency_type, area))
        return self._index[(agency_type, "")] if index is None else index

    def has_agency(self, agency_type: str, area: str) -> bool:
        return (agency_type, area) in self._index

    def day_for(self, pid: int, *, min_age: int = 0, max_age: int = 17) -> int | None:
        """A random day in the window on which the person was aged min_age..max_age."""
        dob = self.pop.people[pid].dob
        first = max(self.start_day, _add_years(dob, min_age).toordinal())
        last = min(self.end_day, _add_years(dob, max_age + 1).toordinal() - 1)
        if first > last:
            return None
        return self.rng.randint(first, last)

    def add(self, record: Record) -> Record:
        self.records.append(record)
        return record


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
