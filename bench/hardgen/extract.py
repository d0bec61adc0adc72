"""From records to format-v1 rows: person_refs (with the duplicates real systems hold), record
ids, and the cells of each person as the agency wrote them."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bench.hardgen import names
from bench.hardgen.agencies import HABITS, Habits, habits_for, kind_of
from bench.hardgen.lifecycle import OUTSIDE_LICENSING
from bench.hardgen.people import Person
from bench.hardgen.places import AREAS
from bench.hardgen.render import (
    Form,
    address_text,
    email_text,
    ethnicity_cells,
    name_cells,
    nhs_text,
    phone_text,
    postcode_text,
    recorded_dob,
    register,
    vehicle_text,
)
from bench.hardgen.world import Mention, Record, World

_REF_DIGITS = {
    "police": 7,
    "social_care": 6,
    "health": 7,
    "education": 12,
    "licensing": 5,
    "voluntary": 5,
    "community": 6,
}
_RECORD_CODES = {
    "crime_report": "CR",
    "intelligence": "IN",
    "missing_episode": "MP",
    "referral": "REF",
    "assessment": "ASM",
    "health_attendance": "ATT",
    "school_concern": "SC",
    "licence": "LIC",
    "community_report": "PUB",
}


@dataclass(slots=True)
class Truth:
    """Which true person each agency person_ref is, and whether any row names them."""

    refs: dict[tuple[str, str], str] = field(default_factory=dict)
    named: dict[tuple[str, str], bool] = field(default_factory=dict)


@dataclass(slots=True)
class Extracts:
    """Rows per agency (cells as written) and the truth behind them."""

    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    truth: Truth = field(default_factory=Truth)


def build_extracts(world: World) -> Extracts:
    rng = world.rng("extracts")
    out = Extracts()
    forms: dict[tuple[str, str], list[Form]] = {}
    serials: dict[tuple[str, str], int] = {}
    order = sorted(
        range(len(world.records)), key=lambda i: (world.records[i].agency, world.records[i].day, i)
    )
    for index in order:
        record = world.records[index]
        if not record.mentions:
            continue
        kind = kind_of(record.agency)
        habits = habits_for(kind, world.settings.no_dob_agencies)
        out.columns[record.agency] = habits.columns
        record.record_id = _record_id(record, serials)
        for mention in record.mentions:
            form = _form_for(world, forms, record, mention, habits, rng, out.truth)
            row = _record_cells(record) | {"person_ref": form.ref, "person_role": mention.role}
            row |= person_cells(world, record, mention, form, habits, rng)
            out.rows.setdefault(record.agency, []).append(row)
            _note_roles(world.people[mention.pid], record, mention)
    return out


def _record_id(record: Record, serials: dict[tuple[str, str], int]) -> str:
    code = _RECORD_CODES.get(record.record_type, "REC")
    key = (record.agency, code)
    serials[key] = serials.get(key, 0) + 1
    kind = kind_of(record.agency)
    if kind == "police":
        return f"{record.agency[4:]}-{code}-{record.day:%y}-{serials[key]:06d}"
    if kind == "health":
        return f"{code}{record.day:%y}{serials[key]:07d}"
    return f"{code}-{serials[key]:07d}"


def _record_cells(record: Record) -> dict[str, str]:
    area = AREAS[record.area].gss if record.area in AREAS else OUTSIDE_LICENSING[1]
    cells = {
        "agency_code": record.agency,
        "agency_type": kind_type(record.agency),
        "record_id": record.record_id,
        "record_type": record.record_type,
        "record_date": record.day.isoformat(),
        "area_code": area,
        "outcome": record.outcome,
        "narrative": record.narrative,
        "offence_code": record.offence,
        "group_based": "Y" if record.group_based else "",
        "intel_grading": record.grading,
    }
    if record.location:
        cells["location_name"], cells["location_postcode"] = record.location
    return cells


def kind_type(agency: str) -> str:
    return HABITS[kind_of(agency)].agency_type


def _form_for(
    world: World,
    forms: dict[tuple[str, str], list[Form]],
    record: Record,
    mention: Mention,
    habits: Habits,
    rng: random.Random,
    truth: Truth,
) -> Form:
    """The person_ref this mention is filed under: a known one, or a new (perhaps duplicate) one."""
    p = world.people[mention.pid]
    key = (record.agency, mention.pid)
    known = forms.get(key, [])
    # Staff named at work are kept tidier than the public: far fewer duplicate records of them.
    staff = 0.1 if mention.professional else 1.0
    duplicate = rng.random() < habits.duplicate * world.settings.duplicate_ref_scale * staff
    if mention.unnamed:
        form = _new_form(world, p, record, mention, habits, rng, "UNK")
    elif known and not duplicate:
        form = known[-1] if rng.random() < 0.8 else rng.choice(known)
    else:
        form = _new_form(world, p, record, mention, habits, rng, None)
        forms.setdefault(key, []).append(form)
    ref_key = (record.agency, form.ref)
    truth.refs[ref_key] = mention.pid
    truth.named[ref_key] = truth.named.get(ref_key, False) or not mention.unnamed
    return form


def _new_form(
    world: World,
    p: Person,
    record: Record,
    mention: Mention,
    habits: Habits,
    rng: random.Random,
    prefix: str | None,
) -> Form:
    s = world.settings
    digits = _REF_DIGITS[habits.kind]
    if habits.kind == "education" and p.is_adult_on(record.day):
        ref = world.pool.ref("C", 7)
    else:
        ref = world.pool.ref(prefix or habits.ref_prefix, digits)
    form = register(p, habits, s, rng, ref)
    if mention.professional or mention.unnamed:
        form.known_as = form.nickname is not None and rng.random() < 0.5
        return form
    child = p.is_child_on(record.day)
    chance = habits.dob_child if child else habits.dob_adult
    if mention.role == "suspect" and habits.kind == "police":
        chance = max(chance, 0.92)
    form.dob = recorded_dob(p, s, rng, chance)
    nhs_chance = (habits.nhs_child if child else habits.nhs_adult) * s.identifier_scale
    if p.nhs and rng.random() < nhs_chance:
        form.nhs = _nhs_for(world, p, rng)
    return form


def _nhs_for(world: World, p: Person, rng: random.Random) -> str:
    s = world.settings
    mother = world.people.get(p.mother or "")
    if mother is not None and mother.nhs and rng.random() < s.mother_nhs_rate:
        return nhs_text(rng, mother.nhs, False)
    assert p.nhs is not None
    return nhs_text(rng, p.nhs, rng.random() < s.bad_identifier_rate)


def person_cells(
    world: World, record: Record, mention: Mention, form: Form, habits: Habits, rng: random.Random
) -> dict[str, str]:
    """The cells describing one person in one record, as this agency fills them in."""
    p = world.people[mention.pid]
    if mention.unnamed:
        return _unnamed_cells(p, mention, rng)
    given, family = name_cells(p, form, record.day)
    if rng.random() < world.settings.typo_rate * 0.15 * habits.typo:
        given = names.typo(rng, given)
    cells = {"given_names": given, "family_name": family}
    if mention.professional:
        cells["phone"] = (
            phone_text(rng, p.work_phone or "", False)
            if p.work_phone and rng.random() < 0.6
            else ""
        )
        cells["email"] = p.work_email or "" if rng.random() < 0.5 else ""
        return cells
    cells |= {"date_of_birth": form.dob, "sex": form.sex, "nhs_number": form.nhs}
    cells |= _contact_cells(world, record, mention, p, habits, rng)
    cells |= ethnicity_cells(p, habits, world.settings, rng)
    if habits.kind == "police" and p.aliases and rng.random() < world.settings.alias_rate * 2:
        cells["aliases"] = "; ".join(p.aliases)
    cells["indicators"] = ";".join(mention.indicators)
    cells["person_outcome"] = mention.person_outcome
    cells["restricted"] = "Y" if p.restricted else ""
    return cells


def _unnamed_cells(p: Person, mention: Mention, rng: random.Random) -> dict[str, str]:
    cells = {"sex": p.sex if rng.random() < 0.8 else ""}
    if mention.vehicle:
        cells["vehicle_registration"] = vehicle_text(rng, mention.vehicle)
    if mention.phone:
        cells["phone"] = phone_text(rng, mention.phone, False)
    return cells


def _contact_cells(
    world: World, record: Record, mention: Mention, p: Person, habits: Habits, rng: random.Random
) -> dict[str, str]:
    s = world.settings
    day, cells = record.day, {}
    bad = s.bad_identifier_rate
    scale = s.identifier_scale
    stale = rng.random() < s.stale_rate
    address = mention.address or p.address_on(day, stale)
    if address is not None and rng.random() < habits.address * scale:
        town = AREAS[address.area].name if address.area in AREAS else ""
        cells["address"] = address_text(rng, address.line, town)
        cells["postcode"] = postcode_text(rng, address.postcode, rng.random() < bad)
    phones = [mention.phone] if mention.phone else []
    phones += _phones(world, record, p, habits, rng, stale)
    if phones:
        cells["phone"] = "; ".join(
            phone_text(rng, x, rng.random() < bad) for x in dict.fromkeys(phones)
        )
    email = _email(world, record, p, habits, rng)
    if email:
        cells["email"] = email_text(rng, email, rng.random() < bad)
    car = mention.vehicle or (p.vehicle_on(day) if rng.random() < habits.vehicle * scale else None)
    if car:
        cells["vehicle_registration"] = vehicle_text(rng, car)
    cells["licence_number"] = _licence(record, p, habits, rng)
    if p.handles and rng.random() < habits.handle * scale:
        cells["online_handle"] = p.handles[0]
    return cells


def _phones(
    world: World, record: Record, p: Person, habits: Habits, rng: random.Random, stale: bool
) -> list[str]:
    """A child's record often carries a parent's phone or the home landline instead of theirs."""
    s = world.settings
    if rng.random() >= habits.phone * s.identifier_scale:
        return []
    child = p.is_child_on(record.day)
    if (
        child
        and habits.kind in ("education", "health", "social_care")
        and rng.random() < s.shared_phone_rate
    ):
        mother = world.people.get(p.mother or "")
        shared = mother.phone_on(record.day) if mother else None
        return (
            [shared or world.households[p.household].landline or ""]
            if (shared or world.households[p.household].landline)
            else []
        )
    own = p.phone_on(record.day, stale)
    return [own] if own else []


def _email(
    world: World, record: Record, p: Person, habits: Habits, rng: random.Random
) -> str | None:
    if rng.random() >= habits.email * world.settings.identifier_scale:
        return None
    if p.is_child_on(record.day) and habits.kind == "education":
        mother = world.people.get(p.mother or "")
        return mother.email if mother else None
    return p.email


def _licence(record: Record, p: Person, habits: Habits, rng: random.Random) -> str:
    if not p.licences:
        return ""
    if habits.kind == "licensing":  # a premises licence (a location) is not the driver's licence
        return "" if record.location else p.licences.get(record.agency, "")
    if habits.kind == "police" and rng.random() < 0.3:
        return next(iter(sorted(p.licences.values())))
    return ""


def _note_roles(p: Person, record: Record, mention: Mention) -> None:
    p.roles.add(mention.role)
    if record.area in AREAS:
        p.areas.add(record.area)
