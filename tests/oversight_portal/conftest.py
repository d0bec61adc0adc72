"""Facts, measures and disparities for the oversight portal's tests, written as the table owner
(the rebuild job that writes them in production is another branch's), and a case file with
names and identifiers in it for the audit sample."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from safehub.db.database import Database
from tests.factories import extract_row
from tests.web.conftest import PageClient, client, signed_in

__all__ = ["client", "signed_in"]

BRADFORD = ("local_authority", "E08000032", "Bradford")
KIRKLEES = ("local_authority", "E08000034", "Kirklees")
WEST_YORKSHIRE = ("police_force", "E23000010", "West Yorkshire")

MEASURES = [
    # code, name, unit, direction, target, near margin, owner, sort
    (
        "referral_decided_1wd",
        "Referrals decided within 1 working day",
        "percent",
        "higher",
        90.0,
        5.0,
        "Director of children's services",
        1,
    ),
    (
        "days_report_to_charge",
        "Days from first report to charge",
        "days",
        "lower",
        60.0,
        10.0,
        "Chief constable",
        2,
    ),
    (
        "victim_treated_as_offender",
        "Victims treated as offenders",
        "count",
        "lower",
        None,
        0.0,
        "Police and crime commissioner",
        3,
    ),
]

# (measure, area, month, numerator, denominator)
FACTS = [
    # Bradford decides 95% of 200 referrals in time in January, 80 of 100 in February: 175/300.
    ("referral_decided_1wd", BRADFORD, date(2025, 1, 1), 190, 200),
    ("referral_decided_1wd", BRADFORD, date(2025, 2, 1), 80, 100),
    # Kirklees: 3 of 4, too few to publish.
    ("referral_decided_1wd", KIRKLEES, date(2025, 1, 1), 3, 4),
    ("days_report_to_charge", WEST_YORKSHIRE, date(2025, 1, 1), 70.0, 40),
    ("victim_treated_as_offender", BRADFORD, date(2025, 1, 1), 12, None),
    ("victim_treated_as_offender", KIRKLEES, date(2025, 1, 1), 4, None),
    # Another year, which a 2025 period must not count.
    ("referral_decided_1wd", BRADFORD, date(2024, 6, 1), 10, 1000),
]

DISPARITIES = [
    # measure, dimension, group, n, value, ci_low, ci_high, p, flagged
    ("crime_nfa", "suspect_ethnicity", "Asian", 120, 0.62, 0.53, 0.70, 0.001, True),
    ("crime_nfa", "suspect_ethnicity", "White", 300, 0.41, 0.36, 0.47, 0.001, False),
    ("crime_nfa", "suspect_ethnicity", "Mixed", 6, 0.5, 0.19, 0.81, 0.001, False),
    ("crime_nfa", "victim_sex", "F", 200, 0.45, 0.38, 0.52, 0.62, False),
    ("crime_nfa", "victim_sex", "M", 40, 0.48, 0.33, 0.63, 0.62, False),
]


def add_facts(db: Database) -> None:
    with db.owner_engine.begin() as conn:
        for code, name, unit, direction, target, margin, owner, order in MEASURES:
            conn.execute(
                text(
                    "INSERT INTO oversight_measure (code, name, definition, numerator, "
                    "denominator, counts, direction, unit, target, near_margin, owner, by, "
                    "sort_order) VALUES (:c, :n, :d, 'counted', 'all', 'records', :dir, :u, :t, "
                    ":m, :o, 'area', :s)"
                ),
                {
                    "c": code,
                    "n": name,
                    "d": f"{name}, as the strategy defines it",
                    "dir": direction,
                    "u": unit,
                    "t": target,
                    "m": margin,
                    "o": owner,
                    "s": order,
                },
            )
        for code, (kind, area, area_name), month, num, den in FACTS:
            conn.execute(
                text(
                    "INSERT INTO oversight_fact (measure_code, area_kind, area_code, area_name, "
                    "agency_code, period, numerator, denominator) "
                    "VALUES (:c, :k, :a, :n, '', :p, :num, :den)"
                ),
                {
                    "c": code,
                    "k": kind,
                    "a": area,
                    "n": area_name,
                    "p": month,
                    "num": num,
                    "den": den,
                },
            )
        for measure, dim, group, n, value, low, high, p, flagged in DISPARITIES:
            conn.execute(
                text(
                    "INSERT INTO oversight_disparity (period, measure_code, dimension, "
                    "group_label, n, value, ci_low, ci_high, p_value, flagged, test) VALUES "
                    "('2025', :m, :d, :g, :n, :v, :lo, :hi, :p, :f, "
                    "'chi-square, Holm-corrected')"
                ),
                {
                    "m": measure,
                    "d": dim,
                    "g": group,
                    "n": n,
                    "v": value,
                    "lo": low,
                    "hi": high,
                    "p": p,
                    "f": flagged,
                },
            )


@pytest.fixture
def facts(app_db: Database) -> Database:
    add_facts(app_db)
    return app_db


@pytest.fixture
def inspector(signed_in: Callable[..., PageClient], facts: Database) -> PageClient:
    return signed_in("oversight_inspector", "LA-BRADFORD")


# A case file with everything that must not reach the oversight body.
CHILD_GIVEN, CHILD_FAMILY = "Ayesha", "Hussein"
SUSPECT_GIVEN, SUSPECT_FAMILY = "Mohammed", "Khan"
SECRETS = (
    "Ayesha",
    "Hussein",
    "Mohammed",
    "Khan",
    "07700 900123",
    "YX19 ABC",
    "BD8 7AB",
    "tariq99@example.com",
    "12 Manningham Lane",
    "Test social_worker",
    "social_worker@la-bradford",
    "Tariq",
)
NOTE = (
    "Ayesha Hussein told me her boyfriend Tariq (07700 900123, tariq99@example.com) picks her up "
    "in YX19 ABC and takes her to 12 Manningham Lane, Bradford BD8 7AB. Mohammed Khan was there."
)


@dataclass(frozen=True)
class CaseOnFile:
    case_id: int
    reference: str


@pytest.fixture
def case_on_file(app_db: Database, tmp_path: Path, make_user: Callable[..., str]) -> CaseOnFile:
    from tests.web.helpers import case_for, import_rows, person_id

    import_rows(
        app_db,
        tmp_path,
        [
            extract_row(
                given_names=CHILD_GIVEN,
                family_name=CHILD_FAMILY,
                narrative="Found in a car with an adult male.",
                phone="07700 900123",
            ),
            extract_row(
                person_ref="P-2",
                person_role="suspect",
                given_names=SUSPECT_GIVEN,
                family_name=SUSPECT_FAMILY,
                date_of_birth="1990",
                vehicle_registration="YX19 ABC",
            ),
        ],
    )
    worker = make_user("social_worker", "LA-BRADFORD")
    case_id = case_for(app_db, [person_id(app_db, "POL-WY", "P-1")], [worker])
    with app_db.owner_engine.begin() as conn:
        user_id = conn.execute(
            text("SELECT id FROM app_user WHERE username = :u"), {"u": worker}
        ).scalar_one()
        conn.execute(
            text(
                "INSERT INTO case_note (case_id, author_user_id, body, version) VALUES (:c, :u, :b, 1)"
            ),
            {"c": case_id, "u": user_id, "b": NOTE},
        )
        reference = conn.execute(
            text("SELECT reference FROM safeguarding_case WHERE id = :c"), {"c": case_id}
        ).scalar_one()
    return CaseOnFile(case_id, reference)
