"""How agencies record people: imperfectly, and each in its own way.

Each agency keeps its own version of a person under a ``person_ref`` (its "view"): one spelling of
the name, maybe a nickname, a typo, names swapped, a date of birth known to the month or with day
and month swapped, an NHS number if the agency holds one. The view is stable across that agency's
records, as in a real case management system; addresses and phones change with the person over
time. Some people get a second ``person_ref`` in the same agency: the duplicate the linkage must
find.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from safehub.extracts.codes import ALL_COLUMNS
from safehub.synthetic import identifiers as fmt
from safehub.synthetic import names
from safehub.synthetic.ethnicity import RECORDERS
from safehub.synthetic.model import Mention, Record, World
from safehub.synthetic.population import Person

# The columns of agency extract format v1, in the order the format lists them.
COLUMNS = ALL_COLUMNS
_AT = {column: index for index, column in enumerate(COLUMNS)}
_PERSON_COLUMNS = tuple(
    _AT[c] for c in ("given_names", "family_name", "aliases", "date_of_birth", "sex", "nhs_number")
)


@dataclass(frozen=True, slots=True)
class Style:
    """How carefully and how completely one kind of agency records people (probabilities)."""

    middle: float  # writes middle names
    spelling: float  # another spelling or transliteration of a name
    nickname: float
    typo: float
    swap_names: float  # given and family names swapped
    upper_family: float  # family name in capitals (a police habit)
    dob_swap: float  # day and month swapped
    dob_partial: float  # only YYYY-MM or YYYY
    dob_missing: float
    nhs: float
    address: float
    phone: float
    email: float
    handle: float
    vehicle: float
    duplicate: float  # a second person_ref for the same person


# Police write family names in capitals and know suspects' dates of birth least; health holds NHS
# numbers and full names; licensing holds everything about its drivers.
STYLES: dict[str, Style] = {
    "police": Style(
        middle=0.3,
        spelling=0.3,
        nickname=0.12,
        typo=0.05,
        swap_names=0.03,
        upper_family=0.35,
        dob_swap=0.04,
        dob_partial=0.08,
        dob_missing=0.1,
        nhs=0.03,
        address=0.7,
        phone=0.5,
        email=0.1,
        handle=0.3,
        vehicle=0.4,
        duplicate=0.03,
    ),
    "social_care": Style(
        middle=0.6,
        spelling=0.25,
        nickname=0.05,
        typo=0.03,
        swap_names=0.015,
        upper_family=0.0,
        dob_swap=0.03,
        dob_partial=0.03,
        dob_missing=0.04,
        nhs=0.6,
        address=0.85,
        phone=0.5,
        email=0.25,
        handle=0.1,
        vehicle=0.0,
        duplicate=0.03,
    ),
    "health": Style(
        middle=0.85,
        spelling=0.2,
        nickname=0.02,
        typo=0.02,
        swap_names=0.01,
        upper_family=0.0,
        dob_swap=0.02,
        dob_partial=0.01,
        dob_missing=0.01,
        nhs=0.95,
        address=0.95,
        phone=0.6,
        email=0.2,
        handle=0.0,
        vehicle=0.0,
        duplicate=0.02,
    ),
    "education": Style(
        middle=0.7,
        spelling=0.2,
        nickname=0.1,
        typo=0.02,
        swap_names=0.01,
        upper_family=0.0,
        dob_swap=0.02,
        dob_partial=0.0,
        dob_missing=0.01,
        nhs=0.3,
        address=0.8,
        phone=0.3,
        email=0.1,
        handle=0.2,
        vehicle=0.0,
        duplicate=0.015,
    ),
    "licensing": Style(
        middle=0.9,
        spelling=0.15,
        nickname=0.0,
        typo=0.02,
        swap_names=0.005,
        upper_family=0.0,
        dob_swap=0.01,
        dob_partial=0.0,
        dob_missing=0.0,
        nhs=0.0,
        address=1.0,
        phone=0.95,
        email=0.9,
        handle=0.0,
        vehicle=1.0,
        duplicate=0.01,
    ),
}
_REF_PREFIX = {"police": "P", "social_care": "C", "health": "H", "education": "S", "licensing": "L"}


@dataclass(frozen=True, slots=True)
class View:
    """One agency's stored details of one person under one person_ref."""

    given_names: str
    family_name: str
    aliases: str
    dob: str
    sex: str
    nhs: str
    restricted: str


class Recorder:
    """Turns records into extract rows, keeping each agency's refs and views stable."""

    def __init__(self, world: World, rng: random.Random) -> None:
        self.world = world
        self.rng = rng
        self.people = world.pop.people
        self._refs: dict[tuple[int, int], list[str]] = {}
        self._uses: dict[tuple[int, int], list[int]] = {}  # [uses so far, duplicate after]
        self._views: dict[tuple[int, str], View] = {}
        self._counters = [0] * len(world.agencies)
        self.truth: list[tuple[str, str, str]] = []  # (agency_code, person_ref, true id)

    def rows(self, record: Record, record_id: str) -> list[list[str]]:
        agency = self.world.agencies[record.agency]
        template = [""] * len(COLUMNS)
        for column, value in (
            ("agency_code", agency.code),
            ("agency_type", agency.agency_type),
            ("record_id", record_id),
            ("record_type", record.record_type),
            ("record_date", date.fromordinal(record.day).isoformat()),
            ("location_name", record.location_name),
            ("location_postcode", record.location_postcode),
            ("outcome", record.outcome),
            ("narrative", record.narrative),
            ("area_code", record.area_code),
            ("offence_code", record.offence_code),
            ("group_based", record.group_based),
            ("intel_grading", record.intel_grading),
        ):
            template[_AT[column]] = value
        return [self._row(template, record, mention) for mention in record.mentions]

    # -- refs and views -----------------------------------------------------------------------
    def _new_ref(self, agency: int, pid: int) -> str:
        self._counters[agency] += 1
        spec = self.world.agencies[agency]
        ref = f"{_REF_PREFIX[spec.agency_type]}{self._counters[agency]:07d}"
        self.truth.append((spec.code, ref, self.people[pid].true_id))
        return ref

    def _ref(self, agency: int, pid: int) -> str:
        key = (agency, pid)
        refs = self._refs.get(key)
        if refs is None:
            refs = [self._new_ref(agency, pid)]
            self._refs[key] = refs
            style = STYLES[self.world.agencies[agency].agency_type]
            ordinary = self.people[pid].kind in ("child", "adult")
            after = (
                self.rng.randint(1, 4) if ordinary and self.rng.random() < style.duplicate else 0
            )
            self._uses[key] = [0, after]
        uses = self._uses[key]
        uses[0] += 1
        # After a few uses the agency opens a second record; both stay live, so either is used.
        if uses[1] and uses[0] > uses[1] and self.rng.random() < 0.7:
            if len(refs) == 1:
                refs.append(self._new_ref(agency, pid))
            return refs[1]
        return refs[0]

    def _view(self, agency: int, ref: str, person: Person) -> View:
        view = self._views.get((agency, ref))
        if view is None:
            view = self._make_view(self.world.agencies[agency].agency_type, person)
            self._views[(agency, ref)] = view
        return view

    def _make_view(self, agency_type: str, person: Person) -> View:
        rng, style = self.rng, STYLES[agency_type]
        given, family = self._names(style, person)
        if person.kind == "public" and rng.random() < 0.5:
            given, family = "", ""  # reported anonymously
        aliases = person.alias if person.alias and agency_type == "police" else ""
        restricted = (
            "Y"
            if person.kind == "adult"
            and agency_type in ("social_care", "health")
            and rng.random() < 0.01
            else ""
        )
        nhs = (
            fmt.format_nhs(rng, person.nhs)
            if person.kind in ("child", "adult") and rng.random() < style.nhs
            else ""
        )
        sex = person.sex if rng.random() < 0.96 else rng.choice(("", "U"))
        return View(given, family, aliases, self._dob(style, person), sex, nhs, restricted)

    def _names(self, style: Style, person: Person) -> tuple[str, str]:
        rng = self.rng
        given, family = person.given, person.family
        if names.has_variants(given):
            if rng.random() < style.spelling:
                given = names.spelling_variant(rng, given)
            elif rng.random() < style.nickname:
                given = names.nickname(rng, given)
        if rng.random() < style.spelling:
            family = names.spelling_variant(rng, family)
        if rng.random() < style.typo:
            given = names.typo(rng, given)
        if rng.random() < style.typo:
            family = names.typo(rng, family)
        if person.middle and rng.random() < style.middle:
            given = f"{given} {person.middle}"
        if rng.random() < style.upper_family:
            family = family.upper()
        elif rng.random() < 0.03:
            given, family = given.upper(), family.upper()
        if rng.random() < style.swap_names:
            given, family = family, given
        return given, family

    def _dob(self, style: Style, person: Person) -> str:
        rng = self.rng
        if person.kind == "professional":
            return ""
        missing = style.dob_missing * (3 if person.kind != "child" else 1)
        if person.kind == "public":
            missing = 0.7
        roll = rng.random()
        dob = person.dob
        if roll < missing:
            return ""
        if roll < missing + style.dob_partial * (2 if person.kind != "child" else 1):
            return f"{dob.year:04d}-{dob.month:02d}" if rng.random() < 0.6 else f"{dob.year:04d}"
        if dob.day <= 12 and dob.day != dob.month and rng.random() < style.dob_swap:
            swapped = date(dob.year, dob.day, dob.month)
            # A slip that put a birth after the extract date would be caught at entry.
            return swapped.isoformat() if swapped <= self.world.pop.end else dob.isoformat()
        if rng.random() < 0.01 and not (dob.month == 2 and dob.day == 29):
            wrong_year = dob.replace(year=dob.year + rng.choice((-1, 1)))
            if wrong_year > self.world.pop.end:
                wrong_year = dob.replace(year=dob.year - 1)
            return wrong_year.isoformat()
        return dob.isoformat()

    # -- rows ---------------------------------------------------------------------------------
    def _row(self, template: list[str], record: Record, mention: Mention) -> list[str]:
        row = template.copy()
        person = self.people[mention.pid]
        agency_type = self.world.agencies[record.agency].agency_type
        row[_AT["person_role"]] = mention.role
        row[_AT["indicators"]] = mention.indicators
        row[_AT["person_outcome"]] = mention.outcome
        if mention.sparse:
            # An unidentified person: a fresh nominal the agency cannot tie to anyone yet.
            row[_AT["person_ref"]] = self._new_ref(record.agency, mention.pid)
            row[_AT["phone"]] = mention.phone
            row[_AT["vehicle_registration"]] = fmt.format_vehicle(self.rng, mention.vehicle)
            return row
        ref = self._ref(record.agency, mention.pid)
        row[_AT["person_ref"]] = ref
        view = self._view(record.agency, ref, person)
        for index, value in zip(
            _PERSON_COLUMNS,
            (view.given_names, view.family_name, view.aliases, view.dob, view.sex, view.nhs),
            strict=True,
        ):
            row[index] = value
        row[_AT["restricted"]] = view.restricted
        self._contact(row, agency_type, record.day, person, mention)
        if mention.role != "reporter" and person.kind != "professional":
            self._ethnicity(row, agency_type, person, mention.role)
        return row

    def _contact(
        self, row: list[str], agency_type: str, day: int, person: Person, mention: Mention
    ) -> None:
        rng, style = self.rng, STYLES[agency_type]
        if mention.address is not None or (person.addresses and rng.random() < style.address):
            lagged = day - 200 if rng.random() < 0.1 else day
            address, postcode = mention.address or person.address_on(lagged)
            row[_AT["address"]] = address
            row[_AT["postcode"]] = fmt.format_postcode(rng, postcode) if postcode else ""
        phone = mention.phone or (person.phone_on(day) if rng.random() < style.phone else "")
        if phone:
            row[_AT["phone"]] = fmt.format_phone(rng, phone)
        if person.email and rng.random() < style.email:
            row[_AT["email"]] = person.email if rng.random() < 0.9 else person.email.upper()
        if person.handle and rng.random() < style.handle:
            row[_AT["online_handle"]] = person.handle
        vehicle = mention.vehicle or (person.vehicle if rng.random() < style.vehicle else "")
        if vehicle:
            row[_AT["vehicle_registration"]] = fmt.format_vehicle(rng, vehicle)
        if person.licence and (agency_type == "licensing" or rng.random() < 0.15):
            row[_AT["licence_number"]] = person.licence

    def _ethnicity(self, row: list[str], agency_type: str, person: Person, role: str) -> None:
        rng, recorder = self.rng, RECORDERS[agency_type]
        roll = rng.random()
        if roll < recorder.self_defined:
            row[_AT["ethnicity_self_defined"]] = person.ethnicity
        elif roll < recorder.self_defined + recorder.not_stated:
            row[_AT["ethnicity_self_defined"]] = "NS"
        if role != "witness" and rng.random() < recorder.observed:
            row[_AT["ethnicity_observed"]] = person.observed if rng.random() < 0.95 else "IC9"
        if rng.random() < recorder.nationality:
            row[_AT["nationality"]] = person.nationality
