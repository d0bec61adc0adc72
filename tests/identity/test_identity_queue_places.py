"""Pending pairs stored before the review queue had places get one: the CLI and the job."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner

from safehub.cli.people import app
from safehub.db.database import Database
from safehub.jobs.resolve_job import run_resolution
from tests.identity.helpers import (
    aisha_rows,
    audit_actions,
    nothing_at_stake_rows,
    nothing_at_stake_second_rows,
    second_batch_rows,
)

Importer = Callable[[list[dict[str, str]]], None]
Place = tuple[int, bool, str]


def _pairs_placed_by_resolution(importer: Importer, resolve: Callable[..., object]) -> None:
    importer(aisha_rows() + nothing_at_stake_rows())
    resolve("bulk")
    importer(second_batch_rows() + nothing_at_stake_second_rows())
    resolve("incremental")


def _places(db: Database) -> dict[frozenset[str], Place]:
    """Each pending pair's stored place, by the person refs of its two sides."""
    with db.owner_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT l.person_ref, r.person_ref, mp.priority, mp.worth_review, "
                "mp.priority_reason FROM match_pair mp "
                "JOIN agency_person l ON l.id = mp.left_agency_person_id "
                "JOIN agency_person r ON r.id = mp.right_agency_person_id "
                "WHERE mp.status = 'pending'"
            )
        ).all()
    return {frozenset((r[0], r[1])): (r[2], r[3], r[4]) for r in rows}


def _set_place(db: Database, refs: frozenset[str], place: Place) -> None:
    with db.owner_engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE match_pair mp SET priority = :p, worth_review = :w, priority_reason = :r "
                "FROM agency_person l, agency_person r "
                "WHERE l.id = mp.left_agency_person_id AND r.id = mp.right_agency_person_id "
                "AND ARRAY[l.person_ref, r.person_ref] <@ CAST(:refs AS text[])"
            ),
            {"p": place[0], "w": place[1], "r": place[2], "refs": sorted(refs)},
        )


# As revision 0031's defaults leave a pair stored before it: tier 0, worth it, no reason.
UNPLACED: Place = (0, True, "")
SUSPECT = frozenset({"P-2", "C-90"})
PARENT = frozenset({"W-1", "W-2"})
WITNESS = frozenset({"W-3", "W-4"})


def test_place_queue_places_pending_pairs_stored_without_a_place_and_leaves_placed_ones(
    app_db: Database,
    database_url: str,
    tmp_path: Path,
    importer: Importer,
    resolve: Callable[..., object],
) -> None:
    _pairs_placed_by_resolution(importer, resolve)
    by_resolution = _places(app_db)
    assert {SUSPECT, PARENT, WITNESS} <= set(by_resolution)
    for refs in (SUSPECT, PARENT):
        _set_place(app_db, refs, UNPLACED)
    # A place no rule gives: a pair already placed is left exactly as it is.
    earlier: Place = (3, True, "placed by an earlier run")
    _set_place(app_db, WITNESS, earlier)
    env = {"DATABASE_URL": database_url, "SAFEHUB_DATA_DIR": str(tmp_path / "data")}
    result = CliRunner().invoke(app, ["place-queue", "--batch", "1"], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"placed": 2, "worth_review": 1, "batches": 2}
    after = _places(app_db)
    # The places resolution gave them: the suspect's pair first, the parent's pair left out.
    assert after[SUSPECT] == by_resolution[SUSPECT]
    assert after[SUSPECT][2].startswith("would complete an adult of concern")
    assert after[PARENT] == by_resolution[PARENT]
    assert after[PARENT][1] is False
    assert after[PARENT][2].startswith("left out: nothing at stake")
    assert after[WITNESS] == earlier
    altered = [ids for action, ids in audit_actions(app_db, "match_pair") if action == "alteration"]
    assert len(altered) == 2  # one entry per batch, naming its pairs
    again = CliRunner().invoke(app, ["place-queue"], env=env)
    assert json.loads(again.stdout) == {"placed": 0, "worth_review": 0, "batches": 0}


def test_the_resolution_job_places_unplaced_pairs_before_it_resolves(
    app_db: Database, importer: Importer, resolve: Callable[..., object]
) -> None:
    _pairs_placed_by_resolution(importer, resolve)
    by_resolution = _places(app_db)
    _set_place(app_db, SUSPECT, UNPLACED)
    summary = run_resolution(app_db, now=datetime.now(UTC), progress=lambda *_: None)
    assert summary.mode == "nothing new"  # no new records: only the placing changed anything
    assert _places(app_db)[SUSPECT] == by_resolution[SUSPECT]
