"""SQL for the oversight portal: the measures, facts summed over a period, the disparities of the
latest build, the register of queries, and audit samples with their files and findings.

Everything here is read (or written) by the oversight role ``safehub_oversight``: aggregates and
the portal's own tables only. Reading case files for a sample is elsewhere
(``oversight_sample.py``), as the partnership, never as this role.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class MeasureRow:
    code: str
    name: str
    definition: str
    numerator: str
    denominator: str | None
    counts: str
    direction: str
    unit: str
    target: float | None
    near_margin: float
    owner: str
    by: str


@dataclass(frozen=True, slots=True)
class FactSum:
    """One measure's counts in one area, summed over the months of a period (and, for a measure
    by agency, over the area's agencies). For a median in days, ``numerator`` is the monthly
    medians weighted by their events and ``denominator`` the events."""

    measure_code: str
    area_kind: str
    area_code: str
    area_name: str
    period: date | None  # the month, in a trend; None when summed over the period
    numerator: float
    denominator: float | None


@dataclass(frozen=True, slots=True)
class DisparityRow:
    period: str
    measure_code: str
    dimension: str
    group_label: str
    n: int
    value: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    flagged: bool
    test: str
    built_at: datetime


@dataclass(frozen=True, slots=True)
class RegisterRow:
    id: int
    at: datetime
    user_id: int
    who: str
    query: str
    parameters: dict[str, Any]
    rows_returned: int


def list_measures(session: Session) -> list[MeasureRow]:
    rows = session.execute(
        text(
            "SELECT code, name, definition, numerator, denominator, counts, direction, unit, "
            "target, near_margin, owner, by FROM oversight_measure ORDER BY sort_order, code"
        )
    ).all()
    return [MeasureRow(*r) for r in rows]


def get_latest_period(session: Session) -> date | None:
    """The latest month any fact is about."""
    latest: date | None = session.execute(text("SELECT max(period) FROM oversight_fact")).scalar()
    return latest


# Summed per cell; a median cannot be summed, so the events-weighted sum of the monthly medians
# comes too (``weighted``), and the caller picks by the measure's unit (``FactSum.of_unit``).
_SUMMED = """
    f.measure_code, f.area_kind, f.area_code, min(f.area_name), sum(f.numerator),
    sum(f.numerator * f.denominator), sum(f.denominator)
"""


def _sums(rows: list[Any], month_column: bool) -> list[RawSum]:
    return [
        RawSum(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] if month_column else None)
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class RawSum:
    measure_code: str
    area_kind: str
    area_code: str
    area_name: str
    numerator: float
    weighted: float | None
    denominator: float | None
    period: date | None

    def of_unit(self, unit: str) -> FactSum:
        numerator = self.numerator
        if unit == "days":
            numerator = (self.weighted or 0.0) / self.denominator if self.denominator else 0.0
        return FactSum(
            self.measure_code,
            self.area_kind,
            self.area_code,
            self.area_name,
            self.period,
            numerator,
            self.denominator,
        )


def sum_facts_by_area(session: Session, *, start: date, end: date) -> list[RawSum]:
    """Every measure's counts per area over the months from ``start`` to ``end``."""
    rows = session.execute(
        text(
            f"""
            SELECT {_SUMMED} FROM oversight_fact f
            WHERE f.period BETWEEN :start AND :end
            GROUP BY f.measure_code, f.area_kind, f.area_code
            """
        ),
        {"start": start, "end": end},
    ).all()
    return _sums(list(rows), month_column=False)


def sum_facts_by_month(
    session: Session, *, area_kind: str, area_code: str, start: date, end: date
) -> list[RawSum]:
    """One area's counts per measure and month (its trend)."""
    rows = session.execute(
        text(
            f"""
            SELECT {_SUMMED}, f.period FROM oversight_fact f
            WHERE f.area_kind = :kind AND f.area_code = :code
              AND f.period BETWEEN :start AND :end
            GROUP BY f.measure_code, f.area_kind, f.area_code, f.period
            ORDER BY f.measure_code, f.period
            """
        ),
        {"kind": area_kind, "code": area_code, "start": start, "end": end},
    ).all()
    return _sums(list(rows), month_column=True)


def get_area_name(session: Session, *, area_kind: str, area_code: str) -> str | None:
    name: str | None = session.execute(
        text("SELECT min(area_name) FROM oversight_fact WHERE area_kind = :k AND area_code = :c"),
        {"k": area_kind, "c": area_code},
    ).scalar()
    return name


def list_latest_disparities(session: Session) -> list[DisparityRow]:
    """The disparities of the latest build, by measure, dimension and group."""
    rows = session.execute(
        text(
            """
            SELECT period, measure_code, dimension, group_label, n, value, ci_low, ci_high,
              p_value, flagged, test, built_at
            FROM oversight_disparity
            WHERE built_at = (SELECT max(built_at) FROM oversight_disparity)
            ORDER BY measure_code, dimension, group_label, id
            """
        )
    ).all()
    return [DisparityRow(*r) for r in rows]


def insert_query_log(
    session: Session, *, user_id: int, query: str, parameters: dict[str, Any], rows: int
) -> None:
    session.execute(
        text(
            "INSERT INTO oversight_query_log (user_id, query, parameters, rows_returned) "
            "VALUES (:u, :q, CAST(:p AS jsonb), :r)"
        ),
        {"u": user_id, "q": query, "p": _json(parameters), "r": rows},
    )


def list_query_log(session: Session, *, limit: int | None = None) -> list[RegisterRow]:
    """The register, newest first (all of it without ``limit``)."""
    rows = session.execute(
        text(
            """
            SELECT l.id, l.at, l.user_id, u.display_name, l.query, l.parameters, l.rows_returned
            FROM oversight_query_log l JOIN app_user u ON u.id = l.user_id
            ORDER BY l.at DESC, l.id DESC LIMIT :limit
            """
        ),
        {"limit": limit},
    ).all()
    return [RegisterRow(*r) for r in rows]


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, default=str)


@dataclass(frozen=True, slots=True)
class SampleRow:
    id: int
    drawn_at: datetime
    drawn_by: str
    seed: int
    size: int
    period_start: date
    period_end: date
    statuses: str
    eligible: int
    files: int
    files_reviewed: int


@dataclass(frozen=True, slots=True)
class SampleFileRow:
    id: int
    position: int
    status: str
    snapshot: dict[str, Any]
    answered: int


@dataclass(frozen=True, slots=True)
class FindingRow:
    question: str
    answer: str
    comment: str | None
    recorded_by: str
    recorded_at: datetime


_SAMPLES = """
    SELECT s.id, s.drawn_at, u.display_name, s.seed, s.size, s.period_start, s.period_end,
      s.statuses, s.eligible,
      (SELECT count(*) FROM oversight_sample_file f WHERE f.sample_id = s.id),
      (SELECT count(DISTINCT f.id) FROM oversight_sample_file f
       JOIN oversight_finding g ON g.file_id = f.id WHERE f.sample_id = s.id)
    FROM oversight_sample s JOIN app_user u ON u.id = s.drawn_by_user_id
"""


def insert_sample(
    session: Session,
    *,
    user_id: int,
    seed: int,
    size: int,
    period_start: date,
    period_end: date,
    statuses: str,
    eligible: int,
) -> int:
    return int(
        session.execute(
            text(
                "INSERT INTO oversight_sample (drawn_by_user_id, seed, size, period_start, "
                "period_end, statuses, eligible) VALUES (:u, :seed, :size, :start, :end, :st, :el) "
                "RETURNING id"
            ),
            {
                "u": user_id,
                "seed": seed,
                "size": size,
                "start": period_start,
                "end": period_end,
                "st": statuses,
                "el": eligible,
            },
        ).scalar_one()
    )


def insert_sample_file(
    session: Session, *, sample_id: int, position: int, status: str, snapshot: dict[str, Any]
) -> None:
    session.execute(
        text(
            "INSERT INTO oversight_sample_file (sample_id, position, status, snapshot) "
            "VALUES (:s, :p, :st, CAST(:snap AS jsonb))"
        ),
        {"s": sample_id, "p": position, "st": status, "snap": _json(snapshot)},
    )


def list_samples(session: Session) -> list[SampleRow]:
    rows = session.execute(text(_SAMPLES + " ORDER BY s.drawn_at DESC, s.id DESC")).all()
    return [SampleRow(*r) for r in rows]


def get_sample(session: Session, sample_id: int) -> SampleRow | None:
    row = session.execute(text(_SAMPLES + " WHERE s.id = :id"), {"id": sample_id}).first()
    return SampleRow(*row) if row else None


def list_sample_files(session: Session, sample_id: int) -> list[SampleFileRow]:
    rows = session.execute(
        text(
            """
            SELECT f.id, f.position, f.status, f.snapshot,
              (SELECT count(*) FROM oversight_finding g WHERE g.file_id = f.id)
            FROM oversight_sample_file f WHERE f.sample_id = :s ORDER BY f.position
            """
        ),
        {"s": sample_id},
    ).all()
    return [SampleFileRow(*r) for r in rows]


def get_sample_file(session: Session, sample_id: int, position: int) -> SampleFileRow | None:
    row = session.execute(
        text(
            """
            SELECT f.id, f.position, f.status, f.snapshot,
              (SELECT count(*) FROM oversight_finding g WHERE g.file_id = f.id)
            FROM oversight_sample_file f WHERE f.sample_id = :s AND f.position = :p
            """
        ),
        {"s": sample_id, "p": position},
    ).first()
    return SampleFileRow(*row) if row else None


def list_findings(session: Session, file_id: int) -> list[FindingRow]:
    rows = session.execute(
        text(
            """
            SELECT g.question, g.answer, g.comment, u.display_name, g.recorded_at
            FROM oversight_finding g JOIN app_user u ON u.id = g.recorded_by_user_id
            WHERE g.file_id = :f ORDER BY g.id
            """
        ),
        {"f": file_id},
    ).all()
    return [FindingRow(*r) for r in rows]


def upsert_finding(
    session: Session,
    *,
    file_id: int,
    question: str,
    answer: str,
    comment: str | None,
    user_id: int,
    flags: list[dict[str, object]] | None = None,
    reason: str | None = None,
) -> None:
    """One answer per file and question: answering again replaces it (and says who, when), with
    its comment's language flags and the reason it was kept as written."""
    session.execute(
        text(
            """
            INSERT INTO oversight_finding (file_id, question, answer, comment, recorded_by_user_id,
              language_flags, language_reason)
            VALUES (:f, :q, :a, :c, :u, CAST(:lf AS jsonb), :lr)
            ON CONFLICT (file_id, question) DO UPDATE SET answer = excluded.answer,
              comment = excluded.comment, recorded_by_user_id = excluded.recorded_by_user_id,
              recorded_at = now(), language_flags = excluded.language_flags,
              language_reason = excluded.language_reason
            """
        ),
        {
            "f": file_id,
            "q": question,
            "a": answer,
            "c": comment,
            "u": user_id,
            "lf": json.dumps(flags) if flags else None,
            "lr": reason,
        },
    )
