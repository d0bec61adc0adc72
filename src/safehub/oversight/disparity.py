"""Disparity monitoring: are some cases pursued less than others, and is the difference real?

Given the pseudonymous units of one build (a referral decided or not yet, a crime report charged
or not yet, a crime report closed with or without further action), :func:`compare_groups`
compares the groups of each dimension (suspect and victim ethnicity, victim sex and age band,
in-care status, area) for each measure:

- per group: the number of units, the value (a rate in percent with its Wilson interval, or the
  Kaplan-Meier median days with its interval, censored units counted until the data ends);
- one test per measure and dimension: chi-square (or, across areas, Cochran-Mantel-Haenszel) for
  a rate, log-rank for a time, each stratified by area where the dimension is not the area
  itself, so that a slow area with a different mix of people is not read as a slow group;
- every p value of the build corrected together (Holm by default, Benjamini-Hochberg as an
  option), a dimension flagged when its corrected p is below ``alpha``;
- a plain statement of what is and is not significant, naming the test and the correction.

Groups below :data:`MIN_GROUP` units are shown but not tested (too few to say anything alone);
"Not stated" (and an unknown age band) is shown as a group but left out of the test: recording
is itself unequal (about two-thirds of suspects have no ethnicity recorded), and a test including
it would compare recording, not outcomes.

Nothing here decides anything about a person: the units carry no identity, and the results go
only to the oversight body and the published report.

>>> units = [Unit("crime_nfa", "E08000032", "2026-01", victim_sex=s, event=i % k == 0)
...          for s, k in (("F", 2), ("M", 4)) for i in range(40)]
>>> build = compare_groups(units)
>>> [(r.group, r.n, r.value) for r in build.rows if r.dimension == "victim_sex"]
[('Female', 40, 50.0), ('Male', 40, 25.0)]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from safehub.oversight.statistics import (
    CORRECTION_NAMES,
    Correction,
    TestResult,
    adjust_p_values,
    kaplan_meier,
    log_rank_test,
    rate_test,
    stratified_rate_test,
    wilson_interval,
)

Kind = Literal["rate", "time"]
MEASURE_KINDS: dict[str, Kind] = {
    "referral_decision": "time",
    "crime_to_charge": "time",
    "crime_nfa": "rate",
}
MEASURE_WORDS = {
    "referral_decision": ("Time to a referral decision", "working days"),
    "crime_to_charge": ("Time from first report to charge", "days"),
    "crime_nfa": ("The no-further-action rate", ""),
}
DIMENSIONS = (
    "suspect_ethnicity",
    "victim_ethnicity",
    "victim_sex",
    "victim_age_band",
    "in_care",
    "area",
)
DIMENSION_WORDS = {
    "suspect_ethnicity": "suspect ethnicity",
    "victim_ethnicity": "victim ethnicity",
    "victim_sex": "victim sex",
    "victim_age_band": "victim age band",
    "in_care": "whether the child is in care",
    "area": "area",
}
NOT_STATED = "Not stated"
UNKNOWN_AGE = "Unknown"
UNTESTED_LABELS = frozenset({NOT_STATED, UNKNOWN_AGE})
MIN_GROUP = 10  # below this a group is shown, never tested alone
ORDER = {
    "suspect_ethnicity": ("Asian", "Black", "Mixed", "White", "Other"),
    "victim_ethnicity": ("Asian", "Black", "Mixed", "White", "Other"),
    "victim_sex": ("Female", "Male"),
    "victim_age_band": ("0-9", "10-12", "13-15", "16-17", "18+"),
    "in_care": ("In care", "Not in care"),
}
SEX_WORDS = {"F": "Female", "M": "Male", "U": NOT_STATED, "NS": NOT_STATED}


@dataclass(frozen=True, slots=True)
class Unit:
    """One counted event, as ``oversight_unit`` holds it: no identity, only grouped values.

    ``days`` is the time to the event, or to the end of the data when ``event`` is False (the
    unit is censored); None for a measure that is a rate."""

    measure: str
    area: str
    period: str
    suspect_ethnicity: str | None = None
    victim_ethnicity: str | None = None
    victim_sex: str | None = None
    victim_age_band: str | None = None
    in_care: bool | None = None
    days: float | None = None
    event: bool = False

    def group(self, dimension: str) -> str:
        """The unit's group in ``dimension``, in words; "Not stated" when nothing was recorded."""
        if dimension == "area":
            return self.area
        if dimension == "in_care":
            return {True: "In care", False: "Not in care", None: NOT_STATED}[self.in_care]
        value = str(getattr(self, dimension) or "").strip()
        if dimension == "victim_sex":
            value = SEX_WORDS.get(value.upper(), value)
        return NOT_STATED if value in ("", "NS") else value


@dataclass(frozen=True, slots=True)
class DisparityRow:
    """One group's figure in one comparison (a row of ``oversight_disparity``)."""

    measure: str
    dimension: str
    group: str
    n: int
    value: float | None  # percent, or median days (None: more than half still waiting)
    ci_low: float | None
    ci_high: float | None
    p_value: float | None  # the dimension's corrected p, on the groups in the test
    flagged: bool
    test: str  # the test and correction in words, or why this group is not in it


@dataclass(frozen=True, slots=True)
class DimensionTest:
    """The test of one measure and dimension, before and after correction."""

    measure: str
    dimension: str
    groups: tuple[str, ...]  # the groups in the test
    left_out: tuple[str, ...]  # shown but not tested ("Not stated", fewer than MIN_GROUP)
    result: TestResult | None  # None: fewer than two groups to compare, or nothing varies
    p_corrected: float | None = None
    flagged: bool = False


@dataclass(frozen=True, slots=True)
class DisparityBuild:
    rows: list[DisparityRow]
    tests: list[DimensionTest]
    correction: Correction
    alpha: float
    statement: str

    @property
    def comparisons(self) -> int:
        """How many p values were corrected together."""
        return sum(t.result is not None for t in self.tests)

    def flagged(self) -> list[DimensionTest]:
        return [t for t in self.tests if t.flagged]


@dataclass
class _Comparison:
    measure: str
    dimension: str
    by_group: dict[str, list[Unit]] = field(default_factory=dict)


def compare_groups(
    units: Iterable[Unit], *, correction: Correction = "holm", alpha: float = 0.05
) -> DisparityBuild:
    """Every comparison of one build, corrected together, with its statement in words."""
    comparisons = _comparisons(units)
    raw = [_test(c) for c in comparisons]
    corrected = _correct(raw, correction, alpha)
    m = sum(t.result is not None for t in corrected)
    rows = [
        row
        for c, t in zip(comparisons, corrected, strict=True)
        for row in _rows(c, t, correction, m)
    ]
    statement = describe(rows, correction=correction, alpha=alpha)
    return DisparityBuild(rows, corrected, correction, alpha, statement)


def kind_of(measure: str) -> Kind:
    """A time to action is compared as survival; anything else as the rate of its event."""
    return MEASURE_KINDS.get(measure, "rate")


def _comparisons(units: Iterable[Unit]) -> list[_Comparison]:
    by_measure: dict[str, list[Unit]] = defaultdict(list)
    for unit in units:
        # A time to action without its days cannot be placed on a curve: it is left out (the
        # facts job gives every such unit its days, censored or not).
        if kind_of(unit.measure) == "rate" or unit.days is not None:
            by_measure[unit.measure].append(unit)
    known = list(MEASURE_KINDS)
    ordered = sorted(by_measure, key=lambda m: (known.index(m) if m in known else len(known), m))
    found = []
    for measure in ordered:
        for dimension in DIMENSIONS:
            groups: dict[str, list[Unit]] = defaultdict(list)
            for unit in by_measure[measure]:
                groups[unit.group(dimension)].append(unit)
            labels = sorted(groups, key=lambda g: _group_key(dimension, g))
            found.append(_Comparison(measure, dimension, {g: groups[g] for g in labels}))
    return found


def _group_key(dimension: str, group: str) -> tuple[int, str]:
    order = ORDER.get(dimension, ())
    if group in UNTESTED_LABELS:
        return (len(order) + 1, group)
    return (order.index(group) if group in order else len(order), group)


def _test(c: _Comparison) -> DimensionTest:
    tested = {
        g: u for g, u in c.by_group.items() if g not in UNTESTED_LABELS and len(u) >= MIN_GROUP
    }
    left_out = tuple(g for g in c.by_group if g not in tested)
    result = _run_test(c.measure, c.dimension, tested) if len(tested) >= 2 else None
    return DimensionTest(c.measure, c.dimension, tuple(tested), left_out, result)


def _run_test(measure: str, dimension: str, groups: dict[str, list[Unit]]) -> TestResult | None:
    by_area = dimension != "area"
    if kind_of(measure) == "time":
        units = [(g, u) for g, members in groups.items() for u in members]
        return log_rank_test(
            [float(u.days or 0.0) for _, u in units],
            [u.event for _, u in units],
            [g for g, _ in units],
            strata=[u.area for _, u in units] if by_area else None,
        )
    if not by_area:
        return rate_test([_events(members) for members in groups.values()])
    areas = sorted({u.area for members in groups.values() for u in members})
    tables = [
        [_events([u for u in members if u.area == area]) for members in groups.values()]
        for area in areas
    ]
    return stratified_rate_test(tables)


def _events(units: Sequence[Unit]) -> tuple[int, int]:
    hits = sum(u.event for u in units)
    return hits, len(units) - hits


def _correct(
    tests: list[DimensionTest], correction: Correction, alpha: float
) -> list[DimensionTest]:
    raw = [t.result.p_value for t in tests if t.result is not None]
    adjusted = iter(adjust_p_values(raw, method=correction))
    out = []
    for t in tests:
        if t.result is None:
            out.append(t)
            continue
        p = next(adjusted)
        out.append(replace(t, p_corrected=p, flagged=p < alpha))
    return out


def _rows(c: _Comparison, t: DimensionTest, correction: Correction, m: int) -> list[DisparityRow]:
    words = _test_words(t, correction, m)
    rows = []
    for group, members in c.by_group.items():
        value, low, high = _figure(c.measure, members)
        in_test = group in t.groups and t.result is not None
        rows.append(
            DisparityRow(
                c.measure,
                c.dimension,
                group,
                len(members),
                value,
                low,
                high,
                t.p_corrected if in_test else None,
                t.flagged and in_test,
                words if in_test or t.result is None else _why_left_out(group, len(members), words),
            )
        )
    return rows


def _figure(measure: str, units: Sequence[Unit]) -> tuple[float | None, float | None, float | None]:
    if kind_of(measure) == "time":
        km = kaplan_meier([float(u.days or 0.0) for u in units], [u.event for u in units])
        return km.median, km.ci_low, km.ci_high
    hits, _ = _events(units)
    low, high = wilson_interval(hits, len(units))
    return 100 * hits / len(units), 100 * low, 100 * high


def _test_words(t: DimensionTest, correction: Correction, m: int) -> str:
    if t.result is None:
        return "not tested: fewer than two groups of 10 or more with the value recorded"
    excluded = [g for g in t.left_out if g in UNTESTED_LABELS]
    note = f"; {' and '.join(excluded)} left out of the test" if excluded else ""
    return (
        f"{t.result.method}; p corrected by {CORRECTION_NAMES[correction]} "
        f"over {m} comparisons{note}"
    )


def _why_left_out(group: str, n: int, words: str) -> str:
    if group in UNTESTED_LABELS:
        return f"shown, not tested: {group.lower()} is a gap in recording, not a group; {words}"
    return f"shown, not tested: fewer than {MIN_GROUP} units to compare; {words}"


def describe(rows: Sequence[DisparityRow], *, correction: Correction, alpha: float) -> str:
    """The plain statement of a build, from its rows alone (so a report can say it again from
    the stored rows): each significant difference, then what is not significant.

    >>> row = DisparityRow("crime_nfa", "area", "E1", 40, 50.0, 35.0, 65.0, 0.2, False, "t; p")
    >>> describe([row], correction="holm", alpha=0.05)[:63]
    'No difference is significant at 5% after Holm correction over 1'
    """
    dimensions: dict[tuple[str, str], list[DisparityRow]] = defaultdict(list)
    for row in rows:
        dimensions[(row.measure, row.dimension)].append(row)
    tested = {k: v for k, v in dimensions.items() if any(r.p_value is not None for r in v)}
    m, name, level = len(tested), CORRECTION_NAMES[correction], f"{alpha * 100:g}%"
    if not m:
        return "Nothing could be tested: no measure had two groups of 10 or more to compare."
    found = [_sentence(k, v, name, m) for k, v in tested.items() if any(r.flagged for r in v)]
    if found:
        rest = f"No other difference is significant at {level} after correction."
    else:
        rest = (
            f"No difference is significant at {level} after {name} correction over {m} comparisons."
        )
    untested = len(dimensions) - m
    tail = (
        f" {untested} comparisons could not be tested (fewer than two groups of 10 or more)."
        if untested
        else ""
    )
    note = " Groups with the value not stated are shown but left out of every test."
    return " ".join([*found, rest]) + tail + note


def _sentence(key: tuple[str, str], rows: list[DisparityRow], name: str, m: int) -> str:
    measure, dimension = key
    what, unit = MEASURE_WORDS.get(measure, (f"The rate of {measure}", ""))
    in_test = [r for r in rows if r.p_value is not None]
    p_value = float(in_test[0].p_value or 0.0)
    test = in_test[0].test.split(" (")[0].split(";")[0]
    p = "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"
    return (
        f"{what} differs by {DIMENSION_WORDS.get(dimension, dimension)} "
        f"({test}, {p} after {name} correction over {m} comparisons){_extreme(measure, in_test, unit)}."
    )


def _longest_first(median: float | None) -> float:
    # A median not reached (more than half still waiting) is longer than any reached one.
    return float("inf") if median is None else median


def _extreme(measure: str, rows: list[DisparityRow], unit: str) -> str:
    if kind_of(measure) == "time":
        slowest = max(rows, key=lambda r: _longest_first(r.value))
        shown = "not reached" if slowest.value is None else f"{slowest.value:.1f} {unit}"
        return f": slowest {slowest.group} (median {shown})"
    known = [r for r in rows if r.value is not None]
    high = max(known, key=lambda r: r.value or 0.0)
    low = min(known, key=lambda r: r.value or 0.0)
    return f": highest {high.group} ({high.value:.0f}%), lowest {low.group} ({low.value:.0f}%)"
