"""Domain events are dispatched at commit, in the same transaction, and a failure is loud."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from safehub import events
from safehub.access import Actor
from safehub.config import load_settings
from safehub.db.database import Database, connect
from safehub.db.uow import UnitOfWork, unit_of_work
from safehub.events import Event, EventHandlers, Handler, UnhandledEventError
from safehub.services.handlers import HANDLERS

SYSTEM = Actor("system:cli:test")


@dataclass(frozen=True)
class Happened(Event):
    what: str


@dataclass(frozen=True)
class FollowedOn(Event):
    what: str


def _audit(uow: UnitOfWork, event: Happened | FollowedOn) -> None:
    uow.audit("collection", "test_event", [event.what], purpose="a test of events")


def _follow_on(uow: UnitOfWork, event: Happened) -> None:
    uow.emit(FollowedOn(f"after {event.what}"))


def _fail(_uow: UnitOfWork, _event: Happened) -> None:
    raise RuntimeError("the handler failed")


def _db(database_url: str, tmp_path: Path, table: dict[type[Event], list[Handler]]) -> Database:
    settings = load_settings({"SAFEHUB_ENV": "test", "SAFEHUB_DATA_DIR": str(tmp_path / "d")})
    return connect(settings, url=database_url, handlers=EventHandlers(table))


def audited(db: Database) -> list[str]:
    """What the test handlers wrote to the audit log, in order."""
    with db.owner_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT object_ids FROM audit_event WHERE object_type = 'test_event' ORDER BY id")
        ).scalars()
        return [ids[0] for ids in rows]


def test_handlers_run_at_commit_and_their_writes_commit_with_the_change(
    database_url: str, tmp_path: Path
) -> None:
    db = _db(database_url, tmp_path, {Happened: [_audit, _follow_on], FollowedOn: [_audit]})
    with unit_of_work(db, actor=SYSTEM) as uow:
        uow.emit(Happened("import"))
        assert audited(db) == []  # nothing runs before commit
        uow.commit()
    assert audited(db) == ["import", "after import"]
    db.dispose()


def test_an_uncommitted_change_dispatches_nothing(database_url: str, tmp_path: Path) -> None:
    db = _db(database_url, tmp_path, {Happened: [_audit]})
    with unit_of_work(db, actor=SYSTEM) as uow:
        uow.emit(Happened("rolled back"))
    assert audited(db) == []
    db.dispose()


def test_a_failing_handler_fails_the_commit_and_nothing_is_written(
    database_url: str, tmp_path: Path
) -> None:
    db = _db(database_url, tmp_path, {Happened: [_audit, _fail]})
    with unit_of_work(db, actor=SYSTEM) as uow:
        uow.emit(Happened("doomed"))
        with pytest.raises(RuntimeError, match="the handler failed"):
            uow.commit()
    assert audited(db) == []
    db.dispose()


def test_an_event_nobody_handles_is_refused(database_url: str, tmp_path: Path) -> None:
    db = _db(database_url, tmp_path, {Happened: [_audit, _follow_on]})
    with unit_of_work(db, actor=SYSTEM) as uow:
        uow.emit(Happened("orphan"))
        with pytest.raises(UnhandledEventError, match="FollowedOn"):
            uow.commit()
    assert audited(db) == []
    db.dispose()


def test_every_domain_event_has_a_registered_handler() -> None:
    kinds = {
        obj
        for _, obj in inspect.getmembers(events, inspect.isclass)
        if issubclass(obj, Event) and obj is not Event
    }
    assert kinds and kinds <= set(HANDLERS.kinds())
