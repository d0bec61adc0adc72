"""Community reports not converted have a review period (2 years from the last message by
default, a partnership setting): the review job opens a review, the data protection officer
keeps, anonymises or erases through the same function as cases (audited, a tombstone for an
erasure), a converted report follows the record it became, and the privacy notice states the
period the officer set, in English and Welsh."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from safehub.audit import verify_chain
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.jobs.community_match_job import run_matching
from safehub.public.app import create_public_app
from safehub.services.retention import (
    RetentionDecision,
    RetentionPeriodChange,
    change_retention_period,
    decide_review,
    review_queue,
)
from tests.networks_db.helpers import owner_rows
from tests.retention.conftest import dpo_actor, run_review, years_on
from tests.web.conftest import PageClient
from tests.web.test_community_triage import _report, _report_id

DPO = "dpo@la-bradford"


@pytest.fixture
def dpo(make_user: Callable[..., str]) -> str:
    return make_user("data_protection_officer", "LA-BRADFORD", username=DPO)


@pytest.fixture
def public(app_db: Database) -> Iterator[TestClient]:
    with TestClient(create_public_app(app_db), base_url="https://testserver") as client:
        yield client


def _reported(db: Database) -> int:
    report_id = _report_id(
        db, _report(db, phone="07700 900777", subject_name="Jay Smith", subject_age="17")[0]
    )
    with db.owner_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO community_report_message (report_id, sender, body) "
                "VALUES (:r, 'reporter', 'He was there again with the same car')"
            ),
            {"r": report_id},
        )
    run_matching(db, now=datetime.now(UTC), progress=lambda *_: None)
    return report_id


def _reviews(db: Database) -> list[tuple[object, ...]]:
    return owner_rows(
        db,
        "SELECT record_kind, record_id, record_ref, class_code, status FROM retention_review "
        "ORDER BY id",
    )


def _decide(db: Database, outcome: str, reason: str = "", **more: object) -> dict[str, int]:
    ((review_id,),) = owner_rows(db, "SELECT id FROM retention_review WHERE status = 'due'")
    with unit_of_work(db, actor=dpo_actor(db, DPO)) as uow:
        taken = decide_review(
            uow,
            decision=RetentionDecision(review_id, outcome, reason, **more),  # type: ignore[arg-type]
            today=date.today(),
        )
        uow.commit()
    return taken.changed


def test_a_report_is_reviewed_two_years_after_its_last_message_not_before(
    app_db: Database,
) -> None:
    report_id = _reported(app_db)
    reference = owner_rows(
        app_db, "SELECT reference FROM community_report WHERE id = :i", i=report_id
    )[0][0]
    assert run_review(app_db, years_on(2, days=-3)).endswith("0 reached their review date")
    assert run_review(app_db, years_on(2, days=1)).endswith("1 reached their review date")
    assert _reviews(app_db) == [("community", report_id, reference, "community_report", "due")]


def test_a_later_message_moves_the_review_date(app_db: Database) -> None:
    report_id = _reported(app_db)
    with app_db.owner_engine.begin() as conn:
        conn.execute(
            text("UPDATE community_report_message SET sent_at = :at WHERE report_id = :r"),
            {"at": datetime.now(UTC) + timedelta(days=365), "r": report_id},
        )
    assert run_review(app_db, years_on(2, days=1)).endswith("0 reached their review date")
    assert run_review(app_db, years_on(3, days=1)).endswith("1 reached their review date")


def test_a_converted_report_follows_the_record_it_became(app_db: Database) -> None:
    report_id = _reported(app_db)
    with app_db.owner_engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE community_report SET status = 'converted', converted_kind = 'referral', "
                "converted_id = 1, converted_ref = 'REF-000001', converted_at = now() "
                "WHERE id = :r"
            ),
            {"r": report_id},
        )
    assert run_review(app_db, years_on(10)).endswith("0 reached their review date")


def test_anonymising_removes_what_names_anyone_and_keeps_the_facts(
    app_db: Database, dpo: str
) -> None:
    report_id = _reported(app_db)
    run_review(app_db, years_on(2, days=1))
    changed = _decide(app_db, "anonymise", "No agency acted on it in two years")
    assert changed == {"community_report": 1, "community_report_message": 1}
    ((what, phone, subject, about, received),) = owner_rows(
        app_db,
        "SELECT what_seen, phone, subject_name, about, received_at::date FROM community_report "
        "WHERE id = :i",
        i=report_id,
    )
    assert what.startswith("Removed when the record was anonymised")
    assert (phone, subject, about, received) == (None, None, "place", date.today())
    ((body,),) = owner_rows(
        app_db, "SELECT body FROM community_report_message WHERE report_id = :i", i=report_id
    )
    assert body.startswith("Removed when the record was anonymised")
    assert owner_rows(app_db, "SELECT count(*) FROM community_report_match") == [(0,)]
    assert owner_rows(
        app_db,
        "SELECT action, object_ids FROM audit_event WHERE object_type = 'community_report' "
        "AND purpose LIKE 'anonymised after retention review%'",
    ) == [("alteration", [str(report_id)])]
    assert _reviews(app_db)[0][-1] == "anonymised"


def test_erasing_removes_the_report_and_leaves_a_tombstone_and_the_audit(
    app_db: Database, dpo: str
) -> None:
    report_id = _reported(app_db)
    run_review(app_db, years_on(2, days=1))
    changed = _decide(app_db, "erase", "Untested and no longer needed")
    assert changed == {"community_report": 1, "community_report_message": 1}
    for table in ("community_report", "community_report_message", "community_report_match"):
        assert owner_rows(app_db, f"SELECT count(*) FROM {table}") == [(0,)]
    ((kind, record_id, erased, reason),) = owner_rows(
        app_db, "SELECT record_kind, record_id, erased, reason FROM retention_tombstone"
    )
    assert (kind, record_id, reason) == ("community", report_id, "Untested and no longer needed")
    assert erased == changed
    assert owner_rows(
        app_db,
        "SELECT action FROM audit_event WHERE object_type = 'community_report' "
        "AND purpose LIKE 'erased after retention review%'",
    ) == [("erasure",)]
    with app_db.owner_engine.connect() as conn:
        assert verify_chain(Session(bind=conn)).intact


def test_keeping_sets_the_next_review_and_the_queue_names_the_class(
    app_db: Database, dpo: str
) -> None:
    _reported(app_db)
    run_review(app_db, years_on(2, days=1))
    with unit_of_work(app_db, actor=dpo_actor(app_db, DPO)) as uow:
        queue = review_queue(uow)
        uow.commit()
    (line,) = queue.open
    assert (line.class_name, line.years) == (
        "Community report not added to the shared record",
        2,
    )
    _decide(app_db, "keep", next_review_on=date.today() + timedelta(days=400))
    assert _reviews(app_db)[0][-1] == "kept"
    assert owner_rows(app_db, "SELECT count(*) FROM community_report") == [(1,)]


def test_the_officer_s_period_is_used_and_stated_by_the_privacy_notice(
    app_db: Database, dpo: str, public: TestClient
) -> None:
    assert "reviewed 2 years after the last message" in public.get("/privacy").text
    assert "eu hadolygu 2 flynedd ar ôl y neges olaf" in public.get("/cy/privacy").text
    _reported(app_db)
    with unit_of_work(app_db, actor=dpo_actor(app_db, DPO)) as uow:
        change_retention_period(uow, change=RetentionPeriodChange("community_report", "1"))
        uow.commit()
    assert run_review(app_db, years_on(1, days=1)).endswith("1 reached their review date")
    assert "reviewed 1 year after the last message" in public.get("/privacy").text
    assert "eu hadolygu 1 flwyddyn ar ôl" in public.get("/cy/privacy").text


def test_the_officer_s_pages_show_a_community_report_and_what_it_holds(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    report_id = _reported(app_db)
    run_review(app_db, years_on(2, days=1))
    client = signed_in("data_protection_officer")
    queue = client.get("/retention").text
    assert "Community report not added to the shared record" in queue
    assert "UK GDPR Art. 5(1)(e)" in queue  # the class's source, for the officer to check
    ((review_id, reference),) = owner_rows(
        app_db, "SELECT id, record_ref FROM retention_review WHERE record_id = :i", i=report_id
    )
    page = client.get(f"/retention/reviews/{review_id}").text
    assert f"Community report {reference}" in page
    assert "1 community reports, 1 messages" in page
