"""Splink's EM sessions on two DuckDB threads, with results that cannot depend on the threads.

docs/contracts.md asks for byte-identical output from the same input. An EM session does three
things: it computes each blocked pair's comparison levels (most of its time at scale), counts the
pairs of each agreement pattern, then iterates over those counts. A pair's levels and a pattern's
count are whole facts, the same however many threads compute them and in whatever order the
rows come out; only the iterations add floating-point numbers, whose sums depend on order. So the
levels are computed on two threads, the patterns are sorted as they are counted, and the
iterations run on one thread over those sorted rows.

This needs the session trained without term frequencies (``estimate_without_term_frequencies``):
with them Splink iterates over every pair, in the order two threads left them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from splink import DuckDBAPI
from splink.internals import em_training_session
from splink.internals import expectation_maximisation as em

_splink_em = em.expectation_maximisation
_splink_patterns = em.count_agreement_patterns_sql
# The name the EM session calls (imported into its module), and the pattern count it uses.
_EM_NAME = "expectation_maximisation"
_PATTERNS_NAME = "count_agreement_patterns_sql"


@contextmanager
def em_levels_in_parallel(db_api: Any) -> Iterator[None]:
    """Within this block the EM sessions of ``db_api`` (DuckDB only) work as described above."""
    if not isinstance(db_api, DuckDBAPI):
        yield
        return
    setattr(em_training_session, _EM_NAME, _iterations_on_one_thread)
    setattr(em, _PATTERNS_NAME, _sorted_patterns_sql)
    try:
        yield
    finally:
        setattr(em_training_session, _EM_NAME, _splink_em)
        setattr(em, _PATTERNS_NAME, _splink_patterns)


def _iterations_on_one_thread(*, db_api: Any, **kwargs: Any) -> Any:
    """Splink's EM (the patterns counted, then the iterations) on a single thread; the comparison
    levels it starts from were computed before, on the connection's threads."""
    con = db_api.duckdb_con
    threads = con.execute("select current_setting('threads')").fetchall()[0][0]
    con.execute("SET threads = 1")
    try:
        return _splink_em(db_api=db_api, **kwargs)
    finally:
        con.execute(f"SET threads = {int(threads)}")


def _sorted_patterns_sql(comparisons: list[Any]) -> str:
    """Splink's pattern count in a fixed row order: the pairs come in the order two threads left
    them, and the iterations' sums follow the order of the patterns."""
    gammas = ", ".join(c._gamma_column_name for c in comparisons)
    return f"{_splink_patterns(comparisons)} order by {gammas}"
