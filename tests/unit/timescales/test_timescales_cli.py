"""`safehub timescales`: the `due` contract (stdout exactly a date, exit 2 on bad input) and the
helper commands."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safehub.cli.timescales import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("rule", "start", "expected"),
    [
        ("referral_decision", "2021-12-24", "2021-12-29"),
        ("assessment", "2025-04-01", "2025-06-09"),
        ("initial_conference", "2022-09-09", "2022-10-03"),
        ("first_review", "2025-01-31", "2025-04-30"),
        ("later_review", "2021-06-25", "2021-12-25"),
    ],
)
def test_due_prints_only_the_due_date(rule: str, start: str, expected: str) -> None:
    code, stdout, stderr = run("due", rule, start, "--jurisdiction", "england")
    assert (code, stdout, stderr) == (0, f"{expected}\n", "")


def test_due_defaults_to_england_through_the_safehub_command() -> None:
    from safehub.cli import app as safehub_app  # imported here: it loads every command group

    result = runner.invoke(safehub_app, ["timescales", "due", "referral_decision", "2025-04-17"])
    assert (result.exit_code, result.stdout) == (0, "2025-04-22\n")


def test_an_unknown_rule_exits_2_listing_the_valid_rules() -> None:
    code, stdout, stderr = run("due", "assesment", "2025-01-06")
    assert (code, stdout) == (2, "")
    for rule in ("referral_decision", "assessment", "initial_conference", "first_review"):
        assert rule in stderr
    assert "later_review" in stderr


@pytest.mark.parametrize("start", ["2025-02-30", "2025-13-01", "06/01/2025", "2025-1-6", "soon"])
def test_an_impossible_or_malformed_date_exits_2_naming_the_format(start: str) -> None:
    code, stdout, stderr = run("due", "assessment", start)
    assert (code, stdout) == (2, "")
    assert "YYYY-MM-DD" in stderr and start in stderr


@pytest.mark.parametrize("jurisdiction", ["wales", "scotland", "northern_ireland"])
def test_other_jurisdictions_have_no_statutory_rules(jurisdiction: str) -> None:
    code, stdout, stderr = run("due", "assessment", "2025-01-06", "--jurisdiction", jurisdiction)
    assert (code, stdout) == (2, "")
    assert f"no statutory rules configured for {jurisdiction}" in stderr


def test_an_unknown_jurisdiction_exits_2_listing_the_valid_ones() -> None:
    code, stdout, stderr = run("due", "assessment", "2025-01-06", "--jurisdiction", "mars")
    assert (code, stdout) == (2, "")
    assert "england, wales, scotland, northern_ireland" in stderr


def test_a_missing_argument_exits_2() -> None:
    assert run("due", "assessment")[0] == 2


def test_local_closures_move_a_working_day_due_date() -> None:
    code, stdout, _ = run("due", "referral_decision", "2025-12-24", "--closure", "2025-12-29")
    assert (code, stdout) == (0, "2025-12-30\n")


def test_local_rules_from_a_file_work_for_a_jurisdiction_without_statutory_rules(
    tmp_path: Path,
) -> None:
    path = tmp_path / "local.toml"
    path.write_text(
        '[[rule]]\nid = "strategy_discussion"\njurisdiction = "wales"\namount = 3\n'
        'unit = "working_days"\nstart_event = "decision_made"\nstop_event = "discussion_held"\n'
        'description = "Strategy discussion"\nsource = "Local procedures"\n',
        encoding="utf-8",
    )
    args = ("due", "strategy_discussion", "2025-04-16", "-j", "wales", "--rules", str(path))
    assert run(*args)[:2] == (0, "2025-04-23\n")  # Good Friday and Easter Monday skipped


def test_a_broken_rules_file_exits_2_naming_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "local.toml"
    path.write_text('[[rule]]\nid = "x"\n', encoding="utf-8")
    code, _, stderr = run("due", "assessment", "2025-01-06", "--rules", str(path))
    assert code == 2 and "missing" in stderr
    code, _, stderr = run("due", "assessment", "2025-01-06", "--rules", str(tmp_path / "none"))
    assert code == 2 and "cannot read rules file" in stderr


def test_hours_rules_take_a_uk_local_time_and_print_one() -> None:
    code, stdout, _ = run("due", "return_home_interview", "2025-03-29T09:00")
    assert (code, stdout) == (0, "2025-04-01T10:00+01:00\n")
    code, _, stderr = run("due", "return_home_interview", "2025-03-29")
    assert code == 2 and "YYYY-MM-DDTHH:MM" in stderr


def test_state_prints_one_json_object() -> None:
    code, stdout, _ = run("state", "referral_decision", "2025-04-17", "--now", "2025-04-23")
    assert code == 0
    assert json.loads(stdout) == {
        "rule": "referral_decision",
        "due": "2025-04-22",
        "state": "overdue",
        "remaining": 0,
        "overdue_by": 1,
        "counted_in": "working_days",
        "needs_reason": True,
    }


def test_rules_lists_every_rule_with_its_source() -> None:
    code, stdout, _ = run("rules")
    assert code == 0
    lines = stdout.splitlines()
    assert len(lines) == 7  # header and six rules
    assert all("Working Together to Safeguard Children 2023" in line for line in lines[1:6])


def test_holidays_lists_the_years_closed_days_for_a_jurisdiction() -> None:
    code, stdout, _ = run("holidays", "2022", "--jurisdiction", "scotland")
    assert code == 0
    assert "2022-11-30\tWed\tSaint Andrew's Day" in stdout.splitlines()
    assert "2022-09-19\tMon\tState Funeral of Queen Elizabeth II" in stdout.splitlines()
    assert all(re.match(r"^\d{4}-\d{2}-\d{2}\t\w{3}\t.+$", line) for line in stdout.splitlines())


def test_holidays_refuses_a_year_out_of_range() -> None:
    assert run("holidays", "12")[0] == 2


CONTRACT_ARGS = ("due", "initial_conference", "2023-04-29")


def test_a_real_process_prints_only_the_date_on_stdout() -> None:
    # The contract is about a real process's streams, not a test runner's capture. The module's
    # own app is run (importing it still loads every command group through safehub.cli).
    result = subprocess.run(
        [sys.executable, "-c", "from safehub.cli.timescales import app; app()", *CONTRACT_ARGS],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, "2023-05-23\n")
