"""The oversight portal's pages for the inspector: measures by area against target, the league
table, an area's trends, disparities, the register; every count under disclosure control; and
nothing identifiable reachable."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pytest
from sqlalchemy import text

from safehub.db.database import Database
from tests.web.conftest import PageClient


def _main(html: str) -> str:
    return html.split("<main", 1)[1]


def test_an_inspectors_home_is_the_oversight_portal(inspector: PageClient) -> None:
    home = inspector.get("/")
    assert home.status_code == 303 and home.headers["location"] == "/oversight"


def _row(html: str, contains: str) -> list[str]:
    """The cells' text of the first table row containing ``contains``."""
    for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', html, re.S):
        if contains in row:
            return [
                re.sub(r"<[^>]+>", "", c).strip()
                for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
            ]
    raise AssertionError(f"no row with {contains}")


def test_the_dashboard_shows_each_measure_against_target_by_area_with_who_answers(
    inspector: PageClient,
) -> None:
    page = inspector.get("/oversight?period=2025")
    assert page.status_code == 200
    main = _main(page.text)
    # Bradford decided 270 of 300 in time (90.0%, met); Kirklees' 3 of 4 is not published;
    # 2024's 10 of 1000 is not counted.
    assert _row(main, "Referrals decided within 1 working day") == [
        "Referrals decided within 1 working day",
        "90.0% or more",
        "Director of children&#39;s services",
        "1",
        "0",
        "0",
        "1",
    ]
    # West Yorkshire: a median of 70 days against 60 or less, within 10: near.
    assert _row(main, "West Yorkshire")[1:] == ["Police force area", "0", "1", "0", "0"]
    assert _row(main, "Kirklees")[1:] == ["Local authority", "0", "0", "0", "2"]


def test_the_dashboards_tables_keep_the_gov_uk_table_markup(inspector: PageClient) -> None:
    # The dashboard draws its tables with a lighter macro than govukTable (issue 17): the same
    # classes, captions, column headers and right-aligned counts.
    main = _main(inspector.get("/oversight?period=2025").text)
    assert main.count('<table class="govuk-table">') == 2
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--s">How many areas met' in main
    )
    assert (
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Near</th>' in main
    )
    row = re.search(
        r'<tr class="govuk-table__row"><td[^>]*>[^<]*<a[^>]*>Kirklees</a>.*?</tr>', main
    )
    assert row is not None
    cells = re.findall(r'<td class="([^"]+)">', row.group(0))
    assert cells == ["govuk-table__cell"] * 2 + ["govuk-table__cell govuk-table__cell--numeric"] * 4


def test_a_count_below_ten_is_c_and_others_are_rounded_to_five(inspector: PageClient) -> None:
    board = inspector.get("/api/v1/oversight/dashboard?period=2025").json()
    counts = {
        (f["measure"], f["area_name"]): (f["value"], f["n"])
        for f in board["figures"]
        if f["measure"] == "victim_treated_as_offender"
    }
    assert counts == {
        ("victim_treated_as_offender", "Bradford"): (10, 10),
        ("victim_treated_as_offender", "Kirklees"): ("c", "c"),
    }


def test_the_league_table_ranks_areas_best_first_and_leaves_unpublished_ones_unranked(
    inspector: PageClient,
) -> None:
    page = inspector.get("/oversight/league?measure=referral_decided_1wd&period=2025")
    assert page.status_code == 200
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', _main(page.text), re.S)[1:]
    cells = [re.sub(r"<[^>]+>", " ", r) for r in rows]
    assert "1" in cells[0].split() and "Bradford" in cells[0]
    assert "Not ranked" in cells[1] and "Kirklees" in cells[1]


def test_a_period_that_is_not_a_year_or_month_is_refused_naming_the_field(
    inspector: PageClient,
) -> None:
    page = inspector.get("/oversight?period=last+year")
    assert page.status_code == 400
    assert "There is a problem" in page.text and 'href="#period"' in page.text
    assert "Enter the period as a year" in page.text


def test_an_areas_page_has_a_chart_with_a_table_of_the_same_months(
    inspector: PageClient,
) -> None:
    page = inspector.get("/oversight/areas/local_authority/E08000032?period=2025")
    assert page.status_code == 200
    main = _main(page.text)
    assert "January 2025" in main and "February 2025" in main
    assert "95.0%" in main and "80.0%" in main
    # Over the year: 270 of 300, on target, with who answers for it.
    assert "90.0%" in main and "Met" in main and "Director of children&#39;s services" in main
    assert 'data-chart="trend-referral_decided_1wd"' in main
    spec = re.search(r'data-chart="trend-referral_decided_1wd">(.*?)</script>', main, re.S)
    assert spec and '"value": 95.0' in spec.group(1) and '"value": 80.0' in spec.group(1)


def test_an_area_with_no_facts_is_not_found(inspector: PageClient) -> None:
    assert inspector.get("/oversight/areas/local_authority/E99999999").status_code == 404


def test_disparities_say_in_plain_words_what_is_and_is_not_significant(
    inspector: PageClient,
) -> None:
    main = _main(inspector.get("/oversight/disparities").text)
    assert "differs by suspect&#39;s ethnicity (self-defined, grouped) more than chance" in main
    assert "Groups that stand out: Asian" in main
    assert "No significant difference in the no further action" in main
    mixed = main.split("Mixed", 1)[1].split("</tr>", 1)[0]
    assert "c" in re.sub(r"<[^>]+>", " ", mixed).split(), "a group of 6 is not published"


def test_every_query_is_in_the_register_which_can_be_downloaded(
    inspector: PageClient, facts: Database
) -> None:
    inspector.get("/oversight?period=2025")
    inspector.get("/oversight/league?measure=days_report_to_charge&period=2025-01")
    inspector.get("/api/v1/oversight/disparities")
    register = _main(inspector.get("/oversight/register").text)
    assert "Dashboard" in register and "League table" in register and "Disparities" in register
    assert "measure: days_report_to_charge; period: 2025-01" in register
    download = inspector.get("/oversight/register.csv")
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert [r["query"] for r in rows][-3:] == ["disparities", "league_table", "dashboard"]
    assert rows[0]["who"] == "Test oversight_inspector"
    with facts.owner_engine.connect() as conn:
        audited = conn.execute(
            text("SELECT count(*) FROM audit_event WHERE action = 'oversight_query'")
        ).scalar_one()
    assert audited >= 5, "the register is in addition to the audit log"


def test_the_navigation_shows_oversight_to_inspectors_and_managers_only(
    signed_in: Callable[..., PageClient], facts: Database
) -> None:
    inspector = signed_in("oversight_inspector", "LA-BRADFORD")
    assert 'href="/oversight"' in inspector.get("/oversight").text
    manager = signed_in("team_manager", "LA-BRADFORD")
    assert 'href="/oversight"' in manager.get("/").text
    assert manager.get("/oversight").status_code == 200
    assert manager.get("/oversight/samples").status_code == 404, "samples: the oversight body"
    worker = signed_in("social_worker", "LA-BRADFORD")
    assert 'href="/oversight"' not in worker.get("/").text
    assert worker.get("/oversight").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/people",
        "/people?q=Hussein",
        "/people/{person}",
        "/children/{person}",
        "/cases/{case}",
        "/cases/{case}/export",
        "/people/{person}/export",
        "/inbox",
        "/alerts",
        "/practice/measures",
        "/language/audit",
        "/workforce",
        "/api/v1/people/{person}",
        "/api/v1/cases/{case}",
        "/api/v1/stats",
    ],
)
def test_nothing_identifiable_is_reachable_by_an_inspector(
    inspector: PageClient, case_on_file: object, app_db: Database, path: str
) -> None:
    from tests.oversight_portal.conftest import CaseOnFile

    assert isinstance(case_on_file, CaseOnFile)
    with app_db.owner_engine.connect() as conn:
        person = conn.execute(
            text("SELECT person_id FROM case_child WHERE case_id = :c"), {"c": case_on_file.case_id}
        ).scalar_one()
    response = inspector.get(path.format(person=person, case=case_on_file.case_id))
    assert response.status_code in (403, 404), path
    assert "Hussein" not in response.text and "Ayesha" not in response.text


def test_a_refusal_by_the_database_is_logged_as_a_security_event(
    inspector: PageClient, facts: Database
) -> None:
    assert inspector.get("/api/v1/stats").status_code == 404
    with facts.owner_engine.connect() as conn:
        refused = conn.execute(
            text(
                "SELECT object_ids FROM audit_event WHERE action = 'refusal' "
                "ORDER BY id DESC LIMIT 1"
            )
        ).scalar_one()
    assert refused == ["GET /api/v1/stats"]


def test_an_inspector_keeps_their_own_account_and_signs_out(inspector: PageClient) -> None:
    assert inspector.get("/account").status_code == 200
    token = inspector.csrf("/oversight")
    assert inspector.post("/sign-out", data={"csrf_token": token}).status_code == 303
    assert inspector.get("/oversight").status_code == 303, "signed out: back to sign-in"
