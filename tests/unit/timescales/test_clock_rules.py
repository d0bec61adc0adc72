"""Clock rules are data: England's defaults ship in the package; local rules are validated."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from safehub.timescales import (
    ClockRule,
    Jurisdiction,
    NoRulesError,
    RuleError,
    Unit,
    UnknownRuleError,
    build_rule,
    default_rulebook,
    load_rules,
    load_rules_file,
)

LOCAL = {
    "id": "strategy_discussion",
    "jurisdiction": "england",
    "amount": 3,
    "unit": "working_days",
    "start_event": "decision_to_hold_strategy_discussion",
    "stop_event": "strategy_discussion_held",
    "description": "Strategy discussion within 3 working days of the decision to hold one",
    "source": "Local safeguarding children partnership procedures, section 4.2",
}


@pytest.mark.parametrize(
    ("rule_id", "amount", "unit"),
    [
        ("referral_decision", 1, Unit.WORKING_DAYS),
        ("assessment", 45, Unit.WORKING_DAYS),
        ("initial_conference", 15, Unit.WORKING_DAYS),
        ("first_review", 3, Unit.CALENDAR_MONTHS),
        ("later_review", 6, Unit.CALENDAR_MONTHS),
        ("return_home_interview", 72, Unit.HOURS),
    ],
)
def test_england_ships_the_statutory_timescales(rule_id: str, amount: int, unit: Unit) -> None:
    rule = default_rulebook().get("england", rule_id)
    assert (rule.amount, rule.unit, rule.statutory) == (amount, unit, True)
    assert rule.source and rule.description and rule.start_event and rule.stop_event


def test_working_together_rules_cite_working_together_2023() -> None:
    for rule in default_rulebook().for_jurisdiction("england"):
        if rule.id != "return_home_interview":
            assert "Working Together to Safeguard Children 2023" in rule.source
    missing = default_rulebook().get("england", "return_home_interview")
    assert "run away or go missing" in missing.source


def test_only_england_has_rules_by_default() -> None:
    for jurisdiction in ("wales", "scotland", "northern_ireland"):
        with pytest.raises(NoRulesError, match=f"no statutory rules configured for {jurisdiction}"):
            default_rulebook().get(jurisdiction, "assessment")


def test_an_unknown_rule_lists_the_valid_ones() -> None:
    with pytest.raises(UnknownRuleError, match="referral_decision, assessment, initial_conference"):
        default_rulebook().get("england", "assesment")


def test_an_administrator_adds_a_local_rule_as_data() -> None:
    rule = build_rule(LOCAL)
    book = default_rulebook().with_rules([rule])
    assert book.get("england", "strategy_discussion") == rule
    assert rule.statutory is False
    assert build_rule(rule.as_dict()) == rule


def test_a_local_rule_gives_a_jurisdiction_without_statutory_rules_a_clock() -> None:
    welsh = build_rule({**LOCAL, "jurisdiction": "wales"})
    book = default_rulebook().with_rules([welsh])
    assert book.get("wales", "strategy_discussion").jurisdiction is Jurisdiction.WALES


def test_a_local_rule_cannot_redefine_a_statutory_one() -> None:
    looser = build_rule({**LOCAL, "id": "assessment", "amount": 60})
    with pytest.raises(RuleError, match="defined twice"):
        default_rulebook().with_rules([looser])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"unit": "fortnights"}, "unit 'fortnights' is not one of working_days"),
        ({"amount": 0}, "amount must be between 1 and 520"),
        ({"amount": 5000}, "amount must be between 1 and 520"),
        ({"amount": True}, "amount must be a whole number"),
        ({"amount": "3"}, "amount must be a whole number"),
        ({"amount": 100, "unit": "calendar_months"}, "between 1 and 24"),
        ({"id": "Strategy Discussion"}, "id must be lower-case"),
        ({"stop_event": ""}, "stop_event must be lower-case"),
        ({"jurisdiction": "cornwall"}, "unknown jurisdiction 'cornwall'"),
        ({"source": "  "}, "source must be non-empty text"),
        ({"statutory": "yes"}, "statutory must be true or false"),
        ({"colour": "red"}, "unknown field"),
    ],
)
def test_an_invalid_rule_is_refused_with_the_field_and_fix_named(
    change: dict[str, object], message: str
) -> None:
    with pytest.raises(RuleError, match=message):
        build_rule({**LOCAL, **change})


def test_a_rule_missing_a_field_names_it() -> None:
    incomplete = {key: value for key, value in LOCAL.items() if key != "source"}
    with pytest.raises(RuleError, match="missing source"):
        build_rule(incomplete)


def test_local_rules_load_from_a_toml_file(tmp_path: Path) -> None:
    path = tmp_path / "local.toml"
    path.write_text(
        '[[rule]]\nid = "strategy_discussion"\njurisdiction = "england"\namount = 3\n'
        'unit = "working_days"\nstart_event = "decision_made"\nstop_event = "discussion_held"\n'
        'description = "Strategy discussion"\nsource = "Local procedures"\n',
        encoding="utf-8",
    )
    (rule,) = load_rules_file(path)
    assert isinstance(rule, ClockRule)
    assert (rule.id, rule.amount, rule.unit) == ("strategy_discussion", 3, Unit.WORKING_DAYS)


def test_a_broken_rules_file_names_the_file_and_the_rule() -> None:
    with pytest.raises(RuleError, match=r"local\.toml: rule 2: amount"):
        load_rules(
            '[[rule]]\nid = "a"\njurisdiction = "england"\namount = 1\nunit = "hours"\n'
            'start_event = "s"\nstop_event = "t"\ndescription = "d"\nsource = "s"\n'
            '[[rule]]\nid = "b"\njurisdiction = "england"\namount = -1\nunit = "hours"\n'
            'start_event = "s"\nstop_event = "t"\ndescription = "d"\nsource = "s"\n',
            origin="local.toml",
        )
    with pytest.raises(RuleError, match="not valid TOML"):
        load_rules("[[rule]\n", origin="local.toml")


@pytest.mark.parametrize(
    "module",
    [
        "safehub.timescales",
        "safehub.timescales.workdays",
        "safehub.timescales.due",
        "safehub.timescales.state",
        "safehub.timescales.batch",
        "safehub.timescales.rules",
        "safehub.timescales.localtime",
        "safehub.timescales.jurisdiction",
    ],
)
def test_docstring_examples_hold(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0


def test_timescales_imports_no_web_database_or_cli_framework() -> None:
    # Domain rules stay pure (architecture: dependencies point inwards), so services, jobs and
    # Spark workers can import them cheaply.
    probe = (
        "import sys, safehub.timescales; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'fastapi', 'starlette', 'sqlalchemy', 'psycopg', 'typer', 'click', 'jinja2'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
