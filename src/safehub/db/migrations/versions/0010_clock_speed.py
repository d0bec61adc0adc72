"""Clock speed: a system flag the planner can inline, and room on clock pages for state updates.

1. ``safehub_ctx_system()`` (migration 0004) carried ``SET search_path``, and PostgreSQL never
   inlines a function with a ``SET`` clause: every row of every policy that starts with it paid a
   function call with a configuration save and restore (about 2 microseconds: 2 of the 3 seconds
   a system read of a million clocks took). The same body, with every name qualified by
   ``pg_catalog`` instead of a pinned path, is inlined into the policies as a plain setting test:
   the guard against a hostile ``search_path`` stays, the per-row call goes. Policies are
   unchanged and still test the flag first, so a system step short-circuits the rest.
2. ``clock`` keeps half of each page free (fillfactor 50). ``state`` is in no index, so a state
   the clocks job changes is then a heap-only update: the new row version goes on the same page
   and none of the table's eight indexes is touched, even when every open clock changes state
   at once (the first run after an import, or after the job was down). Without the room, a
   million changed states cost a million inserts into each index (about 40 s instead of 10 s).
   The setting applies to pages written from now on; an existing table takes it at its next
   rewrite (``VACUUM FULL clock`` in a maintenance window).
3. The inbox indexes carry the columns the clock policy reads (owning agency, owner, case,
   referral), so counting a team's five thousand open items by due state is an index-only scan
   instead of a heap page per item (45 ms to 2 ms at a million clocks).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INLINABLE = """
CREATE OR REPLACE FUNCTION safehub_ctx_system() RETURNS boolean LANGUAGE sql STABLE AS
  $$ SELECT COALESCE(pg_catalog.current_setting('safehub.system', true), '')
            OPERATOR(pg_catalog.=) 'on' $$
"""
_PINNED = """
CREATE OR REPLACE FUNCTION safehub_ctx_system() RETURNS boolean LANGUAGE sql STABLE
  SET search_path = pg_catalog AS
  $$ SELECT coalesce(current_setting('safehub.system', true), '') = 'on' $$
"""
CLOCK_FILLFACTOR = 50
_INBOX_KEYS = ("due_on", "due_at", "id")
_POLICY_COLUMNS = ["owner_agency_id", "owner_user_id", "case_id", "referral_id"]


def _inbox_indexes(include: list[str] | None) -> None:
    for owner in ("user", "team"):
        op.drop_index(f"ix_clock_inbox_{owner}", table_name="clock")
        op.create_index(
            f"ix_clock_inbox_{owner}",
            "clock",
            [f"owner_{owner}_id", *_INBOX_KEYS],
            unique=False,
            postgresql_include=include or [],
            postgresql_where=sa.text("stopped_at IS NULL"),
        )


def upgrade() -> None:
    op.execute(_INLINABLE)
    op.execute(f"ALTER TABLE clock SET (fillfactor = {CLOCK_FILLFACTOR})")
    _inbox_indexes(_POLICY_COLUMNS)


def downgrade() -> None:
    _inbox_indexes(None)
    op.execute("ALTER TABLE clock RESET (fillfactor)")
    op.execute(_PINNED)
