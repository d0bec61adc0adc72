"""The referral form: one question per page, errors that name the field, nothing typed lost."""

from __future__ import annotations

from collections.abc import Callable

from tests.web.conftest import PageClient


def test_the_referral_journey_ends_with_a_reference(signed_in: Callable[..., PageClient]) -> None:
    client = signed_in("school_dsl", "LA-BRADFORD")
    token = client.csrf("/referrals/new/child")
    step = client.post(
        "/referrals/new/child",
        data={"csrf_token": token, "given_names": "Aisha", "family_name": "Hussain"},
    )
    assert step.headers["location"] == "/referrals/new/date-of-birth"
    step = client.post(
        "/referrals/new/date-of-birth",
        data={"csrf_token": token, "dob-day": "3", "dob-month": "7", "dob-year": "2011"},
    )
    assert step.headers["location"] == "/referrals/new/known"
    known = client.get("/referrals/new/known")
    assert "Is this child already known?" in known.text
    step = client.post(
        "/referrals/new/concern",
        data={
            "csrf_token": token,
            "concern_type": "sexual_exploitation",
            "concern": "Seen getting into cars with adult men after school.",
            "immediate_danger": "no",
        },
    )
    assert step.headers["location"] == "/referrals/new/check"
    check = client.get("/referrals/new/check")
    assert "Aisha Hussain" in check.text and "3 July 2011" in check.text
    sent = client.post("/referrals/new/check", data={"csrf_token": token})
    done = client.get(sent.headers["location"])
    assert "Referral sent" in done.text and "REF-" in done.text


def test_a_missing_name_is_reported_in_the_summary_and_beside_the_field(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in("school_dsl")
    token = client.csrf("/referrals/new/child")
    page = client.post(
        "/referrals/new/child",
        data={"csrf_token": token, "given_names": "Aisha", "family_name": ""},
    )
    assert page.status_code == 400
    assert "There is a problem" in page.text
    assert '<a href="#family_name">Enter the child&#39;s last name</a>' in page.text
    assert 'value="Aisha"' in page.text  # what was typed is kept
    assert page.text.count("Enter the child&#39;s last name") == 2


def test_an_impossible_date_of_birth_is_an_error_that_says_how_to_fix_it(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in("school_dsl")
    token = client.csrf("/referrals/new/child")
    page = client.post(
        "/referrals/new/date-of-birth",
        data={"csrf_token": token, "dob-day": "30", "dob-month": "2", "dob-year": "2012"},
    )
    assert page.status_code == 400
    assert "Date of birth must be a real date" in page.text and 'href="#dob-day"' in page.text


def test_what_was_typed_is_kept_on_the_server_and_restored(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in("school_dsl")
    token = client.csrf("/referrals/new/child")
    client.post(
        "/referrals/new/concern",
        data={
            "csrf_token": token,
            "concern_type": "missing",
            "concern": "Went missing again",
            "immediate_danger": "",
        },
    )
    page = client.get("/referrals/new/concern")
    assert "Went missing again" in page.text


def test_the_known_child_answer_can_only_name_a_child_the_referrer_was_shown(
    signed_in: Callable[..., PageClient], app_db: object
) -> None:
    from sqlalchemy import text

    from safehub.db.database import Database

    assert isinstance(app_db, Database)
    client = signed_in("school_dsl", "LA-BRADFORD")
    token = client.csrf("/referrals/new/child")
    client.post(
        "/referrals/new/child",
        data={"csrf_token": token, "given_names": "Aisha", "family_name": "Hussain"},
    )
    client.post(
        "/referrals/new/date-of-birth",
        data={"csrf_token": token, "dob-day": "3", "dob-month": "7", "dob-year": "2011"},
    )
    client.get("/referrals/new/known")  # nobody is known: no candidates shown
    client.post("/referrals/new/known", data={"csrf_token": token, "known": "424242"})
    client.post(
        "/referrals/new/concern",
        data={
            "csrf_token": token,
            "concern_type": "missing",
            "concern": "Missing overnight twice this week.",
            "immediate_danger": "no",
        },
    )
    client.post("/referrals/new/check", data={"csrf_token": token})
    with app_db.owner_engine.connect() as conn:
        linked = conn.execute(text("SELECT child_person_id FROM referral")).scalar_one()
    assert linked is None


def test_a_force_covering_two_councils_is_asked_which_council_area_the_child_lives_in(
    signed_in: Callable[..., PageClient], app_db: object
) -> None:
    from sqlalchemy import select

    from safehub.access.actor import Actor
    from safehub.db.database import Database
    from safehub.db.models import Referral
    from safehub.db.uow import unit_of_work
    from tests.web.helpers import second_council

    assert isinstance(app_db, Database)
    rochdale_id = second_council(app_db)
    client = signed_in("police_investigator", "POL-WY")
    token = client.csrf("/referrals/new/child")
    client.post(
        "/referrals/new/child",
        data={"csrf_token": token, "given_names": "Aisha", "family_name": "Hussain"},
    )
    step = client.post(
        "/referrals/new/concern",
        data={
            "csrf_token": token,
            "concern_type": "sexual_exploitation",
            "concern": "Seen getting into cars with adult men after school.",
            "immediate_danger": "no",
        },
    )
    assert step.headers["location"] == "/referrals/new/council"
    assert client.get("/referrals/new/check").headers["location"] == "/referrals/new/council"
    page = client.get("/referrals/new/council")
    assert "Which council area does the child live in?" in page.text
    assert "Bradford" in page.text and "Rochdale" in page.text
    page = client.post("/referrals/new/council", data={"csrf_token": token})
    assert page.status_code == 400
    assert (
        '<a href="#council_agency_id">Select the council area the child lives in</a>' in page.text
    )
    step = client.post(
        "/referrals/new/council", data={"csrf_token": token, "council_agency_id": str(rochdale_id)}
    )
    assert step.headers["location"] == "/referrals/new/check"
    check = client.get("/referrals/new/check")
    assert "Council area" in check.text and "Rochdale" in check.text
    assert '<a href="/referrals/new/council" class="govuk-back-link">' in check.text
    client.post("/referrals/new/check", data={"csrf_token": token})
    with unit_of_work(app_db, actor=Actor(label="system:test")) as uow:
        sent = uow.session.scalars(select(Referral).order_by(Referral.id.desc())).first()
        assert sent is not None and sent.council_agency_id == rochdale_id
