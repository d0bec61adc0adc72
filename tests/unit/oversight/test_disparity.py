"""Disparity monitoring on hand-made units: a planted slower group is flagged and named, identical
groups are not, "Not stated" and small groups are shown but never tested, and every p value of a
build is corrected together."""

from __future__ import annotations

import numpy as np
import pytest

from safehub.oversight.disparity import (
    NOT_STATED,
    DisparityBuild,
    DisparityRow,
    Unit,
    compare_groups,
    describe,
)
from safehub.oversight.statistics import adjust_p_values

AREA = "E08000032"
DAYS = [float(d) for d in range(5, 205, 10)]  # 20 distinct times


def charged(
    group: str | None, days: list[float], *, area: str = AREA, event: bool = True
) -> list[Unit]:
    return [
        Unit("crime_to_charge", area, "2026-01", suspect_ethnicity=group, days=d, event=event)
        for d in days
    ]


def rows(build: DisparityBuild, measure: str, dimension: str) -> dict[str, DisparityRow]:
    return {r.group: r for r in build.rows if (r.measure, r.dimension) == (measure, dimension)}


def test_a_planted_slower_group_is_flagged_and_named_in_the_statement() -> None:
    rng = np.random.default_rng(3)
    units = (
        charged("White", list(rng.exponential(60, 300)))
        + charged("Black", list(rng.exponential(150, 80)))
        + charged(None, list(rng.exponential(60, 500)))
    )
    build = compare_groups(units)
    found = rows(build, "crime_to_charge", "suspect_ethnicity")
    assert found["Black"].flagged and found["White"].flagged
    assert found["Black"].value is not None and found["White"].value is not None
    assert found["Black"].value > found["White"].value
    assert "Time from first report to charge differs by suspect ethnicity (log-rank test" in (
        build.statement
    )
    assert "after Holm correction over" in build.statement
    assert "slowest Black" in build.statement
    assert "No other difference is significant at 5% after correction." in build.statement


def test_identical_groups_are_not_flagged_and_the_statement_says_so() -> None:
    units = charged("White", DAYS * 4) + charged("Asian", DAYS * 2) + charged("Black", DAYS)
    build = compare_groups(units)
    found = rows(build, "crime_to_charge", "suspect_ethnicity")
    assert {g: r.p_value for g, r in found.items()} == {"Asian": 1.0, "Black": 1.0, "White": 1.0}
    assert not any(r.flagged for r in build.rows)
    assert build.statement.startswith(
        f"No difference is significant at 5% after Holm correction over {build.comparisons} "
        "comparisons."
    )


def test_not_stated_is_shown_but_left_out_of_the_test() -> None:
    # The stated groups are identical; "Not stated" is far slower, and must not make a flag.
    units = charged("White", DAYS * 3) + charged("Asian", DAYS * 3) + charged(None, [500.0] * 60)
    build = compare_groups(units)
    found = rows(build, "crime_to_charge", "suspect_ethnicity")
    assert found[NOT_STATED].n == 60 and found[NOT_STATED].value == 500.0
    assert found[NOT_STATED].p_value is None and not found[NOT_STATED].flagged
    assert "not stated is a gap in recording" in found[NOT_STATED].test
    assert "Not stated left out of the test" in found["White"].test
    assert found["White"].p_value == 1.0


def test_a_group_below_ten_is_shown_but_not_tested_alone() -> None:
    units = charged("White", DAYS) + charged("Asian", DAYS) + charged("Other", [900.0] * 9)
    build = compare_groups(units)
    found = rows(build, "crime_to_charge", "suspect_ethnicity")
    assert found["Other"].n == 9 and found["Other"].p_value is None
    assert "fewer than 10 units" in found["Other"].test
    assert not any(r.flagged for r in build.rows)


def test_a_dimension_without_two_groups_of_ten_is_not_tested() -> None:
    build = compare_groups(charged("White", DAYS) + charged("Asian", DAYS[:5]))
    found = rows(build, "crime_to_charge", "suspect_ethnicity")
    assert all(r.p_value is None for r in found.values())
    assert found["White"].test.startswith("not tested: fewer than two groups")


def test_rates_are_percent_with_wilson_intervals_and_a_chi_square_test() -> None:
    units = [
        Unit("crime_nfa", AREA, "2026-01", victim_sex=sex, event=i < hits)
        for sex, hits in (("F", 50), ("M", 20))
        for i in range(100)
    ]
    build = compare_groups(units)
    found = rows(build, "crime_nfa", "victim_sex")
    assert (found["Female"].value, found["Male"].value) == (50.0, 20.0)
    assert found["Male"].ci_low == pytest.approx(13.34, abs=0.01)  # Wilson, 20 of 100
    assert found["Male"].ci_high == pytest.approx(28.89, abs=0.01)
    assert found["Female"].flagged
    assert found["Female"].test.startswith("chi-square test (1 df)")
    assert "The no-further-action rate differs by victim sex" in build.statement
    assert "highest Female (50%), lowest Male (20%)" in build.statement


def test_an_area_that_is_slower_is_not_read_as_a_slower_group() -> None:
    # Within each area both groups have the same times; the slow area is mostly Black, the fast
    # one mostly White (Simpson's paradox). Compared by area, the groups do not differ.
    slow = [d + 300 for d in DAYS]
    units = (
        charged("Black", slow * 4, area="E1")
        + charged("White", slow, area="E1")
        + charged("Black", DAYS, area="E2")
        + charged("White", DAYS * 4, area="E2")
    )
    build = compare_groups(units)
    ethnicity = rows(build, "crime_to_charge", "suspect_ethnicity")
    assert ethnicity["Black"].p_value == 1.0 and "stratified by area" in ethnicity["Black"].test
    assert rows(build, "crime_to_charge", "area")["E1"].flagged
    assert "differs by suspect ethnicity" not in build.statement


def test_every_p_value_of_the_build_is_corrected_together() -> None:
    rng = np.random.default_rng(11)
    units = charged("White", list(rng.exponential(60, 200))) + charged(
        "Black", list(rng.exponential(90, 100))
    )
    units += [
        Unit("crime_nfa", AREA, "2026-01", suspect_ethnicity=g, event=bool(rng.random() < r))
        for g, r in (("White", 0.5), ("Black", 0.4))
        for _ in range(150)
    ]
    holm = compare_groups(units)
    tested = [t for t in holm.tests if t.result is not None]
    assert holm.comparisons == len(tested) == 2
    raw = [t.result.p_value for t in tested if t.result is not None]
    assert [t.p_corrected for t in tested] == adjust_p_values(raw, method="holm")
    assert "p corrected by Holm over 2 comparisons" in holm.rows[0].test
    bh = compare_groups(units, correction="bh")
    assert "Benjamini-Hochberg" in bh.rows[0].test
    for h, b in zip(holm.tests, bh.tests, strict=True):
        assert (b.p_corrected or 0.0) <= (h.p_corrected or 0.0)


def test_the_statement_can_be_said_again_from_the_stored_rows() -> None:
    rng = np.random.default_rng(5)
    units = charged("White", list(rng.exponential(60, 200))) + charged(
        "Black", list(rng.exponential(200, 60))
    )
    build = compare_groups(units)
    assert describe(build.rows, correction="holm", alpha=0.05) == build.statement


def test_a_censored_unit_counts_until_the_data_ends() -> None:
    # The median is the first time fewer than half are still waiting (SAS's convention): with
    # 11 of 20 charged at 10 days it is 10; with 10 of 20, half are still waiting at 100 days,
    # and the median is not reached, however early the charged ones were.
    units = charged("White", [10.0] * 11) + charged("White", [100.0] * 9, event=False)
    found = rows(compare_groups(units), "crime_to_charge", "suspect_ethnicity")
    assert found["White"].n == 20 and found["White"].value == 10.0
    units = charged("White", [10.0] * 10) + charged("White", [100.0] * 10, event=False)
    found = rows(compare_groups(units), "crime_to_charge", "suspect_ethnicity")
    assert found["White"].value is None


def test_groups_are_named_in_words_with_not_stated_last() -> None:
    units = [
        Unit("crime_nfa", AREA, "2026-01", victim_sex=s, in_care=c, event=True)
        for s, c in (("M", True), ("F", False), (None, None), ("NS", True))
    ]
    build = compare_groups(units)
    assert list(rows(build, "crime_nfa", "victim_sex")) == ["Female", "Male", NOT_STATED]
    assert list(rows(build, "crime_nfa", "in_care")) == ["In care", "Not in care", NOT_STATED]
    assert build.statement.startswith("Nothing could be tested")
