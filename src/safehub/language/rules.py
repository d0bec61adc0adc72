"""Rules as data: what to flag, why, and what to write instead.

A rule is plain data (an id, phrase patterns, a why, a suggestion, a severity and optional context
conditions), so that a safeguarding lead can add or change rules without touching code, for
example through a form that writes the same JSON as `data/rules.json`.

>>> book = load_rules(extra=[{
...     "id": "local-slang", "patterns": ["party girl"],
...     "why": "Labels the child instead of describing what adults did.",
...     "suggestion": "Describe the facts and the adults' actions.",
... }])
>>> book.rule("local-slang").severity
'error'
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast, get_args

Severity = Literal["error", "advice"]
Direction = Literal["before", "after", "both"]
ConditionKind = Literal[
    "not_preceded_by",
    "not_followed_by",
    "preceded_by",
    "followed_by",
    "near",
    "not_near",
    "not_part_of",
    "refers_to_adult",
    "child_age_stated",
]
SEVERITIES: tuple[str, ...] = get_args(Severity)
CONDITION_KINDS: tuple[str, ...] = get_args(ConditionKind)
DIRECTIONS: tuple[str, ...] = get_args(Direction)
DEFAULT_WINDOW = 4
# Condition kinds that read the context themselves and take no phrases.
_CONTEXT_KINDS = frozenset({"refers_to_adult", "child_age_stated"})


class RuleError(ValueError):
    """A rule (or the rules file) is malformed; the message names the rule and the field."""


@dataclass(frozen=True)
class Condition:
    """A context test on the words around a match, within the same sentence.

    `not_preceded_by` / `not_followed_by`: the match is dropped if one of `phrases` occurs within
    `window` tokens before / after it; `preceded_by` / `followed_by` / `near` require one; `not_near`
    drops it for a phrase on either side. `not_part_of`: dropped when the match overlaps one of
    `phrases` (e.g. the name of an offence). `refers_to_adult`: kept only if the words within
    `window` tokens describe an adult (an age of 18 or over, or words such as "older", "adult",
    "man"); an explicit age under 18 wins over such words. `direction` limits it to the words
    `before` or `after` the match (default `both`). `child_age_stated`: kept only if the sentence
    gives one age under 18 and it is not the age of the person matched ("He was her boyfriend,
    she is 14"); two ages under 18 describe two children.
    """

    kind: ConditionKind
    phrases: tuple[str, ...] = ()
    window: int = DEFAULT_WINDOW
    direction: Direction = "both"


@dataclass(frozen=True)
class Rule:
    """One kind of language to avoid."""

    id: str
    patterns: tuple[str, ...]
    why: str
    suggestion: str
    severity: Severity = "error"
    conditions: tuple[Condition, ...] = ()
    title: str = ""


@dataclass(frozen=True)
class RuleBook:
    """The rules in order, and the named word sets (`@NAME` in patterns) they share."""

    rules: tuple[Rule, ...]
    word_sets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id (KeyError if none)."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def with_rules(self, extra: Iterable[Rule | Mapping[str, Any]]) -> RuleBook:
        """A new book with `extra` rules added; a rule with an existing id replaces it."""
        new = [r if isinstance(r, Rule) else rule_from_dict(r) for r in extra]
        replaced = {r.id for r in new}
        kept = [r for r in self.rules if r.id not in replaced]
        return replace(self, rules=(*kept, *new))

    def with_word_sets(self, extra: Mapping[str, Iterable[str]]) -> RuleBook:
        """A new book with more (or replaced) word sets."""
        merged = dict(self.word_sets)
        merged.update({name: _strings(words, f"word set {name}") for name, words in extra.items()})
        return replace(self, word_sets=merged)


def load_rules(
    path: str | Path | None = None,
    *,
    extra: Iterable[Rule | Mapping[str, Any]] = (),
    extra_word_sets: Mapping[str, Iterable[str]] | None = None,
) -> RuleBook:
    """Load the shipped rules (or the JSON file at `path`), plus `extra` rules given as data."""
    if path is None:
        text = resources.files("safehub.language").joinpath("data/rules.json").read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RuleError(f"rules file is not valid JSON: {exc}") from exc
    book = rulebook_from_dict(data)
    if extra_word_sets:
        book = book.with_word_sets(extra_word_sets)
    return book.with_rules(extra)


def rulebook_from_dict(data: Mapping[str, Any]) -> RuleBook:
    """Build a RuleBook from the parsed JSON (`{"word_sets": {...}, "rules": [...]}`)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("rules"), list):
        raise RuleError("rules data must be an object with a 'rules' list")
    raw_sets = data.get("word_sets", {})
    if not isinstance(raw_sets, Mapping):
        raise RuleError("'word_sets' must be an object of name -> list of words")
    sets = {str(k): _strings(v, f"word set {k}") for k, v in raw_sets.items()}
    rules = tuple(rule_from_dict(r) for r in data["rules"])
    ids = [r.id for r in rules]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise RuleError(f"duplicate rule ids: {', '.join(dupes)}")
    return RuleBook(rules=rules, word_sets=sets)


def rule_from_dict(data: Mapping[str, Any]) -> Rule:
    """Validate one rule given as data and return it."""
    if not isinstance(data, Mapping):
        raise RuleError(f"a rule must be an object, got {type(data).__name__}")
    rule_id = data.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise RuleError("every rule needs a non-empty string 'id'")
    where = f"rule {rule_id!r}"
    unknown = set(data) - {"id", "patterns", "why", "suggestion", "severity", "conditions", "title"}
    if unknown:
        raise RuleError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    severity = data.get("severity", "error")
    if severity not in SEVERITIES:
        raise RuleError(f"{where}: severity must be one of {SEVERITIES}, got {severity!r}")
    patterns = _strings(data.get("patterns"), f"{where}: patterns")
    if not patterns:
        raise RuleError(f"{where}: needs at least one pattern")
    return Rule(
        id=rule_id,
        patterns=patterns,
        why=_text(data, "why", where),
        suggestion=_text(data, "suggestion", where),
        severity=cast(Severity, severity),
        conditions=tuple(_condition(c, where) for c in data.get("conditions", [])),
        title=str(data.get("title", "")),
    )


def _condition(data: Any, where: str) -> Condition:
    if not isinstance(data, Mapping):
        raise RuleError(f"{where}: each condition must be an object")
    kind = data.get("kind")
    if kind not in CONDITION_KINDS:
        raise RuleError(f"{where}: condition kind must be one of {CONDITION_KINDS}, got {kind!r}")
    window = data.get("window", DEFAULT_WINDOW)
    if not isinstance(window, int) or isinstance(window, bool) or not 0 < window <= 30:
        raise RuleError(f"{where}: condition window must be a whole number 1-30, got {window!r}")
    direction = data.get("direction", "both")
    if direction not in DIRECTIONS:
        raise RuleError(f"{where}: condition direction must be one of {DIRECTIONS}")
    phrases = _strings(data.get("phrases", []), f"{where}: condition phrases")
    if kind not in _CONTEXT_KINDS and not phrases:
        raise RuleError(f"{where}: condition {kind!r} needs phrases")
    return Condition(
        kind=cast(ConditionKind, kind),
        phrases=phrases,
        window=window,
        direction=cast(Direction, direction),
    )


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RuleError(f"{where}: '{key}' must be a non-empty string")
    return value


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v for v in value):
        raise RuleError(f"{where}: must be a list of non-empty strings")
    return tuple(value)
