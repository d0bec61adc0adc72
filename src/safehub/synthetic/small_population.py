"""Small seeded populations with known truth, for tests, doctests and quick benchmarks.

Written as real format-v1 CSV files and read back through ``safehub.extracts`` so the linkage is
tested on exactly what an agency extract becomes. Every variation the matcher must survive
appears: nicknames, transliterations, typos, swapped names, partial and day/month-swapped dates,
moves, duplicate refs inside one agency, siblings (hard negatives), a name-only mention.
"""

from __future__ import annotations

import csv
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from safehub.extracts import Mention, read_extracts
from safehub.extracts.identifiers import nhs_check_digit

HEADER = (
    "agency_code",
    "agency_type",
    "record_id",
    "record_type",
    "record_date",
    "person_ref",
    "person_role",
    "given_names",
    "family_name",
    "aliases",
    "date_of_birth",
    "sex",
    "nhs_number",
    "postcode",
    "phone",
    "email",
    "vehicle_registration",
    "online_handle",
    "ethnicity_self_defined",
    "ethnicity_observed",
    "nationality",
)
AGENCIES = (
    ("POL-WY", "police", "crime_report"),
    ("LA-BRADFORD", "social_care", "referral"),
    ("NHS-BTH", "health", "health_attendance"),
    ("EDU-BRADFORD", "education", "school_concern"),
)
# (formal name, variants another agency might write)
GIVEN = (
    ("Mohammed", ("Muhammad", "Mohamed", "Mohammad")),
    ("Aisha", ("Ayesha", "Aysha")),
    ("Robert", ("Bob", "Rob")),
    ("Elizabeth", ("Liz", "Beth")),
    ("William", ("Bill", "Will")),
    ("Katherine", ("Kate", "Katie")),
    ("Yusuf", ("Yousef", "Yusef")),
    ("Thomas", ("Tom",)),
    ("Olivia", ("Liv",)),
    ("Jack", ()),
    ("Amelia", ("Millie",)),
    ("Oliver", ("Ollie",)),
    ("Fatima", ("Fatimah",)),
    ("Zainab", ("Zaynab",)),
    ("Ibrahim", ("Ebrahim",)),
    ("Grace", ()),
    ("Chloe", ()),
    ("Ryan", ()),
    ("Jessica", ("Jess",)),
    ("Daniel", ("Danny",)),
    ("Kacper", ()),
    ("Zofia", ()),
    ("Chidi", ()),
    ("Amara", ()),
    ("Leon", ()),
    ("Maya", ()),
)
FAMILY = (
    ("Hussain", ("Hussein", "Husain")),
    ("Chowdhury", ("Choudhury",)),
    ("Khan", ()),
    ("Smith", ()),
    ("Jones", ()),
    ("Taylor", ()),
    ("Begum", ()),
    ("Ali", ()),
    ("Brown", ()),
    ("Kowalski", ()),
    ("Okafor", ()),
    ("Campbell", ()),
    ("Wilson", ()),
    ("Ahmed", ("Ahmad",)),
    ("Walker", ()),
    ("Patel", ()),
    ("Nowak", ()),
    ("Mensah", ()),
    ("Clarke", ("Clark",)),
)
ETHNICITY = ("W1", "A2", "A3", "B1", "M1", "NS")
PROTECTED_VALUES = {
    "ethnicity_self_defined": "A2",
    "ethnicity_observed": "IC4",
    "nationality": "GB",
}


@dataclass(slots=True)
class Person:
    true_id: str
    given: tuple[str, tuple[str, ...]]
    family: tuple[str, tuple[str, ...]]
    dob: tuple[int, int, int]
    postcode: str
    nhs: str
    phone: str
    role: str


@dataclass(slots=True)
class SmallPopulation:
    """Mentions read back from the written files, and the truth ``key → true person``."""

    mentions: list[Mention]
    truth: dict[tuple[str, str], str]
    files: list[Path]


def small_population(
    *, seed: int, people: int = 100, out_dir: Path | None = None, suspects: float = 0.1
) -> SmallPopulation:
    """Generate ``people`` true people across four agencies and read them back.

    >>> data = small_population(seed=1, people=20)
    >>> len(set(data.truth.values())) == 20
    True
    """
    rng = random.Random(seed)
    folder = out_dir or Path(tempfile.mkdtemp(prefix="safehub-linkage-test-"))
    population = _population(rng, people, suspects)
    rows: dict[str, list[dict[str, str]]] = {a[0]: [] for a in AGENCIES}
    truth: dict[tuple[str, str], str] = {}
    for person in population:
        for agency, ref, row in _appearances(rng, person):
            rows[agency].extend(row)
            truth[(agency, ref)] = person.true_id
    files = []
    for agency, agency_rows in rows.items():
        path = folder / f"{agency}.csv"
        _write(path, agency_rows)
        files.append(path)
    batch = read_extracts(files)
    if not batch.ok:
        raise RuntimeError(f"generated data does not read back: {batch.errors[:3]}")
    return SmallPopulation(batch.mentions, truth, files)


def _population(rng: random.Random, size: int, suspects: float) -> list[Person]:
    found: list[Person] = []
    while len(found) < size:
        family = rng.choice(FAMILY)
        postcode = f"BD{rng.randint(1, 22)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}"
        # Siblings: same family name and postcode, different given name and birthday.
        count = min(rng.choice((1, 1, 1, 2, 3)), size - len(found))
        for given in rng.sample(GIVEN, count):
            adult = rng.random() < suspects
            year = rng.randint(1970, 1995) if adult else rng.randint(2007, 2014)
            found.append(
                Person(
                    true_id=f"T{len(found) + 1:05d}",
                    given=given,
                    family=family,
                    dob=(year, rng.randint(1, 12), rng.randint(1, 28)),
                    postcode=postcode,
                    nhs=_nhs(rng),
                    phone=f"07700 9{rng.randint(0, 99999):05d}",
                    role="suspect" if adult else rng.choice(("victim", "subject")),
                )
            )
    return found


def _appearances(rng: random.Random, person: Person) -> list[tuple[str, str, list[dict[str, str]]]]:
    agencies = rng.sample(AGENCIES, rng.choice((1, 2, 2, 3, 4)))
    if rng.random() < 0.1:
        agencies.append(agencies[0])  # a second ref for the same person inside one agency
    found = []
    for index, (code, kind, record_type) in enumerate(agencies):
        ref = f"{code[:3]}-{person.true_id}-{index}"
        records = [
            _row(rng, person, code, kind, record_type, ref, n) for n in range(rng.choice((1, 1, 2)))
        ]
        found.append((code, ref, records))
    return found


def _row(
    rng: random.Random, person: Person, code: str, kind: str, record_type: str, ref: str, n: int
) -> dict[str, str]:
    given = _variant(rng, person.given)
    family = _variant(rng, person.family)
    if rng.random() < 0.05:
        given, family = family, given
    if rng.random() < 0.1:
        given = _typo(rng, given)
    strong = person.role != "suspect" or rng.random() < 0.5
    row = {
        "agency_code": code,
        "agency_type": kind,
        "record_id": f"{ref}-R{n}",
        "record_type": record_type,
        "record_date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "person_ref": ref,
        "person_role": person.role,
        "given_names": given if rng.random() > 0.3 else given.upper(),
        "family_name": family,
        "date_of_birth": _dob(rng, person.dob),
        "postcode": person.postcode if rng.random() < 0.8 else "",
        "nhs_number": person.nhs
        if kind in ("health", "social_care") and rng.random() < 0.7
        else "",
        "phone": person.phone if strong and rng.random() < 0.4 else "",
        "ethnicity_self_defined": rng.choice(ETHNICITY),
        "nationality": "GB",
    }
    return row


def _variant(rng: random.Random, name: tuple[str, tuple[str, ...]]) -> str:
    formal, variants = name
    return rng.choice(variants) if variants and rng.random() < 0.4 else formal


def _typo(rng: random.Random, name: str) -> str:
    if len(name) < 4:
        return name
    i = rng.randint(1, len(name) - 2)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def _dob(rng: random.Random, dob: tuple[int, int, int]) -> str:
    year, month, day = dob
    roll = rng.random()
    if roll < 0.05:
        return ""
    if roll < 0.1:
        return f"{year:04d}-{month:02d}"
    if roll < 0.13 and day <= 12:
        return f"{year:04d}-{day:02d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _nhs(rng: random.Random) -> str:
    while True:
        first = f"{rng.randint(400_000_000, 999_999_999)}"
        check = nhs_check_digit(first)
        if check is not None:
            return first + str(check)


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
