"""Anchors that cannot be cut round or swapped: the head anchor must be at least as new as the
archived ones, and anchors name the database they were taken from."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import text
from sqlalchemy.orm import Session

from safehub.audit import AnchorStore, ChainHead, check_anchors, verify_chain
from safehub.audit.anchors import HEAD, database_identity
from safehub.config import load_settings
from safehub.db.database import Database, connect
from safehub.db.embedded import ensure_database, sqlalchemy_url
from tests.audit.helpers import archive_anchor, log_entries
from tests.conftest import TEMPLATE


def _check(db: Database) -> tuple[int | None, str | None]:
    assert db.anchors is not None
    with db.owner_engine.connect() as conn:
        session = Session(bind=conn)
        assert verify_chain(session).intact
        return check_anchors(session, db.anchors)


def _cut_tail(db: Database, keep: int) -> None:
    """What a superuser would do: delete the newest entries (the chain stays consistent)."""
    with db.owner_engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text("DELETE FROM audit_event WHERE id > :k"), {"k": keep})


def _last_id(db: Database) -> int:
    with db.owner_engine.connect() as conn:
        return int(conn.execute(text("SELECT max(id) FROM audit_event")).scalar_one())


def test_an_intact_log_with_archived_and_head_anchors_holds(db: Database) -> None:
    log_entries(db, 5)
    archive_anchor(db)
    log_entries(db, 3)
    assert _check(db) == (None, None)


def test_a_cut_tail_with_the_head_anchor_deleted_is_reported(db: Database) -> None:
    log_entries(db, 5)
    archive_anchor(db)
    anchored = _last_id(db)
    log_entries(db, 3)
    _cut_tail(db, anchored)
    assert db.anchors is not None
    (db.anchors.folder / HEAD).unlink()
    broken, problem = _check(db)
    assert broken == anchored
    assert problem is not None and "the head anchor is missing" in problem


def test_a_head_anchor_older_than_an_archived_one_is_reported(db: Database) -> None:
    assert db.anchors is not None
    log_entries(db, 3)
    old_head = db.anchors.folder / HEAD
    kept = old_head.read_bytes()
    log_entries(db, 4)
    archive_anchor(db)
    anchored = _last_id(db)
    old_head.write_bytes(kept)  # an older copy put back in place of the newest head
    broken, problem = _check(db)
    assert broken == anchored
    assert problem is not None and "the head anchor stops at entry" in problem


@pytest.fixture
def other_db(pg_server_uri: str, db: Database, tmp_path: Path) -> Iterator[Database]:
    """Another database on the same server, with a data folder of its own."""
    name = f"other_{tmp_path.name[-20:]}".replace("-", "_").lower()
    ensure_database(pg_server_uri, name, template=TEMPLATE)
    settings = load_settings({"SAFEHUB_ENV": "test", "SAFEHUB_DATA_DIR": str(tmp_path / "other")})
    other = connect(settings, url=sqlalchemy_url(pg_server_uri, name))
    yield other
    other.dispose()
    with psycopg.connect(pg_server_uri, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def test_anchors_of_another_database_are_reported_as_such_not_as_a_rewrite(
    db: Database, other_db: Database
) -> None:
    log_entries(db, 4)
    archive_anchor(db)
    log_entries(other_db, 6)  # a chain of its own, whose entries have other hashes
    mine, theirs = db.anchors, other_db.anchors
    assert mine is not None and theirs is not None
    # The data folder of the first database is given to the second (key and anchors).
    shutil.rmtree(theirs.folder)
    shutil.copytree(mine.folder, theirs.folder)
    shutil.copyfile(mine.key_path, theirs.key_path)
    broken, problem = _check(other_db)
    with other_db.owner_engine.connect() as conn:
        here = database_identity(Session(bind=conn))
    assert broken is None
    assert problem is not None and "belong to another database" in problem and here in problem


def test_every_anchor_names_the_database_it_was_taken_from(db: Database) -> None:
    log_entries(db, 2)
    archive_anchor(db)
    assert db.anchors is not None
    with db.owner_engine.connect() as conn:
        here = database_identity(Session(bind=conn))
    store = AnchorStore(db.anchors.folder)
    head = store.head()
    assert head is not None and head[0].database == here and head[1]
    assert all(a.database == here and valid for a, valid in store.anchors())


def test_threads_of_one_process_archive_anchors_at_once_without_failing(db: Database) -> None:
    """Two requests of one web worker can archive an anchor at the same moment after their
    commits; with one temporary file name per process the second rename failed, and a
    committed request answered 500 (found by the load test at 100 users)."""
    from concurrent.futures import ThreadPoolExecutor

    log_entries(db, 3)

    def archive_many(_: int) -> None:
        for _round in range(25):
            archive_anchor(db)

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(archive_many, range(6)))  # re-raises any thread's error
    assert db.anchors is not None
    assert not list(db.anchors.folder.glob("*.tmp"))
    assert _check(db) == (None, None)


def test_the_head_follows_each_logged_commit_and_never_moves_back(db: Database) -> None:
    """Each commit signs the entry it appended as the head (no query after the commit); a commit
    that finishes after a newer one leaves the newer head in place."""
    assert db.anchors is not None
    log_entries(db, 2)
    with db.owner_engine.connect() as conn:
        rows = conn.execute(text("SELECT id, entry_hash FROM audit_event ORDER BY id")).all()
    head = db.anchors.head()
    assert head is not None and head[1]
    assert (head[0].entry_id, head[0].entry_hash) == (rows[-1].id, rows[-1].entry_hash)
    with db.owner_engine.connect() as conn:  # a slower commit of the entry before, signing late
        db.anchors.write_head(Session(bind=conn), ChainHead(rows[-2].id, rows[-2].entry_hash))
    after = db.anchors.head()
    assert after is not None and after[0].entry_id == rows[-1].id and after[1]
    assert _check(db) == (None, None)
