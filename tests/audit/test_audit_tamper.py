"""The tamper harness: edits, deletions, insertions and reorderings of audit rows, made as the
database superuser (triggers off, hashes even recomputed), are all caught."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from safehub.audit import AnchorStore, check_anchors, verify_chain
from safehub.audit.chain import AuditEntry, entry_hash
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from tests.audit.helpers import ACTOR, log_entries


@pytest.fixture
def logged(db: Database) -> Database:
    log_entries(db, 25)
    assert db.anchors is not None
    with db.owner_engine.begin() as conn:
        db.anchors.write(Session(bind=conn))  # an archived anchor in the middle
    log_entries(db, 15)
    return db


def _verdict(conn: Connection, store: AnchorStore) -> int | None:
    session = Session(bind=conn)
    report = verify_chain(session)
    if not report.intact:
        return report.first_broken_id
    broken, _problem = check_anchors(session, store)
    return broken


@contextmanager
def superuser(db: Database) -> Iterator[Connection]:
    """A superuser transaction with the append-only triggers off, rolled back afterwards."""
    with db.owner_engine.connect() as conn:
        transaction = conn.begin()
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        yield conn
        transaction.rollback()


def _ids(conn: Connection) -> list[int]:
    return list(conn.execute(text("SELECT id FROM audit_event ORDER BY id")).scalars())


def _rehash_from(conn: Connection, start_id: int) -> None:
    """What a careful attacker does: recompute every hash from an entry onwards."""
    rows = (
        conn.execute(text("SELECT * FROM audit_event WHERE id >= :i ORDER BY id"), {"i": start_id})
        .mappings()
        .all()
    )
    prev = (
        conn.execute(
            text("SELECT entry_hash FROM audit_event WHERE id < :i ORDER BY id DESC LIMIT 1"),
            {"i": start_id},
        ).scalar()
        or "0" * 64
    )
    for row in rows:
        entry = AuditEntry(
            row["actor"],
            row["action"],
            row["object_type"],
            row["object_ids"],
            row["purpose"],
            row["source"],
            row["detail"],
        )
        new = entry_hash(row["id"], row["occurred_at"], entry, prev)
        conn.execute(
            text("UPDATE audit_event SET prev_hash = :p, entry_hash = :h WHERE id = :i"),
            {"p": prev, "h": new, "i": row["id"]},
        )
        prev = new


def _edit(conn: Connection, target: int) -> None:
    conn.execute(
        text("UPDATE audit_event SET purpose = 'nothing to see' WHERE id = :i"), {"i": target}
    )


def _delete(conn: Connection, target: int) -> None:
    conn.execute(text("DELETE FROM audit_event WHERE id = :i"), {"i": target})


def _insert_after(conn: Connection, target: int) -> None:
    conn.execute(
        text(
            "INSERT INTO audit_event (id, occurred_at, actor, action, object_type, object_ids, purpose, source,"
            " detail, prev_hash, entry_hash) SELECT id * 1000 + 1, occurred_at, 'user:9:forged', action,"
            " object_type, object_ids, purpose, source, detail, entry_hash, md5(random()::text) || md5(random()::text)"
            " FROM audit_event WHERE id = :i"
        ),
        {"i": target},
    )
    # Renumber so that the forged row sits between target and its successor.
    conn.execute(
        text("UPDATE audit_event SET id = id + 100000 WHERE id > :i AND id < :i * 1000"),
        {"i": target},
    )
    conn.execute(text("UPDATE audit_event SET id = :i + 1 WHERE id = :i * 1000 + 1"), {"i": target})


def _swap(conn: Connection, target: int) -> None:
    conn.execute(text("UPDATE audit_event SET id = -1 WHERE id = :i"), {"i": target})
    conn.execute(text("UPDATE audit_event SET id = :i WHERE id = :i + 1"), {"i": target})
    conn.execute(text("UPDATE audit_event SET id = :i + 1 WHERE id = -1"), {"i": target})


TAMPERS: dict[str, Callable[[Connection, int], None]] = {
    "edit": _edit,
    "delete": _delete,
    "insert": _insert_after,
    "swap": _swap,
}


def test_an_untouched_log_is_intact(logged: Database) -> None:
    assert logged.anchors is not None
    with logged.owner_engine.connect() as conn:
        assert _verdict(conn, logged.anchors) is None


@pytest.mark.parametrize("rehash", [False, True], ids=["plain", "hashes recomputed"])
@pytest.mark.parametrize("kind", sorted(TAMPERS))
def test_random_tampering_by_a_superuser_is_detected(
    logged: Database, kind: str, rehash: bool
) -> None:
    assert logged.anchors is not None
    rng = random.Random(f"{kind}-{rehash}")
    with logged.owner_engine.connect() as conn:
        ids = _ids(conn)
    for target in rng.sample(ids[:-1], 6) + [ids[-1]] * (kind in ("edit", "delete")):
        with superuser(logged) as conn:
            TAMPERS[kind](conn, target)
            if rehash:
                _rehash_from(conn, min(target, _ids(conn)[-1]))
            assert _verdict(conn, logged.anchors) is not None, (
                f"{kind} of entry {target} went unnoticed"
            )


def test_appending_a_forged_entry_with_a_correct_hash_is_detected(logged: Database) -> None:
    assert logged.anchors is not None
    with superuser(logged) as conn:
        last = (
            conn.execute(text("SELECT * FROM audit_event ORDER BY id DESC LIMIT 1"))
            .mappings()
            .one()
        )
        entry = AuditEntry("user:9:forged", "consultation", "person", ["1"], "case work", None, {})
        new_id = last["id"] + 1
        forged = entry_hash(new_id, last["occurred_at"], entry, last["entry_hash"])
        conn.execute(
            text(
                "INSERT INTO audit_event (id, occurred_at, actor, action, object_type, object_ids,"
                " purpose, detail, prev_hash, entry_hash) VALUES (:i, :at, :a, 'consultation', 'person',"
                " CAST(:ids AS jsonb), 'case work', CAST('{}' AS jsonb), :p, :h)"
            ),
            {
                "i": new_id,
                "at": last["occurred_at"],
                "a": entry.actor,
                "ids": '["1"]',
                "p": last["entry_hash"],
                "h": forged,
            },
        )
        assert verify_chain(Session(bind=conn)).intact  # the chain alone cannot see it...
        assert _verdict(conn, logged.anchors) == last["id"] + 1  # ...the signed head anchor can


def test_a_forged_anchor_is_rejected(logged: Database) -> None:
    assert logged.anchors is not None
    head = logged.anchors.folder / "head.json"
    body = json.loads(head.read_text())
    body["entry_hash"] = "f" * 64
    head.write_text(json.dumps(body))
    with logged.owner_engine.connect() as conn:
        session = Session(bind=conn)
        broken, problem = check_anchors(session, logged.anchors)
    assert broken == body["entry_id"] and problem is not None and "bad signature" in problem


def test_the_app_role_cannot_update_or_delete_audit_rows(db: Database) -> None:
    log_entries(db, 1)
    with db.app_session(actor="x") as session, pytest.raises(Exception, match="permission denied"):
        session.execute(text("DELETE FROM audit_event"))


def test_a_change_without_an_audit_entry_is_refused(db: Database) -> None:
    from safehub.db.models import Agency
    from safehub.db.uow import UnauditedChangeError

    with unit_of_work(db, actor=ACTOR) as uow, pytest.raises(UnauditedChangeError):
        uow.session.add(Agency(code="X", agency_type="police", name="X"))
        uow.commit()
