"""Each measure's value, target, status against target and monthly trend, read from the facts.

``measure_results(uow, period="2025" or "2025-03", area_code=None)`` is what the report and the
portal call. Values come from ``oversight_fact`` only (aggregates that any member of staff and the
oversight role may read); nothing here reads a person or a record.

How a value is made from counts (oversight.md): a percent is ``100 * numerator / denominator``;
a count is the numerator (per worker: numerator / denominator); a days measure is a median, whose
fact holds the median and the number of events. Over several months or areas a days value is the
event-weighted median of the cells' medians: an approximation, because a median of medians is not
the median of the events (the exact figure needs the events, which only the system reads).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from safehub.db.queries.oversight_facts import FactRow, get_latest_fact_month, list_facts
from safehub.db.uow import UnitOfWork
from safehub.services.errors import RefusedError
from safehub.services.oversight.catalogue import CATALOGUE, Measure

Status = Literal["met", "near", "missed", "no data", "no target", "c"]
NATIONAL = ""  # the area code of a result over every area
NATIONAL_NAME = "All areas"
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One month of a measure: ``period`` is "YYYY-MM"."""

    period: str
    numerator: float
    denominator: float | None
    value: float | None


@dataclass(frozen=True, slots=True)
class MeasureResult:
    """A measure for a period and area (and agency, for measures by agency; "" for all).

    ``numerator`` and ``denominator`` are unrounded: publishing them applies disclosure control.
    ``area_code`` is "" (``NATIONAL``) for every area together; ``area_kind`` is then "".
    """

    measure: str
    area_code: str
    area_name: str
    area_kind: str
    agency_code: str
    period: str
    numerator: float
    denominator: float | None
    value: float | None
    target: float | None
    status: Status
    trend: tuple[TrendPoint, ...] = ()


def status_of(measure: Measure, value: float | None) -> Status:
    """The measure's status for a value (``status_for`` with the measure's target).

    >>> from safehub.services.oversight.catalogue import MEASURES
    >>> m = MEASURES["nfa_rate_cse"]  # lower is better, target 40, margin 5
    >>> status_of(m, 40.0), status_of(m, 44.0), status_of(m, 46.0), status_of(m, None)
    ('met', 'near', 'missed', 'no data')
    """
    return status_for(
        value, target=measure.target, direction=measure.direction, near_margin=measure.near_margin
    )


def status_for(
    value: float | str | None, *, target: float | None, direction: str, near_margin: float
) -> Status:
    """The one rule of status against target, for the pages, the API and the report alike.

    Met on the right side of the target (or on it); near when on the wrong side by no more than
    the near margin; else missed. "no data" without a value, "no target" when the strategy set
    none, "c" when the value is withheld by disclosure control (a string: ``SUPPRESSED``).

    >>> status_for(88.0, target=90.0, direction="higher", near_margin=5.0)
    'near'
    >>> status_for("c", target=90.0, direction="higher", near_margin=5.0)
    'c'
    """
    if value is None:
        return "no data"
    if isinstance(value, str):
        return "c"
    if target is None:
        return "no target"
    gap = value - target if direction == "lower" else target - value
    if gap <= 0:
        return "met"
    return "near" if gap <= near_margin else "missed"


def value_of(measure: Measure, numerator: float, denominator: float | None) -> float | None:
    """The measure's value from its counts (None when it rests on nothing)."""
    if measure.unit == "percent":
        return 100.0 * numerator / denominator if denominator else None
    if measure.unit == "days":
        return numerator if denominator else None
    if denominator is not None:  # a count per worker
        return numerator / denominator if denominator else None
    return numerator


def parse_period(period: str) -> tuple[date, date]:
    """The first day of the first month and the first day after the period ("YYYY" or
    "YYYY-MM"); a malformed period is refused, naming the field and the form it takes."""
    match = _PERIOD.match(period or "")
    month = int(match.group(2)) if match and match.group(2) else None
    # Year 0 has no dates, and 9999's period would end in year 10000: refused, not a crash.
    year_ok = match is not None and 1 <= int(match.group(1)) <= 9998
    if match is None or not year_ok or (month is not None and not 1 <= month <= 12):
        raise RefusedError({"period": "Give the period as a year (2025) or a month (2025-03)"})
    year = int(match.group(1))
    if month is None:
        return date(year, 1, 1), date(year + 1, 1, 1)
    start = date(year, month, 1)
    return start, date(year + (month == 12), month % 12 + 1, 1)


def measure_results(
    uow: UnitOfWork, *, period: str, area_code: str | None = None
) -> list[MeasureResult]:
    """For a period ("YYYY" or "YYYY-MM") and an area (None: every area together), each
    measure's value, target, status and monthly trend, in catalogue order. A measure by area
    gives one result; a measure by agency gives one per agency of the area, then one for all of
    them (``agency_code`` ""). A measure with no facts gives one result with status "no data"."""
    start, end = parse_period(period)
    facts = list_facts(uow.session, start=start, end=end, area_code=area_code)
    uow.audit(
        "consultation",
        "statistic",
        ["oversight_fact"],
        purpose="oversight measures",
        detail={"period": period, "area": area_code},
    )
    by_measure: dict[str, list[FactRow]] = defaultdict(list)
    for fact in facts:
        by_measure[fact.measure_code].append(fact)
    results: list[MeasureResult] = []
    for measure in CATALOGUE:
        rows = by_measure.get(measure.code, [])
        if measure.by == "agency":
            agencies = sorted({r.agency_code for r in rows})
            for agency in agencies:
                mine = [r for r in rows if r.agency_code == agency]
                results.append(_result(measure, mine, period, area_code, agency))
        results.append(_result(measure, rows, period, area_code, ""))
    return results


def _result(
    measure: Measure,
    rows: Sequence[FactRow],
    period: str,
    area_code: str | None,
    agency_code: str,
) -> MeasureResult:
    numerator, denominator = _combine(measure, rows)
    value = value_of(measure, numerator, denominator) if rows else None
    area = rows[0] if rows and area_code is not None else None
    return MeasureResult(
        measure=measure.code,
        area_code=area_code or NATIONAL,
        area_name=area.area_name if area else (area_code or NATIONAL_NAME),
        area_kind=area.area_kind if area else ("" if area_code is None else _kind(area_code)),
        agency_code=agency_code,
        period=period,
        numerator=numerator,
        denominator=denominator,
        value=value,
        target=measure.target,
        status=status_of(measure, value),
        trend=_trend(measure, rows),
    )


def _combine(measure: Measure, rows: Iterable[FactRow]) -> tuple[float, float | None]:
    rows = list(rows)
    if measure.unit == "days":
        return _weighted_median(rows), float(sum(r.denominator or 0 for r in rows))
    numerator = float(sum(r.numerator for r in rows))
    if measure.denominator is None and measure.unit == "count" and measure.by == "area":
        return numerator, None
    return numerator, float(sum(r.denominator or 0 for r in rows))


def _weighted_median(rows: Sequence[FactRow]) -> float:
    """The median of cells' medians, each weighted by its number of events."""
    cells = sorted((r.numerator, r.denominator or 0) for r in rows if r.denominator)
    total = sum(w for _, w in cells)
    seen = 0.0
    for value, weight in cells:
        seen += weight
        if seen >= total / 2:
            return value
    return 0.0


def _trend(measure: Measure, rows: Sequence[FactRow]) -> tuple[TrendPoint, ...]:
    months: dict[date, list[FactRow]] = defaultdict(list)
    for row in rows:
        months[row.period].append(row)
    points = []
    for month in sorted(months):
        numerator, denominator = _combine(measure, months[month])
        points.append(
            TrendPoint(
                month.strftime("%Y-%m"),
                numerator,
                denominator,
                value_of(measure, numerator, denominator),
            )
        )
    return tuple(points)


def _kind(area_code: str) -> str:
    return "police_force" if area_code.startswith(("E23", "W15")) else "local_authority"


def latest_year(uow: UnitOfWork, *, today: date) -> str:
    """The calendar year of the most recent month the facts count ("YYYY"), or ``today``'s year
    before the first rebuild: what a report covers when no period is asked for."""
    latest = get_latest_fact_month(uow.session)
    return str((latest or today).year)
