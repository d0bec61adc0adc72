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
    # The oversight body's home is its portal (a redirect).
    home = client.get("/", follow_redirects=True)
    main = home.text.split("<main", 1)[1]
    targets = set(re.findall(r'(?:href|action)="(/[^"#?]*)', main))
    # The API's documentation is not a page of the staff app (it has its own tests).
    for target in sorted(t for t in targets - {"/sign-out"} if not t.startswith("/api/")):
        assert client.get(target).status_code == 200, (role, target)


@pytest.fixture
def known_to_police(
    app_db: Database, tmp_path: Path, make_user: Callable[..., str]
) -> dict[str, int]:
    """A child in three police records (two of a kind shared with social care, one not), on a
    social worker's case; and the adult suspected of abusing her."""
    from tests.factories import extract_row
    from tests.web.helpers import import_rows, person_id, share_between_demo_agencies

    nhs = {"nhs_number": "943 476 5919"}
    import_rows(
        app_db,
        tmp_path,
        [
            extract_row(record_id="CR-1", record_date="2024-04-07", outcome="nfa", **nhs),
            extract_row(record_id="CR-2", record_date="2024-05-01", **nhs),
            extract_row(record_id="INT-1", record_type="intelligence", **nhs),
            extract_row(
                record_id="CR-1",
                record_date="2024-04-07",
                person_ref="P-2",
                person_role="suspect",
                given_names="Mohammed",
                family_name="Khan",
                date_of_birth="1990",
            ),
        ],
    )
    share_between_demo_agencies(app_db)
    username = make_user("social_worker", "LA-BRADFORD")
    child = person_id(app_db, "POL-WY", "P-1")
    case_id = case_for(app_db, [child], [username])
    return {"child": child, "adult": person_id(app_db, "POL-WY", "P-2"), "case": case_id}


def test_the_person_page_lists_each_identifier_once_and_counts_what_is_not_open(
    client: PageClient, known_to_police: dict[str, int]
) -> None:
    page = _signed_in(client, "social_worker@la-bradford").get(
        f"/people/{known_to_police['child']}"
    )
    assert page.status_code == 200
    text = page.text
    assert text.count("943 476 5919") == 1 and "West Yorkshire Police" in text
    assert "1 more record held by West Yorkshire Police is not open to you" in text
    assert "7 April 2024" in text and "No further action" in text and "Crime report CR-1" in text
    assert f'href="/cases/{known_to_police["case"]}"' in text
    assert f'href="/children/{known_to_police["child"]}"' in text
    visible = re.sub(r"<[^>]+>", " ", text)
    assert "POL-WY" not in visible and "2024-04-07" not in visible and " nfa" not in visible


def test_an_adult_suspects_page_offers_no_childs_page(
    signed_in: Callable[..., PageClient], known_to_police: dict[str, int]
) -> None:
    page = signed_in("police_investigator", "POL-WY").get(f"/people/{known_to_police['adult']}")
    assert page.status_code == 200 and "Mohammed Khan" in page.text
    assert "/children/" not in page.text and "Child&#39;s page" not in page.text


@pytest.fixture
def oliviae(app_db: Database, tmp_path: Path, make_user: Callable[..., str]) -> list[int]:
    """Twenty-five girls called Olivia Smith, born a month apart, in two postcode districts."""
    from tests.factories import extract_row
    from tests.web.helpers import import_rows, person_id

    rows = [
        extract_row(
            record_id=f"CR-{n}",
            person_ref=f"P-{n}",
            given_names="Olivia",
            family_name="Smith",
            date_of_birth=f"{2008 + n // 12}-{n % 12 + 1:02d}-15",
            postcode="BD1 1AA" if n % 2 else "BD7 2QQ",
        )
        for n in range(25)
    ]
    import_rows(app_db, tmp_path, rows)
    make_user("police_investigator", "POL-WY")
    return [person_id(app_db, "POL-WY", f"P-{n}") for n in range(25)]


def test_search_tells_people_of_one_name_apart_and_pages_them(
    client: PageClient, app_db: Database, oliviae: list[int]
) -> None:
    case_for(app_db, [oliviae[3]], ["police_investigator@pol-wy"])
    police = _signed_in(client, "police_investigator@pol-wy")
    first = police.get("/people", params={"name": "olivia smith", "sort": "youngest"})
    assert "25 people found" in first.text
    rows = re.findall(
        r"<tr class=\"govuk-table__row\">.*?</tr>", first.text.split("<tbody", 1)[1], re.S
    )
    assert len(rows) == 20
    youngest = rows[0]
    assert age_on("2010-01-15", date.today()) in youngest and "15 January 2010" in youngest
    assert "BD7" in youngest and "West Yorkshire Police" in youngest
    second = police.get("/people", params={"name": "olivia smith", "sort": "youngest", "page": 2})
    assert second.text.count('href="/people/') == 5 and "15 January 2008" in second.text
    with_case = police.get("/people", params={"dob": "15/04/2008"})
    assert "1 person found" in with_case.text
    row = with_case.text.split("<tbody", 1)[1]
    assert f'href="/people/{oliviae[3]}"' in row and ">Yes<" in row


def test_the_referrers_home_page_lists_their_referrals_where_each_went_and_what_happened(
    signed_in: Callable[..., PageClient],
) -> None:
    client = signed_in("school_dsl", "LA-BRADFORD")
    token = client.csrf("/referrals/new/child")
    steps = [
        ("/referrals/new/child", {"given_names": "Aisha", "family_name": "Hussain"}),
        ("/referrals/new/date-of-birth", {"dob-day": "3", "dob-month": "7", "dob-year": "2011"}),
        (
            "/referrals/new/concern",
            {
                "concern_type": "sexual_exploitation",
                "concern": "Seen getting into cars with adult men after school.",
                "immediate_danger": "no",
            },
        ),
        ("/referrals/new/check", {}),
    ]
    for path, data in steps:
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 303
    home = client.get("/").text
    mine = home.split("Your referrals", 1)[1]
    assert f"Aisha Hussain ({age_on('2011-07-03', date.today())})" in mine
    assert "Child sexual exploitation" in mine and "Bradford Children&#39;s Social Care" in mine
    assert "Awaiting a decision (due by" in mine


def test_the_case_page_names_its_children_and_speaks_without_codes(
    signed_in: Callable[..., PageClient], app_db: Database, tmp_path: Path
) -> None:
    from tests.web.helpers import share_between_demo_agencies

    children = aisha_across_agencies(app_db, tmp_path)
    share_between_demo_agencies(app_db)
    client = signed_in()
    case_id = case_for(app_db, children, ["social_worker@la-bradford"])
    page = client.get(f"/cases/{case_id}").text
    caption = re.search(r'<span class="govuk-caption-l">(.*?)</h1>', page, re.S)[1]  # type: ignore[index]
    assert AYESHA in caption and "Aisha Hussain" in caption
    visible = re.sub(r"<[^>]+>", " ", page)
    assert "Crime report CR-1 (victim)" in visible and "1 March 2025" in visible
    assert "crime_report" not in visible and "2025-03-01" not in visible
    assert "POL-WY" not in visible
