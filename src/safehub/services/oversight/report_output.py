"""Writing the report: HTML and PDF from the same Jinja templates (``templates/``), the two CSV
files of the contract, one page per area.

Everything written comes from ``ReportData``, which holds only published figures; the writers
format, they never compute. WeasyPrint is imported when the PDF is written: it is heavy.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from safehub.oversight.disclosure import SUPPRESSED
from safehub.services.oversight.report_charts import Charts, chart_specs, render_charts
from safehub.services.oversight.report_figures import GROUP_WORDS, NATIONAL, Measure, Value
from safehub.services.oversight.report_model import (
    AreaResult,
    MeasureReport,
    ReportData,
    ReportFiles,
)

TEMPLATES = Path(__file__).with_name("templates")
MEASURES_COLUMNS = ["measure", "area", "period", "value", "target", "status"]
DISPARITIES_COLUMNS = [
    "measure",
    "dimension",
    "group",
    "n",
    "value",
    "ci_low",
    "ci_high",
    "p_value",
    "flagged",
]
COMPLETENESS = (
    "suspect_ethnicity_recorded",
    "victim_ethnicity_recorded",
    "suspect_nationality_recorded",
    "victim_nationality_recorded",
)
STATUS_WORDS = {
    "met": "Met",
    "near": "Near",
    "missed": "Missed",
    "no data": "No data",
    "no target": "No target",
    SUPPRESSED: "Withheld (small numbers)",
}
KIND_WORDS = {"police_force": "police forces", "local_authority": "local authorities"}
KIND_WORD = {"police_force": "Police force area", "local_authority": "Local authority"}
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class AreaPage:
    kind: str
    code: str
    name: str
    results: list[tuple[MeasureReport, AreaResult]] = field(default_factory=list)


def write_files(data: ReportData, out: Path, *, progress: Progress) -> ReportFiles:
    out.mkdir(parents=True, exist_ok=True)
    progress("charts", 0, 1)
    charts = render_charts(chart_specs(data.measures, data.disparities))
    progress("charts", 1, 1)
    html = _render("report.html", data=data, charts=charts, area_prefix="", **_extras(data))
    (out / "report.html").write_text(html, encoding="utf-8")
    progress("html", 1, 1)
    pages = _write_areas(data, out / "areas", charts, progress)
    progress("pdf", 0, 1)
    _write_pdf(html, out / "report.pdf", base=out)
    progress("pdf", 1, 1)
    _write_csv(out / "measures.csv", MEASURES_COLUMNS, measure_rows(data))
    _write_csv(out / "disparities.csv", DISPARITIES_COLUMNS, disparity_rows(data))
    progress("csv", 2, 2)
    return ReportFiles(
        html=out / "report.html",
        pdf=out / "report.pdf",
        measures_csv=out / "measures.csv",
        disparities_csv=out / "disparities.csv",
        area_pages=tuple(pages),
        charts=charts.left_out is None,
    )


def measure_rows(data: ReportData) -> list[list[str]]:
    """``measures.csv``: the national row of each measure, then one per area (and agency)."""
    rows = []
    for m in data.measures:
        for r in (m.national, *m.areas):
            area = r.area_code if not r.agency_code else f"{r.area_code}/{r.agency_code}"
            rows.append(
                [
                    m.measure.code,
                    area if r.area_code != NATIONAL else NATIONAL,
                    data.period,
                    csv_value(r.value, m.measure),
                    "" if m.measure.target is None else _plain(m.measure.target),
                    r.status,
                ]
            )
    return rows


def disparity_rows(data: ReportData) -> list[list[str]]:
    return [
        [
            f.measure_code,
            f.dimension,
            r.group,
            str(r.n),
            _number(r.value),
            _number(r.ci_low),
            _number(r.ci_high),
            "" if r.p_value is None else f"{r.p_value:.4g}",
            "true" if r.flagged else "false",
        ]
        for f in data.disparities
        for r in f.rows
    ]


def csv_value(value: Value, measure: Measure) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if measure.unit == "count" and not measure.per:
        return str(int(value))
    return f"{value:.1f}"


def _write_csv(path: Path, columns: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)


def _write_areas(data: ReportData, folder: Path, charts: Charts, progress: Progress) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    pages = _area_pages(data)
    league = {
        (r.area_kind, r.area_code): (r, len(rows)) for rows in data.league.values() for r in rows
    }
    written = []
    for done, page in enumerate(pages, start=1):
        row, size = league.get((page.kind, page.code), (None, 0))
        path = folder / f"{_safe_name(page.code)}.html"
        html = _render(
            "area.html", data=data, charts=charts, area=page, league_row=row, league_size=size
        )
        path.write_text(html, encoding="utf-8")
        written.append(path)
        progress("areas", done, len(pages))
    return written


def _area_pages(data: ReportData) -> list[AreaPage]:
    pages: dict[str, AreaPage] = {}
    for m in data.measures:
        for r in m.areas:
            page = pages.setdefault(r.area_code, AreaPage(r.area_kind, r.area_code, r.area_name))
            page.results.append((m, r))
    return sorted(pages.values(), key=lambda p: (p.name, p.code))


def _safe_name(code: str) -> str:
    # GSS codes are letters and digits; anything else never becomes part of a path.
    return "".join(ch for ch in code if ch.isalnum()) or "unknown"


def _extras(data: ReportData) -> dict[str, Any]:
    tally = Counter(m.national.status for m in data.measures)
    significant = [
        f"{f.measure_name} by {f.dimension_label}" for f in data.disparities if f.significant
    ]
    not_significant = [
        f"{f.measure_name} by {f.dimension_label}" for f in data.disparities if not f.significant
    ]
    tests = list(dict.fromkeys(f.test for f in data.disparities if f.test))
    return {
        "tally": dict(sorted(tally.items(), key=lambda kv: list(STATUS_WORDS).index(kv[0]))),
        "significant": significant,
        "not_significant": not_significant,
        "tests": tests,
        "corrections": tests or ["none"],
        "completeness": _completeness(data),
    }


def _completeness(data: ReportData) -> dict[str, Any]:
    """Agencies × the four recording measures, as one table."""
    found = [m for m in data.measures if m.measure.code in COMPLETENESS]
    rows: dict[str, dict[str, Any]] = {}
    for m in found:
        for r in m.areas:
            row = rows.setdefault(
                r.agency_code or r.area_code,
                {"name": r.agency_name or r.area_name, "area": r.area_name, "figures": {}},
            )
            row["figures"][m.measure.code] = r.value
    return {
        "measures": [m.measure for m in found],
        "rows": sorted(rows.values(), key=lambda r: (r["name"], r["area"])),
    }


def _write_pdf(html: str, path: Path, *, base: Path) -> None:
    import weasyprint
    from weasyprint.urls import URLFetcher

    # The report is self-contained (charts are inline SVG): nothing is ever fetched.
    fetcher = URLFetcher(allowed_protocols=(), fail_on_errors=False)
    weasyprint.HTML(string=html, base_url=str(base), url_fetcher=fetcher).write_pdf(path)


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
    )
    env.filters.update(
        value=format_value,
        count=format_count,
        num=_number,
        status_words=lambda s: STATUS_WORDS.get(s, s),
        month=lambda d: d.strftime("%b %Y") if isinstance(d, date) else str(d),
        kind_words=_kind_words,
        area_file=_safe_name,
        group_words=lambda g: GROUP_WORDS.get(g, g),
    )
    return env


def _render(template: str, **context: Any) -> str:
    return _environment().get_template(template).render(**context)


def format_value(value: Value, measure: Measure) -> str:
    """A published value with its unit, for people: "c" and "No data" as they are."""
    if value is None:
        return "No data"
    if isinstance(value, str):
        return value
    if measure.unit == "percent":
        return f"{value:.1f}%"
    if measure.unit == "days":
        return f"{value:.1f} days"
    return f"{value:.1f}" if measure.per else f"{int(value):,}"


def format_count(count: int | str | None) -> str:
    if count is None:
        return ""
    return count if isinstance(count, str) else f"{count:,}"


def _number(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.3g}"


def _plain(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _kind_words(kind: str, single: bool = False) -> str:
    return (KIND_WORD if single else KIND_WORDS).get(kind, kind.replace("_", " "))
