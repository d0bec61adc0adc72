"""Collapsing mentions into agency people: all rows of one ``(agency_code, person_ref)``.

Rows of one ``person_ref`` in one agency are the same person by definition (docs/extract-format.md), so they
are merged before linkage: the union of their names, aliases, dates of birth and valid identifiers.

Two inputs, one rule: ``Mention`` objects from the row reader (the database import, a review, a
small batch) and the columnar ``ExtractTable`` (the engines, a million rows). Both become
``MentionFacts`` — only the cells matching reads, never a protected one — and one function
collapses those. (A DuckDB version of the same rules was tried: no faster at 200,000 mentions,
since building the people in Python dominates either way, and much slower for small batches.)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from safehub.bulk import cyclic_gc_paused
from safehub.extracts import Mention, PartialDate
from safehub.extracts.codes import PROTECTED_COLUMNS
from safehub.extracts.columns import ID_LIST, ExtractTable
from safehub.linkage.people import AgencyPerson, as_known, name_key, role_min_age

# The raw cells matching reads (identifiers and dates come parsed).
MATCHING_COLUMNS = ("given_names", "family_name", "address", "restricted", "sex")
assert not PROTECTED_COLUMNS & set(MATCHING_COLUMNS)
# Only a recorded female or male sex can tell two names apart (X and U say nothing about it).
_SEXES = frozenset({"F", "M"})
# A reporter (a teacher, a neighbour) is not part of the person's life in the way family is.
_NOT_RELATED_ROLES = frozenset({"reporter"})
# A mention's age: oldest first by record date, then where it was read.
_AGE = ("record_day", "file", "row")
Key = tuple[str, str]
_NONE: tuple[Any, ...] = ()
_COLUMNS = (
    "agency_code",
    "person_ref",
    *_AGE,
    "record_id",
    "person_role",
    "record_type",
    *MATCHING_COLUMNS,
    "dob_year",
    "dob_month",
    "dob_day",
    "alias_list",
    *ID_LIST.values(),
)


class MentionFacts(NamedTuple):
    """What matching knows of one mention; the first three fields order mentions by age."""

    record_date: date
    file: str
    row: int
    record_id: str
    person_role: str
    given: str
    family: str
    address: str
    restricted: bool
    date_of_birth: PartialDate | None
    aliases: tuple[str, ...]
    identifiers: tuple[tuple[str, str], ...]  # (kind, normalised), valid ones only
    sex: str = ""
    # A role's youngest age depends on the record: a school's parent has a pupil of 4 or more.
    record_type: str = ""


def facts_of(mention: Mention) -> MentionFacts:
    """The only door from a mention's raw cells to matching."""
    values = mention.values
    return MentionFacts(
        mention.record_date,
        mention.file,
        mention.row,
        values["record_id"],
        values["person_role"],
        values.get("given_names", ""),
        values.get("family_name", ""),
        values.get("address", ""),
        values.get("restricted") == "Y",
        mention.date_of_birth,
        mention.aliases,
        tuple((i.kind, i.normalised) for i in mention.identifiers if i.normalised),
        values.get("sex", "").upper(),
        values.get("record_type", ""),
    )


def collapse_mentions(mentions: Iterable[Mention]) -> list[AgencyPerson]:
    """One ``AgencyPerson`` per ``person_key``, sorted by key.

    >>> collapse_mentions([])
    []
    """
    return collapse_facts(
        ((m.values["agency_code"], m.values["person_ref"]), facts_of(m)) for m in mentions
    )


def collapse_table(extract: ExtractTable, *, batch_rows: int = 100_000) -> list[AgencyPerson]:
    """As ``collapse_mentions``, from the columnar reader's table (no ``Mention`` built).

    The table is sorted once (in Arrow) by person key and age, then read ``batch_rows`` at a
    time: each person's mentions arrive together and oldest first, so a person is collapsed as
    soon as the next one starts, and only one batch is ever held as Python objects.
    """
    with cyclic_gc_paused():
        return _collapse_sorted(extract.table.select(list(_COLUMNS)), batch_rows)


def _collapse_sorted(table: pa.Table, batch_rows: int) -> list[AgencyPerson]:
    order = pc.sort_indices(
        table, sort_keys=[(c, "ascending") for c in ("agency_code", "person_ref", *_AGE)]
    )
    people: list[AgencyPerson] = []
    in_record: dict[Key, set[Key]] = {}
    current: Key | None = None
    group: list[MentionFacts] = []
    for start in range(0, len(order), batch_rows):
        batch = table.take(order[start : start + batch_rows])
        for key, fact in _table_facts(batch):
            if key != current:
                if group:
                    people.append(_collapse(current, group, True))  # type: ignore[arg-type]
                current, group = key, []
            group.append(fact)
            if fact.person_role not in _NOT_RELATED_ROLES:
                in_record.setdefault((key[0], fact.record_id), set()).add(key)
    if group:
        people.append(_collapse(current, group, True))  # type: ignore[arg-type]
    _add_related(people, in_record)
    return people


def _table_facts(table: pa.Table) -> Iterator[tuple[Key, MentionFacts]]:
    """Only the columns matching reads (``MATCHING_COLUMNS`` of the cells), row by row."""

    def column(name: str) -> list[Any]:
        return table.column(name).to_pylist()  # type: ignore[no-any-return]

    ids = _row_lists(table, {k: ID_LIST[k] for k in ID_LIST})
    # The alias values alone, as the tuple each row keeps (most rows have none: no genexpr each).
    aliases = {
        i: tuple(v for _, v in pairs) for i, pairs in _row_lists(table, {"": "alias_list"}).items()
    }
    rows = zip(
        column("agency_code"),
        column("person_ref"),
        *(column(c) for c in _AGE),
        column("record_id"),
        column("person_role"),
        column("record_type"),
        *(column(c) for c in MATCHING_COLUMNS),
        column("dob_year"),
        column("dob_month"),
        column("dob_day"),
        strict=True,
    )
    for index, (agency, ref, day, file, row, record, role, kind, *rest) in enumerate(rows):
        given, family, address, restricted, sex, year, month, dday = rest
        fact = MentionFacts(
            day,
            file,
            row,
            record,
            role,
            given or "",
            family or "",
            address or "",
            restricted == "Y",
            None if year is None else _partial_date(year, month, dday),
            aliases.get(index, _NONE),
            ids.get(index, _NONE),
            (sex or "").upper(),
            kind or "",
        )
        yield (agency, ref), fact


@lru_cache(maxsize=1 << 16)
def _partial_date(year: int, month: int | None, day: int | None) -> PartialDate:
    # A population has a few thousand dates of birth: one object each, not one per mention.
    return PartialDate(year, month, day)


def _row_lists(
    table: pa.Table, columns: Mapping[str, str]
) -> dict[int, tuple[tuple[str, str], ...]]:
    """``(label, value)`` pairs per row index from list columns, for the rows that have any.

    Most rows have no phone, no car, no alias: turning a million mostly empty lists into Python
    lists one by one is slow; the flattened values and the row each came from are two arrays.
    """
    found: dict[int, list[tuple[str, str]]] = {}
    for label, name in columns.items():
        array = table.column(name).combine_chunks()
        parents = pc.list_parent_indices(array).to_pylist()
        values = pc.list_flatten(array).to_pylist()
        for parent, value in zip(parents, values, strict=True):
            found.setdefault(parent, []).append((label, value))
    return {index: tuple(pairs) for index, pairs in found.items()}


def collapse_facts(facts: Iterable[tuple[Key, MentionFacts]]) -> list[AgencyPerson]:
    """Group by person key, collapse each group, then note who each person is recorded with."""
    grouped: dict[Key, list[MentionFacts]] = {}
    in_record: dict[Key, set[Key]] = {}
    for key, fact in facts:
        group = grouped.get(key)
        if group is None:
            grouped[key] = [fact]
        else:
            group.append(fact)
        if fact.person_role not in _NOT_RELATED_ROLES:
            in_record.setdefault((key[0], fact.record_id), set()).add(key)
    people = [_collapse(key, grouped[key]) for key in sorted(grouped)]
    _add_related(people, in_record)
    return people


def _add_related(people: list[AgencyPerson], in_record: Mapping[Key, set[Key]]) -> None:
    """Name keys of the people each person is recorded with (children, parents, siblings).

    Agencies write the same family around a person: a parent known to health with her children
    is the parent known to the police with those children, even with no date of birth recorded.
    """
    names = {p.key: name_key(p.given, p.family) for p in people}
    # Each record's names once, not once per person in it (a family of six read it six times).
    record_names = {record: {names[k] for k in keys} for record, keys in in_record.items()}
    for person in people:
        related: set[str] = set()
        for record in person.record_ids:
            related.update(record_names.get((person.agency_code, record), ()))
        related.discard(names[person.key])
        related.discard("")
        person.related = tuple(sorted(related))


def _collapse(key: Key, facts: list[MentionFacts], is_sorted: bool = False) -> AgencyPerson:
    """The name and date of birth recorded most often, the latest address, the union of the rest.

    One pass over the mentions, oldest first (so "the latest address" and the tie-breaks do
    not depend on file order): this runs for every person of a million mentions.
    """
    ordered = facts if is_sorted else sorted(facts)
    names: dict[tuple[str, str], int] = {}  # in the order first seen: ties go to the first
    dobs: dict[PartialDate, int] = {}
    sexes: dict[str, int] = {}
    identifiers: dict[str, set[str]] = {}
    aliases: list[str] = []
    roles: set[str] = set()
    records: set[str] = set()
    address = ""
    restricted = False
    born_by: int | None = None
    for fact in ordered:
        name = (fact.given, fact.family)
        names[name] = names.get(name, 0) + 1
        if fact.date_of_birth is not None:
            dobs[fact.date_of_birth] = dobs.get(fact.date_of_birth, 0) + 1
        if fact.sex in _SEXES:
            sexes[fact.sex] = sexes.get(fact.sex, 0) + 1
        for kind, value in fact.identifiers:
            identifiers.setdefault(kind, set()).add(value)
        aliases.extend(fact.aliases)
        roles.add(fact.person_role)
        records.add(fact.record_id)
        address = fact.address or address
        restricted = restricted or fact.restricted
        min_age = role_min_age(fact.record_type, fact.person_role)
        if min_age is not None:
            year = fact.record_date.year - min_age
            born_by = year if born_by is None else min(born_by, year)
    names.pop(("", ""), None)
    given, family = _most_common(names) if names else ("", "")
    others = set(names)
    others.update(_alias_name(alias, family) for alias in aliases)
    others.discard((given, family))
    postcodes = identifiers.pop("postcode", set())
    return AgencyPerson(
        agency_code=key[0],
        person_ref=key[1],
        given=given,
        family=family,
        other_names=tuple(sorted(others)),
        date_of_birth=_best_dob(dobs),
        identifiers={k: tuple(sorted(v)) for k, v in identifiers.items()},
        postcodes=tuple(sorted(postcodes)),
        address=address,
        roles=frozenset(roles),
        latest_record=ordered[-1].record_date,
        restricted=restricted,
        record_ids=tuple(sorted(records)),
        born_by=born_by,
        sex=_most_common_sex(sexes),
    )


def _most_common_sex(counts: Mapping[str, int]) -> str:
    """The sex recorded most often, "" when unknown or recorded both ways equally often."""
    if len(counts) < 2:  # most people: one sex or none recorded (no sort for a quarter million)
        return next(iter(counts), "")
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    if ranked[0][1] == ranked[1][1]:
        return ""
    return ranked[0][0]


def _most_common(counts: Mapping[tuple[str, str], int]) -> tuple[str, str]:
    # Highest count wins; ties go to the name seen first (the dict keeps insertion order).
    if len(counts) == 1:  # most people: one name, whatever its count
        return next(iter(counts))
    best = max(counts.values())
    return next(name for name, n in counts.items() if n == best)


def _alias_name(alias: str, family: str) -> tuple[str, str]:
    parts = alias.split()
    if len(parts) == 1:
        return (parts[0], family)
    return (" ".join(parts[:-1]), parts[-1])


def _best_dob(counts: Mapping[PartialDate, int]) -> PartialDate | None:
    """The most often recorded date, preferring the more precise one on a tie (1 January being
    as precise as the year alone: ``people.as_known``), then the earlier."""
    if len(counts) <= 1:
        return next(iter(counts), None)

    def rank(d: PartialDate) -> tuple[int, bool, bool, list[int]]:
        known = as_known(d)
        return (counts[d], known.month is not None, known.day is not None, [-x for x in _parts(d)])

    return max(counts, key=rank)


def _parts(dob: PartialDate) -> tuple[int, int, int]:
    return (dob.year, dob.month or 0, dob.day or 0)
