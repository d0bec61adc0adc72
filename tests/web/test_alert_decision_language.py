"""The reason for an alert decision is free text about a child, and is checked as it is saved:
a reason that blames the child is held with its flags, and kept as written only when its author
says why; the flags and that reason stay with the alert and are listed for a manager."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.alerts import AlertDecision, decide_alert, decide_alerts
from safehub.services.practice import LanguageHeldError
from tests.web.conftest import PageClient
from tests.web.helpers import aisha_across_agencies
from tests.web.test_alert_inbox import _agency, _child_alert, _raise

BLAMING = "she is consenting, it's her boyfriend"
KEPT = "Quoting the words of the police officer, for the review of this decision"


@pytest.fixture
def alerts(app_db: Database, tmp_path: Path) -> list[int]:
    """Three new alerts about one child, addressed to the council."""
    _, child = aisha_across_agencies(app_db, tmp_path)
    la, police = _agency(app_db, "LA-BRADFORD"), _agency(app_db, "POL-WY")
    return _raise(app_db, [_child_alert(child, n, la, police) for n in (1, 2, 3)])


@pytest.fixture
def actor(app_db: Database, make_user: Callable[..., str]) -> Actor:
    make_user("social_worker", "LA-BRADFORD")
    with app_db.owner_engine.connect() as conn:
        user = conn.execute(
            text("SELECT id FROM app_user WHERE username = 'social_worker@la-bradford'")
        ).scalar_one()
    la = _agency(app_db, "LA-BRADFORD")
    return Actor("user:sw", user_id=user, agency_id=la, role="social_worker")


def _kept(db: Database, alert_id: int) -> tuple[object, ...]:
    with db.owner_engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT status, decision_reason, decision_language_flags, "
                "decision_language_reason FROM alert WHERE id = :a"
            ),
            {"a": alert_id},
        ).one()
    return tuple(row)


def test_a_dismissal_calling_the_child_consenting_is_held_with_its_flags(
    app_db: Database, alerts: list[int], actor: Actor
) -> None:
    with unit_of_work(app_db, actor=actor) as uow, pytest.raises(LanguageHeldError) as held:
        decide_alert(uow, alert_id=alerts[0], decision=AlertDecision("dismiss", BLAMING))
    assert [f["text"] for f in held.value.flags] == ["consenting"]
    assert held.value.errors == {}, "simply held: nothing to put right yet"
    assert _kept(app_db, alerts[0])[0] == "new"


def test_keeping_a_flagged_reason_without_saying_why_names_the_field(
    app_db: Database, alerts: list[int], actor: Actor
) -> None:
    decision = AlertDecision("dismiss", BLAMING, save_anyway=True, language_reason="  ")
    with unit_of_work(app_db, actor=actor) as uow, pytest.raises(LanguageHeldError) as held:
        decide_alerts(uow, alert_ids=alerts, decision=decision)
    assert list(held.value.errors) == ["language_reason"]
    assert "“consenting”" in held.value.errors["language_reason"]
    assert {_kept(app_db, a)[0] for a in alerts} == {"new"}


def test_a_flagged_reason_kept_with_a_reason_keeps_both_with_every_alert(
    app_db: Database, alerts: list[int], actor: Actor
) -> None:
    decision = AlertDecision("dismiss", BLAMING, save_anyway=True, language_reason=KEPT)
    with unit_of_work(app_db, actor=actor) as uow:
        assert sorted(decide_alerts(uow, alert_ids=alerts, decision=decision)) == alerts
        uow.commit()
    for alert_id in alerts:
        status, reason, flags, kept = _kept(app_db, alert_id)
        assert (status, reason, kept) == ("dismissed", BLAMING, KEPT)
        assert [f["text"] for f in flags] == ["consenting"]  # type: ignore[attr-defined]


def test_the_childs_own_words_in_a_reason_are_advice_and_never_hold_it(
    app_db: Database, alerts: list[int], actor: Actor
) -> None:
    words = (
        'Confirmed: she told the nurse "I chose to go with them", which needs a strategy meeting'
    )
    with unit_of_work(app_db, actor=actor) as uow:
        decide_alert(uow, alert_id=alerts[0], decision=AlertDecision("confirm", words))
        uow.commit()
    status, _, flags, kept = _kept(app_db, alerts[0])
    assert (status, kept) == ("confirmed", None)
    assert {f["severity"] for f in flags} == {"advice"}  # type: ignore[attr-defined]


def test_the_alert_page_holds_a_flagged_reason_and_keeps_it_only_with_a_reason(
    signed_in: Callable[..., PageClient], app_db: Database, alerts: list[int]
) -> None:
    worker = signed_in("social_worker", "LA-BRADFORD")
    url = f"/alerts/{alerts[0]}"
    form = {"csrf_token": worker.csrf(url), "decision": "dismiss", "reason": BLAMING}
    held = worker.post(f"{url}/decision", data=form)
    assert held.status_code == 200 and "“consenting”" in held.text
    assert "Save anyway" in held.text and 'name="language_reason"' in held.text
    asked = worker.post(f"{url}/decision", data={**form, "save_anyway": "yes"})
    assert asked.status_code == 400 and 'href="#language_reason"' in asked.text
    assert "“consenting”" in asked.text, "the flags stay beside the question"
    kept = {**form, "save_anyway": "yes", "language_reason": KEPT}
    assert worker.post(f"{url}/decision", data=kept).status_code == 303
    assert _kept(app_db, alerts[0])[::3] == ("dismissed", KEPT)
    page = worker.get(url).text
    assert "Kept as written, because" in page and KEPT in page


def test_the_inbox_holds_a_flagged_bulk_reason_keeping_the_rows_selected(
    signed_in: Callable[..., PageClient], app_db: Database, alerts: list[int]
) -> None:
    worker = signed_in("social_worker", "LA-BRADFORD")
    value = ",".join(map(str, sorted(alerts)))
    form = {
        "csrf_token": worker.csrf("/alerts"),
        "alerts": value,
        "action": "dismiss",
        "reason": BLAMING,
        "back": "status=new",
    }
    held = worker.post("/alerts/bulk", data=form)
    assert held.status_code == 200 and "“consenting”" in held.text
    box = re.search(r'<input [^>]*name="alerts"[^>]*>', held.text)
    assert box and "checked" in box[0], "the rows chosen stay chosen"
    asked = worker.post("/alerts/bulk", data={**form, "save_anyway": "yes"})
    assert asked.status_code == 400 and 'href="#language_reason"' in asked.text
    kept = {**form, "save_anyway": "yes", "language_reason": KEPT}
    assert worker.post("/alerts/bulk", data=kept).status_code == 303
    assert {_kept(app_db, a)[::3] for a in alerts} == {("dismissed", KEPT)}

    manager = signed_in("team_manager", "LA-BRADFORD")
    audit = manager.get("/language/audit").text
    assert KEPT in audit and "“consenting”" in audit
    assert f'href="/alerts/{min(alerts)}">Alert decision {min(alerts)} (and 2 more' in audit


def test_the_api_refuses_a_flagged_reason_without_language_reason_and_keeps_it_with_one(
    signed_in: Callable[..., PageClient], app_db: Database, alerts: list[int]
) -> None:
    worker = signed_in("social_worker", "LA-BRADFORD")
    headers = {"X-CSRF-Token": worker.csrf("/")}
    body = {"alert_ids": alerts, "decision": "dismiss", "reason": BLAMING}
    refused = worker.post("/api/v1/alerts/decisions", json=body, headers=headers)
    assert refused.status_code == 422
    detail = refused.json()["detail"]  # the errors by field, in words
    assert "language_reason" in detail and "“consenting”" in detail
    body["language_reason"] = KEPT
    done = worker.post("/api/v1/alerts/decisions", json=body, headers=headers)
    assert done.status_code == 200 and sorted(done.json()["alert_ids"]) == sorted(alerts)
    assert {_kept(app_db, a)[::3] for a in alerts} == {("dismissed", KEPT)}
