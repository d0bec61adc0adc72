"""The suggested level: its rules, the floor for age and disability, and that it reads no
protected characteristic."""

from __future__ import annotations

import ast
import doctest
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from safehub.extracts.codes import INDICATORS
from safehub.services.practice import (
    indicator_rules,
    indicators,
    language_rules,
    notes,
    support,
    victim_alerts,
    voice,
)
from safehub.services.practice.indicator_rules import (
    EVIDENCE,
    LEVELS,
    LevelInputs,
    level_rank,
    suggest_level,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "safehub"
# One list, as architecture.md names them: never an input to risk, alerts or ranking.
PROTECTED = (
    "ethnicity",
    "nationality",
    "religion",
    "sexual_orientation",
    "orientation",
    "gender_identity",
    "immigration",
    "first_language",
    "interpreter",
)
RISK_CODE = (
    "services/practice/indicator_rules.py",
    "services/practice/indicators.py",
    "services/practice/victim_alerts.py",
    "db/queries/practice/children.py",
    "db/queries/practice/victims.py",
)


def _level(
    *codes: str, evidence: tuple[str, ...] = (), age: int | None = 15, disability: bool = False
) -> str | None:
    inputs = LevelInputs(frozenset(codes), frozenset(evidence), age, disability)
    return suggest_level(inputs).level


def test_no_indicators_gives_no_level_and_never_low() -> None:
    result = suggest_level(LevelInputs())
    assert result.level is None
    assert "not a finding of low risk" in result.reasons[0]
    assert "low" not in LEVELS


def test_one_sign_suggests_emerging_concerns_and_says_which_rule() -> None:
    result = suggest_level(LevelInputs(frozenset({"missing"}), age_years=15))
    assert result.level == "emerging_concerns"
    assert result.reasons[0] == "1 sign of exploitation: going missing."
    assert result.rule == "indicators-v1"


def test_two_signs_suggest_moderate_and_three_significant() -> None:
    assert _level("missing", "hotels") == "moderate"
    assert _level("missing", "hotels", "gifts") == "significant"
    assert _level("missing", "hotels", "substance_misuse", "in_care") == "significant"
    assert _level("missing", "substance_misuse", "in_care") == "moderate"


def test_evidence_of_abuse_is_significant_whatever_the_indicators() -> None:
    result = suggest_level(LevelInputs(evidence=frozenset({"disclosure"}), age_years=16))
    assert result.level == "significant"
    assert "The child has disclosed sexual abuse" in result.reasons[0]


def test_an_sti_or_pregnancy_under_13_is_evidence_of_abuse_not_an_indicator() -> None:
    assert _level("sti", age=12) == "significant"
    assert _level("pregnancy", age=11) == "significant"
    assert _level("sti", age=14) == "emerging_concerns"


def test_an_under_13_with_one_sign_is_raised_to_the_middle_level() -> None:
    result = suggest_level(LevelInputs(frozenset({"taxis_cars"}), age_years=12))
    assert result.level == "moderate"
    assert "Raised to moderate because the child is 12, under 13" in result.reasons[-1]


def test_a_learning_disability_raises_one_sign_to_the_middle_level() -> None:
    assert _level("online_contact", "learning_disability") == "moderate"
    assert _level("online_contact", disability=True) == "moderate"


def test_the_floor_needs_an_exploitation_concern() -> None:
    assert _level("in_care", age=10) == "emerging_concerns"


codes = st.frozensets(st.sampled_from(sorted(INDICATORS)))
evidence = st.frozensets(st.sampled_from(sorted(EVIDENCE)), max_size=2)
ages = st.one_of(st.none(), st.integers(min_value=0, max_value=17))


@settings(max_examples=300, deadline=None)
@given(codes, evidence, ages)
def test_age_and_disability_only_ever_raise_the_level(
    indicators: frozenset[str], proof: frozenset[str], age: int | None
) -> None:
    plain = suggest_level(LevelInputs(indicators, proof, None, False)).level
    for inputs in (
        LevelInputs(indicators, proof, age, False),
        LevelInputs(indicators, proof, 16, True),
        LevelInputs(indicators, proof, age, True),
    ):
        assert level_rank(suggest_level(inputs).level) >= level_rank(plain)
    young = suggest_level(LevelInputs(indicators, proof, 12, False))
    if indicators & indicator_rules.EXPLOITATION_SIGNS or proof:
        assert level_rank(young.level) >= LEVELS.index("moderate")


@settings(max_examples=200, deadline=None)
@given(codes, codes)
def test_more_indicators_never_lower_the_level(first: frozenset[str], more: frozenset[str]) -> None:
    before = suggest_level(LevelInputs(first, age_years=15)).level
    after = suggest_level(LevelInputs(first | more, age_years=15)).level
    assert level_rank(after) >= level_rank(before)


def _names_used(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id.lower())
        elif isinstance(node, ast.Attribute):
            found.add(node.attr.lower())
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value.lower())
        elif isinstance(node, ast.arg):
            found.add(node.arg.lower())
    return found


def test_the_indicator_and_alert_code_reads_no_protected_characteristic() -> None:
    offenders = []
    for relative in RISK_CODE:
        used = _names_used(SRC / relative)
        offenders += [f"{relative}: {p}" for u in used for p in PROTECTED if p in u]
    assert offenders == []


def test_every_sign_of_exploitation_is_an_indicator_code_of_the_format() -> None:
    assert indicator_rules.EXPLOITATION_SIGNS <= INDICATORS
    assert "peer_exploitation" in indicator_rules.EXPLOITATION_SIGNS


def test_the_level_inputs_are_only_indicators_evidence_age_and_disability() -> None:
    assert set(LevelInputs.__dataclass_fields__) == {
        "indicators",
        "evidence",
        "age_years",
        "learning_disability",
    }


def test_the_docstring_examples_hold() -> None:
    for module in (
        indicator_rules,
        indicators,
        language_rules,
        notes,
        support,
        victim_alerts,
        voice,
    ):
        assert doctest.testmod(module).failed == 0, module.__name__
