"""How an agency writes a person down: a ``Form`` fixed when it opens its record of them (the
person_ref), and the cells of each mention (address and phone as of the record's date).

Everything an engine sees of a person comes through here, so every kind of error is too: name
variants and slips, wrong dates of birth, reformatted or stale identifiers, a parent's phone on a
child's record, a mother's NHS number keyed on her child.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from bench.hardgen import names
from bench.hardgen.agencies import Habits
from bench.hardgen.idgen import ascii_fold
from bench.hardgen.names_data import COMMUNITIES
from bench.hardgen.people import Person
from bench.hardgen.settings import Settings

_ABBREVIATIONS = {" Street": " St", " Road": " Rd", " Avenue": " Ave", " Lane": " Ln"}
_TODAY = date.today()


@dataclass(slots=True)
class Form:
    """The choices one agency made when it first recorded one person."""

    ref: str
    known_as: bool = False
    drop_first: bool = False
    nickname: str | None = None
    spelling: dict[str, str] = field(default_factory=dict)
    middle: bool = True
    typo_seed: int | None = None
    typo_family: bool = False
    swap: bool = False
    initial: bool = False
    upper: bool = False
    fold: bool = True
    surname_part: int = 0  # 0 full, 1 first part, 2 last part, 3 space for hyphen
    stale_family: bool = False
    dob: str = ""
    sex: str = ""
    nhs: str = ""
    suffix: str = ""  # "Jnr" on a son named after his father, as some police systems keep it


def register(p: Person, habits: Habits, s: Settings, rng: random.Random, ref: str) -> Form:
    """Fix how this agency writes ``p`` for the life of ``ref``."""
    form = Form(ref, upper=rng.random() < habits.upper, fold=rng.random() < habits.fold)
    form.known_as = p.goes_by is not None and rng.random() < habits.informal * 2
    form.drop_first = rng.random() < s.known_by_middle_rate * 2
    short = names.nicknames(p.given[0])
    if short and rng.random() < s.nickname_rate * habits.informal * 3:
        form.nickname = rng.choice(short)
    for token in [*p.given, *p.family.replace("-", " ").split()]:
        other = names.spellings(token)
        if other and rng.random() < s.spelling_variant_rate:
            form.spelling[token] = rng.choice(other)
    form.middle = rng.random() < habits.middle * (1 - s.middle_name_drop_rate / 2)
    if rng.random() < s.typo_rate * habits.typo:
        form.typo_seed, form.typo_family = rng.randrange(1 << 30), rng.random() < 0.5
    form.swap = rng.random() < s.swap_rate * _swap_weight(p)
    form.initial = rng.random() < s.initial_rate
    form.surname_part = rng.choices((0, 1, 2, 3), (0.55, 0.15, 0.2, 0.1))[0]
    form.stale_family = rng.random() < s.stale_rate
    form.sex = p.sex if rng.random() < habits.sex else ""
    if p.junior_of and habits.kind == "police" and rng.random() < 0.3:
        form.suffix = "Jnr"
    return form


def _swap_weight(p: Person) -> float:
    """Family-name-first naming traditions get swapped more often."""
    return 4.0 if p.community in ("east_asian", "roma", "kurdish_arab") else 1.0


def name_cells(p: Person, form: Form, day: date) -> tuple[str, str]:
    """(given_names, family_name) as this agency writes them on ``day``."""
    tokens = list(p.given)
    if form.known_as and p.goes_by:
        tokens = [p.goes_by]
    elif form.drop_first and len(tokens) > 1 and names.is_devotional(tokens[0]):
        tokens = tokens[1:]
    elif form.nickname:
        tokens[0] = form.nickname
    if not form.middle:
        tokens = tokens[:1]
    given = " ".join(form.spelling.get(t, t) for t in tokens)
    family = _family(p, form, day)
    if form.suffix:
        family = f"{family} {form.suffix}"
    if form.typo_seed is not None:
        slip = random.Random(form.typo_seed)
        if form.typo_family:
            family = names.typo(slip, family)
        else:
            given = names.typo(slip, given)
    if form.initial:
        given = given[0]
    if form.swap:
        given, family = family, given.split(" ")[0]
    if form.fold:
        given, family = ascii_fold(given), ascii_fold(family)
    if form.upper:
        given, family = given.upper(), family.upper()
    return given, family


def _family(p: Person, form: Form, day: date) -> str:
    family = p.family_on(day - timedelta(days=3650) if form.stale_family else day)
    parts = family.replace("-", " ").split()
    if len(parts) > 1 and form.surname_part:
        family = (parts[0], parts[-1], " ".join(parts))[form.surname_part - 1]
    return " ".join(form.spelling.get(t, t) for t in family.split(" "))


def recorded_dob(p: Person, s: Settings, rng: random.Random, chance: float) -> str:
    """The date of birth an agency holds: often right, sometimes wrong in the usual ways."""
    if rng.random() < min(1.0, (1 - chance) * s.dob_missing_scale):
        return ""
    if rng.random() >= s.dob_error_rate:
        return p.dob.isoformat()
    return wrong_dob(p.dob, rng)


def wrong_dob(dob: date, rng: random.Random) -> str:
    """Day and month swapped, one digit wrong, only the year or month, 1 January, a year out."""
    kind = rng.randrange(6)
    try:
        if kind == 0 and dob.day <= 12 and dob.day != dob.month:
            return date(dob.year, dob.day, dob.month).isoformat()
        if kind == 1:
            day = (dob.day // 10) * 10 + rng.randint(1, 9)
            return min(date(dob.year, dob.month, day), _TODAY).isoformat()
        if kind == 2:
            return str(dob.year)
        if kind == 3:
            return f"{dob.year}-{dob.month:02d}"
        if kind == 4:
            return f"{dob.year}-01-01"
        return min(
            date(dob.year + rng.choice((-1, 1)), dob.month, min(dob.day, 28)), _TODAY
        ).isoformat()
    except ValueError:
        return dob.isoformat()


def phone_text(rng: random.Random, number: str, bad: bool) -> str:
    """A UK number in one of the ways people write it; ``bad`` drops a digit."""
    if bad:
        number = number[:-1]
    if not number.startswith("07"):
        return rng.choice((number, f"{number[:5]} {number[5:]}"))
    rest = number[1:]
    return rng.choice(
        (
            number,
            f"{number[:5]} {number[5:]}",
            f"+44 {rest[:4]} {rest[4:]}",
            f"+44{rest}",
            f"({number[:5]}) {number[5:8]} {number[8:]}",
            f"0044 {rest}",
        )
    )


def postcode_text(rng: random.Random, code: str, bad: bool) -> str:
    if bad:
        return code.replace("0", "O") if "0" in code else code + "X"
    return rng.choice((code, code, code.replace(" ", ""), code.lower(), code.replace(" ", "  ")))


def address_text(rng: random.Random, line: str, town: str) -> str:
    if rng.random() < 0.3:
        for long, short in _ABBREVIATIONS.items():
            line = line.replace(long, short)
    if rng.random() < 0.3:
        line = f"{line}, {town}"
    return line.upper() if rng.random() < 0.2 else line


def nhs_text(rng: random.Random, number: str, bad: bool) -> str:
    if bad:
        i = rng.randrange(9)
        number = number[:i] + str((int(number[i]) + rng.randint(1, 9)) % 10) + number[i + 1 :]
    return rng.choice(
        (
            number,
            f"{number[:3]} {number[3:6]} {number[6:]}",
            f"{number[:3]}-{number[3:6]}-{number[6:]}",
        )
    )


def vehicle_text(rng: random.Random, mark: str) -> str:
    return rng.choice((mark, mark.replace(" ", ""), mark.lower()))


def email_text(rng: random.Random, email: str, bad: bool) -> str:
    if bad:
        return email.replace("@", " at ")
    return email.upper() if rng.random() < 0.05 else email


def ethnicity_cells(p: Person, habits: Habits, s: Settings, rng: random.Random) -> dict[str, str]:
    """Recorded for oversight only, sparsely; "NS" (not stated) kept apart from an empty cell."""
    cells: dict[str, str] = {}
    if rng.random() < habits.ethnicity * s.ethnicity_scale:
        cells["ethnicity_self_defined"] = "NS" if rng.random() < 0.12 else p.ethnicity
    if rng.random() < habits.observed * s.ethnicity_scale:
        observed = COMMUNITIES[p.community].observed
        cells["ethnicity_observed"] = (
            observed if rng.random() < 0.85 else rng.choice(("IC9", "IC1", "IC2", "IC4", "IC6"))
        )
    if rng.random() < habits.nationality * s.ethnicity_scale:
        cells["nationality"] = p.nationality
    return cells
