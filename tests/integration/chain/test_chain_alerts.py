"""What the live chain alerts on: only what rests on records that point to exploitation, on
people resolution has seen, each alert naming its records and rule. Everyday crime, a busy
takeaway and a licensed driver's everyday offence alert nobody."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from safehub.db.database import Database
from safehub.jobs.networks_job import run_network_update
from tests.factories import extract_row
from tests.networks_db.data import group_rows, later_rows
from tests.networks_db.helpers import owner_rows, run_jobs
from tests.web.helpers import import_rows, person_id

AREA = "E08000032"
TAKEAWAY = {"location_name": "Paradise Takeaway", "location_postcode": "BD1 1AA"}
DAN = {"given_names": "Dan", "family_name": "Dray", "date_of_birth": "1980-04-04"}
CARL = {"given_names": "Carl", "family_name": "Moss", "date_of_birth": "1979-11-20"}


def _alerts(db: Database) -> list[dict[str, Any]]:
    # A sealed alert keeps its reasons and evidence in alert_content (read here as the owner).
    rows = owner_rows(
        db,
        "SELECT a.rule, coalesce(c.reasons, a.reasons), coalesce(c.evidence, a.evidence), "
        "a.person_id FROM alert a LEFT JOIN alert_content c ON c.alert_id = a.id ORDER BY a.id",
    )
    return [
        {"rule": rule, "reasons": reasons, "evidence": evidence, "person": person}
        for rule, reasons, evidence, person in rows
        if rule.startswith("network.")
    ]


def _crime(n: int, child: str, day: str, **record: str) -> list[dict[str, str]]:
    """A crime report: a child victim and Dan as the suspect, at the busy takeaway."""
    base = {"record_id": f"CR-{n}", "record_date": day, "area_code": AREA, **TAKEAWAY, **record}
    return [
        extract_row(
            person_ref=f"V-{n}",
            given_names=child,
            family_name="Khan",
            date_of_birth="2010-05-05",
            **base,
        ),
        extract_row(person_ref="S-D", person_role="suspect", **DAN, **base),
    ]


def _busy_area() -> list[dict[str, str]]:
    """Dan in three everyday crimes against three children, all at a takeaway that sixty other
    everyday records name; Carl, a licensed driver, a suspect in an everyday adult crime."""
    rows = [
        *_crime(1, "Amir", "2025-01-05"),
        *_crime(2, "Bilal", "2025-02-06"),
        *_crime(3, "Cyrus", "2025-03-07"),
    ]
    for n in range(60):
        rows.append(
            extract_row(
                record_id=f"CR-T{n}",
                record_date="2025-02-01",
                area_code=AREA,
                person_ref=f"W-{n}",
                person_role="victim",
                given_names=f"Adult{n}",
                family_name="Walker",
                date_of_birth="1970-01-01",
                **TAKEAWAY,
            )
        )
    rows.append(
        extract_row(
            agency_code="LIC-BRAD",
            agency_type="licensing",
            record_id="LIC-77",
            record_type="licence",
            record_date="2024-06-01",
            person_ref="D-1",
            person_role="licence_holder",
            area_code=AREA,
            licence_number="PH12345",
            **CARL,
        )
    )
    theft = {"record_id": "CR-90", "record_date": "2025-04-01", "area_code": AREA}
    rows.append(extract_row(person_ref="S-C", person_role="suspect", **CARL, **theft))
    rows.append(
        extract_row(
            person_ref="V-90",
            given_names="Ed",
            family_name="Lowe",
            date_of_birth="1960-01-01",
            **theft,
        )
    )
    return rows


def test_everyday_crime_at_a_busy_takeaway_alerts_nobody(app_db: Database, tmp_path: Path) -> None:
    import_rows(app_db, tmp_path, _busy_area())
    run_jobs(app_db)
    assert _alerts(app_db) == []


def test_the_same_adult_in_records_that_point_to_exploitation_alerts_with_its_records_and_rule(
    app_db: Database, tmp_path: Path
) -> None:
    rows = [
        *_crime(1, "Amir", "2025-01-05", indicators="older_boyfriend"),
        *_crime(2, "Bilal", "2025-02-06", indicators="gifts;taxis_cars"),
    ]
    import_rows(app_db, tmp_path, rows)
    run_jobs(app_db)
    linked = [a for a in _alerts(app_db) if a["rule"] == "network.adult_linked_to_other_children"]
    [alert] = [a for a in linked if a["evidence"]["record"] == ["POL-WY", "CR-2"]]
    assert alert["person"] == person_id(app_db, "POL-WY", "V-2")
    assert alert["evidence"]["rests_on"] == [["POL-WY", "CR-1"]]
    text = " ".join(alert["reasons"])
    assert "POL-WY/CR-1" in text and "point to exploitation" in text
    assert alert["reasons"][-1].startswith("Rule: ")


def test_no_alert_before_resolution_has_seen_the_people(app_db: Database, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    import_rows(app_db, tmp_path / "a", group_rows())
    run_jobs(app_db)
    before = len(_alerts(app_db))
    import_rows(app_db, tmp_path / "b", later_rows())
    early = run_network_update(app_db)  # the network job, run before the import's resolution
    assert (early.rows_read, early.alerts) == (0, 0)
    assert len(_alerts(app_db)) == before
    run_jobs(app_db)
    after = _alerts(app_db)
    assert len(after) > before
    # Every person an alert names has been placed by resolution since their rows were written.
    unseen = owner_rows(
        app_db,
        """SELECT count(*) FROM alert a, jsonb_array_elements(a.evidence->'people') p
        JOIN agency_person ap ON ap.person_id = (p.value)::text::bigint
        JOIN person_mention m ON m.agency_person_id = ap.id AND m.current
        WHERE a.rule LIKE 'network.%' AND NOT EXISTS (
          SELECT 1 FROM identity_candidate c
          WHERE c.agency_person_id = ap.id AND c.refreshed_at >= m.created_at)""",
    )
    assert unseen == [(0,)]


def test_an_alert_resting_on_a_possible_match_says_so_and_stays_with_the_owning_agency(
    app_db: Database, tmp_path: Path
) -> None:
    # Dan under two police references: name and date of birth agree, nothing corroborates it,
    # so resolution queues the pair for a person instead of merging an adult of concern.
    second = _crime(2, "Bilal", "2025-02-06", indicators="gifts", agency_code="POL-GM")
    second[1]["person_ref"] = "S-D2"
    rows = [*_crime(1, "Amir", "2025-01-05", indicators="older_boyfriend"), *second]
    import_rows(app_db, tmp_path, rows)
    run_jobs(app_db)
    assert person_id(app_db, "POL-WY", "S-D") != person_id(app_db, "POL-GM", "S-D2")
    linked = [a for a in _alerts(app_db) if a["rule"] == "network.adult_linked_to_other_children"]
    [alert] = [a for a in linked if a["evidence"]["record"] == ["POL-GM", "CR-2"]]
    assert alert["evidence"]["possibly_same"] == ["POL-WY/S-D and POL-GM/S-D2"]
    text = " ".join(alert["reasons"])
    assert "possibly the same person" in text and "confirm the pair" in text
    [(target,)] = owner_rows(
        app_db,
        "SELECT t.code FROM alert a JOIN agency t ON t.id = a.target_agency_id "
        "LEFT JOIN alert_content c ON c.alert_id = a.id "
        "WHERE coalesce(c.evidence, a.evidence)->'record' = '[\"POL-GM\", \"CR-2\"]'::jsonb "
        "AND a.rule = 'network.adult_linked_to_other_children'",
    )
    assert target == "POL-GM"


def _at_the_takeaway(n: int, **values: str) -> dict[str, str]:
    return extract_row(
        record_id=f"CR-T{n}",
        record_date="2025-04-01",
        area_code=AREA,
        person_ref=f"W-{n}",
        given_names=f"Adult{n}",
        family_name="Walker",
        date_of_birth="1970-01-01",
        **TAKEAWAY,
        **values,
    )


def _new_pair_at_the_takeaway() -> list[dict[str, str]]:
    """Strangers to the group: a girl and a man in a record that points to exploitation."""
    base = {"record_id": "CR-50", "record_date": "2025-05-05", "area_code": AREA, **TAKEAWAY}
    return [
        extract_row(person_ref="V-50", given_names="Nadia", family_name="Ali", **base),
        extract_row(
            person_ref="S-50",
            person_role="suspect",
            given_names="Tom",
            family_name="Reed",
            date_of_birth="1975-07-07",
            indicators="hotels",
            **base,
        ),
    ]


def _place_alerts(db: Database) -> list[dict[str, Any]]:
    return [
        a
        for a in _alerts(db)
        if a["rule"] == "network.known_group" and a["evidence"]["record"] == ["POL-WY", "CR-50"]
    ]


def test_a_busy_place_of_a_group_ties_no_new_record_to_it(app_db: Database, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    everyday = [_at_the_takeaway(n, person_role="victim") for n in range(60)]
    import_rows(app_db, tmp_path / "a", [*group_rows(), *everyday])
    run_jobs(app_db)
    import_rows(app_db, tmp_path / "b", _new_pair_at_the_takeaway())
    run_jobs(app_db)
    assert _place_alerts(app_db) == []


def test_a_quiet_place_of_a_group_ties_a_record_that_points_to_exploitation_to_it(
    app_db: Database, tmp_path: Path
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    import_rows(app_db, tmp_path / "a", group_rows())
    run_jobs(app_db)
    import_rows(app_db, tmp_path / "b", _new_pair_at_the_takeaway())
    run_jobs(app_db)
    [alert] = _place_alerts(app_db)
    assert "paradise takeaway" in " ".join(alert["reasons"]).lower()
