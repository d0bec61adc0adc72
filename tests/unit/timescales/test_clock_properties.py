"""Properties over random dates: due dates obey the contract, and the vectorised path agrees with
the scalar one clock for clock (including around the clock changes)."""

from __future__ import annotations

import calendar as gregorian
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safehub.timescales import (
    ClockRule,
    ClockState,
    Unit,
    WorkingCalendar,
    build_rule,
    default_rulebook,
    due_date,
    evaluate_clock,
    evaluate_clocks,
)
from safehub.timescales.localtime import epoch_us, local_date, local_dates

settings.register_profile("timescales", deadline=None, max_examples=150)
PROFILE = settings.get_profile("timescales")

ENGLAND = WorkingCalendar("england")
# Closures test that local days reach numpy's calendar as well as the scalar one.
COUNCIL = ENGLAND.with_closures(
    [date(2021, 12, 29), date(2021, 12, 30), date(2024, 12, 27), date(2025, 12, 29)]
)


def local_rule(rule_id: str, amount: int, unit: str) -> ClockRule:
    return build_rule(
        {
            "id": rule_id,
            "jurisdiction": "england",
            "amount": amount,
            "unit": unit,
            "start_event": "started",
            "stop_event": "stopped",
            "description": "test rule",
            "source": "test",
        }
    )


ALL_RULES = (
    *default_rulebook().for_jurisdiction("england"),
    local_rule("one_month", 1, "calendar_months"),
    local_rule("ten_days", 10, "calendar_days"),
    local_rule("strategy", 3, "working_days"),
    local_rule("one_hour", 1, "hours"),
)
DAY_RULES = tuple(rule for rule in ALL_RULES if rule.unit is not Unit.HOURS)
WORKING_DAY_RULES = tuple(rule for rule in ALL_RULES if rule.unit is Unit.WORKING_DAYS)

days = st.dates(date(2015, 1, 1), date(2035, 12, 31))


def _clock_changes() -> list[datetime]:
    """Instants of the UK clock changes (01:00 UTC, last Sundays of March and October)."""
    changes = []
    for year in range(2015, 2036):
        for month in (3, 10):
            last = max(week[6] for week in gregorian.monthcalendar(year, month))  # last Sunday
            changes.append(datetime(year, month, last, 1, 0, tzinfo=UTC))
    return changes


anywhere = st.datetimes(datetime(2015, 1, 1), datetime(2035, 12, 31), timezones=st.just(UTC))
near_a_change = st.builds(
    lambda change, seconds: change + timedelta(seconds=seconds),
    st.sampled_from(_clock_changes()),
    st.sampled_from([-1, 0, 1]) | st.integers(-26 * 3600, 26 * 3600),
)
instants = st.one_of(anywhere, near_a_change)


def brute_force_working_days(calendar: WorkingCalendar, earlier: date, later: date) -> int:
    count, day = 0, earlier
    while day < later:
        day += timedelta(days=1)
        count += calendar.is_working_day(day)
    return count


@PROFILE
@given(rule=st.sampled_from(WORKING_DAY_RULES), start=days)
def test_due_date_is_the_nth_working_day_strictly_after_the_start(
    rule: ClockRule, start: date
) -> None:
    due = due_date(rule, start, COUNCIL)
    assert COUNCIL.is_working_day(due)
    assert brute_force_working_days(COUNCIL, start, due) == rule.amount
    assert brute_force_working_days(COUNCIL, start, due - timedelta(days=1)) == rule.amount - 1
    assert COUNCIL.working_days_between(start, due) == rule.amount


@PROFILE
@given(start=days, months=st.integers(1, 24))
def test_month_rules_keep_the_day_of_month_or_clamp_to_the_months_end(
    start: date, months: int
) -> None:
    due = due_date(local_rule("months", months, "calendar_months"), start, ENGLAND)
    assert (due.year * 12 + due.month) - (start.year * 12 + start.month) == months
    assert due.day == min(start.day, gregorian.monthrange(due.year, due.month)[1])


@PROFILE
@given(instant=instants)
def test_vectorised_uk_day_of_an_instant_matches_zoneinfo(instant: datetime) -> None:
    vectorised = local_dates(np.asarray([epoch_us(instant)], dtype=np.int64))[0]
    assert date.fromisoformat(str(vectorised)) == local_date(instant)


# Starts are drawn relative to `now` (from a few days after it to ~7 months before) so that
# every state, due today and due soon included, is reached often.
day_clocks = st.lists(
    st.tuples(
        st.integers(0, len(DAY_RULES) - 1),
        st.integers(-5, 60) | st.integers(-5, 200),
        st.none() | st.integers(0, 200),
    ),
    min_size=1,
    max_size=30,
)


@PROFILE
@given(clocks=day_clocks, now=days, soon=st.integers(0, 5))
def test_vectorised_states_equal_scalar_states_for_day_clocks(
    clocks: list[tuple[int, int, int | None]], now: date, soon: int
) -> None:
    timed = [(rule, now - timedelta(days=back), late) for rule, back, late in clocks]
    index = np.asarray([rule for rule, _, _ in timed])
    starts = np.asarray([start for _, start, _ in timed], dtype="datetime64[D]")
    stop_days = [None if late is None else start + timedelta(days=late) for _, start, late in timed]
    stops = np.asarray([np.datetime64("NaT") if s is None else s for s in stop_days], "M8[D]")
    batch = evaluate_clocks(
        DAY_RULES, index, starts, now=now, calendar=COUNCIL, stops=stops, due_soon_days=soon
    )
    for row, (rule, start, _) in enumerate(timed):
        expected = evaluate_clock(
            DAY_RULES[rule],
            start=start,
            now=now,
            stopped=stop_days[row],
            calendar=COUNCIL,
            due_soon_days=soon,
        )
        assert batch.status(row) == expected


instant_clocks = st.lists(
    st.tuples(
        st.integers(0, len(ALL_RULES) - 1),
        # Minutes before `now`; the listed ones put `now` on the hours rules' boundaries.
        st.sampled_from([0, 1, 59, 60, 61, 2879, 2880, 2881, 4319, 4320, 4321])
        | st.integers(-600, 60 * 24 * 5)
        | st.integers(-600, 60 * 24 * 200),
        st.none() | st.integers(0, 60 * 24 * 120),
    ),
    min_size=1,
    max_size=30,
)


def to_numpy(moment: datetime) -> np.datetime64:
    return np.datetime64(moment.astimezone(UTC).replace(tzinfo=None), "us")


@PROFILE
@given(clocks=instant_clocks, now=instants, unit=st.sampled_from(["s", "us", "ns"]))
def test_vectorised_states_equal_scalar_states_for_utc_instants(
    clocks: list[tuple[int, int, int | None]], now: datetime, unit: str
) -> None:
    # Whole seconds, so that the datetime64[s] variant holds the same instants.
    now = now.replace(microsecond=0)
    timed = [(rule, now - timedelta(minutes=back), late) for rule, back, late in clocks]
    stop_times = [
        None if late is None else start + timedelta(minutes=late) for _, start, late in timed
    ]
    starts = np.asarray([to_numpy(start) for _, start, _ in timed]).astype(f"M8[{unit}]")
    stops = np.asarray(
        [np.datetime64("NaT") if s is None else to_numpy(s) for s in stop_times], "M8[us]"
    ).astype(f"M8[{unit}]")
    index = np.asarray([rule for rule, _, _ in timed])
    batch = evaluate_clocks(ALL_RULES, index, starts, now=now, calendar=ENGLAND, stops=stops)
    for row, (rule, start, _) in enumerate(timed):
        expected = evaluate_clock(
            ALL_RULES[rule], start=start, now=now, stopped=stop_times[row], calendar=ENGLAND
        )
        assert batch.status(row) == expected


def test_batch_counts_states_and_flags_overruns() -> None:
    referral = default_rulebook().get("england", "referral_decision")
    starts = np.asarray(["2025-04-17", "2025-04-17", "2025-04-22"], dtype="M8[D]")
    stops = np.asarray(["NaT", "2025-04-23", "NaT"], dtype="M8[D]")
    batch = evaluate_clocks(
        [referral], [0, 0, 0], starts, now=date(2025, 4, 23), calendar=ENGLAND, stops=stops
    )
    counts = batch.counts()
    assert (counts[ClockState.OVERDUE], counts[ClockState.MET_LATE]) == (1, 1)
    assert counts[ClockState.DUE_TODAY] == 1 and counts[ClockState.DUE_SOON] == 0
    assert batch.needs_reason.tolist() == [True, True, False]


def test_batch_refuses_missing_starts_and_stops_before_starts() -> None:
    referral = default_rulebook().get("england", "referral_decision")
    with pytest.raises(ValueError, match="needs a start"):
        evaluate_clocks(
            [referral], [0], np.asarray(["NaT"], "M8[D]"), now=date(2025, 1, 1), calendar=ENGLAND
        )
    with pytest.raises(ValueError, match="before it started"):
        evaluate_clocks(
            [referral],
            [0],
            np.asarray(["2025-01-02"], "M8[D]"),
            stops=np.asarray(["2025-01-01"], "M8[D]"),
            now=date(2025, 1, 3),
            calendar=ENGLAND,
        )


def test_batch_hours_rules_need_instants() -> None:
    hours = default_rulebook().get("england", "return_home_interview")
    with pytest.raises(ValueError, match="need instants in starts"):
        evaluate_clocks(
            [hours],
            [0],
            np.asarray(["2025-01-02"], "M8[D]"),
            now=date(2025, 1, 3),
            calendar=ENGLAND,
        )
    with pytest.raises(ValueError, match="aware datetime"):
        evaluate_clocks(
            [hours],
            [0],
            np.asarray(["2025-01-02T10:00"], "M8[s]"),
            now=date(2025, 1, 3),
            calendar=ENGLAND,
        )


def test_batch_refuses_rule_indexes_out_of_range() -> None:
    referral = default_rulebook().get("england", "referral_decision")
    with pytest.raises(ValueError, match=r"rule_index must lie in 0\.\.0"):
        evaluate_clocks(
            [referral],
            [1],
            np.asarray(["2025-01-02"], "M8[D]"),
            now=date(2025, 1, 3),
            calendar=ENGLAND,
        )


HOURS_RULE = default_rulebook().get("england", "return_home_interview")
RETURNED = datetime(2025, 3, 29, 9, 0, tzinfo=UTC)  # due 09:00 UTC (10:00 BST) on 1 April


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (datetime(2025, 3, 31, 9, 0, tzinfo=UTC), ClockState.DUE_SOON),  # exactly 24 h left
        (datetime(2025, 3, 31, 8, 59, 59, tzinfo=UTC), ClockState.ON_TRACK),
        (datetime(2025, 3, 31, 23, 0, tzinfo=UTC), ClockState.DUE_TODAY),  # 00:00 BST, 1 April
        (datetime(2025, 3, 31, 22, 59, 59, tzinfo=UTC), ClockState.DUE_SOON),
        (datetime(2025, 4, 1, 9, 0, tzinfo=UTC), ClockState.DUE_TODAY),  # the due instant
        (datetime(2025, 4, 1, 9, 0, 1, tzinfo=UTC), ClockState.OVERDUE),
    ],
)
def test_batch_and_scalar_agree_on_the_hours_boundaries(now: datetime, state: ClockState) -> None:
    scalar = evaluate_clock(HOURS_RULE, start=RETURNED, now=now, calendar=ENGLAND)
    batch = evaluate_clocks(
        [HOURS_RULE], [0], np.asarray([to_numpy(RETURNED)]), now=now, calendar=ENGLAND
    )
    assert scalar.state is state
    assert batch.status(0) == scalar


@pytest.mark.parametrize(
    ("now", "state"),
    [(date(2025, 3, 6), ClockState.DUE_SOON), (date(2025, 3, 5), ClockState.ON_TRACK)],
)
def test_batch_and_scalar_agree_on_the_due_soon_boundary(now: date, state: ClockState) -> None:
    assessment = default_rulebook().get("england", "assessment")  # 6 Jan 2025 -> 10 March
    start = date(2025, 1, 6)
    scalar = evaluate_clock(assessment, start=start, now=now, calendar=ENGLAND)
    batch = evaluate_clocks(
        [assessment], [0], np.asarray([start], "M8[D]"), now=now, calendar=ENGLAND
    )
    assert scalar.state is state
    assert batch.status(0) == scalar


@pytest.mark.parametrize(
    ("instant", "uk_day"),
    [
        (datetime(2025, 3, 29, 23, 59, 59, tzinfo=UTC), date(2025, 3, 29)),  # GMT
        (datetime(2025, 3, 30, 23, 0, 0, tzinfo=UTC), date(2025, 3, 31)),  # BST from 30 March
        (datetime(2025, 3, 30, 22, 59, 59, tzinfo=UTC), date(2025, 3, 30)),
        (datetime(2025, 10, 25, 23, 0, 0, tzinfo=UTC), date(2025, 10, 26)),  # still BST
        (datetime(2025, 10, 26, 23, 0, 0, tzinfo=UTC), date(2025, 10, 26)),  # GMT again
        (datetime(2025, 10, 26, 0, 59, 59, tzinfo=UTC), date(2025, 10, 26)),
    ],
)
def test_uk_day_of_an_instant_follows_the_clock_change(instant: datetime, uk_day: date) -> None:
    vectorised = local_dates(np.asarray([epoch_us(instant)], dtype=np.int64))[0]
    assert local_date(instant) == uk_day
    assert date.fromisoformat(str(vectorised)) == uk_day


def test_batch_covers_long_clocks_on_a_calendar_with_many_closures() -> None:
    # Only Fridays open from 2025 to 2040: 300 working days run about six years ahead, past
    # the batch's first guess at how many years of holidays numpy needs.
    closures = [
        day
        for day in (date(2025, 1, 1) + timedelta(days=n) for n in range(16 * 366))
        if day.weekday() < 4 and day.year <= 2040
    ]
    fridays_only = ENGLAND.with_closures(closures)
    long_rule = local_rule("long", 300, "working_days")
    start = date(2025, 1, 6)
    batch = evaluate_clocks(
        [long_rule], [0], np.asarray([start], "M8[D]"), now=start, calendar=fridays_only
    )
    scalar = evaluate_clock(long_rule, start=start, now=start, calendar=fridays_only)
    assert batch.status(0) == scalar
    assert scalar.due.year >= 2030
