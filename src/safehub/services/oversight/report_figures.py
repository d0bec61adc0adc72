"""The report's figures: facts summed over a period, a measure's value from its sums, status
against target, and disclosure control applied before anything is kept.

Nothing unrounded leaves this module: every count is published (``publish_count``, rounded to
5, "c" below 10, with secondary suppression across a measure's areas) and every value that rests
on a suppressed count is "c" too, so that no template or CSV writer can leak a small number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from safehub.oversight.disclosure import (
    SUPPRESSED,
    ProtectedSeries,
    Published,
    protect_series,
    publish_rate,
)
from safehub.services.oversight.results import status_for

# A published value: a number, "c" (rests on a small count) or None (no data).
Value = float | int | str | None

MET, NEAR, MISSED, NO_DATA, NO_TARGET = "met", "near", "missed", "no data", "no target"
# When the value is suppressed its status is too: "met" for 3 referrals of 3 would tell.
WITHHELD = SUPPRESSED
NATIONAL = "national"
# The kinds of area (oversight_fact.area_kind), in the order the report lists them.
KINDS = ("police_force", "local_authority")
# Group labels as the disparity build stores them, in words for people (the CSV keeps codes).
GROUP_WORDS = {
    "F": "Female",
    "M": "Male",
    "U": "Not known",
    "true": "In care",
    "false": "Not in care",
}


@dataclass(frozen=True)
class Measure:
    """A measure of the national strategy, as ``oversight_measure`` defines it."""

    code: str
    name: str
    definition: str
    numerator: str
    denominator: str | None
    counts: str
    direction: str
    unit: str
    target: float | None
    near_margin: float
    owner: str
    by: str
    # A count per something (caseload per worker) rather than a plain count: its facts carry a
    # denominator (the report decides from them).
    per: bool = False

    @property
    def median(self) -> bool:
        return self.unit == "days"


@dataclass(frozen=True)
class Sums:
    """Facts summed over months: numerators, denominators and sum(numerator × denominator)."""

    numerator: float = 0.0
    denominator: float | None = None
    weighted: float = 0.0

    def __add__(self, other: Sums) -> Sums:
        den = None
        if self.denominator is not None or other.denominator is not None:
            den = (self.denominator or 0.0) + (other.denominator or 0.0)
        return Sums(self.numerator + other.numerator, den, self.weighted + other.weighted)


def sums_of(row: Any) -> Sums:
    den = None if row.denominator is None else float(row.denominator)
    return Sums(float(row.numerator), den, float(row.weighted or 0.0))


def counted(measure: Measure, sums: Sums) -> float:
    """The count a figure rests on: the events (denominator) or, for a plain count, itself."""
    if measure.unit == "count" and not measure.per:
        return sums.numerator
    return sums.denominator or 0.0


def raw_value(measure: Measure, sums: Sums) -> float | None:
    """The unrounded value. A median-days measure over several months is the count-weighted
    mean of the months' medians (the median of the whole period cannot be recovered from
    monthly medians); the report says so."""
    if measure.unit == "count" and not measure.per:
        return sums.numerator
    if not sums.denominator:
        return None
    if measure.median:
        return sums.weighted / sums.denominator
    scale = 100.0 if measure.unit == "percent" else 1.0
    return scale * sums.numerator / sums.denominator


def published_value(measure: Measure, sums: Sums, cell: Published | None) -> Value:
    """The value as it may be published, given the published count it rests on."""
    value = raw_value(measure, sums)
    if value is None:
        return None
    if cell == SUPPRESSED:
        return SUPPRESSED
    if measure.unit == "count" and not measure.per:
        return cell
    if measure.median:
        return value
    rate = publish_rate(sums.numerator, sums.denominator)
    if rate == SUPPRESSED or rate is None:
        return rate
    return value


def published_status(measure: Measure, sums: Sums, value: Value) -> str:
    if value == SUPPRESSED:
        return WITHHELD
    if value is None:
        return NO_DATA
    return status_for(
        raw_value(measure, sums),
        target=measure.target,
        direction=measure.direction,
        near_margin=measure.near_margin,
    )


def protect(counts: Mapping[str, float]) -> ProtectedSeries:
    """Counts of one measure across areas (or months) with their total, suppressed and rounded."""
    return protect_series(counts, total=True)


def kinds_in_order(kinds: Iterable[str]) -> list[str]:
    """Police force areas, local authorities, then any other kind ("unknown")."""
    present = set(kinds)
    return [k for k in KINDS if k in present] + sorted(present - set(KINDS))


def month_range(period: str) -> tuple[date, date] | None:
    """The first and last month of "YYYY" or "YYYY-MM", or None when it is neither."""
    try:
        if len(period) == 4 and period.isdigit():
            return date(int(period), 1, 1), date(int(period), 12, 1)
        if len(period) == 7 and period[4] == "-" and period[:4].isdigit():
            first = date(int(period[:4]), int(period[5:]), 1)
            return first, first
    except ValueError:
        return None
    return None


def months_back(last: date, count: int) -> list[date]:
    """``count`` months ending with ``last``, oldest first."""
    index = last.year * 12 + last.month - 1
    return [date((i) // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def ranked(items: Sequence[Any], key: Any) -> list[tuple[int, Any]]:
    """Standard competition ranking (1, 2, 2, 4) of items already sorted by ``key``."""
    out: list[tuple[int, Any]] = []
    for position, item in enumerate(items, start=1):
        same = out and key(out[-1][1]) == key(item)
        out.append((out[-1][0] if same else position, item))
    return out
