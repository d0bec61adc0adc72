"""Working-day calendars: Monday to Friday, less bank holidays and local closure days.

Bank holidays come from the ``holidays`` library, which includes substitute days (Christmas 2021
falling on a Saturday gives Monday 27 and Tuesday 28 December) and one-off days (the Queen's
state funeral on 19 September 2022, the coronation on 8 May 2023). Each year's closed days are
computed once and kept, because a page of clocks asks the same few years thousands of times.

>>> from datetime import date
>>> calendar = WorkingCalendar("england")
>>> calendar.add_working_days(date(2021, 12, 24), 1)  # Christmas, Boxing Day, substitutes
datetime.date(2021, 12, 29)
>>> calendar.with_closures({date(2021, 12, 29): "Council closure"}).add_working_days(
...     date(2021, 12, 24), 1)
datetime.date(2021, 12, 30)
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

import holidays
import numpy as np

from safehub.timescales.jurisdiction import Jurisdiction, parse_jurisdiction

# UK working weeks are Monday to Friday in every nation; numpy spells that as a weekmask.
WEEKMASK = "1111100"
_SATURDAY = 5
# A year has at least ~250 working days; used to guess how many years a count may span.
_MIN_WORKING_DAYS_PER_YEAR = 240

Closures = Mapping[date, str] | Iterable[date]


class WorkingCalendar:
    """The working days of one UK jurisdiction, optionally with local closure days.

    Immutable from the outside: :meth:`with_closures` returns a new calendar. Safe to share
    between threads (the per-year caches are filled under a lock).
    """

    def __init__(
        self, jurisdiction: Jurisdiction | str = Jurisdiction.ENGLAND, closures: Closures = ()
    ) -> None:
        self._jurisdiction = parse_jurisdiction(jurisdiction)
        self._closures = _closure_names(closures)
        self._lock = threading.Lock()
        self._closed_by_year: dict[int, dict[date, str]] = {}
        self._first_year = 0
        self._last_year = -1
        self._working_ordinals: list[int] = []

    @property
    def jurisdiction(self) -> Jurisdiction:
        return self._jurisdiction

    @property
    def closures(self) -> dict[date, str]:
        """Local closure days added to this calendar, by date."""
        return dict(self._closures)

    def with_closures(self, closures: Closures) -> WorkingCalendar:
        """A new calendar with extra local closure days (e.g. a council's Christmas shutdown)."""
        merged = {**self._closures, **_closure_names(closures)}
        return WorkingCalendar(self._jurisdiction, merged)

    def closed_days(self, year: int) -> dict[date, str]:
        """Bank holidays and local closures in ``year``, by date, sorted (weekends excluded
        unless a holiday falls on one)."""
        with self._lock:
            return dict(self._closed_days_locked(year))

    def is_working_day(self, day: date) -> bool:
        """True for a Monday to Friday that is neither a bank holiday nor a local closure."""
        return day.weekday() < _SATURDAY and day not in self.closed_days(day.year)

    def add_working_days(self, start: date, count: int) -> date:
        """The ``count``-th working day strictly after ``start`` (``start`` is day 0, whatever
        day it is).

        >>> WorkingCalendar().add_working_days(date(2025, 3, 29), 1)  # Saturday -> Monday
        datetime.date(2025, 3, 31)
        """
        if count < 1:
            raise ValueError(f"count must be at least 1 working day, got {count}")
        span_years = count // _MIN_WORKING_DAYS_PER_YEAR + 1
        while True:
            with self._lock:
                self._ensure_years(start.year, start.year + span_years)
                after = bisect_right(self._working_ordinals, start.toordinal())
                if after + count - 1 < len(self._working_ordinals):
                    return date.fromordinal(self._working_ordinals[after + count - 1])
            span_years += 1

    def working_days_between(self, earlier: date, later: date) -> int:
        """Working days in the half-open span (``earlier``, ``later``]; negative if reversed.

        >>> WorkingCalendar().working_days_between(date(2025, 4, 17), date(2025, 4, 22))
        1
        """
        if later < earlier:
            return -self.working_days_between(later, earlier)
        with self._lock:
            self._ensure_years(earlier.year, later.year)
            ordinals = self._working_ordinals
            return bisect_right(ordinals, later.toordinal()) - bisect_right(
                ordinals, earlier.toordinal()
            )

    def busdaycalendar(self, first_year: int, last_year: int) -> np.busdaycalendar:
        """A numpy business-day calendar with the same closed days, for vectorised counts."""
        closed = [
            day for year in range(first_year, last_year + 1) for day in self.closed_days(year)
        ]
        return np.busdaycalendar(
            weekmask=WEEKMASK, holidays=np.asarray(closed, dtype="datetime64[D]")
        )

    def _closed_days_locked(self, year: int) -> dict[date, str]:
        cached = self._closed_by_year.get(year)
        if cached is None:
            cached = self._compute_closed_days(year)
            self._closed_by_year[year] = cached
        return cached

    def _compute_closed_days(self, year: int) -> dict[date, str]:
        bank = holidays.country_holidays(
            "GB", subdiv=self._jurisdiction.holidays_subdivision, years=year
        )
        closed: dict[date, str] = {day: str(name) for day, name in bank.items() if day.year == year}
        for day, name in self._closures.items():
            if day.year == year:
                closed[day] = f"{closed[day]}; {name}" if day in closed else name
        return dict(sorted(closed.items()))

    def _ensure_years(self, first: int, last: int) -> None:
        """Make the working-day index cover ``first``..``last`` whole years (lock held)."""
        if self._first_year <= first and last <= self._last_year:
            return
        if self._last_year >= self._first_year:
            first, last = min(first, self._first_year), max(last, self._last_year)
        ordinals: list[int] = []
        for year in range(first, last + 1):
            closed = self._closed_days_locked(year)
            day, end = date(year, 1, 1), date(year + 1, 1, 1)
            while day < end:
                if day.weekday() < _SATURDAY and day not in closed:
                    ordinals.append(day.toordinal())
                day += timedelta(days=1)
        self._first_year, self._last_year, self._working_ordinals = first, last, ordinals


def _closure_names(closures: Closures) -> dict[date, str]:
    if isinstance(closures, Mapping):
        named = dict(closures.items())
    else:
        named = dict.fromkeys(closures, "Local closure")
    for day in named:
        # A datetime never equals a date, so it would silently close nothing.
        if isinstance(day, datetime) or not isinstance(day, date):
            raise TypeError(f"closure days must be dates, got {day!r}")
    return named
