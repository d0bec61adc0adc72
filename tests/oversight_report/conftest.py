"""Report tests: measures, facts and disparities written as the table owner (the rebuild job's
tables, filled by hand so that every figure the report shows can be worked out on paper)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.agencies import AgencyEntry, register_agencies
from safehub.services.oversight.report import (
    ReportData,
    ReportFiles,
    build_report_data,
    write_report,
)
from tests.access.conftest import module_db

__all__ = ["module_db"]

WY, SY, GM, HU = "E23000010", "E23000011", "E23000005", "E23000012"
BRADFORD, LEEDS = "E08000032", "E08000035"
NAMES = {
    WY: "West Yorkshire",
    SY: "South Yorkshire",
    GM: "Greater Manchester",
    HU: "Humberside",
    BRADFORD: "Bradford",
    LEEDS: "Leeds",
}

# As tests/conftest.py's app_db registers them.
AGENCIES = [
    AgencyEntry("POL-WY", "police", "West Yorkshire Police", "E23000010", "West Yorkshire"),
    AgencyEntry(
        "LA-BRADFORD", "social_care", "Bradford Children's Social Care", "E08000032", "Bradford"
    ),
]
_COLUMNS = ("code", "name", "unit", "direction", "target", "near_margin", "by", "denominator")
MEASURES: list[dict[str, Any]] = [
    dict(zip(_COLUMNS, values, strict=True))
    for values in [
        (
            "charge_rate_cse",
            "Charge rate for exploitation offences",
            "percent",
            "higher",
            30.0,
            5.0,
            "area",
            "offences",
        ),
        (
            "days_report_to_charge",
            "Time from first report to charge",
            "days",
            "lower",
            90.0,
            10.0,
            "area",
            "charges",
        ),
        (
            "victim_treated_as_offender",
            "Children treated as offenders",
            "count",
            "lower",
            None,
            0.0,
            "area",
            None,
        ),
        (
            "referral_decided_1wd",
            "Referrals decided within 1 working day",
            "percent",
            "higher",
            95.0,
            5.0,
            "area",
            "referrals",
        ),
        (
            "suspect_ethnicity_recorded",
            "Suspect ethnicity recorded",
            "percent",
            "higher",
            90.0,
            5.0,
            "agency",
            "suspects",
        ),
        (
            "caseload_per_worker",
            "Caseload per worker",
            "count",
            "lower",
            15.0,
            2.0,
            "agency",
            None,  # no words for its denominator: per worker because its facts carry one
        ),
    ]
]


@dataclass(frozen=True)
class Fact:
    measure: str
    area: str
    month: int
    numerator: float
    denominator: float | None
    agency: str = ""
    year: int = 2026

    @property
    def kind(self) -> str:
        return "police_force" if self.area.startswith("E23") else "local_authority"


# Worked by hand in the tests: West Yorkshire's charges 12/20 in January and 30/40 in February
# make 42/60 = 70.0% for the year (the mean of 60% and 75% would be 67.5%); its median days 10
# over 20 charges and 40 over 60 make (200 + 2400) / 80 = 32.5 (the plain mean would be 25).
FACTS = [
    Fact("charge_rate_cse", WY, 1, 12, 20),
    Fact("charge_rate_cse", WY, 2, 30, 40),
    Fact("charge_rate_cse", SY, 1, 3, 8),  # 8 offences: a small count, "c"
    # 15 offences: published alone, but withheld beside South Yorkshire's 8, or the national
    # total would give South Yorkshire's away (secondary suppression).
    Fact("charge_rate_cse", HU, 1, 10, 15),
    Fact("charge_rate_cse", GM, 1, 15, 50),
    Fact("charge_rate_cse", GM, 3, 25, 50),
    Fact("days_report_to_charge", WY, 1, 10, 20),
    Fact("days_report_to_charge", WY, 2, 40, 60),
    Fact("days_report_to_charge", GM, 2, 120, 35),
    Fact("victim_treated_as_offender", WY, 1, 7, None),  # 7 children: "c"
    Fact("victim_treated_as_offender", GM, 1, 12, None),
    Fact("victim_treated_as_offender", GM, 2, 11, None),
    # Counted where a council holds the record: part of the national figure, on Leeds's page.
    Fact("victim_treated_as_offender", LEEDS, 3, 40, None),
    Fact("referral_decided_1wd", BRADFORD, 1, 180, 200),
    Fact("referral_decided_1wd", LEEDS, 1, 97, 100),
    Fact("suspect_ethnicity_recorded", WY, 1, 40, 120, agency="POL-WY"),
    Fact("suspect_ethnicity_recorded", BRADFORD, 1, 55, 60, agency="LA-BRADFORD"),
    Fact("caseload_per_worker", BRADFORD, 1, 340, 20, agency="LA-BRADFORD"),
    Fact("caseload_per_worker", WY, 1, 36, 4, agency="POL-WY"),  # 4 workers: "c"
    # Another year: never part of 2026's figures.
    Fact("charge_rate_cse", WY, 12, 1, 100, year=2025),
]

TEST = "log-rank test stratified by area; Holm correction over 6 comparisons"
SMALL = "not in the test: fewer than 10 cases"
NOT_STATED = "not in the test: recording, not outcomes, differs"
# As the disparity build stores them: every group in a significant dimension's test is flagged;
# groups left out of the test have no p value and say why.
DISPARITIES = [
    # (measure, dimension, group, n, value, low, high, p, flagged, test)
    ("crime_to_charge", "suspect_ethnicity", "Asian", 140, 61.0, 52.0, 70.0, 0.002, True, TEST),
    ("crime_to_charge", "suspect_ethnicity", "White", 300, 40.0, 35.0, 45.0, 0.002, True, TEST),
    (
        "crime_to_charge",
        "suspect_ethnicity",
        "Not stated",
        420,
        44.0,
        40.0,
        49.0,
        None,
        False,
        NOT_STATED,
    ),
    ("crime_to_charge", "suspect_ethnicity", "Black", 6, 50.0, 20.0, 80.0, None, False, SMALL),
    # In the test, but withheld beside Black's 6: never named with its figure.
    ("crime_to_charge", "suspect_ethnicity", "Mixed", 13, 90.0, 15.0, 120.0, 0.002, True, TEST),
    ("crime_nfa", "victim_sex", "Female", 380, 31.0, 26.5, 35.8, 0.41, False, TEST),
    ("crime_nfa", "victim_sex", "Male", 95, 27.0, 19.0, 36.8, 0.41, False, TEST),
]


def insert_measures(db: Database, measures: list[dict[str, Any]] = MEASURES) -> None:
    with db.owner_engine.begin() as conn:
        for i, m in enumerate(measures):
            conn.execute(
                text(
                    "INSERT INTO oversight_measure (code, name, definition, numerator, "
                    "denominator, counts, direction, unit, target, near_margin, owner, by, "
                    "sort_order) VALUES (:code, :name, :definition, :numerator, :denominator, "
                    ":counts, :direction, :unit, :target, :near_margin, :owner, :by, :sort)"
                ),
                {
                    **m,
                    "definition": f"How {m['name'].lower()} is measured",
                    "numerator": "the events that count",
                    "counts": "crime reports and referrals",
                    "owner": f"Owner of {m['code']}",
                    "sort": i,
                },
            )


def insert_facts(db: Database, facts: list[Fact] = FACTS) -> None:
    with db.owner_engine.begin() as conn:
        for f in facts:
            conn.execute(
                text(
                    "INSERT INTO oversight_fact (measure_code, area_kind, area_code, area_name, "
                    "agency_code, period, numerator, denominator) VALUES (:m, :k, :a, :n, :g, "
                    ":p, :num, :den)"
                ),
                {
                    "m": f.measure,
                    "k": f.kind,
                    "a": f.area,
                    "n": NAMES[f.area],
                    "g": f.agency,
                    "p": date(f.year, f.month, 1),
                    "num": f.numerator,
                    "den": f.denominator,
                },
            )


def insert_disparities(db: Database, period: str = "2026") -> None:
    with db.owner_engine.begin() as conn:
        for m, dim, group, n, value, low, high, p, flagged, test in DISPARITIES:
            conn.execute(
                text(
                    "INSERT INTO oversight_disparity (period, measure_code, dimension, "
                    "group_label, n, value, ci_low, ci_high, p_value, flagged, test) VALUES "
                    "(:period, :m, :d, :g, :n, :v, :lo, :hi, :p, :f, :t)"
                ),
                {
                    "period": period,
                    "m": m,
                    "d": dim,
                    "g": group,
                    "n": n,
                    "v": value,
                    "lo": low,
                    "hi": high,
                    "p": p,
                    "f": flagged,
                    "t": test,
                },
            )


def report_data(db: Database, period: str) -> ReportData:
    with unit_of_work(db, actor=Actor(label="system:oversight-report")) as uow:
        return build_report_data(uow, period=period)


@pytest.fixture
def filled_db(app_db: Database) -> Database:
    insert_measures(app_db)
    insert_facts(app_db)
    insert_disparities(app_db)
    return app_db


@pytest.fixture
def year_data(filled_db: Database) -> ReportData:
    return report_data(filled_db, "2026")


@pytest.fixture(scope="module")
def written(
    module_db: Database, tmp_path_factory: pytest.TempPathFactory
) -> tuple[ReportFiles, list[Any]]:
    """The report written once for a module's tests (a PDF takes seconds to print)."""
    with unit_of_work(module_db, actor=Actor(label="system:test")) as uow:
        register_agencies(uow, entries=AGENCIES)
        uow.commit()
    insert_measures(module_db)
    insert_facts(module_db)
    insert_disparities(module_db)
    told: list[Any] = []
    files = write_report(
        report_data(module_db, "2026"),
        tmp_path_factory.mktemp("report") / "out",
        progress=lambda s, d, t: told.append((s, d, t)),
    )
    return files, told
