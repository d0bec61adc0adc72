"""A group that exists only if two police records of a man are one person.

West Yorkshire Police hold Adam Stone twice: as S-A, a suspect with Amy (CR-1), and as S-A2, a
suspect named in a later report (CR-3) with the phone Barry uses. Name and date of birth agree,
nothing else corroborates it: resolution waits for a person (a pending review pair). Barry is a
suspect with Beth (CR-2). Apart, Adam (S-A) and Barry are each one adult with one child: no
group. Possibly the same, Adam holds Barry's phone: a group of two adults and two children.

A namesake in a refuge (restricted by the police) shares Adam's name and date of birth: never
compared with anyone, never in a pair, never named.
"""

from __future__ import annotations

from tests.factories import extract_row

AREA = "E08000032"
ADAM = {"given_names": "Adam", "family_name": "Stone", "date_of_birth": "1984-02-01"}
BARRY = {
    "given_names": "Barry",
    "family_name": "Hale",
    "date_of_birth": "1987-05-09",
    "phone": "07700 900222",
}


def _record(record: str, day: str) -> dict[str, str]:
    return {
        "record_id": record,
        "record_date": day,
        "area_code": AREA,
        "indicators": "missing;taxis_cars",
    }


def possible_group_rows() -> list[dict[str, str]]:
    one, two = _record("CR-1", "2025-01-10"), _record("CR-2", "2025-02-11")
    three = _record("CR-3", "2025-03-12")
    return [
        extract_row(person_ref="V-1", given_names="Amy", family_name="Doe", **one),
        extract_row(person_ref="S-A", person_role="suspect", **ADAM, **one),
        extract_row(
            person_ref="V-2",
            given_names="Beth",
            family_name="Roe",
            date_of_birth="2011-06-07",
            **two,
        ),
        extract_row(person_ref="S-B", person_role="suspect", **BARRY, **two),
        extract_row(
            person_ref="S-A2", person_role="suspect", phone="07700 900222", **ADAM, **three
        ),
    ]


def restricted_namesake_rows() -> list[dict[str, str]]:
    """Adam's namesake in refuge, restricted by the police."""
    base = _record("CR-4", "2025-03-20")
    return [
        extract_row(person_ref="S-R", person_role="suspect", restricted="Y", **ADAM, **base),
    ]


def barrys_phone_referral_rows() -> list[dict[str, str]]:
    """A referral by Bradford's social care naming Cara and a man with Barry's phone: it touches
    group G0001, which exists only through the pending pair."""
    referral = {
        "agency_code": "LA-BRADFORD",
        "agency_type": "social_care",
        "record_id": "REF-5",
        "record_type": "referral",
        "record_date": "2025-04-01",
        "area_code": AREA,
    }
    return [
        extract_row(person_ref="C-5", given_names="Cara", family_name="Poe", **referral),
        extract_row(
            person_ref="A-5",
            person_role="associate",
            given_names="Lee",
            family_name="Dunn",
            phone=BARRY["phone"],
            **referral,
        ),
    ]
