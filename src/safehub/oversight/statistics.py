"""The statistics of disparity monitoring: intervals, tests that fit the data, corrections.

Pure functions over plain numbers (scipy and statsmodels underneath). Each says what it assumes;
each test returns a :class:`TestResult` whose ``method`` names, in words, what was actually done
(including a fallback when the counts were too small for the usual test), so that a published
figure always carries its method.

>>> low, high = wilson_interval(5, 20)
>>> round(low, 4), round(high, 4)
(0.1119, 0.4687)
>>> adjust_p_values([0.01, 0.04, 0.03, 0.005], method="holm")
[0.03, 0.06, 0.06, 0.02]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import stats
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

Correction = Literal["holm", "bh"]
CORRECTION_NAMES: dict[Correction, str] = {"holm": "Holm", "bh": "Benjamini-Hochberg"}
# Cochran's rule for the chi-square approximation: no expected count below 1, and no more than
# a fifth of them below 5. Below that the p value of the approximation cannot be trusted.
MIN_EXPECTED = 1.0
SMALL_EXPECTED = 5.0
MONTE_CARLO_DRAWS = 4999
MONTE_CARLO_SEED = 20_261_206  # seeded: the same data always gives the same published p value
Table = Sequence[tuple[int, int]]  # per group: (with the event, without it)


@dataclass(frozen=True, slots=True)
class TestResult:
    """One test of "no difference between the groups": its statistic, p value and method."""

    __test__ = False  # not a pytest class, whatever its name

    statistic: float
    p_value: float
    df: int
    method: str  # in words, e.g. "chi-square test of independence (2 df)"


@dataclass(frozen=True, slots=True)
class Survival:
    """A Kaplan-Meier estimate's median time with its confidence interval (None: not reached)."""

    n: int
    events: int
    median: float | None
    ci_low: float | None
    ci_high: float | None


def wilson_interval(events: int, n: int, *, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion ``events / n`` (as proportions, not percent).

    Assumes independent events with one common probability in the group. Unlike the normal
    ("Wald") interval it stays inside [0, 1] and keeps close to its coverage for small n or for
    proportions near 0 or 1 (Wilson 1927; Brown, Cai and DasGupta 2001).
    """
    if n <= 0 or not 0 <= events <= n:
        raise ValueError(f"events must be between 0 and n, and n above 0: got {events}/{n}")
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    p = events / n
    scale = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / scale
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / scale
    # At 0 or n the bound is exactly 0 or 1; rounding would leave it a hair inside.
    low = 0.0 if events == 0 else max(0.0, centre - half)
    return low, 1.0 if events == n else min(1.0, centre + half)


def rate_test(table: Table, *, seed: int = MONTE_CARLO_SEED) -> TestResult | None:
    """Chi-square test of independence of a groups x (event, no event) table, or a fallback.

    Assumes each unit is counted once and units are independent. When the expected counts break
    Cochran's rule (any below 1, or more than a fifth below 5) the chi-square approximation is
    not used: a 2 x 2 table gets Fisher's exact test; a larger one a Monte Carlo p value of the
    same statistic (event labels shuffled across units, group sizes and event total fixed).
    No Yates correction: the small-count case is handled by the exact test instead.
    None when there is nothing to test (fewer than two groups, or no variation in the event).
    """
    counts = _valid_table(table)
    return None if counts is None else _rate_counts(counts, seed)


def _rate_counts(counts: NDArray[np.int64], seed: int) -> TestResult:
    chi2, p, df, expected = stats.chi2_contingency(counts, correction=False)
    if _expected_ok(expected):
        return TestResult(float(chi2), float(p), int(df), f"chi-square test ({df} df)")
    if counts.shape[0] == 2:
        _, p_exact = stats.fisher_exact(counts)
        return TestResult(
            float(chi2), float(p_exact), 1, "Fisher's exact test (expected counts below 5)"
        )
    return _monte_carlo([counts], float(chi2), int(df), seed, "expected counts below 5")


def stratified_rate_test(
    tables: Sequence[Table], *, seed: int = MONTE_CARLO_SEED
) -> TestResult | None:
    """Generalised Cochran-Mantel-Haenszel test of groups x (event, no event) across strata.

    Compares the groups within each stratum (an area), so that an area with a higher rate and a
    different mix of groups does not show as a difference between the groups. Assumes the same
    direction of difference in every stratum is what matters (the "general association" statistic
    with k - 1 df), independent units, and strata fixed in advance. Strata with one unit or no
    variation carry no information and drop out. When fewer than 5 units per group and outcome
    are expected over all strata, the p value is a Monte Carlo one instead: events shuffled within
    each stratum, the same statistic recomputed.
    """
    groups = len(tables[0]) if tables else 0
    layers = [np.asarray(t, dtype=np.int64).reshape(groups, 2) for t in tables]
    layers = [t for t in layers if t.sum() > 1 and 0 < t[:, 0].sum() < t.sum()]
    if not layers:
        return None
    pooled = sum(layers, np.zeros((groups, 2), dtype=np.int64))
    present = pooled.sum(axis=1) > 0
    layers = [t[present] for t in layers]
    if int(present.sum()) < 2:
        return None
    if len(layers) == 1:
        return _rate_counts(layers[0], seed)
    statistic, df = _cmh(layers)
    expected = _cmh_expected(layers)
    if np.all(expected >= SMALL_EXPECTED):
        p = float(stats.chi2.sf(statistic, df))
        return TestResult(statistic, p, df, f"Cochran-Mantel-Haenszel test by area ({df} df)")
    return _monte_carlo(layers, statistic, df, seed, "by area; expected counts below 5")


def kaplan_meier(
    days: Sequence[float], events: Sequence[bool], *, confidence: float = 0.95
) -> Survival:
    """Kaplan-Meier median time to the event, with its confidence interval.

    Assumes censoring (the data ending before the event) is unrelated to how soon the event would
    have come, and the same time origin for everyone. The median is the first time at which fewer
    than half are still waiting (strictly below one half, SAS's convention). The interval is Brookmeyer and Crowley's,
    on the complementary log-log scale; a bound (or the median itself) that the curve never
    reaches is None: the time is longer than the data can show.
    """
    n, hit = len(days), int(sum(bool(e) for e in events))
    if n == 0 or hit == 0:
        return Survival(n, hit, None, None, None)
    survival = SurvfuncRight(np.asarray(days, dtype=float), np.asarray(events, dtype=float))
    median = _finite(survival.quantile(0.5))
    with np.errstate(all="ignore"):  # log(0) where the curve ends: that bound is "not reached"
        low, high = survival.quantile_ci(0.5, alpha=1 - confidence, method="cloglog")
    return Survival(n, hit, median, _finite(low), _finite(high))


def log_rank_test(
    days: Sequence[float],
    events: Sequence[bool],
    groups: Sequence[str],
    *,
    strata: Sequence[str] | None = None,
) -> TestResult | None:
    """Log-rank test that k groups share one curve of time to the event (k - 1 df).

    Assumes non-informative censoring and, for its power, hazards roughly in proportion between
    groups (it can miss curves that cross). With ``strata`` (the area) the groups are compared
    within each stratum and the results summed (stratified log-rank), so that a slower area with
    a different mix of groups is not read as a slower group. None with fewer than two groups or
    no event at all.
    """
    if strata is not None and len(set(strata)) > 1:
        return _stratified_log_rank(days, events, groups, strata)
    return _log_rank(days, events, groups, None, "log-rank test")


def _stratified_log_rank(
    days: Sequence[float], events: Sequence[bool], groups: Sequence[str], strata: Sequence[str]
) -> TestResult | None:
    # A stratum holding one group alone compares nothing: it drops out (with it in, the
    # covariance of the test is singular when no two groups ever share a stratum).
    met: dict[str, set[str]] = {}
    for group, stratum in zip(groups, strata, strict=True):
        met.setdefault(stratum, set()).add(group)
    mixed = {stratum for stratum, seen in met.items() if len(seen) > 1}
    keep = [i for i, s in enumerate(strata) if s in mixed]
    if not keep:
        return None
    pick = [days[i] for i in keep], [events[i] for i in keep], [groups[i] for i in keep]
    return _log_rank(*pick, [strata[i] for i in keep], "log-rank test stratified by area")


def _log_rank(
    days: Sequence[float],
    events: Sequence[bool],
    groups: Sequence[str],
    strata: Sequence[str] | None,
    word: str,
) -> TestResult | None:
    labels = sorted(set(groups))
    if len(labels) < 2 or not any(events):
        return None
    codes = np.asarray([labels.index(g) for g in groups])
    kwargs: dict[str, NDArray[np.int64]] = {}
    if strata is not None:
        strata_labels = sorted(set(strata))
        kwargs["strata"] = np.asarray([strata_labels.index(s) for s in strata])
    try:
        chi2, p = survdiff(
            np.asarray(days, dtype=float), np.asarray(events, dtype=float), codes, **kwargs
        )
    except np.linalg.LinAlgError:  # no information to compare (e.g. no event at risk together)
        return None
    df = len(labels) - 1
    return TestResult(float(chi2), float(p), df, f"{word} ({df} df)")


def adjust_p_values(p_values: Sequence[float], *, method: Correction = "holm") -> list[float]:
    """p values corrected for the number of comparisons made together.

    Holm's step-down method controls the chance of even one false flag among all the comparisons
    (family-wise error), under any dependence between them. Benjamini-Hochberg controls the
    expected share of false flags among those flagged (false discovery rate), assuming the tests
    are independent or positively dependent; it flags more. A corrected p value is never below
    the raw one, and Holm's is never below Benjamini-Hochberg's.
    """
    # Written out rather than statsmodels' ``multipletests``, which runs a full garbage collection
    # on every call (0.1 s or more in a large process); the tests check it gives the same values.
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    if method == "holm":
        running = 0.0
        for rank, i in enumerate(order):  # step down: never below an earlier (smaller) one
            running = max(running, min(1.0, (m - rank) * p_values[i]))
            adjusted[i] = running
    else:
        running = 1.0
        for rank in range(m - 1, -1, -1):  # step up: never above a later (larger) one
            i = order[rank]
            running = min(running, m * p_values[i] / (rank + 1))
            adjusted[i] = running
    return [max(float(p), a) for p, a in zip(p_values, adjusted, strict=True)]


def _valid_table(table: Table) -> NDArray[np.int64] | None:
    given: NDArray[np.int64] = np.asarray(table, dtype=np.int64).reshape(-1, 2)
    counts: NDArray[np.int64] = given[given.sum(axis=1) > 0]
    if counts.shape[0] < 2 or counts[:, 0].sum() == 0 or counts[:, 1].sum() == 0:
        return None
    return counts


def _expected_ok(expected: NDArray[np.float64]) -> bool:
    return bool(expected.min() >= MIN_EXPECTED and (expected < SMALL_EXPECTED).mean() <= 0.2)


def _cmh(layers: Sequence[NDArray[np.int64]]) -> tuple[float, int]:
    """The generalised CMH statistic: observed minus expected events per group, summed over
    strata, against their hypergeometric covariance (one group left out: k - 1 df, fewer if a
    group never meets another in a stratum)."""
    diff, cov = _cmh_parts(layers)
    inverse = np.linalg.pinv(cov)
    return float(diff @ inverse @ diff), int(np.linalg.matrix_rank(cov))


def _cmh_parts(
    layers: Sequence[NDArray[np.int64]],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    k = layers[0].shape[0]
    diff = np.zeros(k - 1)
    cov = np.zeros((k - 1, k - 1))
    for t in layers:
        size, total, hits = _margins(t)
        diff += t[: k - 1, 0] - hits * size[: k - 1] / total
        factor = hits * (total - hits) / (total * total * (total - 1))
        part = size[: k - 1]
        cov += factor * (total * np.diag(part) - np.outer(part, part))
    return diff, cov


def _margins(t: NDArray[np.int64]) -> tuple[NDArray[np.float64], float, float]:
    return t.sum(axis=1).astype(float), float(t.sum()), float(t[:, 0].sum())


def _cmh_expected(layers: Sequence[NDArray[np.int64]]) -> NDArray[np.float64]:
    expected = np.zeros((layers[0].shape[0], 2))
    for t in layers:
        size, total, hits = _margins(t)
        expected += np.column_stack([size * hits / total, size * (1 - hits / total)])
    return expected


def _monte_carlo(
    layers: Sequence[NDArray[np.int64]], observed: float, df: int, seed: int, why: str
) -> TestResult:
    """p value of the chi-square (one stratum) or CMH statistic when events are shuffled among
    the units of each stratum (margins fixed): (1 + draws at least as extreme) / (1 + draws)."""
    rng = np.random.default_rng(seed)
    draws = [
        rng.multivariate_hypergeometric(t.sum(axis=1), int(t[:, 0].sum()), size=MONTE_CARLO_DRAWS)
        for t in layers
    ]
    simulated = (
        _chi_square_draws(layers[0], draws[0]) if len(layers) == 1 else _cmh_draws(layers, draws)
    )
    extreme = int(np.sum(simulated >= observed - 1e-9))
    p = (1 + extreme) / (1 + MONTE_CARLO_DRAWS)
    method = f"Monte Carlo p value over {MONTE_CARLO_DRAWS:,} shuffles ({why})"
    return TestResult(observed, p, df, method)


def _chi_square_draws(t: NDArray[np.int64], draws: NDArray[np.int64]) -> NDArray[np.float64]:
    size, total, hits = _margins(t)
    keep = size > 0
    expected = size[keep] * hits / total
    weight = 1 / expected + 1 / (size[keep] - expected)
    result: NDArray[np.float64] = (((draws[:, keep] - expected) ** 2) * weight).sum(axis=1)
    return result


def _cmh_draws(
    layers: Sequence[NDArray[np.int64]], draws: Sequence[NDArray[np.int64]]
) -> NDArray[np.float64]:
    # Shuffling within strata keeps every margin, so the covariance is the same for every draw.
    k = layers[0].shape[0]
    _, cov = _cmh_parts(layers)
    inverse = np.linalg.pinv(cov)
    diff = np.zeros((MONTE_CARLO_DRAWS, k - 1))
    for t, d in zip(layers, draws, strict=True):
        size, total, hits = _margins(t)
        diff += d[:, : k - 1] - hits * size[: k - 1] / total
    result: NDArray[np.float64] = np.einsum("bi,ij,bj->b", diff, inverse, diff)
    return result


def _finite(value: object) -> float | None:
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None
