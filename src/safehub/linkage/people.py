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
from typing import Any

from safehub.extracts import Mention, PartialDate
from safehub.extracts.codes import CONCERN_ROLES
from safehub.extracts.identifiers import postcode_parts
from safehub.linkage.names import canonical_name, fold_name, name_skeleton

# architecture.md "Protected characteristics": never inputs to matching, ranking, risk or alerts.
PROTECTED_COLUMNS = frozenset(
    {
        "ethnicity_self_defined",
        "ethnicity_observed",
        "nationality",
        "religion",
        "sexual_orientation",
        "gender_identity",
        "immigration_status",
        "first_language",
        "interpreter_needed",
    }
)
# Identifiers that say "this is the same person" on their own when they agree (postcode is not one).
STRONG_KINDS = ("nhs_number", "phone", "email", "vehicle", "licence", "handle")
ID_COLUMNS = {
    "nhs_number": "nhs",
    "phone": "phone",
    "email": "email",
    "vehicle": "vehicle",
    "licence": "licence",
    "handle": "handle",
}
_ADULT_AGE = 18
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
            return not self.identifiers.get("nhs_number")
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
    for mention in mentions:
        grouped.setdefault(mention.person_key, []).append(mention)
    return [_collapse(key, grouped[key]) for key in sorted(grouped)]


def _collapse(key: tuple[str, str], mentions: list[Mention]) -> AgencyPerson:
    # Oldest first, so "the latest address" and tie-breaks do not depend on file order.
    ordered = sorted(mentions, key=lambda m: (m.record_date, m.file, m.row))
    cells = [_matching_values(m) for m in ordered]
    names = Counter((c.get("given_names", ""), c.get("family_name", "")) for c in cells)
    names.pop(("", ""), None)
    given, family = _most_common(names) if names else ("", "")
    others = {n for n in names if n != (given, family)}
    for mention in ordered:
        others.update(_alias_name(alias, family) for alias in mention.aliases)
    others.discard((given, family))
    identifiers: dict[str, set[str]] = {}
    for mention in ordered:
        for ident in mention.identifiers:
            if ident.normalised:
                identifiers.setdefault(ident.kind, set()).add(ident.normalised)
    return AgencyPerson(
        agency_code=key[0],
        person_ref=key[1],
        given=given,
        family=family,
        other_names=tuple(sorted(others)),
        date_of_birth=_best_dob([m.date_of_birth for m in ordered if m.date_of_birth]),
        identifiers={k: tuple(sorted(v)) for k, v in identifiers.items() if k != "postcode"},
        postcodes=tuple(sorted(identifiers.get("postcode", ()))),
        address=next((c["address"] for c in reversed(cells) if c.get("address")), ""),
        roles=frozenset(m.person_role for m in ordered),
        latest_record=ordered[-1].record_date,
        restricted=any(c.get("restricted") == "Y" for c in cells),
    )


def _matching_values(mention: Mention) -> dict[str, str]:
    """The mention's cells without any protected characteristic: the only door to raw cells."""
    return {k: v for k, v in mention.values.items() if k not in PROTECTED_COLUMNS}


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
    counts = Counter(dobs)
    return max(
        counts,
        key=lambda d: (counts[d], d.month is not None, d.day is not None, [-x for x in _parts(d)]),
    )


def _parts(dob: PartialDate) -> tuple[int, int, int]:
    return (dob.year, dob.month or 0, dob.day or 0)


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
    first = person.given.split()[0] if person.given.split() else ""
    dob = person.date_of_birth
    primary = name_key(person.given, person.family)
    alt = sorted({name_key(g, f) for g, f in person.other_names} - {primary, ""})
    row: dict[str, Any] = {
        "given_name": canonical_name(first) or None,
        "given_skel": name_skeleton(first) or None,
        "family_name": canonical_name(person.family) or None,
        "family_skel": name_skeleton(person.family) or None,
        "alt_names": alt or None,
        "all_names": sorted({primary, *alt} - {""}) or None,
        "dob": dob.iso() if dob else None,
        "dob_y": dob.year if dob else None,
        "dob_m": dob.month if dob else None,
        "dob_d": dob.day if dob else None,
        "address": " ".join(_TOKEN.findall(person.address.lower())) or None,
    }
    row.update(_postcode_features(person.postcodes))
    for kind, column in ID_COLUMNS.items():
        held = (shared or {}).get(kind, frozenset())
        values = [v for v in person.identifiers.get(kind, ()) if v not in held]
        row[column] = values or None
    return row


def _postcode_features(postcodes: Sequence[str]) -> dict[str, list[str] | None]:
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
