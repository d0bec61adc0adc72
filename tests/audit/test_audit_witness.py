"""External witnesses of the audit anchors (issue 15): every anchor is also sent to a file,
syslog or a command; `safehub audit verify --witness` catches a cut tail even when the local
anchors were deleted with it; a witness that fails never blocks a write and is counted."""

from __future__ import annotations

import json
import logging
import shutil
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from safehub.audit import check_anchors, verify_chain
from safehub.audit.witness_check import WitnessCheck, check_witness, read_witness
from safehub.cli.main import app as cli
from safehub.config import SettingsError, load_settings, parse_witnesses
from safehub.db.database import Database, connect
from safehub.services.handlers import HANDLERS
from safehub.web.app import create_app
from tests.audit.helpers import archive_anchor, log_entries
from tests.audit.test_audit_anchors_bound import other_db  # noqa: F401 (the fixture)

TOKEN = "w" * 40


def _connect(database_url: str, data: Path, witness: str) -> Database:
    settings = load_settings(
        {"SAFEHUB_ENV": "test", "SAFEHUB_DATA_DIR": str(data), "SAFEHUB_AUDIT_WITNESS": witness}
    )
    return connect(settings, url=database_url, handlers=HANDLERS)


@pytest.fixture
def witness_file(tmp_path: Path) -> Path:
    return tmp_path / "elsewhere" / "witness.log"


@pytest.fixture
def witnessed_db(database_url: str, tmp_path: Path, witness_file: Path) -> Iterator[Database]:
    witness_file.parent.mkdir()
    db = _connect(database_url, tmp_path / "data", f"file:{witness_file}")
    yield db
    db.dispose()


def _ids(db: Database) -> list[int]:
    with db.owner_engine.connect() as conn:
        return [
            int(i) for i in conn.execute(text("SELECT id FROM audit_event ORDER BY id")).scalars()
        ]


def _cut_tail(db: Database, keep: int) -> None:
    """What a superuser would do: delete the newest entries (the chain stays consistent)."""
    with db.owner_engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text("DELETE FROM audit_event WHERE id > :k"), {"k": keep})


def _check(db: Database, witness: Path) -> WitnessCheck:
    assert db.anchors is not None
    with db.owner_engine.connect() as conn:
        return check_witness(Session(bind=conn), db.anchors, read_witness(witness))


def test_every_anchor_reaches_a_file_witness_as_a_signed_json_line(
    witnessed_db: Database, witness_file: Path
) -> None:
    log_entries(witnessed_db, 3)
    archive_anchor(witnessed_db)
    records = [json.loads(line) for line in witness_file.read_text().splitlines()]
    ids = _ids(witnessed_db)
    heads = [r["entry_id"] for r in records if r["kind"] == "head"]
    archived = [r for r in records if r["kind"] == "archive"]
    assert heads == ids  # one head per logged commit, in order
    # The first commit's archive anchor (none was there yet), then the one asked for.
    assert [(r["entry_id"], r["count"]) for r in archived] == [(ids[0], 1), (ids[-1], 3)]
    assert all(r["signature"] and r["database"] and r["key"] for r in records)
    held = _check(witnessed_db, witness_file)
    assert (held.problem, held.checked, held.newest) == (None, len(records), ids[-1])


def test_a_cut_tail_with_the_local_anchors_deleted_is_caught_by_the_witness(
    witnessed_db: Database, witness_file: Path
) -> None:
    log_entries(witnessed_db, 4)
    archive_anchor(witnessed_db)
    log_entries(witnessed_db, 3)
    ids = _ids(witnessed_db)
    _cut_tail(witnessed_db, ids[3])  # the last three entries go
    assert witnessed_db.anchors is not None
    shutil.rmtree(witnessed_db.anchors.folder)  # and every local anchor with them
    with witnessed_db.owner_engine.connect() as conn:
        session = Session(bind=conn)
        assert verify_chain(session).intact  # the chain alone cannot tell
        assert check_anchors(session, witnessed_db.anchors) == (None, None)  # nor the folder
    caught = _check(witnessed_db, witness_file)
    assert caught.broken_id == ids[4]
    assert caught.problem is not None
    assert f"entry {ids[4]}" in caught.problem and "is missing" in caught.problem
    assert "cut or rewritten below an anchor the witness holds" in caught.problem


def test_verify_exits_1_on_a_cut_tail_the_witness_saw_and_0_when_intact(
    witnessed_db: Database,
    witness_file: Path,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SAFEHUB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SAFEHUB_ENV", "test")
    monkeypatch.delenv("SAFEHUB_AUDIT_WITNESS", raising=False)
    log_entries(witnessed_db, 3)
    runner = CliRunner()
    intact = runner.invoke(cli, ["audit", "verify", "--witness", str(witness_file)])
    assert intact.exit_code == 0, intact.output
    assert "anchors of this database match" in intact.output
    ids = _ids(witnessed_db)
    _cut_tail(witnessed_db, ids[0])
    assert witnessed_db.anchors is not None
    shutil.rmtree(witnessed_db.anchors.folder)
    without = runner.invoke(cli, ["audit", "verify"])
    assert without.exit_code == 0  # with the anchors gone, nothing local can tell
    broken = runner.invoke(cli, ["audit", "verify", "--witness", str(witness_file)])
    assert broken.exit_code == 1
    assert f"Audit log broken at entry {ids[1]}" in broken.output
    # A file witness named in the setting is checked without being named on the command line.
    monkeypatch.setenv("SAFEHUB_AUDIT_WITNESS", f"file:{witness_file}")
    configured = runner.invoke(cli, ["audit", "verify"])
    assert configured.exit_code == 1
    assert f"Audit log broken at entry {ids[1]}" in configured.output


def test_a_witness_of_another_database_is_reported_as_such(
    witnessed_db: Database,
    witness_file: Path,
    other_db: Database,  # noqa: F811 (the fixture imported above)
) -> None:
    log_entries(witnessed_db, 2)
    log_entries(other_db, 2)
    told = _check(other_db, witness_file)
    assert told.broken_id is None
    assert told.problem is not None and "holds anchors of another database" in told.problem
    with witnessed_db.owner_engine.connect() as conn:
        theirs = conn.execute(
            text(
                "SELECT (SELECT system_identifier FROM pg_control_system())::text || '/' "
                "|| current_database()"
            )
        ).scalar_one()
    assert told.other_databases == (theirs,)


def test_a_record_nobody_here_signed_is_reported_as_forged_not_as_a_cut(
    witnessed_db: Database, witness_file: Path
) -> None:
    log_entries(witnessed_db, 2)
    lines = witness_file.read_text().splitlines()
    forged = json.loads(lines[0]) | {"entry_hash": "f" * 64}  # anyone can append to syslog
    witness_file.write_text("\n".join([*lines, json.dumps(forged)]) + "\n")
    told = _check(witnessed_db, witness_file)
    assert told.broken_id is None
    assert told.problem is not None and "someone else wrote to the witness" in told.problem


def test_a_syslog_witness_sends_each_anchor_to_a_collector_and_its_file_verifies(
    database_url: str, tmp_path: Path
) -> None:
    collector = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    collector.bind(("127.0.0.1", 0))
    collector.settimeout(10)
    port = collector.getsockname()[1]
    db = _connect(database_url, tmp_path / "data", f"syslog://127.0.0.1:{port}")
    try:
        log_entries(db, 2)
        archive_anchor(db)
        messages = [collector.recv(65535).decode() for _ in range(4)]
        # Facility user (1), level info (6): priority 14; then the tag and the anchor.
        assert all(m.startswith("<14>safehub-audit-anchor: {") for m in messages), messages
        kinds = [json.loads(m.partition(": ")[2])["kind"] for m in messages]
        assert kinds == ["head", "archive", "head", "archive"]
        # What a collector writes to its file (a timestamp and host before each message).
        kept = tmp_path / "collector.log"
        kept.write_text("".join(f"Dec  6 14:00:00 app1 {m[4:]}\n" for m in messages))
        held = _check(db, kept)
        assert (held.problem, held.checked) == (None, 4)
    finally:
        collector.close()
        db.dispose()


def test_a_command_witness_is_given_archive_anchors_on_its_standard_input(
    database_url: str, tmp_path: Path
) -> None:
    store = tmp_path / "bucket"
    store.mkdir()
    # A script, as docs/operations.md advises (a stand-in for an object store's upload).
    script = tmp_path / "ship-anchor.py"
    script.write_text(
        "import os, sys, pathlib\n"
        "name = os.environ['SAFEHUB_ANCHOR_ENTRY_ID'] + '.json'\n"
        "pathlib.Path(sys.argv[1], name).write_text(sys.stdin.read())\n"
    )
    db = _connect(database_url, tmp_path / "data", f"command:{sys.executable} {script} {store}")
    try:
        log_entries(db, 2)
        archive_anchor(db)
        ids = _ids(db)
        # Archive anchors only: the first commit's, and the one asked for.
        assert {p.name for p in store.iterdir()} == {f"{ids[0]}.json", f"{ids[-1]}.json"}
        newest = json.loads((store / f"{ids[-1]}.json").read_text())
        assert (newest["kind"], newest["count"]) == ("archive", len(ids))
    finally:
        db.dispose()


def test_a_failing_witness_blocks_no_write_and_is_logged_and_counted(
    database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    unreachable = tmp_path / "not-mounted" / "witness.log"  # a share that is not mounted
    db = _connect(database_url, tmp_path / "data", f"file:{unreachable};command:false")
    try:
        with caplog.at_level(logging.ERROR, logger="safehub.audit.witness"):
            log_entries(db, 3)
            archive_anchor(db)
        ids = _ids(db)
        assert len(ids) == 3  # every commit went through
        assert db.anchors is not None
        head = db.anchors.head()
        assert head is not None and head[0].entry_id == ids[-1]  # the local anchor was written
        assert not unreachable.exists()
        assert "audit witness 1 (file) did not take the head anchor" in caplog.text
        assert "audit witness 2 (command) did not take the archive anchor" in caplog.text
        with TestClient(create_app(db, metrics_token=TOKEN), base_url="https://testserver") as c:
            body = c.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).text
        assert 'safehub_audit_witness_failures_total{kind="file",position="1"} 5' in body
        assert 'safehub_audit_witness_failures_total{kind="command",position="2"} 2' in body
        assert 'safehub_audit_witness_sent_total{kind="file",position="1"} 0' in body
    finally:
        db.dispose()


def test_the_setting_names_each_witness_and_refuses_one_it_cannot_use() -> None:
    assert parse_witnesses(
        "file:/mnt/w/a.log; syslog: ;syslog://loghost;syslog://[::1]:5140;command:ship --b x"
    ) == (
        ("file", "/mnt/w/a.log"),
        ("syslog", "/dev/log"),
        ("syslog", "loghost:514"),
        ("syslog", "[::1]:5140"),
        ("command", "ship --b x"),
    )
    for wrong, says in [
        ("file:relative.log", "absolute path"),
        ("s3://bucket", "is not a witness"),
        ("syslog://loghost:99999", "not a syslog address"),
        ("command:", "names no program"),
    ]:
        with pytest.raises(SettingsError, match=says):
            parse_witnesses(wrong)
