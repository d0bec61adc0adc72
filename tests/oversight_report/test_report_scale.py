"""The report at the size of England: every measure of the catalogue, 43 police force areas and
150 local authorities, twelve months. Run by ``bench/oversight_report_bench.py`` (it takes a
minute or two, most of it printing the PDF); skipped in the suite."""

from __future__ import annotations

import os
import random
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from safehub.db.database import Database
from safehub.services.oversight.report import write_report
from tests.oversight_report.conftest import report_data

pytestmark = pytest.mark.skipif(
    not os.environ.get("SAFEHUB_REPORT_BENCH"),
    reason="a benchmark: bench/oversight_report_bench.py",
)
FORCES, COUNCILS = 43, 150
# code, unit, by, kind of area (oversight.md's names)
CATALOGUE = [
    ("referral_decided_1wd", "percent", "area", "local_authority"),
    ("assessment_45wd", "percent", "area", "local_authority"),
    ("strategy_discussion_held", "percent", "area", "local_authority"),
    ("days_report_to_charge", "days", "area", "police_force"),
    ("charge_rate_cse", "percent", "area", "police_force"),
    ("nfa_rate_cse", "percent", "area", "police_force"),
    ("repeat_victimisation", "percent", "area", "local_authority"),
    ("missing_again", "percent", "area", "local_authority"),
    ("victim_treated_as_offender", "count", "area", "police_force"),
    ("language_flag_rate", "percent", "area", "local_authority"),
    ("suspect_ethnicity_recorded", "percent", "agency", "police_force"),
    ("victim_ethnicity_recorded", "percent", "agency", "local_authority"),
    ("suspect_nationality_recorded", "percent", "agency", "police_force"),
    ("victim_nationality_recorded", "percent", "agency", "local_authority"),
    ("group_based_cases", "count", "area", "police_force"),
    ("training_complete", "percent", "agency", "local_authority"),
    ("caseload_per_worker", "per", "agency", "local_authority"),
]


def _measures(db: Database) -> None:
    with db.owner_engine.begin() as conn:
        for order, (code, unit, by, _) in enumerate(CATALOGUE):
            conn.execute(
                text(
                    "INSERT INTO oversight_measure (code, name, definition, numerator, "
                    "denominator, counts, direction, unit, target, near_margin, owner, by, "
                    "sort_order) VALUES (:code, :name, 'd', 'n', :den, 'records', 'higher', "
                    ":unit, 50, 5, 'Owner', :by, :order)"
                ),
                {
                    "code": code,
                    "name": code.replace("_", " ").capitalize(),
                    "den": None if unit == "count" else "events",
                    "unit": "count" if unit == "per" else unit,
                    "by": by,
                    "order": order,
                },
            )


def _facts(seed: int) -> list[dict[str, Any]]:
    draw = random.Random(seed)
    rows = []
    for code, unit, by, kind in CATALOGUE:
        prefix, count = ("E23", FORCES) if kind == "police_force" else ("E08", COUNCILS)
        for n in range(count):
            area = f"{prefix}{n:06d}"
            for month in range(1, 13):
                events = draw.randint(0, 200)
                numerator = {
                    "percent": draw.randint(0, events),
                    "days": draw.uniform(5, 200),
                }.get(unit, draw.randint(0, 300))
                rows.append(
                    {
                        "m": code,
                        "k": kind,
                        "a": area,
                        "n": f"Area {area}",
                        "g": f"AG-{area}" if by == "agency" else "",
                        "p": date(2026, month, 1),
                        "num": numerator,
                        "den": None if unit == "count" else events,
                    }
                )
    return rows


def test_the_report_for_a_year_of_england(app_db: Database, tmp_path: Path) -> None:
    _measures(app_db)
    with app_db.owner_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO oversight_fact (measure_code, area_kind, area_code, area_name, "
                "agency_code, period, numerator, denominator) VALUES (:m, :k, :a, :n, :g, :p, "
                ":num, :den)"
            ),
            _facts(seed=1),
        )
    started = time.perf_counter()
    data = report_data(app_db, "2026")
    built = time.perf_counter()
    stages: dict[str, float] = {}
    files = write_report(
        data, tmp_path / "out", progress=lambda s, d, t: stages.__setitem__(s, time.perf_counter())
    )
    done = time.perf_counter()
    print(
        f"\nfigures {built - started:.1f} s; charts {stages['charts'] - built:.1f} s; "
        f"PDF {stages['pdf'] - stages['areas']:.1f} s; all files {done - built:.1f} s; "
        f"{len(files.area_pages)} area pages; PDF {files.pdf.stat().st_size / 1e6:.1f} MB"
    )
    assert len(files.area_pages) == FORCES + COUNCILS
