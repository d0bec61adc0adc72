"""Due dates of England's statutory clocks, checked by hand against the bank holiday lists.

Contract: working-day rules fall due on the Nth working day strictly after the start date (day 0,
whatever day it is); month rules on the same day N months later, clamped to the month's end and
never moved to a working day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from safehub.timescales import (
    UK_TIME,
    ClockRule,
    WorkingCalendar,
    add_calendar_months,
    build_rule,
    default_rulebook,
    due,
    due_date,
    due_time,
)

ENGLAND = WorkingCalendar("england")
RULES = default_rulebook()


def due_in_england(rule_id: str, start: date) -> date:
    return due_date(RULES.get("england", rule_id), start, ENGLAND)


@pytest.mark.parametrize(
    ("start", "expected", "why"),
    [
        ("2021-12-24", "2021-12-29", "Christmas and Boxing Day 2021 on a weekend: Mon+Tue off"),
        ("2021-12-31", "2022-01-04", "New Year's Day 2022 on a Saturday: Monday 3rd off"),
        ("2022-12-23", "2022-12-28", "Christmas 2022 on a Sunday: Tuesday 27th off"),
        ("2022-12-24", "2022-12-28", "day 0 on a Saturday"),
        ("2023-01-01", "2023-01-03", "day 0 a Sunday bank holiday; Monday 2nd substitute"),
        ("2025-04-17", "2025-04-22", "Good Friday and Easter Monday"),
        ("2025-04-18", "2025-04-22", "day 0 on Good Friday"),
        ("2025-05-02", "2025-05-06", "early May bank holiday"),
        ("2025-05-23", "2025-05-27", "spring bank holiday"),
        ("2025-08-22", "2025-08-26", "summer bank holiday"),
        ("2022-06-01", "2022-06-06", "spring bank holiday moved for the Platinum Jubilee"),
        ("2022-09-16", "2022-09-20", "the Queen's state funeral"),
        ("2023-05-05", "2023-05-09", "the coronation"),
        ("2023-04-28", "2023-05-02", "early May 2023"),
        ("2025-01-06", "2025-01-07", "an ordinary Monday"),
    ],
)
def test_decision_is_due_one_working_day_after_referral(
    start: str, expected: str, why: str
) -> None:
    assert due_in_england("referral_decision", date.fromisoformat(start)) == date.fromisoformat(
        expected
    ), why


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2025-01-06", "2025-03-10"),  # no holidays: nine whole weeks
        ("2025-04-01", "2025-06-09"),  # Easter, early May and spring bank holidays
        ("2021-12-01", "2022-02-07"),  # Christmas 2021 and New Year 2022 substitute days
    ],
)
def test_assessment_is_due_45_working_days_after_referral(start: str, expected: str) -> None:
    assert due_in_england("assessment", date.fromisoformat(start)) == date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2022-09-09", "2022-10-03"),  # across the Queen's funeral
        ("2023-04-29", "2023-05-23"),  # day 0 a Saturday; early May and the coronation
    ],
)
def test_initial_conference_is_due_15_working_days_after_the_strategy_discussion(
    start: str, expected: str
) -> None:
    assert due_in_england("initial_conference", date.fromisoformat(start)) == date.fromisoformat(
        expected
    )


@pytest.mark.parametrize(
    ("rule_id", "start", "expected"),
    [
        ("first_review", "2025-01-31", "2025-04-30"),  # clamped to April's 30 days
        ("first_review", "2024-11-30", "2025-02-28"),  # clamped to February
        ("first_review", "2025-03-01", "2025-06-01"),  # a Sunday, not moved
        ("later_review", "2021-06-25", "2021-12-25"),  # Christmas Day on a Saturday, not moved
        ("later_review", "2022-06-26", "2022-12-26"),  # Boxing Day, not moved
        ("later_review", "2023-08-31", "2024-02-29"),  # leap year
    ],
)
def test_review_conferences_fall_due_calendar_months_later_never_moved_to_a_working_day(
    rule_id: str, start: str, expected: str
) -> None:
    assert due_in_england(rule_id, date.fromisoformat(start)) == date.fromisoformat(expected)


def test_one_calendar_month_from_31_january_is_the_last_day_of_february() -> None:
    assert add_calendar_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_calendar_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_calendar_months(date(2025, 11, 30), 3) == date(2026, 2, 28)


def test_a_local_one_month_rule_is_not_moved_off_a_sunday() -> None:
    rule = local_rule(amount=1, unit="calendar_months")
    # 28 February 2026 is a Saturday; 31 January + 1 month clamps to it and stays.
    assert due_date(rule, date(2026, 1, 31), ENGLAND) == date(2026, 2, 28)


def test_calendar_day_rules_are_not_moved_to_a_working_day() -> None:
    rule = local_rule(amount=7, unit="calendar_days")
    assert due_date(rule, date(2025, 12, 18), ENGLAND) == date(2025, 12, 25)


def test_a_start_time_counts_from_its_uk_calendar_day() -> None:
    # 23:30 UTC on 30 June is 00:30 BST on Tuesday 1 July: day 0 is 1 July.
    received = datetime(2025, 6, 30, 23, 30, tzinfo=UTC)
    assert due_in_england("referral_decision", received) == date(2025, 7, 2)


def test_a_naive_start_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        due_in_england("referral_decision", datetime(2025, 6, 30, 23, 30))


def test_return_home_interview_is_due_72_elapsed_hours_after_return_across_the_clock_change() -> (
    None
):
    rule = RULES.get("england", "return_home_interview")
    returned = datetime(2025, 3, 29, 9, 0, tzinfo=UK_TIME)  # GMT; clocks go forward on the 30th
    interview_due = due_time(rule, returned)
    # Subtract in UTC: Python subtracts wall-clock times when both share one time zone.
    assert interview_due.astimezone(UTC) - returned.astimezone(UTC) == timedelta(hours=72)
    assert (interview_due.hour, interview_due.utcoffset()) == (10, timedelta(hours=1))


def test_hours_rules_need_a_start_time_and_day_rules_have_no_due_time() -> None:
    hours_rule = RULES.get("england", "return_home_interview")
    with pytest.raises(ValueError, match="time of day"):
        due(hours_rule, date(2025, 3, 29), ENGLAND)
    with pytest.raises(ValueError, match="due_date"):
        due_time(RULES.get("england", "assessment"), datetime(2025, 3, 29, tzinfo=UK_TIME))
    with pytest.raises(ValueError, match="due_time"):
        due_date(hours_rule, date(2025, 3, 29), ENGLAND)


def test_scotland_and_england_differ_over_2_january_and_easter_monday() -> None:
    rule = local_rule(amount=1, unit="working_days")
    scotland = WorkingCalendar("scotland")
    assert due_date(rule, date(2022, 12, 30), scotland) == date(2023, 1, 4)
    assert due_date(rule, date(2022, 12, 30), ENGLAND) == date(2023, 1, 3)
    assert due_date(rule, date(2025, 4, 17), scotland) == date(2025, 4, 21)
    assert due_date(rule, date(2025, 4, 17), ENGLAND) == date(2025, 4, 22)


def local_rule(*, amount: int, unit: str) -> ClockRule:
    return build_rule(
        {
            "id": "local_check",
            "jurisdiction": "england",
            "amount": amount,
            "unit": unit,
            "start_event": "decision_made",
            "stop_event": "check_done",
            "description": "A local check",
            "source": "Local procedures",
        }
    )
