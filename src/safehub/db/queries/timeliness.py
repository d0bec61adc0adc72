"""SQL for clocks, inboxes, escalation and workforce figures: each query in one place.

The inbox reads a user's or team's open clocks in due order through the partial indexes
``ix_clock_inbox_user`` / ``ix_clock_inbox_team`` (an index walk with a limit), and the clock job
reads every open clock set-wise with COPY, as numbers, for the vectorised evaluator.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import text
from sqlalchemy.orm import Session

from safehub.timescales import STATE_ORDER

# A CHRONOLOGY branch for ``db/queries/cases.py::chronology``: the minutes of meetings held and
# the actions done, from the view made by migration 0006 (same columns as the other branches).
CHRONOLOGY_BRANCH = """
  SELECT on_date, code, name, kind, title, detail, source
  FROM meeting_chronology WHERE case_id = :case_id
"""


@dataclass(frozen=True, slots=True)
class InboxRow:
    clock_id: int
    rule_id: str
    jurisdiction: str
    title: str
    started_at: datetime
    due_on: date
    due_at: datetime | None
    stopped_at: datetime | None
    overrun_reason: str | None
    escalation_level: int
    case_id: int | None
    referral_id: int | None
    owner_user: str | None


_INBOX_COLUMNS = """c.id, c.rule_id, c.jurisdiction, c.title, c.started_at, c.due_on, c.due_at,
  c.stopped_at, c.overrun_reason, c.escalation_level, c.case_id, c.referral_id, u.display_name"""


def inbox_rows(
    session: Session, *, user_id: int | None, team_id: int | None, limit: int, offset: int
) -> list[InboxRow]:
    """Open clocks of one user (or one team) in due order: overdue first, then due today..."""
    column = "owner_user_id" if user_id is not None else "owner_team_id"
    owner = user_id if user_id is not None else team_id
    # ORDER BY matches the index, so PostgreSQL walks it and stops after the page.
    rows = session.execute(
        text(
            f"SELECT {_INBOX_COLUMNS} FROM clock c LEFT JOIN app_user u ON u.id = c.owner_user_id "
            f"WHERE c.{column} = :owner AND c.stopped_at IS NULL "
            f"ORDER BY c.{column}, c.due_on, c.due_at, c.id LIMIT :limit OFFSET :offset"
        ),
        {"owner": owner, "limit": limit, "offset": offset},
    ).all()
    return [InboxRow(*row) for row in rows]


def inbox_counts(
    session: Session,
    *,
    user_id: int | None,
    team_id: int | None,
    today: date,
    soon_until: date,
    now: datetime,
) -> dict[str, int]:
    """How many open clocks are overdue, due today, due soon and on track (by due day; an hours
    clock past its due time today counts as overdue)."""
    column = "owner_user_id" if user_id is not None else "owner_team_id"
    owner = user_id if user_id is not None else team_id
    row = session.execute(
        text(
            "SELECT count(*) FILTER (WHERE due_on < :today OR due_at < :now), "
            "count(*) FILTER (WHERE due_on = :today AND (due_at IS NULL OR due_at >= :now)), "
            "count(*) FILTER (WHERE due_on > :today AND due_on <= :soon), "
            f"count(*) FILTER (WHERE due_on > :soon) FROM clock WHERE {column} = :owner "
            "AND stopped_at IS NULL"
        ),
        {"owner": owner, "today": today, "soon": soon_until, "now": now},
    ).one()
    return dict(zip(("overdue", "due_today", "due_soon", "on_track"), row, strict=True))


@dataclass(frozen=True)
class OpenClockArrays:
    """Every open clock as columns: rule and jurisdiction as codes into the two name lists (-1
    for a name not in them), times as UTC microseconds, due days as days since 1970."""

    ids: npt.NDArray[np.int64]
    rule_code: npt.NDArray[np.int64]
    jurisdiction_code: npt.NDArray[np.int64]
    started_us: npt.NDArray[np.int64]
    due_day: npt.NDArray[np.int64]
    state: npt.NDArray[np.int64]
    rule_names: list[str]
    jurisdictions: list[str]

    def __len__(self) -> int:
        return int(self.ids.size)


# The engine's state codes (index into STATE_ORDER) as the stored names.
STATE_NAMES = tuple(state.value for state in STATE_ORDER)
_STATES_SQL = "ARRAY[" + ",".join(f"'{s}'" for s in STATE_NAMES) + "]::text[]"
# PostgreSQL's binary COPY sends timestamptz as microseconds and date as days since 2000-01-01.
_PG_EPOCH_US = 946_684_800_000_000
_PG_EPOCH_DAYS = 10_957
# Column types of the open-clock COPY, in order: sent raw, so PostgreSQL does no per-row
# arithmetic (extract(epoch) is numeric and cost more than the rest of the row).
_OPEN_CLOCK_FIELDS = (">i8", ">i2", ">i2", ">i8", ">i4", ">i2")


def open_clock_arrays(
    session: Session, *, rule_names: list[str], jurisdictions: list[str]
) -> OpenClockArrays:
    """Every open clock, read set-wise in one binary COPY (about a second for a million).

    The caller names the rules and jurisdictions (from the rule book), so no scan is spent on
    finding them; a clock with another name gets code -1.
    """
    rules_sql = "ARRAY[" + ",".join(_quote(n) for n in rule_names) + "]::text[]"
    juris_sql = "ARRAY[" + ",".join(_quote(n) for n in jurisdictions) + "]::text[]"
    query = (
        f"SELECT id, coalesce(array_position({rules_sql}, rule_id::text) - 1, -1)::int2, "
        f"coalesce(array_position({juris_sql}, jurisdiction::text) - 1, -1)::int2, "
        f"started_at, due_on, coalesce(array_position({_STATES_SQL}, state::text) - 1, -1)::int2 "
        "FROM clock WHERE stopped_at IS NULL"
    )
    buffer = _copy_out(session, query)
    ids, rule_code, jurisdiction_code, started, due_on, state = _parse_columns(
        buffer, _OPEN_CLOCK_FIELDS
    )
    return OpenClockArrays(
        ids,
        rule_code,
        jurisdiction_code,
        started + _PG_EPOCH_US,
        due_on + _PG_EPOCH_DAYS,
        state,
        rule_names,
        jurisdictions,
    )


def clock_rule_of(session: Session, clock_id: int) -> tuple[str, str]:
    """(jurisdiction, rule id) of one clock."""
    row = session.execute(
        text("SELECT jurisdiction, rule_id FROM clock WHERE id = :id"), {"id": clock_id}
    ).one()
    return str(row[0]), str(row[1])


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _copy_out(session: Session, query: str) -> bytes:
    raw: Any = session.connection().connection.driver_connection
    out = io.BytesIO()
    with raw.cursor() as cursor, cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT binary)") as copy:
        for chunk in copy:
            out.write(chunk)
    return out.getvalue()


_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8  # signature, flags, no header extension
_COPY_TRAILER = b"\xff\xff"  # a field count of -1


def _row_dtype(fields: tuple[str, ...]) -> np.dtype[Any]:
    """A binary COPY row of non-null fixed-width fields: the field count, then length + value."""
    parts: list[tuple[str, str]] = [("count", ">i2")]
    for i, kind in enumerate(fields):
        parts += [(f"n{i}", ">i4"), (f"v{i}", kind)]
    return np.dtype(parts)


def _parse_columns(buffer: bytes, fields: tuple[str, ...]) -> list[npt.NDArray[np.int64]]:
    """Columns of a binary COPY whose every field is non-null and fixed-width: numpy reads the
    rows in place (no per-value parsing)."""
    body = buffer[len(_COPY_HEADER) : len(buffer) - len(_COPY_TRAILER)] if buffer else b""
    table = np.frombuffer(body, dtype=_row_dtype(fields))
    return [table[f"v{i}"].astype(np.int64) for i in range(len(fields))]


def update_states(session: Session, ids: npt.NDArray[np.int64], codes: npt.NDArray[np.int8]) -> int:
    """Store the states the job computed (codes into ``STATE_NAMES``; pass only changed ones).

    The pairs go in by binary COPY to a temporary table, then one ``UPDATE ... FROM``: no
    parameter list of a million values. ``state`` is in no index, and the table keeps free
    space on its pages (migration 0010), so the update stays heap-only.
    """
    if not len(ids):
        return 0
    rows = np.empty(len(ids), dtype=_row_dtype((">i8", ">i2")))
    rows["count"], rows["n0"], rows["v0"], rows["n1"], rows["v1"] = 2, 8, ids, 2, codes
    raw: Any = session.connection().connection.driver_connection
    with raw.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE clock_state_new (id bigint, state int2) ON COMMIT DROP")
        with cursor.copy("COPY clock_state_new FROM STDIN (FORMAT binary)") as copy:
            copy.write(_COPY_HEADER + rows.tobytes() + _COPY_TRAILER)
        cursor.execute(
            f"UPDATE clock c SET state = ({_STATES_SQL})[v.state + 1] FROM clock_state_new v "
            "WHERE c.id = v.id"
        )
        count = int(cursor.rowcount)
        cursor.execute("DROP TABLE clock_state_new")
    return count


@dataclass(frozen=True, slots=True)
class OverdueClock:
    clock_id: int
    rule_id: str
    jurisdiction: str
    title: str
    due_on: date
    due_at: datetime | None
    escalation_level: int
    owner_agency_id: int
    owner_team_id: int | None
    owner_user_id: int | None
    case_id: int | None


def overdue_clocks(
    session: Session, *, today: date, now: datetime, below_level: int
) -> list[OverdueClock]:
    """Open clocks past their due day (or due time) not yet escalated to the top rung."""
    rows = session.execute(
        text(
            "SELECT id, rule_id, jurisdiction, title, due_on, due_at, escalation_level, owner_agency_id, "
            "owner_team_id, owner_user_id, case_id FROM clock WHERE stopped_at IS NULL "
            "AND (due_on < :today OR due_at < :now) AND escalation_level < :top ORDER BY id"
        ),
        {"today": today, "now": now, "top": below_level},
    ).all()
    return [OverdueClock(*row) for row in rows]


def users_with_role(
    session: Session, *, role: str, agency_ids: list[int], team_id: int | None = None
) -> list[tuple[int, str | None]]:
    """(user id, email) of active users with a role in the agencies (and team, if given)."""
    team_filter = "AND team_id = :team" if team_id is not None else ""
    rows = session.execute(
        text(
            "SELECT id, email FROM app_user WHERE active AND role = :role "
            f"AND agency_id = ANY(:agencies) {team_filter} ORDER BY id"
        ),
        {"role": role, "agencies": agency_ids, "team": team_id},
    ).all()
    return [(r[0], r[1]) for r in rows]


def case_agency_ids(session: Session, case_id: int) -> list[int]:
    return list(
        session.execute(
            text("SELECT agency_id FROM case_agency WHERE case_id = :c ORDER BY agency_id"),
            {"c": case_id},
        ).scalars()
    )


def caseload_by_worker(session: Session, *, agency_id: int, today: date) -> list[tuple[Any, ...]]:
    """(user id, name, team, open cases, open clocks, overdue clocks) for an agency's staff."""
    return list(
        session.execute(
            text(
                """
                SELECT u.id, u.display_name, coalesce(t.name, 'No team'),
                  (SELECT count(*) FROM case_member m JOIN safeguarding_case s ON s.id = m.case_id
                   WHERE m.user_id = u.id AND s.status = 'open'),
                  (SELECT count(*) FROM clock c WHERE c.owner_user_id = u.id AND c.stopped_at IS NULL),
                  (SELECT count(*) FROM clock c WHERE c.owner_user_id = u.id AND c.stopped_at IS NULL
                   AND c.due_on < :today)
                FROM app_user u LEFT JOIN team t ON t.id = u.team_id
                WHERE u.agency_id = :agency AND u.active ORDER BY u.display_name, u.id
                """
            ),
            {"agency": agency_id, "today": today},
        ).all()
    )


def caseload_by_team(session: Session, *, agency_id: int, today: date) -> list[tuple[Any, ...]]:
    """(team, open clocks, overdue clocks) for an agency's teams."""
    return list(
        session.execute(
            text(
                """
                SELECT t.name, count(c.id), count(c.id) FILTER (WHERE c.due_on < :today)
                FROM team t LEFT JOIN clock c ON c.owner_team_id = t.id AND c.stopped_at IS NULL
                WHERE t.agency_id = :agency GROUP BY t.id, t.name ORDER BY t.name
                """
            ),
            {"agency": agency_id, "today": today},
        ).all()
    )


def backlog_by_age(session: Session, *, agency_id: int, today: date) -> list[tuple[str, int]]:
    """Open clocks of an agency by how long ago they started, in calendar-day bands."""
    rows = session.execute(
        text(
            """
            SELECT band, count(*) FROM (
              SELECT CASE WHEN age <= 7 THEN 1 WHEN age <= 14 THEN 2 WHEN age <= 30 THEN 3
                          WHEN age <= 60 THEN 4 ELSE 5 END AS band
              FROM (SELECT :today - (started_at AT TIME ZONE 'Europe/London')::date AS age
                    FROM clock WHERE owner_agency_id = :agency AND stopped_at IS NULL) a
            ) b GROUP BY band ORDER BY band
            """
        ),
        {"agency": agency_id, "today": today},
    ).all()
    found: dict[int, int] = {int(r[0]): int(r[1]) for r in rows}
    return [(label, int(found.get(i, 0))) for i, label in enumerate(AGE_BANDS, start=1)]


AGE_BANDS = ("0 to 7 days", "8 to 14 days", "15 to 30 days", "31 to 60 days", "Over 60 days")


def throughput_by_week(
    session: Session, *, agency_id: int, since: date
) -> list[tuple[date, int, int]]:
    """(week starting, met on time, met late) of clocks stopped since ``since``, by ISO week."""
    rows = session.execute(
        text(
            """
            SELECT date_trunc('week', stopped_at AT TIME ZONE 'Europe/London')::date AS week,
              count(*) FILTER (WHERE state = 'met'), count(*) FILTER (WHERE state = 'met_late')
            FROM clock WHERE owner_agency_id = :agency AND stopped_at IS NOT NULL
              AND (stopped_at AT TIME ZONE 'Europe/London')::date >= :since
            GROUP BY week ORDER BY week
            """
        ),
        {"agency": agency_id, "since": since},
    ).all()
    return [(r[0], int(r[1]), int(r[2])) for r in rows]


def training_by_worker(session: Session, *, agency_id: int) -> list[tuple[Any, ...]]:
    """(user id, name, course, completed, expires) of the latest record per user and course;
    users without any record appear once with no course."""
    return list(
        session.execute(
            text(
                """
                SELECT u.id, u.display_name, r.course, r.completed_on, r.expires_on
                FROM app_user u LEFT JOIN LATERAL (
                  SELECT DISTINCT ON (course) course, completed_on, expires_on
                  FROM training_record WHERE user_id = u.id
                  ORDER BY course, completed_on DESC, id DESC) r ON true
                WHERE u.agency_id = :agency AND u.active ORDER BY u.display_name, u.id, r.course
                """
            ),
            {"agency": agency_id},
        ).all()
    )


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


def report_job(
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


def finish_job(
    session: Session, run_id: int, *, status: str, outcome: str | None, error: str | None
) -> None:
    session.execute(
        text(
            "UPDATE job_run SET status = :status, finished_at = now(), outcome = :outcome, "
            "error = :error, stage = NULL WHERE id = :id"
        ),
        {"id": run_id, "status": status, "outcome": outcome, "error": error},
    )


def job_waiting(session: Session, job: str) -> bool:
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
