"""`safehub resolve` writes problems itself where rich would print the same bytes."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from safehub.cli.resolve import _say_all

LINES = [
    "a.csv: row 2, column email: not an email address (got 'jo at example.org')",
    "a.csv: row 3, column alias: kept as given (got 'Jo:smile:Ann')",  # an emoji code
    "a.csv: row 4, column address: kept as given (got 'flat\t2\rx')",  # control characters
    "a.csv: row 5, column family_name: kept as given (got '[bold]Ní Bhriain  ')",
]


def test_problems_come_out_as_rich_prints_them(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = io.StringIO()
    rich = Console(file=expected, soft_wrap=True)
    for line in LINES:
        rich.print(line, markup=False, highlight=False)
    written = io.StringIO()
    monkeypatch.setattr("sys.stderr", written)
    _say_all(LINES)
    assert written.getvalue() == expected.getvalue()
    assert "Jo:smile:Ann" not in written.getvalue()  # rich did replace the emoji code
