"""The oversight inspector works as the database role ``safehub_oversight``: every transaction
of theirs, which reads the aggregates and its own tables and cannot read a case, a person or a
record, whatever the application's own checks say."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Connection, event, text
from sqlalchemy.exc import ProgrammingError

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from tests.web.conftest import PageClient

INSPECTOR = Actor("user:1:inspector", user_id=1, agency_id=1, role="oversight_inspector")
IDENTIFIABLE = (
    "person",
    "agency_person",
    "agency_record",
    "person_mention",
    "referral",
    "safeguarding_case",
    "case_note",
    "case_child",
    "clock",
    "meeting",
    "meeting_action",
    "alert",
    "oversight_unit",
    "community_report",
)


def test_every_transaction_of_an_inspector_runs_as_the_oversight_role(db: Database) -> None:
    with unit_of_work(db, actor=INSPECTOR) as uow:
        first = uow.session.execute(text("SELECT current_user")).scalar_one()
        uow.session.commit()  # the next statement begins another transaction
        second = uow.session.execute(
            text("SELECT current_user, current_setting('safehub.role')")
        ).one()
    assert first == "safehub_oversight"
    assert tuple(second) == ("safehub_oversight", "oversight_inspector")


def test_a_request_that_signs_in_as_an_inspector_steps_into_the_oversight_role(
    db: Database,
) -> None:
    with unit_of_work(db, actor=Actor(label="anonymous")) as uow:
        before = uow.session.execute(text("SELECT current_user")).scalar_one()
        uow.act_as(INSPECTOR)
        after = uow.session.execute(text("SELECT current_user")).scalar_one()
        uow.session.commit()
        later = uow.session.execute(text("SELECT current_user")).scalar_one()
    assert (before, after, later) == ("safehub_app", "safehub_oversight", "safehub_oversight")


@pytest.mark.parametrize("table", IDENTIFIABLE)
def test_the_oversight_role_cannot_read_an_identifiable_table(db: Database, table: str) -> None:
    with (
        pytest.raises(ProgrammingError, match="permission denied"),
        unit_of_work(db, actor=INSPECTOR) as uow,
    ):
        # The table names are this test's own constants (a name cannot be a bind parameter).
        uow.session.execute(text(f"SELECT 1 FROM {table} LIMIT 1"))


def test_the_oversight_role_has_no_privilege_on_any_case_table_in_the_catalogue(
    db: Database,
) -> None:
    with db.owner_engine.connect() as conn:
        readable = set(
            conn.execute(
                text(
                    "SELECT t FROM unnest(CAST(:t AS text[])) AS t WHERE "
                    "has_table_privilege('safehub_oversight', t, 'SELECT,INSERT,UPDATE,DELETE')"
                ),
                {"t": list(IDENTIFIABLE)},
            ).scalars()
        )
    assert readable == set()


def test_the_oversight_role_reads_the_aggregates_and_appends_to_the_audit_log(
    db: Database,
) -> None:
    with unit_of_work(db, actor=INSPECTOR) as uow:
        for table in ("oversight_measure", "oversight_fact", "oversight_disparity"):
            uow.session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
        uow.audit("consultation", "oversight", ["dashboard"], purpose="independent oversight")
        uow.commit()
    with db.owner_engine.connect() as conn:
        actor = conn.execute(
            text("SELECT actor FROM audit_event ORDER BY id DESC LIMIT 1")
        ).scalar_one()
    assert actor == INSPECTOR.label


def test_the_oversight_role_cannot_write_another_users_name_into_the_audit_log(
    db: Database,
) -> None:
    forged = Actor("user:2:someone-else", user_id=1, agency_id=1, role="oversight_inspector")
    with (
        pytest.raises(ProgrammingError, match="only its own"),
        unit_of_work(db, actor=forged) as uow,
    ):
        uow.audit("consultation", "oversight", ["dashboard"], purpose="forged")
        uow.commit()


def test_the_oversight_role_cannot_read_the_audit_log_beyond_the_chains_head(
    db: Database,
) -> None:
    with (
        pytest.raises(ProgrammingError, match="permission denied"),
        unit_of_work(db, actor=INSPECTOR) as uow,
    ):
        uow.session.execute(text("SELECT object_ids FROM audit_event LIMIT 1"))


def test_current_user_inside_an_inspectors_requests_is_the_oversight_role(
    inspector: PageClient, facts: Database
) -> None:
    """Through pages and the API: every statement that reaches oversight's tables, and the
    audit append, runs as ``safehub_oversight``."""
    seen: list[tuple[str, str]] = []

    def _who(conn: Connection, cursor: Any, statement: str, *_args: object, **_kw: object) -> None:
        if "oversight_" in statement or "INSERT INTO audit_event" in statement:
            who = cursor.connection.execute("SELECT current_user").fetchone()[0]
            seen.append((statement.split()[0], who))

    event.listen(facts.app_engine, "after_cursor_execute", _who)
    try:
        for path in ("/oversight", "/oversight/league", "/api/v1/oversight/dashboard"):
            assert inspector.get(path).status_code == 200, path
    finally:
        event.remove(facts.app_engine, "after_cursor_execute", _who)
    assert len(seen) >= 9
    assert {who for _, who in seen} == {"safehub_oversight"}


def test_the_portals_tables_have_forced_rls_and_point_at_no_case_or_person(db: Database) -> None:
    from safehub.db.rls import OVERSIGHT_PORTAL_TABLES, PERSONAL_ANCHORS

    with db.owner_engine.connect() as conn:
        flags = {
            r[0]: (r[1], r[2])
            for r in conn.execute(
                text(
                    "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
                    "WHERE relname = ANY(:t)"
                ),
                {"t": list(OVERSIGHT_PORTAL_TABLES)},
            )
        }
        pointing = set(
            conn.execute(
                text(
                    "SELECT c.confrelid::regclass::text FROM pg_constraint c WHERE c.contype = 'f' "
                    "AND c.conrelid::regclass::text = ANY(:t)"
                ),
                {"t": list(OVERSIGHT_PORTAL_TABLES)},
            ).scalars()
        )
    assert flags == dict.fromkeys(OVERSIGHT_PORTAL_TABLES, (True, True))
    assert pointing & PERSONAL_ANCHORS == set()
