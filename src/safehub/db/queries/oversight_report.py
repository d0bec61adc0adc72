"""SQL for the published oversight report: the measures, their facts summed over a period, the
national figure of each month, and the disparities of the latest build for a period.

Aggregates only (``oversight_measure``, ``oversight_fact``, ``oversight_disparity``): the
application role and the oversight role both read them (migration 0021).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session


def list_measures(session: Session) -> list[Any]:
    """Every measure, in the strategy's order."""
    return list(
        session.execute(
            text(
                """
                SELECT code, name, definition, numerator, denominator, counts, direction, unit,
                  target, near_margin, owner, by, sort_order
                FROM oversight_measure ORDER BY sort_order, code
                """
            )
        ).all()
    )


def sum_facts_by_area(session: Session, *, first: date, last: date) -> list[Any]:
    """Per measure, area and agency: the months' numerators and denominators summed, and
    ``weighted`` = sum(numerator × denominator), which a median-days measure needs to weigh each
    month's median by its number of events. Months from ``first`` to ``last`` inclusive."""
    return list(
        session.execute(
            text(
                """
                SELECT f.measure_code, f.area_kind, f.area_code, max(f.area_name) AS area_name,
                  f.agency_code, coalesce(max(a.name), f.agency_code) AS agency_name,
                  sum(f.numerator) AS numerator, sum(f.denominator) AS denominator,
                  sum(f.numerator * f.denominator) AS weighted
                FROM oversight_fact f LEFT JOIN agency a ON a.code = f.agency_code
                WHERE f.period BETWEEN :first AND :last
                GROUP BY f.measure_code, f.area_kind, f.area_code, f.agency_code
                ORDER BY f.measure_code, f.area_kind, f.area_code, f.agency_code
                """
            ),
            {"first": first, "last": last},
        ).all()
    )


def sum_facts_by_month(session: Session, *, first: date, last: date) -> list[Any]:
    """Per measure and month: the sums over every area (and agency), for trends."""
    return list(
        session.execute(
            text(
                """
                SELECT measure_code, period, sum(numerator) AS numerator,
                  sum(denominator) AS denominator, sum(numerator * denominator) AS weighted
                FROM oversight_fact WHERE period BETWEEN :first AND :last
                GROUP BY measure_code, period
                ORDER BY measure_code, period
                """
            ),
            {"first": first, "last": last},
        ).all()
    )


def list_latest_disparities(session: Session, *, period: str) -> list[Any]:
    """The rows of the latest disparity build for ``period`` ("YYYY" or "YYYY-MM")."""
    return list(
        session.execute(
            text(
                """
                SELECT measure_code, dimension, group_label, n, value, ci_low, ci_high, p_value,
                  flagged, test, built_at
                FROM oversight_disparity
                WHERE period = :period AND built_at = (
                  SELECT max(built_at) FROM oversight_disparity WHERE period = :period)
                ORDER BY measure_code, dimension, id
                """
            ),
            {"period": period},
        ).all()
    )
