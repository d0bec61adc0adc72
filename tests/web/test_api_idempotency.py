"""A referral POSTed again with the same Idempotency-Key (its answer lost to a timeout or a
killed worker) is the same referral, not a second one."""

from __future__ import annotations

from collections.abc import Callable

from safehub.db.database import Database
from tests.timeliness.conftest import count
from tests.web.conftest import PageClient

BODY = {
    "given_names": "Aisha",
    "family_name": "Hussain",
    "date_of_birth": "2011-07-03",
    "concern_type": "sexual_exploitation",
    "concern": "Collected from school by adult men.",
    "immediate_danger": False,
}


def test_a_retried_post_with_the_same_key_returns_the_referral_already_sent(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    client = signed_in("school_dsl")
    headers = {"X-CSRF-Token": client.csrf("/"), "Idempotency-Key": "7f1c-retry-1"}
    first = client.post("/api/v1/referrals", json=BODY, headers=headers)
    again = client.post("/api/v1/referrals", json=BODY, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    other = client.post(
        "/api/v1/referrals", json=BODY, headers={**headers, "Idempotency-Key": "7f1c-retry-2"}
    )
    assert other.status_code == 201 and other.json()["referral_id"] != first.json()["referral_id"]
    assert count(app_db, "SELECT count(*) FROM referral") == 2


def test_a_key_that_cannot_be_kept_is_named(signed_in: Callable[..., PageClient]) -> None:
    client = signed_in("school_dsl")
    refused = client.post(
        "/api/v1/referrals",
        json=BODY,
        headers={"X-CSRF-Token": client.csrf("/"), "Idempotency-Key": "x" * 101},
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0].startswith("Idempotency-Key: 1 to 100 visible")
