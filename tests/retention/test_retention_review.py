"""Retention by review: records reaching their review date go to a person, who keeps,
anonymises or erases them; nothing is deleted silently or without a decision."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from safehub.audit import verify_chain
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.errors import ForbiddenError, NotFoundError
from safehub.services.retention import (
    RetentionDecision,
    RetentionPeriodChange,
    RetentionRefusedError,
    change_retention_period,
    decide_review,
    review_queue,
)
from tests.retention.conftest import Records, dpo_actor, run_review, years_on
from tests.timeliness.conftest import SYSTEM, World, count

DPO = "dpo@la-bradford"


def _open(db: Database) -> dict[tuple[str, int], int]:
    with db.owner_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT record_kind, record_id, id FROM retention_review WHERE status = 'due'")
        ).all()
    return {(kind, rid): review_id for kind, rid, review_id in rows}


def _decide(db: Database, review_id: int, outcome: str, reason: str = "", **more: object) -> None:
    with unit_of_work(db, actor=dpo_actor(db, DPO)) as uow:
        decide_review(
            uow,
            decision=RetentionDecision(review_id, outcome, reason, **more),  # type: ignore[arg-type]
            today=date.today(),
        )
        uow.commit()


@pytest.fixture
def dpo(make_user: Callable[..., str]) -> str:
    return make_user("data_protection_officer", "LA-BRADFORD", username=DPO)


def test_case_and_referral_records_are_not_due_before_75_years(
    app_db: Database, records: Records
) -> None:
    assert run_review(app_db, years_on(74)).endswith("0 reached their review date")
    assert _open(app_db) == {}


def test_after_75_years_the_case_and_the_lone_referral_go_to_a_person_and_nothing_is_removed(
    app_db: Database, records: Records
) -> None:
    summary = run_review(app_db, years_on(76))
    assert summary == "2 records looked at, 2 reached their review date"
    # The referral that led to the case is reviewed with the case, not on its own.
    assert set(_open(app_db)) == {("case", records.case_id), ("referral", records.referral_id)}
    assert count(app_db, "SELECT count(*) FROM case_note WHERE case_id = :c", c=records.case_id)
    # Found twice, opened once.
    assert run_review(app_db, years_on(77)).endswith("0 reached their review date")
    assert count(app_db, "SELECT count(*) FROM retention_review") == 2


def test_a_referral_closed_with_no_further_action_is_reviewed_after_the_partnerships_period(
    app_db: Database, records: Records, dpo: str
) -> None:
    with app_db.owner_engine.begin() as conn:
        conn.execute(
            text("UPDATE referral SET status = 'no_further_action' WHERE id = :r"),
            {"r": records.referral_id},
        )
    assert run_review(app_db, years_on(5)).endswith("0 reached their review date")
    assert set(_open(app_db)) == set()
    run_review(app_db, years_on(7))
    assert set(_open(app_db)) == {("referral", records.referral_id)}
    with unit_of_work(app_db, actor=dpo_actor(app_db, dpo)) as uow:
        change_retention_period(uow, change=RetentionPeriodChange("referral_nfa", "10"))
        uow.commit()
    with unit_of_work(app_db, actor=dpo_actor(app_db, dpo)) as uow, pytest.raises(NotFoundError):
        # A national period is not the partnership's to change.
        change_retention_period(uow, change=RetentionPeriodChange("csa_case", "10"))
    assert count(app_db, "SELECT years FROM retention_class WHERE code = 'referral_nfa'") == 10
    assert count(app_db, "SELECT years FROM retention_class WHERE code = 'csa_case'") == 75


def test_keeping_a_record_sets_its_next_review_and_it_returns_only_then(
    app_db: Database, records: Records, dpo: str
) -> None:
    run_review(app_db, years_on(76))
    review = _open(app_db)[("case", records.case_id)]
    _decide(app_db, review, "keep", "An inquiry asked for it", next_review_on=years_on(86).date())
    assert ("case", records.case_id) not in _open(app_db)
    # Before the new date the job does not find it again; after it, it does.
    run_review(app_db, years_on(85))
    assert ("case", records.case_id) not in _open(app_db)
    run_review(app_db, years_on(87))
    assert ("case", records.case_id) in _open(app_db)


def test_anonymising_a_case_removes_the_childs_details_and_keeps_its_facts(
    app_db: Database, records: Records, dpo: str
) -> None:
    run_review(app_db, years_on(76))
    review = _open(app_db)[("case", records.case_id)]
    _decide(app_db, review, "anonymise", "No longer needed with names; facts kept for statistics")
    with app_db.owner_engine.connect() as conn:
        body = conn.execute(
            text("SELECT body FROM case_note WHERE id = :n"), {"n": records.note_id}
        ).scalar_one()
        referral = conn.execute(
            text(
                "SELECT child_given_names, child_date_of_birth, concern, concern_type, "
                "received_at IS NOT NULL FROM referral WHERE id = :r"
            ),
            {"r": records.case_referral_id},
        ).one()
        action = conn.execute(
            text("SELECT description, action_type FROM meeting_action WHERE meeting_id = :m"),
            {"m": records.meeting_id},
        ).one()
    assert "Aisha" not in body and body.startswith("Removed when the record was anonymised")
    assert referral[0] == "Anonymised" and referral[1] is None and "cars" not in referral[2]
    assert referral[3] == "sexual_exploitation" and referral[4]  # the facts stay
    assert "drivers" not in action[0] and action[1] == "child_abduction_warning_notice"
    assert count(app_db, "SELECT count(*) FROM safeguarding_case WHERE id = :c", c=records.case_id)
    # The referral without a case is untouched, and anonymised records are not reviewed again.
    assert count(
        app_db,
        "SELECT count(*) FROM referral WHERE id = :r AND child_given_names = 'Aisha'",
        r=records.referral_id,
    )
    run_review(app_db, years_on(90))
    assert ("case", records.case_id) not in _open(app_db)
    assert _audit(app_db, "alteration", "safeguarding_case", records.case_id)


def test_erasing_a_case_removes_it_whole_and_leaves_a_tombstone_and_an_audit_entry(
    app_db: Database, records: Records, dpo: str
) -> None:
    run_review(app_db, years_on(76))
    review = _open(app_db)[("case", records.case_id)]
    _decide(app_db, review, "erase", "Past its retention period; no inquiry or claim pending")
    for table, column in (
        ("safeguarding_case", "id"),
        ("case_note", "case_id"),
        ("meeting", "case_id"),
        ("meeting_action", "case_id"),
        ("clock", "case_id"),
    ):
        assert (
            count(app_db, f"SELECT count(*) FROM {table} WHERE {column} = :c", c=records.case_id)
            == 0
        )
    assert (
        count(app_db, "SELECT count(*) FROM referral WHERE id = :r", r=records.case_referral_id)
        == 0
    )
    with app_db.owner_engine.connect() as conn:
        tomb = conn.execute(
            text(
                "SELECT t.record_ref, t.erased, t.reason, u.username, t.erased_at IS NOT NULL "
                "FROM retention_tombstone t JOIN app_user u ON u.id = t.erased_by_user_id"
            )
        ).one()
    assert tomb[0] == records.case_reference
    assert tomb[1]["case_note"] == 1 and tomb[1]["referral"] == 1 and tomb[1]["meeting"] == 1
    assert tomb[2].startswith("Past its retention period") and tomb[3] == DPO and tomb[4]
    assert _audit(app_db, "erasure", "safeguarding_case", records.case_id)
    with app_db.owner_engine.connect() as conn:
        from sqlalchemy.orm import Session

        assert verify_chain(Session(bind=conn)).intact


def test_an_erasure_needs_a_reason_and_a_decided_review_cannot_be_decided_again(
    app_db: Database, records: Records, dpo: str
) -> None:
    run_review(app_db, years_on(76))
    review = _open(app_db)[("referral", records.referral_id)]
    with pytest.raises(RetentionRefusedError) as refused:
        _decide(app_db, review, "erase", "  ")
    assert refused.value.errors == {"reason": "Say why the record should be erased"}
    with pytest.raises(RetentionRefusedError) as no_date:
        _decide(app_db, review, "keep")
    assert set(no_date.value.errors) == {"next_review_on"}
    _decide(app_db, review, "erase", "Recorded in error: a duplicate of REF-000001")
    with pytest.raises(RetentionRefusedError) as again:
        _decide(app_db, review, "erase", "again")
    assert again.value.errors == {"outcome": "This review has been decided already"}
    assert count(app_db, "SELECT count(*) FROM retention_tombstone") == 1


def test_only_the_data_protection_officer_sees_the_queue(
    app_db: Database, records: Records, world: World
) -> None:
    run_review(app_db, years_on(76))
    with unit_of_work(app_db, actor=world.actor(app_db, world.head)) as uow:
        with pytest.raises(ForbiddenError):
            review_queue(uow)
        # Row-level security alone: the head of service's context reads no review.
        assert uow.session.execute(text("SELECT count(*) FROM retention_review")).scalar() == 0


def test_nothing_is_erased_without_a_decision_even_by_sql_as_the_app_role(
    app_db: Database, records: Records, dpo: str
) -> None:
    run_review(app_db, years_on(76))
    review = _open(app_db)[("case", records.case_id)]
    # The application role may not delete a case row, whoever it acts for.
    with (
        unit_of_work(app_db, actor=dpo_actor(app_db, dpo)) as uow,
        pytest.raises(ProgrammingError, match="permission denied"),
    ):
        uow.session.execute(text("DELETE FROM case_note"))
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        uow.session.execute(
            text("SELECT safehub_retention_decide(:r, 'keep', '', :d)"),
            {"r": review, "d": date.today() + timedelta(days=30)},
        )
        uow.session.commit()
        # A review already decided is refused by the database itself.
        with pytest.raises(DBAPIError, match="not waiting for a decision"):
            uow.session.execute(
                text("SELECT safehub_retention_decide(:r, 'erase', 'x', NULL)"), {"r": review}
            )
    assert count(app_db, "SELECT count(*) FROM safeguarding_case WHERE id = :c", c=records.case_id)


def _audit(db: Database, action: str, object_type: str, object_id: int) -> bool:
    with db.owner_engine.connect() as conn:
        return bool(
            conn.execute(
                text(
                    "SELECT count(*) FROM audit_event WHERE action = :a AND object_type = :t "
                    "AND :i IN (SELECT jsonb_array_elements_text(object_ids))"
                ),
                {"a": action, "t": object_type, "i": str(object_id)},
            ).scalar_one()
        )


def test_a_review_and_a_tombstone_are_hidden_from_everyone_but_the_dpo_by_rls_alone(
    app_db: Database, records: Records, dpo: str, world: World
) -> None:
    run_review(app_db, years_on(76))
    _decide(app_db, _open(app_db)[("referral", records.referral_id)], "erase", "Duplicate")
    from safehub.access.checks import app_checks_off

    with app_checks_off():
        for actor, expected in (
            (dpo_actor(app_db, dpo), (2, 1)),
            (world.actor(app_db, world.worker), (0, 0)),
        ):
            with unit_of_work(app_db, actor=actor) as uow:
                seen = uow.session.execute(
                    text(
                        "SELECT (SELECT count(*) FROM retention_review), "
                        "(SELECT count(*) FROM retention_tombstone)"
                    )
                ).one()
            assert tuple(seen) == expected
