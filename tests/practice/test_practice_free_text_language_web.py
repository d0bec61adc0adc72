"""Every free text a practitioner writes about a child is checked as it is saved: what is known
on the indicator checklist and the details of an account heard are held with their flags and
kept as written only with a reason, listed for a manager. The child's own words never are."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import text

from safehub.db.database import Database
from tests.practice.conftest import ChildOnCase
from tests.web.conftest import PageClient

REASON = "The words of the hotel manager, kept for the strategy discussion"


def _rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    with db.owner_engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql)).all()]


def test_what_is_known_on_the_checklist_is_held_for_its_language_and_kept_with_a_reason(
    signed_in: Callable[..., PageClient], child_on_case: ChildOnCase, app_db: Database
) -> None:
    client = signed_in("social_worker", "LA-BRADFORD")
    url = f"/children/{child_on_case.person_id}/indicators"
    form = {
        "csrf_token": client.csrf(url),
        "indicators": ["hotels"],
        "details": "She keeps putting herself at risk at the hotel",
    }
    held = client.post(url, data=form)
    assert held.status_code == 200 and "“putting herself at risk”" in held.text
    assert "Save anyway" in held.text and 'value="hotels" checked' in held.text
    assert _rows(app_db, "SELECT id FROM child_indicator") == []
    asked = client.post(url, data={**form, "save_anyway": "yes"})
    assert asked.status_code == 400 and 'href="#language_reason"' in asked.text
    kept = client.post(url, data={**form, "save_anyway": "yes", "language_reason": REASON})
    assert kept.status_code == 303
    [(flags, reason)] = _rows(
        app_db, "SELECT language_flags, language_reason FROM indicator_assessment"
    )
    assert reason == REASON and [f["text"] for f in flags] == ["putting herself at risk"]  # type: ignore[attr-defined]
    manager = signed_in("team_manager", "LA-BRADFORD")
    audit = manager.get("/language/audit").text
    assert "Indicator checklist" in audit and REASON in audit


def test_the_details_of_an_account_heard_are_held_for_their_language_and_kept_with_a_reason(
    signed_in: Callable[..., PageClient], child_on_case: ChildOnCase, app_db: Database
) -> None:
    client = signed_in("social_worker", "LA-BRADFORD")
    url = f"/children/{child_on_case.person_id}/accounts/new"
    form = {
        "csrf_token": client.csrf(url),
        "heard_by": "DC Jones",
        "kind": "abe_interview",
        "heard_on-day": "10",
        "heard_on-month": "3",
        "heard_on-year": "2025",
        "details": "Amy is promiscuous; the recording is held by CID",
    }
    held = client.post(url, data=form)
    assert held.status_code == 200 and "“promiscuous”" in held.text
    assert _rows(app_db, "SELECT id FROM account_heard") == []
    asked = client.post(url, data={**form, "save_anyway": "yes"})
    assert asked.status_code == 400 and 'href="#language_reason"' in asked.text
    kept = client.post(url, data={**form, "save_anyway": "yes", "language_reason": REASON})
    assert kept.status_code == 303
    assert _rows(app_db, "SELECT language_reason FROM account_heard") == [(REASON,)]
    manager = signed_in("team_manager", "LA-BRADFORD")
    audit = manager.get("/language/audit").text
    assert "Account heard" in audit and REASON in audit


def test_the_childs_own_words_are_recorded_as_said_and_never_held(
    signed_in: Callable[..., PageClient], child_on_case: ChildOnCase, app_db: Database
) -> None:
    client = signed_in("social_worker", "LA-BRADFORD")
    url = f"/children/{child_on_case.person_id}/voice/new"
    words = "I am consenting, he is my boyfriend"
    saved = client.post(
        url,
        data={
            "csrf_token": client.csrf(url),
            "kind": "words",
            "content": words,
            "said_to": "Sam Patel, social worker",
            "said_on-day": str(date.today().day),
            "said_on-month": str(date.today().month),
            "said_on-year": str(date.today().year),
        },
    )
    assert saved.status_code == 303
    assert _rows(app_db, "SELECT content FROM child_voice") == [(words,)]
