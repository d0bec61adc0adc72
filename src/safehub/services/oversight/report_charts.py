"""The report's charts as Vega-Lite specs (a trend per measure, areas' bars per measure, each
disparity's intervals), rendered to SVG at build time by Node.

SVG, not a script: the HTML report must work offline as a single file, and WeasyPrint runs no
JavaScript. Every chart is printed with its table (the accessible form of the same figures), so
without Node the report still builds, with tables only, and says the charts were left out.
Only published (disclosure-controlled) values reach a chart: a "c" is simply not drawn.
"""

from __future__ import annotations

import json
import shutil
import subprocess  # nosec B404: runs node on our own script, arguments fixed, no shell
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safehub.services.oversight.report_figures import GROUP_WORDS
from safehub.services.oversight.report_model import DisparityFinding, MeasureReport

SCRIPT = Path(__file__).with_name("render_charts.cjs")
# The vega builds the web app serves (scripts/install-assets.sh copies them from node_modules).
VENDOR = Path(__file__).resolve().parents[2] / "http" / "static" / "vendor"
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
WIDTH = 520
# GOV.UK colours: met green, near orange, missed red, anything else mid grey.
STATUS_COLOURS = {"met": "#00703c", "near": "#f47738", "missed": "#d4351c", "no target": "#505a5f"}
FONT = {"font": "Arial, Liberation Sans, Helvetica, sans-serif"}


@dataclass(frozen=True)
class Charts:
    svg: dict[str, str]  # chart id -> SVG
    specs: dict[str, dict[str, Any]]
    left_out: str | None  # why the charts were left out, in words, or None


def chart_specs(
    measures: tuple[MeasureReport, ...], findings: tuple[DisparityFinding, ...]
) -> dict[str, dict[str, Any]]:
    """Chart id -> Vega-Lite spec; a chart with nothing published to draw is not made."""
    specs: dict[str, dict[str, Any]] = {}
    for report in measures:
        code = report.measure.code
        specs[f"trend-{code}"] = trend_spec(report)
        specs[f"areas-{code}"] = areas_spec(report)
    for i, finding in enumerate(findings):
        specs[f"disparity-{i}"] = disparity_spec(finding)
    return {k: v for k, v in specs.items() if v["data"]["values"]}


def trend_spec(report: MeasureReport) -> dict[str, Any]:
    values = [
        {"month": p.month.isoformat(), "value": p.value} for p in report.trend if _number(p.value)
    ]
    line: dict[str, Any] = {
        "mark": {"type": "line", "point": True, "color": "#1d70b8"},
        "encoding": {
            "x": {"field": "month", "type": "temporal", "timeUnit": "yearmonth", "title": None},
            "y": {"field": "value", "type": "quantitative", "title": _axis(report)},
        },
    }
    return _spec(values, [line, *_target(report)], height=180)


def areas_spec(report: MeasureReport) -> dict[str, Any]:
    values = [
        {"area": _area_label(r.area_name, r.agency_name), "value": r.value, "status": r.status}
        for r in report.areas
        if _number(r.value)
    ]
    bars: dict[str, Any] = {
        "mark": "bar",
        "encoding": {
            "y": {"field": "area", "type": "nominal", "sort": None, "title": None},
            "x": {"field": "value", "type": "quantitative", "title": _axis(report)},
            "color": {
                "field": "status",
                "type": "nominal",
                "title": "Status",
                "scale": {
                    "domain": list(STATUS_COLOURS),
                    "range": list(STATUS_COLOURS.values()),
                },
            },
        },
    }
    rule = [{**layer, "encoding": {"x": layer["encoding"]["y"]}} for layer in _target(report)]
    return _spec(values, [bars, *rule], height=max(60, 16 * len(values)))


def disparity_spec(finding: DisparityFinding) -> dict[str, Any]:
    values = [
        {
            "group": GROUP_WORDS.get(r.group, r.group),
            "value": r.value,
            "low": r.ci_low,
            "high": r.ci_high,
        }
        for r in finding.rows
        if _number(r.value) and _number(r.ci_low) and _number(r.ci_high)
    ]
    y: dict[str, Any] = {"field": "group", "type": "nominal", "sort": None, "title": None}
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "rule", "color": "#505a5f"},
            "encoding": {
                "y": y,
                "x": {"field": "low", "type": "quantitative", "title": "Value (95% interval)"},
                "x2": {"field": "high"},
            },
        },
        {
            "mark": {"type": "point", "filled": True, "color": "#1d70b8", "size": 60},
            "encoding": {"y": y, "x": {"field": "value", "type": "quantitative"}},
        },
    ]
    return _spec(values, layers, height=max(60, 22 * len(values)))


def render_charts(specs: dict[str, dict[str, Any]]) -> Charts:
    """Each spec as SVG, by Node; without Node (or the vega builds) none, with the reason."""
    node = shutil.which("node")
    if node is None:
        return Charts({}, specs, "Node.js was not found on this machine")
    if not (VENDOR / "vega.min.js").exists() or not (VENDOR / "vega-lite.min.js").exists():
        return Charts({}, specs, "the Vega builds were not installed (run make setup)")
    if not specs:
        return Charts({}, specs, None)
    payload = json.dumps({"vendor": str(VENDOR), "specs": list(specs.values())})
    done = subprocess.run(  # nosec B603: our script, our JSON on stdin
        [node, str(SCRIPT)], input=payload, capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        return Charts({}, specs, f"Node.js could not draw them ({done.stderr.strip()[:200]})")
    return Charts(dict(zip(specs, json.loads(done.stdout), strict=True)), specs, None)


def _spec(
    values: list[dict[str, Any]], layers: list[dict[str, Any]], height: int
) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "width": WIDTH,
        "height": height,
        "data": {"values": values},
        "layer": layers,
        "config": {
            "axis": {**FONT, "labelFont": FONT["font"], "titleFont": FONT["font"]},
            "legend": {"labelFont": FONT["font"], "titleFont": FONT["font"]},
        },
    }


def _target(report: MeasureReport) -> list[dict[str, Any]]:
    target = report.measure.target
    if target is None:
        return []
    return [
        {
            "data": {"values": [{"target": target}]},
            "mark": {"type": "rule", "color": "#0b0c0c", "strokeDash": [6, 4]},
            "encoding": {"y": {"field": "target", "type": "quantitative"}},
        }
    ]


def _axis(report: MeasureReport) -> str:
    unit = report.measure.unit
    if unit == "percent":
        return "Percent"
    if unit == "days":
        return "Days (median)"
    return "Per worker" if report.measure.per else "Count"


def _area_label(area: str, agency: str) -> str:
    return f"{agency} ({area})" if agency else area


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
