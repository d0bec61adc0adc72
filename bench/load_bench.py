"""Load on the staff app (issue 15): locust's practitioners against a demo area of 1,000,000 person
mentions, at 50 users and at twice that.

    .venv/bin/python bench/load_bench.py [--minutes 10] [--users 50 100] [--workers 2]

Goals: at 50 users the case page's p95 <= 300 ms and p99 <= 800 ms with no error over 10 minutes;
at 100 users the service sheds load with 429/503, never a 500. Steps: the area is built under
``--folder`` (`bench/load_data.py`, once; kept between runs, never in the repository), then
``--workers`` `safehub serve` processes are started on ports from ``--port`` (one per port, as
docs/operations.md deploys them; each user stays on one, as behind a sticky proxy), then locust
runs headless for ``--minutes`` at each ``--users``. Each run's p50/p95/p99 by page and its
refusals by status (from locust's CSV statistics) and what the processes shed (their /metrics)
are appended to bench/load_results.md with the machine, its load average and the command.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from load_data import accounts, build, environment
from sqlalchemy import create_engine, text

from safehub.db.embedded import start_embedded
from safehub.services.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

ROOT = Path(__file__).resolve().parent.parent
SAFEHUB = ROOT / ".venv" / "bin" / "safehub"
LOCUST = ROOT / ".venv" / "bin" / "locust"
LOCUSTFILE = ROOT / "bench" / "load" / "locustfile.py"
RESULTS = ROOT / "bench" / "load_results.md"
CASE_PAGE = "/cases/{case_id}"
GOAL_P95_MS, GOAL_P99_MS = 300, 800
PAGES = ("/cases/{case_id}", "/", "/inbox", "/people?name=", "/people/{person_id}", "/alerts")
HEADER = """# Load on the staff app (issue 15)

Goal: locust with 50 concurrent practitioners against a demo area of 1,000,000 person mentions:
case page p95 <= 300 ms and p99 <= 800 ms, no errors, over 10 minutes; at twice that load the
service sheds with 429/503, never 500. Written by `bench/load_bench.py` (one section per run,
newest last); the area by `bench/load_data.py`.

The goal's figure is a 10-minute run on a quiet machine:

    .venv/bin/python bench/load_bench.py --minutes 10 --users 50 100

Runs on the shared 2-core machine (other engineers' suites and benchmarks running beside it, see
each run's load average) are shorter and noisier: read them as such.
"""


def targets(url: str, folder: Path) -> Path:
    """What the users open, from the database: cases, the people on them, names to search."""
    engine = create_engine(url)
    with engine.connect() as conn:
        cases = conn.execute(text("SELECT id FROM safeguarding_case ORDER BY id")).scalars().all()
        people = (
            conn.execute(text("SELECT DISTINCT person_id FROM case_child ORDER BY 1"))
            .scalars()
            .all()
        )
        common = conn.execute(
            text(
                "SELECT given_names, family_name FROM person_mention "
                "WHERE source_file IS NOT NULL AND source_file NOT LIKE 'bench/%' "
                "AND given_names IS NOT NULL AND family_name IS NOT NULL "
                "ORDER BY id LIMIT 200"
            )
        ).all()
    engine.dispose()
    # Mostly a full name as a practitioner types it, sometimes a family name alone.
    names = [f"{g} {f}" for g, f in common] + sorted({f for _, f in common})[:40]
    path = folder / "targets.json"
    path.write_text(
        json.dumps(
            {
                "accounts": [username for username, _, _ in accounts()],
                "password": DEMO_PASSWORD,
                "totp_secret": DEMO_TOTP_SECRET,
                "cases": cases,
                "people": people,
                "names": names,
            }
        )
    )
    return path


def start_servers(
    env: dict[str, str], ports: list[int], logs: Path
) -> list[subprocess.Popen[bytes]]:
    processes = []
    for port in ports:
        log = (logs / f"serve-{port}.log").open("wb")
        processes.append(
            subprocess.Popen(
                [str(SAFEHUB), "serve", "--port", str(port)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    deadline = time.monotonic() + 180
    for port in ports:
        while not _ready(port):
            if time.monotonic() > deadline:
                raise SystemExit(f"safehub serve on {port} did not become ready (see {logs})")
            time.sleep(1)
    return processes


def stop_servers(servers: list[subprocess.Popen[bytes]]) -> None:
    """Ctrl+C, as `safehub serve` expects (it leaves the database server to its last user)."""
    for server in servers:
        server.send_signal(signal.SIGINT)
    for server in servers:
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def shed_counts(ports: list[int]) -> Counter[str]:
    """What the processes shed, by reason, and their 5xx answers, from their /metrics."""
    counts: Counter[str] = Counter()
    shed = re.compile(r'^safehub_http_requests_shed_total\{reason="(\w+)"\} ([0-9.]+)$')
    status = re.compile(r'^safehub_http_requests_total\{.*status="(5\d\d)"\} ([0-9.]+)$')
    for port in ports:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as answer:
            for line in answer.read().decode().splitlines():
                if match := shed.match(line):
                    counts[f"shed {match.group(1)}"] += int(float(match.group(2)))
                elif match := status.match(line):
                    counts[f"answered {match.group(1)}"] += int(float(match.group(2)))
    return counts


def run_locust(
    users: int, minutes: float, ports: list[int], targets_file: Path, out: Path, skip: list[str]
) -> tuple[list[dict[str, str]], Counter[str], str]:
    prefix = out / f"users-{users}"
    command = [
        str(LOCUST), "-f", str(LOCUSTFILE), "--headless", "--users", str(users),
        "--spawn-rate", str(max(users // 10, 1)), "--run-time", f"{int(minutes * 60)}s",
        "--host", f"http://127.0.0.1:{ports[0]}", "--csv", str(prefix), "--only-summary",
        "--stop-timeout", "10",
    ]  # fmt: skip
    env = {
        **os.environ,
        "SAFEHUB_LOAD_TARGETS": str(targets_file),
        "SAFEHUB_LOAD_HOSTS": ",".join(f"http://127.0.0.1:{p}" for p in ports),
        "SAFEHUB_LOAD_SKIP": ",".join(skip),
    }
    with (out / f"locust-{users}.log").open("wb") as log:
        subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    with open(f"{prefix}_stats.csv", newline="") as handle:
        stats = list(csv.DictReader(handle))
    errors: Counter[str] = Counter()
    with open(f"{prefix}_failures.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            errors[f"{row['Name']}: {row['Error']}"] += int(row["Occurrences"])
    return stats, errors, shlex.join(["locust", *command[1:]])


def section(
    users: int,
    minutes: float,
    stats: list[dict[str, str]],
    errors: Counter[str],
    shed: Counter[str],
    load: tuple[tuple[float, ...], tuple[float, ...]],
    workers: int,
    skip: list[str],
) -> str:
    by_name = {row["Name"]: row for row in stats}
    lines = [
        f"## {users} users, {minutes:g} minutes ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Machine: {os.cpu_count()} cores, load average (1, 5, 15 min) "
        f"{_load(load[0])} when the run started and {_load(load[1])} when it ended; "
        f"{workers} `safehub serve` processes (each at most `SAFEHUB_MAX_IN_FLIGHT` requests at "
        "once, default 12); locust in its own process on the same machine.",
        f"Command: `.venv/bin/python bench/load_bench.py --minutes {minutes:g} --users {users} "
        f"--workers {workers}{''.join(f' --skip {s}' for s in skip)}`",
        *([f"Journeys left out of this run: {', '.join(skip)}."] if skip else []),
        "",
        "| page | requests | failed | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in (*PAGES, "Aggregated"):
        row = by_name.get(name)
        if row is None:
            continue
        lines.append(
            f"| {'all pages and sign-in' if name == 'Aggregated' else f'`{name}`'} "
            f"| {int(row['Request Count']):,} | {int(row['Failure Count']):,} "
            f"| {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} "
            f"| {float(row['Max Response Time']):.0f} |"
        )
    case = by_name.get(CASE_PAGE)
    if case is not None:
        p95, p99 = float(case["95%"]), float(case["99%"])
        met = p95 <= GOAL_P95_MS and p99 <= GOAL_P99_MS and int(case["Failure Count"]) == 0
        lines += [
            "",
            f"Case page: p95 {p95:.0f} ms (goal {GOAL_P95_MS}), p99 {p99:.0f} ms (goal "
            f"{GOAL_P99_MS}), {int(case['Failure Count'])} failed: "
            f"{'within the goal' if met else 'not within the goal'} for this run.",
        ]
    lines += ["", "Refusals and errors (locust, by page and status):", ""]
    lines += [f"- {what}: {n:,}" for what, n in sorted(errors.items())] or ["- none"]
    five_hundreds = shed.get("answered 500", 0)
    lines += [
        "",
        "The staff-app processes' own counts since they started (`/metrics`): "
        + (", ".join(f"{k} {v:,}" for k, v in sorted(shed.items())) or "nothing shed, no 5xx")
        + f". Answers with status 500: {five_hundreds:,}.",
        "",
    ]
    return "\n".join(lines)


def _load(values: tuple[float, ...]) -> str:
    return " / ".join(f"{v:.1f}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--users", type=int, nargs="+", default=[50, 100])
    parser.add_argument("--workers", type=int, default=2, help="safehub serve processes")
    parser.add_argument("--port", type=int, default=8600, help="the first process's port")
    parser.add_argument("--folder", type=Path, default=Path("/tmp/safehub-load"))
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument(
        "--skip", action="append", default=[], help="a journey to leave out (e.g. search)"
    )
    args = parser.parse_args()

    build(args.folder, mentions=args.mentions, children=1500, seed=2026)
    env = environment(args.folder)
    url = start_embedded(args.folder / "app")  # held up for the whole run by this process
    targets_file = targets(url, args.folder)
    out = args.folder / "runs" / datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out.mkdir(parents=True)
    ports = [args.port + i for i in range(args.workers)]
    if not RESULTS.exists():
        RESULTS.write_text(HEADER)
    for users in args.users:
        # Fresh processes for each load, so that the counters and caches are the run's own.
        servers = start_servers(env, ports, out)
        try:
            before = os.getloadavg()
            stats, errors, _ = run_locust(users, args.minutes, ports, targets_file, out, args.skip)
            after = os.getloadavg()
            shed = shed_counts(ports)
        finally:
            stop_servers(servers)
        load = (before, after)
        text_ = section(users, args.minutes, stats, errors, shed, load, args.workers, args.skip)
        with RESULTS.open("a") as handle:
            handle.write("\n" + text_)
        print(text_)
    print(f"locust's CSV files and the servers' logs: {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
