"""Disclosure control for every published count: the ONS "10-5" rule with secondary suppression.

Published figures about child sexual exploitation are about very few people in a small area: a
count of 3 children in one local authority in one month can point at a child. So, before any
count leaves Safehub (report, CSV, portal page, API):

- **Primary suppression**: a count below 10 (zero included) is not published; it is shown as
  ``"c"`` (the ONS convention for "confidential").
- **Rounding**: every other count is rounded to the nearest 5, halves up (12 → 10, 12.5 → 15,
  13 → 15), so that a published total minus published cells never gives an exact small count.
- **Secondary suppression**: in a table with totals, a row or column holding exactly one
  suppressed entry would let a reader recover it by subtraction from the total (before rounding
  blurs it, and after rounding within ±2.5 per cell, which for small counts is still too close).
  So every line of the table (each row with its total, each column with its total, the row of
  column totals with the grand total, the column of row totals with the grand total) must hold
  either no suppressed entry or at least two. Where a line holds one, the smallest published
  entry of that line is suppressed too (interior cells first, the line's total last), and the
  check repeats until no line holds exactly one. This is the usual "at least two per line" rule;
  it does not solve the full linear-programming problem of audited suppression, which rounding
  covers here.
- **Rates**: a rate (or any figure) computed from a count below 10 reveals that count, so it is
  suppressed as well; a rate is computed from the unrounded counts.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeAlias

SUPPRESSED = "c"
THRESHOLD = 10
BASE = 5

Published: TypeAlias = int | str  # a rounded count, or SUPPRESSED


def round_to_base(n: float) -> int:
    """The nearest multiple of ``BASE``, halves rounded up (so 12.5 → 15, never banker's 10)."""
    return math.floor(n / BASE + 0.5) * BASE


def is_small(n: float) -> bool:
    return n < THRESHOLD


def publish_count(n: float | None) -> Published | None:
    """A count as it may be published: None stays None (unknown), below 10 "c", else rounded."""
    if n is None:
        return None
    if is_small(n):
        return SUPPRESSED
    return round_to_base(n)


def publish_rate(numerator: float | None, denominator: float | None) -> str | float | None:
    """A percentage of ``numerator`` in ``denominator``, or "c" when either count is below 10.

    None when there is nothing to divide by (no data). The rate is computed from the unrounded
    counts: rounding them first would make small areas' rates jump by whole tens of percent.
    """
    if numerator is None or denominator is None or denominator == 0:
        return None
    if is_small(numerator) or is_small(denominator):
        return SUPPRESSED
    return 100.0 * numerator / denominator


@dataclass(frozen=True)
class ProtectedSeries:
    """A one-way list of counts with its total, as it may be published."""

    cells: dict[str, Published]
    total: Published | None
    # Entries suppressed only to protect another (not small themselves).
    secondary: frozenset[str]


@dataclass(frozen=True)
class ProtectedTable:
    """A two-way table of counts with row, column and grand totals, as it may be published."""

    cells: dict[tuple[str, str], Published]
    row_totals: dict[str, Published]
    col_totals: dict[str, Published]
    grand_total: Published | None
    # Interior cells or totals suppressed only to protect another: ("row", r) / ("col", c) /
    # ("grand",) name totals, (r, c) an interior cell.
    secondary: frozenset[tuple[str, ...]]


def protect_series(counts: Mapping[str, float], *, total: bool = True) -> ProtectedSeries:
    """Suppress and round a list of counts; with ``total`` the list's total is published too and
    a single suppressed entry takes the next smallest with it (else the total gives it away)."""
    keys = list(counts)
    values: dict[Hashable, float] = {k: float(v) for k, v in counts.items()}
    lines: list[list[Hashable]] = []
    if total:
        values[_TOTAL] = sum(counts.values())
        lines.append([*keys, _TOTAL])
    suppressed = _suppress(values, lines)
    cells = {k: _show(values[k], k in suppressed) for k in keys}
    published_total = _show(values[_TOTAL], _TOTAL in suppressed) if total else None
    secondary = frozenset(str(k) for k in suppressed if k != _TOTAL and not is_small(values[k]))
    return ProtectedSeries(cells, published_total, secondary)


def protect_table(cells: Mapping[tuple[str, str], float], *, totals: bool = True) -> ProtectedTable:
    """Suppress and round a two-way table (row, column) → count; missing cells count as 0.

    With ``totals`` the row, column and grand totals are published, and secondary suppression
    keeps every line at zero or at least two suppressed entries.
    """
    rows = _unique(r for r, _ in cells)
    cols = _unique(c for _, c in cells)
    values: dict[Hashable, float] = {
        (r, c): float(cells.get((r, c), 0)) for r in rows for c in cols
    }
    lines: list[list[Hashable]] = []
    if totals:
        for r in rows:
            values[("row", r)] = sum(values[(r, c)] for c in cols)
            lines.append([*((r, c) for c in cols), ("row", r)])
        for c in cols:
            values[("col", c)] = sum(values[(r, c)] for r in rows)
            lines.append([*((r, c) for r in rows), ("col", c)])
        values[("grand",)] = sum(values[("row", r)] for r in rows)
        lines.append([*(("row", r) for r in rows), ("grand",)])
        lines.append([*(("col", c) for c in cols), ("grand",)])
    suppressed = _suppress(values, lines)

    def show(key: Hashable) -> Published:
        return _show(values[key], key in suppressed)

    return ProtectedTable(
        cells={(r, c): show((r, c)) for r in rows for c in cols},
        row_totals={r: show(("row", r)) for r in rows} if totals else {},
        col_totals={c: show(("col", c)) for c in cols} if totals else {},
        grand_total=show(("grand",)) if totals else None,
        secondary=frozenset(
            k for k in suppressed if isinstance(k, tuple) and not is_small(values[k])
        ),
    )


_TOTAL = ("total",)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _show(value: float, suppressed: bool) -> Published:
    return SUPPRESSED if suppressed else round_to_base(value)


def _suppress(values: Mapping[Hashable, float], lines: list[list[Hashable]]) -> set[Hashable]:
    """Primary suppression, then the smallest other entry of any line holding exactly one.

    The last entry of each line is its total: it is chosen only when the line has no other
    published entry, because hiding a total hides more than hiding a cell.
    """
    suppressed = {k for k, v in values.items() if is_small(v)}
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [k for k in line if k in suppressed]
            if len(hidden) != 1:
                continue
            shown = [k for k in line[:-1] if k not in suppressed]
            if not shown:
                shown = [k for k in line[-1:] if k not in suppressed]
            if shown:
                suppressed.add(min(shown, key=lambda k: values[k]))
                changed = True
    return suppressed
