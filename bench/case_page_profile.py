"""What one case page costs on the load area: SQL statements, their time, and the app's CPU.

    .venv/bin/python bench/case_page_profile.py [--folder /tmp/safehub-load] [--pages 40]
        [--path /cases/{case_id}] [--statements]

Signs in as the load area's first account (`bench/load_data.py`) inside this process (the staff
app under Starlette's test client: no socket, no locust), opens ``--pages`` pages of ``--path``
(a case of the area's each time, in turn) and reports per page: how many statements the app sent,
their total time as the app waited for them, the page's wall time, this process's CPU time (the
app's Python: routing, SQLAlchemy, templates) and the CPU time of the PostgreSQL backend that
answered (read from /proc: the server must run on this machine; 10 ms ticks, so read the mean). Unlike a locust run these counts do not
depend on what else runs on the machine, so they compare two versions of the code fairly; the
times do, so run the two versions one after the other. ``--statements`` prints every statement
of the last page with its time, to see what repeats.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import pyotp
from fastapi.testclient import TestClient
from load_bench import targets
from load_data import environment
from sqlalchemy import event

from safehub.config import load_settings
from safehub.db.database import connect
from safehub.services.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from safehub.services.handlers import HANDLERS
from safehub.web.app import create_app

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class StatementLog:
    """Every statement the app's engine sends, with the time until its cursor returned."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, float]] = []
        self._started: list[float] = []

    def before(self, *_: Any) -> None:
        self._started.append(time.perf_counter())

    def after(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.statements.append((statement, time.perf_counter() - self._started.pop()))


def _backend_cpu(connections: list[Any]) -> float:
    """CPU seconds used so far by the PostgreSQL backends of the app's connections (the server
    runs on this machine: read from /proc). In clock ticks of 10 ms: a median over many pages."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = 0
    for conn in connections:
        try:
            stat = Path(f"/proc/{conn.info.backend_pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        used += int(fields[11]) + int(fields[12])
    return used / ticks


def sign_in(client: TestClient, username: str) -> None:
    first = client.post(
        "/sign-in",
        data={"username": username, "password": DEMO_PASSWORD},
        follow_redirects=False,
    )
    assert first.status_code == 303, first.text[:500]
    page = client.get("/sign-in/code")
    token = CSRF.search(page.text)
    assert token is not None, page.text[:500]
    done = client.post(
        "/sign-in/code",
        data={"csrf_token": token.group(1), "code": pyotp.TOTP(DEMO_TOTP_SECRET).now()},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text[:500]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folder", type=Path, default=Path("/tmp/safehub-load"))
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--path", default="/cases/{case_id}")
    parser.add_argument("--account", type=int, default=0, help="which load account signs in")
    parser.add_argument("--statements", action="store_true")
    parser.add_argument("--cprofile", type=int, default=0, help="print the N costliest functions")
    args = parser.parse_args()

    os.environ.update(environment(args.folder))
    settings = load_settings()
    db = connect(settings, handlers=HANDLERS)
    # The targets as the load run would open them (written from the database it serves).
    found = json.loads(
        targets(str(db.owner_engine.url.render_as_string(False)), args.folder).read_text()
    )
    app = create_app(db)
    log = StatementLog()
    event.listen(db.app_engine, "before_cursor_execute", log.before)
    event.listen(db.app_engine, "after_cursor_execute", log.after)
    opened: list[Any] = []
    event.listen(db.app_engine, "connect", lambda conn, _record: opened.append(conn))
    with TestClient(app, base_url="https://testserver") as client:
        sign_in(client, found["accounts"][args.account])
        rows = []
        profiler = cProfile.Profile()
        for n in range(args.pages):
            path = args.path.format(
                case_id=found["cases"][n % len(found["cases"])],
                person_id=found["people"][n % len(found["people"])],
            )
            log.statements.clear()
            backend = _backend_cpu(opened)
            wall, cpu = time.perf_counter(), time.process_time()
            if args.cprofile and n >= 5:
                profiler.enable()
            answer = client.get(path, follow_redirects=False)
            profiler.disable()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            backend = _backend_cpu(opened) - backend
            assert answer.status_code == 200, (path, answer.status_code)
            rows.append(
                (len(log.statements), sum(t for _, t in log.statements), wall, cpu, backend)
            )
    db.dispose()
    # The first pages warm caches (templates, statement compilation): the rest are the figure.
    steady = rows[min(5, len(rows) - 1) :]
    print(f"{args.path}: {len(steady)} pages after {len(rows) - len(steady)} to warm up")
    for name, index, scale in (
        ("statements", 0, 1), ("SQL ms", 1, 1000), ("wall ms", 2, 1000), ("app CPU ms", 3, 1000),
        ("PG CPU ms", 4, 1000),
    ):  # fmt: skip
        values = [r[index] * scale for r in steady]
        print(
            f"  {name:<11} mean {statistics.mean(values):7.1f}  "
            f"median {statistics.median(values):7.1f}  "
            f"min {min(values):7.1f}  max {max(values):7.1f}"
        )
    print(f"  connections the app's pool opened: {len(opened)} for {len(rows)} pages and sign-in")
    if args.cprofile:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(args.cprofile)
    if args.statements:
        for statement, took in log.statements:
            print(f"{took * 1000:7.2f} ms  {' '.join(statement.split())[:160]}", file=sys.stderr)


if __name__ == "__main__":
    main()
