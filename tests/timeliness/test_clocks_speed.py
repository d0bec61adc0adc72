"""The set-wise clock path stays fast by construction: one binary COPY read in exact units, the
system flag inlined into row-level security, heap-only state updates, refusal of unknown rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pytest
from sqlalchemy import select, text

from safehub.db.database import Database
from safehub.db.models.timeliness import Clock
from safehub.db.uow import unit_of_work
from safehub.services.timeliness.clocks import (
    ClockOwner,
    ClockSubject,
    record_clock_event,
    start_deadline_clock,
)
from safehub.services.timeliness.recompute import read_open_clocks, recompute_clock_states
from safehub.services.timeliness.rules import current_rulebook as rulebook
from safehub.timescales import UnknownRuleError
from tests.timeliness.conftest import SYSTEM, World, at

# Clocks written straight into the table, enough to fill many pages, all stored as on track
# though most are long overdue: the first run changes nearly every state at once.
_MANY_CLOCKS = """
INSERT INTO clock (rule_id, jurisdiction, title, started_at, due_on, state, owner_agency_id,
                   owner_team_id, owner_user_id, subject_type, escalation_level)
SELECT 'assessment', 'england', 'Work ' || g, :now - g * interval '1 day',
       (:now - g * interval '1 day')::date + 63, 'on_track', :agency, :team, :user, 'case', 0
FROM generate_series(1, :n) g
"""


def test_open_clocks_are_read_with_their_exact_start_instant_and_due_day(
    app_db: Database, world: World
) -> None:
    # One clock started in British Summer Time, one in winter, and a deadline set by people.
    subject, owner = ClockSubject(case_id=world.case_id), ClockOwner(world.social_care)
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        for when in (at("2025-07-01 23:30"), at("2025-01-06 09:15")):
            record_clock_event(
                uow,
                event="returned_from_missing",
                at=when,
                subject=subject,
                owner=owner,
                title="Return home",
            )
        start_deadline_clock(
            uow,
            title="Visit",
            due_on=date(2025, 2, 3),
            at=at("2025-01-10 10:00"),
            subject=subject,
            owner=owner,
        )
        uow.commit()
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        arrays = read_open_clocks(uow, rulebook(uow))
        clocks = {
            c.id: (c.started_at, c.due_on, c.rule_id, c.jurisdiction)
            for c in uow.session.scalars(select(Clock))
        }
    assert sorted(arrays.ids.tolist()) == sorted(clocks)
    for row, clock_id in enumerate(arrays.ids.tolist()):
        started = datetime(1970, 1, 1, tzinfo=UTC) + np.timedelta64(arrays.started_us[row], "us")
        due_on = date(1970, 1, 1) + np.timedelta64(arrays.due_day[row], "D")
        rule = arrays.rule_names[arrays.rule_code[row]]
        jurisdiction = arrays.jurisdictions[arrays.jurisdiction_code[row]]
        assert (started, due_on, rule, jurisdiction) == clocks[clock_id]


def test_the_system_flag_is_inlined_into_the_clock_policy_not_called_per_row(
    app_db: Database,
) -> None:
    # A function with a SET clause is never inlined: each row would pay a call (migration 0010).
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        plan = "\n".join(
            uow.session.execute(
                text("EXPLAIN SELECT id FROM clock WHERE stopped_at IS NULL")
            ).scalars()
        )
    assert "current_setting('safehub.system'" in plan
    assert "safehub_ctx_system()" not in plan


def test_a_run_that_changes_every_state_updates_no_index(app_db: Database, world: World) -> None:
    now = datetime(2025, 11, 26, 10, 30, tzinfo=UTC)
    with app_db.owner_engine.begin() as conn:
        conn.execute(
            text(_MANY_CLOCKS),
            {
                "now": now,
                "agency": world.social_care,
                "team": world.team,
                "user": world.worker,
                "n": 3000,
            },
        )
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        evaluated, changed = recompute_clock_states(uow, now=now)
        updated, heap_only = uow.session.execute(
            text(
                "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables "
                "WHERE relname = 'clock'"
            )
        ).one()
        uow.commit()
    assert evaluated == 3000 and changed > 2900
    # Every changed row was rewritten on its own page (heap-only): no index entry was added.
    assert updated == heap_only == changed
    with app_db.owner_engine.connect() as conn:
        rows = conn.execute(text("SELECT state, count(*) FROM clock GROUP BY state"))
        states = {str(state): int(n) for state, n in rows}
    assert states["overdue"] == 3000 - 63 and sum(states.values()) == 3000


def test_a_clock_whose_rule_is_in_no_rule_book_is_refused_naming_the_valid_rules(
    app_db: Database, world: World
) -> None:
    with app_db.owner_engine.begin() as conn:
        conn.execute(
            text(_MANY_CLOCKS.replace("'assessment'", "'no_such_rule'")),
            {
                "now": at("2025-06-02 09:00"),
                "agency": world.social_care,
                "team": world.team,
                "user": world.worker,
                "n": 1,
            },
        )
    with (
        unit_of_work(app_db, actor=SYSTEM) as uow,
        pytest.raises(UnknownRuleError, match="referral_decision"),
    ):
        recompute_clock_states(uow, now=at("2025-06-03 09:00"))
