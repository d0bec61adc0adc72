"""The rule book of clocks and the state of one clock.

The shipped rules (``safehub.timescales``: Working Together 2023 by default) and the local rules
an administrator sets in the UI make one rule book; a clock's state at a moment comes from its
rule through the engine. Actions agreed at meetings follow a rule too, ``DEADLINE_RULE``, with a
due date set by people.

>>> rule_for(default_rulebook(), "england", DEADLINE_RULE).description
'Action agreed at a meeting, done by its due date'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Protocol

from safehub.db.models.timeliness import LocalClockRule
from safehub.db.queries import timeliness as q
from safehub.db.uow import UnitOfWork
from safehub.services.errors import NotFoundError
from safehub.timescales import (
    ClockRule,
    ClockState,
    ClockStatus,
    RuleBook,
    RuleError,
    Unit,
    WorkingCalendar,
    build_rule,
    default_rulebook,
    evaluate_clock,
    local_date,
)

DEADLINE_RULE = "action_deadline"
DEFAULT_JURISDICTION = "england"
# A deadline set by people is evaluated as a one-calendar-day rule ending on its due day: the
# state of a calendar-day clock depends only on its due day, so the engine's states apply as is.
DEADLINE = build_rule(
    {
        "id": DEADLINE_RULE,
        "jurisdiction": DEFAULT_JURISDICTION,
        "amount": 1,
        "unit": "calendar_days",
        "start_event": "action_agreed",
        "stop_event": "action_done",
        "description": "Action agreed at a meeting, done by its due date",
        "source": "Set by the meeting that agreed the action",
    }
)


@cache
def working_calendar(jurisdiction: str) -> WorkingCalendar:
    """One calendar per jurisdiction per process: its holiday tables are built once."""
    return WorkingCalendar(jurisdiction)


def current_rulebook(uow: UnitOfWork) -> RuleBook:
    """The shipped rules and the local rules administrators have set (active or retired, so
    that clocks started under a retired rule can still be read)."""
    local = q.list_local_rules(uow.session)
    return default_rulebook().with_rules(rule_from_row(row) for row in local)


def rule_from_row(row: LocalClockRule) -> ClockRule:
    return build_rule(
        {
            "id": row.rule_id,
            "jurisdiction": row.jurisdiction,
            "amount": row.amount,
            "unit": row.unit,
            "start_event": row.start_event,
            "stop_event": row.stop_event,
            "description": row.description,
            "source": row.source,
        }
    )


def rule_for(book: RuleBook, jurisdiction: str, rule_id: str) -> ClockRule:
    return DEADLINE if rule_id == DEADLINE_RULE else book.get(jurisdiction, rule_id)


class ClockLike(Protocol):
    """What the state of a clock depends on (a ``Clock`` row, or a row of a query)."""

    @property
    def rule_id(self) -> str: ...
    @property
    def jurisdiction(self) -> str: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def due_on(self) -> date: ...
    @property
    def stopped_at(self) -> datetime | None: ...


def clock_status(
    clock: ClockLike, *, rule: ClockRule, now: datetime, stopped: datetime | None = None
) -> ClockStatus:
    """The clock's state at ``now`` (stopped at ``stopped``, or its own stop), from the engine."""
    stop = stopped or clock.stopped_at
    if clock.rule_id == DEADLINE_RULE:
        start = clock.due_on - timedelta(days=1)
        # A deadline met before the day before it is due is met all the same.
        stop_day = max(local_date(stop), start) if stop else None
        return evaluate_clock(
            rule,
            start=start,
            now=now,
            stopped=stop_day,
            calendar=working_calendar(clock.jurisdiction),
        )
    return evaluate_clock(
        rule,
        start=clock.started_at,
        now=now,
        stopped=stop,
        calendar=working_calendar(clock.jurisdiction),
    )


def state_label(state: str | ClockState) -> str:
    """'due_today' -> 'Due today'."""
    value = state.value if isinstance(state, ClockState) else state
    return value.replace("_", " ").capitalize()


def unit_label(unit: Unit, amount: int) -> str:
    names = {
        Unit.WORKING_DAYS: "working day",
        Unit.CALENDAR_DAYS: "day",
        Unit.HOURS: "hour",
        Unit.CALENDAR_MONTHS: "month",
    }
    return f"{amount} {names[unit]}{'' if amount == 1 else 's'}"


def list_rules(uow: UnitOfWork) -> list[tuple[ClockRule, bool | None]]:
    """Every rule with, for local rules, whether it is active (None for shipped rules)."""
    active = q.list_local_rule_states(uow.session)
    return [(rule, active.get(rule.id)) for rule in current_rulebook(uow)]


class LocalRuleError(RuleError):
    """A local timescale that cannot be set: ``errors`` says what to correct, by field (the
    rule engine names the first problem it finds)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class LocalRuleDraft:
    """A local timescale as an administrator gives it. ``amount`` is kept as typed when it is
    not a whole number, so that the message can quote it."""

    rule_id: str
    amount: int | str
    unit: str
    start_event: str
    stop_event: str
    description: str
    source: str
    jurisdiction: str = DEFAULT_JURISDICTION

    def rule(self) -> ClockRule:
        """The rule it defines; ``RuleError`` naming the field to correct."""
        return build_rule(
            {
                "id": self.rule_id,
                "jurisdiction": self.jurisdiction,
                "amount": self.amount,
                "unit": self.unit,
                "start_event": self.start_event,
                "stop_event": self.stop_event,
                "description": self.description,
                "source": self.source,
                "statutory": False,
            }
        )

    def problems(self) -> dict[str, str]:
        """Problems by field (empty when the rule can be set, unless its id is taken)."""
        try:
            self.rule()
        except RuleError as error:
            return {"rule": str(error)}
        return {}


def add_local_rule(uow: UnitOfWork, *, rule: LocalRuleDraft) -> LocalClockRule:
    """An administrator sets a local timescale (e.g. a strategy discussion within 3 working days
    of the decision to hold one). Raises ``LocalRuleError`` naming the field to correct; a local
    rule cannot redefine a shipped (statutory) one."""
    errors = rule.problems()
    if errors:
        raise LocalRuleError(errors)
    made = rule.rule()
    try:
        current_rulebook(uow).with_rules([made])  # refuses an id already defined
    except RuleError as taken:
        raise LocalRuleError({"rule": str(taken)}) from taken
    return _keep_rule(uow, made)


def _keep_rule(uow: UnitOfWork, rule: ClockRule) -> LocalClockRule:
    row = LocalClockRule(
        rule_id=rule.id,
        jurisdiction=rule.jurisdiction.value,
        amount=rule.amount,
        unit=rule.unit.value,
        start_event=rule.start_event,
        stop_event=rule.stop_event,
        description=rule.description,
        source=rule.source,
        active=True,
        created_by_user_id=uow.actor.user_id,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit("alteration", "local_clock_rule", [row.id], purpose="local timescale set")
    return row


def retire_local_rule(uow: UnitOfWork, *, rule_id: str) -> LocalClockRule:
    """Stop a local rule starting new clocks; clocks already running keep it."""
    row = q.get_local_rule(uow.session, rule_id)
    if row is None:
        raise NotFoundError(f"local rule {rule_id}")
    row.active = False
    uow.audit("alteration", "local_clock_rule", [row.id], purpose="local timescale retired")
    return row
