"""The question pages in Welsh: the same words in one module per language, every message the
form gives in Welsh too, the same draft in both languages, and a switch that keeps what was
typed on the page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from safehub.db.database import Database
from safehub.public.app import create_public_app
from safehub.public.texts import texts, translate
from safehub.services.community import ReportDraft
from tests.public_app.test_report_pages import ANSWERS, _csrf


@pytest.fixture
def public(db: Database) -> Iterator[TestClient]:
    with TestClient(
        create_public_app(db), base_url="https://testserver", follow_redirects=False
    ) as client:
        yield client


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items() if k not in ("errors", "field_names")}
    if isinstance(value, list):
        return len(value)
    return type(value).__name__


def test_english_and_welsh_have_the_same_words_to_give() -> None:
    assert _shape(texts("en")) == _shape(texts("cy"))


BAD = ReportDraft(
    about="nothing",
    what_seen="",
    signs=("unknown",),
    seen_day="31",
    seen_month="2",
    seen_year="2026",
    seen_time="dawn",
    place_postcode="nowhere",
    vehicle_registration="AB-12",
    phone="call me",
    subject_age="old",
    tell_who="maybe",
    share_exact="maybe",
)


def test_every_message_the_form_gives_has_its_welsh() -> None:
    too_long = ReportDraft(**dict.fromkeys(("what_seen", "place_description"), "x" * 4000))
    named = ReportDraft(tell_who="yes")
    future = ReportDraft(seen_day="1", seen_month="1", seen_year="2999")
    for draft in (BAD, too_long, named, future):
        errors = draft.problems()
        welsh = translate(errors, "cy")
        assert set(welsh) == set(errors)
        untranslated = {f: m for f, m in welsh.items() if m == errors[f]}
        assert untranslated == {}


def test_a_welsh_question_page_is_in_welsh_with_welsh_errors(public: TestClient) -> None:
    page = public.get("/cy/report/about")
    assert page.status_code == 200 and 'lang="cy"' in page.text
    assert "Beth sy&#39;n eich poeni?" in page.text and "Parhau" in page.text
    assert 'href="/report/about"' in page.text  # the link to the English page
    sent = public.post("/cy/report/about", data={"csrf_token": _csrf(page)})
    assert sent.status_code == 400
    assert "Mae problem wedi codi" in sent.text and "Dewiswch beth sy&#39;n eich poeni" in sent.text
    done = public.post("/cy/report/about", data={"csrf_token": _csrf(page), "about": "vehicle"})
    assert done.headers["location"] == "/cy/report/what"


def test_switching_language_keeps_what_was_typed_on_the_page(public: TestClient) -> None:
    token = _csrf(public.get("/report/what"))
    typed = "The same taxi collects two girls from the park most evenings."
    switched = public.post(
        "/report/what",
        data={"csrf_token": token, "what_seen": typed, "switch_language": "cy"},
    )
    assert switched.headers["location"] == "/cy/report/what"
    assert typed in public.get("/cy/report/what").text
    # An answer that needs putting right is kept too, but the step is not yet answered.
    public.post(
        "/cy/report/where",
        data={"csrf_token": token, "place_postcode": "nowhere", "switch_language": "en"},
    )
    assert 'value="nowhere"' in public.get("/report/where").text


def test_a_report_made_in_welsh_checks_in_welsh_and_is_sent(public: TestClient) -> None:
    for step, answers in ANSWERS.items():
        token = _csrf(public.get(f"/cy/report/{step}"))
        sent = public.post(f"/cy/report/{step}", data={"csrf_token": token, **answers})
        assert sent.status_code == 303, step
    check = public.get("/cy/report/check")
    assert "Gwiriwch eich atebion" in check.text and "Noswaith" not in check.text
    assert "noswaith" in check.text  # the time of day, in Welsh, in the sentence
    assert 'href="/cy/report/about"' in check.text
    receipt = public.post("/cy/report/check", data={"csrf_token": _csrf(check)})
    assert receipt.status_code == 200 and "Eich ymadrodd cyfrinachol" in receipt.text
