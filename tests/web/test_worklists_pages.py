"""Every list names the child: the home page leads with what is overdue and due today, the
deadlines page and the case lists say whom each item is about, and every role's home page
leads somewhere that works."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from safehub.db.database import Database
from safehub.db.models import User
from safehub.db.uow import unit_of_work
from safehub.services.casework.people import age_on
from safehub.services.timeliness.clocks import ClockOwner, ClockSubject, start_deadline_clock
from tests.web.conftest import PageClient
from tests.web.helpers import SYSTEM, aisha_across_agencies, case_for


@pytest.fixture
def overdue(app_db: Database, tmp_path: Path, make_user: Callable[..., str]) -> dict[str, int]:
    """A social worker with a case about Ayesha and an overdue action on it."""
    username = make_user("social_worker", "LA-BRADFORD")
    _, child = aisha_across_agencies(app_db, tmp_path)
    case_id = case_for(app_db, [child], [username])
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        user = uow.session.scalars(select(User).where(User.username == username)).one()
        for title, due in (("Visit at home", -3), ("Send the plan", 20)):
            start_deadline_clock(
                uow,
                title=title,
                due_on=date.today() + timedelta(days=due),
                at=datetime.now(UTC) - timedelta(days=30),
                subject=ClockSubject(case_id=case_id),
                owner=ClockOwner(user.agency_id, None, user.id),
            )
        uow.commit()
    return {"case": case_id, "child": child}


def _signed_in(client: PageClient, username: str) -> PageClient:
    from tests.signin.helpers import complete_sign_in

    return complete_sign_in(client, username)  # type: ignore[no-any-return]


AYESHA = f"Ayesha Hussein ({age_on('2011-07', date.today())})"


def test_the_home_page_leads_with_overdue_work_naming_the_child_and_linking_the_case(
    client: PageClient, overdue: dict[str, int]
) -> None:
    home = _signed_in(client, "social_worker@la-bradford").get("/")
    text = home.text
    assert "Overdue and due today" in text and "1 overdue" in text
    urgent = text.split("Overdue and due today", 1)[1].split("Your cases", 1)[0]
    assert f'<a class="govuk-link" href="/cases/{overdue["case"]}">{AYESHA}</a>' in urgent
    assert "Visit at home" in urgent and "Send the plan" not in urgent
    cases = text.split("Your cases", 1)[1]
    assert AYESHA in cases and "Child sexual exploitation concerns" in cases


def test_home_and_deadlines_have_distinct_titles_and_deadlines_name_the_child(
    client: PageClient, overdue: dict[str, int]
) -> None:
    worker = _signed_in(client, "social_worker@la-bradford")
    home_title = re.search(r"<h1[^>]*>(.*?)</h1>", worker.get("/").text, re.S)[1]  # type: ignore[index]
    inbox = worker.get("/inbox").text
    inbox_title = re.search(r"<h1[^>]*>(.*?)</h1>", inbox, re.S)[1]  # type: ignore[index]
    assert home_title.strip() != inbox_title.strip()
    assert f"{AYESHA}: Visit at home" in inbox and f"{AYESHA}: Send the plan" in inbox


@pytest.mark.parametrize(
    ("role", "agency"),
    [
        ("school_dsl", "LA-BRADFORD"),
        ("licensing_officer", "LA-BRADFORD"),
        ("social_worker", "LA-BRADFORD"),
        ("police_analyst", "POL-WY"),
        ("data_protection_officer", "LA-BRADFORD"),
        ("oversight_inspector", "LA-BRADFORD"),
    ],
)
def test_every_link_and_form_on_each_roles_home_page_leads_somewhere(
    signed_in: Callable[..., PageClient], role: str, agency: str
) -> None:
    client = signed_in(role, agency)
    home = client.get("/")
    main = home.text.split("<main", 1)[1]
    targets = set(re.findall(r'(?:href|action)="(/[^"#?]*)', main))
    # The API's documentation is not a page of the staff app (it has its own tests).
    for target in sorted(t for t in targets - {"/sign-out"} if not t.startswith("/api/")):
        assert client.get(target).status_code == 200, (role, target)
