"""The identity pages and API as staff use them: review queue, person links, intake step."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from safehub.db.database import Database
from tests.identity.helpers import (
    aisha_rows,
    nothing_at_stake_rows,
    nothing_at_stake_second_rows,
    person_of,
    second_batch_rows,
)

Importer = Callable[[list[dict[str, str]]], None]


@pytest.fixture
def pending(app_db: Database, importer: Importer, resolve: Callable[..., object]) -> Database:
    importer(aisha_rows())
    resolve("bulk")
    importer(second_batch_rows())
    resolve("incremental")
    return app_db


@pytest.fixture
def at_stake_and_not(app_db: Database, importer: Importer, resolve: Callable[..., object]) -> None:
    importer(aisha_rows() + nothing_at_stake_rows())
    resolve("bulk")
    importer(second_batch_rows() + nothing_at_stake_second_rows())
    resolve("incremental")


def test_the_review_api_says_why_each_pair_is_where_it_is_and_lists_the_others_apart(
    at_stake_and_not: None, signed_in: Callable[..., object]
) -> None:
    client = signed_in("mash_triage", "LA-BRADFORD")
    [pair] = client.get("/api/v1/match-pairs").json()  # type: ignore[attr-defined]
    # Need to know: the witness at the police and health touches no LA-BRADFORD record.
    assert pair["names"] == ["Mohammed Khan", "Mohammed Khan"]
    assert pair["priority_reason"] == (
        "would complete an adult of concern who is in records with children; "
        "the two are known to different agencies"
    )
    [other] = client.get("/api/v1/match-pairs?others=true").json()  # type: ignore[attr-defined]
    assert other["names"] == ["Gareth Pemberton", "Gareth Pemberton"]
    assert other["priority_reason"].startswith("left out: nothing at stake")
    assert other["priority"] < pair["priority"]


def test_the_queue_page_says_how_many_other_matches_wait_and_shows_them(
    at_stake_and_not: None, signed_in: Callable[..., object]
) -> None:
    client = signed_in("mash_triage", "LA-BRADFORD")
    queue = client.get("/review").text  # type: ignore[attr-defined]
    assert "Would complete an adult of concern who is in records with children" in queue
    assert "Gareth Pemberton" not in queue
    assert "1 other possible match waits" in queue and 'href="/review?show=others"' in queue
    others = client.get("/review?show=others").text  # type: ignore[attr-defined]
    assert '<h1 class="govuk-heading-l">Other possible matches (nothing at stake)</h1>' in others
    assert "Gareth Pemberton and Gareth Pemberton" in others
    assert "Nothing at stake (no adult of concern" in others
    assert "Mohammed Khan" not in others


def test_a_reviewer_rejects_a_pair_from_the_queue_page(
    pending: Database, signed_in: Callable[..., object]
) -> None:
    client = signed_in("mash_triage", "LA-BRADFORD")
    queue = client.get("/review")  # type: ignore[attr-defined]
    assert queue.status_code == 200
    link = re.search(r'href="(/review/\d+)"', queue.text)
    assert link, queue.text
    page = client.get(link.group(1))  # type: ignore[attr-defined]
    assert "Are these the same person?" in page.text and "Date of birth" in page.text
    token = client.csrf(link.group(1))  # type: ignore[attr-defined]
    missing = client.post(link.group(1), data={"csrf_token": token})  # type: ignore[attr-defined]
    assert missing.status_code == 400 and "Select whether" in missing.text
    done = client.post(link.group(1), data={"csrf_token": token, "decision": "reject"})  # type: ignore[attr-defined]
    assert done.status_code == 303 and done.headers["location"] == "/review?done=rejected"
    assert "There are no possible matches" in client.get("/review").text  # type: ignore[attr-defined]


def test_a_social_worker_cannot_open_the_review_queue(
    pending: Database, signed_in: Callable[..., object]
) -> None:
    client = signed_in("social_worker", "LA-BRADFORD")
    # Forbidden looks the same as not found (services/errors.py).
    assert client.get("/review").status_code == 404  # type: ignore[attr-defined]


def test_the_person_links_page_says_the_link_is_unconfirmed_and_a_reviewer_can_split_it(
    pending: Database, signed_in: Callable[..., object]
) -> None:
    client = signed_in("mash_triage", "LA-BRADFORD")
    child = person_of(pending, "LA-BRADFORD", "C-77")
    page = client.get(f"/people/{child}/links")  # type: ignore[attr-defined]
    assert page.status_code == 200
    assert "not confirmed by a person" in page.text
    ap = re.search(rf'action="/people/{child}/links/(\d+)/split"', page.text)
    assert ap
    token = client.csrf(f"/people/{child}/links")  # type: ignore[attr-defined]
    done = client.post(
        f"/people/{child}/links/{ap.group(1)}/split",  # type: ignore[attr-defined]
        data={"csrf_token": token, "reason": "a different child"},
    )
    assert done.status_code == 303


def test_the_referral_step_shows_the_known_child_and_keeps_the_answer(
    pending: Database, signed_in: Callable[..., object]
) -> None:
    client = signed_in("social_worker", "LA-BRADFORD")
    token = client.csrf("/referrals/new/child")  # type: ignore[attr-defined]
    client.post(
        "/referrals/new/child",
        data={
            "csrf_token": token,
            "given_names": "Aysha",  # type: ignore[attr-defined]
            "family_name": "Hussain",
        },
    )
    client.post(
        "/referrals/new/date-of-birth",
        data={
            "csrf_token": token,
            "dob-day": "3",  # type: ignore[attr-defined]
            "dob-month": "7",
            "dob-year": "2011",
        },
    )
    page = client.get("/referrals/new/known")  # type: ignore[attr-defined]
    assert page.status_code == 200
    child = person_of(pending, "LA-BRADFORD", "C-77")
    assert f'value="{child}"' in page.text
    assert "Known to" in page.text and "Date of birth: same date" in page.text
    done = client.post("/referrals/new/known", data={"csrf_token": token, "known": str(child)})  # type: ignore[attr-defined]
    assert done.headers["location"] == "/referrals/new/concern"


def test_the_intake_check_api_refuses_a_name_alone(
    pending: Database, signed_in: Callable[..., object]
) -> None:
    client = signed_in("social_worker", "LA-BRADFORD")
    token = client.csrf("/")  # type: ignore[attr-defined]
    response = client.post(
        "/api/v1/intake-checks",
        headers={"X-CSRF-Token": token},  # type: ignore[attr-defined]
        json={
            "purpose": "referral about a child",
            "given_names": "Aisha",
            "family_name": "Hussain",
        },
    )
    assert response.status_code == 400
    ok = client.post(
        "/api/v1/intake-checks",
        headers={"X-CSRF-Token": token},  # type: ignore[attr-defined]
        json={
            "purpose": "referral about a child",
            "given_names": "Aisha",
            "family_name": "Hussain",
            "date_of_birth": "2011-07-03",
        },
    )
    assert ok.status_code == 200
    assert [c["person_id"] for c in ok.json()["candidates"]] == [
        person_of(pending, "POL-WY", "P-1")
    ]


def test_the_review_api_decides_a_pair_once_and_refuses_an_answer_that_is_neither(
    pending: Database, signed_in: Callable[..., object]
) -> None:
    client = signed_in("mash_triage", "LA-BRADFORD")
    headers = {"X-CSRF-Token": client.csrf("/")}  # type: ignore[attr-defined]
    [pair] = client.get("/api/v1/match-pairs").json()  # type: ignore[attr-defined]
    assert pair["names"] == ["Mohammed Khan", "Mohammed Khan"]
    detail = client.get(f"/api/v1/match-pairs/{pair['pair_id']}").json()  # type: ignore[attr-defined]
    assert len(detail["agency_person_ids"]) == 2
    assert {e["field"] for e in detail["evidence"]} >= {"Given name", "Date of birth"}
    url = f"/api/v1/match-pairs/{pair['pair_id']}/decision"
    maybe = client.post(url, json={"decision": "maybe"}, headers=headers)  # type: ignore[attr-defined]
    assert maybe.status_code == 422
    assert "Select whether these records are the same person" in maybe.text
    done = client.post(url, json={"decision": "reject", "note": "checked"}, headers=headers)  # type: ignore[attr-defined]
    assert done.status_code == 200
    assert done.json() == {"pair_id": pair["pair_id"], "status": "rejected", "person_id": None}
    again = client.post(url, json={"decision": "confirm"}, headers=headers)  # type: ignore[attr-defined]
    assert again.status_code == 409


def test_the_person_links_api_names_each_agency_record_and_says_the_link_is_unconfirmed(
    pending: Database, signed_in: Callable[..., object]
) -> None:
    client = signed_in("mash_triage", "LA-BRADFORD")
    child = person_of(pending, "LA-BRADFORD", "C-77")
    links = client.get(f"/api/v1/people/{child}/links").json()  # type: ignore[attr-defined]
    assert links["person_id"] == child and links["rests_on_unconfirmed_merge"] is True
    assert {(r["agency_code"], r["person_ref"]) for r in links["records"]} == {
        ("POL-WY", "P-1"),
        ("LA-BRADFORD", "C-77"),
        ("NHS-BTH", "H-5"),
    }
    assert all(r["link_confidence"] for r in links["records"])


def test_the_review_pages_say_how_likely_a_match_is_in_words_with_the_figure(
    pending: Database, signed_in: Callable[..., object]
) -> None:
    client = signed_in("mash_triage", "LA-BRADFORD")
    queue = client.get("/review")  # type: ignore[attr-defined]
    link = re.search(r'href="(/review/\d+)"', queue.text)
    assert link, queue.text
    # Words first, then the figure; never a rounded certainty next to "needs a person".
    said = re.compile(
        r"(Almost certainly|Very likely|Likely|A little more likely|Probably)[^<(]*\("
    )
    assert said.search(queue.text) and "Why a person must decide" in queue.text
    page = client.get(link.group(1))  # type: ignore[attr-defined]
    assert "The matcher finds these records " in page.text
    assert "It still needs a person to decide" in page.text
    assert "log2" not in page.text and "doubles the odds" in page.text
    assert "100%" not in page.text and "100%" not in queue.text
