"""The public report pages: one question per page, errors that name the field, answers kept
between pages, the confirmation with the reference and phrase, and coming back."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from safehub.access import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.public.app import create_public_app
from safehub.services.community import ask_reporter, list_community_reports
from tests.pagecheck import check_page

ANSWERS = {
    "about": {"about": "vehicle"},
    "what": {"what_seen": "A taxi <script>alert(1)</script> picks up girls after school"},
    "signs": {"signs": ["regular", "danger_now"]},
    "when": {"seen_day": "", "seen_month": "", "seen_year": "", "seen_time": "evening"},
    "where": {"place_postcode": "bd7 1aa", "place_description": ""},
    "identifiers": {"vehicle_registration": "ab12 cde", "phone": "", "online_handle": ""},
    "you": {"tell_who": "no", "share_exact": "no"},
}


@pytest.fixture
def public(db: Database) -> Iterator[TestClient]:
    with TestClient(
        create_public_app(db), base_url="https://testserver", follow_redirects=False
    ) as client:
        yield client


def _csrf(page: Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "the page has no anti-forgery token"
    return found.group(1)


def _answer(public: TestClient, step: str, answers: dict[str, object]) -> Response:
    token = _csrf(public.get(f"/report/{step}"))
    return public.post(f"/report/{step}", data={"csrf_token": token, **answers})


def _report(public: TestClient) -> Response:
    for step, answers in ANSWERS.items():
        assert _answer(public, step, answers).status_code == 303, step
    check = public.get("/report/check")
    check_page(check.text)
    return public.post("/report/check", data={"csrf_token": _csrf(check)})


def test_each_question_leads_to_the_next_then_to_the_check_page(public: TestClient) -> None:
    assert _answer(public, "about", ANSWERS["about"]).headers["location"] == "/report/what"
    assert _answer(public, "what", ANSWERS["what"]).headers["location"] == "/report/signs"
    # Not every question answered yet: the check page sends the reporter back to the next one.
    assert public.get("/report/check").headers["location"] == "/report/signs"


def test_an_answer_is_shown_again_when_the_reporter_goes_back(public: TestClient) -> None:
    _answer(public, "where", {"place_postcode": "LS1 4AB", "place_description": "The Grand"})
    page = public.get("/report/where")
    assert 'value="LS1 4AB"' in page.text and "The Grand" in page.text


@pytest.mark.parametrize(
    ("step", "answers", "field", "message"),
    [
        ("about", {}, "about", "Select what you are worried about"),
        ("what", {"what_seen": "   "}, "what_seen", "Enter what you saw or heard"),
        (
            "what",
            {"what_seen": "x" * 3001},
            "what_seen",
            "What you saw or heard must be 3,000 characters or fewer",
        ),
        ("when", {"seen_day": "31", "seen_month": "2", "seen_year": "2026"}, "seen_day", "real"),
        ("where", {"place_postcode": "nowhere"}, "place_postcode", "Enter a postcode like"),
        ("you", {"tell_who": "yes"}, "reporter_name", "Enter your name or a way to contact you"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    public: TestClient, step: str, answers: dict[str, str], field: str, message: str
) -> None:
    page = _answer(public, step, answers)
    assert page.status_code == 400
    check_page(page.text)
    assert f'href="#{field}"' in page.text  # the error summary links to the field
    error_id = "seen" if field == "seen_day" else field  # a date's message is the group's
    assert f'id="{error_id}-error"' in page.text and message in page.text


def test_a_form_without_the_visitors_token_is_refused(public: TestClient) -> None:
    public.get("/report/about")
    page = public.post("/report/about", data={"csrf_token": "forged", "about": "child"})
    assert page.status_code == 403


def test_a_report_is_sent_with_a_reference_and_phrase_and_advice_to_call_999(
    public: TestClient,
) -> None:
    sent = _report(public)
    assert sent.status_code == 200
    check_page(sent.text)
    assert re.search(r'id="reference">CR-[0-9A-Z]{4}-[0-9A-Z]{4}<', sent.text)
    assert re.search(r'id="phrase">([a-z]+ ){3}[a-z]+<', sent.text)
    assert "You said a child is in danger now. Call 999 now" in sent.text
    # Sent once: the draft is gone, so sending again starts the questions again.
    token = _csrf(public.get("/report/about"))
    again = public.post("/report/check", data={"csrf_token": token})
    assert again.headers["location"] == "/report/about"


def test_what_the_reporter_typed_is_shown_as_text_never_as_html(public: TestClient) -> None:
    for step, answers in ANSWERS.items():
        _answer(public, step, answers)
    check = public.get("/report/check").text
    assert "<script>alert(1)</script>" not in check
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in check


def _come_back(public: TestClient, reference: str, phrase: str) -> Response:
    token = _csrf(public.get("/return"))
    return public.post(
        "/return", data={"csrf_token": token, "reference": reference, "phrase": phrase}
    )


def test_the_reporter_comes_back_reads_a_question_and_answers_it(
    public: TestClient, db: Database
) -> None:
    sent = _report(public).text
    reference = re.search(r'id="reference">([^<]+)<', sent).group(1)  # type: ignore[union-attr]
    phrase = re.search(r'id="phrase">([^<]+)<', sent).group(1)  # type: ignore[union-attr]
    lead = Actor("user:1:lead", role="team_manager")
    with unit_of_work(db, actor=lead) as uow:
        (report,) = list_community_reports(uow)
        ask_reporter(uow, report_id=report.report_id, question="Which school was it?")
        uow.commit()
    assert _come_back(public, reference, "wrong words here now").status_code == 400
    assert _come_back(public, reference, phrase).headers["location"] == "/return/report"
    page = public.get("/return/report")
    check_page(page.text)
    assert "Which school was it?" in page.text and "Being looked at" in page.text
    assert (
        "Answer the team&#39;s question" in page.text or "Answer the team's question" in page.text
    )
    empty = public.post("/return/report", data={"csrf_token": _csrf(page), "message": " "})
    assert empty.status_code == 400 and 'href="#message"' in empty.text
    public.post("/return/report", data={"csrf_token": _csrf(page), "message": "Westfield"})
    assert "Westfield" in public.get("/return/report").text


def test_the_privacy_notice_says_no_address_is_kept(public: TestClient) -> None:
    page = public.get("/privacy")
    check_page(page.text)
    assert "internet (IP) address" in page.text


def test_many_tries_from_one_connection_are_asked_to_wait_not_locked_out(
    public: TestClient,
) -> None:
    answers = [_come_back(public, "CR-AAAA-AAAA", "a b c d").status_code for _ in range(11)]
    assert answers == [400] * 10 + [429]
    page = _come_back(public, "CR-AAAA-AAAA", "a b c d")
    check_page(page.text)
    assert (
        "Please wait a few minutes" in page.text and "Nothing you typed has been lost" in page.text
    )
