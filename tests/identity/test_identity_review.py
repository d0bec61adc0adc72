"""The review queue: a confirmed pair merges; a rejected pair is never proposed again."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.identity import (
    PairDecision,
    decide_review_pair,
    list_review_pairs,
    view_review_pair,
)
from tests.identity.conftest import SYSTEM
from tests.identity.helpers import aisha_rows, audit_actions, person_of, second_batch_rows

Importer = Callable[[list[dict[str, str]]], None]


def _queue(db: Database) -> list[int]:
    with unit_of_work(db, actor=SYSTEM) as uow:
        pairs = [p.pair_id for p in list_review_pairs(uow)]
        uow.commit()
    return pairs


def _decide(db: Database, pair_id: int, decision: str) -> int | None:
    with unit_of_work(db, actor=SYSTEM) as uow:
        person = decide_review_pair(
            uow, pair_id=pair_id, decision=PairDecision(decision, note="checked")
        )
        uow.commit()
    return person


def _with_pending_pair(importer: Importer, resolve: Callable[..., object]) -> None:
    importer(aisha_rows())
    resolve("bulk")
    importer(second_batch_rows())
    resolve("incremental")


def test_the_review_shows_both_records_and_the_evidence_as_a_waterfall(
    app_db: Database, importer: Importer, resolve: Callable[..., object]
) -> None:
    _with_pending_pair(importer, resolve)
    [pair_id] = _queue(app_db)
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        review = view_review_pair(uow, pair_id=pair_id)
        uow.commit()
    assert {review.left.person_ref, review.right.person_ref} == {"P-2", "C-90"}
    assert review.steps[0].end == review.steps[0].weight  # starts at the prior
    assert abs(review.steps[-1].end - review.match_weight) < 0.01  # ends at the total
    assert {s.label for s in review.steps} >= {"Given name", "Family name", "Date of birth"}


def test_confirming_a_pair_merges_the_two_people_audited_as_combination(
    app_db: Database, importer: Importer, resolve: Callable[..., object]
) -> None:
    _with_pending_pair(importer, resolve)
    suspect, associate = (
        person_of(app_db, "POL-WY", "P-2"),
        person_of(app_db, "LA-BRADFORD", "C-90"),
    )
    [pair_id] = _queue(app_db)
    assert _decide(app_db, pair_id, "confirm") == min(suspect, associate)
    assert person_of(app_db, "LA-BRADFORD", "C-90") == person_of(app_db, "POL-WY", "P-2")
    assert audit_actions(app_db, "person")[-1] == (
        "combination",
        [str(min(suspect, associate)), str(max(suspect, associate))],
    )
    assert _queue(app_db) == []


def test_a_rejected_pair_is_never_proposed_again(
    app_db: Database, importer: Importer, resolve: Callable[..., object]
) -> None:
    _with_pending_pair(importer, resolve)
    [pair_id] = _queue(app_db)
    assert _decide(app_db, pair_id, "reject") is None
    resolve("bulk")  # a full re-run scores the same pair again
    assert _queue(app_db) == []
    with app_db.owner_engine.connect() as conn:
        statuses = conn.execute(text("SELECT status FROM match_pair")).scalars().all()
    assert statuses == ["rejected"]
    assert person_of(app_db, "LA-BRADFORD", "C-90") != person_of(app_db, "POL-WY", "P-2")
