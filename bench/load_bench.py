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
import resource
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
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

The goal's figures are two runs on a quiet machine:

    .venv/bin/python bench/load_bench.py --minutes 10 --users 50 --workers 2
    .venv/bin/python bench/load_bench.py --minutes 3 --users 100 --workers 2

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


TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int, *, reaped: bool = False) -> float:
    """CPU seconds (user and system) a live process has used, with ``reaped`` that of its
    children that have exited too (PostgreSQL's backends); 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    used = int(fields[11]) + int(fields[12])
    if reaped:
        used += int(fields[13]) + int(fields[14])
    return used / TICKS


def _children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _machine_busy() -> float:
    """CPU seconds the whole machine has spent busy (every core, every process) since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / TICKS  # less idle and iowait


@dataclass
class CpuClock:
    """Who used the CPU during a run: locust, the app processes, the area's PostgreSQL (its
    server and the backends alive at the end), the whole machine. Read from /proc (Linux)."""

    servers: list[int]
    postmaster: int | None
    start: dict[str, float] = field(default_factory=dict)
    _pg: dict[int, float] = field(default_factory=dict)

    def _postgres(self) -> dict[int, float]:
        if self.postmaster is None:
            return {}
        # The server with its exited backends (a connection the pool closes ends its backend),
        # and the backends alive now.
        found = {self.postmaster: _cpu_of(self.postmaster, reaped=True)}
        return found | {pid: _cpu_of(pid) for pid in _children_of(self.postmaster)}

    def begin(self) -> None:
        self.start = {
            "locust": _children_cpu(),
            "app": sum(_cpu_of(p) for p in self.servers),
            "machine": _machine_busy(),
        }
        self._pg = self._postgres()

    def end(self) -> dict[str, float]:
        """CPU seconds over the run by whom (call after locust has exited)."""
        pg_now = self._postgres()
        return {
            "locust": _children_cpu() - self.start["locust"],
            "app": sum(_cpu_of(p) for p in self.servers) - self.start["app"],
            "postgres": sum(v - self._pg.get(pid, 0.0) for pid, v in pg_now.items()),
            "machine": _machine_busy() - self.start["machine"],
        }


def _children_cpu() -> float:
    """CPU seconds of this process's children that have exited and been waited for: locust,
    once its run is over (the servers are still running, so are not counted)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def postmaster_pid(folder: Path) -> int | None:
    try:
        return int((folder / "app" / "pg" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def run_locust(
    users: int,
    minutes: float,
    ports: list[int],
    targets_file: Path,
    out: Path,
    skip: list[str],
    locustfile: Path = LOCUSTFILE,
) -> tuple[list[dict[str, str]], Counter[str], str]:
    prefix = out / f"users-{users}"
    command = [
        str(LOCUST), "-f", str(locustfile), "--headless", "--users", str(users),
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
    cpu: dict[str, float] | None = None,
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
    if cpu is not None:
        lines += ["", _cpu_line(cpu, minutes, by_name.get("Aggregated"))]
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


def _cpu_line(cpu: dict[str, float], minutes: float, total: dict[str, str] | None) -> str:
    """Who used the two cores: locust runs beside what it measures, so its share is shown."""
    available = (os.cpu_count() or 1) * minutes * 60
    requests = int(total["Request Count"]) if total else 0
    served = cpu["app"] + cpu["postgres"]
    per_request = (
        f"; app and PostgreSQL {served / requests * 1000:.0f} ms per request" if requests else ""
    )
    return (
        f"CPU over the run (seconds, of {available:,.0f} the cores had): locust {cpu['locust']:,.0f} "
        f"({cpu['locust'] / available:.0%}), the app processes {cpu['app']:,.0f}, this area's "
        f"PostgreSQL {cpu['postgres']:,.0f}, the whole machine {cpu['machine']:,.0f} "
        f"({cpu['machine'] / available:.0%}, other people's work included){per_request}."
    )


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
    parser.add_argument(
        "--locustfile", type=Path, default=LOCUSTFILE, help="another locustfile (to compare)"
    )
    parser.add_argument(
        "--note", default="", help="a line written under the run's heading (which code ran)"
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
        clock = CpuClock([s.pid for s in servers], postmaster_pid(args.folder))
        try:
            before = os.getloadavg()
            clock.begin()
            stats, errors, _ = run_locust(
                users, args.minutes, ports, targets_file, out, args.skip, args.locustfile
            )
            cpu = clock.end()
            after = os.getloadavg()
            shed = shed_counts(ports)
        finally:
            stop_servers(servers)
        load = (before, after)
        text_ = section(
            users, args.minutes, stats, errors, shed, load, args.workers, args.skip, cpu
        )
        if args.note:
            heading, rest = text_.split("\n", 1)
            text_ = f"{heading}\n\n{args.note}\n{rest}"
        with RESULTS.open("a") as handle:
            handle.write("\n" + text_)
        print(text_)
    print(f"locust's CSV files and the servers' logs: {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
