"""SQL of the job queue: runs queued in ``job_run``, claimed with ``FOR UPDATE SKIP LOCKED``.

``job_run`` rows are operational records (what ran, when, how far), not personal data: the worker
writes them outside the audited unit of work (``docs/architecture.md``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from safehub.db.models.timeliness import JobRun


def list_recent_job_runs(session: Session, *, limit: int) -> list[JobRun]:
    """The latest job runs, newest first."""
    return list(session.scalars(select(JobRun).order_by(JobRun.id.desc()).limit(limit)))


@dataclass(frozen=True, slots=True)
class ClaimedRun:
    run_id: int
    job: str
    params: dict[str, Any]


def enqueue_job(session: Session, *, job: str, params: dict[str, Any], requested_by: str) -> int:
    run_id = session.execute(
        text(
            "INSERT INTO job_run (job, status, params, requested_by, items_processed) "
            "VALUES (:job, 'queued', CAST(:params AS jsonb), :by, 0) RETURNING id"
        ),
        {"job": job, "params": json.dumps(params), "by": requested_by},
    ).scalar_one()
    return int(run_id)


def claim_next_job(session: Session) -> ClaimedRun | None:
    """The oldest queued run, marked running. SKIP LOCKED: two workers never take the same run,
    and neither waits for the other."""
    row = session.execute(
        text(
            "SELECT id, job, params FROM job_run WHERE status = 'queued' "
            "ORDER BY requested_at, id LIMIT 1 FOR UPDATE SKIP LOCKED"
        )
    ).first()
    if row is None:
        return None
    session.execute(
        text("UPDATE job_run SET status = 'running', started_at = now() WHERE id = :id"),
        {"id": row[0]},
    )
    return ClaimedRun(int(row[0]), str(row[1]), dict(row[2] or {}))


def claim_job_run(session: Session, run_id: int) -> ClaimedRun | None:
    """One queued run, by id, marked running (None when a worker has taken it already)."""
    row = session.execute(
        text(
            "SELECT id, job, params FROM job_run WHERE id = :id AND status = 'queued' "
            "FOR UPDATE SKIP LOCKED"
        ),
        {"id": run_id},
    ).first()
    if row is None:
        return None
    session.execute(
        text("UPDATE job_run SET status = 'running', started_at = now() WHERE id = :id"),
        {"id": row[0]},
    )
    return ClaimedRun(int(row[0]), str(row[1]), dict(row[2] or {}))


def set_job_progress(
    session: Session,
    run_id: int,
    *,
    processed: int | None = None,
    total: int | None = None,
    stage: str | None = None,
) -> None:
    session.execute(
        text(
            "UPDATE job_run SET items_processed = coalesce(:processed, items_processed), "
            "items_total = coalesce(:total, items_total), stage = coalesce(:stage, stage) "
            "WHERE id = :id"
        ),
        {"id": run_id, "processed": processed, "total": total, "stage": stage},
    )


def set_job_finished(
    session: Session, run_id: int, *, status: str, outcome: str | None, error: str | None
) -> None:
    session.execute(
        text(
            "UPDATE job_run SET status = :status, finished_at = now(), outcome = :outcome, "
            "error = :error, stage = NULL WHERE id = :id"
        ),
        {"id": run_id, "status": status, "outcome": outcome, "error": error},
    )


def is_job_waiting(session: Session, job: str) -> bool:
    """True when a run of ``job`` is already queued or running (no need to queue another).
    A run still "running" after an hour is taken to have died with its worker."""
    return bool(
        session.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM job_run WHERE job = :job AND (status = 'queued' "
                "OR (status = 'running' AND started_at > now() - interval '1 hour')))"
            ),
            {"job": job},
        ).scalar_one()
    )


def get_queued_job(session: Session, job: str) -> int | None:
    """A run of ``job`` waiting for the worker, if there is one."""
    found = session.execute(
        text("SELECT min(id) FROM job_run WHERE job = :j AND status = 'queued'"), {"j": job}
    ).scalar()
    return None if found is None else int(found)


def get_running_job(session: Session, job: str) -> int | None:
    """The run of ``job`` the worker marked running last (the one it is running now)."""
    found = session.execute(
        text(
            "SELECT id FROM job_run WHERE job = :j AND status = 'running' "
            "ORDER BY started_at DESC, id DESC LIMIT 1"
        ),
        {"j": job},
    ).scalar()
    return None if found is None else int(found)
