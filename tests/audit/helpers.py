"""What the audit tests do to a database: log entries as an analyst, archive an anchor."""

from __future__ import annotations

from sqlalchemy.orm import Session

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work

ACTOR = Actor(label="user:7:analyst")


def log_entries(db: Database, n: int) -> None:
    """``n`` audited consultations, each in a transaction of its own."""
    for i in range(n):
        with unit_of_work(db, actor=ACTOR) as uow:
            uow.audit("consultation", "person", [i], purpose="case work")
            uow.commit()


def archive_anchor(db: Database) -> None:
    """An archived anchor of the chain as it stands (the head follows it)."""
    assert db.anchors is not None
    with db.owner_engine.begin() as conn:
        db.anchors.write(Session(bind=conn))
