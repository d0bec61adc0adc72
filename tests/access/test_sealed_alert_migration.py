"""Migration 0017 moves existing sealed alerts' content out of their rows, naming the records it
rests on (read back from the evidence), and its downgrade puts it back."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from alembic import command
from sqlalchemy import text

from safehub.db.database import Database
from safehub.db.migrate import alembic_config
from tests.factories import extract_row
from tests.web.helpers import import_rows

_INSERT = (
    "INSERT INTO alert (kind, title, reasons, evidence, rule, severity, person_id, "
    "target_agency_id, owning_agency_id, sealed, status, dedupe_key) VALUES "
    "(:kind, :title, CAST(:reasons AS jsonb), CAST(:evidence AS jsonb), 'r', 'high', :person, "
    ":target, :owner, :sealed, 'new', :key) RETURNING id"
)


def _ids(db: Database) -> tuple[int, int, int, int]:
    with db.owner_engine.connect() as conn:
        agencies = dict(conn.execute(text("SELECT code, id FROM agency")).all())
        person = conn.execute(text("SELECT person_id FROM agency_person LIMIT 1")).scalar_one()
        record = conn.execute(text("SELECT id FROM agency_record LIMIT 1")).scalar_one()
    return agencies["POL-WY"], agencies["LA-BRADFORD"], int(person), int(record)


def _alert(db: Database, **values: object) -> int:
    with db.owner_engine.begin() as conn:
        return int(conn.execute(text(_INSERT), values).scalar_one())


def test_the_migration_moves_sealed_content_out_of_the_alert_row_and_back(
    app_db: Database, tmp_path: Path
) -> None:
    import_rows(app_db, tmp_path, [extract_row(record_id="CR-1")])
    police, council, person, record = _ids(app_db)
    config = alembic_config(app_db.owner_engine, secrets=app_db.secrets)
    command.downgrade(config, "0016")
    common = {"person": person, "target": council, "owner": police}
    network = _alert(
        app_db,
        kind="network_child_linked",
        title="A child is linked to an adult already linked to other children",
        reasons=json.dumps(["Record POL-WY/CR-1 names the adult."]),
        evidence=json.dumps({"record_type": "crime_report", "rests_on": [["POL-WY", "CR-1"]]}),
        sealed=True,
        key="network:network_child_linked:POL-WY/CR-1",
        **common,
    )
    victim = _alert(
        app_db,
        kind="victim_treated_as_offender",
        title="A child recorded as a victim has been treated as an offender",
        reasons=json.dumps(["POL-WY arrested the child."]),
        evidence=json.dumps({"offender_record_id": record}),
        sealed=True,
        key="victim:1",
        **common,
    )
    unknown = _alert(
        app_db,
        kind="some_rule",
        title="Something",
        reasons=json.dumps(["Why."]),
        evidence=json.dumps({}),
        sealed=True,
        key="other:1",
        **common,
    )
    open_alert = _alert(
        app_db,
        kind="network_group",
        title="Open",
        reasons=json.dumps(["Open reasons."]),
        evidence=json.dumps({"group": "G0001"}),
        sealed=False,
        key="open:1",
        **common,
    )
    command.upgrade(config, "0017")

    with app_db.owner_engine.connect() as conn:
        rows = {
            r[0]: r[1:]
            for r in conn.execute(
                text("SELECT id, title, reasons, evidence, dedupe_key FROM alert")
            ).all()
        }
        content = {
            r[0]: r[1:]
            for r in conn.execute(text("SELECT alert_id, sources, reasons FROM alert_content"))
        }
    assert rows[network][:3] == (
        "A child linked to an adult already linked to other children",
        [],
        {},
    )
    assert rows[unknown][0] == "An alert resting on another agency's records"
    assert rows[open_alert][:3] == ("Open", ["Open reasons."], {"group": "G0001"})
    assert rows[network][3] == (
        "sha256:" + hashlib.sha256(b"network:network_child_linked:POL-WY/CR-1").hexdigest()
    )
    assert set(content) == {network, victim, unknown}
    assert content[network] == (
        [{"agency_id": police, "record_type": "crime_report"}],
        ["Record POL-WY/CR-1 names the adult."],
    )
    assert content[victim][0] == [{"agency_id": police, "record_type": "crime_report"}]
    # Nothing to name the records by: only a disclosure opens it.
    assert content[unknown][0] == [{"agency_id": police, "record_type": None}]

    command.downgrade(config, "0016")
    with app_db.owner_engine.connect() as conn:
        back = conn.execute(
            text("SELECT reasons FROM alert WHERE id = :a"), {"a": network}
        ).scalar_one()
    assert back == ["Record POL-WY/CR-1 names the adult."]
    command.upgrade(config, "head")
