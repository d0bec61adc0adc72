"""u counted for every comparison in one query is Splink's own u, to the bit (u_counts)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pytest
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.duckdb.database_api import DuckDBAPI as SplinkDuckDBAPI

from safehub.linkage import training
from safehub.linkage.prepare import prepare
from safehub.linkage.u_counts import one_query_for_every_comparison
from safehub.synthetic.small_population import small_population


@pytest.fixture
def counting_queries(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The SQL of every query Splink runs on DuckDB (a spy: each still runs)."""
    seen: list[str] = []
    run = SplinkDuckDBAPI._execute_sql_against_backend

    def spying(self: Any, final_sql: str) -> Any:
        seen.append(final_sql)
        return run(self, final_sql)

    monkeypatch.setattr(SplinkDuckDBAPI, "_execute_sql_against_backend", spying)
    yield seen


def _u(linker: Linker) -> list[Any]:
    """Each comparison's levels as trained: the u probabilities (and m, still defaults)."""
    model: dict[str, Any] = linker.misc.save_model_to_json()
    return [c["comparison_levels"] for c in model["comparisons"]]


def _safehub_linker() -> Linker:
    prepared = prepare(small_population(seed=3, people=400).mentions)
    return training._linker(prepared, "duckdb")


def test_our_comparisons_get_exactly_splinks_u(counting_queries: list[str]) -> None:
    splinks, ours = _safehub_linker(), _safehub_linker()
    splinks.training.estimate_u_using_random_sampling(max_pairs=training.MAX_PAIRS_U, seed=42)
    counting_queries.clear()
    with one_query_for_every_comparison(ours._settings_obj.comparisons):
        ours.training.estimate_u_using_random_sampling(max_pairs=training.MAX_PAIRS_U, seed=42)
    assert _u(ours) == _u(splinks)
    # Every comparison counted in one query, and no probe or chunk query of Splink's ran.
    made = [sql for sql in counting_queries if sql.startswith("CREATE TABLE")]
    assert sum("__safehub_u_counts_by_hundredth" in sql for sql in made) == 1
    assert not any("__splink__m_u_counts" in sql for sql in made)


def _frame(n: int = 1_500, seed: int = 11) -> pa.Table:
    """A column with eight values (its exact level is seen often enough in Splink's probe), one
    with 1,200 (enough after a few chunks) and one with 5,000 (never enough: every chunk)."""
    rng = random.Random(seed)
    return pa.table(
        {
            "unique_id": list(range(n)),
            "town": [rng.choice("abcdefgh") for _ in range(n)],
            "family": [f"f{rng.randrange(1_200)}" for _ in range(n)],
            "code": [f"c{rng.randrange(5_000)}" for _ in range(n)],
        }
    )


def _plain_linker(frame: pa.Table) -> Linker:
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[cl.ExactMatch("town"), cl.ExactMatch("family"), cl.ExactMatch("code")],
        blocking_rules_to_generate_predictions=[block_on("town")],
    )
    db_api = DuckDBAPI(connection=duckdb.connect())
    return Linker(db_api.register(frame, table_name="people"), settings, log_level=40)


@pytest.mark.parametrize("known", [True, False], ids=["linker's comparisons", "none known"])
def test_probe_early_stop_and_every_chunk_give_splinks_u(known: bool) -> None:
    frame = _frame()
    splinks, ours = _plain_linker(frame), _plain_linker(frame)
    splinks.training.estimate_u_using_random_sampling(max_pairs=3e5, seed=5)
    comparisons = ours._settings_obj.comparisons if known else []
    with one_query_for_every_comparison(comparisons):
        ours.training.estimate_u_using_random_sampling(max_pairs=3e5, seed=5)
    assert _u(ours) == _u(splinks)
