"""Benchmark: the oversight dashboard page, through HTTP as a signed-in inspector (working as the
database role ``safehub_oversight``), over national-scale facts.

Goal (issue 17): a dashboard page in <= 500 ms p95. Facts: 17 measures x 43 police force areas
and 153 local authorities x 24 months (about 80,000 rows, generated with generate_series), the
page asked for one year. Each request includes the session check, the query, disclosure control,
the register and audit writes, the commit and the page's rendering. Timing: time.perf_counter.

    .venv/bin/python bench/oversight_portal_bench.py [--requests 40] [--months 24] \
        [--label before] [--profile]

Prints its figures and appends them, with the command, machine and load average, to
``bench/oversight_portal_results.md`` under ``--label`` (it does not write results.md).
``--profile`` also prints a cProfile of one request and EXPLAIN ANALYZE of the heavy query.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import secrets
import shlex
import shutil
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from inbox_bench import start_database  # bench/ is on sys.path
from sqlalchemy import text
from sqlalchemy.orm import Session

FORCES, COUNCILS, MEASURES = 43, 153, 17
RESULTS = Path(__file__).with_name("oversight_portal_results.md")

_MEASURES = """
INSERT INTO oversight_measure (code, name, definition, numerator, denominator, counts, direction,
  unit, target, near_margin, owner, by, sort_order)
SELECT 'measure_' || m, 'Measure ' || m, 'Defined', 'n', 'd', 'records',
  CASE WHEN m % 2 = 0 THEN 'higher' ELSE 'lower' END,
  (ARRAY['percent', 'days', 'count'])[1 + m % 3], 50, 5, 'Owner ' || m, 'area', m
FROM generate_series(1, :measures) m
"""
_FACTS = """
INSERT INTO oversight_fact (measure_code, area_kind, area_code, area_name, agency_code, period,
  numerator, denominator)
SELECT 'measure_' || m, CASE WHEN a <= :forces THEN 'police_force' ELSE 'local_authority' END,
  'E' || lpad(a::text, 8, '0'), 'Area ' || a, '',
  (date '2024-01-01' + (mo || ' months')::interval)::date,
  (random() * 200)::int, 200 + (random() * 100)::int
FROM generate_series(1, :measures) m, generate_series(1, :areas) a,
  generate_series(0, :months - 1) mo
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--label", default="run", help="the heading of the figures in the file")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    db = start_database()
    try:
        figures = _run(db, args.requests, args.months, args.profile)
        _record(args.label, figures)
    finally:
        db.dispose()  # type: ignore[attr-defined]
        shutil.rmtree(db._folder, ignore_errors=True)  # type: ignore[attr-defined]


def _record(label: str, figures: str) -> None:
    command = shlex.join([".venv/bin/python", *sys.argv])
    machine = f"{platform.node()}, {platform.machine()}, {os.cpu_count()} cores"
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(
            f"\n## {label} ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)\n\n"
            f"- Command: `{command}`\n- Machine: {machine}\n- {figures}\n"
        )


def _run(db: object, requests: int, months: int, profile: bool) -> str:
    from fastapi.testclient import TestClient

    from safehub.db.queries.oversight_portal import sum_facts_by_area
    from safehub.http.context import SESSION_COOKIE
    from safehub.services.accounts.signin import token_hash
    from safehub.web.app import create_app

    owner = db.owner_engine  # type: ignore[attr-defined]
    params = {"measures": MEASURES, "forces": FORCES, "areas": FORCES + COUNCILS, "months": months}
    with owner.begin() as conn:
        conn.execute(text(_MEASURES), {"measures": MEASURES})
        conn.execute(text(_FACTS), params)
        conn.execute(
            text("INSERT INTO agency (code, agency_type, name) VALUES ('OB', 'other', 'Oversight')")
        )
        conn.execute(
            text(
                "INSERT INTO app_user (username, display_name, password_hash, role, agency_id, "
                "active) SELECT 'inspector', 'Inspector', 'not-a-login', 'oversight_inspector', "
                "id, true FROM agency WHERE code = 'OB'"
            )
        )
        facts = conn.execute(text("SELECT count(*) FROM oversight_fact")).scalar_one()
        conn.execute(text("ANALYZE"))
        token = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        conn.execute(
            text(
                "INSERT INTO web_session (token_hash, user_id, csrf_token, created_at, "
                "last_seen_at) SELECT :h, id, 'x', :now, :now FROM app_user "
                "WHERE username = 'inspector'"
            ),
            {"h": token_hash(token), "now": now},
        )
    client = TestClient(create_app(db), base_url="https://testserver")  # type: ignore[arg-type]
    client.cookies.set(SESSION_COOKIE, token)
    times = []
    for _ in range(requests + 3):
        started = time.perf_counter()
        response = client.get("/oversight?period=2025")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    query = []
    with Session(owner) as session:  # the dashboard's one heavy query on its own, as the owner
        for _ in range(5):
            started = time.perf_counter()
            sum_facts_by_area(session, start=date(2025, 1, 1), end=date(2025, 12, 1))
            query.append((time.perf_counter() - started) * 1000)
    if profile:
        _profile(client, owner)
    times = sorted(times[3:])  # the first requests warm the caches
    figures = (
        f"{facts:,} facts, {FORCES + COUNCILS} areas, {MEASURES} measures, {requests} requests: "
        f"dashboard p50 {statistics.median(times):.0f} ms, "
        f"p95 {times[int(len(times) * 0.95) - 1]:.0f} ms, max {times[-1]:.0f} ms "
        f"(goal p95 <= 500 ms); page {len(response.text) / 1024:.0f} KiB; its query alone "
        f"{statistics.median(query):.0f} ms; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores"
    )
    print(figures)
    return figures


def _profile(client: object, owner: object) -> None:
    import fastapi.routing

    profiler = cProfile.Profile()
    threaded = fastapi.routing.run_in_threadpool

    async def in_profiler(func: Any, *args: Any, **kwargs: Any) -> Any:
        # The page runs in a worker thread, out of cProfile's sight: run it here instead.
        profiler.enable()
        try:
            return func(*args, **kwargs)
        finally:
            profiler.disable()

    fastapi.routing.run_in_threadpool = in_profiler  # type: ignore[assignment]
    try:
        client.get("/oversight?period=2025")  # type: ignore[attr-defined]
    finally:
        fastapi.routing.run_in_threadpool = threaded
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    with owner.begin() as conn:  # type: ignore[attr-defined]
        plan = conn.execute(
            text(
                "EXPLAIN (ANALYZE, BUFFERS) SELECT f.measure_code, f.area_kind, f.area_code, "
                "min(f.area_name), sum(f.numerator), sum(f.numerator * f.denominator), "
                "sum(f.denominator) FROM oversight_fact f WHERE f.period BETWEEN "
                "'2025-01-01' AND '2025-12-01' GROUP BY f.measure_code, f.area_kind, f.area_code"
            )
        )
        print("\n".join(row[0] for row in plan))


if __name__ == "__main__":
    main()
