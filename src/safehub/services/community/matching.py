"""Matching what a community report names against what agencies hold, for the safeguarding lead.

What is matched, and against what:

- a vehicle registration, a phone number or an online handle: the same identifier (normalised
  as agency extracts are) on a person in an agency's records; a handle given without its app
  matches that handle on any app;
- a postcode: a person's postcode in an agency's records, or the place of an agency's record;
- a name with a date of birth or an age: a person in the candidate index (the intake check's
  indexed search) whose first and last name are the same and whose date of birth is the same,
  or falls in the years the age allows. A name alone never matches: names repeat.

What the lead is shown: which identifier matched which kind of holding, how many agencies hold
it and which (whom to contact), whether the person is recorded as an adult of concern and
whether they are in a group of the latest network analysis. Never a record's content: another
agency's record stays sealed; only people the lead's own agency holds are linked to their page.
Restricted people, and records about anyone restricted, never count (not even as "something is
held"). A place the reporter chose to blur is matched whole but shown as its district, and
never linked to a person (whose page would give the exact address). The reporter is never told anything of a match: nothing here is reachable from the
public app (its database role cannot read any of these tables).

>>> birth_years("about 40", today=date(2026, 12, 6))
(1983, 1984, 1985, 1986, 1987, 1988)
>>> birth_years("40", today=date(2026, 12, 6))
(1985, 1986)
>>> birth_years("3 5 1985", today=date(2026, 12, 6))
(1985,)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from safehub.db.queries import community_matching as q
from safehub.db.queries.community import ReportRow
from safehub.db.queries.community_matching import Holding
from safehub.db.rls import system_step
from safehub.db.uow import UnitOfWork
from safehub.extracts.identifiers import (
    PartialDate,
    normalise_phone,
    normalise_postcode,
    normalise_vehicle,
)
from safehub.linkage import AgencyPerson
from safehub.linkage.people import person_features
from safehub.services.identity.index import query_keys

CANDIDATES_PER_KEY = 100
CANDIDATES_READ = 60
# "about 40" is taken to mean 38 to 42; "40" was born this year less 40 or 41.
_ABOUT = re.compile(r"^(about|around|roughly|tua|oddeutu)\s*", re.IGNORECASE)
_DATE = re.compile(r"^([0-9]{1,2})[ /.-]([0-9]{1,2})[ /.-]([0-9]{4})$")
_HANDLE = re.compile(r"^(?:([a-z0-9_.-]+)\s*[:/]\s*)?@?([a-z0-9_.-]+)$")

# The kind of holding an identifier matched, in words.
HOLDINGS = {
    "vehicle": "a vehicle on a person's record",
    "phone": "a phone number on a person's record",
    "handle": "an online username on a person's record",
    "postcode": "a person's postcode",
    "place": "the place of a record",
    "name": "a person with the same name and a date of birth that fits",
}


@dataclass(frozen=True, slots=True)
class Probe:
    """One thing a report names, as it is matched."""

    kind: str  # vehicle | phone | handle | postcode | name
    label: str  # what the lead sees ("Vehicle registration YX19 ABC")
    value: str  # normalised
    given: str = ""
    family: str = ""
    birth: PartialDate | None = None
    years: tuple[int, ...] = ()
    blurred: bool = False  # the reporter did not agree that staff see the exact place


@dataclass(frozen=True, slots=True)
class MatchEvidence:
    """One identifier of a report and what it matched, without any record's content: what the
    lead sees."""

    identifier: str
    holding: str
    agencies: tuple[str, ...]  # whom to contact
    people: int
    of_concern: bool
    groups: tuple[str, ...]
    own_people: tuple[int, ...]  # people the lead's agency holds: their pages may be opened

    @property
    def sentence(self) -> str:
        held = (
            f"{len(self.agencies)} {'agency holds' if len(self.agencies) == 1 else 'agencies hold'}"
        )
        return f"{self.identifier} matches {self.holding}: {held} it"


@dataclass(frozen=True, slots=True)
class FoundMatch:
    """One identifier's match as it is stored (``stored_matches``): the evidence, and each
    (person, agency) pair held, from which a lead's own agency's people are chosen when read."""

    identifier: str
    holding: str
    agencies: tuple[str, ...]
    people: int
    of_concern: bool
    groups: tuple[str, ...]
    held: tuple[tuple[int, int], ...]  # (person id, agency id)
    blurred: bool  # the reporter chose not to share the exact place: never link a person

    def for_agency(self, agency_id: int | None) -> MatchEvidence:
        # A person's page would give the exact address the reporter chose not to share.
        own = () if self.blurred else tuple(sorted({p for p, a in self.held if a == agency_id}))
        return MatchEvidence(
            self.identifier,
            self.holding,
            self.agencies,
            self.people,
            self.of_concern,
            self.groups,
            own,
        )

    def stored(self) -> dict[str, object]:
        return {
            "identifier": self.identifier,
            "holding": self.holding,
            "agencies": list(self.agencies),
            "people": self.people,
            "of_concern": self.of_concern,
            "groups": list(self.groups),
            "held": [list(pair) for pair in self.held],
            "blurred": self.blurred,
        }

    @classmethod
    def from_stored(cls, value: Mapping[str, Any]) -> FoundMatch:
        return cls(
            str(value["identifier"]),
            str(value["holding"]),
            tuple(str(a) for a in value["agencies"]),
            int(value["people"]),
            bool(value["of_concern"]),
            tuple(str(g) for g in value["groups"]),
            tuple((int(p), int(a)) for p, a in value["held"]),
            bool(value["blurred"]),
        )


def birth_years(age: str, *, today: date) -> tuple[int, ...]:
    """The years of birth an age or a date of birth allows (none when it says neither)."""
    text = age.strip()
    dated = _DATE.match(text)
    if dated:
        return (int(dated.group(3)),)
    about = _ABOUT.match(text)
    number = _ABOUT.sub("", text)
    if not number.isdigit() or not 0 < int(number) < 111:
        return ()
    born = today.year - int(number)
    low, high = (born - 3, born + 2) if about else (born - 1, born)
    return tuple(range(low, high + 1))


def _birth_date(age: str) -> PartialDate | None:
    dated = _DATE.match(age.strip())
    if not dated:
        return None
    day, month, year = (int(g) for g in dated.groups())
    try:
        date(year, month, day)
    except ValueError:
        return None
    return PartialDate(year, month, day)


def report_probes(row: ReportRow, *, today: date) -> list[Probe]:
    """What a report names that can be matched, normalised as agency extracts are."""
    probes = []
    if row.vehicle_registration and (vrm := normalise_vehicle(row.vehicle_registration)):
        probes.append(Probe("vehicle", f"Vehicle registration {row.vehicle_registration}", vrm))
    if row.phone and (phone := normalise_phone(row.phone)):
        probes.append(Probe("phone", f"Phone number {row.phone}", phone))
    if row.online_handle and (handle := _handle(row.online_handle)):
        probes.append(Probe("handle", f"Username {row.online_handle}", handle))
    if row.place_postcode and (postcode := normalise_postcode(row.place_postcode)):
        # The lead sees the postcode as blurred as the reporter chose; the match uses it whole.
        shown = row.place_postcode if row.share_exact else f"district {postcode[:-3]}"
        label = f"The place (postcode {shown})"
        probes.append(Probe("postcode", label, postcode, blurred=not row.share_exact))
    name = _name_probe(row, today=today)
    if name is not None:
        probes.append(name)
    return probes


def _handle(value: str) -> str | None:
    """``platform:handle`` when the app is given ("snapchat: someone"), else the handle alone."""
    found = _HANDLE.match(value.strip().lower())
    if not found:
        return None
    platform, handle = found.groups()
    return f"{platform}:{handle}" if platform else handle


def _name_probe(row: ReportRow, *, today: date) -> Probe | None:
    words = (row.subject_name or "").split()
    years = birth_years(row.subject_age or "", today=today)
    if len(words) < 2 or not years:
        return None
    label = f"Name {row.subject_name} with age or date of birth {row.subject_age}"
    return Probe(
        "name",
        label,
        "",
        given=words[0],
        family=words[-1],
        birth=_birth_date(row.subject_age or ""),
        years=years,
    )


def find_matches(
    uow: UnitOfWork, rows: Sequence[ReportRow], *, today: date
) -> dict[int, list[FoundMatch]]:
    """The matches of each report's identifiers, by report id (reports without one are left
    out). Run as a system step across the partnership, then cut to existence and whom to
    contact. The caller audits: the match job stores them, the pages read what it stored."""
    probes: list[tuple[int, Probe]] = [
        (row.report_id, probe) for row in rows for probe in report_probes(row, today=today)
    ]
    if not probes:
        return {}
    with system_step(uow):
        holdings = _holdings(uow, probes)
    found: dict[int, list[FoundMatch]] = {}
    for index, (report_id, probe) in enumerate(probes):
        held = holdings.get(index, [])
        if held:
            found.setdefault(report_id, []).append(_found(probe, held))
    return found


def _holdings(uow: UnitOfWork, probes: list[tuple[int, Probe]]) -> dict[int, list[Holding]]:
    identifiers = [
        (i, p.kind, p.value) for i, (_, p) in enumerate(probes) if p.kind not in ("name",)
    ]
    places = [(i, p.value) for i, (_, p) in enumerate(probes) if p.kind == "postcode"]
    held: dict[int, list[Holding]] = {}
    for h in q.list_identifier_holdings(uow.session, identifiers):
        held.setdefault(h.probe, []).append(h)
    for h in q.list_place_holdings(uow.session, places):
        held.setdefault(h.probe, []).append(h)
    for i, (_, probe) in enumerate(probes):
        if probe.kind == "name":
            held[i] = _named(uow, i, probe)
    return held


def _named(uow: UnitOfWork, index: int, probe: Probe) -> list[Holding]:
    """People whose name is the same and whose date of birth fits, from the candidate index."""
    asked = person_features(
        AgencyPerson("community", "report", given=probe.given, family=probe.family)
    )
    keys = query_keys({**asked, "dob": None})
    keys += [f"fy|{asked['family_skel']}|{y}" for y in probe.years if asked.get("family_skel")]
    found = q.list_named_candidates(
        uow.session, keys, cap=CANDIDATES_PER_KEY, limit=CANDIDATES_READ
    )
    chosen = [c for c in found if _same_person(asked, probe, c.features)]
    groups = q.list_group_codes(uow.session, sorted({c.person_id for c in chosen}))
    return [
        Holding(
            index, c.person_id, c.agency_id, c.agency_name, c.of_concern, groups.get(c.person_id)
        )
        for c in chosen
    ]


def _same_person(asked: dict[str, object], probe: Probe, held: dict[str, object]) -> bool:
    names = (asked.get("given_name"), asked.get("family_name"))
    held_names = (held.get("given_name"), held.get("family_name"))
    if None in names or held_names not in (names, names[::-1]):
        return False
    if probe.birth is not None:
        return held.get("dob") == probe.birth.iso()
    return held.get("dob_y") in probe.years


def _found(probe: Probe, held: list[Holding]) -> FoundMatch:
    holding = HOLDINGS[probe.kind]
    if probe.kind == "postcode":
        kinds = {"place" if h.person_id is None else "postcode" for h in held}
        holding = " and ".join(HOLDINGS[k] for k in sorted(kinds, reverse=True))
    pairs = sorted({(h.person_id, h.agency_id) for h in held if h.person_id is not None})
    return FoundMatch(
        identifier=probe.label,
        holding=holding,
        agencies=tuple(sorted({h.agency_name for h in held})),
        people=len({h.person_id for h in held if h.person_id is not None}),
        of_concern=any(h.of_concern for h in held),
        groups=tuple(sorted({h.group_code for h in held if h.group_code})),
        held=tuple(pairs),
        blurred=probe.blurred,
    )
