"""Unsupervised training: u by random sampling, m by expectation maximisation, seeded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from splink import Linker

from safehub.extracts import Mention
from safehub.linkage.comparisons import deterministic_rules, training_blocking_rules
from safehub.linkage.engine import SPLINK_LOG_LEVEL, make_db_api, quiet_splink, register
from safehub.linkage.model import (
    LinkageModel,
    parameters_from_linker,
    term_frequencies,
    with_personal_u,
)
from safehub.linkage.prepare import PreparedPeople, prepare
from safehub.linkage.progress import ProgressLike, step

# Recall assumed for the deterministic rules when estimating how often two records match.
_DETERMINISTIC_RECALL = 0.7


def train_model(
    mentions: Sequence[Mention],
    *,
    engine: str = "duckdb",
    seed: int = 42,
    max_pairs_u: float = 2e6,
    max_pairs_em: float = 5e6,
    progress: ProgressLike | None = None,
) -> LinkageModel:
    """Train a model on ``mentions`` without labels.

    Deterministic for the same input and seed: DuckDB runs single-threaded here, since parallel
    sums can differ in their last bits and move a borderline pair.

    >>> from safehub.synthetic.small_population import small_population
    >>> model = train_model(small_population(seed=1, people=60).mentions)
    >>> model.level("nhs", "same").match_weight > 5
    True
    """
    return train_on(
        prepare(mentions),
        engine=engine,
        seed=seed,
        max_pairs_u=max_pairs_u,
        max_pairs_em=max_pairs_em,
        progress=progress,
    )


def train_on(
    prepared: PreparedPeople,
    *,
    engine: str = "duckdb",
    seed: int = 42,
    max_pairs_u: float = 2e6,
    max_pairs_em: float = 5e6,
    progress: ProgressLike | None = None,
) -> LinkageModel:
    """Train on people already prepared (the CLI trains and resolves on one preparation)."""
    dialect = "spark" if engine == "spark" else "duckdb"
    with step(progress, "training the linkage model"), quiet_splink():
        db_api = make_db_api(engine, threads=1)
        sdf = register(db_api, prepared.table(), "safehub_train")
        linker = Linker(
            sdf, LinkageModel.untrained().settings_for(dialect), log_level=SPLINK_LOG_LEVEL
        )
        training = linker.training
        training.estimate_probability_two_random_records_match(
            deterministic_rules(), recall=_DETERMINISTIC_RECALL
        )
        training.estimate_u_using_random_sampling(max_pairs=max_pairs_u, seed=seed)
        for rule in training_blocking_rules():
            training.estimate_parameters_using_expectation_maximisation(
                rule, max_pairs=max_pairs_em if len(prepared.rows) > 50_000 else None
            )
        settings: dict[str, Any] = linker.misc.save_model_to_json()
        probability = float(settings["probability_two_random_records_match"])
        return LinkageModel(
            probability_two_random_records_match=probability,
            parameters=with_personal_u(parameters_from_linker(linker), probability),
            term_frequencies=term_frequencies(prepared.rows),
            training_notes={"records": len(prepared.rows), "seed": seed, "engine": engine},
        )
