"""Finding a person and seeing what every agency holds about them, as far as the user may.

A person is open to a user whose agency holds records about them, who is on (or whose agency is
involved in) one of their cases, or who broke the glass for them. Another agency's records are
shown only where an agreement, a granted disclosure or a break-glass opens them; otherwise they
are a sealed envelope. A person restricted by another agency does not exist for the user.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date

from safehub.db.queries import people as q
from safehub.db.queries import sharing as sq
from safehub.db.uow import UnitOfWork
from safehub.extracts.identifiers import postcode_parts
from safehub.services.errors import NotFoundError
from safehub.services.sharing.agreements import (
    AccessView,
    SealedEnvelope,
    load_access,
    sealed_envelopes,
)

SEARCH_LIMIT = 50


@dataclass(frozen=True, slots=True)
class PersonLabel:
    """How a page names a person: the name and age the user may know, or that they may not."""

    person_id: int
    name: str | None
    age: str | None

    @property
    def text(self) -> str:
        """ "Ayesha Hussein (14)", or that the name is not open to the user."""
        if self.name is None:
            return "A person whose name is not open to you"
        return f"{self.name} ({self.age})" if self.age else self.name


def age_on(date_of_birth: str | None, today: date) -> str | None:
    """The age a (possibly partial) date of birth gives: "14", or "about 14" for a year alone.

    >>> age_on("2011-07-03", date(2025, 7, 2)), age_on("2011-07", date(2025, 8, 1))
    ('13', '14')
    >>> age_on("2011", date(2025, 8, 1)), age_on(None, date(2025, 8, 1))
    ('about 14', None)
    """
    if not date_of_birth or len(date_of_birth) < 4 or not date_of_birth[:4].isdigit():
        return None
    parts = [int(p) for p in date_of_birth.split("-") if p.isdigit()]
    if len(parts) == 1:
        return f"about {today.year - parts[0]}"
    month, day = parts[1], parts[2] if len(parts) > 2 else 1
    years = today.year - parts[0] - ((today.month, today.day) < (month, day))
    return str(years)


def name_people(
    uow: UnitOfWork,
    *,
    person_ids: list[int],
    today: date | None = None,
    access: AccessView | None = None,
) -> dict[int, PersonLabel]:
    """The name and age of each person as the records open to the user give them (the most
    common name and date of birth among those records); nothing for one they may not see.
    Naming is a consultation of those people, recorded by the page that shows them.

    ``access``: the access facts the caller loaded for these people in this unit of work, so
    that a page does not ask for them twice; loaded here when it is not given or does not
    cover every person."""
    wanted = sorted(set(person_ids))
    if not wanted:
        return {}
    today = today or date.today()
    if access is None or access.actor != uow.actor or not access.people.keys() >= set(wanted):
        access = load_access(uow, person_ids=wanted)
    names: dict[int, list[str]] = defaultdict(list)
    dobs: dict[int, list[str]] = defaultdict(list)
    for fact in q.mention_facts(uow.session, wanted):
        if access.sees_person(fact.person_id) and _readable(access, fact):
            if fact.name:
                names[fact.person_id].append(fact.name)
            if fact.date_of_birth:
                dobs[fact.person_id].append(fact.date_of_birth)
    labels = {}
    for pid in wanted:
        known = _most_common(names[pid])
        born = _most_common(dobs[pid])
        labels[pid] = PersonLabel(
            pid, known[0] if known else None, age_on(born[0], today) if born else None
        )
    return labels


# Roles that say a person is in a record as an adult, not as the child it is about.
ADULT_ROLES = frozenset({"suspect", "associate", "licence_holder", "parent_carer"})


@dataclass(frozen=True, slots=True)
class Identifier:
    """One identifier of a person, once, with every agency that records it."""

    kind: str
    raw: str
    normalised: str | None
    # (code, name) of each agency recording it.
    holders: tuple[tuple[str, str], ...]

    @property
    def agencies(self) -> list[str]:
        return [name for _, name in self.holders]


@dataclass(frozen=True, slots=True)
class PersonView:
    person_id: int
    names: list[str]
    dates_of_birth: list[str]
    identifiers: list[Identifier]
    records_by_agency: dict[str, list[q.RecordMention]]
    sealed: list[SealedEnvelope] = field(default_factory=list)
    # Agency id -> how many of its records about the person are not open to the user.
    withheld: dict[int, int] = field(default_factory=dict)
    age: str | None = None

    @property
    def display_name(self) -> str:
        return self.names[0] if self.names else f"Person {self.person_id}"

    @property
    def roles(self) -> set[str]:
        return {r.person_role for rs in self.records_by_agency.values() for r in rs}

    @property
    def is_child(self) -> bool:
        """A child by age where a date of birth is known; otherwise by never being recorded in
        an adult's role (a suspect, an associate, a licence holder, a parent or carer)."""
        if self.age is not None:
            return int(self.age.removeprefix("about ")) < 18
        return not (self.roles & ADULT_ROLES)


SORTS = {"name": "Name", "youngest": "Youngest first", "oldest": "Oldest first"}
PAGE_SIZE = 20


PersonHit = q.PersonHit


@dataclass(frozen=True, slots=True)
class PeoplePage:
    """One page of the people found, sorted."""

    hits: list[q.PersonHit]
    total: int
    page: int
    pages: int


def search_people(
    uow: UnitOfWork,
    *,
    name: str,
    date_of_birth: str | None = None,
    purpose: str = "case work",
) -> list[q.PersonHit]:
    """People the user may see whose name (as a record open to the user has it) matches: the
    first ``SEARCH_LIMIT``, by name."""
    return find_people(
        uow, name=name, date_of_birth=date_of_birth, purpose=purpose, page_size=SEARCH_LIMIT
    ).hits


def find_people(
    uow: UnitOfWork,
    *,
    name: str,
    date_of_birth: str | None = None,
    sort: str = "name",
    page: int = 1,
    page_size: int = PAGE_SIZE,
    purpose: str = "case work",
) -> PeoplePage:
    """People the user may see whose name (as a record open to the user has it) matches and,
    given one, whose date of birth is or begins with it; sorted and paged. Only the page shown
    is read in full (and recorded as consulted)."""
    matches = q.matching_mentions(uow.session, name=name, date_of_birth=date_of_birth)
    access = load_access(uow, person_ids=sorted({m.person_id for m in matches}))
    readable = [m for m in matches if _readable(access, m) and access.sees_person(m.person_id)]
    order = _ordered(readable, sort)
    pages = max(1, -(-len(order) // page_size))
    page = min(max(page, 1), pages)
    shown = order[(page - 1) * page_size : page * page_size]
    hits = _hits(uow, access, shown)
    uow.audit(
        "consultation",
        "person_search",
        [h.person_id for h in hits],
        purpose=purpose,
        detail={"results": len(order), "page": page},
    )
    return PeoplePage(hits, len(order), page, pages)


def _ordered(facts: list[q.MentionFact], sort: str) -> list[int]:
    """The people of these mentions in the order asked for: by the name the user may read,
    or by date of birth (people without one last)."""
    names: dict[int, str] = {}
    born: dict[int, str] = {}
    for fact in facts:
        names.setdefault(fact.person_id, fact.name.lower())
        if fact.date_of_birth:
            born.setdefault(fact.person_id, fact.date_of_birth)
    people = sorted(names, key=lambda p: (names[p], p))
    if sort == "youngest":
        return sorted(people, key=lambda p: (p not in born, _negated(born.get(p, ""))))
    if sort == "oldest":
        return sorted(people, key=lambda p: (p not in born, born.get(p, "")))
    return people


def _negated(dob: str) -> str:
    """A key that sorts dates of birth latest first (digits inverted)."""
    return dob.translate(str.maketrans("0123456789", "9876543210"))


def _readable(access: AccessView, m: q.MentionFact | q.IdentifierRow) -> bool:
    return access.reads(
        agency_id=m.agency_id,
        record_type=m.record_type,
        person_id=m.person_id,
        restricted=m.restricted,
    )


def _hits(uow: UnitOfWork, access: AccessView, people: list[int]) -> list[q.PersonHit]:
    names: dict[int, set[str]] = defaultdict(set)
    dobs: dict[int, set[str]] = defaultdict(set)
    for fact in q.mention_facts(uow.session, people):
        if _readable(access, fact):
            names[fact.person_id].add(fact.name)
            if fact.date_of_birth:
                dobs[fact.person_id].add(fact.date_of_birth)
    agencies: dict[int, set[str]] = defaultdict(set)
    for pid, agency_id, code, restricted in q.holders_of(uow.session, people):
        if access.shows_holder(agency_id=agency_id, restricted=restricted):
            agencies[pid].add(code)
    areas: dict[int, set[str]] = defaultdict(set)
    for row in q.postcodes_of(uow.session, people):
        if _readable(access, row) and row.normalised:
            with suppress(ValueError):
                areas[row.person_id].add(postcode_parts(row.normalised)[0])
    agency_names = q.get_agency_names(uow.session)
    cases = q.count_open_cases(uow.session, people)
    today = date.today()
    return [
        q.PersonHit(
            p,
            sorted(names[p]),
            sorted(dobs[p]),
            sorted(agencies[p]),
            sorted(agency_names.get(c, c) for c in agencies[p]),
            age_on(_most_common(list(dobs[p]))[0], today) if dobs[p] else None,
            sorted(areas[p]),
            cases.get(p, 0),
        )
        for p in people
    ]


def view_person(uow: UnitOfWork, *, person_id: int, purpose: str = "case work") -> PersonView:
    """What the user may see about a person, and the sealed envelopes of what they may not.

    Raises ``NotFoundError`` alike for a person who does not exist and one the user may not see.
    """
    access = load_access(uow, person_ids=[person_id])
    if not access.sees_person(person_id) or not sq.has_person_row(uow.session, person_id):
        raise NotFoundError(f"person {person_id}")
    records, withheld = _open_records(access, q.records_mentioning(uow.session, [person_id]))
    for agency_id, count in q.count_sealed_records(uow.session, person_id).items():
        withheld[agency_id] = withheld.get(agency_id, 0) + count
    by_agency: dict[str, list[q.RecordMention]] = defaultdict(list)
    for record in records:
        by_agency[record.agency_name].append(record)
    identifiers = _identifiers(
        [row for row in q.identifiers_of(uow.session, person_id) if _readable(access, row)],
        {r.agency_code: r.agency_name for r in records},
    )
    sealed = sealed_envelopes(uow, person_id=person_id, denied=set(withheld))
    uow.audit(
        "consultation",
        "person",
        [person_id],
        purpose=purpose,
        detail={"records": len(records), "sealed_agencies": [s.agency_id for s in sealed]},
    )
    born = _most_common([r.date_of_birth for r in records if r.date_of_birth])
    return PersonView(
        person_id,
        _most_common([r.name for r in records if r.name]),
        born,
        identifiers,
        dict(by_agency),
        sealed,
        withheld,
        age_on(born[0], date.today()) if born else None,
    )


def _identifiers(rows: list[q.IdentifierRow], names: dict[str, str]) -> list[Identifier]:
    """Each identifier once (by its checked form, or as recorded when it failed its check),
    with the agencies that record it, by name."""
    found: dict[tuple[str, str], tuple[str, str | None, set[tuple[str, str]]]] = {}
    for row in rows:
        key = (row.kind, row.normalised or row.raw)
        agencies = found.setdefault(key, (row.raw, row.normalised, set()))[2]
        agencies.add((row.agency_code, names.get(row.agency_code, row.agency_code)))
    return [
        Identifier(kind, raw, normalised, tuple(sorted(agencies, key=lambda a: a[1])))
        for (kind, _), (raw, normalised, agencies) in sorted(found.items())
    ]


def _open_records(
    access: AccessView, records: list[q.RecordMention]
) -> tuple[list[q.RecordMention], dict[int, int]]:
    """The records whose content is open to the user, and by agency how many others there are
    (not restricted ones: a restriction hides even that the record exists)."""
    shown: list[q.RecordMention] = []
    denied: dict[int, int] = defaultdict(int)
    for r in records:
        if access.reads(
            agency_id=r.agency_id,
            record_type=r.record_type,
            person_id=r.person_id,
            restricted=r.restricted,
        ):
            shown.append(r)
        elif access.shows_holder(agency_id=r.agency_id, restricted=r.restricted):
            denied[r.agency_id] += 1
    return shown, dict(denied)  # a plain dict: the caller adds row-level security's counts


def _most_common(values: list[str]) -> list[str]:
    counts: dict[str, int] = defaultdict(int)
    for value in values:
        counts[value] += 1
    return sorted(counts, key=lambda v: (-counts[v], v))
