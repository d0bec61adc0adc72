"""The state of one clock: met, met late, overdue, due today, due soon or on track.

Working Together asks that a timescale which is missed has its reason recorded, so every overrun
(``overdue`` or ``met_late``) carries ``needs_reason``.

How far off a clock is, is counted in the rule's unit: working days for working-day rules,
calendar days for calendar-day and month rules (months are uneven), whole hours for hours rules
(time remaining rounded down, time overdue rounded up: 10 minutes late is 1 hour late).
A working-day clock due on Friday is overdue on Saturday by 0 working days, and by 1 on Monday.

>>> from datetime import date
>>> from safehub.timescales.rules import default_rulebook
>>> from safehub.timescales.workdays import WorkingCalendar
>>> rule = default_rulebook().get("england", "referral_decision")
>>> status = evaluate_clock(rule, start=date(2025, 4, 17), now=date(2025, 4, 23),
...                         calendar=WorkingCalendar())
>>> status.due, status.state.value, status.overdue_by, status.needs_reason
(datetime.date(2025, 4, 22), 'overdue', 1, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from safehub.timescales.due import due_date, due_time
from safehub.timescales.localtime import local_date, require_aware
from safehub.timescales.rules import ClockRule, Unit
from safehub.timescales.workdays import WorkingCalendar

DEFAULT_DUE_SOON_WORKING_DAYS = 2
DEFAULT_DUE_SOON_HOURS = 24
_HOUR = timedelta(hours=1)


class ClockState(StrEnum):
    """Where a clock stands. The order is the code used by the vectorised path."""

    MET = "met"
    MET_LATE = "met_late"
    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    DUE_SOON = "due_soon"
    ON_TRACK = "on_track"

    @property
    def code(self) -> int:
        return STATE_ORDER.index(self)

    @property
    def needs_reason(self) -> bool:
        """An overrun, whose reason Working Together asks to be recorded."""
        return self in (ClockState.OVERDUE, ClockState.MET_LATE)


STATE_ORDER = tuple(ClockState)


@dataclass(frozen=True, slots=True)
class ClockStatus:
    """A clock's state at ``now``. ``remaining`` and ``overdue_by`` are in ``counted_in``."""

    rule_id: str
    due: date | datetime
    state: ClockState
    remaining: int
    overdue_by: int
    counted_in: Unit

    @property
    def needs_reason(self) -> bool:
        return self.state.needs_reason


def evaluate_clock(
    rule: ClockRule,
    *,
    start: date | datetime,
    now: date | datetime,
    calendar: WorkingCalendar,
    stopped: date | datetime | None = None,
    due_soon_days: int = DEFAULT_DUE_SOON_WORKING_DAYS,
    due_soon_hours: int = DEFAULT_DUE_SOON_HOURS,
) -> ClockStatus:
    """The state at ``now`` of a clock started at ``start`` and, if met, stopped at ``stopped``.

    Date-based rules read the UK calendar day of any (aware) datetime; hours rules need aware
    datetimes for ``start``, ``now`` and ``stopped``. A stop before the start is a
    ``ValueError`` (it would make a clock look met that never ran).
    ``due_soon_days`` is in working days; ``due_soon_hours`` applies to hours rules.
    """
    if rule.unit is Unit.HOURS:
        return _evaluate_hours(rule, start, now, stopped, due_soon_hours)
    return _evaluate_days(rule, start, now, stopped, calendar, due_soon_days)


def _evaluate_days(
    rule: ClockRule,
    start: date | datetime,
    now: date | datetime,
    stopped: date | datetime | None,
    calendar: WorkingCalendar,
    due_soon_days: int,
) -> ClockStatus:
    day0 = local_date(start)
    due = due_date(rule, day0, calendar)

    def status(state: ClockState, remaining: int = 0, overdue_by: int = 0) -> ClockStatus:
        return ClockStatus(rule.id, due, state, remaining, overdue_by, rule.unit.counted_in)

    def units_between(earlier: date, later: date) -> int:
        if rule.unit is Unit.WORKING_DAYS:
            return calendar.working_days_between(earlier, later)
        return (later - earlier).days

    if stopped is not None:
        stop_day = local_date(stopped)
        _check_stop_after_start(rule, day0, stop_day)
        if stop_day <= due:
            return status(ClockState.MET)
        return status(ClockState.MET_LATE, overdue_by=units_between(due, stop_day))
    today = local_date(now)
    if today > due:
        return status(ClockState.OVERDUE, overdue_by=units_between(due, today))
    if today == due:
        return status(ClockState.DUE_TODAY)
    remaining = units_between(today, due)
    if calendar.working_days_between(today, due) <= due_soon_days:
        return status(ClockState.DUE_SOON, remaining=remaining)
    return status(ClockState.ON_TRACK, remaining=remaining)


def _evaluate_hours(
    rule: ClockRule,
    start: date | datetime,
    now: date | datetime,
    stopped: date | datetime | None,
    due_soon_hours: int,
) -> ClockStatus:
    start_time = _need_time(rule, start, "start")
    due = due_time(rule, start_time)

    def status(state: ClockState, remaining: int = 0, overdue_by: int = 0) -> ClockStatus:
        return ClockStatus(rule.id, due, state, remaining, overdue_by, Unit.HOURS)

    if stopped is not None:
        stop_time = _need_time(rule, stopped, "stop")
        _check_stop_after_start(rule, start_time, stop_time)
        if stop_time <= due:
            return status(ClockState.MET)
        return status(ClockState.MET_LATE, overdue_by=_ceil_hours(stop_time - due))
    now_time = _need_time(rule, now, "now")
    if now_time > due:
        return status(ClockState.OVERDUE, overdue_by=_ceil_hours(now_time - due))
    remaining = (due - now_time) // _HOUR
    if local_date(now_time) == local_date(due):
        return status(ClockState.DUE_TODAY, remaining=remaining)
    if due - now_time <= timedelta(hours=due_soon_hours):
        return status(ClockState.DUE_SOON, remaining=remaining)
    return status(ClockState.ON_TRACK, remaining=remaining)


def _need_time(rule: ClockRule, value: date | datetime, what: str) -> datetime:
    if not isinstance(value, datetime):
        raise ValueError(f"rule {rule.id} is counted in hours: its {what} needs a time of day")
    return require_aware(value, f"the {what} of {rule.id}")


def _check_stop_after_start(rule: ClockRule, start: date, stop: date) -> None:
    if stop < start:
        raise ValueError(f"clock {rule.id} stopped ({stop}) before it started ({start})")


def _ceil_hours(span: timedelta) -> int:
    return -(-span // _HOUR)
