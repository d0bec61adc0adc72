"""Row-level security is the second wall: every table holding personal data has it enabled and
forced; the application role owns nothing and cannot bypass it; oversight reads none of it."""

from __future__ import annotations

from sqlalchemy import text

from safehub.access import IDENTIFIABLE_ROLES
from safehub.db.database import Database
from safehub.db.rls import NON_PERSONAL_TABLES, PERSONAL_ANCHORS, PERSONAL_DATA_TABLES


def _tables(db: Database) -> dict[str, tuple[bool, bool]]:
    with db.owner_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
            )
        ).all()
    return {r[0]: (r[1], r[2]) for r in rows}


def _tables_pointing_at_people(db: Database) -> set[str]:
    with db.owner_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT DISTINCT c.conrelid::regclass::text FROM pg_constraint c "
                "WHERE c.contype = 'f' AND c.confrelid::regclass::text = ANY(:anchors)"
            ),
            {"anchors": sorted(PERSONAL_ANCHORS)},
        ).scalars()
        return set(rows)


def test_every_table_holding_personal_data_has_row_level_security_enabled_and_forced(
    db: Database,
) -> None:
    tables = _tables(db)
    personal = (PERSONAL_DATA_TABLES | _tables_pointing_at_people(db)) & set(tables)
    unprotected = sorted(t for t in personal if tables[t] != (True, True))
    assert unprotected == [], f"add RLS policies (and list the table in db/rls.py): {unprotected}"


def test_every_table_is_protected_by_rls_or_declared_free_of_personal_data(db: Database) -> None:
    tables = _tables(db)
    protected = {t for t, flags in tables.items() if flags == (True, True)}
    unclassified = sorted(set(tables) - protected - set(NON_PERSONAL_TABLES))
    assert unclassified == [], f"classify these in safehub/db/rls.py: {unclassified}"


def test_the_application_role_owns_nothing_and_cannot_bypass_rls(db: Database) -> None:
    with db.owner_engine.connect() as conn:
        owned = conn.execute(
            text(
                "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
                "WHERE r.rolname = 'safehub_app'"
            )
        ).scalar_one()
        flags = conn.execute(
            text(
                "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname IN "
                "('safehub_app', 'safehub_access', 'safehub_oversight')"
            )
        ).all()
    assert owned == 0
    assert flags and all(tuple(f) == (False, False) for f in flags)


def test_the_oversight_role_has_no_privilege_on_any_personal_table(db: Database) -> None:
    with db.owner_engine.connect() as conn:
        readable = (
            conn.execute(
                text(
                    "SELECT t FROM unnest(CAST(:t AS text[])) AS t "
                    "WHERE has_table_privilege('safehub_oversight', t, 'SELECT')"
                ),
                {"t": sorted(PERSONAL_DATA_TABLES)},
            )
            .scalars()
            .all()
        )
    assert readable == []


def test_the_helpers_that_policies_call_are_security_definer_with_a_pinned_search_path(
    db: Database,
) -> None:
    with db.owner_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT p.proname, p.prosecdef, p.provolatile, p.proconfig, r.rolname FROM pg_proc p "
                "JOIN pg_roles r ON r.oid = p.proowner WHERE p.proname LIKE 'safehub_can_%' "
                "OR p.proname IN ('safehub_shared', 'safehub_person_known', 'safehub_sealed_holders')"
            )
        ).all()
    assert len(rows) >= 7
    for name, definer, volatility, config, owner in rows:
        assert definer and volatility == "s" and owner == "safehub_access", name
        assert any(c.startswith("search_path=") for c in config or []), name


def test_the_roles_row_level_security_lets_see_identifiable_rows_match_the_policy(
    db: Database,
) -> None:
    with db.owner_engine.connect() as conn:
        body = conn.execute(
            text("SELECT prosrc FROM pg_proc WHERE proname = 'safehub_ctx_identifiable'")
        ).scalar_one()
    in_sql = {r for r in IDENTIFIABLE_ROLES | {"oversight_inspector"} if f"'{r}'" in body}
    assert in_sql == set(IDENTIFIABLE_ROLES)


def test_every_transaction_of_a_unit_of_work_runs_as_the_app_role_with_the_users_context(
    db: Database,
) -> None:
    from safehub.access.actor import Actor
    from safehub.db.uow import unit_of_work

    actor = Actor("user:7:x", user_id=7, agency_id=3, role="social_worker")
    with unit_of_work(db, actor=actor) as uow:
        uow.session.commit()  # a second transaction begins on the next statement
        row = uow.session.execute(
            text(
                "SELECT current_user, current_setting('safehub.user_id'), "
                "current_setting('safehub.agency_id'), current_setting('safehub.role'), "
                "current_setting('safehub.system')"
            )
        ).one()
    assert tuple(row) == ("safehub_app", "7", "3", "social_worker", "")
