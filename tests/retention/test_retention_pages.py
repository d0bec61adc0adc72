"""The data protection officer's retention pages: the queue, a decision with its errors beside
the fields, the tombstone of an erasure, and a partnership period changed."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from safehub.db.database import Database
from tests.retention.conftest import Records, run_review, years_on
from tests.web.conftest import PageClient


def _review_id(db: Database, kind: str, record_id: int) -> int:
    with db.owner_engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT id FROM retention_review WHERE record_kind = :k AND record_id = :i "
                    "AND status = 'due'"
                ),
                {"k": kind, "i": record_id},
            ).scalar_one()
        )


def test_the_queue_lists_records_that_reached_their_review_date(
    signed_in: Callable[..., PageClient], app_db: Database, records: Records
) -> None:
    client = signed_in("data_protection_officer")
    assert "No record is waiting for a decision" in client.get("/retention").text
    run_review(app_db, years_on(76))
    page = client.get("/retention")
    assert page.status_code == 200
    assert records.case_reference in page.text and "REF-" in page.text
    assert "Independent Inquiry into Child Sexual Abuse" in page.text


def test_an_erasure_without_a_reason_is_refused_beside_the_field_then_erased_with_one(
    signed_in: Callable[..., PageClient], app_db: Database, records: Records
) -> None:
    client = signed_in("data_protection_officer")
    run_review(app_db, years_on(76))
    review = _review_id(app_db, "case", records.case_id)
    form = client.get(f"/retention/reviews/{review}")
    assert "1 notes" in form.text and "1 referrals" in form.text
    csrf = client.csrf(f"/retention/reviews/{review}")
    refused = client.post(
        f"/retention/reviews/{review}", data={"csrf_token": csrf, "outcome": "erase"}
    )
    assert refused.status_code == 400
    assert (
        'href="#reason"' in refused.text and "Say why the record should be erased" in refused.text
    )
    erased = client.post(
        f"/retention/reviews/{review}",
        data={"csrf_token": csrf, "outcome": "erase", "reason": "Past retention; nothing pending"},
    )
    assert erased.status_code == 303
    page = client.get("/retention").text
    assert "Past retention; nothing pending" in page and "1 notes" in page


def test_keeping_needs_a_real_future_date(
    signed_in: Callable[..., PageClient], app_db: Database, records: Records
) -> None:
    client = signed_in("data_protection_officer")
    run_review(app_db, years_on(76))
    review = _review_id(app_db, "referral", records.referral_id)
    csrf = client.csrf(f"/retention/reviews/{review}")
    base = {"csrf_token": csrf, "outcome": "keep"}
    wrong = client.post(
        f"/retention/reviews/{review}",
        data={**base, "next_review_on-day": "31", "next_review_on-month": "2"}
        | {"next_review_on-year": "2040"},
    )
    assert wrong.status_code == 400 and "must be a real date" in wrong.text
    assert 'href="#next_review_on-day"' in wrong.text
    kept = client.post(
        f"/retention/reviews/{review}",
        data={**base, "next_review_on-day": "1", "next_review_on-month": "1"}
        | {"next_review_on-year": "2099"},
    )
    assert kept.status_code == 303
    assert "Kept until 1 January 2099" in client.get("/retention").text


def test_a_partnership_period_is_changed_and_a_wrong_one_named(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in("data_protection_officer")
    csrf = client.csrf("/retention")
    wrong = client.post("/retention/classes/referral_nfa", data={"csrf_token": csrf, "years": "0"})
    assert wrong.status_code == 400 and 'href="#years-referral_nfa"' in wrong.text
    done = client.post("/retention/classes/referral_nfa", data={"csrf_token": csrf, "years": "8"})
    assert done.status_code == 303
    assert "8 years" in client.get("/retention").text


def test_other_roles_do_not_reach_the_queue(signed_in: Callable[..., PageClient]) -> None:
    client = signed_in("head_of_service")
    assert client.get("/retention").status_code in (403, 404)
