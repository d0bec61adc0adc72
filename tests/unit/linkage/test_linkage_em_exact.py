"""EM sessions on two DuckDB threads give exactly the single-threaded parameters (em_exact)."""

from __future__ import annotations

import random
from typing import Any

import duckdb
import pandas as pd
import pytest
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from safehub.linkage import em_exact


def _people(n: int = 2_400, seed: int = 7) -> pd.DataFrame:
    """Records with a few dates of birth, so that blocking on one gives several hundred thousand
    pairs: more than one DuckDB row group, which is when two threads interleave their rows."""
    rng = random.Random(seed)
    given = [f"g{i}" for i in range(60)]
    family = [f"f{i}" for i in range(90)]
    return pd.DataFrame(
        {
            "unique_id": range(n),
            "given": [rng.choice(given) for _ in range(n)],
            "family": [rng.choice(family) for _ in range(n)],
            "dob": [f"2001-01-{rng.randint(1, 8):02d}" for _ in range(n)],
            "town": [rng.choice("abcdefgh") for _ in range(n)],
        }
    )


def _trained(threads: int, frame: pd.DataFrame) -> dict[str, Any]:
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.ExactMatch("given"),
            cl.ExactMatch("family"),
            cl.ExactMatch("town"),
            cl.ExactMatch("dob"),
        ],
        blocking_rules_to_generate_predictions=[block_on("dob")],
    )
    db_api = DuckDBAPI(connection=con)
    linker = Linker(db_api.register(frame), settings, log_level=40)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e5, seed=1)
    with em_exact.em_levels_in_parallel(db_api):
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("dob"), estimate_without_term_frequencies=True
        )
    after = con.execute("select current_setting('threads')").fetchall()[0]
    model: dict[str, Any] = linker.misc.save_model_to_json()
    model["threads_after"] = after[0] if after else None
    return model


def test_two_threads_give_exactly_the_single_threaded_parameters() -> None:
    frame = _people()
    one, two, again = _trained(1, frame), _trained(2, frame), _trained(2, frame)
    assert two["comparisons"] == one["comparisons"]
    assert again["comparisons"] == two["comparisons"]
    # The connection keeps its threads for what follows (scoring runs on two).
    assert (one["threads_after"], two["threads_after"]) == (1, 2)


def test_the_iterations_run_on_one_thread_and_the_patterns_are_sorted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[int] = []
    splink_em = em_exact._splink_em

    def watching(**kwargs: Any) -> Any:
        con = kwargs["db_api"].duckdb_con
        seen.append(con.execute("select current_setting('threads')").fetchall()[0][0])
        return splink_em(**kwargs)

    monkeypatch.setattr(em_exact, "_splink_em", watching)
    _trained(2, _people(n=400))
    assert seen == [1]
    gammas = [type("C", (), {"_gamma_column_name": g})() for g in ("gamma_a", "gamma_b")]
    assert em_exact._sorted_patterns_sql(gammas).rstrip().endswith("order by gamma_a, gamma_b")


def test_splinks_own_functions_are_back_after_the_block() -> None:
    from splink.internals import em_training_session
    from splink.internals import expectation_maximisation as em

    with em_exact.em_levels_in_parallel(DuckDBAPI(connection=duckdb.connect())):
        assert em.count_agreement_patterns_sql is em_exact._sorted_patterns_sql
    assert em_training_session.expectation_maximisation is em_exact._splink_em
    assert em.count_agreement_patterns_sql is em_exact._splink_patterns
