"""Agency people: the mentions of one ``(agency_code, person_ref)`` collapsed into one record.

Rows of one ``person_ref`` in one agency are the same person by definition (docs/extract-format.md), so they
are merged before linkage (``collapse.py``): the union of their names, aliases, dates of birth and
valid identifiers.

Protected characteristics never reach matching: ``collapse.facts_of`` reads only the cells
matching needs, and ``assert_no_protected`` is run on the frame and the
settings handed to Splink (a guard test checks both).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from safehub.extracts import PartialDate
from safehub.extracts.codes import CONCERN_ROLES, PROTECTED_COLUMNS
from safehub.extracts.identifiers import postcode_parts
from safehub.linkage.names import (
    canonical_given,
    canonical_name,
    fold_name,
    known_given,
    name_skeleton,
)

# docs/architecture.md "Protected characteristics": the one list lives with the extract format.
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
# A school concern is about a pupil, who is at least 4 (a reception class), so the parent or
# carer it names was at least 14 + 4 = 18 then: someone born later is someone else (the son who
# shares his father's name; SEALED10 roaming, bench/hardgen/precision_study.md).
RECORD_ROLE_MIN_AGE = {("school_concern", "parent_carer"): 18}


def role_min_age(record_type: str, role: str) -> int | None:
    """Youngest age at which someone is recorded in ``role`` on a record of ``record_type``."""
    return RECORD_ROLE_MIN_AGE.get((record_type, role), ROLE_MIN_AGE.get(role))


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
    sex: str = ""

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
    def is_child_at_risk(self) -> bool:
        """Recorded as a victim, and not known to have been an adult at the time."""
        return "victim" in self.roles and not self._adult()

    @property
    def is_child(self) -> bool:
        """Known to have been under 18 at the latest record."""
        return self.date_of_birth is not None and not self._adult(unknown=True)

    @property
    def is_adult_of_concern(self) -> bool:
        """Recorded as suspect or associate, and not known to have been a child at the time."""
        return bool(self.roles & CONCERN_ROLES) and self._adult(unknown=True)

    def _adult(self, unknown: bool = False) -> bool:
        """18 or over at the latest record; ``unknown`` when the date of birth is not known."""
        dob = self.date_of_birth
        if dob is None or self.latest_record == date.min:
            return unknown
        age = self.latest_record.year - dob.year
        if dob.month is not None and (self.latest_record.month, self.latest_record.day) < (
            dob.month,
            dob.day or 1,
        ):
            age -= 1
        return age >= _ADULT_AGE


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
    row: dict[str, Any] = dict(
        _name_features(person.given, person.family, female=person.sex == "F")
    )
    primary = row["all_names"][0] if row["all_names"] else ""
    if person.other_names:
        alt = sorted({name_key(g, f) for g, f in person.other_names} - {primary, ""})
        row["alt_names"] = alt or None
        row["all_names"] = sorted({primary, *alt} - {""}) or None
    row.update(dob_features(person.date_of_birth))
    row["related"] = list(person.related) or None
    row["sex"] = person.sex or None
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
def _name_features(given: str, family: str, female: bool = False) -> dict[str, Any]:
    """``female``: a short form of a boy's and a girl's name is the girl's (``canonical_given``)."""
    given_words = given.split()
    first = given_words[0] if given_words else ""
    family_words = family.split()
    canonical = [c for c in (canonical_given(w, female) for w in given_words) if c]
    full = " ".join(canonical)
    primary = name_key(given, family)
    return {
        "given_all": sorted(set(canonical)) or None,
        "given_second": canonical[1] if len(canonical) > 1 else None,
        "given_name": canonical_given(first, female) or None,
        "given_skel": name_skeleton(first) or None,
        "given_fold": fold_name(first) or None,
        "given_full": full if " " in full else None,
        "given_known": known_given(first, female) or None,
        "family_name": canonical_name(family) or None,
        "family_skel": name_skeleton(family) or None,
        "family_fold": fold_name(family) or None,
        "family_first": canonical_name(family_words[0]) or None if family_words else None,
        "alt_names": None,
        "all_names": [primary] if primary else None,
    }


def as_known(dob: PartialDate) -> PartialDate:
    """The date as far as it is known: 1 January is read as the year alone.

    Systems that need a whole date key 1 January when only the year is known, and people born
    abroad without a record of the day are often given it: as precise as "1990", so a person's
    whole date wins a tie over it (``collapse._best_dob``). The comparison reads it the same
    way against another date of that year (``comparisons._dob_partial``).

    >>> as_known(PartialDate(1990, 1, 1)), as_known(PartialDate(1990, 9, 27))
    (PartialDate(year=1990, month=None, day=None), PartialDate(year=1990, month=9, day=27))
    """
    return PartialDate(dob.year) if dob.month == 1 and dob.day == 1 else dob


@lru_cache(maxsize=1 << 16)
def dob_features(dob: PartialDate | None) -> dict[str, Any]:
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
