"""The note editor without scripts, notes over the API, and notes as records never rewritten."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from safehub.db.database import Database
from tests.practice.conftest import ChildOnCase
from tests.web.conftest import PageClient

FLAGGED = "Amy is promiscuous and was found at the hotel."


def _notes(db: Database) -> list[tuple[int, str, int, int | None, int, bool]]:
    with db.owner_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT n.id, n.body, n.version, n.supersedes_id, k.flag_count, k.saved_despite_flags "
                "FROM case_note n JOIN note_language_check k ON k.note_id = n.id ORDER BY n.id"
            )
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _signed_in_to_case(signed_in: Callable[..., PageClient], child: ChildOnCase) -> PageClient:
    assert child.case_id
    return signed_in("social_worker", "LA-BRADFORD")


def test_a_flagged_note_is_held_back_until_the_author_chooses_to_save_it_anyway(
    signed_in: Callable[..., PageClient], child_on_case: ChildOnCase, app_db: Database
) -> None:
    client = _signed_in_to_case(signed_in, child_on_case)
    url = f"/cases/{child_on_case.case_id}/notes/new"
    token = client.csrf(url)
    first = client.post(url, data={"csrf_token": token, "body": FLAGGED, "action": "save"})
    assert first.status_code == 200
    assert "“promiscuous”" in first.text and "Save anyway" in first.text
    assert FLAGGED in first.text, "what was typed is kept"
    assert _notes(app_db) == []
    unexplained = {"csrf_token": token, "body": FLAGGED, "action": "save_anyway"}
    asked = client.post(url, data=unexplained)
    assert asked.status_code == 400 and "Say why you are saving the note" in asked.text
    assert "“promiscuous”" in asked.text and _notes(app_db) == [], "never saved silently"
    saved = client.post(url, data={**unexplained, "reason": "The nurse's own words, quoted."})
    assert saved.status_code == 303
    [(note_id, body, version, _, flags, anyway)] = _notes(app_db)
    assert saved.headers["location"] == f"/notes/{note_id}"
    assert (body, version, flags, anyway) == (FLAGGED, 1, 1, True)


def test_a_note_without_flags_is_saved_at_once(
    signed_in: Callable[..., PageClient], child_on_case: ChildOnCase, app_db: Database
) -> None:
    client = _signed_in_to_case(signed_in, child_on_case)
    url = f"/cases/{child_on_case.case_id}/notes/new"
    response = client.post(
        url, data={"csrf_token": client.csrf(url), "body": "Adults took Amy to a hotel."}
    )
    assert response.status_code == 303
    assert [(n[1], n[4], n[5]) for n in _notes(app_db)] == [
        ("Adults took Amy to a hotel.", 0, False)
    ]
    page = client.get(f"/cases/{child_on_case.case_id}/notes")
    assert "Adults took Amy to a hotel." in page.text


def test_an_amendment_is_a_new_version_and_the_first_text_is_kept(
    signed_in: Callable[..., PageClient], child_on_case: ChildOnCase, app_db: Database
) -> None:
    client = _signed_in_to_case(signed_in, child_on_case)
    url = f"/cases/{child_on_case.case_id}/notes/new"
    token = client.csrf(url)
    anyway = {"action": "save_anyway", "reason": "Quoting the referral"}
    client.post(url, data={"csrf_token": token, "body": FLAGGED, **anyway})
    first_id = _notes(app_db)[0][0]
    amended = client.post(
        f"/notes/{first_id}/amend",
        data={"csrf_token": token, "body": "Adults have sexually abused Amy at the hotel."},
    )
    assert amended.status_code == 303
    notes = _notes(app_db)
    assert [(n[1], n[2], n[3]) for n in notes] == [
        (FLAGGED, 1, None),
        ("Adults have sexually abused Amy at the hotel.", 2, first_id),
    ]
    page = client.get(amended.headers["location"])
    assert (
        "Case note, version 2" in page.text
        and "Earlier versions" in page.text
        and FLAGGED in page.text
    )
    again = client.post(
        f"/notes/{first_id}/amend", data={"csrf_token": token, "body": "Another text."}
    )
    assert again.status_code == 400 and "already been amended" in again.text
    assert len(_notes(app_db)) == 2


def test_the_application_role_cannot_rewrite_or_delete_a_saved_note(
    signed_in: Callable[..., PageClient], child_on_case: ChildOnCase, app_db: Database
) -> None:
    client = _signed_in_to_case(signed_in, child_on_case)
    url = f"/cases/{child_on_case.case_id}/notes/new"
    client.post(url, data={"csrf_token": client.csrf(url), "body": "Adults took Amy to a hotel."})
    for statement in (
        "UPDATE case_note SET body = 'rewritten'",
        "DELETE FROM case_note",
        "UPDATE note_language_check SET flag_count = 0",
    ):
        with app_db.app_session(actor="system:test") as session, pytest.raises(ProgrammingError):
            session.execute(text(statement))
    assert _notes(app_db)[0][1] == "Adults took Amy to a hotel."


def test_a_note_saved_through_the_api_is_saved_with_its_flags_in_the_response(
    signed_in: Callable[..., PageClient], child_on_case: ChildOnCase, app_db: Database
) -> None:
    client = _signed_in_to_case(signed_in, child_on_case)
    headers = {"X-CSRF-Token": client.csrf("/")}
    url = f"/api/v1/cases/{child_on_case.case_id}/notes"
    refused = client.post(url, json={"body": FLAGGED}, headers=headers)
    assert refused.status_code == 422 and "“promiscuous”" in refused.text
    body = {"body": FLAGGED, "reason": "Quoted from the school's referral"}
    response = client.post(url, json=body, headers=headers)
    assert response.status_code == 201, response.text
    note = response.json()
    assert note["version"] == 1
    assert [(f["text"], f["rule_id"]) for f in note["flags"]] == [
        ("promiscuous", "sexually-active")
    ]
    assert FLAGGED[note["flags"][0]["start"] : note["flags"][0]["end"]] == "promiscuous"
    versions = client.get(f"/api/v1/notes/{note['note_id']}").json()
    assert [v["flags"][0]["text"] for v in versions] == ["promiscuous"]
    assert _notes(app_db)[0][4:] == (1, True)


def test_the_live_check_returns_flags_and_a_drop_in_replacement_where_there_is_one(
    signed_in: Callable[..., PageClient], child_on_case: ChildOnCase
) -> None:
    client = _signed_in_to_case(signed_in, child_on_case)
    headers = {"X-CSRF-Token": client.csrf("/")}
    flags = client.post(
        "/api/v1/language/check",
        headers=headers,
        json={"text": 'Amy absconded. She said "I chose to go".'},
    ).json()["flags"]
    assert [(f["text"], f["severity"], f["replacement"]) for f in flags] == [
        ("absconded", "error", "went missing"),
        ("chose to go", "advice", None),
    ]
    refused = client.post("/api/v1/language/check", json={"text": "x"})
    assert refused.status_code == 403, "an unsafe method without the CSRF header is refused"


def test_staff_outside_the_case_can_neither_read_nor_write_its_notes(
    signed_in: Callable[..., PageClient], child_on_case: ChildOnCase, app_db: Database
) -> None:
    client = signed_in("police_investigator", "POL-WY")
    with app_db.owner_engine.begin() as conn:  # the police are not involved in this case
        conn.execute(
            text(
                "DELETE FROM case_agency WHERE agency_id = (SELECT id FROM agency "
                "WHERE code = 'POL-WY')"
            )
        )
    url = f"/cases/{child_on_case.case_id}/notes/new"
    assert client.get(url).status_code == 404
    token = client.csrf("/")
    assert client.post(url, data={"csrf_token": token, "body": "Anything"}).status_code == 404
    assert client.get(f"/cases/{child_on_case.case_id}/notes").status_code == 404
    assert _notes(app_db) == []


def test_a_draft_kept_while_typing_is_restored_in_the_editor(
    signed_in: Callable[..., PageClient], child_on_case: ChildOnCase
) -> None:
    client = _signed_in_to_case(signed_in, child_on_case)
    response = client.put(
        f"/api/v1/cases/{child_on_case.case_id}/note-draft",
        json={"body": "Half-written note about the car"},
        headers={"X-CSRF-Token": client.csrf("/")},
    )
    assert response.status_code == 204
    page = client.get(f"/cases/{child_on_case.case_id}/notes/new")
    assert "Half-written note about the car" in page.text


def test_the_api_refuses_an_empty_note_in_the_editors_words_and_an_outdated_amendment(
    signed_in: Callable[..., PageClient], child_on_case: ChildOnCase, app_db: Database
) -> None:
    client = _signed_in_to_case(signed_in, child_on_case)
    headers = {"X-CSRF-Token": client.csrf("/")}
    url = f"/api/v1/cases/{child_on_case.case_id}/notes"
    for empty in ("", "  \r\n "):
        refused = client.post(url, json={"body": empty}, headers=headers)
        assert refused.status_code == 422 and "Write the note before saving it" in refused.text
    first = client.post(url, json={"body": "Adults took Amy to a hotel."}, headers=headers).json()
    amend = {"body": "Adults took Amy to a hotel on Friday.", "supersedes_id": first["note_id"]}
    assert client.post(url, json=amend, headers=headers).status_code == 201
    outdated = client.post(url, json=amend, headers=headers)
    assert outdated.status_code == 409 and "already been amended" in outdated.text
    assert len(_notes(app_db)) == 2
