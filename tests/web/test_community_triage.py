"""Triage of community reports in the staff app: the queue and a report for safeguarding leads,
a question that reaches the reporter, the same queue over the API, every read audited."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.http.context import REPORTER
from safehub.services.community import ReportDraft, send_report
from safehub.services.community.reporter import unlock_report, view_own_report
from tests.web.conftest import PageClient

STEPS = ("about", "what", "signs", "when", "where", "identifiers", "you")


def _report(db: Database, **answers: object) -> tuple[str, str]:
    draft = ReportDraft.from_answers(
        {
            "about": "place",
            "what_seen": "Girls taken into the back of the takeaway <b>late</b>",
            "place_postcode": "BD7 1AA",
            "seen_day": "4",
            "seen_month": "3",
            "seen_year": "2026",
            "answered": list(STEPS),
            **answers,
        }
    )
    with unit_of_work(db.as_public(), actor=REPORTER) as uow:
        receipt = send_report(uow, token="t", draft=draft)
        uow.commit()
    return receipt.reference, receipt.phrase


def _report_id(db: Database, reference: str) -> int:
    with db.owner_engine.connect() as conn:
        found: int = conn.execute(
            text("SELECT id FROM community_report WHERE reference = :r"), {"r": reference}
        ).scalar_one()
    return found


def test_the_queue_puts_urgent_reports_first_and_blurs_the_place(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    routine, _ = _report(app_db)
    urgent, _ = _report(app_db, signs=["danger_now"])
    client = signed_in("mash_triage")
    page = client.get("/community-reports").text
    assert page.index(urgent) < page.index(routine)
    assert "BD7" in page and "BD7 1AA" not in page


def test_a_report_shows_the_week_and_escapes_what_was_typed(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    reference, _ = _report(app_db)
    client = signed_in("team_manager")
    page = client.get(f"/community-reports/{_report_id(app_db, reference)}").text
    assert "the week of 2 March 2026" in page and "4 March 2026" not in page
    assert "&lt;b&gt;late&lt;/b&gt;" in page and "<b>late</b>" not in page


def test_a_question_from_the_report_page_reaches_the_reporter(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    reference, phrase = _report(app_db)
    report_id = _report_id(app_db, reference)
    client = signed_in("mash_triage")
    path = f"/community-reports/{report_id}"
    empty = client.post(f"{path}/questions", data={"csrf_token": client.csrf(path), "question": ""})
    assert empty.status_code == 400 and 'href="#question"' in empty.text
    sent = client.post(
        f"{path}/questions", data={"csrf_token": client.csrf(path), "question": "Which night?"}
    )
    assert sent.status_code == 303
    with unit_of_work(app_db.as_public(), actor=REPORTER) as uow:
        view = view_own_report(uow, key=unlock_report(uow, reference=reference, phrase=phrase))
    assert [m.body for m in view.messages] == ["Which night?"]


def test_the_api_lists_the_same_queue_and_every_read_is_audited(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    reference, _ = _report(app_db)
    client = signed_in("head_of_service")
    listed = client.get("/api/v1/reports").json()
    assert [(r["reference"], r["area"], r["urgency"]) for r in listed] == [
        (reference, "BD7", "routine")
    ]
    assert client.get("/api/v1/reports", params={"status": "nonsense"}).status_code == 422
    with app_db.owner_engine.connect() as conn:
        purposes = conn.execute(
            text(
                "SELECT purpose FROM audit_event WHERE object_type = 'community_report' "
                "AND action = 'consultation'"
            )
        ).scalars()
        assert "triage of community reports" in set(purposes)


def test_staff_who_are_not_safeguarding_leads_see_no_report(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    reference, _ = _report(app_db)
    client = signed_in("social_worker")
    assert client.get("/community-reports").status_code == 404
    assert client.get(f"/community-reports/{_report_id(app_db, reference)}").status_code == 404
    assert client.get("/api/v1/reports").status_code == 404  # forbidden looks like absent


def test_a_lead_closes_a_report_and_the_reporter_sees_it_closed(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    reference, phrase = _report(app_db)
    path = f"/community-reports/{_report_id(app_db, reference)}"
    client = signed_in("head_of_service")
    bad = client.post(f"{path}/status", data={"csrf_token": client.csrf(path), "status": "x"})
    assert bad.status_code == 400 and 'href="#status"' in bad.text
    done = client.post(f"{path}/status", data={"csrf_token": client.csrf(path), "status": "closed"})
    assert done.status_code == 303
    with unit_of_work(app_db.as_public(), actor=REPORTER) as uow:
        view = view_own_report(uow, key=unlock_report(uow, reference=reference, phrase=phrase))
    assert view.status == "closed"


BLAMING_QUESTION = "Was she putting herself at risk by going there?"
KEPT = "The reporter used these words; I am asking whether they saw it happen"


def _hub_messages(db: Database, report_id: int) -> list[tuple[str, object, str | None]]:
    with db.owner_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT body, language_flags, language_reason FROM community_report_message "
                "WHERE report_id = :r AND sender = 'hub' ORDER BY id"
            ),
            {"r": report_id},
        ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def test_a_question_that_blames_the_child_is_held_and_sent_only_with_a_reason(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    reference, phrase = _report(app_db)
    report_id = _report_id(app_db, reference)
    client = signed_in("mash_triage")
    path = f"/community-reports/{report_id}"
    form = {"csrf_token": client.csrf(path), "question": BLAMING_QUESTION}
    held = client.post(f"{path}/questions", data=form)
    assert held.status_code == 200 and "Language check" in held.text
    assert "putting herself at risk" in held.text and "Save anyway" in held.text
    assert _hub_messages(app_db, report_id) == [], "nothing reaches the reporter while held"
    asked = client.post(f"{path}/questions", data={**form, "save_anyway": "yes"})
    assert asked.status_code == 400 and 'href="#language_reason"' in asked.text
    assert _hub_messages(app_db, report_id) == []
    kept = {**form, "save_anyway": "yes", "language_reason": KEPT}
    assert client.post(f"{path}/questions", data=kept).status_code == 303
    ((body, flags, reason),) = _hub_messages(app_db, report_id)
    assert body == BLAMING_QUESTION and reason == KEPT
    assert isinstance(flags, list) and flags and flags[0]["severity"] == "error"
    with unit_of_work(app_db.as_public(), actor=REPORTER) as uow:
        view = view_own_report(uow, key=unlock_report(uow, reference=reference, phrase=phrase))
    assert [m.body for m in view.messages] == [BLAMING_QUESTION]

    manager = signed_in("team_manager")
    audit = manager.get("/language/audit").text
    assert KEPT in audit and "Question to a reporter" in audit


def test_a_clean_question_is_sent_at_once_with_no_flags_kept(
    signed_in: Callable[..., PageClient], app_db: Database
) -> None:
    reference, _ = _report(app_db)
    report_id = _report_id(app_db, reference)
    client = signed_in("mash_triage")
    path = f"/community-reports/{report_id}"
    form = {"csrf_token": client.csrf(path), "question": "Did you see which car she got into?"}
    assert client.post(f"{path}/questions", data=form).status_code == 303
    assert _hub_messages(app_db, report_id) == [("Did you see which car she got into?", None, None)]
