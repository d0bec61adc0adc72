"""Every public page in Welsh: coming back to a report (the reference and phrase, the status,
the messages, answering the hub), the privacy notice and the slow-down page each answer in
Welsh under ``/cy``, marked ``lang="cy"``, with a link to the English page and no English left
on them but names."""

from __future__ import annotations

import html
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
from tests.public_app.test_report_pages import ANSWERS, _csrf

# Words that are English and not Welsh: one of them on a Welsh page is a string not translated.
ENGLISH = {
    "the", "your", "you", "report", "back", "there", "continue", "send", "sent",
    "messages", "enter", "secret", "phrase", "reference", "what", "is", "happening", "we",
    "keep", "not", "wait", "please", "skip", "main", "content", "leave", "and", "or", "of",
    "to", "how", "use", "tell", "us", "success", "thank", "error", "being", "looked",
    "team", "open", "source", "licence", "under", "words", "example", "four",
}  # fmt: skip
# Names, on a Welsh page as on an English one: the service, the other language, the licence.
NAMES = {"safehub", "english", "mit", "ip", "ls1", "cr"}


def english_left(page: str) -> set[str]:
    """The English words in what a Welsh page shows or says to a screen reader."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    shown = re.sub(r"<[^>]+>", " ", body)
    said = " ".join(re.findall(r'(?:aria-label|alt|title)="([^"]*)"', body))
    words = set(re.findall(r"[a-z]+", html.unescape(f"{shown} {said}").lower()))
    return (words & ENGLISH) - NAMES


def assert_welsh(page: Response, english_path: str) -> None:
    assert page.status_code == 200, page.text
    check_page(page.text)
    assert '<html lang="cy"' in page.text
    assert f'href="{english_path}" hreflang="en"' in page.text  # the link to the English page
    assert english_left(page.text) == set()


@pytest.fixture
def public(db: Database) -> Iterator[TestClient]:
    with TestClient(
        create_public_app(db), base_url="https://testserver", follow_redirects=False
    ) as client:
        yield client


def _report_in_welsh(public: TestClient) -> tuple[str, str]:
    for step, answers in ANSWERS.items():
        token = _csrf(public.get(f"/cy/report/{step}"))
        public.post(f"/cy/report/{step}", data={"csrf_token": token, **answers})
    sent = public.post(
        "/cy/report/check", data={"csrf_token": _csrf(public.get("/cy/report/check"))}
    )
    reference = re.search(r'id="reference">([^<]+)<', sent.text).group(1)  # type: ignore[union-attr]
    phrase = re.search(r'id="phrase">([^<]+)<', sent.text).group(1)  # type: ignore[union-attr]
    assert 'href="/cy/return"' in sent.text  # the receipt sends a Welsh reporter back in Welsh
    return reference, phrase


def _come_back(public: TestClient, reference: str, phrase: str) -> Response:
    token = _csrf(public.get("/cy/return"))
    return public.post(
        "/cy/return", data={"csrf_token": token, "reference": reference, "phrase": phrase}
    )


def test_the_check_finds_english_words_and_spares_names() -> None:
    assert english_left("<p>Rhowch eich cyfeirnod</p><a>English</a> Safehub") == set()
    assert english_left('<p>Dewch yn ôl</p><a aria-label="Skip">Neidio</a>') == {"skip"}
    assert english_left("<h1>Your report</h1>") == {"your", "report"}


def test_the_welsh_come_back_page_answers_in_welsh_with_welsh_errors(public: TestClient) -> None:
    assert_welsh(public.get("/cy/return"), "/return")
    empty = _come_back(public, "", "")
    assert empty.status_code == 400 and english_left(empty.text) == set()
    assert "Mae problem wedi codi" in empty.text
    assert "Rhowch eich ymadrodd cyfrinachol" in empty.text
    wrong = _come_back(public, "CR-AAAA-AAAA", "a b c d")
    assert "Gwiriwch y ddau" in wrong.text and english_left(wrong.text) == set()


def test_a_welsh_reporter_reads_the_hubs_question_and_answers_it_in_welsh(
    public: TestClient, db: Database
) -> None:
    reference, phrase = _report_in_welsh(public)
    with unit_of_work(db, actor=Actor("user:1:lead", role="team_manager")) as uow:
        (report,) = list_community_reports(uow)
        ask_reporter(uow, report_id=report.report_id, question="Pa ysgol oedd hi?")
        uow.commit()
    assert _come_back(public, reference, phrase).headers["location"] == "/cy/return/report"
    page = public.get("/cy/return/report")
    assert_welsh(page, "/return/report")
    assert "Pa ysgol oedd hi?" in page.text and "Mae&#39;r tîm diogelu yn edrych arno" in page.text
    assert "Atebwch gwestiwn y tîm" in page.text
    empty = public.post("/cy/return/report", data={"csrf_token": _csrf(page), "message": " "})
    assert empty.status_code == 400 and "Rhowch yr hyn rydych eisiau ei ddweud" in empty.text
    assert english_left(empty.text) == set()
    too_long = public.post(
        "/cy/return/report", data={"csrf_token": _csrf(page), "message": "x" * 2001}
    )
    assert "Rhaid i eich neges fod yn 2,000 o nodau neu lai" in too_long.text
    answered = public.post(
        "/cy/return/report", data={"csrf_token": _csrf(page), "message": "Ysgol y Parc"}
    )
    assert answered.headers["location"] == "/cy/return/report?sent=1"
    thanked = public.get("/cy/return/report?sent=1")
    assert_welsh(thanked, "/return/report")
    assert "Diolch" in thanked.text and "Ysgol y Parc" in thanked.text
    # The same report in English: the language is the page's, not the report's.
    assert "What is happening" in public.get("/return/report").text
    left = public.post("/cy/return/leave", data={"csrf_token": _csrf(page)})
    assert left.headers["location"] == "/cy"
    assert public.get("/cy/return/report").headers["location"] == "/cy/return"


def test_the_welsh_privacy_notice_is_in_welsh(public: TestClient) -> None:
    page = public.get("/cy/privacy")
    assert_welsh(page, "/privacy")
    assert "Eich cyfeirnod rhyngrwyd" not in page.text
    assert "Eich cyfeiriad rhyngrwyd (IP)" in page.text
    assert "o fewn 24 awr" in page.text and "cyhyd â&#39;r cofnod hwnnw" in page.text


def test_the_privacy_notice_says_how_long_reports_are_kept(public: TestClient) -> None:
    page = public.get("/privacy").text
    assert "Your answers, if you stop before sending: deleted within 2 hours." in page
    assert "internet address, used only to slow down floods of reports: deleted within 24" in page
    assert "it is kept as long as that record" in page and "75 years" in page
    assert "not added to the shared record" in page
    assert 'href="/cy/privacy"' in public.get("/cy/return").text  # the footer links to it


def test_the_welsh_slow_down_page_is_in_welsh(public: TestClient) -> None:
    for _ in range(10):
        _come_back(public, "CR-AAAA-AAAA", "a b c d")
    page = _come_back(public, "CR-AAAA-AAAA", "a b c d")
    assert page.status_code == 429
    check_page(page.text)
    assert '<html lang="cy"' in page.text and english_left(page.text) == set()
    assert "Arhoswch ychydig funudau" in page.text and 'href="/cy/return"' in page.text


def test_every_welsh_start_and_question_page_has_no_english_left(public: TestClient) -> None:
    assert_welsh(public.get("/cy"), "/")
    for step in ANSWERS:
        page = public.get(f"/cy/report/{step}")
        assert page.status_code == 200 and english_left(page.text) == set(), step
