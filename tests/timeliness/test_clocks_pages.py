"""The timeliness pages through the real app: inbox, meetings and actions, workforce, timescales."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, text

from safehub.db.database import Database
from safehub.db.models import User
from safehub.db.models.timeliness import Clock
from safehub.db.uow import unit_of_work
from safehub.services.casework.cases import open_case
from safehub.services.timeliness.clocks import ClockOwner, ClockSubject, start_deadline_clock
from tests.signin.helpers import complete_sign_in
from tests.timeliness.conftest import SYSTEM
from tests.web.conftest import PageClient


def _me(db: Database, username: str) -> User:
    with unit_of_work(db, actor=SYSTEM) as uow:
        user = uow.session.scalars(select(User).where(User.username == username)).one()
        uow.session.expunge(user)
        return user


def _signed_in(
    client: PageClient, make_user: object, role: str, db: Database, team: bool = True
) -> User:
    username = make_user(role, "LA-BRADFORD")  # type: ignore[operator]
    if team:
        with db.owner_engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO team (agency_id, name) SELECT agency_id, 'Team' FROM "
                    "app_user WHERE username = :u"
                ),
                {"u": username},
            )
            conn.execute(
                text(
                    "UPDATE app_user SET team_id = (SELECT max(id) FROM team) WHERE username = :u"
                ),
                {"u": username},
            )
    complete_sign_in(client, username)
    return _me(db, username)


def _case_for(db: Database, user: User) -> int:
    with unit_of_work(db, actor=SYSTEM) as uow:
        agencies = list(uow.session.execute(text("SELECT id FROM agency")).scalars())
        case = open_case(
            uow,
            title="Child sexual exploitation concerns",
            children=[],
            agency_ids=agencies,
            member_ids=[user.id],
        )
        uow.commit()
        return case.id


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match
    return match.group(1)


def test_the_inbox_lists_overdue_work_first_and_asks_for_the_reason(
    client: PageClient, make_user: object, app_db: Database
) -> None:
    user = _signed_in(client, make_user, "social_worker", app_db)
    today = datetime.now(UTC).date()
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        for title, due in [
            ("Later work", today + timedelta(days=30)),
            ("Late work", today - timedelta(days=7)),
        ]:
            start_deadline_clock(
                uow,
                title=title,
                due_on=due,
                at=datetime.now(UTC) - timedelta(days=20),
                subject=ClockSubject(person_id=None),
                owner=ClockOwner(user.agency_id, user.team_id, user.id),
            )
        uow.commit()
    page = client.get("/inbox")
    assert page.status_code == 200
    assert page.text.index("Late work") < page.text.index("Later work")
    assert "Reason needed" in page.text
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        late = uow.session.scalars(select(Clock.id).where(Clock.title == "Late work")).one()
    done = client.post(f"/inbox/clocks/{late}/done", data={"csrf_token": _csrf(page.text)})
    assert done.status_code == 400 and "record the reason for the delay" in done.text
    done = client.post(
        f"/inbox/clocks/{late}/done",
        data={"csrf_token": _csrf(page.text), "reason": "Child unwell"},
    )
    assert done.status_code == 303
    assert "Late work" not in client.get("/inbox").text
    assert client.get("/inbox?scope=team").status_code == 200


def test_planning_and_recording_a_strategy_discussion_and_closing_its_action(
    client: PageClient, make_user: object, app_db: Database
) -> None:
    user = _signed_in(client, make_user, "social_worker", app_db)
    case_id = _case_for(app_db, user)
    meetings = client.get("/meetings")
    assert f"/cases/{case_id}/meetings/new" in meetings.text
    form = client.get(f"/cases/{case_id}/meetings/new")
    csrf = _csrf(form.text)
    missing = client.post(f"/cases/{case_id}/meetings/new", data={"csrf_token": csrf})
    assert missing.status_code == 400 and "Enter the date and time of the meeting" in missing.text
    today = date.today()
    planned = client.post(
        f"/cases/{case_id}/meetings/new",
        data={
            "csrf_token": csrf,
            "kind": "strategy_discussion",
            "title": "Older men and cars",
            "when-day": str(today.day),
            "when-month": str(today.month),
            "when-year": str(today.year),
            "at": "00:01",
            "agencies": [str(user.agency_id)],
        },
    )
    assert planned.status_code == 303
    url = planned.headers["location"]
    recorded = client.post(
        f"{url}/record",
        data={
            "csrf_token": csrf,
            "held-day": str(today.day),
            "held-month": str(today.month),
            "held-year": str(today.year),
            "at": "00:01",
            "attended": [str(user.agency_id)],
            "information_shared": "Police shared two vehicle registrations",
            "decisions": "Section 47 enquiries to start",
            "s47_initiated": "yes",
        },
    )
    assert recorded.status_code == 303, recorded.text
    added = client.post(
        f"{url}/actions",
        data={
            "csrf_token": csrf,
            "action_type": "licence_review",
            "description": "Ask licensing to review the driver's licence",
            "owner_agency_id": str(user.agency_id),
            "owner_user_id": str(user.id),
            "due-day": str(today.day),
            "due-month": str(today.month),
            "due-year": str(today.year),
        },
    )
    assert added.status_code == 303
    page = client.get(url)
    assert "Licence review" in page.text and "Attended" in page.text
    action_id = re.search(r'action="/actions/(\d+)/done"', page.text)
    assert action_id
    closed = client.post(
        f"/actions/{action_id.group(1)}/done",
        data={
            "csrf_token": csrf,
            "meeting_id": url.rsplit("/", 1)[1],
            "outcome": "Review requested",
        },
    )
    assert closed.status_code == 303
    assert "Review requested" in client.get(url).text


def test_the_workforce_page_shows_each_chart_with_its_table_and_records_training(
    client: PageClient, make_user: object, app_db: Database
) -> None:
    manager = _signed_in(client, make_user, "team_manager", app_db)
    page = client.get("/workforce")
    assert page.status_code == 200
    for chart in ("chart-caseload", "chart-backlog", "chart-throughput"):
        assert f'id="{chart}"' in page.text and f'data-chart="{chart}"' in page.text
    bad = client.post("/workforce/training", data={"csrf_token": _csrf(page.text)})
    assert bad.status_code == 400 and "Select the training course" in bad.text
    done = client.post(
        "/workforce/training",
        data={
            "csrf_token": _csrf(page.text),
            "user_id": str(manager.id),
            "course": "exploitation_awareness",
            "completed-day": "1",
            "completed-month": "3",
            "completed-year": str(date.today().year - 1),
        },
    )
    assert done.status_code == 303
    assert "Child exploitation awareness" in client.get("/workforce").text


def test_a_social_worker_cannot_see_the_workforce_or_timescales_pages(
    client: PageClient, make_user: object, app_db: Database
) -> None:
    _signed_in(client, make_user, "social_worker", app_db)
    assert client.get("/workforce").status_code == 404
    assert client.get("/clock-rules").status_code == 404


def test_an_administrator_adds_a_local_timescale_and_runs_the_clocks(
    client: PageClient, make_user: object, app_db: Database
) -> None:
    _signed_in(client, make_user, "administrator", app_db, team=False)
    page = client.get("/clock-rules")
    assert "referral_decision" in page.text
    csrf = _csrf(page.text)
    wrong = client.post(
        "/clock-rules",
        data={"csrf_token": csrf, "id": "Strategy!", "amount": "3", "unit": "working_days"},
    )
    assert wrong.status_code == 400
    added = client.post(
        "/clock-rules",
        data={
            "csrf_token": csrf,
            "id": "strategy_discussion",
            "amount": "3",
            "unit": "working_days",
            "start_event": "decision_to_hold_strategy_discussion",
            "stop_event": "strategy_discussion_held",
            "description": "Strategy discussion within 3 working days of the decision",
            "source": "Local procedures 4.2",
        },
    )
    assert added.status_code == 303
    assert "3 working days" in client.get("/clock-rules").text
    assert client.post("/clock-rules/run", data={"csrf_token": csrf}).status_code == 303
    assert "queued" in client.get("/clock-rules").text


def test_an_administrator_sets_the_partnership_mailbox_and_a_wrong_address_is_refused(
    client: PageClient, make_user: object, app_db: Database
) -> None:
    _signed_in(client, make_user, "administrator", app_db, team=False)
    assert 'href="/clock-rules/escalation"' in client.get("/clock-rules").text
    page = client.get("/clock-rules/escalation")
    assert "What is the partnership&#39;s mailbox?" in page.text
    assert "Safeguarding partnership" in page.text  # the ladder it belongs to
    csrf = _csrf(page.text)
    wrong = client.post("/clock-rules/escalation", data={"csrf_token": csrf, "email": "lscp at x"})
    assert wrong.status_code == 400
    assert '<a href="#email">Enter the mailbox in the correct format' in wrong.text
    assert 'value="lscp at x"' in wrong.text  # what was typed is kept
    saved = client.post(
        "/clock-rules/escalation", data={"csrf_token": csrf, "email": "LSCP@bradford.gov.uk"}
    )
    assert saved.status_code == 303
    page = client.get(saved.headers["location"])
    assert "has been saved" in page.text and 'value="lscp@bradford.gov.uk"' in page.text
    with app_db.owner_engine.connect() as conn:
        emails = conn.execute(text("SELECT recipient_role, email FROM escalation_step")).all()
    assert {(r, e) for r, e in emails if e} == {("partnership", "lscp@bradford.gov.uk")}
    cleared = client.post("/clock-rules/escalation", data={"csrf_token": csrf, "email": ""})
    assert cleared.status_code == 303  # blank: no one outside Safehub is emailed
    with app_db.owner_engine.connect() as conn:
        left = conn.execute(text("SELECT count(*) FROM escalation_step WHERE email IS NOT NULL"))
        assert left.scalar_one() == 0


def test_only_an_administrator_sees_the_escalation_page(
    client: PageClient, make_user: object, app_db: Database
) -> None:
    _signed_in(client, make_user, "team_manager", app_db)
    assert client.get("/clock-rules/escalation").status_code == 404
