"""Disclosure control: no published count below 10, every other a multiple of 5, and no table
line that lets a reader recover a suppressed entry by subtraction from its total."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from safehub.oversight.disclosure import (
    SUPPRESSED,
    ProtectedTable,
    protect_series,
    protect_table,
    publish_count,
    publish_rate,
    round_to_base,
)


def test_counts_below_ten_are_suppressed_and_others_rounded_to_five_halves_up() -> None:
    given = (0, 1, 9, 10, 12, 12.5, 13, 17, 18, 102)
    expected = ("c", "c", "c", 10, 10, 15, 15, 15, 20, 100)
    assert [publish_count(n) for n in given] == list(expected)
    assert publish_count(None) is None


def test_a_rate_over_a_small_count_is_suppressed_and_otherwise_uses_unrounded_counts() -> None:
    assert publish_rate(9, 400) == SUPPRESSED
    assert publish_rate(12, 9) == SUPPRESSED
    assert publish_rate(12, 16) == 75.0
    assert publish_rate(3, 0) is None


def test_a_single_small_cell_in_a_row_takes_the_rows_smallest_other_cell_with_it() -> None:
    table = protect_table(
        {
            ("Leeds", "charged"): 4,
            ("Leeds", "nfa"): 30,
            ("Leeds", "ongoing"): 50,
            ("Kirklees", "charged"): 40,
            ("Kirklees", "nfa"): 35,
            ("Kirklees", "ongoing"): 60,
        }
    )
    assert table.cells[("Leeds", "charged")] == SUPPRESSED
    # Leeds' row would give 84 - 30 - 50 = 4: its smallest other cell goes too.
    assert table.cells[("Leeds", "nfa")] == SUPPRESSED
    # And the columns of those two cells each then hold one suppressed cell: Kirklees' go too.
    assert table.cells[("Kirklees", "charged")] == SUPPRESSED
    assert table.cells[("Kirklees", "nfa")] == SUPPRESSED
    assert table.cells[("Kirklees", "ongoing")] == 60
    assert table.row_totals == {"Leeds": 85, "Kirklees": 135}
    assert ("Leeds", "nfa") in table.secondary
    assert ("Leeds", "charged") not in table.secondary


def test_a_series_with_one_small_entry_hides_the_next_smallest_so_the_total_gives_nothing() -> None:
    series = protect_series({"Bradford": 3, "Rochdale": 22, "Rotherham": 41})
    assert series.cells == {"Bradford": "c", "Rochdale": "c", "Rotherham": 40}
    assert series.total == 65
    assert series.secondary == frozenset({"Rochdale"})


def test_without_totals_only_small_cells_are_suppressed() -> None:
    series = protect_series({"Bradford": 3, "Rochdale": 22}, total=False)
    assert series.cells == {"Bradford": "c", "Rochdale": 20}
    assert series.total is None


_counts = st.integers(min_value=0, max_value=200)
_tables = st.dictionaries(
    st.tuples(st.sampled_from("ABCDE"), st.sampled_from("wxyz")), _counts, min_size=1
)


def _lines(table: ProtectedTable) -> list[list[object]]:
    rows = list(table.row_totals)
    cols = list(table.col_totals)
    lines: list[list[object]] = [
        [*(table.cells[(r, c)] for c in cols), table.row_totals[r]] for r in rows
    ]
    lines += [[*(table.cells[(r, c)] for r in rows), table.col_totals[c]] for c in cols]
    lines.append([*(table.row_totals[r] for r in rows), table.grand_total])
    lines.append([*(table.col_totals[c] for c in cols), table.grand_total])
    return lines


@settings(max_examples=120, deadline=None)
@given(_tables)
def test_no_published_entry_is_below_ten_or_off_the_five_grid(
    cells: dict[tuple[str, str], int],
) -> None:
    table = protect_table(cells)
    published = [
        *table.cells.values(),
        *table.row_totals.values(),
        *table.col_totals.values(),
        table.grand_total,
    ]
    for value in published:
        assert value == SUPPRESSED or (isinstance(value, int) and value >= 10 and value % 5 == 0)


@settings(max_examples=120, deadline=None)
@given(_tables)
def test_every_small_cell_is_suppressed_and_every_other_is_within_two_and_a_half(
    cells: dict[tuple[str, str], int],
) -> None:
    table = protect_table(cells)
    for key, shown in table.cells.items():
        true = cells.get(key, 0)
        if true < 10:
            assert shown == SUPPRESSED
        elif shown != SUPPRESSED:
            assert isinstance(shown, int) and abs(shown - true) <= 2.5


@settings(max_examples=120, deadline=None)
@given(_tables)
def test_no_line_of_the_table_holds_exactly_one_suppressed_entry(
    cells: dict[tuple[str, str], int],
) -> None:
    table = protect_table(cells)
    for line in _lines(table):
        assert sum(1 for v in line if v == SUPPRESSED) != 1, line


@settings(max_examples=120, deadline=None)
@given(st.dictionaries(st.sampled_from("ABCDEFG"), _counts, min_size=1))
def test_a_series_never_holds_exactly_one_suppressed_entry_among_cells_and_total(
    counts: dict[str, int],
) -> None:
    series = protect_series(counts)
    entries = [*series.cells.values(), series.total]
    assert sum(1 for v in entries if v == SUPPRESSED) != 1
    assert all(counts[k] >= 10 for k in series.secondary)


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False))
def test_rounding_lands_on_the_nearest_multiple_of_five(n: float) -> None:
    rounded = round_to_base(n)
    assert rounded % 5 == 0 and abs(rounded - n) <= 2.5
