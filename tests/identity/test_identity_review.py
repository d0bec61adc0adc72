"""The review queue: a confirmed pair merges; a rejected pair is never proposed again."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.identity import (
    PairDecision,
    PendingPair,
    count_other_review_pairs,
    decide_review_pair,
    list_review_pairs,
    view_review_pair,
)
from tests.identity.conftest import SYSTEM
from tests.identity.helpers import (
    aisha_rows,
    audit_actions,
    nothing_at_stake_rows,
    nothing_at_stake_second_rows,
    person_of,
    second_batch_rows,
)

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


def _listed(db: Database, *, others: bool = False) -> list[PendingPair]:
    with unit_of_work(db, actor=SYSTEM) as uow:
        pairs = list_review_pairs(uow, others=others)
        uow.commit()
    return pairs


def _refs(db: Database, pair_id: int) -> set[str]:
    with db.owner_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT ap.person_ref FROM match_pair mp JOIN agency_person ap "
                "ON ap.id IN (mp.left_agency_person_id, mp.right_agency_person_id) "
                "WHERE mp.id = :id"
            ),
            {"id": pair_id},
        ).scalars()
        return set(rows)


def _with_pairs_at_stake_and_not(importer: Importer, resolve: Callable[..., object]) -> None:
    importer(aisha_rows() + nothing_at_stake_rows())
    resolve("bulk")
    importer(second_batch_rows() + nothing_at_stake_second_rows())
    resolve("incremental")


def test_a_pair_completing_an_adult_of_concern_comes_before_a_likelier_pair_with_less_at_stake(
    app_db: Database, importer: Importer, resolve: Callable[..., object]
) -> None:
    _with_pairs_at_stake_and_not(importer, resolve)
    suspect, witness = _listed(app_db)
    assert _refs(app_db, suspect.pair_id) == {"P-2", "C-90"}  # suspect in records with a child
    assert _refs(app_db, witness.pair_id) == {"W-3", "W-4"}  # a witness at two agencies
    assert suspect.match_probability < witness.match_probability
    assert suspect.priority > witness.priority
    assert suspect.priority_reason.startswith(
        "would complete an adult of concern who is in records with children"
    )
    assert witness.priority_reason == "would join records held by different agencies"


def test_a_pair_with_nothing_at_stake_stays_pending_listed_apart(
    app_db: Database, importer: Importer, resolve: Callable[..., object]
) -> None:
    _with_pairs_at_stake_and_not(importer, resolve)
    assert all(_refs(app_db, p.pair_id) != {"W-1", "W-2"} for p in _listed(app_db))
    [other] = _listed(app_db, others=True)
    assert _refs(app_db, other.pair_id) == {"W-1", "W-2"}  # one agency's parent, twice
    assert other.priority_reason.startswith("left out: nothing at stake")
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        assert count_other_review_pairs(uow) == 1
        uow.commit()
    with app_db.owner_engine.connect() as conn:
        status = conn.execute(
            text("SELECT status FROM match_pair WHERE id = :id"), {"id": other.pair_id}
        ).scalar_one()
    assert status == "pending"  # nothing lost: a reviewer can still decide it
    assert _decide(app_db, other.pair_id, "confirm") is not None


def test_a_bulk_run_places_the_pairs_it_queues_too(
    app_db: Database, importer: Importer, resolve: Callable[..., object]
) -> None:
    importer(aisha_rows() + second_batch_rows())
    resolve("bulk")
    [pair] = _listed(app_db)
    assert _refs(app_db, pair.pair_id) == {"P-2", "C-90"}
    assert pair.priority_reason == (
        "would complete an adult of concern who is in records with children; "
        "the two are known to different agencies"
    )
