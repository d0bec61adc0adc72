"""The language check where practitioners write: flagged text is never saved without a reason.

A note or a referral's concern that the checker flags is held back beside its flags; "Save
anyway" without a reason is refused naming the field; with one, the text is saved and the reason
is kept with it. The child's own words in quotation marks are advice only and never hold text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from safehub.db.database import Database
from tests.web.conftest import PageClient
from tests.web.helpers import case_for, import_rows, person_id

BOYFRIEND = "He was her boyfriend, she is 14. They met at the takeaway."
REASON = "These are the words the school used in its referral"


@pytest.fixture
def case_id(app_db: Database, tmp_path: Path) -> int:
    """A case on a 13-year-old known to the police, which both test agencies work on."""
    row = {
        "agency_code": "POL-WY",
        "agency_type": "police",
        "record_id": "CR-1",
        "record_type": "missing_episode",
        "record_date": "2025-03-01",
        "person_ref": "P-1",
        "person_role": "subject",
        "given_names": "Amy",
        "family_name": "Walsh",
        "date_of_birth": "2012-01-05",
        "indicators": "missing",
    }
    import_rows(app_db, tmp_path, [row])
    return case_for(app_db, [person_id(app_db, "POL-WY", "P-1")], [])


def _rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    with db.owner_engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql)).all()]


def test_a_note_calling_an_adult_her_boyfriend_is_saved_only_with_a_reason_that_is_kept(
    signed_in: Callable[..., PageClient], case_id: int, app_db: Database
) -> None:
    client = signed_in("social_worker", "LA-BRADFORD")
    url = f"/cases/{case_id}/notes/new"
    form = {"csrf_token": client.csrf(url), "body": BOYFRIEND}
    held = client.post(url, data={**form, "action": "save"})
    assert held.status_code == 200 and "“boyfriend”" in held.text
    assert "Save anyway" in held.text and "If you save it as it is, say why" in held.text
    assert "Rule: A child&#39;s &#39;boyfriend&#39; or &#39;relationship&#39;" in held.text
    asked = client.post(url, data={**form, "action": "save_anyway"})
    assert asked.status_code == 400
    assert '<a href="#reason">Say why you are saving the note with “boyfriend”' in asked.text
    assert _rows(app_db, "SELECT id FROM case_note") == []
    saved = client.post(url, data={**form, "action": "save_anyway", "reason": REASON})
    assert saved.status_code == 303
    [(flags, reason)] = _rows(app_db, "SELECT flag_count, reason FROM note_language_check")
    assert (flags, reason) == (1, REASON)
    assert REASON in client.get(saved.headers["location"]).text
    assert REASON in client.get(f"/cases/{case_id}/notes").text


def test_the_childs_own_words_in_quotes_are_saved_at_once_with_their_advice_kept(
    signed_in: Callable[..., PageClient], case_id: int, app_db: Database
) -> None:
    client = signed_in("social_worker", "LA-BRADFORD")
    url = f"/cases/{case_id}/notes/new"
    body = 'Amy said: "I chose to go with them."'
    saved = client.post(url, data={"csrf_token": client.csrf(url), "body": body})
    assert saved.status_code == 303
    [(flags, anyway, reason)] = _rows(
        app_db, "SELECT flags, saved_despite_flags, reason FROM note_language_check"
    )
    assert isinstance(flags, list) and [f["severity"] for f in flags] == ["advice"]
    assert (anyway, reason) == (False, None)


def _to_concern(client: PageClient) -> str:
    token = client.csrf("/referrals/new/child")
    client.post(
        "/referrals/new/child",
        data={"csrf_token": token, "given_names": "Amy", "family_name": "Walsh"},
    )
    client.post(
        "/referrals/new/date-of-birth",
        data={"csrf_token": token, "dob-day": "5", "dob-month": "1", "dob-year": "2012"},
    )
    return token


def test_a_referral_concern_with_flagged_language_asks_why_and_keeps_the_reason(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    client = signed_in("school_dsl", "LA-BRADFORD")
    token = _to_concern(client)
    concern = {
        "csrf_token": token,
        "concern_type": "sexual_exploitation",
        "concern": "Amy went along with it and was happy to get into their car.",
        "immediate_danger": "no",
    }
    held = client.post("/referrals/new/concern", data=concern)
    assert held.status_code == 200, "held back, not an error"
    assert "“went along with it”" in held.text and "Save anyway" in held.text
    assert "If you save it as it is, say why" in held.text
    asked = client.post("/referrals/new/concern", data={**concern, "action": "save_anyway"})
    assert asked.status_code == 400 and 'href="#language_reason"' in asked.text
    assert concern["concern"] in asked.text, "what was typed is kept"
    anyway = {**concern, "action": "save_anyway", "language_reason": REASON}
    step = client.post("/referrals/new/concern", data=anyway)
    assert step.headers["location"] == "/referrals/new/check"
    sent = client.post("/referrals/new/check", data={"csrf_token": token})
    assert sent.status_code == 303
    [(flags, reason)] = _rows(app_db, "SELECT flag_count, reason FROM referral_language_check")
    assert flags == 2 and reason == REASON


def test_a_clean_concern_goes_straight_on_and_keeps_no_language_check(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    client = signed_in("school_dsl", "LA-BRADFORD")
    token = _to_concern(client)
    step = client.post(
        "/referrals/new/concern",
        data={
            "csrf_token": token,
            "concern_type": "sexual_exploitation",
            "concern": "Adult men have been picking Amy up from school in cars.",
            "immediate_danger": "no",
        },
    )
    assert step.headers["location"] == "/referrals/new/check"
    client.post("/referrals/new/check", data={"csrf_token": token})
    assert _rows(app_db, "SELECT referral_id FROM referral_language_check") == []


def test_a_referral_over_the_api_with_flagged_language_needs_a_reason(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    client = signed_in("school_dsl", "LA-BRADFORD")
    headers = {"X-CSRF-Token": client.csrf("/")}
    body = {
        "given_names": "Amy",
        "family_name": "Walsh",
        "concern_type": "sexual_exploitation",
        "concern": "He was her boyfriend, she is 14, and he drives her to parties.",
        "immediate_danger": False,
    }
    refused = client.post("/api/v1/referrals", json=body, headers=headers)
    assert refused.status_code == 422 and "language_reason" in refused.text
    sent = client.post(
        "/api/v1/referrals", json={**body, "language_reason": REASON}, headers=headers
    )
    assert sent.status_code == 201, sent.text
    assert _rows(app_db, "SELECT reason FROM referral_language_check") == [(REASON,)]


def test_a_support_plan_with_flagged_language_asks_why_and_keeps_the_reason(
    signed_in: Callable[..., PageClient], case_id: int, app_db: Database
) -> None:
    client = signed_in("social_worker", "LA-BRADFORD")
    [(child,)] = _rows(app_db, "SELECT person_id FROM case_child LIMIT 1")
    url = f"/children/{child}/support/plan"
    form = {
        "csrf_token": client.csrf(url),
        "plan": "Weekly visits; Amy keeps putting herself at risk.",
    }
    held = client.post(url, data=form)
    assert held.status_code == 200 and "“putting herself at risk”" in held.text
    assert "Save anyway" in held.text and _rows(app_db, "SELECT id FROM support_plan") == []
    asked = client.post(url, data={**form, "action": "save_anyway"})
    assert asked.status_code == 400 and 'href="#reason"' in asked.text
    saved = client.post(url, data={**form, "action": "save_anyway", "reason": REASON})
    assert saved.status_code == 303
    [(reason,)] = _rows(app_db, "SELECT language_reason FROM support_plan")
    assert reason == REASON
    manager = signed_in("team_manager", "LA-BRADFORD")
    assert REASON in manager.get("/language/audit").text
