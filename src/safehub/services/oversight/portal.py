"""The oversight body's portal: measures by area with status against target and who answers
for each, a league table per measure, an area's trends, the disparities of the latest build, and
the register of every query the oversight body runs.

Every count shown passes disclosure control (``safehub.oversight.disclosure``: below 10 is "c",
others rounded to 5; a value resting on a count below 10 is "c" too). Every call is a query of
the oversight body: it is written to the register (``oversight_query_log``, which the body
publishes) as well as to the audit log.

>>> status_for(82.0, target=90.0, direction="higher", near_margin=10.0)
'near'
>>> published_value("percent", 4, 200)
'c'
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from safehub.access import Permission, can
from safehub.db.queries import oversight_portal as q
from safehub.db.queries.oversight_portal import DisparityRow, FactSum, MeasureRow, RegisterRow
from safehub.db.uow import UnitOfWork
from safehub.oversight.disclosure import SUPPRESSED, Published, publish_count, publish_rate
from safehub.services.errors import ForbiddenError, NotFoundError, RefusedError
from safehub.services.oversight.results import status_for

__all__ = [
    "AREA_KINDS",
    "DIMENSIONS",
    "STATUSES",
    "SUPPRESSED",
    "UNIT_MEASURES",
    "AreaTrends",
    "Dashboard",
    "Disparities",
    "DisparityLine",
    "Figure",
    "League",
    "MeasureRow",
    "Period",
    "RegisterRow",
    "Trend",
    "format_value",
    "log_query",
    "published_value",
    "register_csv",
    "status_for",
    "view_area",
    "view_dashboard",
    "view_disparities",
    "view_league",
    "view_register",
]

Value = float | str | None  # a published value: a number, "c", or None (no data)
AREA_KINDS = {"police_force": "Police force area", "local_authority": "Local authority"}
STATUSES = {
    "met": "Met",
    "near": "Near",
    "missed": "Missed",
    "no data": "No data",
    "no target": "No target set",
    SUPPRESSED: "Not published (small numbers)",
}
# The events disparity monitoring compares (``oversight_unit.measure_code``), in words.
UNIT_MEASURES = {
    "referral_decision": "time to a decision on a referral",
    "crime_to_charge": "time from first report to charge (exploitation offences)",
    "crime_nfa": "no further action on exploitation offences",
}
DIMENSIONS = {
    "suspect_ethnicity": "suspect's ethnicity (self-defined, grouped)",
    "victim_ethnicity": "victim's ethnicity (self-defined, grouped)",
    "victim_sex": "victim's sex",
    "victim_age_band": "victim's age band",
    "in_care": "whether the child was in care",
    "area": "area",
}
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
PERIOD_HELP = "Enter the period as a year, like 2025, or a month, like 2025-03"


@dataclass(frozen=True, slots=True)
class Period:
    label: str  # "2025" or "2025-03"
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class Figure:
    """One measure in one area (or one month), as it may be published."""

    measure_code: str
    area_kind: str
    area_code: str
    area_name: str
    month: date | None
    value: Value
    n: Published | None  # the count the value rests on, published
    status: str


@dataclass(frozen=True, slots=True)
class Dashboard:
    period: Period
    measures: list[MeasureRow]
    areas: list[tuple[str, str, str]]  # (kind, code, name)
    figures: dict[tuple[str, str, str], Figure]  # (measure, area kind, area code)


@dataclass(frozen=True, slots=True)
class LeagueRow:
    rank: int | None  # None when the value is not published or there is none
    figure: Figure


@dataclass(frozen=True, slots=True)
class League:
    period: Period
    measure: MeasureRow | None  # None when no measure is defined yet
    measures: list[MeasureRow]
    rows: list[LeagueRow]


@dataclass(frozen=True, slots=True)
class Trend:
    measure: MeasureRow
    overall: Figure
    months: list[Figure]


@dataclass(frozen=True, slots=True)
class AreaTrends:
    period: Period
    area_kind: str
    area_code: str
    area_name: str
    trends: list[Trend]


@dataclass(frozen=True, slots=True)
class DisparityLine:
    measure_code: str
    dimension: str
    group: str
    n: Published
    value: Value
    ci_low: Value
    ci_high: Value
    p_value: float | None
    flagged: bool


@dataclass(frozen=True, slots=True)
class Statement:
    """What one comparison found, in plain words."""

    measure_code: str
    dimension: str
    significant: bool
    text: str


@dataclass(frozen=True, slots=True)
class Disparities:
    period: str | None
    lines: list[DisparityLine]
    statements: list[Statement]


def published_value(unit: str, numerator: float | None, denominator: float | None) -> Value:
    """A fact's value as it may be published (see ``docs``: percent, median days, count)."""
    if numerator is None:
        return None
    if unit == "percent":
        rate = publish_rate(numerator, denominator)
        return round(rate, 1) if isinstance(rate, float) else rate
    if unit == "days":
        if not denominator:
            return None
        return SUPPRESSED if denominator < 10 else round(numerator, 1)
    if denominator is None:
        return publish_count(numerator)
    if not denominator:
        return None
    # A count per worker: both counts must be publishable.
    return SUPPRESSED if numerator < 10 or denominator < 10 else round(numerator / denominator, 1)


def format_value(value: Value, unit: str) -> str:
    if value is None:
        return "No data"
    if isinstance(value, str):
        return value
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "days":
        return f"{value:.1f} days"
    return f"{value:g}"


def parse_period(text: str | None, latest: date | None) -> Period:
    """A year ("2025") or a month ("2025-03"); by default the year of the latest facts."""
    if not text:
        year = (latest or date.today()).year
        return Period(str(year), date(year, 1, 1), date(year, 12, 1))
    match = _PERIOD.match(text.strip())
    month = int(match.group(2)) if match and match.group(2) else None
    # Year 0 has four digits but no calendar date: refused, not a crash (found by fuzzing).
    if match is None or int(match.group(1)) < 1 or (month is not None and not 1 <= month <= 12):
        raise RefusedError({"period": PERIOD_HELP})
    year = int(match.group(1))
    if month is None:
        return Period(str(year), date(year, 1, 1), date(year, 12, 1))
    return Period(f"{year}-{month:02d}", date(year, month, 1), date(year, month, 1))


def _figure(measure: MeasureRow, fact: FactSum) -> Figure:
    value = published_value(measure.unit, fact.numerator, fact.denominator)
    base = fact.denominator if fact.denominator is not None else fact.numerator
    return Figure(
        measure.code,
        fact.area_kind,
        fact.area_code,
        fact.area_name,
        fact.period,
        value,
        publish_count(base),
        status_for(
            value,
            target=measure.target,
            direction=measure.direction,
            near_margin=measure.near_margin,
        ),
    )


def _sums(uow: UnitOfWork, measures: dict[str, MeasureRow], period: Period) -> list[FactSum]:
    """The facts of the period summed per measure and area, for the measures given."""
    return [
        f.of_unit(measures[f.measure_code].unit)
        for f in q.sum_facts_by_area(uow.session, start=period.start, end=period.end)
        if f.measure_code in measures
    ]


def _allowed(uow: UnitOfWork) -> None:
    if not can(uow.actor, Permission.VIEW_OVERSIGHT):
        raise ForbiddenError("the oversight portal is for the oversight body and managers")


def log_query(uow: UnitOfWork, *, query: str, parameters: dict[str, Any], rows: int) -> None:
    """Write one query of the oversight body to its register, and to the audit log."""
    if uow.actor.user_id is not None:
        q.insert_query_log(
            uow.session, user_id=uow.actor.user_id, query=query, parameters=parameters, rows=rows
        )
    uow.audit(
        "oversight_query",
        "oversight_query_log",
        [query],
        purpose="independent oversight",
        detail={"parameters": parameters, "rows": rows},
    )


def view_dashboard(uow: UnitOfWork, *, period: str | None = None) -> Dashboard:
    """Every measure in every area over the period, with status against target."""
    _allowed(uow)
    chosen = parse_period(period, q.get_latest_period(uow.session))
    measures = q.list_measures(uow.session)
    by_code = {m.code: m for m in measures}
    figures = {
        (f.measure_code, f.area_kind, f.area_code): _figure(by_code[f.measure_code], f)
        for f in _sums(uow, by_code, chosen)
    }
    areas = sorted({(f.area_kind, f.area_code, f.area_name) for f in figures.values()})
    log_query(uow, query="dashboard", parameters={"period": chosen.label}, rows=len(figures))
    return Dashboard(chosen, measures, areas, figures)


def view_league(uow: UnitOfWork, *, measure: str | None, period: str | None = None) -> League:
    """Areas ranked on one measure, best first (by the measure's direction); areas whose value
    is not published come last, unranked."""
    _allowed(uow)
    chosen = parse_period(period, q.get_latest_period(uow.session))
    measures = q.list_measures(uow.session)
    picked = next((m for m in measures if m.code == measure), None)
    if measure and picked is None:
        raise RefusedError({"measure": "Choose a measure from the list"})
    picked = picked or (measures[0] if measures else None)
    if picked is None:  # no measure defined yet: nothing to rank
        log_query(uow, query="league_table", parameters={"period": chosen.label}, rows=0)
        return League(chosen, None, measures, [])
    facts = _sums(uow, {picked.code: picked}, chosen)
    figures = [_figure(picked, f) for f in facts]
    rows = _ranked(figures, higher_is_better=picked.direction == "higher")
    log_query(
        uow,
        query="league_table",
        parameters={"measure": picked.code, "period": chosen.label},
        rows=len(rows),
    )
    return League(chosen, picked, measures, rows)


def _ranked(figures: list[Figure], *, higher_is_better: bool) -> list[LeagueRow]:
    shown = [f for f in figures if isinstance(f.value, float | int)]
    shown.sort(key=lambda f: (-f.value if higher_is_better else f.value, f.area_name))  # type: ignore[operator]
    rows: list[LeagueRow] = []
    for i, figure in enumerate(shown):
        # Equal values share a rank ("1, 2, 2, 4").
        tied = rows and rows[-1].figure.value == figure.value
        rows.append(LeagueRow(rows[-1].rank if tied else i + 1, figure))
    rest = sorted((f for f in figures if f not in shown), key=lambda f: f.area_name)
    return rows + [LeagueRow(None, f) for f in rest]


def view_area(
    uow: UnitOfWork, *, area_kind: str, area_code: str, period: str | None = None
) -> AreaTrends:
    """One area's measures month by month over the period (a year by default)."""
    _allowed(uow)
    name = q.get_area_name(uow.session, area_kind=area_kind, area_code=area_code)
    if area_kind not in AREA_KINDS or name is None:
        raise NotFoundError("no facts for that area")
    chosen = parse_period(period, q.get_latest_period(uow.session))
    measures = q.list_measures(uow.session)
    units = {m.code: m.unit for m in measures}
    months = [
        f.of_unit(units[f.measure_code])
        for f in q.sum_facts_by_month(
            uow.session,
            area_kind=area_kind,
            area_code=area_code,
            start=chosen.start,
            end=chosen.end,
        )
        if f.measure_code in units
    ]
    overall = {
        f.measure_code: f
        for f in _sums(uow, {m.code: m for m in measures}, chosen)
        if (f.area_kind, f.area_code) == (area_kind, area_code)
    }
    trends = [
        Trend(
            m,
            _figure(m, overall[m.code]),
            [_figure(m, f) for f in months if f.measure_code == m.code],
        )
        for m in measures
        if m.code in overall
    ]
    log_query(
        uow,
        query="area",
        parameters={"area_kind": area_kind, "area_code": area_code, "period": chosen.label},
        rows=sum(len(t.months) for t in trends),
    )
    return AreaTrends(chosen, area_kind, area_code, name, trends)


def view_disparities(uow: UnitOfWork) -> Disparities:
    """The latest build's disparities, each group's figures published under disclosure control,
    with a plain statement of what is and is not significant for each comparison."""
    _allowed(uow)
    rows = q.list_latest_disparities(uow.session)
    lines = [_disparity_line(r) for r in rows]
    statements = _statements(rows)
    log_query(uow, query="disparities", parameters={}, rows=len(lines))
    return Disparities(rows[0].period if rows else None, lines, statements)


def _disparity_line(row: DisparityRow) -> DisparityLine:
    small = row.n < 10
    return DisparityLine(
        row.measure_code,
        row.dimension,
        row.group_label,
        publish_count(row.n) or SUPPRESSED,
        SUPPRESSED if small and row.value is not None else row.value,
        SUPPRESSED if small and row.ci_low is not None else row.ci_low,
        SUPPRESSED if small and row.ci_high is not None else row.ci_high,
        row.p_value,
        row.flagged,
    )


def _statements(rows: list[DisparityRow]) -> list[Statement]:
    comparisons: dict[tuple[str, str], list[DisparityRow]] = {}
    for row in rows:
        comparisons.setdefault((row.measure_code, row.dimension), []).append(row)
    return [
        _statement(measure, dimension, group) for (measure, dimension), group in comparisons.items()
    ]


def _statement(measure: str, dimension: str, rows: list[DisparityRow]) -> Statement:
    what = UNIT_MEASURES.get(measure, measure.replace("_", " "))
    by = DIMENSIONS.get(dimension, dimension.replace("_", " "))
    p = min((r.p_value for r in rows if r.p_value is not None), default=None)
    flagged = [r.group_label for r in rows if r.flagged]
    test = rows[0].test
    if p is None:
        return Statement(
            measure, dimension, False, f"The {what} was not compared by {by}: too few cases."
        )
    if flagged:
        groups = ", ".join(flagged)
        text = (
            f"The {what} differs by {by} more than chance would explain ({test}; p = {p:.3g}). "
            f"Groups that stand out: {groups}."
        )
        return Statement(measure, dimension, True, text)
    text = f"No significant difference in the {what} by {by} ({test}; p = {p:.3g})."
    return Statement(measure, dimension, False, text)


def view_register(uow: UnitOfWork, *, limit: int | None = 200) -> list[RegisterRow]:
    """The register of the oversight body's queries, newest first. Reading it is a query too."""
    _allowed(uow)
    rows = q.list_query_log(uow.session, limit=limit)
    log_query(uow, query="register", parameters={"limit": limit}, rows=len(rows))
    return rows


REGISTER_COLUMNS = ("at", "who", "query", "parameters", "rows_returned")


def register_csv(uow: UnitOfWork) -> str:
    """The whole register as CSV, for publication."""
    _allowed(uow)
    rows = q.list_query_log(uow.session)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REGISTER_COLUMNS)
    for r in rows:
        params = ";".join(f"{k}={v}" for k, v in sorted(r.parameters.items()))
        writer.writerow([r.at.isoformat(), _cell(r.who), r.query, _cell(params), r.rows_returned])
    log_query(uow, query="register_csv", parameters={}, rows=len(rows))
    return out.getvalue()


def _cell(text: str) -> str:
    # A spreadsheet must not run a cell as a formula (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
