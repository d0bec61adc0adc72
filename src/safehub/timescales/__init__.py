"""Working-day calendars and statutory clocks: pure domain rules, no web or database imports.

>>> from datetime import date
>>> from safehub.timescales import WorkingCalendar, default_rulebook, due_date, evaluate_clock
>>> calendar = WorkingCalendar("england")
>>> rule = default_rulebook().get("england", "initial_conference")
>>> due_date(rule, date(2022, 9, 9), calendar)  # the Queen's funeral (19 Sept) is not worked
datetime.date(2022, 10, 3)
>>> evaluate_clock(rule, start=date(2022, 9, 9), now=date(2022, 9, 29),
...                calendar=calendar).state.value
'due_soon'
"""

from safehub.timescales.batch import ClockBatch, evaluate_clocks
from safehub.timescales.due import add_calendar_months, due, due_date, due_time
from safehub.timescales.jurisdiction import (
    VALID_JURISDICTIONS,
    Jurisdiction,
    UnknownJurisdictionError,
    parse_jurisdiction,
)
from safehub.timescales.localtime import UK_TIME, local_date
from safehub.timescales.rules import (
    ClockRule,
    NoRulesError,
    RuleBook,
    RuleError,
    Unit,
    UnknownRuleError,
    build_rule,
    default_rulebook,
    load_rules,
    load_rules_file,
)
from safehub.timescales.state import (
    DEFAULT_DUE_SOON_HOURS,
    DEFAULT_DUE_SOON_WORKING_DAYS,
    STATE_ORDER,
    ClockState,
    ClockStatus,
    evaluate_clock,
)
from safehub.timescales.workdays import WorkingCalendar

__all__ = [
    "DEFAULT_DUE_SOON_HOURS",
    "DEFAULT_DUE_SOON_WORKING_DAYS",
    "STATE_ORDER",
    "UK_TIME",
    "VALID_JURISDICTIONS",
    "ClockBatch",
    "ClockRule",
    "ClockState",
    "ClockStatus",
    "Jurisdiction",
    "NoRulesError",
    "RuleBook",
    "RuleError",
    "Unit",
    "UnknownJurisdictionError",
    "UnknownRuleError",
    "WorkingCalendar",
    "add_calendar_months",
    "build_rule",
    "default_rulebook",
    "due",
    "due_date",
    "due_time",
    "evaluate_clock",
    "evaluate_clocks",
    "load_rules",
    "load_rules_file",
    "local_date",
    "parse_jurisdiction",
]
