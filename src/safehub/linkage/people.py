"""Agency people: the mentions of one ``(agency_code, person_ref)`` collapsed into one record.

Rows of one ``person_ref`` in one agency are the same person by definition (formats.md), so they
are merged before linkage: the union of their names, aliases, dates of birth and valid identifiers.

Protected characteristics never reach matching: ``_matching_values`` drops them from a mention's
cells before anything else reads them, and ``assert_no_protected`` is run on the frame and the
settings handed to Splink (a guard test checks both).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from safehub.extracts import Mention, PartialDate
from safehub.extracts.codes import CONCERN_ROLES, PROTECTED_COLUMNS
from safehub.extracts.identifiers import postcode_parts
from safehub.linkage.names import canonical_name, fold_name, name_skeleton

# architecture.md "Protected characteristics": the one list lives with the extract format.
# Identifiers that say "this is the same person" on their own when they agree (postcode is not one).
STRONG_KINDS = ("nhs_number", "phone", "email", "vehicle", "licence", "handle")
# Identifiers that belong to one person only (a family shares a phone, a car, even an email).
PERSONAL_KINDS = ("nhs_number", "licence")
ID_COLUMNS = {
    "nhs_number": "nhs",
    "phone": "phone",
    "email": "email",
    "vehicle": "vehicle",
    "licence": "licence",
    "handle": "handle",
}
_ADULT_AGE = 18
# Youngest age at which someone can be recorded in a role: a parent or carer (a young parent can
# be 14), a taxi licence holder (licensing authorities require 18 or more). A record names such a
# person, so someone born later is someone else (the parent and child who share a name).
ROLE_MIN_AGE = {"parent_carer": 14, "licence_holder": 18}
# The raw cells matching reads (identifiers and dates come parsed on the mention).
_MATCHING_COLUMNS = ("given_names", "family_name", "address", "restricted")
assert not PROTECTED_COLUMNS & set(_MATCHING_COLUMNS)
# A reporter (a teacher, a neighbour) is not part of the person's life in the way family is.
_NOT_RELATED_ROLES = frozenset({"reporter"})
_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(slots=True)
class AgencyPerson:
    """One person as one agency knows them (all rows of one ``person_ref``)."""

    agency_code: str
    person_ref: str
    given: str = ""
    family: str = ""
    other_names: tuple[tuple[str, str], ...] = ()
    date_of_birth: PartialDate | None = None
    identifiers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    postcodes: tuple[str, ...] = ()
    address: str = ""
    roles: frozenset[str] = frozenset()
    latest_record: date = date.min
    restricted: bool = False
    record_ids: tuple[str, ...] = ()
    born_by: int | None = None
    related: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return (self.agency_code, self.person_ref)

    @property
    def has_name(self) -> bool:
        return bool(fold_name(self.given) or fold_name(self.family))

    @property
    def is_insufficient(self) -> bool:
        """Too little to match on: no name (and no NHS number), or a name and nothing else."""
        if not self.has_name:
            # Without a name only a number that belongs to one person can carry a match.
            return not any(self.identifiers.get(k) for k in PERSONAL_KINDS)
        other = self.date_of_birth or self.postcodes or self.address
        return not (other or any(self.identifiers.get(k) for k in STRONG_KINDS))

    @property
    def is_adult_of_concern(self) -> bool:
        """Recorded as suspect or associate, and not known to have been a child at the time."""
        if not self.roles & CONCERN_ROLES:
            return False
        dob = self.date_of_birth
        if dob is None or self.latest_record == date.min:
            return True
        age = self.latest_record.year - dob.year
        if dob.month is not None and (self.latest_record.month, self.latest_record.day) < (
            dob.month,
            dob.day or 1,
        ):
            age -= 1
        return age >= _ADULT_AGE


def collapse_mentions(mentions: Iterable[Mention]) -> list[AgencyPerson]:
    """One ``AgencyPerson`` per ``person_key``, sorted by key.

    >>> collapse_mentions([])
    []
    """
    grouped: dict[tuple[str, str], list[Mention]] = {}
    in_record: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for mention in mentions:
        values = mention.values
        key = (values["agency_code"], values["person_ref"])
        grouped.setdefault(key, []).append(mention)
        if values["person_role"] not in _NOT_RELATED_ROLES:
            in_record.setdefault((key[0], values["record_id"]), set()).add(key)
    people = [_collapse(key, grouped[key]) for key in sorted(grouped)]
    _add_related(people, in_record)
    return people


def _add_related(
    people: list[AgencyPerson], in_record: Mapping[tuple[str, str], set[tuple[str, str]]]
) -> None:
    """Name keys of the people each person is recorded with (children, parents, siblings).

    Agencies write the same family around a person: a parent known to health with her children
    is the parent known to the police with those children, even with no date of birth recorded.
    """
    names = {p.key: name_key(p.given, p.family) for p in people}
    for person in people:
        related: set[str] = set()
        for record in person.record_ids:
            related.update(names[k] for k in in_record.get((person.agency_code, record), ()))
        related.discard(names[person.key])
        related.discard("")
        person.related = tuple(sorted(related))


def _collapse(key: tuple[str, str], mentions: list[Mention]) -> AgencyPerson:
    # Oldest first, so "the latest address" and tie-breaks do not depend on file order.
    ordered = (
        sorted(mentions, key=lambda m: (m.record_date, m.file, m.row))
        if len(mentions) > 1
        else mentions
    )
    cells = [_matching_values(m) for m in ordered]
    given, family, names = _choose_name(cells)
    others = {n for n in names if n != (given, family)}
    identifiers: dict[str, set[str]] = {}
    for mention in ordered:
        others.update(_alias_name(alias, family) for alias in mention.aliases)
        for ident in mention.identifiers:
            if ident.normalised:
                identifiers.setdefault(ident.kind, set()).add(ident.normalised)
    others.discard((given, family))
    postcodes = identifiers.pop("postcode", set())
    return AgencyPerson(
        agency_code=key[0],
        person_ref=key[1],
        given=given,
        family=family,
        other_names=tuple(sorted(others)),
        date_of_birth=_best_dob([m.date_of_birth for m in ordered if m.date_of_birth]),
        identifiers={k: tuple(sorted(v)) for k, v in identifiers.items()},
        postcodes=tuple(sorted(postcodes)),
        address=next((c[2] for c in reversed(cells) if c[2]), ""),
        roles=frozenset(m.person_role for m in ordered),
        latest_record=ordered[-1].record_date,
        restricted=any(c[3] == "Y" for c in cells),
        record_ids=tuple(sorted({m.record_id for m in ordered})),
        born_by=_born_by(ordered),
    )


def _born_by(mentions: Sequence[Mention]) -> int | None:
    """Latest year of birth the person's roles allow (a parent_carer in 2020 was born by 2006)."""
    years = [
        m.record_date.year - ROLE_MIN_AGE[m.person_role]
        for m in mentions
        if m.person_role in ROLE_MIN_AGE
    ]
    return min(years) if years else None


def _matching_values(mention: Mention) -> tuple[str, str, str, str]:
    """The only door to a mention's raw cells: the few matching reads, never a protected one."""
    values = mention.values
    return tuple(values.get(c, "") for c in _MATCHING_COLUMNS)  # type: ignore[return-value]


def _choose_name(
    cells: Sequence[tuple[str, str, str, str]],
) -> tuple[str, str, Sequence[tuple[str, str]]]:
    """The most often recorded (given, family) name, and every name recorded."""
    first = (cells[0][0], cells[0][1])
    if all(c[0] == first[0] and c[1] == first[1] for c in cells):
        # The usual case: one agency writes one person's name one way.
        return (*first, () if first == ("", "") else (first,))
    names = Counter((c[0], c[1]) for c in cells)
    names.pop(("", ""), None)
    given, family = _most_common(names) if names else ("", "")
    return given, family, tuple(names)


def _most_common(counts: Counter[tuple[str, str]]) -> tuple[str, str]:
    # Highest count wins; ties go to the name seen first (Counter keeps insertion order).
    best = max(counts.values())
    return next(name for name, n in counts.items() if n == best)


def _alias_name(alias: str, family: str) -> tuple[str, str]:
    parts = alias.split()
    if len(parts) == 1:
        return (parts[0], family)
    return (" ".join(parts[:-1]), parts[-1])


def _best_dob(dobs: Sequence[PartialDate]) -> PartialDate | None:
    """The most often recorded date, preferring the more precise one on a tie."""
    if not dobs:
        return None
    if all(d == dobs[0] for d in dobs):
        return dobs[0]
    counts = Counter(dobs)
    return max(
        counts,
        key=lambda d: (counts[d], d.month is not None, d.day is not None, [-x for x in _parts(d)]),
    )


def _parts(dob: PartialDate) -> tuple[int, int, int]:
    return (dob.year, dob.month or 0, dob.day or 0)


@lru_cache(maxsize=1 << 17)
def name_key(given: str, family: str) -> str:
    """Canonical "given family" key of a name (first given name only).

    >>> name_key("Bob James", "SMITH")
    'robert smith'
    """
    first = given.split()[0] if given.split() else ""
    return f"{canonical_name(first)} {canonical_name(family)}".strip()


def person_features(
    person: AgencyPerson, shared: Mapping[str, frozenset[str]] | None = None
) -> dict[str, Any]:
    """The row Splink sees for one person; the in-process scorer reads the same dictionary.

    ``shared`` lists identifier values held under too many names to be an identity (a family
    phone, a school switchboard): they are left out of matching.
    """
    # Names, dates and addresses repeat across a population: their parts are computed once each.
    row: dict[str, Any] = dict(_name_features(person.given, person.family))
    primary = row["all_names"][0] if row["all_names"] else ""
    if person.other_names:
        alt = sorted({name_key(g, f) for g, f in person.other_names} - {primary, ""})
        row["alt_names"] = alt or None
        row["all_names"] = sorted({primary, *alt} - {""}) or None
    row.update(_dob_features(person.date_of_birth))
    row["related"] = list(person.related) or None
    row["licence_one"] = person.identifiers.get("licence", (None,))[0]
    row.update(_address_features(person.address))
    row.update(_postcode_features(person.postcodes))
    for kind, column in ID_COLUMNS.items():
        values = person.identifiers.get(kind, ())
        held = shared.get(kind) if shared else None
        if held and values:
            values = tuple(v for v in values if v not in held)
        row[column] = list(values) or None
    return row


@lru_cache(maxsize=1 << 17)
def _name_features(given: str, family: str) -> dict[str, Any]:
    given_words = given.split()
    first = given_words[0] if given_words else ""
    family_words = family.split()
    full = " ".join(filter(None, (canonical_name(w) for w in given_words)))
    primary = name_key(given, family)
    return {
        "given_name": canonical_name(first) or None,
        "given_skel": name_skeleton(first) or None,
        "given_fold": fold_name(first) or None,
        "given_full": full if " " in full else None,
        "family_name": canonical_name(family) or None,
        "family_skel": name_skeleton(family) or None,
        "family_fold": fold_name(family) or None,
        "family_first": canonical_name(family_words[0]) or None if family_words else None,
        "alt_names": None,
        "all_names": [primary] if primary else None,
    }


@lru_cache(maxsize=1 << 16)
def _dob_features(dob: PartialDate | None) -> dict[str, Any]:
    if dob is None:
        return {"dob": None, "dob_y": None, "dob_m": None, "dob_d": None}
    return {"dob": dob.iso(), "dob_y": dob.year, "dob_m": dob.month, "dob_d": dob.day}


@lru_cache(maxsize=1 << 17)
def _address_features(address: str) -> dict[str, Any]:
    """Address text normalised, its words, and its first number (a house or flat number)."""
    words = _TOKEN.findall(address.lower())
    return {
        "address": " ".join(words) or None,
        "addr_words": sorted(set(words)) or None,
        "house": next((w for w in words if w.isdigit()), None),
    }


@lru_cache(maxsize=65536)
def _postcode_features(postcodes: tuple[str, ...]) -> dict[str, list[str] | None]:
    parts = [postcode_parts(p) for p in postcodes]
    return {
        "postcode": sorted(set(postcodes)) or None,
        "pc_sector": sorted({s for _, s in parts}) or None,
        "pc_district": sorted({d for d, _ in parts}) or None,
    }


def shared_identifiers(
    people: Iterable[AgencyPerson], max_names: int = 3
) -> dict[str, frozenset[str]]:
    """Identifier values (not NHS numbers) recorded under more than ``max_names`` different names.

    A phone held by a whole family or a school switchboard is not an identity; an NHS number is.
    """
    holders: dict[tuple[str, str], set[str]] = {}
    for person in people:
        key = name_key(person.given, person.family)
        for kind in STRONG_KINDS[1:]:
            for value in person.identifiers.get(kind, ()):
                holders.setdefault((kind, value), set()).add(key)
    shared: dict[str, set[str]] = {}
    for (kind, value), names in holders.items():
        if len(names) > max_names:
            shared.setdefault(kind, set()).add(value)
    return {k: frozenset(v) for k, v in shared.items()}


def assert_no_protected(columns: Iterable[str], settings_text: str = "") -> None:
    """Fail loudly if a protected characteristic would reach the model."""
    leaked = sorted({c for c in columns if c in PROTECTED_COLUMNS})
    leaked += sorted(c for c in PROTECTED_COLUMNS if c in settings_text)
    if leaked:
        raise RuntimeError(f"protected characteristics must never reach matching: {leaked}")
