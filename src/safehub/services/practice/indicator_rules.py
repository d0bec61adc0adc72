"""Exploitation indicators and a suggested level, with its reasons. Pure rules, no database.

The level is a prompt for professional judgement, never a screening result: screening tools for
exploitation risk are weakly evidenced (a "low risk" result must never close a case on its own),
so there is no "low" level, nothing here closes a case or lowers a response, and the inputs are
only what is listed in ``LevelInputs``.
Protected characteristics are not inputs. Age and disability may only raise a level (a floor).

>>> result = suggest_level(LevelInputs(indicators=frozenset({"missing", "older_boyfriend"})))
>>> result.level, result.rule
('moderate', 'indicators-v1')
>>> suggest_level(LevelInputs(indicators=frozenset({"missing"}), age_years=12)).level
'moderate'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from safehub.extracts.codes import INDICATOR_NAMES, INDICATORS

RULE = "indicators-v1"
LEVELS = ("emerging_concerns", "moderate", "significant")
LEVEL_NAMES = {
    "emerging_concerns": "Emerging concerns",
    "moderate": "Moderate",
    "significant": "Significant",
}

# Signs that point at exploitation itself (the 2024 national practice guidance and the indicator
# codes of the extract format, docs/extract-format.md), as against context that makes a child
# more vulnerable to it.
EXPLOITATION_SIGNS = frozenset(
    {
        "missing",
        "older_boyfriend",
        "gifts",
        "unexplained_money",
        "new_phone",
        "collected_by_unknown_adults",
        "taxis_cars",
        "hotels",
        "online_contact",
        "peer_exploitation",
        "disclosure_withdrawn",
        "sti",
        "pregnancy",
    }
)
VULNERABILITIES = INDICATORS - EXPLOITATION_SIGNS

# Evidence that abuse is happening is not a risk indicator: it is harm, and it is kept apart.
EVIDENCE = {
    "disclosure": "The child has disclosed sexual abuse",
    "csam_found": "Sexual images of the child found (child sexual abuse material)",
    "sti_young_child": "Sexually transmitted infection in a child under 13",
    "pregnancy_under_13": "Pregnancy in a child under 13",
    "abuse_witnessed": "Abuse witnessed by a professional or another person",
    "medical_findings": "Medical or forensic findings of sexual abuse",
    "credible_report": "A credible report from another person that the child is being abused",
}

# Sexual Offences Act 2003 ss.5-8: a child under 13 cannot consent to any sexual activity.
UNDER_13 = 13


@dataclass(frozen=True, slots=True)
class LevelInputs:
    """Everything the rule reads. Nothing else may be added without a review of this module."""

    indicators: frozenset[str] = frozenset()
    evidence: frozenset[str] = frozenset()
    age_years: int | None = None
    learning_disability: bool = False


@dataclass(frozen=True, slots=True)
class SuggestedLevel:
    """A level (None when nothing is recorded) with the sentences that explain it."""

    level: str | None
    reasons: list[str] = field(default_factory=list)
    rule: str = RULE

    @property
    def name(self) -> str:
        return LEVEL_NAMES[self.level] if self.level else "No indicators recorded"


def suggest_level(inputs: LevelInputs) -> SuggestedLevel:
    """The suggested level for a child and why. A floor for age and disability only raises."""
    evidence = set(inputs.evidence) | _derived_evidence(inputs)
    signs = sorted(inputs.indicators & EXPLOITATION_SIGNS)
    context = sorted(inputs.indicators & VULNERABILITIES)
    if evidence:
        named = "; ".join(EVIDENCE[e] for e in sorted(evidence) if e in EVIDENCE)
        return SuggestedLevel("significant", [f"Evidence that abuse is happening: {named}."])
    level, reasons = _from_indicators(signs, context)
    if level is None:
        return SuggestedLevel(
            None,
            [
                "No indicators or evidence recorded. This is not a finding "
                "of low risk: nothing has been recorded yet."
            ],
        )
    return _apply_floor(level, reasons, inputs, bool(signs))


def _derived_evidence(inputs: LevelInputs) -> set[str]:
    """An STI or pregnancy in a child under 13 is evidence of abuse, not an indicator."""
    if inputs.age_years is None or inputs.age_years >= UNDER_13:
        return set()
    found = set()
    if "sti" in inputs.indicators:
        found.add("sti_young_child")
    if "pregnancy" in inputs.indicators:
        found.add("pregnancy_under_13")
    return found


def _from_indicators(signs: list[str], context: list[str]) -> tuple[str | None, list[str]]:
    if not signs and not context:
        return None, []
    reasons = []
    if signs:
        reasons.append(
            f"{len(signs)} sign{'s' if len(signs) != 1 else ''} of exploitation: {_names(signs)}."
        )
    if context:
        reasons.append(
            f"{len(context)} vulnerabilit{'ies' if len(context) != 1 else 'y'}: {_names(context)}."
        )
    if len(signs) >= 3 or (len(signs) >= 2 and len(context) >= 2):
        reasons.append(
            "Rule: 3 or more signs, or 2 signs with 2 or more vulnerabilities, "
            "suggest significant concerns."
        )
        return "significant", reasons
    if len(signs) >= 2 or (signs and len(context) >= 2):
        reasons.append(
            "Rule: 2 signs, or 1 sign with 2 or more vulnerabilities, suggest moderate concerns."
        )
        return "moderate", reasons
    reasons.append("Rule: any sign or vulnerability on its own suggests emerging concerns.")
    return "emerging_concerns", reasons


def _apply_floor(
    level: str, reasons: list[str], inputs: LevelInputs, exploitation_concern: bool
) -> SuggestedLevel:
    """Under-13s and children with a learning disability are never below the middle level when
    there are signs of exploitation. This can only raise the level."""
    floor = LEVELS.index("moderate")
    why = []
    if inputs.age_years is not None and inputs.age_years < UNDER_13:
        why.append(f"the child is {inputs.age_years}, under 13")
    if inputs.learning_disability or "learning_disability" in inputs.indicators:
        why.append("the child has a learning disability")
    if exploitation_concern and why and LEVELS.index(level) < floor:
        reasons.append(
            f"Raised to moderate because {' and '.join(why)}: age and disability "
            "can only raise a level, never lower it."
        )
        return SuggestedLevel("moderate", reasons)
    return SuggestedLevel(level, reasons)


def _names(codes: list[str]) -> str:
    return ", ".join(INDICATOR_NAMES.get(c, c.replace("_", " ")).lower() for c in codes)


def level_rank(level: str | None) -> int:
    """Order of levels for comparison: no level is below every level.

    >>> level_rank(None) < level_rank("emerging_concerns") < level_rank("significant")
    True
    """
    return -1 if level is None else LEVELS.index(level)


def youngest_age(date_of_birth: str | None, on: date) -> int | None:
    """Age in whole years on a date. With only a year or month of birth, the latest possible
    birthday is taken, so the age is the youngest the child could be: age may only raise a
    level, and a missed child costs more than an unneeded look.

    >>> youngest_age("2012", date(2025, 6, 1)), youngest_age("2012-05-20", date(2025, 6, 1))
    (12, 13)
    """
    if not date_of_birth:
        return None
    try:
        parts = [int(p) for p in date_of_birth.split("-")]
    except ValueError:
        return None
    year, month, day = (parts + [12, 31][len(parts) - 1 :])[:3]
    return on.year - year - ((on.month, on.day) < (month, day))
