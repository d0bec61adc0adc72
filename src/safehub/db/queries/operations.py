"""Counts for operational metrics: aggregates over jobs, clocks and alerts, never a row."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import text
from sqlalchemy.orm import Session


def count_jobs_by_state(session: Session) -> dict[str, int]:
    """Job runs by status (queued, running, done, failed…): the queue's depth and its history."""
    rows = session.execute(text("SELECT status, count(*) FROM job_run GROUP BY status")).all()
    return {str(status): int(count) for status, count in rows}


def count_overdue_clocks(session: Session, *, today: date, now: datetime) -> int:
    """Open clocks past their due day, or past their due time (the inbox's "overdue")."""
    return int(
        session.execute(
            text(
                "SELECT count(*) FROM clock WHERE stopped_at IS NULL "
                "AND (due_on < :today OR due_at < :now)"
            ),
            {"today": today, "now": now},
        ).scalar_one()
    )


def count_alerts_by_kind(session: Session) -> dict[str, int]:
    """Every alert ever raised, by kind (alerts are decided, never deleted)."""
    rows = session.execute(text("SELECT kind, count(*) FROM alert GROUP BY kind")).all()
    return {str(kind): int(count) for kind, count in rows}
