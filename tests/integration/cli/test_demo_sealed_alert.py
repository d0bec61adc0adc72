"""The demo holds a partnership without an information-sharing agreement, so that a sealed alert
can be seen: a force and the council of the other area share children but no agreement."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy import text
from typer.testing import CliRunner

from safehub.access.actor import Actor
from safehub.cli.demo import demo
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.agencies import AgencyEntry, register_agencies
from safehub.services.demo import partnerships_without_agreement
from safehub.services.sharing.agreements import seed_demo_agreements
from safehub.synthetic.geography import agencies_for

SYSTEM = Actor(label="system:test")


def _directions(db: Database) -> set[tuple[str, str]]:
    with db.owner_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT p.code, r.code FROM sharing_agreement s "
                "JOIN agency p ON p.id = s.provider_agency_id "
                "JOIN agency r ON r.id = s.recipient_agency_id"
            )
        ).all()
    return {(r[0], r[1]) for r in rows}


def test_a_force_and_the_other_areas_council_are_left_without_an_agreement(
    app_db: Database,
) -> None:
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        register_agencies(
            uow,
            entries=[
                AgencyEntry("POL-GM", "police", "Greater Manchester Police", "E23000005", "GM"),
                AgencyEntry("LA-ROCHDALE", "social_care", "Rochdale", "E08000005", "Rochdale"),
            ],
        )
        seed_demo_agreements(uow, without=partnerships_without_agreement(agencies_for("bradford")))
        uow.commit()
    found = _directions(app_db)
    # Each force shares with its own area's council, both ways...
    assert {("POL-WY", "LA-BRADFORD"), ("LA-BRADFORD", "POL-WY")} <= found
    assert {("POL-GM", "LA-ROCHDALE"), ("LA-ROCHDALE", "POL-GM")} <= found
    # ...and with the other area's council not at all.
    assert not found & {
        ("POL-GM", "LA-BRADFORD"),
        ("LA-BRADFORD", "POL-GM"),
        ("POL-WY", "LA-ROCHDALE"),
        ("LA-ROCHDALE", "POL-WY"),
    }


def test_the_demo_holds_a_sealed_alert_whose_content_its_recipient_cannot_read(
    db: Database, database_url: str, tmp_path: Path
) -> None:
    app = typer.Typer()
    app.command()(demo)
    env = {
        "SAFEHUB_ENV": "development",
        "DATABASE_URL": database_url,
        "SAFEHUB_DATA_DIR": str(tmp_path / "data"),
    }
    result = CliRunner().invoke(app, ["--children", "40", "--no-serve"], env=env)
    assert result.exit_code == 0, result.output
    assert not _directions(db) & {("POL-GM", "LA-BRADFORD"), ("LA-BRADFORD", "POL-GM")}
    with db.owner_engine.connect() as conn:
        sealed = conn.execute(
            text(
                "SELECT al.id, al.target_agency_id, al.reasons::text, c.reasons::text "
                "FROM alert al LEFT JOIN alert_content c ON c.alert_id = al.id "
                "WHERE al.sealed ORDER BY al.id"
            )
        ).all()
        assert sealed, "the demo should hold at least one sealed alert"
        alert_id, target, in_row, content = sealed[0]
        user = conn.execute(
            text(
                "SELECT id, role FROM app_user WHERE agency_id = :a AND role IN "
                "('social_worker', 'police_investigator') ORDER BY id LIMIT 1"
            ),
            {"a": target},
        ).one()
    assert in_row == "[]" and content not in (None, "[]")
    recipient = Actor(f"user:{user[0]}:demo", user_id=user[0], agency_id=target, role=user[1])
    with unit_of_work(db, actor=recipient) as uow:
        seen = uow.session.execute(
            text("SELECT count(*) FROM alert_content WHERE alert_id = :a"), {"a": alert_id}
        ).scalar_one()
        row = uow.session.execute(
            text("SELECT count(*) FROM alert WHERE id = :a"), {"a": alert_id}
        ).scalar_one()
    assert (row, seen) == (1, 0)
