"""The child page: the checklist and suggested level, the child's voice, support tracked to an
outcome, and who has heard the account shown before another interview is planned."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import text

from safehub.db.database import Database
from tests.practice.conftest import ChildOnCase
from tests.web.conftest import PageClient


def _date(prefix: str, on: date) -> dict[str, str]:
    return {
        f"{prefix}-day": str(on.day),
        f"{prefix}-month": str(on.month),
        f"{prefix}-year": str(on.year),
    }


def test_the_checklist_records_indicators_and_the_page_shows_the_level_with_its_reasons(
    signed_in: Callable[..., PageClient], child_on_case: ChildOnCase, app_db: Database
) -> None:
    client = signed_in("police_investigator", "POL-WY")  # the agency holding the missing episode
    url = f"/children/{child_on_case.person_id}/indicators"
    form = client.get(url)
    assert "Also in West Yorkshire Police" in form.text, (
        "agency indicators are shown with their source"
    )
    response = client.post(
        url,
        data={
            "csrf_token": client.csrf(url),
            "indicators": ["hotels", "gifts"],
            "details": "Seen at the hotel by school staff",
        },
    )
    assert response.status_code == 303
    page = client.get(f"/children/{child_on_case.person_id}").text
    assert "Significant" in page
    assert (
        "4 signs of exploitation: gifts from unknown sources, hotels, parties or unknown addresses, going missing, cars and taxis"
        in page
    )
    assert "Rule: 3 or more signs" in page
    assert "Sexual images of the child found" not in page  # evidence kept apart, none recorded
    client.post(
        url, data={"csrf_token": client.csrf(url), "details": "Gifts and hotel not confirmed"}
    )
    page = client.get(f"/children/{child_on_case.person_id}").text
    assert "lower than before: the response is not lowered by this" in page
    with app_db.owner_engine.connect() as conn:
        kept = conn.execute(
            text("SELECT code, withdrawn_at IS NOT NULL FROM child_indicator ORDER BY id")
        ).all()
    assert [tuple(r) for r in kept] == [("gifts", True), ("hotels", True)]


def test_the_childs_words_are_recorded_as_theirs_with_who_heard_them(
    signed_in: Callable[..., PageClient], child_on_case: ChildOnCase
) -> None:
    client = signed_in("social_worker", "LA-BRADFORD")
    url = f"/children/{child_on_case.person_id}/voice/new"
    missing = client.post(url, data={"csrf_token": client.csrf(url), "kind": "words"})
    assert missing.status_code == 400 and "Enter what the child said" in missing.text
    saved = client.post(
        url,
        data={
            "csrf_token": client.csrf(url),
            "kind": "words",
            "content": "I want to stay at my nan's",
            "said_to": "Sam Patel, social worker",
            **_date("said_on", date(2025, 3, 4)),
        },
    )
    assert saved.status_code == 303
    page = client.get(f"/children/{child_on_case.person_id}").text
    assert "“I want to stay at my nan&#39;s”" in page
    assert "said to Sam Patel, social worker on 4 March 2025" in page


def test_who_has_heard_the_account_is_a_warning_before_anyone_records_another(
    signed_in: Callable[..., PageClient], child_on_case: ChildOnCase
) -> None:
    client = signed_in("social_worker", "LA-BRADFORD")
    url = f"/children/{child_on_case.person_id}/accounts/new"
    assert "govuk-warning-text" not in client.get(url).text
    client.post(
        url,
        data={
            "csrf_token": client.csrf(url),
            "heard_by": "DC Jones",
            "heard_by_role": "police",
            "kind": "abe_interview",
            **_date("heard_on", date(2025, 3, 10)),
        },
    )
    form = client.get(url).text
    assert "govuk-warning-text" in form
    assert (
        "already told their account to 1 person: DC Jones (police), achieving best evidence "
        "(abe) interview, 10 March 2025"
    ) in form
    assert "DC Jones" in client.get(f"/children/{child_on_case.person_id}").text


def test_a_referral_to_support_is_tracked_to_its_outcome(
    signed_in: Callable[..., PageClient], child_on_case: ChildOnCase
) -> None:
    client = signed_in("social_worker", "LA-BRADFORD")
    url = f"/children/{child_on_case.person_id}/support/referrals/new"
    client.post(
        url,
        data={
            "csrf_token": client.csrf(url),
            "service": "independent_advocate",
            "provider": "Local CHISVA service",
            **_date("referred_on", date(2025, 3, 5)),
        },
    )
    page = client.get(f"/children/{child_on_case.person_id}").text
    assert "Local CHISVA service" in page and "Referred" in page
    referral = page.split('href="/support-referrals/')[1].split('"')[0]
    update = f"/support-referrals/{referral}"
    refused = client.post(update, data={"csrf_token": client.csrf(update), "status": "completed"})
    assert refused.status_code == 400 and "Say what the outcome was" in refused.text
    client.post(
        update,
        data={
            "csrf_token": client.csrf(update),
            "status": "completed",
            "outcome": "Amy met her advocate weekly",
        },
    )
    assert "Amy met her advocate weekly" in client.get(f"/children/{child_on_case.person_id}").text


def test_a_child_unknown_to_the_user_is_not_found(
    signed_in: Callable[..., PageClient], child_on_case: ChildOnCase, app_db: Database
) -> None:
    with app_db.owner_engine.begin() as conn:
        conn.execute(
            text(
                "DELETE FROM case_agency WHERE agency_id = (SELECT id FROM agency WHERE code = 'LA-BRADFORD')"
            )
        )
    client = signed_in("social_worker", "LA-BRADFORD")
    assert client.get(f"/children/{child_on_case.person_id}").status_code == 404
    assert client.get(f"/children/{child_on_case.person_id}/indicators").status_code == 404
