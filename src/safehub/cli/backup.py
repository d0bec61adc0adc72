"""`safehub backup FILE` and `safehub restore FILE`: the whole database, with pg_dump/pg_restore.

Neither migrates first: a backup is taken before an upgrade, and a restore goes into an empty
database. Exit codes: 0 done (and, for a restore, the audit chain verified); 1 the tool failed or
the restored audit chain did not verify; 2 bad input, in one line naming the file or database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from safehub.cli.context import cli_actor, err
from safehub.config import Settings, SettingsError, load_settings

if TYPE_CHECKING:  # the database and the audit log are imported by the commands that use them
    from safehub.audit import AnchorStore, RestoredCheck
    from safehub.db.backup import BackupProgress
    from safehub.db.database import Database


def backup(
    file: Path = typer.Argument(..., help="The new backup file (never overwritten)."),
) -> None:
    """Back up the whole database to FILE (pg_dump custom format), logged as a disclosure."""
    from sqlalchemy import inspect

    from safehub.db.backup import ToolFailedError, dump_database
    from safehub.db.uow import unit_of_work
    from safehub.services.backups import record_backup

    settings = _settings()
    file = file.resolve()
    _refuse_bad_destination(file, settings)
    with _database(settings) as (db, url):
        if not inspect(db.owner_engine).has_table("alembic_version"):
            _bad_input(f"{_where(settings)} is not a Safehub database: nothing to back up")
        with unit_of_work(db, actor=cli_actor()) as uow:
            record_backup(uow, file_name=str(file))
            uow.commit()
        with _progress() as progress:
            task = progress.add_task("Backing up", total=None)
            try:
                dump_database(db.owner_engine, url, file, progress=_reporter(progress, task))
            except ToolFailedError as exc:
                _say(f"Backup failed, no file was written: {exc}")
                raise typer.Exit(1) from exc
    size = file.stat().st_size / 1_048_576
    _say(f"Backed up {_where(settings)} to {file} ({size:,.1f} MB).")


def restore(
    file: Path = typer.Argument(..., help="A file written by safehub backup."),
) -> None:
    """Restore FILE into an empty database, then verify the audit chain it holds."""
    from safehub.db.backup import (
        BackupError,
        ToolFailedError,
        check_backup,
        is_empty,
        restore_database,
    )

    settings = _settings()
    try:
        check_backup(file)
    except BackupError as exc:
        _bad_input(str(exc))
    with _database(settings) as (db, url):
        if not is_empty(db.owner_engine):
            _bad_input(
                f"{_where(settings)} is not empty: restore {file} into an empty database "
                "(create one and point DATABASE_URL at it, or use a new SAFEHUB_DATA_DIR)"
            )
        with _progress() as progress:
            task = progress.add_task("Restoring", total=None)
            try:
                restore_database(db.owner_engine, url, file, progress=_reporter(progress, task))
            except ToolFailedError as exc:
                _say(f"Restore failed, nothing was restored: {exc}")
                raise typer.Exit(1) from exc
        _verify_restored(db)


def _verify_restored(db: Database) -> None:
    """The chain in itself, then against the anchors of the database the backup came from."""
    from sqlalchemy.orm import Session

    from safehub.audit import check_restored, verify_chain
    from safehub.audit.anchors import database_identity

    with db.owner_engine.connect() as conn:
        session = Session(bind=conn)
        report = verify_chain(session)
        if not report.intact:
            _say(
                f"Restored, but the audit log is broken at entry {report.first_broken_id}: "
                f"{report.problem}"
            )
            raise typer.Exit(1)
        anchors = check_restored(session, db.anchors) if db.anchors else None
        here = database_identity(session)
    if anchors is not None and anchors.problem:
        _say(f"Restored, but the audit log does not verify: {anchors.problem}")
        raise typer.Exit(1)
    _say(f"Restored. Audit log intact: {report.entries} entries, head {report.head[:16]}…")
    if anchors is not None and db.anchors is not None:
        _report_anchors(anchors, db.anchors, here)


def _report_anchors(anchors: RestoredCheck, store: AnchorStore, here: str) -> None:
    if anchors.checked:
        _say(f"It matches {anchors.checked} anchors of the database backed up.")
    if anchors.written_after:
        _say(
            f"Entries after {anchors.last_entry} (up to {anchors.newest_anchored}) were logged "
            "after this backup was taken and are not in it."
        )
    head = store.head()
    if head is not None and head[0].database not in (None, here):
        _say(
            f"The anchors in {store.folder} belong to the database backed up. Before this "
            "database is used as the live one, move that folder aside (keep it): anchoring "
            "starts again with the next logged change."
        )


def _say(message: str) -> None:
    err.print(message, markup=False, soft_wrap=True)


@contextmanager
def _database(settings: Settings) -> Iterator[tuple[Database, str]]:
    from safehub.db.database import connect, database_url
    from safehub.services.handlers import HANDLERS

    url = database_url(settings)  # starts the embedded server when no DATABASE_URL is set
    db = connect(settings, url=url, handlers=HANDLERS)
    try:
        yield db, url
    finally:
        db.dispose()


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        _bad_input(str(exc))


def _refuse_bad_destination(file: Path, settings: Settings) -> None:
    if file.exists():
        _bad_input(f"{file} already exists: choose a new name (a backup is never overwritten)")
    if not file.parent.is_dir():
        _bad_input(f"{file}: the folder {file.parent} does not exist")
    if file.is_relative_to(settings.data_dir):
        # The data folder holds the keys (audit anchors, secrets at rest): a backup kept beside
        # them is one theft away from being read and rewritten unnoticed.
        _bad_input(f"{file} is inside the data folder {settings.data_dir}: keep backups elsewhere")


def _where(settings: Settings) -> str:
    if settings.database_url:
        return "the database at DATABASE_URL"
    return f"the embedded database in {settings.data_dir}"


def _bad_input(message: str) -> NoReturn:
    _say(message)
    raise typer.Exit(2)


@contextmanager
def _progress() -> Iterator[Progress]:
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("tables"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        yield progress


def _reporter(progress: Progress, task: TaskID) -> BackupProgress:
    def report(done: int, total: int, _table: str) -> None:
        progress.update(task, completed=done, total=total or None)

    return report
