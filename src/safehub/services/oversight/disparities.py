"""Disparity monitoring of one period: units in, comparisons out, as the system.

``build_disparities`` reads the period's pseudonymous units (which only the system context may
read: row-level security on ``oversight_unit``), compares every measure across every dimension
with the engine (``safehub.oversight.disparity``: intervals, tests stratified by area, all p
values corrected together), and replaces the period's rows of ``oversight_disparity`` in the
caller's transaction, with one audit entry that counts what it read and wrote. The caller
commits: the old rows go only if the new ones are written.

>>> DisparityRequest("2026-13").problems()
{'period': 'Enter the period as a year (2026) or a year and month (2026-03)'}
>>> DisparityRequest("2026", correction="bonferroni").problems()
{'correction': 'Choose the correction: holm or bh (Benjamini-Hochberg)'}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from safehub.db.queries import oversight_disparity as q
from safehub.db.queries.oversight_disparity import DisparityValues, UnitRow
from safehub.db.uow import UnitOfWork
from safehub.oversight.disparity import (
    DisparityBuild,
    DisparityRow,
    Unit,
    compare_groups,
    describe,
)
from safehub.oversight.statistics import CORRECTION_NAMES, Correction
from safehub.services.errors import ForbiddenError, RefusedError

PURPOSE = "independent oversight: monitoring disparities in how cases are pursued"
PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2]))?$")
CORRECTIONS: tuple[Correction, ...] = ("holm", "bh")


@dataclass(frozen=True, slots=True)
class DisparityRequest:
    """Which period to build ("YYYY" or "YYYY-MM"), the correction and the significance level."""

    period: str
    correction: str = "holm"
    alpha: float = 0.05

    def problems(self) -> dict[str, str]:
        found = {}
        if not PERIOD.match(self.period):
            found["period"] = "Enter the period as a year (2026) or a year and month (2026-03)"
        if self.correction not in CORRECTIONS:
            found["correction"] = "Choose the correction: holm or bh (Benjamini-Hochberg)"
        if not 0 < self.alpha < 1:
            found["alpha"] = "Enter the significance level as a number between 0 and 1, e.g. 0.05"
        return found

    def months(self) -> tuple[date, date]:
        """The first month of the period and the first month after it."""
        match = PERIOD.match(self.period)
        assert match is not None  # checked by problems()
        year, month = int(match[1]), match[2]
        if month is None:
            return date(year, 1, 1), date(year + 1, 1, 1)
        start = date(year, int(month), 1)
        return start, date(year + (start.month == 12), start.month % 12 + 1, 1)


def build_disparities(uow: UnitOfWork, *, request: DisparityRequest) -> DisparityBuild:
    """Compare the period's units and replace its disparities (the caller commits).

    Only a system actor (the CLI, a job) may: the units are readable in the system context only,
    and no page or API call should be able to widen that."""
    if not uow.actor.is_system:
        raise ForbiddenError("disparity monitoring is built by the system, not by a user")
    problems = request.problems()
    if problems:
        raise RefusedError(problems)
    start, end = request.months()
    units = [_unit(row) for row in q.list_units(uow.session, start=start, end=end)]
    correction: Correction = "bh" if request.correction == "bh" else "holm"
    build = compare_groups(units, correction=correction, alpha=request.alpha)
    removed = q.delete_disparities(uow.session, period=request.period)
    written = q.insert_disparities(
        uow.session, period=request.period, rows=[_values(r) for r in build.rows]
    )
    uow.mark_changed()
    uow.audit(
        "combination",
        "oversight_disparity",
        [request.period],
        purpose=PURPOSE,
        detail={
            "units_read": len(units),
            "rows_removed": removed,
            "rows_written": written,
            "comparisons": build.comparisons,
            "flagged": len(build.flagged()),
            "correction": correction,
            "alpha": request.alpha,
        },
    )
    return build


@dataclass(frozen=True, slots=True)
class StoredDisparities:
    """A period's stored disparities and the statement they support."""

    period: str
    rows: list[DisparityRow]
    statement: str


def read_disparities(uow: UnitOfWork, *, period: str, alpha: float = 0.05) -> StoredDisparities:
    """The disparities last built for ``period``, with their statement said again from the rows
    (for the report and the oversight pages). Aggregates of no one: nothing personal is read, so
    nothing is logged as a consultation (the portal's query register records its own reads)."""
    rows = [_row(v) for v in q.list_disparities(uow.session, period=period)]
    bh = any(CORRECTION_NAMES["bh"] in r.test for r in rows)
    statement = describe(rows, correction="bh" if bh else "holm", alpha=alpha)
    return StoredDisparities(period, rows, statement)


def _row(v: DisparityValues) -> DisparityRow:
    return DisparityRow(
        v.measure_code,
        v.dimension,
        v.group_label,
        v.n,
        v.value,
        v.ci_low,
        v.ci_high,
        v.p_value,
        v.flagged,
        v.test,
    )


def _unit(row: UnitRow) -> Unit:
    return Unit(
        measure=row.measure_code,
        area=row.area_code,
        period=row.period.strftime("%Y-%m"),
        suspect_ethnicity=row.suspect_ethnicity,
        victim_ethnicity=row.victim_ethnicity,
        victim_sex=row.victim_sex,
        victim_age_band=row.victim_age_band,
        in_care=row.in_care,
        days=row.days,
        event=row.event,
    )


def _values(row: DisparityRow) -> DisparityValues:
    return DisparityValues(
        measure_code=row.measure,
        dimension=row.dimension,
        group_label=row.group,
        n=row.n,
        value=row.value,
        ci_low=row.ci_low,
        ci_high=row.ci_high,
        p_value=row.p_value,
        flagged=row.flagged,
        test=row.test,
    )
