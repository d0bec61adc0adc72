"""Rules are data: loading, adding rules, and refusing malformed ones with a clear message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safehub.language import Checker, RuleError, load_rules, rulebook_from_dict

PARTY_GIRL = {
    "id": "party-girl",
    "patterns": ["party girl"],
    "why": "Labels the child instead of describing the abuse.",
    "suggestion": "Describe what the adults did.",
}


def test_shipped_rules_have_unique_ids_and_text_for_every_flag() -> None:
    book = load_rules()
    ids = [r.id for r in book.rules]
    assert len(ids) == len(set(ids)) and len(ids) >= 15
    assert all(r.why.strip() and r.suggestion.strip() for r in book.rules)


def test_extra_rule_given_as_data_is_applied() -> None:
    checker = Checker(load_rules(extra=[PARTY_GIRL]))
    [flag] = checker.check_text("Staff call her a party girl.")
    assert (flag.rule_id, flag.text) == ("party-girl", "party girl")


def test_extra_rule_with_an_existing_id_replaces_the_shipped_one() -> None:
    replacement = {**PARTY_GIRL, "id": "absconding", "patterns": ["do a runner"]}
    checker = Checker(load_rules(extra=[replacement]))
    assert checker.check_text("She absconded.") == []
    assert [f.rule_id for f in checker.check_text("She did a runner.")] == ["absconding"]


def test_extra_rule_can_use_a_new_word_set_and_conditions() -> None:
    rule = {
        **PARTY_GIRL,
        "id": "hanging-round",
        "patterns": ["hang round|roun with"],
        "conditions": [{"kind": "refers_to_adult", "window": 4, "direction": "after"}],
    }
    checker = Checker(load_rules(extra=[rule]))
    assert checker.check_text("She hangs round with older men.") != []
    assert checker.check_text("She hangs round with her cousins.") == []


def test_rules_load_from_a_json_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"word_sets": {}, "rules": [PARTY_GIRL]}), encoding="utf-8")
    assert [r.id for r in load_rules(path).rules] == ["party-girl"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"severity": "fatal"}, "severity"),
        ({"patterns": []}, "at least one pattern"),
        ({"why": ""}, "'why'"),
        ({"conditions": [{"kind": "nearby", "phrases": ["x"]}]}, "condition kind"),
        ({"conditions": [{"kind": "near"}]}, "needs phrases"),
        ({"conditions": [{"kind": "near", "phrases": ["x"], "window": 99}]}, "window"),
        ({"colour": "red"}, "unknown field"),
    ],
)
def test_malformed_rule_is_refused_naming_the_problem(
    change: dict[str, object], message: str
) -> None:
    with pytest.raises(RuleError, match=message):
        load_rules(extra=[{**PARTY_GIRL, **change}])


def test_pattern_with_unknown_word_set_is_refused_when_compiled() -> None:
    with pytest.raises(RuleError, match="@NOPE"):
        Checker(load_rules(extra=[{**PARTY_GIRL, "patterns": ["@NOPE girl"]}]))


def test_duplicate_rule_ids_in_a_file_are_refused() -> None:
    with pytest.raises(RuleError, match="duplicate"):
        rulebook_from_dict({"rules": [PARTY_GIRL, PARTY_GIRL]})
