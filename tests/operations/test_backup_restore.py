"""`safehub backup` and `safehub restore`: the whole database through pg_dump and pg_restore, and
the audit chain verified after the restore."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from typer.testing import CliRunner

from safehub.cli.main import app
from safehub.db.embedded import ensure_database, sqlalchemy_url
from tests.factories import extract_row, write_extract

SAFEHUB = str(Path(sys.executable).with_name("safehub"))


def _invoke(args: list[str], *, url: str, data: Path) -> tuple[int, str]:
    env = {"SAFEHUB_ENV": "test", "DATABASE_URL": url, "SAFEHUB_DATA_DIR": str(data)}
    result = CliRunner().invoke(app, args, env=env)
    return result.exit_code, result.stderr


def _fresh_database(server_uri: str, name: str) -> str:
    with psycopg.connect(server_uri, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    ensure_database(server_uri, name)  # from template1: no tables, no roles of ours granted
    return sqlalchemy_url(server_uri, name)


def _snapshot(url: str) -> dict[str, object]:
    """Every table's row count, and the audit log entry by entry."""
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        counts = {
            t: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t))).fetchone()
            for t in tables
        }
        chain = conn.execute(
            "SELECT id, action, actor, prev_hash, entry_hash FROM audit_event ORDER BY id"
        ).fetchall()
        records = conn.execute("SELECT * FROM agency_record ORDER BY id").fetchall()
    return {"counts": counts, "chain": chain, "records": records}


@pytest.fixture
def backed_up(database_url: str, tmp_path: Path) -> tuple[Path, Path]:
    """A database with imported records and an audit log, backed up; its data folder (anchors)."""
    data = tmp_path / "data"
    extract = write_extract(tmp_path / "p.csv", [extract_row(), extract_row(record_id="R-2")])
    assert _invoke(["import", str(extract)], url=database_url, data=data)[0] == 0
    backup = tmp_path / "safehub.backup"
    code, out = _invoke(["backup", str(backup)], url=database_url, data=data)
    assert code == 0, out
    return backup, data


def test_a_restore_into_a_fresh_database_holds_the_same_records_and_a_verified_audit_chain(
    backed_up: tuple[Path, Path], database_url: str, pg_server_uri: str
) -> None:
    backup, data = backed_up
    fresh = _fresh_database(pg_server_uri, "restored_here")
    code, out = _invoke(["restore", str(backup)], url=fresh, data=data)
    assert code == 0, out
    assert "Audit log intact" in out
    assert "It matches" in out  # held against the anchors the source database wrote
    original, restored = _snapshot(database_url), _snapshot(fresh)
    assert restored["records"] and restored == original
    # The backup logged itself as a disclosure, and that entry is in the backup.
    assert restored["chain"][-1][1] == "disclosure"  # type: ignore[index]


def test_a_restore_refuses_a_database_that_is_not_empty(
    backed_up: tuple[Path, Path], database_url: str
) -> None:
    backup, data = backed_up
    code, out = _invoke(["restore", str(backup)], url=database_url, data=data)
    assert code == 2
    assert "is not empty" in out and str(backup) in out


def test_a_truncated_backup_is_refused_naming_the_file_and_restores_nothing(
    backed_up: tuple[Path, Path], pg_server_uri: str, tmp_path: Path
) -> None:
    backup, data = backed_up
    cut = tmp_path / "cut.backup"
    whole = backup.read_bytes()
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    fresh = _fresh_database(pg_server_uri, "restored_cut")
    code, out = _invoke(["restore", str(cut)], url=fresh, data=data)
    assert code == 2
    assert out.strip().startswith(f"{cut}: the backup is incomplete or damaged")
    with psycopg.connect(fresh.replace("postgresql+psycopg://", "postgresql://")) as conn:
        assert conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone() == (0,)


def test_a_file_that_is_not_a_backup_is_refused_in_one_line_naming_it(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("not a backup\n")
    code, out = _invoke(["restore", str(other)], url="postgresql://nowhere/x", data=tmp_path)
    assert code == 2
    assert out.strip().startswith(f"{other}: not a backup made by safehub backup")
    assert len(out.strip().splitlines()) == 1
    missing = tmp_path / "missing.backup"
    code, out = _invoke(["restore", str(missing)], url="postgresql://nowhere/x", data=tmp_path)
    assert (code, out.strip()) == (2, f"{missing}: no such file")


def test_a_backup_whose_chain_does_not_match_the_anchors_it_is_held_against_fails_with_1(
    backed_up: tuple[Path, Path], pg_server_uri: str, tmp_path: Path
) -> None:
    backup, _ = backed_up
    # Another database with a history of its own, anchored in its own data folder.
    other_data = tmp_path / "other-data"
    other = _fresh_database(pg_server_uri, "other_history")
    extract = write_extract(tmp_path / "o.csv", [extract_row(record_id="R-9")])
    for _ in range(2):
        assert _invoke(["import", str(extract)], url=other, data=other_data)[0] == 0
    fresh = _fresh_database(pg_server_uri, "restored_foreign")
    code, out = _invoke(["restore", str(backup)], url=fresh, data=other_data)
    assert code == 1
    assert "the backup was altered, or it is not of the database" in out


def test_backup_and_restore_of_the_embedded_database(cli_data_dir: Path) -> None:
    """No DATABASE_URL: the embedded server's own pg_dump and pg_restore, between data folders."""
    # Not pytest's tmp folder: the embedded server may run as a system user of its own.
    tmp_path = cli_data_dir.parent

    def run(args: list[str], data: Path) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["SAFEHUB_DATA_DIR"] = str(data)
        return subprocess.run(
            [SAFEHUB, *args], capture_output=True, text=True, env=env, timeout=180
        )

    source, target = tmp_path / "source", tmp_path / "target"
    for folder in (source, target):
        folder.mkdir()
        folder.chmod(0o755)
    extract = write_extract(tmp_path / "p.csv", [extract_row()])
    assert run(["import", str(extract)], source).returncode == 0
    backup = tmp_path / "embedded.backup"
    made = run(["backup", str(backup)], source)
    assert made.returncode == 0, made.stderr
    restored = run(["restore", str(backup)], target)
    assert restored.returncode == 0, restored.stderr
    assert "Audit log intact" in restored.stderr
    stats = run(["stats", "--json"], target)
    assert '"records": 1' in stats.stdout
