"""SQL of disparity monitoring: the pseudonymous units of a period in, the disparities out.

``oversight_unit`` is readable only in the system context (row-level security, migration 0021):
the service that calls :func:`list_units` runs as the system. ``oversight_disparity`` holds
aggregates that any signed-in user and the oversight role may read; only the system writes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from safehub.db.models.oversight import OversightDisparity, OversightUnit


@dataclass(frozen=True, slots=True)
class UnitRow:
    measure_code: str
    area_code: str
    period: date
    suspect_ethnicity: str | None
    victim_ethnicity: str | None
    victim_sex: str | None
    victim_age_band: str | None
    in_care: bool | None
    days: float | None
    event: bool


@dataclass(frozen=True, slots=True)
class DisparityValues:
    """One row to write: a group's figure in one comparison."""

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


def list_units(session: Session, *, start: date, end: date) -> list[UnitRow]:
    """Every unit whose month is in ``[start, end)``, in a stable order (so results repeat)."""
    u = OversightUnit
    rows = session.execute(
        select(
            u.measure_code,
            u.area_code,
            u.period,
            u.suspect_ethnicity,
            u.victim_ethnicity,
            u.victim_sex,
            u.victim_age_band,
            u.in_care,
            u.days,
            u.event,
        )
        .where(u.period >= start, u.period < end)
        .order_by(u.measure_code, u.unit_key)
    )
    return [UnitRow(**row._mapping) for row in rows]


def delete_disparities(session: Session, *, period: str) -> int:
    """Remove the disparities of a period's earlier build; returns how many rows went."""
    result = session.execute(delete(OversightDisparity).where(OversightDisparity.period == period))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def insert_disparities(session: Session, *, period: str, rows: Sequence[DisparityValues]) -> int:
    if rows:
        session.execute(
            insert(OversightDisparity),
            [{"period": period, **_values(r)} for r in rows],
        )
    return len(rows)


def list_disparities(session: Session, *, period: str) -> list[DisparityValues]:
    """A period's disparities, in the order the build wrote them."""
    d = OversightDisparity
    rows = session.execute(
        select(
            d.measure_code,
            d.dimension,
            d.group_label,
            d.n,
            d.value,
            d.ci_low,
            d.ci_high,
            d.p_value,
            d.flagged,
            d.test,
        )
        .where(d.period == period)
        .order_by(d.id)
    )
    return [DisparityValues(**row._mapping) for row in rows]


def _values(row: DisparityValues) -> dict[str, object]:
    return {
        "measure_code": row.measure_code,
        "dimension": row.dimension,
        "group_label": row.group_label,
        "n": row.n,
        "value": row.value,
        "ci_low": row.ci_low,
        "ci_high": row.ci_high,
        "p_value": row.p_value,
        "flagged": row.flagged,
        "test": row.test,
    }
