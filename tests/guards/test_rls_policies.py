"""No gaps in row-level security, read from the database's own catalogue: every table either has
RLS enabled, forced and a policy for the application role, or is declared free of personal data
with a reason; and the application role cannot move a user to another agency or role."""

from __future__ import annotations

from sqlalchemy import text

from safehub.access import ROLES
from safehub.db.database import Database
from safehub.db.rls import NON_PERSONAL_TABLES, PERSONAL_ANCHORS, PERSONAL_DATA_TABLES


def _catalogue(db: Database) -> dict[str, tuple[bool, bool, int]]:
    """Every table of the schema -> (RLS enabled, forced, policies for safehub_app)."""
    with db.owner_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
                "(SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid AND "
                " 'safehub_app'::regrole = ANY (p.polroles)) "
                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
            )
        ).all()
    return {r[0]: (r[1], r[2], int(r[3])) for r in rows}


def test_every_table_not_declared_free_of_personal_data_has_forced_rls_and_a_policy(
    db: Database,
) -> None:
    tables = _catalogue(db)
    gaps = sorted(
        f"{name} (enabled={on}, forced={forced}, policies={policies})"
        for name, (on, forced, policies) in tables.items()
        if name not in NON_PERSONAL_TABLES and not (on and forced and policies > 0)
    )
    assert gaps == [], (
        "give these tables policies in a migration (or, if they hold no personal data, "
        f"declare them with a reason in safehub/db/rls.py NON_PERSONAL_TABLES): {gaps}"
    )


def test_the_tables_declared_personal_all_have_forced_rls_and_a_policy(db: Database) -> None:
    tables = _catalogue(db)
    missing = sorted(PERSONAL_DATA_TABLES - set(tables))
    weak = sorted(t for t in PERSONAL_DATA_TABLES & set(tables) if not all(tables[t]))
    assert (missing, weak) == ([], [])


def test_every_table_declared_free_of_personal_data_exists_and_says_why(db: Database) -> None:
    tables = _catalogue(db)
    stale = sorted(set(NON_PERSONAL_TABLES) - set(tables))
    unexplained = sorted(t for t, why in NON_PERSONAL_TABLES.items() if len(why.strip()) < 10)
    both = sorted(set(NON_PERSONAL_TABLES) & PERSONAL_DATA_TABLES)
    assert (stale, unexplained, both) == ([], [], [])


def test_no_table_declared_free_of_personal_data_points_at_a_person_or_a_record(
    db: Database,
) -> None:
    with db.owner_engine.connect() as conn:
        pointing = set(
            conn.execute(
                text(
                    "SELECT DISTINCT c.conrelid::regclass::text FROM pg_constraint c "
                    "WHERE c.contype = 'f' AND c.confrelid::regclass::text = ANY(:anchors)"
                ),
                {"anchors": sorted(PERSONAL_ANCHORS)},
            ).scalars()
        )
    assert sorted(pointing & set(NON_PERSONAL_TABLES)) == []


def test_the_app_role_may_not_update_a_users_agency_role_or_username(db: Database) -> None:
    with db.owner_engine.connect() as conn:
        rows = dict(
            conn.execute(
                text(
                    "SELECT attname, has_column_privilege('safehub_app', 'app_user', attname, "
                    "'UPDATE') FROM pg_attribute WHERE attrelid = 'app_user'::regclass "
                    "AND attnum > 0 AND NOT attisdropped"
                )
            ).all()
        )
    assert {c: rows[c] for c in ("agency_id", "role", "username", "id")} == dict.fromkeys(
        ("agency_id", "role", "username", "id"), False
    )
    # What the account pages legitimately change stays writable.
    assert rows["password_hash"] and rows["active"] and rows["display_name"]


def test_the_reassignment_function_knows_every_role_of_the_policy(db: Database) -> None:
    with db.owner_engine.connect() as conn:
        body, definer, owner = conn.execute(
            text(
                "SELECT p.prosrc, p.prosecdef, r.rolname FROM pg_proc p "
                "JOIN pg_roles r ON r.oid = p.proowner WHERE p.proname = 'safehub_reassign_user'"
            )
        ).one()
    assert definer and owner != "safehub_app"
    assert {r for r in ROLES if f"'{r}'" in body} == set(ROLES)
