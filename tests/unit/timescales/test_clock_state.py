"""The clock state machine: met, met late, overdue, due today, due soon, on track."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from safehub.timescales import (
    UK_TIME,
    ClockState,
    ClockStatus,
    Unit,
    WorkingCalendar,
    default_rulebook,
    evaluate_clock,
)

ENGLAND = WorkingCalendar("england")
RULES = default_rulebook()


def referral(now: date, stopped: date | None = None) -> ClockStatus:
    # Referral on Thursday 17 April 2025: Easter puts the decision on Tuesday 22 April.
    rule = RULES.get("england", "referral_decision")
    return evaluate_clock(rule, start=date(2025, 4, 17), now=now, stopped=stopped, calendar=ENGLAND)


def test_referral_decision_made_on_the_due_day_is_met() -> None:
    status = referral(now=date(2025, 5, 1), stopped=date(2025, 4, 22))
    assert (status.state, status.remaining, status.overdue_by) == (ClockState.MET, 0, 0)
    assert not status.needs_reason


def test_referral_decision_made_the_same_day_is_met() -> None:
    assert referral(now=date(2025, 4, 17), stopped=date(2025, 4, 17)).state is ClockState.MET


def test_referral_decision_made_after_the_due_day_is_met_late_and_needs_a_reason() -> None:
    status = referral(now=date(2025, 5, 1), stopped=date(2025, 4, 23))
    assert (status.state, status.overdue_by) == (ClockState.MET_LATE, 1)
    assert status.needs_reason


def test_referral_is_due_today_on_its_due_day() -> None:
    status = referral(now=date(2025, 4, 22))
    assert (status.state, status.remaining, status.overdue_by) == (ClockState.DUE_TODAY, 0, 0)
    assert not status.needs_reason


def test_referral_is_overdue_after_one_working_day_and_needs_a_reason() -> None:
    status = referral(now=date(2025, 4, 23))
    assert (status.state, status.overdue_by, status.counted_in) == (
        ClockState.OVERDUE,
        1,
        Unit.WORKING_DAYS,
    )
    assert status.needs_reason


def test_days_overdue_are_working_days_for_working_day_rules() -> None:
    # (Tue 22, Sat 26 April]: Wednesday, Thursday and Friday.
    assert referral(now=date(2025, 4, 26)).overdue_by == 3


def test_a_clock_due_on_friday_is_overdue_on_saturday_by_no_working_days_yet() -> None:
    rule = RULES.get("england", "referral_decision")
    start = date(2025, 1, 9)  # Thursday; due Friday 10 January
    saturday = evaluate_clock(rule, start=start, now=date(2025, 1, 11), calendar=ENGLAND)
    monday = evaluate_clock(rule, start=start, now=date(2025, 1, 13), calendar=ENGLAND)
    assert (saturday.state, saturday.overdue_by) == (ClockState.OVERDUE, 0)
    assert (monday.state, monday.overdue_by) == (ClockState.OVERDUE, 1)


def test_a_referral_on_its_first_day_is_due_soon() -> None:
    status = referral(now=date(2025, 4, 17))
    assert (status.state, status.remaining) == (ClockState.DUE_SOON, 1)


@pytest.mark.parametrize(
    ("now", "soon_days", "state", "remaining"),
    [
        (date(2025, 3, 6), 2, ClockState.DUE_SOON, 2),  # Friday 7 and Monday 10 March left
        (date(2025, 3, 5), 2, ClockState.ON_TRACK, 3),
        (date(2025, 3, 5), 3, ClockState.DUE_SOON, 3),  # the window is configurable
        (date(2025, 3, 6), 0, ClockState.ON_TRACK, 2),
    ],
)
def test_assessment_is_due_soon_within_the_configured_working_days(
    now: date, soon_days: int, state: ClockState, remaining: int
) -> None:
    rule = RULES.get("england", "assessment")  # 6 January 2025 -> Monday 10 March
    status = evaluate_clock(
        rule, start=date(2025, 1, 6), now=now, calendar=ENGLAND, due_soon_days=soon_days
    )
    assert (status.due, status.state, status.remaining) == (date(2025, 3, 10), state, remaining)


def test_month_rules_count_calendar_days_remaining_and_overdue() -> None:
    rule = RULES.get("england", "first_review")  # 31 January 2025 -> 30 April
    start = date(2025, 1, 31)
    early = evaluate_clock(rule, start=start, now=date(2025, 4, 1), calendar=ENGLAND)
    close = evaluate_clock(rule, start=start, now=date(2025, 4, 28), calendar=ENGLAND)
    late = evaluate_clock(rule, start=start, now=date(2025, 5, 5), calendar=ENGLAND)
    assert (early.state, early.remaining, early.counted_in) == (
        ClockState.ON_TRACK,
        29,
        Unit.CALENDAR_DAYS,
    )
    assert (close.state, close.remaining) == (ClockState.DUE_SOON, 2)
    assert (late.state, late.overdue_by) == (ClockState.OVERDUE, 5)


def return_home(now: datetime, stopped: datetime | None = None) -> ClockStatus:
    # Back from missing at 09:00 GMT on Saturday 29 March 2025; due 10:00 BST on 1 April.
    rule = RULES.get("england", "return_home_interview")
    returned = datetime(2025, 3, 29, 9, 0, tzinfo=UK_TIME)
    return evaluate_clock(rule, start=returned, now=now, stopped=stopped, calendar=ENGLAND)


def uk(month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, second, tzinfo=UK_TIME)


@pytest.mark.parametrize(
    ("now", "state", "remaining", "overdue_by"),
    [
        (uk(4, 1, 9, 30), ClockState.DUE_TODAY, 0, 0),  # half an hour left rounds down
        (uk(3, 31, 10, 0), ClockState.DUE_SOON, 24, 0),  # exactly 24 hours left
        (uk(3, 31, 9, 59), ClockState.ON_TRACK, 24, 0),  # 24 h 1 min left
        (uk(4, 1, 10, 10), ClockState.OVERDUE, 0, 1),  # ten minutes late is an hour late
        (uk(4, 2, 10, 0), ClockState.OVERDUE, 0, 24),
    ],
)
def test_return_home_interview_state_is_counted_in_hours(
    now: datetime, state: ClockState, remaining: int, overdue_by: int
) -> None:
    status = return_home(now)
    assert (status.state, status.remaining, status.overdue_by) == (state, remaining, overdue_by)
    assert status.counted_in is Unit.HOURS


def test_return_home_interview_held_at_the_72nd_hour_is_met_and_a_second_later_is_late() -> None:
    assert return_home(uk(4, 5, 0), stopped=uk(4, 1, 10)).state is ClockState.MET
    late = return_home(uk(4, 5, 0), stopped=uk(4, 1, 10, 0, 1))
    assert (late.state, late.overdue_by, late.needs_reason) == (ClockState.MET_LATE, 1, True)


def test_an_instant_in_utc_is_compared_as_the_same_instant() -> None:
    # 09:00 UTC on 1 April is 10:00 BST, exactly the due time.
    assert return_home(uk(4, 5, 0), stopped=datetime(2025, 4, 1, 9, 0, tzinfo=UTC)).state is (
        ClockState.MET
    )


def test_hours_rules_refuse_days_and_naive_times() -> None:
    rule = RULES.get("england", "return_home_interview")
    with pytest.raises(ValueError, match="needs a time of day"):
        evaluate_clock(rule, start=date(2025, 3, 29), now=uk(4, 1, 9), calendar=ENGLAND)
    with pytest.raises(ValueError, match="needs a time of day"):
        evaluate_clock(rule, start=uk(3, 29, 9), now=date(2025, 4, 1), calendar=ENGLAND)
    with pytest.raises(ValueError, match="timezone-aware"):
        evaluate_clock(rule, start=datetime(2025, 3, 29, 9), now=uk(4, 1, 9), calendar=ENGLAND)


def test_a_clock_stopped_before_it_started_is_refused() -> None:
    with pytest.raises(ValueError, match="before it started"):
        referral(now=date(2025, 5, 1), stopped=date(2025, 4, 16))


def test_only_overruns_need_a_reason() -> None:
    assert {state for state in ClockState if state.needs_reason} == {
        ClockState.OVERDUE,
        ClockState.MET_LATE,
    }
