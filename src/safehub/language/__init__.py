"""Victim-centred language checker: finds words that blame a child or hide abuse.

Each flag says why the words matter and what to write instead. Rules are data
(`data/rules.json`), so new ones can be added without code.

>>> from safehub.language import check_text
>>> [f.text for f in check_text("Chloe chose to go with the men.")]
['chose to go']
"""

from safehub.language.checker import Checker, Flag, check_many, check_text, default_checker
from safehub.language.rules import (
    Condition,
    Rule,
    RuleBook,
    RuleError,
    Severity,
    load_rules,
    rule_from_dict,
    rulebook_from_dict,
)

__all__ = [
    "Checker",
    "Condition",
    "Flag",
    "Rule",
    "RuleBook",
    "RuleError",
    "Severity",
    "check_many",
    "check_text",
    "default_checker",
    "load_rules",
    "rule_from_dict",
    "rulebook_from_dict",
]
