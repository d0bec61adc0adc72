"""Statutory and local clock rules, held as data rather than code paths.

A rule says how long practitioners have between a start event and a stop event, in one unit, and
where that expectation comes from. England's defaults (Working Together to Safeguard Children
2023) ship in ``data/rules.toml``; an administrator adds local rules (for example a strategy
discussion within 3 working days of the decision to hold one) with :func:`build_rule` or a TOML
file of the same shape, without touching code.

>>> rule = build_rule({
...     "id": "strategy_discussion", "jurisdiction": "england", "amount": 3,
...     "unit": "working_days", "start_event": "decision_to_hold_strategy_discussion",
...     "stop_event": "strategy_discussion_held",
...     "description": "Strategy discussion within 3 working days of the decision",
...     "source": "Local safeguarding children partnership procedures, 4.2"})
>>> default_rulebook().with_rules([rule]).get("england", "strategy_discussion").amount
3
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path

from safehub.timescales.jurisdiction import (
    Jurisdiction,
    UnknownJurisdictionError,
    parse_jurisdiction,
)


class Unit(StrEnum):
    """How a rule's amount is counted."""

    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    CALENDAR_MONTHS = "calendar_months"
    HOURS = "hours"

    @property
    def counted_in(self) -> Unit:
        """The unit in which time remaining or overdue is reported (months are uneven, so days)."""
        return Unit.CALENDAR_DAYS if self is Unit.CALENDAR_MONTHS else self


# Upper bounds catch a slipped digit in an administrator's file (450 for 45 working days would
# still pass, but 4500 would not); no guidance sets a longer clock than two years.
_MAX_AMOUNT = {
    Unit.WORKING_DAYS: 520,
    Unit.CALENDAR_DAYS: 730,
    Unit.CALENDAR_MONTHS: 24,
    Unit.HOURS: 720,
}
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_REQUIRED = (
    "id",
    "jurisdiction",
    "amount",
    "unit",
    "start_event",
    "stop_event",
    "description",
    "source",
)
_OPTIONAL = ("statutory",)


class RuleError(ValueError):
    """A rule definition that cannot be used; the message names the field and the fix."""


class UnknownRuleError(LookupError):
    """No rule with that id in that jurisdiction; the message lists the valid ids."""


class NoRulesError(LookupError):
    """The jurisdiction is valid but has no rules configured."""


@dataclass(frozen=True, slots=True)
class ClockRule:
    """One timescale: ``amount`` ``unit`` from ``start_event`` until ``stop_event`` is due."""

    id: str
    jurisdiction: Jurisdiction
    amount: int
    unit: Unit
    start_event: str
    stop_event: str
    description: str
    source: str
    statutory: bool = False

    def as_dict(self) -> dict[str, object]:
        """The rule as plain data, accepted back by :func:`build_rule`."""
        return {
            "id": self.id,
            "jurisdiction": self.jurisdiction.value,
            "amount": self.amount,
            "unit": self.unit.value,
            "start_event": self.start_event,
            "stop_event": self.stop_event,
            "description": self.description,
            "source": self.source,
            "statutory": self.statutory,
        }


def build_rule(data: Mapping[str, object]) -> ClockRule:
    """Validate a rule given as plain data (from a form, JSON or TOML) and build it.

    Raises :class:`RuleError` naming the first problem found and what is expected.
    """
    _check_keys(data)
    unit = _unit(data["unit"])
    return ClockRule(
        id=_name(data, "id"),
        jurisdiction=_jurisdiction(data["jurisdiction"]),
        amount=_amount(data["amount"], unit),
        unit=unit,
        start_event=_name(data, "start_event"),
        stop_event=_name(data, "stop_event"),
        description=_text(data, "description"),
        source=_text(data, "source"),
        statutory=_flag(data.get("statutory", False)),
    )


def _check_keys(data: Mapping[str, object]) -> None:
    missing = [key for key in _REQUIRED if key not in data]
    if missing:
        raise RuleError(f"rule is missing {', '.join(missing)}; required: {', '.join(_REQUIRED)}")
    unknown = sorted(set(data) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        allowed = ", ".join(_REQUIRED + _OPTIONAL)
        raise RuleError(f"rule has unknown field(s) {', '.join(unknown)}; allowed: {allowed}")


def _unit(value: object) -> Unit:
    try:
        return Unit(str(value))
    except ValueError:
        choices = ", ".join(u.value for u in Unit)
        raise RuleError(f"unit {value!r} is not one of {choices}") from None


def _jurisdiction(value: object) -> Jurisdiction:
    try:
        return parse_jurisdiction(str(value))
    except UnknownJurisdictionError as error:
        raise RuleError(str(error)) from None


def _amount(value: object, unit: Unit) -> int:
    # bool is an int in Python; `amount = true` in a file is a mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleError(f"amount must be a whole number, got {value!r}")
    if not 1 <= value <= _MAX_AMOUNT[unit]:
        raise RuleError(f"amount must be between 1 and {_MAX_AMOUNT[unit]} {unit}, got {value}")
    return value


def _name(data: Mapping[str, object], key: str) -> str:
    value = data[key]
    if not isinstance(value, str) or not _NAME.match(value):
        raise RuleError(
            f"{key} must be lower-case letters, digits and underscores starting with a letter "
            f"(e.g. referral_received), got {value!r}"
        )
    return value


def _text(data: Mapping[str, object], key: str) -> str:
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        raise RuleError(f"{key} must be non-empty text, got {value!r}")
    return value.strip()


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise RuleError(f"statutory must be true or false, got {value!r}")
    return value


class RuleBook:
    """Rules by jurisdiction and id. Immutable: :meth:`with_rules` returns a new book."""

    def __init__(self, rules: Iterable[ClockRule] = ()) -> None:
        self._rules: dict[tuple[Jurisdiction, str], ClockRule] = {}
        for rule in rules:
            key = (rule.jurisdiction, rule.id)
            if key in self._rules:
                raise RuleError(f"rule {rule.id!r} is defined twice for {rule.jurisdiction}")
            self._rules[key] = rule

    def __iter__(self) -> Iterator[ClockRule]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def with_rules(self, rules: Iterable[ClockRule]) -> RuleBook:
        """A new book with ``rules`` added; redefining an existing id is a :class:`RuleError`,
        so a local file cannot quietly loosen a statutory timescale."""
        return RuleBook([*self._rules.values(), *rules])

    def for_jurisdiction(self, jurisdiction: Jurisdiction | str) -> tuple[ClockRule, ...]:
        """The rules of one jurisdiction, in the order they were defined."""
        wanted = parse_jurisdiction(jurisdiction)
        return tuple(rule for rule in self if rule.jurisdiction is wanted)

    def get(self, jurisdiction: Jurisdiction | str, rule_id: str) -> ClockRule:
        """The rule ``rule_id`` of ``jurisdiction``.

        Raises :class:`NoRulesError` for a jurisdiction without rules and
        :class:`UnknownRuleError` (listing the valid ids) for an unknown id.
        """
        wanted = parse_jurisdiction(jurisdiction)
        rules = self.for_jurisdiction(wanted)
        if not rules:
            raise NoRulesError(f"no statutory rules configured for {wanted}")
        for rule in rules:
            if rule.id == rule_id:
                return rule
        choices = ", ".join(rule.id for rule in rules)
        raise UnknownRuleError(f"unknown rule {rule_id!r} for {wanted}: choose one of {choices}")


def load_rules(text: str, *, origin: str = "rules") -> list[ClockRule]:
    """Rules from TOML text holding ``[[rule]]`` tables; errors name ``origin`` and the rule."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RuleError(f"{origin}: not valid TOML: {error}") from None
    tables = document.get("rule", [])
    if set(document) - {"rule"} or not isinstance(tables, list):
        raise RuleError(f"{origin}: expected only [[rule]] tables")
    rules = []
    for number, table in enumerate(tables, start=1):
        try:
            rules.append(build_rule(table))
        except RuleError as error:
            raise RuleError(f"{origin}: rule {number}: {error}") from None
    return rules


def load_rules_file(path: Path) -> list[ClockRule]:
    """Rules from a TOML file (see ``data/rules.toml`` in this package for the shape)."""
    return load_rules(path.read_text(encoding="utf-8"), origin=str(path))


@cache
def default_rulebook() -> RuleBook:
    """The rules shipped with Safehub (England: Working Together 2023 and the missing-children
    guidance)."""
    text = resources.files("safehub.timescales").joinpath("data/rules.toml").read_text("utf-8")
    return RuleBook(load_rules(text, origin="safehub.timescales/data/rules.toml"))
