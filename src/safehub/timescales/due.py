"""When a clock falls due (contract: ``safehub timescales due``).

- Working days: the Nth working day strictly after the start day (day 0 is the start day,
  whatever it is, a weekend or a bank holiday included).
- Calendar months: the same day N months later, clamped to the month's last day, and **never
  moved** to a working day (Working Together sets "within three months", not working days).
- Calendar days: N days later, never moved.
- Hours: N elapsed hours later (so 72 hours across the clock change is still 72 hours).

>>> from datetime import date
>>> from safehub.timescales.rules import default_rulebook
>>> from safehub.timescales.workdays import WorkingCalendar
>>> rules, calendar = default_rulebook(), WorkingCalendar("england")
>>> due_date(rules.get("england", "assessment"), date(2025, 1, 6), calendar)
datetime.date(2025, 3, 10)
>>> due_date(rules.get("england", "first_review"), date(2024, 11, 30), calendar)
datetime.date(2025, 2, 28)
"""

from __future__ import annotations

import calendar as gregorian
from datetime import UTC, date, datetime, timedelta

from safehub.timescales.localtime import local_date, require_aware, to_uk_time
from safehub.timescales.rules import ClockRule, Unit
from safehub.timescales.workdays import WorkingCalendar


def add_calendar_months(start: date, months: int) -> date:
    """``start`` plus ``months``, clamped to the last day of the target month.

    >>> add_calendar_months(date(2024, 1, 31), 1)
    datetime.date(2024, 2, 29)
    """
    month_index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(month_index, 12)
    last_day = gregorian.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last_day))


def due_date(rule: ClockRule, start: date | datetime, calendar: WorkingCalendar) -> date:
    """The day a date-based rule (working days, calendar days or months) falls due.

    ``start`` may be an aware datetime: its UK calendar day is day 0.
    """
    day0 = local_date(start)
    if rule.unit is Unit.WORKING_DAYS:
        return calendar.add_working_days(day0, rule.amount)
    if rule.unit is Unit.CALENDAR_MONTHS:
        return add_calendar_months(day0, rule.amount)
    if rule.unit is Unit.CALENDAR_DAYS:
        return day0 + timedelta(days=rule.amount)
    raise ValueError(f"rule {rule.id} is counted in {rule.unit}: use due_time for its due time")


def due_time(rule: ClockRule, start: datetime) -> datetime:
    """The instant an hours rule falls due, in UK local time.

    >>> from safehub.timescales.localtime import UK_TIME
    >>> from safehub.timescales.rules import default_rulebook
    >>> rule = default_rulebook().get("england", "return_home_interview")
    >>> due_time(rule, datetime(2025, 3, 29, 9, 0, tzinfo=UK_TIME)).isoformat()
    '2025-04-01T10:00:00+01:00'
    """
    if rule.unit is not Unit.HOURS:
        raise ValueError(f"rule {rule.id} is counted in {rule.unit}: use due_date for its due day")
    if not isinstance(start, datetime):
        raise ValueError(f"rule {rule.id} is counted in hours: its start needs a time of day")
    # Add in UTC: aware arithmetic in a local zone adds wall-clock time, not elapsed time.
    utc_start = require_aware(start, f"the start of {rule.id}").astimezone(UTC)
    return to_uk_time(utc_start + timedelta(hours=rule.amount))


def due(rule: ClockRule, start: date | datetime, calendar: WorkingCalendar) -> date | datetime:
    """:func:`due_time` for hours rules, :func:`due_date` for the rest."""
    if rule.unit is Unit.HOURS:
        if not isinstance(start, datetime):
            raise ValueError(f"rule {rule.id} is counted in hours: its start needs a time of day")
        return due_time(rule, start)
    return due_date(rule, start, calendar)
