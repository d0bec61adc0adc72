"""The report's shapes: every figure in them is already under disclosure control (a count is
rounded or "c", a value resting on a suppressed count is "c"), so that whatever writes them
cannot leak a small number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from safehub.oversight.disclosure import Published
from safehub.services.oversight.report_figures import Measure, Value


@dataclass(frozen=True)
class AreaResult:
    """One measure in one area (and agency, for a measure by agency) over the period, published."""

    area_kind: str
    area_code: str
    area_name: str
    agency_code: str
    agency_name: str
    value: Value
    count: Published | None  # the events counted, or the count itself
    status: str
    rank: int | None = None


@dataclass(frozen=True)
class TrendPoint:
    month: date
    value: Value
    count: Published | None
    status: str


@dataclass(frozen=True)
class MeasureReport:
    measure: Measure
    national: AreaResult
    # Best first by the measure's direction; unpublished and missing values last, unranked.
    areas: tuple[AreaResult, ...]
    trend: tuple[TrendPoint, ...]


@dataclass(frozen=True)
class LeagueRow:
    rank: int
    area_kind: str
    area_code: str
    area_name: str
    met: int
    near: int
    missed: int
    other: int  # no data, no target, or not published


@dataclass(frozen=True)
class DisparityRow:
    group: str
    n: Published
    value: Value
    ci_low: Value
    ci_high: Value
    p_value: float | None
    flagged: bool  # the dimension is significant and this group was in its test
    tested: bool
    note: str  # why the group was left out of the test, if it was


@dataclass(frozen=True)
class DisparityFinding:
    """One comparison: a measure across the groups of one dimension, with its plain statement."""

    measure_code: str
    measure_name: str
    dimension: str
    dimension_label: str
    test: str
    p_value: float | None
    significant: bool
    statement: str
    rows: tuple[DisparityRow, ...]
    time: bool  # a time to action (median days; None: more than half still waiting)


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, already under disclosure control."""

    period: str
    period_label: str
    first_month: date
    last_month: date
    built_at: datetime
    measures: tuple[MeasureReport, ...]
    league: dict[str, tuple[LeagueRow, ...]]  # by area kind
    disparities: tuple[DisparityFinding, ...]

    def areas(self) -> list[tuple[str, str, str]]:
        """(kind, code, name) of every area with a figure, by name."""
        seen = {(r.area_kind, r.area_code, r.area_name) for m in self.measures for r in m.areas}
        return sorted(seen, key=lambda a: (a[2], a[1]))


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    pdf: Path
    measures_csv: Path
    disparities_csv: Path
    area_pages: tuple[Path, ...]
    charts: bool  # False when Node.js was not found and the charts were left out
