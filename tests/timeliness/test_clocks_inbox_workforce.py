"""Inboxes ordered by urgency; workforce figures; job runs recorded with progress."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, text

from safehub.db.database import Database
from safehub.db.models.timeliness import Clock, JobRun
from safehub.db.queries import jobs as q
from safehub.db.uow import unit_of_work
from safehub.jobs.worker import claim, enqueue, run_once
from safehub.services.timeliness.clocks import (
    ClockOwner,
    ClockSubject,
    complete_clock,
    record_clock_event,
    start_deadline_clock,
)
from safehub.services.timeliness.inbox import view_inbox
from safehub.services.timeliness.workforce import TrainingDraft, record_training, view_workforce
from tests.timeliness.conftest import SYSTEM, World, at

NOW = at("2025-06-11 12:00")  # a Wednesday


def _deadline(db: Database, world: World, title: str, due: date, user: int | None) -> int:
    with unit_of_work(db, actor=SYSTEM) as uow:
        clock = start_deadline_clock(
            uow,
            title=title,
            due_on=due,
            at=at("2025-06-01 09:00"),
            subject=ClockSubject(case_id=world.case_id),
            owner=ClockOwner(world.social_care, world.team, user),
        )
        uow.commit()
        return clock.id


def test_the_inbox_shows_overdue_work_first_then_due_today_due_soon_and_on_track(
    app_db: Database, world: World
) -> None:
    for title, due in [
        ("On track", date(2025, 6, 30)),
        ("Due soon", date(2025, 6, 13)),
        ("Overdue", date(2025, 6, 9)),
        ("Due today", date(2025, 6, 11)),
    ]:
        _deadline(app_db, world, title, due, world.worker)
    _deadline(app_db, world, "Unallocated", date(2025, 6, 10), None)
    worker = world.actor(app_db, world.worker)
    with unit_of_work(app_db, actor=worker) as uow:
        mine = view_inbox(uow, scope="mine", now=NOW)
        team = view_inbox(uow, scope="team", now=NOW)
    assert [(i.title, i.state) for i in mine.items] == [
        ("Overdue", "overdue"),
        ("Due today", "due_today"),
        ("Due soon", "due_soon"),
        ("On track", "on_track"),
    ]
    assert mine.items[0].needs_reason and mine.items[0].overdue_by == 2
    assert mine.counts == {"overdue": 1, "due_today": 1, "due_soon": 1, "on_track": 1}
    assert [i.title for i in team.items][:2] == ["Overdue", "Unallocated"]
    assert team.counts["overdue"] == 2


def test_an_hours_clock_due_this_afternoon_comes_before_work_due_tomorrow(
    app_db: Database, world: World
) -> None:
    _deadline(app_db, world, "Due tomorrow", date(2025, 6, 12), world.worker)
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        record_clock_event(
            uow,
            event="returned_from_missing",
            at=at("2025-06-08 15:00"),
            subject=ClockSubject(case_id=world.case_id),
            owner=ClockOwner(world.social_care, world.team, world.worker),
            title="Missing episode",
        )
        uow.commit()
    worker = world.actor(app_db, world.worker)
    with unit_of_work(app_db, actor=worker) as uow:
        items = view_inbox(uow, now=NOW).items
    assert [(i.rule_id, i.state) for i in items] == [
        ("return_home_interview", "due_today"),
        ("action_deadline", "due_soon"),
    ]


def test_done_work_leaves_the_inbox(app_db: Database, world: World) -> None:
    clock_id = _deadline(app_db, world, "Visit", date(2025, 6, 13), world.worker)
    worker = world.actor(app_db, world.worker)
    with unit_of_work(app_db, actor=worker) as uow:
        complete_clock(uow, clock_id=clock_id, at=NOW)
        uow.commit()
    with unit_of_work(app_db, actor=worker) as uow:
        assert view_inbox(uow, now=NOW).items == []


def test_workforce_counts_caseload_backlog_throughput_and_training(
    app_db: Database, world: World
) -> None:
    _deadline(app_db, world, "Overdue", date(2025, 6, 9), world.worker)
    _deadline(app_db, world, "Later", date(2025, 6, 30), world.worker)
    done = _deadline(app_db, world, "Done", date(2025, 6, 5), world.manager)
    manager = world.actor(app_db, world.manager)
    with unit_of_work(app_db, actor=manager) as uow:
        complete_clock(uow, clock_id=done, at=at("2025-06-04 10:00"))
        awareness = "exploitation_awareness"
        record_training(uow, training=TrainingDraft(world.worker, awareness, date(2023, 7, 1)))
        record_training(uow, training=TrainingDraft(world.manager, awareness, date(2025, 1, 15)))
        uow.commit()
    with unit_of_work(app_db, actor=manager) as uow:
        figures = view_workforce(uow, now=NOW)
    sam = next(w for w in figures.workers if w.user_id == world.worker)
    assert (sam.open_cases, sam.open_clocks, sam.overdue) == (1, 2, 1)
    assert [(t.team, t.open_clocks, t.overdue) for t in figures.teams] == [
        ("Exploitation team", 2, 1)
    ]
    assert dict(figures.backlog)["8 to 14 days"] == 2  # started 1 June, 10 days before
    assert (date(2025, 6, 2), 1, 0) in figures.throughput and len(figures.throughput) == 12
    status = {t.user_id: t.status for t in figures.training}
    # Renewal is due two years after completion: July 2025 is within 60 days of 11 June.
    assert status[world.worker] == "expiring_soon"
    assert status[world.manager] == "current"
    assert status[world.head] == "none"


def test_every_job_run_is_recorded_with_its_progress_and_outcome(
    app_db: Database, world: World
) -> None:
    _deadline(app_db, world, "Overdue", date(2025, 6, 9), world.worker)
    (result,) = run_once(app_db, requested_by="system:test", sender=None, now=NOW)
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        run = uow.session.get(JobRun, result.run_id)
        assert run is not None
        assert (run.job, run.status, run.items_total, run.items_processed) == (
            "clocks",
            "succeeded",
            1,
            1,
        )
        assert run.started_at and run.finished_at and run.finished_at >= run.started_at
        assert run.outcome and run.outcome.startswith("1 open clocks evaluated, 1 changed state")
        state = uow.session.scalars(select(Clock.state)).one()
    assert state == "overdue"


def test_a_failing_job_is_recorded_as_failed_with_its_error(app_db: Database, world: World) -> None:
    with app_db.owner_engine.begin() as conn:  # a rule nobody knows: the run cannot evaluate it
        conn.execute(
            text(
                "INSERT INTO clock (rule_id, jurisdiction, title, started_at, due_on, state, "
                "owner_agency_id, subject_type) VALUES ('no_such_rule', 'england', 'x', now(), "
                "current_date, 'on_track', :a, 'case')"
            ),
            {"a": world.social_care},
        )
    (result,) = run_once(app_db, requested_by="system:test", sender=None, now=NOW)
    assert result.status == "failed" and "no_such_rule" in (result.error or "")
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        run = uow.session.get(JobRun, result.run_id)
        assert run is not None and run.status == "failed" and run.finished_at is not None


def test_two_workers_never_claim_the_same_run(app_db: Database) -> None:
    first, second = (enqueue(app_db, requested_by="system:test") for _ in range(2))
    with app_db.app_session(actor="system:test") as holding:
        held = q.claim_next_job(holding)  # not committed: its row stays locked
        other = claim(app_db)  # SKIP LOCKED: takes the next run instead of waiting
        assert held is not None and other is not None
        assert {held.run_id, other.run_id} == {first, second}
    assert claim(app_db) is not None  # the first claim rolled back: its run is queued again
    assert claim(app_db) is None


def test_the_team_inbox_page_is_read_through_its_index(app_db: Database, world: World) -> None:
    for day in range(30):
        _deadline(
            app_db, world, f"Work {day}", date(2025, 6, 1) + timedelta(days=day), world.worker
        )
    with app_db.owner_engine.begin() as conn:
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(
            conn.execute(
                text(
                    "EXPLAIN SELECT id FROM clock WHERE owner_team_id = :t AND stopped_at IS NULL "
                    "ORDER BY owner_team_id, due_on, due_at, id LIMIT 50"
                ),
                {"t": world.team},
            ).scalars()
        )
    assert "ix_clock_inbox_team" in plan and "Sort" not in plan
