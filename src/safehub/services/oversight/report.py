"""The published oversight report: the strategy's measures against their targets, with who answers
for each, by area and nationally; trends; a league table of areas; disparities with a plain
statement of what is and is not significant; data completeness by agency; and the method.

``build_report_data`` reads the aggregates (measures, facts, disparities) for a period and applies
disclosure control before keeping anything; ``write_report`` writes them as ``report.html``,
``report.pdf`` (the same templates, printed by WeasyPrint), ``measures.csv``, ``disparities.csv``
and one page per area. Aggregates only: nothing identifiable is consulted, so nothing is audited
here (the oversight body's own queries are logged by the portal).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from safehub.db.queries.oversight_report import (
    list_latest_disparities,
    list_measures,
    sum_facts_by_area,
    sum_facts_by_month,
)
from safehub.db.uow import UnitOfWork
from safehub.oversight.disclosure import SUPPRESSED, Published
from safehub.services.errors import RefusedError
from safehub.services.oversight.report_figures import (
    KINDS,
    MET,
    MISSED,
    NATIONAL,
    NEAR,
    Measure,
    Sums,
    Value,
    counted,
    kinds_in_order,
    month_range,
    months_back,
    protect,
    published_status,
    published_value,
    ranked,
    sums_of,
)
from safehub.services.oversight.report_model import (
    AreaResult,
    DisparityFinding,
    DisparityRow,
    LeagueRow,
    MeasureReport,
    ReportData,
    ReportFiles,
    TrendPoint,
)

__all__ = [
    "AreaResult",
    "DisparityFinding",
    "DisparityRow",
    "LeagueRow",
    "MeasureReport",
    "ReportData",
    "ReportFiles",
    "TrendPoint",
    "build_report_data",
    "write_report",
]

Progress = Callable[[str, int, int], None]
TREND_MONTHS = 12


def build_report_data(uow: UnitOfWork, *, period: str) -> ReportData:
    """The report's figures for ``period`` ("YYYY" or "YYYY-MM"), disclosure-controlled.

    A year sums its months: a percent is sum(numerators) / sum(denominators), never a mean of
    monthly percents; a median-days measure is the months' medians weighted by their events.
    """
    months = month_range(period)
    if months is None:
        raise RefusedError({"period": "Enter the period as a year (2026) or a month (2026-03)"})
    first, last = months
    measures = [_measure(row) for row in list_measures(uow.session)]
    by_area = _group(sum_facts_by_area(uow.session, first=first, last=last))
    trend_months = months_back(last, TREND_MONTHS)
    by_month = _group(sum_facts_by_month(uow.session, first=trend_months[0], last=last))
    reports = tuple(
        _measure_report(m, by_area.get(m.code, []), by_month.get(m.code, []), trend_months)
        for m in measures
    )
    names = {m.code: m.name for m in measures}
    return ReportData(
        period=period,
        period_label=_period_label(first, last),
        first_month=first,
        last_month=last,
        built_at=datetime.now(UTC),
        measures=reports,
        league=_league(reports),
        disparities=_findings(list_latest_disparities(uow.session, period=period), names),
    )


def write_report(data: ReportData, out: Path, *, progress: Progress | None = None) -> ReportFiles:
    """Write the report's files into ``out`` (created if need be); ``progress(stage, done,
    total)`` is told as each stage goes by."""
    from safehub.services.oversight.report_output import write_files

    return write_files(data, out, progress=progress or (lambda _s, _d, _t: None))


def _measure(row: Any) -> Measure:
    return Measure(
        code=row.code,
        name=row.name,
        definition=row.definition,
        numerator=row.numerator,
        denominator=row.denominator,
        counts=row.counts,
        direction=row.direction,
        unit=row.unit,
        target=row.target,
        near_margin=float(row.near_margin or 0.0),
        owner=row.owner,
        by=row.by,
        per=row.unit == "count" and row.denominator is not None,
    )


def _group(rows: list[Any]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.measure_code].append(row)
    return grouped


def _period_label(first: date, last: date) -> str:
    return str(first.year) if first != last else first.strftime("%B %Y")


def _measure_report(
    measure: Measure, area_rows: list[Any], month_rows: list[Any], months: list[date]
) -> MeasureReport:
    if measure.unit == "count" and (area_rows or month_rows):
        # A count per worker is told by its facts carrying a denominator, whatever the words say.
        per = any(r.denominator is not None for r in (*area_rows, *month_rows))
        measure = replace(measure, per=per)
    # Every event is counted in the one area of the agency that holds it (a police force area
    # or a local authority, by the area's code), so the areas of every kind add up to the
    # country: they are protected as one list whose total is the national figure.
    series = protect({_key(r): counted(measure, sums_of(r)) for r in area_rows})
    total = sum((sums_of(r) for r in area_rows), Sums())
    published = series.total if area_rows else None
    national = _result(measure, "", NATIONAL, "National", "", "", total, published)
    results: list[AreaResult] = []
    for kind in kinds_in_order({r.area_kind for r in area_rows}):
        rows = [r for r in area_rows if r.area_kind == kind]
        results += _rank(measure, [_area_result(measure, r, series.cells[_key(r)]) for r in rows])
    trend = _trend(measure, month_rows, months)
    return MeasureReport(measure, national, tuple(results), trend)


def _area_result(measure: Measure, row: Any, cell: Published) -> AreaResult:
    return _result(
        measure,
        row.area_kind,
        row.area_code,
        row.area_name,
        row.agency_code,
        row.agency_name,
        sums_of(row),
        cell,
    )


def _key(row: Any) -> str:
    return f"{row.area_code}/{row.agency_code}"


def _result(
    measure: Measure,
    kind: str,
    code: str,
    name: str,
    agency: str,
    agency_name: str,
    sums: Sums,
    cell: Published | None,
) -> AreaResult:
    value = published_value(measure, sums, cell)
    status = published_status(measure, sums, value)
    return AreaResult(kind, code, name, agency, agency_name, value, cell, status)


def _rank(measure: Measure, results: list[AreaResult]) -> list[AreaResult]:
    shown = [r for r in results if isinstance(r.value, int | float)]
    rest = sorted(
        (r for r in results if r not in shown), key=lambda r: (r.area_name, r.agency_code)
    )
    sign = -1 if measure.direction == "higher" else 1
    shown.sort(key=lambda r: (sign * float(r.value or 0), r.area_name))  # type: ignore[arg-type]
    return [replace(r, rank=rank) for rank, r in ranked(shown, key=lambda r: r.value)] + rest


def _trend(measure: Measure, rows: list[Any], months: list[date]) -> tuple[TrendPoint, ...]:
    # Months without facts are "no data", not zero counts: they take no part in suppression.
    by_month = {r.period: sums_of(r) for r in rows}
    series = protect({m.isoformat(): counted(measure, s) for m, s in by_month.items()})
    points = []
    for month in months:
        sums = by_month.get(month)
        if sums is None:
            points.append(TrendPoint(month, None, None, published_status(measure, Sums(), None)))
            continue
        cell = series.cells[month.isoformat()]
        value = published_value(measure, sums, cell)
        points.append(TrendPoint(month, value, cell, published_status(measure, sums, value)))
    return tuple(points)


def _league(reports: tuple[MeasureReport, ...]) -> dict[str, tuple[LeagueRow, ...]]:
    """Areas ranked by measures met, then near, then fewest missed: by-area measures only (a
    measure by agency compares agencies, not areas)."""
    tally: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for report in reports:
        if report.measure.by != "area":
            continue
        for r in report.areas:
            if r.area_kind in KINDS:  # events whose area is unknown are in no league
                tally[(r.area_kind, r.area_code, r.area_name)][r.status] += 1
    league: dict[str, list[LeagueRow]] = defaultdict(list)
    for (kind, code, name), counts in tally.items():
        other = sum(n for s, n in counts.items() if s not in (MET, NEAR, MISSED))
        league[kind].append(
            LeagueRow(0, kind, code, name, counts[MET], counts[NEAR], counts[MISSED], other)
        )
    return {kind: _ranked_league(rows) for kind, rows in sorted(league.items())}


def _ranked_league(rows: list[LeagueRow]) -> tuple[LeagueRow, ...]:
    def score(r: LeagueRow) -> tuple[int, int, int]:
        return (-r.met, -r.near, r.missed)

    rows.sort(key=lambda r: (*score(r), r.area_name))
    return tuple(replace(r, rank=rank) for rank, r in ranked(rows, key=score))


# Disparities ---------------------------------------------------------------------------------

DIMENSIONS = {
    "suspect_ethnicity": "the suspect's ethnicity (self-defined, grouped)",
    "victim_ethnicity": "the child's ethnicity (self-defined, grouped)",
    "victim_sex": "the child's sex",
    "victim_age_band": "the child's age",
    "in_care": "whether the child is in care",
    "area": "area",
}
TIME_MEASURES = frozenset({"referral_decision", "crime_to_charge"})
UNIT_MEASURES = {
    "referral_decision": "Time to a decision on a referral (working days)",
    "crime_to_charge": "Time from first report of an exploitation offence to charge (days)",
    "crime_nfa": "Exploitation offences ending in no further action (percent)",
}


def _findings(rows: list[Any], names: dict[str, str]) -> tuple[DisparityFinding, ...]:
    grouped: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for row in rows:
        grouped[(row.measure_code, row.dimension)].append(row)
    return tuple(_finding(code, dim, group, names) for (code, dim), group in grouped.items())


def _finding(code: str, dimension: str, rows: list[Any], names: dict[str, str]) -> DisparityFinding:
    series = protect({r.group_label: float(r.n) for r in rows})
    out = tuple(_disparity_row(r, series.cells[r.group_label]) for r in rows)
    name = UNIT_MEASURES.get(code) or names.get(code) or code
    label = DIMENSIONS.get(dimension, dimension.replace("_", " "))
    # The dimension's test is on the rows that took part in it (p value set); the others say
    # why they did not ("Not stated", too few cases).
    tested = [r for r in rows if r.p_value is not None]
    test = tested[0].test if tested else rows[0].test
    p_value = tested[0].p_value if tested else None
    significant = any(r.flagged for r in rows)
    return DisparityFinding(
        code,
        name,
        dimension,
        label,
        test,
        p_value,
        significant,
        _statement(name, label, test, p_value, significant, _extremes(code, out)),
        out,
        code in TIME_MEASURES,
    )


def _disparity_row(r: Any, n: Published) -> DisparityRow:
    def shown(x: float | None) -> Value:
        return SUPPRESSED if n == SUPPRESSED and x is not None else x

    note = "" if r.p_value is not None else r.test
    return DisparityRow(
        r.group_label,
        n,
        shown(r.value),
        shown(r.ci_low),
        shown(r.ci_high),
        r.p_value,
        bool(r.flagged),
        r.p_value is not None,
        note,
    )


def _extremes(code: str, rows: tuple[DisparityRow, ...]) -> str:
    """Which tested groups are furthest apart, from published values only (a withheld value is
    never named with its figure)."""
    shown = [r for r in rows if r.tested and isinstance(r.value, int | float)]
    if len(shown) < 2:
        return ""
    high = max(shown, key=lambda r: float(r.value))  # type: ignore[arg-type]
    low = min(shown, key=lambda r: float(r.value))  # type: ignore[arg-type]
    words = ("longest", "shortest") if code in TIME_MEASURES else ("highest", "lowest")
    return f"{words[0]} {high.group} ({high.value:.1f}), {words[1]} {low.group} ({low.value:.1f})"


def _statement(
    name: str, label: str, test: str, p: float | None, significant: bool, extremes: str
) -> str:
    if p is None:
        return f"{name} by {label}: not tested, because too few cases were counted."
    said = f"{test}; {p_text(p)}"
    if significant:
        return f"{name} differs by {label} more than chance would explain ({said})" + (
            f": {extremes}." if extremes else "."
        )
    return (
        f"{name}: no statistically significant difference by {label} ({said}). This does not "
        "prove there is no difference: small numbers can hide one."
    )


def p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
