"""Working-day calendars: bank holidays per UK nation (checked by hand against gov.uk's lists),
substitute days, one-off days, and local closures."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from safehub.timescales import Jurisdiction, UnknownJurisdictionError, WorkingCalendar

ENGLAND = WorkingCalendar("england")

# gov.uk/bank-holidays, England and Wales, weekdays only (a holiday on a Saturday has a
# substitute Monday or Tuesday instead).
ENGLAND_AND_WALES_BANK_HOLIDAYS = {
    2020: ["01-01", "04-10", "04-13", "05-08", "05-25", "08-31", "12-25", "12-28"],
    2021: ["01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28"],
    2022: [
        "01-03",
        "04-15",
        "04-18",
        "05-02",
        "06-02",
        "06-03",
        "08-29",
        "09-19",
        "12-26",
        "12-27",
    ],
    2023: ["01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26"],
    2024: ["01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"],
    2025: ["01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"],
    2026: ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"],
}


def weekday_closures(calendar: WorkingCalendar, year: int) -> list[str]:
    return [f"{d:%m-%d}" for d in calendar.closed_days(year) if d.weekday() < 5]


@pytest.mark.parametrize("jurisdiction", ["england", "wales"])
@pytest.mark.parametrize("year", sorted(ENGLAND_AND_WALES_BANK_HOLIDAYS))
def test_england_and_wales_close_on_the_published_bank_holidays(
    jurisdiction: str, year: int
) -> None:
    calendar = WorkingCalendar(jurisdiction)
    assert weekday_closures(calendar, year) == ENGLAND_AND_WALES_BANK_HOLIDAYS[year]


def test_scotland_has_2_january_st_andrews_day_and_an_early_august_holiday_but_no_easter_monday() -> (
    None
):
    # gov.uk, Scotland 2023: 2 and 3 January (New Year falls on a Sunday), 7 August, 30 November.
    scotland = weekday_closures(WorkingCalendar("scotland"), 2023)
    assert scotland == [
        "01-02",
        "01-03",
        "04-07",
        "05-01",
        "05-08",
        "05-29",
        "08-07",
        "11-30",
        "12-25",
        "12-26",
    ]


def test_northern_ireland_has_st_patricks_day_and_the_boyne_with_a_substitute_day() -> None:
    # gov.uk, Northern Ireland 2025: 17 March; 12 July is a Saturday, so Monday 14 July.
    northern_ireland = weekday_closures(WorkingCalendar("northern_ireland"), 2025)
    assert northern_ireland == [
        "01-01",
        "03-17",
        "04-18",
        "04-21",
        "05-05",
        "05-26",
        "07-14",
        "08-25",
        "12-25",
        "12-26",
    ]


def test_one_off_bank_holidays_are_named() -> None:
    assert "Funeral" in ENGLAND.closed_days(2022)[date(2022, 9, 19)]
    assert "Coronation" in ENGLAND.closed_days(2023)[date(2023, 5, 8)]
    assert "Jubilee" in ENGLAND.closed_days(2022)[date(2022, 6, 3)]


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 4, 17), True),  # Maundy Thursday
        (date(2025, 4, 18), False),  # Good Friday
        (date(2025, 4, 19), False),  # Saturday
        (date(2025, 4, 21), False),  # Easter Monday
        (date(2021, 12, 28), False),  # Boxing Day substitute
        (date(2021, 12, 29), True),
    ],
)
def test_working_day_is_a_weekday_that_is_not_a_bank_holiday(day: date, working: bool) -> None:
    assert ENGLAND.is_working_day(day) is working


def test_working_days_are_counted_in_a_half_open_span_after_the_first_day() -> None:
    # (Thu 17 April 2025, Tue 22 April 2025]: Good Friday, the weekend and Easter Monday are
    # not counted, Tuesday is.
    assert ENGLAND.working_days_between(date(2025, 4, 17), date(2025, 4, 22)) == 1
    assert ENGLAND.working_days_between(date(2025, 4, 22), date(2025, 4, 17)) == -1
    assert ENGLAND.working_days_between(date(2025, 4, 18), date(2025, 4, 18)) == 0


def test_local_closure_days_are_not_working_days() -> None:
    shutdown = {date(2025, 12, 29): "Council closure", date(2025, 12, 30): "Council closure"}
    council = ENGLAND.with_closures(shutdown).with_closures([date(2025, 12, 31)])
    assert council.add_working_days(date(2025, 12, 24), 1) == date(2026, 1, 2)
    assert ENGLAND.add_working_days(date(2025, 12, 24), 1) == date(2025, 12, 29)
    assert council.closed_days(2025)[date(2025, 12, 29)] == "Council closure"
    assert council.closed_days(2025)[date(2025, 12, 31)] == "Local closure"


def test_a_closure_on_a_bank_holiday_keeps_both_names() -> None:
    council = ENGLAND.with_closures({date(2025, 12, 25): "Office shut"})
    assert council.closed_days(2025)[date(2025, 12, 25)] == "Christmas Day; Office shut"


def test_a_closure_given_as_a_datetime_is_refused() -> None:
    with pytest.raises(TypeError, match="must be dates"):
        WorkingCalendar("england", [datetime(2025, 12, 29, 9, 0)])


def test_counts_spanning_many_years_extend_the_calendar() -> None:
    # 520 working days is roughly two years: the index must grow past the first year loaded.
    due = ENGLAND.add_working_days(date(2024, 1, 1), 520)
    assert ENGLAND.working_days_between(date(2024, 1, 1), due) == 520
    assert ENGLAND.is_working_day(due)


def test_adding_no_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        ENGLAND.add_working_days(date(2025, 1, 1), 0)


def test_jurisdiction_names_forgive_case_and_spaces_and_unknown_names_list_the_valid_ones() -> None:
    assert WorkingCalendar("Northern Ireland").jurisdiction is Jurisdiction.NORTHERN_IRELAND
    with pytest.raises(
        UnknownJurisdictionError, match="england, wales, scotland, northern_ireland"
    ):
        WorkingCalendar("cornwall")


def test_numpy_calendar_closes_the_same_days() -> None:
    import numpy as np

    council = ENGLAND.with_closures([date(2024, 12, 30)])
    busdays = council.busdaycalendar(2024, 2025)
    days = np.arange("2024-01-01", "2026-01-01", dtype="datetime64[D]")
    numpy_open = np.is_busday(days, busdaycal=busdays)
    scalar_open = [council.is_working_day(date.fromisoformat(str(d))) for d in days]
    assert numpy_open.tolist() == scalar_open
