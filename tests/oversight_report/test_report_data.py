"""The report's figures: a period adds up its months properly, status against target, disclosure
control before anything is kept, the league table and the plain statements of disparities.

The facts are in ``conftest.py``, with the sums worked by hand."""

from __future__ import annotations

import pytest

from safehub.db.database import Database
from safehub.services.errors import RefusedError
from safehub.services.oversight.report import (
    AreaResult,
    MeasureReport,
    ReportData,
)
from safehub.services.oversight.results import status_for
from tests.oversight_report.conftest import BRADFORD, GM, HU, LEEDS, SY, WY, report_data


def _measure(data: ReportData, code: str) -> MeasureReport:
    return next(m for m in data.measures if m.measure.code == code)


def _area(data: ReportData, code: str, area: str, agency: str = "") -> AreaResult:
    return next(
        r for r in _measure(data, code).areas if r.area_code == area and r.agency_code == agency
    )


def test_a_year_percent_is_the_sum_of_numerators_over_the_sum_of_denominators(
    year_data: ReportData,
) -> None:
    west = _area(year_data, "charge_rate_cse", WY)
    # (12 + 30) / (20 + 40) = 70.0%; the mean of the months' 60% and 75% would be 67.5%.
    assert west.value == pytest.approx(70.0)
    assert west.count == 60
    assert west.status == "met"


def test_a_year_median_is_the_months_medians_weighted_by_their_events(
    year_data: ReportData,
) -> None:
    west = _area(year_data, "days_report_to_charge", WY)
    # (10 × 20 + 40 × 60) / 80 = 32.5 days; the plain mean of the medians would be 25.
    assert west.value == pytest.approx(32.5)


def test_a_month_counts_that_month_only(filled_db: Database) -> None:
    february = report_data(filled_db, "2026-02")
    assert _area(february, "charge_rate_cse", WY).value == pytest.approx(75.0)
    assert february.period_label == "February 2026"
    assert [p.month.month for p in _measure(february, "charge_rate_cse").trend][-1] == 2


def test_the_national_figure_adds_every_area_of_the_period_and_no_other_year(
    year_data: ReportData,
) -> None:
    national = _measure(year_data, "charge_rate_cse").national
    # 2026: 12 + 30 + 3 + 10 + 15 + 25 = 95 charged of 20 + 40 + 8 + 15 + 50 + 50 = 183;
    # December 2025's 1 of 100 is not in it.
    assert national.value == pytest.approx(100 * 95 / 183)
    assert national.count == 185


def test_a_small_count_is_withheld_with_its_value_and_status(year_data: ReportData) -> None:
    south = _area(year_data, "charge_rate_cse", SY)
    assert (south.value, south.count, south.status) == ("c", "c", "c")


def test_a_second_area_is_withheld_so_the_national_total_cannot_give_the_first_away(
    year_data: ReportData,
) -> None:
    # Humberside's 15 offences would be published alone; beside South Yorkshire's 8 it is the
    # smallest other entry, withheld so that 185 minus the others cannot reveal 8.
    humberside = _area(year_data, "charge_rate_cse", HU)
    assert (humberside.value, humberside.count) == ("c", "c")
    assert _area(year_data, "charge_rate_cse", GM).count == 100


def test_a_count_measure_publishes_counts_rounded_and_small_ones_withheld(
    year_data: ReportData,
) -> None:
    report = _measure(year_data, "victim_treated_as_offender")
    # West Yorkshire's 7 children is "c"; Greater Manchester's 23 goes too, or 70 - 23 - 40
    # would give the 7 away.
    assert {r.area_code: r.value for r in report.areas} == {WY: "c", GM: "c", LEEDS: 40}
    # Every area adds up to the national 7 + 23 + 40 = 70.
    assert report.national.value == 70
    assert report.national.status == "no target"


def test_a_rate_per_worker_is_withheld_over_few_workers(year_data: ReportData) -> None:
    report = _measure(year_data, "caseload_per_worker")
    assert _area(year_data, "caseload_per_worker", WY, "POL-WY").value == "c"
    # (340 + 36) / (20 + 4) = 15.7 per worker: over the target of 15, within the margin of 2.
    assert report.national.value == pytest.approx(376 / 24)
    assert report.national.status == "near"


def test_a_measure_by_agency_has_a_row_per_agency_with_its_name(year_data: ReportData) -> None:
    report = _measure(year_data, "suspect_ethnicity_recorded")
    named = {(r.area_code, r.agency_code): (r.agency_name, r.value) for r in report.areas}
    assert named[(WY, "POL-WY")] == ("West Yorkshire Police", pytest.approx(100 * 40 / 120))
    assert named[(BRADFORD, "LA-BRADFORD")][0] == "Bradford Children's Social Care"


def test_areas_are_ranked_best_first_by_the_measures_direction(year_data: ReportData) -> None:
    charge = [(r.rank, r.area_code) for r in _measure(year_data, "charge_rate_cse").areas]
    assert charge[:2] == [(1, WY), (2, GM)]
    assert [rank for rank, _ in charge[2:]] == [None, None]  # withheld: unranked, last
    days = [r.area_code for r in _measure(year_data, "days_report_to_charge").areas]
    assert days == [WY, GM]  # fewer days is better


def test_the_league_table_ranks_areas_by_measures_met(year_data: ReportData) -> None:
    councils = [(r.rank, r.area_code, r.met, r.near) for r in year_data.league["local_authority"]]
    assert councils == [(1, LEEDS, 1, 0), (2, BRADFORD, 0, 1)]
    forces = {r.area_code: (r.met, r.missed, r.other) for r in year_data.league["police_force"]}
    assert forces[WY] == (2, 0, 1)  # charge rate and days met; its count of children withheld
    assert forces[GM] == (1, 1, 1)


def test_status_against_target_in_both_directions() -> None:
    def higher(value: float | None, target: float | None = 90.0) -> str:
        return status_for(value, target=target, direction="higher", near_margin=5.0)

    def lower(value: float) -> str:
        return status_for(value, target=90.0, direction="lower", near_margin=10.0)

    assert [higher(90.0), higher(86.0), higher(85.0), higher(84.9)] == [
        "met",
        "near",
        "near",
        "missed",
    ]
    assert [lower(90.0), lower(95.0), lower(100.1)] == ["met", "near", "missed"]
    assert higher(None) == "no data"
    assert higher(50.0, target=None) == "no target"


def test_a_period_that_is_neither_a_year_nor_a_month_is_refused(filled_db: Database) -> None:
    for wrong in ("26", "2026-13", "2026/03", "March"):
        with pytest.raises(RefusedError) as refused:
            report_data(filled_db, wrong)
        assert "period" in refused.value.errors


def test_disparities_say_what_is_and_is_not_significant_with_the_correction(
    year_data: ReportData,
) -> None:
    by_key = {(f.measure_code, f.dimension): f for f in year_data.disparities}
    charge = by_key[("crime_to_charge", "suspect_ethnicity")]
    assert charge.significant
    assert "more than chance would explain" in charge.statement
    assert "Holm correction" in charge.statement and "p = 0.002" in charge.statement
    # The tested groups furthest apart, by published values: Mixed's 90 days are withheld.
    assert charge.statement.endswith(": longest Asian (61.0), shortest White (40.0).")
    nfa = by_key[("crime_nfa", "victim_sex")]
    assert not nfa.significant
    assert "no statistically significant difference" in nfa.statement


def test_a_disparity_group_with_few_cases_is_withheld_with_another(
    year_data: ReportData,
) -> None:
    charge = next(f for f in year_data.disparities if f.dimension == "suspect_ethnicity")
    rows = {r.group: (r.n, r.value, r.ci_low) for r in charge.rows}
    assert [r.group for r in charge.rows if not r.tested] == ["Not stated", "Black"]
    assert rows["Black"] == ("c", "c", "c")  # 6 cases
    assert rows["Mixed"] == ("c", "c", "c")  # 13, withheld beside the 6
    assert rows["Asian"] == (140, 61.0, 52.0)
