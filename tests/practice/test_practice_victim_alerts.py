"""Victim treated as offender: alerts raised through the real import, to both agencies."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.practice import raise_victim_offender_alerts, victim_offender_measure
from tests.factories import extract_row
from tests.networks_db.helpers import run_jobs
from tests.web.helpers import import_rows

SYSTEM = Actor(label="system:test")


def _alerts(db: Database) -> list[tuple[str, str, list[str], bool]]:
    with db.owner_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT a.code, al.kind, coalesce(c.reasons, al.reasons), al.sealed FROM alert al "
                "LEFT JOIN alert_content c ON c.alert_id = al.id "
                "JOIN agency a ON a.id = al.target_agency_id ORDER BY a.code"
            )
        ).all()
    return [(r[0], r[1], list(r[2]), bool(r[3])) for r in rows]


def _victim_in_social_care_arrested_by_police(db: Database, folder: Path) -> None:
    """The same child (one person_ref each agency, linked by resolution below) as a victim in a
    social care referral and arrested by the police."""
    import_rows(
        db,
        folder,
        [
            extract_row(
                agency_code="LA-BRADFORD",
                agency_type="social_care",
                record_id="REF-1",
                record_type="referral",
                record_date="2025-01-10",
                person_ref="C-1",
                person_role="victim",
                date_of_birth="2010-04-02",
            ),
            extract_row(
                record_id="CR-9",
                record_date="2025-02-20",
                person_ref="P-1",
                person_role="suspect",
                person_outcome="arrested",
                date_of_birth="2010-04-02",
                offence_code="092/01",
            ),
        ],
    )


def _merge(db: Database, agency_refs: list[tuple[str, str]]) -> None:
    """What identity resolution does: point every agency record at one resolved person."""
    with db.owner_engine.begin() as conn:
        ids = [
            conn.execute(
                text(
                    "SELECT ap.person_id FROM agency_person ap JOIN agency a ON a.id = ap.agency_id "
                    "WHERE a.code = :c AND ap.person_ref = :r"
                ),
                {"c": c, "r": r},
            ).scalar_one()
            for c, r in agency_refs
        ]
        conn.execute(
            text("UPDATE person SET merged_into_id = :s WHERE id = ANY(:o)"),
            {"s": ids[0], "o": ids[1:]},
        )


def test_a_child_victim_arrested_in_one_record_is_alerted_once_the_import_is_resolved(
    app_db: Database, tmp_path: Path
) -> None:
    import_rows(
        app_db,
        tmp_path,
        [
            extract_row(person_role="victim", person_outcome="arrested", record_date="2025-03-01"),
        ],
    )
    assert _alerts(app_db) == []  # not before identity resolution has seen the child
    run_jobs(app_db)
    alerts = _alerts(app_db)
    assert [(a[0], a[1]) for a in alerts] == [("POL-WY", "victim_treated_as_offender")]
    reasons = " ".join(alerts[0][2])
    assert "recorded the child as a victim in crime report CR-1 on 1 March 2025" in reasons
    assert "POL-WY arrested the child in crime report CR-1" in reasons
    assert (
        "National Referral Mechanism" in reasons
        and "section 45 of the Modern Slavery Act 2015" in reasons
    )
    assert alerts[0][3] is False  # its own agency's records: nothing to seal


def test_a_victim_in_one_agency_arrested_by_another_alerts_both_once_resolved(
    app_db: Database, tmp_path: Path
) -> None:
    _victim_in_social_care_arrested_by_police(app_db, tmp_path)
    assert _alerts(app_db) == []  # two people until identity resolution links them
    _merge(app_db, [("LA-BRADFORD", "C-1"), ("POL-WY", "P-1")])
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        raise_victim_offender_alerts(uow, purpose="identity resolution merged records")
        uow.commit()
    alerts = _alerts(app_db)
    assert [a[0] for a in alerts] == ["LA-BRADFORD", "POL-WY"]
    assert all(a[3] for a in alerts), "another agency's records stay sealed without an agreement"
    assert (
        "LA-BRADFORD recorded the child as a victim in referral REF-1 on 10 January 2025."
        in alerts[1][2]
    )


def test_the_alert_is_not_raised_twice_when_the_import_is_repeated(
    app_db: Database, tmp_path: Path
) -> None:
    rows = [extract_row(person_role="victim", person_outcome="charged")]
    import_rows(app_db, tmp_path, rows)
    run_jobs(app_db)
    import_rows(app_db, tmp_path, [*rows, extract_row(record_id="CR-2", narrative="again")])
    run_jobs(app_db)
    assert len(_alerts(app_db)) == 1


def test_an_adult_victim_or_a_child_witness_raises_no_alert(
    app_db: Database, tmp_path: Path
) -> None:
    import_rows(
        app_db,
        tmp_path,
        [
            extract_row(
                person_role="victim", person_outcome="arrested", date_of_birth="1990-01-01"
            ),
            extract_row(
                record_id="CR-2",
                person_ref="P-2",
                person_role="witness",
                person_outcome="arrested",
                given_names="Jo",
            ),
        ],
    )
    run_jobs(app_db)
    assert _alerts(app_db) == []


def test_oversight_counts_victims_treated_as_offenders_by_the_recording_agency(
    app_db: Database, tmp_path: Path
) -> None:
    import_rows(
        app_db,
        tmp_path,
        [
            extract_row(person_role="victim", person_outcome="cautioned", record_date="2025-03-01"),
        ],
    )
    run_jobs(app_db)
    from datetime import date

    with unit_of_work(app_db, actor=SYSTEM) as uow:
        in_period = victim_offender_measure(uow, start=date(2025, 1, 1), end=date(2025, 12, 31))
        before = victim_offender_measure(uow, start=date(2024, 1, 1), end=date(2024, 12, 31))
    assert [(c.agency_code, c.count) for c in in_period] == [("POL-WY", 1)]
    assert before == []
