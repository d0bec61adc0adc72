"""The state of many clocks at once (a team's dashboard, a nightly escalation run, oversight).

Same answers as :func:`safehub.timescales.state.evaluate_clock`, clock for clock (a property
test holds the two paths together), computed with numpy's business-day functions over the
calendar's closed days, so a million clocks take about a second.

Starts and stops are numpy ``datetime64`` arrays: ``datetime64[D]`` holds UK calendar days;
finer units (``h`` to ``ns``) hold **UTC** instants, as PostgreSQL ``timestamptz`` columns come
out, and date-based rules read the UK day of each instant. Hours rules need instants.
A stop of ``NaT`` means the clock is still open.

>>> from datetime import date
>>> import numpy as np
>>> from safehub.timescales.rules import default_rulebook
>>> from safehub.timescales.workdays import WorkingCalendar
>>> rules = default_rulebook().for_jurisdiction("england")[:2]  # referral_decision, assessment
>>> batch = evaluate_clocks(rules, np.array([0, 1]),
...     np.array(["2025-04-17", "2025-04-17"], dtype="datetime64[D]"),
...     now=date(2025, 4, 23), calendar=WorkingCalendar())
>>> [batch.status(i).state.value for i in range(len(batch))]
['overdue', 'on_track']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import numpy.typing as npt

from safehub.timescales.localtime import epoch_us, local_date, local_dates, to_uk_time
from safehub.timescales.rules import ClockRule, Unit
from safehub.timescales.state import (
    DEFAULT_DUE_SOON_HOURS,
    DEFAULT_DUE_SOON_WORKING_DAYS,
    STATE_ORDER,
    ClockState,
    ClockStatus,
)
from safehub.timescales.workdays import WorkingCalendar

_US_PER_HOUR = 3_600_000_000
_INSTANT_UNITS = ("h", "m", "s", "ms", "us")
_UNIT_CODES = {unit: code for code, unit in enumerate(Unit)}
_ONE_DAY = np.timedelta64(1, "D")

Days = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class ClockBatch:
    """States of many clocks; row ``i`` is clock ``i`` of the input.

    ``due_day`` is set for date-based rules and ``due_time`` (UTC, ``datetime64[us]``) for hours
    rules, the other being ``NaT``. ``state`` holds codes: ``STATE_ORDER[code]``.
    """

    rules: tuple[ClockRule, ...]
    rule_index: npt.NDArray[np.intp]
    due_day: Days
    due_time: Days
    state: npt.NDArray[np.int8]
    remaining: Ints
    overdue_by: Ints

    def __len__(self) -> int:
        return int(self.state.size)

    @property
    def needs_reason(self) -> Mask:
        """Overruns (overdue or met late), whose reasons must be recorded."""
        codes = (ClockState.OVERDUE.code, ClockState.MET_LATE.code)
        return np.isin(self.state, codes)

    def counts(self) -> dict[ClockState, int]:
        """How many clocks are in each state."""
        tally = np.bincount(self.state, minlength=len(STATE_ORDER))
        return {state: int(tally[state.code]) for state in STATE_ORDER}

    def status(self, row: int) -> ClockStatus:
        """Row ``row`` as the scalar path's :class:`ClockStatus`."""
        rule = self.rules[int(self.rule_index[row])]
        due: date | datetime
        if rule.unit is Unit.HOURS:
            micros = int(self.due_time[row].astype(np.int64))
            due = to_uk_time(datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros))
        else:
            due = date.fromisoformat(str(self.due_day[row]))
        return ClockStatus(
            rule_id=rule.id,
            due=due,
            state=STATE_ORDER[int(self.state[row])],
            remaining=int(self.remaining[row]),
            overdue_by=int(self.overdue_by[row]),
            counted_in=rule.unit.counted_in,
        )


@dataclass(frozen=True)
class _Clocks:
    """The inputs, checked and spread out per clock."""

    unit: npt.NDArray[np.int8]
    amount: Ints
    start_day: Days
    start_us: Ints | None
    stop_day: Days
    stop_us: Ints | None
    open: Mask


def evaluate_clocks(
    rules: Sequence[ClockRule],
    rule_index: npt.ArrayLike,
    starts: Days,
    *,
    now: date | datetime,
    calendar: WorkingCalendar,
    stops: Days | None = None,
    due_soon_days: int = DEFAULT_DUE_SOON_WORKING_DAYS,
    due_soon_hours: int = DEFAULT_DUE_SOON_HOURS,
) -> ClockBatch:
    """States at ``now`` of clocks ``i`` following ``rules[rule_index[i]]`` from ``starts[i]``.

    Raises ``ValueError`` for a missing start, a stop before its start, or an hours rule
    without instants (day starts or stops, or ``now`` given as a date).
    """
    index = _check_index(rule_index, len(rules), starts)
    clocks = _spread(rules, index, starts, stops)
    has_hours = bool(np.any(clocks.unit == _UNIT_CODES[Unit.HOURS]))
    if has_hours and not isinstance(now, datetime):
        raise ValueError("hours rules need `now` as an aware datetime, not a date")
    today = np.datetime64(local_date(now), "D")
    state, remaining, overdue_by = _blank(index.size)
    due_day = _evaluate_days(clocks, today, calendar, due_soon_days, (state, remaining, overdue_by))
    due_time = np.full(index.size, np.datetime64("NaT"), dtype="datetime64[us]")
    if has_hours:
        assert isinstance(now, datetime)
        due_time = _evaluate_hours(
            clocks, epoch_us(now), due_soon_hours, (state, remaining, overdue_by)
        )
    return ClockBatch(tuple(rules), index, due_day, due_time, state, remaining, overdue_by)


def _check_index(rule_index: npt.ArrayLike, rule_count: int, starts: Days) -> npt.NDArray[np.intp]:
    index = np.asarray(rule_index, dtype=np.intp)
    if index.ndim != 1 or index.shape != starts.shape:
        raise ValueError("rule_index and starts must be 1-d arrays of the same length")
    if index.size and (index.min() < 0 or index.max() >= rule_count):
        raise ValueError(f"rule_index must lie in 0..{rule_count - 1}")
    return index


def _spread(
    rules: Sequence[ClockRule], index: npt.NDArray[np.intp], starts: Days, stops: Days | None
) -> _Clocks:
    unit = np.asarray([_UNIT_CODES[rule.unit] for rule in rules], dtype=np.int8)[index]
    amount = np.asarray([rule.amount for rule in rules], dtype=np.int64)[index]
    if np.any(np.isnat(starts)):
        raise ValueError("every clock needs a start (found NaT in starts)")
    if stops is None:
        stops = np.full(index.size, np.datetime64("NaT"), dtype="datetime64[D]")
    if stops.shape != starts.shape:
        raise ValueError("stops must have the same length as starts")
    hours = unit == _UNIT_CODES[Unit.HOURS]
    start_day, start_us = _days_and_instants(starts, hours, "starts")
    stop_day, stop_us = _days_and_instants(stops, hours, "stops")
    return _Clocks(unit, amount, start_day, start_us, stop_day, stop_us, np.isnat(stops))


def _days_and_instants(values: Days, hours: Mask, name: str) -> tuple[Days, Ints | None]:
    """UK days of every value, and UTC microseconds when the values are instants."""
    unit = np.datetime_data(values.dtype)[0]
    if unit == "D":
        if np.any(hours & ~np.isnat(values)):
            raise ValueError(f"hours rules need instants in {name}, not datetime64[D] days")
        return values, None
    missing = np.isnat(values)
    if unit == "ns":
        # Floor, not truncate, so instants before 1970 land on the same microsecond as Python's.
        micros = values.astype(np.int64) // 1000
    elif unit in _INSTANT_UNITS:
        micros = values.astype("datetime64[us]").astype(np.int64)
    else:
        raise ValueError(f"{name} must be datetime64[D] days or instants (h to ns), got {unit}")
    days = np.full(values.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    days[~missing] = local_dates(micros[~missing])
    return days, micros


def _blank(size: int) -> tuple[npt.NDArray[np.int8], Ints, Ints]:
    return np.zeros(size, np.int8), np.zeros(size, np.int64), np.zeros(size, np.int64)


Outputs = tuple[npt.NDArray[np.int8], Ints, Ints]


def _evaluate_days(
    clocks: _Clocks, today: np.datetime64, calendar: WorkingCalendar, soon: int, out: Outputs
) -> Days:
    """Fill the outputs of date-based clocks and return their due days (NaT for hours)."""
    days = clocks.unit != _UNIT_CODES[Unit.HOURS]
    due = np.full(days.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    if not np.any(days):
        return due
    start, stop = clocks.start_day[days], clocks.stop_day[days]
    unit, amount, still_open = clocks.unit[days], clocks.amount[days], clocks.open[days]
    if np.any(~still_open & (stop < start)):
        raise ValueError("a clock stopped before it started")
    known = np.concatenate([start, stop[~still_open], [today]])
    due_days, busdays = _covered_due_days(calendar, unit, amount, start, known)
    due[days] = due_days
    working = unit == _UNIT_CODES[Unit.WORKING_DAYS]
    end = np.where(still_open, today, stop)
    late_by = _units_between(due_days, end, working, busdays)
    ahead_by = _units_between(end, due_days, working, busdays)
    ahead_working = np.busday_count(end + _ONE_DAY, due_days + _ONE_DAY, busdaycal=busdays)
    conditions = [
        ~still_open & (stop <= due_days),
        ~still_open,
        today > due_days,
        today == due_days,
        ahead_working <= soon,
    ]
    state = _first_true(conditions, _STATES_BY_PRIORITY)
    _store(out, days, state, late_by, ahead_by)
    return due


def _covered_due_days(
    calendar: WorkingCalendar, unit: npt.NDArray[np.int8], amount: Ints, start: Days, known: Days
) -> tuple[Days, np.busdaycalendar]:
    """Due days, computed with a numpy calendar whose holiday list covers every day involved
    (numpy would treat days beyond its list as working days), a year either side as margin."""
    first = _year(known.min()) - 1
    last = _year(known.max()) + int(amount.max()) // 200 + 2
    while True:
        busdays = calendar.busdaycalendar(first, last)
        due_days = _due_days(unit, amount, start, busdays)
        # Only a calendar with very many local closures could run past the margin.
        if _year(due_days.max()) < last:
            return due_days, busdays
        last += 2


def _year(day: np.datetime64) -> int:
    return int(day.astype("datetime64[Y]").astype(np.int64)) + 1970


def _due_days(
    unit: npt.NDArray[np.int8], amount: Ints, start: Days, busdays: np.busdaycalendar
) -> Days:
    due: Days = start + amount.astype("timedelta64[D]")  # calendar days
    working = unit == _UNIT_CODES[Unit.WORKING_DAYS]
    # Rolling a non-working start back to the previous working day leaves the same working
    # days after it, so day 0 may be any day, as the contract says.
    due[working] = np.busday_offset(
        start[working], amount[working], roll="backward", busdaycal=busdays
    )
    months = unit == _UNIT_CODES[Unit.CALENDAR_MONTHS]
    due[months] = _add_months(start[months], amount[months])
    return due


def _add_months(start: Days, months: Ints) -> Days:
    month = start.astype("datetime64[M]")
    day_in_month = (start - month.astype("datetime64[D]")).astype(np.int64)
    target = month + months.astype("timedelta64[M]")
    length = (
        (target + np.timedelta64(1, "M")).astype("datetime64[D]") - target.astype("datetime64[D]")
    ).astype(np.int64)
    clamped = np.minimum(day_in_month, length - 1).astype("timedelta64[D]")
    due: Days = target.astype("datetime64[D]") + clamped
    return due


def _units_between(earlier: Days, later: Days, working: Mask, busdays: np.busdaycalendar) -> Ints:
    """Working days in (earlier, later] for working-day rules, calendar days otherwise; 0 if
    ``later`` is not after ``earlier``."""
    calendar_days = (later - earlier).astype(np.int64)
    counted = np.where(
        working,
        np.busday_count(earlier + _ONE_DAY, later + _ONE_DAY, busdaycal=busdays),
        calendar_days,
    )
    return np.where(later > earlier, counted, 0).astype(np.int64)


def _evaluate_hours(clocks: _Clocks, now_us: int, soon_hours: int, out: Outputs) -> Days:
    """Fill the outputs of hours clocks and return every clock's due instant (NaT for days)."""
    hours = clocks.unit == _UNIT_CODES[Unit.HOURS]
    assert clocks.start_us is not None  # _spread refuses day starts for hours rules
    still_open = clocks.open[hours]
    start = clocks.start_us[hours]
    # Day-typed stops were accepted only if every hours clock is still open.
    stop = start if clocks.stop_us is None else clocks.stop_us[hours]
    if np.any(~still_open & (stop < start)):
        raise ValueError("a clock stopped before it started")
    due_us = start + clocks.amount[hours] * _US_PER_HOUR
    end = np.where(still_open, now_us, stop)
    late_by = -(-(end - due_us) // _US_PER_HOUR)
    ahead_by = (due_us - end) // _US_PER_HOUR
    today = local_dates(np.asarray([now_us], dtype=np.int64))[0]
    conditions = [
        ~still_open & (stop <= due_us),
        ~still_open,
        now_us > due_us,
        local_dates(due_us) == today,
        due_us - now_us <= soon_hours * _US_PER_HOUR,
    ]
    state = _first_true(conditions, _STATES_BY_PRIORITY)
    _store(out, hours, state, np.maximum(late_by, 0), np.maximum(ahead_by, 0))
    due = np.full(hours.shape, np.datetime64("NaT"), dtype="datetime64[us]")
    due[hours] = due_us.astype("datetime64[us]")
    return due


def _code(state: ClockState) -> int:
    return state.code


# Conditions are tested in this order; a clock matching none is on track.
_STATES_BY_PRIORITY = (
    ClockState.MET,
    ClockState.MET_LATE,
    ClockState.OVERDUE,
    ClockState.DUE_TODAY,
    ClockState.DUE_SOON,
)


def _first_true(conditions: list[Mask], states: tuple[ClockState, ...]) -> npt.NDArray[np.int8]:
    codes = [_code(state) for state in states]
    chosen = np.select(conditions, codes, _code(ClockState.ON_TRACK))
    return chosen.astype(np.int8)


def _store(out: Outputs, rows: Mask, state: npt.NDArray[np.int8], late: Ints, ahead: Ints) -> None:
    """Write one group's results; met clocks report neither time left nor overrun."""
    state_out, remaining_out, overdue_out = out
    overrun = np.isin(state, (_code(ClockState.OVERDUE), _code(ClockState.MET_LATE)))
    counting = np.isin(
        state, (_code(ClockState.DUE_TODAY), _code(ClockState.DUE_SOON), _code(ClockState.ON_TRACK))
    )
    state_out[rows] = state
    overdue_out[rows] = np.where(overrun, late, 0)
    remaining_out[rows] = np.where(counting, ahead, 0)
