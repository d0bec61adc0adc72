"""Rules a lead adds in the UI are merged with the shipped ones; the audit and the rates."""

from __future__ import annotations

from collections.abc import Callable

from safehub.db.database import Database
from tests.practice.conftest import ChildOnCase
from tests.web.conftest import PageClient

RULE = {
    "title": "Party girl",
    "patterns": "party girl",
    "severity": "error",
    "why": "Labels the child instead of describing what adults did.",
    "suggestion": "Describe what the adults did.",
    "replacement": "child",
    "example": "Staff call her a party girl.",
}


def test_a_rule_added_by_a_lead_flags_notes_from_then_on_and_can_be_retired(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    client = signed_in("administrator", "LA-BRADFORD")
    headers = {"X-CSRF-Token": client.csrf("/")}
    before = client.post("/api/v1/language/check", json={"text": "A party girl."}, headers=headers)
    assert before.status_code == 404, "checking notes needs the permission to write them"
    url = "/language/rules/new"
    response = client.post(url, data={"csrf_token": client.csrf(url), **RULE})
    assert response.status_code == 303
    rules = client.get("/language/rules").text
    assert "Party girl" in rules and "Retire" in rules
    worker = signed_in("social_worker", "LA-BRADFORD")
    flags = worker.post(
        "/api/v1/language/check",
        json={"text": "She is a party girl."},
        headers={"X-CSRF-Token": worker.csrf("/")},
    ).json()["flags"]
    assert [(f["text"], f["rule_id"], f["replacement"]) for f in flags] == [
        ("party girl", "local-party-girl", "child")
    ]


def test_a_rule_that_does_not_flag_its_own_example_is_refused(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in("administrator", "LA-BRADFORD")
    url = "/language/rules/new"
    response = client.post(
        url, data={"csrf_token": client.csrf(url), **RULE, "example": "Nothing to see here."}
    )
    assert response.status_code == 400
    assert "The rule does not flag this example" in response.text
    empty = client.post(url, data={"csrf_token": client.csrf(url)})
    assert "Enter at least one phrase to flag" in empty.text


def test_managers_see_the_audit_and_oversight_sees_only_rates(
    signed_in: Callable[..., PageClient], child_on_case: ChildOnCase
) -> None:
    worker = signed_in("social_worker", "LA-BRADFORD")
    headers = {"X-CSRF-Token": worker.csrf("/")}
    for body in ("Amy is promiscuous.", "Adults took Amy to a hotel.", "Amy absconded again."):
        worker.post(
            f"/api/v1/cases/{child_on_case.case_id}/notes",
            json={"body": body, "reason": "Quoted from the police log"},
            headers=headers,
        )
    manager = signed_in("team_manager", "LA-BRADFORD")
    audit = manager.get("/language/audit").text
    assert "Notes checked" in audit and "sexually-active" in audit and "absconding" in audit
    assert "Saved with flags, and why" in audit and "Quoted from the police log" in audit
    measures = manager.get("/practice/measures").text
    assert "Bradford Children&#39;s Social Care" in measures
    assert "66.7 (few notes)" in measures, "2 flags over 3 notes"
    assert 'id="language-rates-spec"' in measures
    # Oversight sees its own aggregates (the portal); these pages count from the notes
    # themselves, which its database role cannot read.
    inspector = signed_in("oversight_inspector", "POL-WY")
    assert inspector.get("/practice/measures").status_code == 404
    assert inspector.get("/language/audit").status_code == 404
