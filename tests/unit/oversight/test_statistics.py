"""The statistics of disparity monitoring against values worked by hand or from textbooks, and
the properties every interval and correction must keep."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.contingency_tables import StratifiedTable
from statsmodels.stats.multitest import multipletests

from safehub.oversight.statistics import (
    adjust_p_values,
    kaplan_meier,
    log_rank_test,
    rate_test,
    stratified_rate_test,
    wilson_interval,
)

# Freireich et al. (1963), remission times in weeks of children with leukaemia: 6-MP (with
# censoring) against placebo; the textbook log-rank example (Kleinbaum and Klein, ch. 2).
SIX_MP = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
SIX_MP_EVENT = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
PLACEBO = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]


def test_wilson_interval_of_5_in_20_is_worked_by_hand() -> None:
    # z = 1.96: centre (0.25 + z²/40) / (1 + z²/20) = 0.2903, half-width 0.1784.
    low, high = wilson_interval(5, 20)
    assert low == pytest.approx(0.1119, abs=1e-4)
    assert high == pytest.approx(0.4687, abs=1e-4)


def test_wilson_interval_of_none_and_all_stays_inside_zero_and_one() -> None:
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(0, 10)[1] == pytest.approx(0.2775, abs=1e-4)
    assert wilson_interval(10, 10)[1] == 1.0


def test_wilson_interval_refuses_more_events_than_units() -> None:
    with pytest.raises(ValueError, match="between 0 and n"):
        wilson_interval(6, 5)


@given(n=st.integers(1, 5000), data=st.data(), confidence=st.sampled_from([0.9, 0.95, 0.99]))
@settings(max_examples=200, deadline=None)
def test_wilson_interval_contains_the_estimate(
    n: int, data: st.DataObject, confidence: float
) -> None:
    events = data.draw(st.integers(0, n))
    low, high = wilson_interval(events, n, confidence=confidence)
    assert 0.0 <= low <= events / n <= high <= 1.0


def test_chi_square_of_a_2x2_table_is_worked_by_hand() -> None:
    # 30/100 against 50/100: expected 40 and 60 in each row; chi² = 2 (100/40 + 100/60) = 8.333.
    result = rate_test([(30, 70), (50, 50)])
    assert result is not None
    assert result.statistic == pytest.approx(25 / 3)
    assert result.p_value == pytest.approx(stats.chi2.sf(25 / 3, 1))
    assert result.method == "chi-square test (1 df)"


def test_small_2x2_table_falls_back_to_fishers_exact_test() -> None:
    # Fisher's lady tasting tea: 3 of 4 cups right each way, two-sided p = 34/70.
    result = rate_test([(3, 1), (1, 3)])
    assert result is not None
    assert result.p_value == pytest.approx(34 / 70)
    assert "Fisher's exact" in result.method


def test_small_larger_table_gets_a_stated_monte_carlo_p_value() -> None:
    result = rate_test([(3, 1), (1, 3), (2, 2)])
    assert result is not None
    assert "Monte Carlo" in result.method and "expected counts below 5" in result.method
    assert 0.5 < result.p_value <= 1.0  # nothing like a difference in 12 units
    assert rate_test([(3, 1), (1, 3), (2, 2)]) == result  # seeded: the same every time


def test_monte_carlo_p_value_agrees_with_chi_square_where_both_apply() -> None:
    table = [(40, 60), (55, 45), (38, 62), (2, 3)]  # one small row breaks Cochran's rule
    result = rate_test(table)
    assert result is not None and "Monte Carlo" in result.method
    chi2 = stats.chi2_contingency(np.array(table), correction=False)[1]
    assert result.p_value == pytest.approx(chi2, abs=0.015)


def test_nothing_to_test_without_two_groups_or_without_variation() -> None:
    assert rate_test([(5, 5)]) is None
    assert rate_test([(0, 20), (0, 30)]) is None
    assert rate_test([(5, 5), (0, 0)]) is None


def test_cmh_test_of_two_groups_equals_mantel_haenszel() -> None:
    tables = [[(10, 20), (15, 12)], [(5, 30), (9, 25)], [(12, 8), (20, 7)]]
    result = stratified_rate_test(tables)
    assert result is not None
    expected = StratifiedTable([np.array(t) for t in tables]).test_null_odds(correction=False)
    assert result.statistic == pytest.approx(expected.statistic)
    assert result.p_value == pytest.approx(expected.pvalue)
    assert "Cochran-Mantel-Haenszel" in result.method


def test_cmh_sees_no_difference_where_areas_explain_it() -> None:
    # Within each area both groups have the same rate; pooled, group B looks far worse because
    # it lives mostly in the area with the higher rate (Simpson's paradox).
    area_low = [(10, 90), (1, 9)]
    area_high = [(5, 5), (50, 50)]
    pooled = rate_test([(15, 95), (51, 59)])
    assert pooled is not None and pooled.p_value < 1e-6
    by_area = stratified_rate_test([area_low, area_high])
    assert by_area is not None and by_area.p_value > 0.9


def test_kaplan_meier_median_of_the_leukaemia_data_matches_the_textbook() -> None:
    treated = kaplan_meier(SIX_MP, [bool(e) for e in SIX_MP_EVENT])
    assert (treated.n, treated.events, treated.median) == (21, 9, 23.0)
    assert treated.ci_low == 13.0 and treated.ci_high is None  # the curve never falls that far
    placebo = kaplan_meier(PLACEBO, [True] * 21)
    assert placebo.median == 8.0


def test_kaplan_meier_median_is_none_when_fewer_than_half_have_had_the_event() -> None:
    result = kaplan_meier([5, 10, 20, 30, 40], [True, True, False, False, False])
    assert result.median is None
    assert kaplan_meier([], []).median is None


def test_log_rank_of_the_leukaemia_data_matches_the_textbook() -> None:
    result = log_rank_test(
        SIX_MP + PLACEBO,
        [bool(e) for e in SIX_MP_EVENT] + [True] * 21,
        ["6-MP"] * 21 + ["placebo"] * 21,
    )
    assert result is not None
    assert result.statistic == pytest.approx(16.79, abs=0.01)
    assert result.p_value == pytest.approx(4.17e-5, rel=0.01)
    assert result.method == "log-rank test (1 df)"


def test_stratified_log_rank_says_so_and_a_single_group_is_not_tested() -> None:
    days = SIX_MP + PLACEBO
    events = [bool(e) for e in SIX_MP_EVENT] + [True] * 21
    groups = ["6-MP"] * 21 + ["placebo"] * 21
    strata = ["a", "b"] * 21
    result = log_rank_test(days, events, groups, strata=strata)
    assert result is not None and result.method == "log-rank test stratified by area (1 df)"
    assert log_rank_test(days, events, ["one"] * 42) is None


def test_holm_and_benjamini_hochberg_are_worked_by_hand() -> None:
    p = [0.01, 0.04, 0.03, 0.005]
    # Holm: sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1, then never decreasing.
    assert adjust_p_values(p, method="holm") == pytest.approx([0.03, 0.06, 0.06, 0.02])
    # BH: times 4/1, 4/2, 4/3, 4/4, then the smallest from the top down.
    assert adjust_p_values(p, method="bh") == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert adjust_p_values([]) == []


@pytest.mark.parametrize("method,name", [("holm", "holm"), ("bh", "fdr_bh")])
def test_corrections_give_what_statsmodels_gives(method: str, name: str) -> None:
    rng = np.random.default_rng(7)
    for size in (1, 2, 5, 18, 60):
        p = [*list(rng.uniform(0, 0.2, size)), 0.0, 1.0, 0.05, 0.05]
        expected = multipletests(p, method=name)[1]
        assert adjust_p_values(p, method=method) == pytest.approx(list(expected))  # type: ignore[arg-type]


P_VALUES = st.lists(st.floats(0.0, 1.0, allow_nan=False), min_size=1, max_size=40)


@given(p=P_VALUES)
@settings(max_examples=300, deadline=None)
def test_corrections_never_lower_a_p_value_and_holm_is_never_below_bh(p: list[float]) -> None:
    holm = adjust_p_values(p, method="holm")
    bh = adjust_p_values(p, method="bh")
    for raw, h, b in zip(p, holm, bh, strict=True):
        assert raw <= b <= h <= 1.0 or math.isclose(b, h)


@given(p=P_VALUES)
@settings(max_examples=200, deadline=None)
def test_corrections_keep_the_order_of_the_p_values(p: list[float]) -> None:
    for method in ("holm", "bh"):
        adjusted = adjust_p_values(p, method=method)  # type: ignore[arg-type]
        ranked = sorted(range(len(p)), key=p.__getitem__)
        assert all(adjusted[a] <= adjusted[b] for a, b in itertools.pairwise(ranked))


def test_groups_that_never_share_an_area_cannot_be_compared_by_area() -> None:
    days, events = [1.0, 2, 3, 4, 5, 6], [True] * 6
    groups, areas = ["a"] * 3 + ["b"] * 3, ["x"] * 3 + ["y"] * 3
    assert log_rank_test(days, events, groups, strata=areas) is None
    # An area where both groups are found is enough; the other one drops out.
    result = log_rank_test(
        [*days, 7, 8], [*events, True, True], [*groups, "a", "b"], strata=[*areas, "z", "z"]
    )
    assert result is not None and result.df == 1
