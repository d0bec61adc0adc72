"""Training's counts read from the Arrow table equal the same counts made row by row."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from safehub.linkage.engine import input_table
from safehub.linkage.model import TF_COLUMNS
from safehub.linkage.prepare import prepare
from safehub.linkage.training import SESSIONS, table_term_frequencies
from safehub.synthetic.small_population import small_population


def _pairs_row_by_row(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> int:
    counts = Counter(
        tuple(row[c] for c in columns) for row in rows if all(row[c] is not None for c in columns)
    )
    return sum(n * (n - 1) // 2 for n in counts.values())


def _shares_row_by_row(rows: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    result: dict[str, dict[str, float]] = {}
    for column in TF_COLUMNS:
        counts = Counter(row[column] for row in rows if row[column] is not None)
        total = sum(counts.values())
        result[column] = {k: n / total for k, n in sorted(counts.items())}
    return result


def test_session_pairs_and_term_frequencies_match_the_rows() -> None:
    prepared = prepare(small_population(seed=5, people=300).mentions)
    rows, table = prepared.rows, prepared.table()
    assert table.num_rows == len(rows) > 100
    for session in SESSIONS:
        expected = _pairs_row_by_row(rows, session.columns)
        assert expected > 0
        assert session.pairs(table) == expected
    found = table_term_frequencies(table)
    assert found == _shares_row_by_row(rows)
    assert list(found["given_name"]) == sorted(found["given_name"])  # same order, same JSON


def test_counts_leave_out_empty_values() -> None:
    rows: list[dict[str, Any]] = [
        {"given_name": "amy", "family_name": None, "dob": "2001-02-03"},
        {"given_name": "amy", "family_name": "khan", "dob": "2001-02-03"},
        {"given_name": "amy", "family_name": "khan", "dob": None},
        {"given_name": "amy", "family_name": "khan", "dob": None},
        {"given_name": None, "family_name": None, "dob": None},
    ]
    table = input_table(range(len(rows)), rows)
    assert [session.pairs(table) for session in SESSIONS] == [1, 3]
    assert table_term_frequencies(table) == {
        "given_name": {"amy": 1.0},
        "family_name": {"khan": 1.0},
    }
    assert table_term_frequencies(input_table([], [])) == {"given_name": {}, "family_name": {}}
