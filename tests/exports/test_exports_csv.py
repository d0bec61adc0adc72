"""CSV exports: every cell escaped against formula injection, RFC 4180 quoting, a byte order mark;
the purpose allowlist; the PDF's marking. No database: these are the rules on their own."""

from __future__ import annotations

import csv
import doctest
import io
import re
import zlib
from datetime import UTC, datetime
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safehub.services.exports import (
    MARKING,
    PURPOSES,
    ExportTable,
    csv_bytes,
    documents,
    escape_cell,
    purposes,
    redact,
)
from safehub.services.exports.documents import FORMULA_STARTS
from safehub.services.exports.pdf import render_html, render_pdf
from safehub.services.exports.purposes import validate_export
from safehub.services.exports.redact import THIRD_PARTY, Redactor

cells = st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["=1+1", "+44 7700 900123", "-5", "@SUM(A1)", "\t=x", "\r=x", "=cmd|' /C calc'!A0", "", "'=a"]
)


def _parsed(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@settings(deadline=None, max_examples=300)
@given(st.lists(st.lists(cells, min_size=1, max_size=5), min_size=1, max_size=5))
def test_no_cell_of_a_csv_export_starts_with_a_formula_character_unless_prefixed(
    rows: list[list[str]],
) -> None:
    for row_in, row_out in zip(rows, _parsed(csv_bytes(rows)), strict=True):
        for given_cell, cell in zip(row_in, row_out, strict=True):
            assert not cell.startswith(FORMULA_STARTS), cell
            # Nothing else changes: the cell reads back as given, apart from the apostrophe.
            assert cell == (
                f"'{given_cell}" if given_cell.startswith(FORMULA_STARTS) else given_cell
            )


def test_a_cell_that_looks_like_a_formula_gets_a_leading_apostrophe_and_others_do_not() -> None:
    assert [escape_cell(v) for v in ("=A1", "+1", "-1", "@x", "\tx", "\rx")] == [
        "'=A1",
        "'+1",
        "'-1",
        "'@x",
        "'\tx",
        "'\rx",
    ]
    assert [escape_cell(v) for v in ("Aisha", "2025-03-01", " =A1", None, 7)] == [
        "Aisha",
        "2025-03-01",
        " =A1",
        "",
        "7",
    ]


def test_csv_quotes_commas_quotes_and_line_breaks_and_ends_lines_with_crlf() -> None:
    data = csv_bytes([["a,b", 'say "hi"', "two\nlines"], ["x", "y", "z"]])
    assert data == '\ufeff"a,b","say ""hi""","two\nlines"\r\nx,y,z\r\n'.encode()


def test_an_unknown_purpose_is_refused_with_a_message_naming_the_valid_ones() -> None:
    errors = validate_export(purpose="marketing", format="csv", recipients=["DS Patel, WYP"])
    assert set(errors) == {"purpose"}
    for valid in (
        "strategy_discussion",
        "child_protection_conference",
        "court_proceedings",
        "subject_access_request",
        "multi_agency_audit",
    ):
        assert valid in errors["purpose"]
    assert "marketing" in errors["purpose"]


def test_an_export_needs_a_known_format_and_at_least_one_recipient() -> None:
    errors = validate_export(purpose="court_proceedings", format="xlsx", recipients=["  ", ""])
    assert set(errors) == {"format", "recipients"}
    assert validate_export(purpose="court_proceedings", format="pdf", recipients=["Judge"]) == {}


def test_the_audit_purpose_carries_no_names_dates_of_birth_places_or_narrative() -> None:
    audit = PURPOSES["multi_agency_audit"].fields
    assert not audit & {"name", "date_of_birth", "location", "detail"}
    assert "location" not in PURPOSES["child_protection_conference"].fields
    assert PURPOSES["subject_access_request"].redact_third_parties
    assert not any(
        p.redact_third_parties for k, p in PURPOSES.items() if k != "subject_access_request"
    )


def test_redaction_hides_third_parties_whole_names_and_capitalised_parts_only() -> None:
    redact = Redactor.from_names(
        [
            ("Mohammed Khan", ["Mohammed", "Khan"]),
            ("Tom Hussain", ["Tom", "Hussain"]),
            ("May Ward", ["May", "Ward"]),
        ],
        subject_words={"amy", "hussain"},
    )
    text = "Amy Hussain left with MOHAMMED KHAN; Tom told May. She may go to the ward."
    assert redact(text) == (
        f"Amy Hussain left with {THIRD_PARTY}; {THIRD_PARTY} told "
        f"{THIRD_PARTY}. She may go to the ward."
    )


def _table(rows: int) -> ExportTable:
    return ExportTable(
        "Multi-agency chronology, case CASE-00001",
        "CASE-00001",
        PURPOSES["strategy_discussion"],
        ["DS Patel, West Yorkshire Police", "<script>alert(1)</script>"],
        "user:1:sw",
        datetime(2025, 6, 1, 9, 30, tzinfo=UTC),
        ["Date", "Agency", "Event", "Detail"],
        [["2025-03-01", "West Yorkshire Police", "crime report", "Found in a car at 2am."]] * rows,
    )


def _pdf_text(pdf: bytes) -> bytes:
    """Every stream of the PDF inflated (no PDF library is installed: the metadata and outline
    are readable once inflated, the page text is glyph codes)."""
    inflated = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            inflated.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(inflated)


def test_the_pdf_carries_the_marking_and_every_page_is_marked_top_and_bottom() -> None:
    table = _table(rows=40)
    pdf = render_pdf(table)
    assert pdf.startswith(b"%PDF-")
    assert f"/Title ({MARKING}: Multi-agency chronology".encode() in _pdf_text(pdf)
    assert len(re.findall(rb"/Type\s*/Page\b", _pdf_text(pdf))) >= 2  # long enough to turn over
    html = render_html(table)
    page_rule = html[html.index("@page") : html.index("body {")]
    assert f'@top-left {{ content: "{MARKING}"' in page_rule
    assert f'@bottom-left {{ content: "{MARKING}"' in page_rule
    assert "DS Patel, West Yorkshire Police" in html and "Strategy discussion" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("purpose", sorted(PURPOSES))
def test_every_purpose_renders_as_a_pdf(purpose: str) -> None:
    table = _table(rows=1)
    made = ExportTable(
        table.title,
        table.reference,
        PURPOSES[purpose],
        table.recipients,
        table.exported_by,
        table.exported_at,
        table.headers,
        table.rows,
    )
    assert render_pdf(made).startswith(b"%PDF-")


@pytest.mark.parametrize("module", [documents, purposes, redact], ids=lambda m: m.__name__)
def test_the_docstring_examples_hold(module: ModuleType) -> None:
    assert doctest.testmod(module).failed == 0
