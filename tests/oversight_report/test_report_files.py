"""The report's files: the CSV contract, no count below 10 anywhere, the PDF printed from the same
templates with the same headings, charts as SVG each with its table, area pages, progress."""

from __future__ import annotations

import csv
import re
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from safehub.services.oversight.report import ReportData, ReportFiles, write_report
from tests.browser.conftest import assert_accessible
from tests.oversight_report.conftest import WY

Written = tuple[ReportFiles, list[Any]]


class _Tables(HTMLParser):
    """Every table of a page (caption, header cells, rows of cell text), every heading, and
    whether each figure is followed by a table."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, Any]] = []
        self.headings: list[str] = []
        self.after_figure: list[str] = []
        self._text: list[str] | None = None
        self._figure_closed = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append({"caption": "", "headers": [], "rows": []})
        if tag == "tr":
            self.tables[-1]["rows"].append([])
        if tag in ("td", "th", "caption", "h1", "h2", "h3"):
            self._text = []
        if self._figure_closed and tag in ("table", "figure", "h2", "h3", "p"):
            self.after_figure.append(tag)
            self._figure_closed = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self._figure_closed = True
        if self._text is None or tag not in ("td", "th", "caption", "h1", "h2", "h3"):
            return
        text = " ".join("".join(self._text).split())
        self._text = None
        if tag in ("h1", "h2", "h3"):
            self.headings.append(text)
        elif tag == "caption":
            self.tables[-1]["caption"] = text
        elif len(self.tables[-1]["rows"]) == 1 and not self.tables[-1]["rows"][0]:
            self.tables[-1]["headers"].append(text)
        else:
            self.tables[-1]["rows"][-1].append(text)

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def _parse(path: Path) -> _Tables:
    parser = _Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _publishable(cell: str) -> bool:
    """A published count: "c", nothing, or a multiple of 5 of at least 10."""
    if cell in ("", "c", "No data"):
        return True
    n = int(cell.replace(",", ""))
    return n >= 10 and n % 5 == 0


def test_the_csv_files_have_the_contracts_columns_exactly(written: Written) -> None:
    files, _ = written
    with files.measures_csv.open(encoding="utf-8") as handle:
        assert handle.readline().strip() == "measure,area,period,value,target,status"
    with files.disparities_csv.open(encoding="utf-8") as handle:
        assert (
            handle.readline().strip()
            == "measure,dimension,group,n,value,ci_low,ci_high,p_value,flagged"
        )


def test_measures_csv_has_a_row_per_measure_and_area_or_agency(written: Written) -> None:
    files, _ = written
    rows = {(r["measure"], r["area"]): r for r in _csv(files.measures_csv)}
    assert rows[("charge_rate_cse", WY)] == {
        "measure": "charge_rate_cse",
        "area": WY,
        "period": "2026",
        "value": "70.0",
        "target": "30",
        "status": "met",
    }
    assert rows[("charge_rate_cse", "national")]["value"] == "51.9"
    assert rows[("suspect_ethnicity_recorded", f"{WY}/POL-WY")]["status"] == "missed"
    assert rows[("caseload_per_worker", f"{WY}/POL-WY")]["value"] == "c"


def test_no_count_below_10_appears_in_either_csv(written: Written) -> None:
    files, _ = written
    counts = [
        r["value"] for r in _csv(files.measures_csv) if r["measure"] == "victim_treated_as_offender"
    ]
    assert counts and all(_publishable(v) for v in counts)
    sizes = [r["n"] for r in _csv(files.disparities_csv)]
    assert sizes and all(_publishable(n) for n in sizes)
    # A group withheld for its size takes its value and interval with it.
    for row in _csv(files.disparities_csv):
        if row["n"] == "c":
            assert (row["value"], row["ci_low"], row["ci_high"]) == ("c", "c", "c")


def test_no_count_below_10_appears_in_any_page(written: Written) -> None:
    files, _ = written
    checked = 0
    for path in (files.html, *files.area_pages):
        for table in _parse(path).tables:
            columns = [
                i
                for i, h in enumerate(table["headers"])
                if h in ("Counted", "Cases")
                or (h == "Value" and table["caption"].startswith("Children treated as offenders"))
            ]
            for row in filter(None, table["rows"]):
                for i in columns:
                    assert _publishable(row[i]), f"{path.name}: {table['caption']}: {row}"
                    checked += 1
                if row[0] == "Children treated as offenders":  # the summary's, an area page's
                    counts = [c for c in row[1:] if re.fullmatch(r"[\d,]+|c", c)]
                    assert counts and all(_publishable(c) for c in counts), row
                    checked += 1
    assert checked > 20


def test_the_pdf_renders_pages_holding_the_pages_headings(written: Written) -> None:
    files, _ = written
    data = files.pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    # WeasyPrint compresses its objects: read the streams to count pages and outline entries.
    streams = b"\n".join(
        _inflate(m.group(1)) for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S)
    )
    pages = len(re.findall(rb"/Type\s*/Page\b", streams))
    assert pages > 3
    # Outline entries (they have a parent), not the document's own title.
    titles = [
        _pdf_string(m.group(1))
        for m in re.finditer(
            rb"<<[^<>]*?/Title\s*(\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f]+>)[^<>]*>>", streams
        )
        if b"/Parent" in m.group(0)
    ]
    assert sorted(titles) == sorted(_parse(files.html).headings)


def _inflate(raw: bytes) -> bytes:
    try:
        return zlib.decompress(raw)
    except zlib.error:
        return b""


def _pdf_string(token: bytes) -> str:
    if token.startswith(b"<"):
        return bytes.fromhex(token[1:-1].decode()).decode("utf-16")
    return re.sub(rb"\\(.)", rb"\1", token[1:-1]).decode("latin-1")


def test_each_chart_is_svg_printed_with_its_table_and_no_script(written: Written) -> None:
    files, _ = written
    html = files.html.read_text(encoding="utf-8")
    assert files.charts
    assert html.count("<svg") >= 10
    assert "<script" not in html and 'src="http' not in html
    parsed = _parse(files.html)
    assert parsed.after_figure and set(parsed.after_figure) == {"table"}


def test_without_node_the_report_says_its_charts_were_left_out(
    year_data: ReportData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no node on it
    files = write_report(year_data, tmp_path / "out")
    html = files.html.read_text(encoding="utf-8")
    assert not files.charts
    assert "Charts were left out of this edition because Node.js was not found" in html
    assert "<svg" not in html
    assert files.pdf.read_bytes().startswith(b"%PDF-")
    assert "Charge rate for exploitation offences by area, 2026" in html  # the tables stay


def test_every_area_has_a_page_beside_the_national_figure(written: Written) -> None:
    files, _ = written
    names = sorted(p.name for p in files.area_pages)
    assert names == sorted(
        f"{code}.html"
        for code in ("E23000010", "E23000011", "E23000005", "E23000012", "E08000032", "E08000035")
    )
    west = _parse(files.html.parent / "areas" / f"{WY}.html")
    assert west.headings[0] == "West Yorkshire: independent oversight report, 2026"
    rows = {r[0]: r for r in west.tables[0]["rows"] if r}
    assert rows["Charge rate for exploitation offences"][2] == "70.0%"
    assert rows["Charge rate for exploitation offences"][6] == "51.9%"  # national
    assert rows["Suspect ethnicity recorded"][1] == "West Yorkshire Police"
    assert 'href="../report.html"' in (files.html.parent / "areas" / f"{WY}.html").read_text()


def test_the_report_holds_its_sections_and_the_league_table(written: Written) -> None:
    files, _ = written
    parsed = _parse(files.html)
    for heading in (
        "Summary",
        "Measures against their targets",
        "League table",
        "Disparities",
        "Data completeness",
        "Method",
    ):
        assert heading in parsed.headings
    league = next(t for t in parsed.tables if t["caption"] == "League table: local authorities")
    assert [r[:3] for r in league["rows"][1:]] == [["1", "Leeds", "1"], ["2", "Bradford", "0"]]
    html = files.html.read_text(encoding="utf-8")
    assert "10-5 rule" in html and "secondary suppression" in html.lower()


def test_progress_is_told_every_stage(written: Written) -> None:
    files, told = written
    assert [s for s, _, _ in told if s != "areas"] == [
        "charts",
        "charts",
        "html",
        "pdf",
        "pdf",
        "csv",
    ]
    areas = [(d, t) for s, d, t in told if s == "areas"]
    assert areas[-1] == (len(files.area_pages), len(files.area_pages))


@pytest.mark.browser
def test_the_report_and_an_area_page_have_no_accessibility_finding(
    written: Written, page: Page
) -> None:
    files, _ = written
    for path in (files.html, files.area_pages[0]):
        page.goto(path.as_uri())
        assert_accessible(page)
