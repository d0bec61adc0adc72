"""Benchmark: rebuilding oversight's facts for 1,000,000 cases in <= 60 s (issue 17).

Run from the repository root:

    .venv/bin/python bench/oversight_facts_bench.py                 # 1,000,000 cases
    .venv/bin/python bench/oversight_facts_bench.py --cases 100000

A "case" here is one crime report. The rows are generated straight into the tables with SQL
``generate_series`` (not through the import: that is benchmarked on its own), as the owner, in a
throwaway embedded PostgreSQL, seeded (``setseed``) so runs are comparable. For N cases:
N crime reports over two years across 10 police forces (60% exploitation offences, each with a
victim and a suspect: 2N person rows, N/2 victims so that some are victimised again), N/5 missing
episodes, N/5 referrals with their decision and assessment clocks, N/20 cases each with a
strategy discussion and a case team place, N/10 case notes with their language checks, and 2,000
staff with training records. Then ``rebuild_facts`` is timed: the full rebuild (as after a fresh
install), and a single-month incremental one (as after a day's import). Timing: time.perf_counter;
the results go to ``bench/oversight_facts_results.md`` (``bench/results.md`` is the lead's).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results_file import machine

RESULTS = Path(__file__).with_name("oversight_facts_results.md")
GOAL_SECONDS = 60.0
TODAY = date(2026, 1, 15)
MONTH = date(2025, 6, 1)

# Each statement is one step of the generated world; :n is the number of cases.
GENERATE = (
    "SELECT setseed(0.17)",
    "INSERT INTO agency (code, agency_type, name, area_code, area_name) "
    "SELECT 'POL-' || g, 'police', 'Police ' || g, 'E230000' || lpad(g::text, 2, '0'), "
    "'Force ' || g FROM generate_series(1, 10) g",
    "INSERT INTO agency (code, agency_type, name, area_code, area_name) "
    "SELECT 'LA-' || g, 'social_care', 'Council ' || g, 'E080000' || lpad(g::text, 2, '0'), "
    "'Council ' || g FROM generate_series(1, 30) g",
    "INSERT INTO team (agency_id, name) SELECT id, 'Team' FROM agency",
    "INSERT INTO app_user (username, display_name, password_hash, role, agency_id, active) "
    "SELECT 'user' || g, 'User ' || g, 'x', 'social_worker', 11 + g % 30, true "
    "FROM generate_series(1, 2000) g",
    "INSERT INTO training_record (user_id, course, completed_on, expires_on) "
    "SELECT u.id, 'exploitation_awareness', DATE '2024-01-01' + (u.id % 600), "
    "DATE '2026-01-01' + (u.id % 600) FROM app_user u WHERE u.id % 10 < 7",
    # People: victims 1..n/2, suspects n/2+1..n, missing children and referred children reuse
    # the victims.
    "INSERT INTO person (id, insufficient) SELECT g, false FROM generate_series(1, :n) g",
    "SELECT setval('person_id_seq', :n)",
    "INSERT INTO agency_person (agency_id, person_ref, person_id, restricted) "
    "SELECT 1 + g % 10, 'P' || g, g, false FROM generate_series(1, :n) g",
    "INSERT INTO agency_record (agency_id, record_ref, record_type, record_date, outcome, "
    "area_code, offence_code, group_based, content_hash) "
    "SELECT 1 + g % 10, 'CR' || g, 'crime_report', DATE '2024-01-01' + CAST((g::bigint * 7919) % 730 AS int), "
    "(ARRAY['ongoing','charged','nfa','nfa','cautioned','summonsed','convicted',NULL])"
    "[1 + floor(random() * 8)::int], NULL, "
    "CASE WHEN random() < 0.6 THEN (ARRAY['19D','22B','71','88A','21'])[1 + g % 5] "
    "ELSE '8N' END, random() < 0.05, md5(g::text) FROM generate_series(1, :n) g",
    "INSERT INTO person_mention (record_id, agency_person_id, version, current, person_role, "
    "dob_year, dob_month, sex, ethnicity_self_defined, nationality, indicators, restricted, "
    "content_hash) "
    "SELECT r.id, 1 + (r.id * 3) % (:n / 2), 1, true, 'victim', 2008 + r.id % 8, 1 + r.id % 12, "
    "(ARRAY['F','M','F'])[1 + r.id % 3], (ARRAY['W1','A1','B1','M1','O2','NS',NULL,NULL])"
    "[1 + r.id % 8], CASE WHEN r.id % 3 = 0 THEN NULL ELSE 'GB' END, "
    "CASE WHEN r.id % 7 = 0 THEN ARRAY['in_care'] END, false, 'h' "
    "FROM agency_record r WHERE r.record_type = 'crime_report'",
    "INSERT INTO person_mention (record_id, agency_person_id, version, current, person_role, "
    "dob_year, sex, ethnicity_self_defined, nationality, restricted, content_hash) "
    "SELECT r.id, :n / 2 + 1 + (r.id * 31) % (:n / 2), 1, true, 'suspect', 1970 + r.id % 30, "
    "'M', (ARRAY['W1','A1','A2','B1','W2',NULL,NULL,NULL])[1 + (r.id / 3) % 8], "
    "CASE WHEN r.id % 2 = 0 THEN NULL ELSE 'GB' END, false, 'h' "
    "FROM agency_record r WHERE r.record_type = 'crime_report'",
    "INSERT INTO agency_record (agency_id, record_ref, record_type, record_date, content_hash) "
    "SELECT 11 + g % 30, 'MP' || g, 'missing_episode', DATE '2024-01-01' + CAST((g::bigint * 104729) % 730 AS int), "
    "md5(g::text) FROM generate_series(1, :n / 5) g",
    "INSERT INTO person_mention (record_id, agency_person_id, version, current, person_role, "
    "restricted, content_hash) SELECT r.id, 1 + (r.id * 7) % (:n / 10), 1, true, 'subject', "
    "false, 'h' FROM agency_record r WHERE r.record_type = 'missing_episode'",
    "INSERT INTO referral (child_person_id, child_given_names, child_family_name, "
    "child_date_of_birth, referring_agency_id, council_agency_id, referred_by_user_id, "
    "received_at, concern_type, concern, immediate_danger, status, created_at) "
    "SELECT CASE WHEN g % 2 = 0 THEN g END, 'A', 'B', DATE '2010-01-01' + g % 2000, "
    "11 + g % 30, 11 + g % 30, 1 + g % 2000, "
    "TIMESTAMPTZ '2024-01-01 09:00Z' + ((g * 613) % 730) * interval '1 day', "
    "'sexual_exploitation', 'c', false, 'awaiting_decision', "
    "TIMESTAMPTZ '2024-01-01 09:00Z' + ((g * 613) % 730) * interval '1 day' "
    "FROM generate_series(1, :n / 5) g",
    "INSERT INTO referral_language_check (referral_id, flags, flag_count, rules_digest) "
    "SELECT id, '[]', CASE WHEN id % 20 = 0 THEN 1 ELSE 0 END, 'd' FROM referral",
    "INSERT INTO clock (rule_id, jurisdiction, title, started_at, due_on, stopped_at, "
    "owner_agency_id, subject_type, referral_id, state) "
    "SELECT x.rule, 'england', 't', f.received_at, "
    "(f.received_at)::date + CASE x.rule WHEN 'assessment' THEN 63 ELSE 1 END, "
    "CASE WHEN random() < 0.85 THEN f.received_at + (random() * CASE x.rule WHEN 'assessment' "
    "THEN 80 ELSE 3 END) * interval '1 day' END, f.council_agency_id, 'referral', f.id, "
    "'on_track' FROM referral f CROSS JOIN (VALUES ('referral_decision'), ('assessment')) x(rule)",
    "INSERT INTO safeguarding_case (reference, title, status, team_id) "
    "SELECT 'C' || g, 'Case', CASE WHEN g % 3 = 0 THEN 'closed' ELSE 'open' END, 11 + g % 30 "
    "FROM generate_series(1, :n / 20) g",
    "INSERT INTO case_member (case_id, user_id) SELECT id, 1 + id % 2000 FROM safeguarding_case",
    "INSERT INTO meeting (case_id, kind, title, scheduled_for, status, held_at, "
    "organising_agency_id, created_by_user_id) SELECT id, 'strategy_discussion', 'SD', "
    "TIMESTAMPTZ '2024-01-01 10:00Z' + (id % 730) * interval '1 day', 'held', "
    "CASE WHEN id % 10 <> 0 THEN TIMESTAMPTZ '2024-01-01 10:00Z' + (id % 730) * interval '1 day' "
    "END, 11 + id % 30, 1 + id % 2000 FROM safeguarding_case",
    "INSERT INTO case_note (case_id, author_user_id, body, version, created_at) "
    "SELECT 1 + g % (:n / 20), 1 + g % 2000, 'note', 1, "
    "TIMESTAMPTZ '2024-01-01 10:00Z' + (g % 730) * interval '1 day' "
    "FROM generate_series(1, :n / 10) g",
    "INSERT INTO note_language_check (note_id, flags, flag_count, saved_despite_flags, "
    "rules_digest) SELECT id, '[]', CASE WHEN id % 25 = 0 THEN 2 ELSE 0 END, id % 25 = 0, 'd' "
    "FROM case_note",
    "ANALYZE",
)


def start() -> object:
    from safehub.config import load_settings
    from safehub.db.database import connect
    from safehub.db.migrate import upgrade
    from safehub.services.handlers import HANDLERS

    data = Path(tempfile.mkdtemp(prefix="safehub-oversight-bench-"))
    data.chmod(0o755)
    db = connect(
        load_settings({"SAFEHUB_ENV": "test", "SAFEHUB_DATA_DIR": str(data)}), handlers=HANDLERS
    )
    upgrade(db.owner_engine)
    return db


def generate(db: object, cases: int) -> float:
    began = time.perf_counter()
    with db.owner_engine.begin() as conn:  # type: ignore[attr-defined]
        for statement in GENERATE:
            conn.execute(text(statement), {"n": cases})
    return time.perf_counter() - began


def rebuild(db: object, months: list[date] | None) -> tuple[float, object]:
    from safehub.access.actor import Actor
    from safehub.db.uow import unit_of_work
    from safehub.services.oversight.facts import rebuild_facts

    began = time.perf_counter()
    with unit_of_work(db, actor=Actor(label="system:bench")) as uow:  # type: ignore[arg-type]
        counts = rebuild_facts(uow, months=months, today=TODAY)
        uow.commit()
    return time.perf_counter() - began, counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    db = start()
    made = generate(db, args.cases)
    print(f"generated {args.cases:,} cases in {made:.1f} s", flush=True)
    full, full_counts = rebuild(db, None)
    print(f"full rebuild {full:.1f} s: {full_counts.summary()}", flush=True)  # type: ignore[attr-defined]
    again, _ = rebuild(db, None)
    print(f"full rebuild again {again:.1f} s", flush=True)
    month, month_counts = rebuild(db, [MONTH])
    print(f"one month {month:.1f} s: {month_counts.summary()}", flush=True)  # type: ignore[attr-defined]
    db.dispose()  # type: ignore[attr-defined]
    if not args.no_write:
        _write(args.cases, full, again, month, full_counts, month_counts)
    return 0 if full <= GOAL_SECONDS else 1


def _write(
    cases: int, full: float, again: float, month: float, full_counts: object, month_counts: object
) -> None:
    header = (
        "# Oversight facts rebuild (issue 17)\n\n"
        "`.venv/bin/python bench/oversight_facts_bench.py --cases N`: rows generated with SQL "
        "`generate_series` straight into the tables (N crime reports with 2N people in them, "
        "N/5 missing episodes, N/5 referrals with 2 clocks each, N/20 cases with a strategy "
        "discussion, N/10 notes, 2,000 staff), then `rebuild_facts` timed on an embedded "
        f"PostgreSQL. Goal: full rebuild of 1,000,000 cases <= {GOAL_SECONDS:.0f} s.\n\n"
        "| cases | full rebuild (s) | full again (s) | one month (s) | facts | units | goal |\n"
        "|---:|---:|---:|---:|---:|---:|---|\n"
    )
    rows: dict[int, str] = {}
    if RESULTS.exists():
        for line in RESULTS.read_text().splitlines():
            cells = [c.strip() for c in line.strip("|").split("|")]
            if line.startswith("| ") and cells[0].replace(",", "").isdigit():
                rows[int(cells[0].replace(",", ""))] = line
    goal = "met" if full <= GOAL_SECONDS else "missed"
    rows[cases] = (
        f"| {cases:,} | {full:.1f} | {again:.1f} | {month:.1f} | "
        f"{full_counts.facts:,} | {full_counts.units:,} | {goal} |"  # type: ignore[attr-defined]
    )
    body = "\n".join(rows[k] for k in sorted(rows))
    RESULTS.write_text(f"{header}{body}\n\nMeasured on: {machine()}.\n")


if __name__ == "__main__":
    raise SystemExit(main())
