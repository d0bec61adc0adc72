"""`safehub language check` and `safehub language audit` as other tools call them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from safehub.cli.language import app

runner = CliRunner()


def run_check(stdin: bytes) -> list[dict[str, list[dict[str, object]]]]:
    result = runner.invoke(app, ["check"], input=stdin)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.split("\n") if line]


def test_check_prints_one_object_per_line_blank_lines_included_in_order() -> None:
    out = run_check(b"She is streetwise.\n\nNothing to see.\nShe absconded.\n")
    assert [[f["rule_id"] for f in o["flags"]] for o in out] == [
        ["character"],
        [],
        [],
        ["absconding"],
    ]


def test_check_last_line_without_newline_is_still_checked() -> None:
    assert len(run_check(b"One.\nShe absconded.")) == 2


def test_check_offsets_are_code_points_into_the_line() -> None:
    line = "Zoë 🙂 — “safe” now, but she put herself at risk."
    [out] = run_check((line + "\r\n").encode("utf-8"))
    [flag] = out["flags"]
    assert line[flag["start"] : flag["end"]] == flag["text"] == "put herself at risk"
    assert set(flag) >= {"start", "end", "text", "why", "suggestion", "severity"}


def test_check_marks_quoted_words_as_advice() -> None:
    [out] = run_check("She said “I chose to go”.\n".encode())
    assert [f["severity"] for f in out["flags"]] == ["advice"]


def test_check_refuses_text_that_is_not_utf8_with_exit_2() -> None:
    result = runner.invoke(app, ["check"], input=b"caf\xe9\n")
    assert result.exit_code == 2
    assert "UTF-8" in result.stderr and result.stdout == ""


def test_audit_summarises_flag_rate_and_rule_counts(tmp_path: Path) -> None:
    path = tmp_path / "extract.csv"
    path.write_text(
        "record_id,narrative\n1,She is streetwise.\n2,Amy was raped by two men.\n3,\n"
        "4,She absconded and is streetwise.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["audit", str(path), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["checked"], summary["empty"], summary["flagged"]) == (3, 1, 2)
    assert summary["rule_counts"] == {"character": 2, "absconding": 1}
    assert [e["row"] for e in summary["examples"]] == [1, 4]


def test_audit_missing_column_exits_2_naming_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("id,text\n1,She is streetwise.\n", encoding="utf-8")
    result = runner.invoke(app, ["audit", str(path)])
    assert result.exit_code == 2
    assert "--column" in result.stderr
    assert runner.invoke(app, ["audit", str(path), "--column", "text"]).exit_code == 0
