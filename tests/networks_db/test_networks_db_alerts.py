"""Network alerts go to the right agency with their reasons, sealed without an agreement."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from safehub.db.database import Database
from tests.networks_db.data import group_rows, later_rows
from tests.networks_db.helpers import owner_rows, run_jobs
from tests.web.helpers import import_rows, person_id, share_between_demo_agencies


def _alerts(db: Database) -> dict[str, list[dict[str, Any]]]:
    rows = owner_rows(
        db,
        """
        SELECT a.kind, t.code, o.code, a.sealed, coalesce(c.reasons, a.reasons)::text,
          a.person_id, coalesce(c.title, a.title), a.reasons::text
        FROM alert a JOIN agency t ON t.id = a.target_agency_id
        LEFT JOIN alert_content c ON c.alert_id = a.id
        LEFT JOIN agency o ON o.id = a.owning_agency_id ORDER BY a.id""",
    )
    found: dict[str, list[dict[str, Any]]] = {}
    for kind, target, owner, sealed, reasons, person, title, in_row in rows:
        found.setdefault(kind, []).append(
            {
                "target": target,
                "owner": owner,
                "sealed": sealed,
                "reasons": reasons,
                "person": person,
                "title": title,
                "reasons_in_alert_row": in_row,
            }
        )
    return found


@pytest.fixture
def two_imports(app_db: Database, tmp_path: Path) -> Database:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    import_rows(app_db, tmp_path / "a", group_rows())
    run_jobs(app_db)
    import_rows(app_db, tmp_path / "b", later_rows())
    run_jobs(app_db)
    return app_db


def test_a_record_naming_a_group_member_alerts_the_police_of_its_area(
    two_imports: Database,
) -> None:
    [alert] = _alerts(two_imports)["network_group"]
    assert (alert["target"], alert["sealed"]) == ("POL-WY", False)
    assert "Record POL-WY/CR-9" in alert["reasons"]
    assert "a member of group G0001" in alert["reasons"]


def test_a_child_linked_to_an_adult_with_other_child_victims_alerts_social_care_sealed(
    two_imports: Database,
) -> None:
    child = person_id(two_imports, "POL-WY", "V-9")
    [alert] = [a for a in _alerts(two_imports)["network_child_linked"] if a["person"] == child]
    assert (alert["target"], alert["owner"]) == ("LA-BRADFORD", "POL-WY")
    # No information-sharing agreement lets the police share crime reports with social care.
    assert alert["sealed"] is True
    assert "already linked to" in alert["reasons"]
    # The reasons are kept apart from the alert row, which every user of social care may read.
    assert alert["reasons_in_alert_row"] == "[]"


def test_with_an_agreement_the_child_alert_is_not_sealed(app_db: Database, tmp_path: Path) -> None:
    share_between_demo_agencies(app_db)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    import_rows(app_db, tmp_path / "a", group_rows())
    run_jobs(app_db)
    import_rows(app_db, tmp_path / "b", later_rows())
    run_jobs(app_db)
    child = person_id(app_db, "POL-WY", "V-9")
    [alert] = [a for a in _alerts(app_db)["network_child_linked"] if a["person"] == child]
    assert (alert["target"], alert["sealed"]) == ("LA-BRADFORD", False)


def test_a_licence_holder_suspected_in_another_area_goes_to_that_areas_police(
    two_imports: Database,
) -> None:
    [alert] = _alerts(two_imports)["licence_holder"]
    assert alert["target"] == "POL-GM"
    assert alert["person"] == person_id(two_imports, "POL-GM", "G-C")
    assert "holds a licence" in alert["reasons"]


def test_children_in_a_group_are_reported_to_their_case_team_never_ranked(
    two_imports: Database,
) -> None:
    risk = _alerts(two_imports)["network_child_risk"]
    children = {person_id(two_imports, "POL-WY", ref) for ref in ("V-1", "V-2", "V-3")}
    assert children <= {a["person"] for a in risk}
    assert {a["target"] for a in risk} == {"LA-BRADFORD"}
    ranked = {r[0] for r in owner_rows(two_imports, "SELECT person_id FROM network_key_person")}
    assert not ranked & children


def test_a_restricted_child_is_never_named_in_an_alert(two_imports: Database) -> None:
    hidden = person_id(two_imports, "POL-WY", "V-R")
    alerts = [a for kind in _alerts(two_imports).values() for a in kind]
    assert alerts
    assert all(a["person"] != hidden and f"{hidden}," not in a["reasons"] for a in alerts)


def test_running_the_job_again_raises_no_alert_twice(two_imports: Database) -> None:
    before = owner_rows(two_imports, "SELECT count(*) FROM alert")
    from safehub.jobs.networks_job import run_network_update

    run_network_update(two_imports)
    assert owner_rows(two_imports, "SELECT count(*) FROM alert") == before
