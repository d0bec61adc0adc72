"""Unsupervised training: u by random sampling, m by expectation maximisation, seeded.

Training degrades gracefully (docs/contracts.md: any valid input resolves). A parameter the input has
too few pairs for keeps its stated default (``defaults.py``) and the training notes say which
(``training_notes["defaults"]``, also logged as warnings): the prior when no pair agrees on name
and date of birth or NHS number, u when there are too few people to sample, m of the
comparisons no EM session could estimate (a session needs pairs that agree on its blocking
columns: no dates of birth at all means no session on them).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
from splink import Linker, block_on
from splink.internals.exceptions import SplinkException

from safehub.extracts import Mention
from safehub.linkage.comparisons import COMPARISON_BY_NAME, deterministic_rules
from safehub.linkage.defaults import default_model
from safehub.linkage.em_exact import em_levels_in_parallel
from safehub.linkage.engine import SPLINK_LOG_LEVEL, close, make_db_api, quiet_splink, register
from safehub.linkage.model import (
    TF_COLUMNS,
    LevelParameters,
    LinkageModel,
    parameters_from_linker,
    with_personal_u,
)
from safehub.linkage.prepare import PreparedPeople, prepare
from safehub.linkage.progress import ProgressLike, step
from safehub.linkage.u_counts import one_query_for_every_comparison

# Random pairs sampled to estimate u. Sampling is most of the training time (eleven comparisons,
# single-threaded for determinism); half a million pairs give the same decisions as two million
# on the adversarial extracts at a quarter of the cost (rare agreements, such as a shared NHS
# number, do not rest on this: ``with_personal_u``).
MAX_PAIRS_U = 5e5
# DuckDB threads for training: only counting and comparing run on both (``em_exact``).
TRAINING_THREADS = 2
# Recall assumed for the deterministic rules when estimating how often two records match.
_DETERMINISTIC_RECALL = 0.7
# Fewer random pairs than this say nothing about chance agreement (a handful of people).
MIN_U_PAIRS = 1_000
# An EM session on fewer pairs than this would fit noise; its comparisons keep their defaults.
MIN_EM_PAIRS = 200
log = logging.getLogger("safehub.linkage")
_WORDS = {"dob": "date of birth"}


@dataclass(frozen=True, slots=True)
class Session:
    """One EM session: pairs agreeing on ``columns``; the comparisons using them stay fixed."""

    columns: tuple[str, ...]

    def pairs(self, table: pa.Table) -> int:
        """How many pairs of the rows of ``table`` agree on every column (none of them empty);
        counted in Arrow: a tuple per person took over a second at 230,000 people."""
        return sum(n * (n - 1) // 2 for n in _group_counts(table, self.columns).values())


SESSIONS = (Session(("dob",)), Session(("given_name", "family_name")))


def train_model(
    mentions: Sequence[Mention],
    *,
    engine: str = "duckdb",
    seed: int = 42,
    max_pairs_u: float = MAX_PAIRS_U,
    max_pairs_em: float = 5e6,
    progress: ProgressLike | None = None,
) -> LinkageModel:
    """Train a model on ``mentions`` without labels.

    Deterministic for the same input and seed: whatever DuckDB adds up in floating point runs on
    one thread over rows in a fixed order (parallel sums can differ in their last bits and move a
    borderline pair); counting and comparing run on two (``em_exact``).

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
    max_pairs_u: float = MAX_PAIRS_U,
    max_pairs_em: float = 5e6,
    progress: ProgressLike | None = None,
) -> LinkageModel:
    """Train on people already prepared (the CLI trains and resolves on one preparation).

    The feature rows are released (``PreparedPeople.release_rows``: scoring reads the table)
    once what training needs from them is counted, before Splink's work: at scale they are a
    third of a gigabyte while EM holds its comparison vectors.
    """
    table = prepared.table()
    people = table.num_rows
    notes: list[str] = []
    if people * (people - 1) // 2 < MIN_U_PAIRS:
        notes.append(
            f"{people} people with enough to match on: too few to train, every parameter keeps "
            "its default"
        )
        return _defaults_only(table, notes)
    # Counted on the table's columns, not the rows: the same numbers, a second sooner at scale.
    agreeing = {session: session.pairs(table) for session in SESSIONS}
    frequencies = table_term_frequencies(table)
    prepared.release_rows()
    with step(progress, "training the linkage model"), quiet_splink():
        linker = _linker(prepared, engine)
        try:
            training = linker.training
            probability = _prior(linker, people, notes)
            # The same u, every comparison counted in one query (``u_counts``).
            with one_query_for_every_comparison(linker._settings_obj.comparisons):
                training.estimate_u_using_random_sampling(max_pairs=max_pairs_u, seed=seed)
            with em_levels_in_parallel(linker._db_api):
                for session in SESSIONS:
                    _run_session(training, session, agreeing[session], people, max_pairs_em, notes)
            parameters = _with_defaults(parameters_from_linker(linker, trained_only=True), notes)
        finally:
            close(linker._db_api)
    return _model(probability, parameters, notes, people, frequencies, seed=seed, engine=engine)


def _group_counts(table: pa.Table, columns: Sequence[str]) -> dict[tuple[Any, ...], int]:
    """How many rows of ``table`` hold each combination of ``columns``, rows with any of them
    empty left out."""
    present = table.select(list(columns)).drop_null()
    if present.num_rows == 0:
        return {}
    grouped = present.group_by(list(columns)).aggregate([([], "count_all")]).to_pydict()
    keys = zip(*(grouped[c] for c in columns), strict=True)
    return dict(zip(keys, grouped["count_all"], strict=True))


def table_term_frequencies(table: pa.Table) -> dict[str, dict[str, float]]:
    """Share of non-empty values per name (``TF_COLUMNS``) among the rows of ``table``, as
    Splink computes it for the term-frequency adjustment; sorted, so the stored JSON is stable."""
    result: dict[str, dict[str, float]] = {}
    for column in TF_COLUMNS:
        counts = {key[0]: n for key, n in _group_counts(table, (column,)).items()}
        total = sum(counts.values())
        result[column] = {k: n / total for k, n in sorted(counts.items())}
    return result


def _run_session(
    training: Any,
    session: Session,
    pairs: int,
    people: int,
    max_pairs: float,
    notes: list[str],
) -> None:
    """One EM session, skipped (with a note) when fewer than ``MIN_EM_PAIRS`` of the input's
    ``pairs`` agree on its columns."""
    if pairs < MIN_EM_PAIRS:
        notes.append(_skipped(session, pairs))
        return
    try:
        # Without term frequencies the iterations run over the counts of each agreement pattern,
        # not over every pair: a tenth of the training time at scale, the same decisions on the
        # dev worlds (bench/results.md), and what lets the pairs be compared on two threads
        # (``em_exact``). Scoring still adjusts for how common a name is.
        training.estimate_parameters_using_expectation_maximisation(
            block_on(*session.columns),
            estimate_without_term_frequencies=True,
            max_pairs=max_pairs if people > 50_000 else None,
        )
    except (ValueError, ArithmeticError, SplinkException) as exc:
        # EM diverges on degenerate pairs (all one person, or none): the defaults stand in.
        notes.append(f"the training session on {_columns(session)} did not converge ({exc})")


def _linker(prepared: PreparedPeople, engine: str) -> Linker:
    dialect = "spark" if engine == "spark" else "duckdb"
    db_api = make_db_api(engine, threads=TRAINING_THREADS)
    sdf = register(db_api, prepared.table(), "safehub_train")
    # No settings validation: it only logs (and we log Splink's errors only), and parsing every
    # comparison's SQL for it took seconds at scale.
    return Linker(
        sdf,
        LinkageModel.untrained().settings_for(dialect),
        log_level=SPLINK_LOG_LEVEL,
        validate_settings=False,
    )


def _prior(linker: Linker, people: int, notes: list[str]) -> float:
    """How often two random records match, from pairs almost surely one person (same name and
    date of birth, or NHS number); the default when there are none."""
    try:
        linker.training.estimate_probability_two_random_records_match(
            deterministic_rules(), recall=_DETERMINISTIC_RECALL
        )
        settings: dict[str, Any] = linker.misc.save_model_to_json()
        found = float(settings["probability_two_random_records_match"])
    except Exception:  # Splink refuses a prior of 0: no pair agrees on any deterministic rule
        found = math.nan
    if 0.0 < found < 1.0:
        return found
    fallback = default_model().for_population(people).probability_two_random_records_match
    # EM starts from the linker's prior: a prior of 0 would end it in a math domain error.
    linker._settings_obj._probability_two_random_records_match = fallback
    notes.append(
        "no pair agrees on name and date of birth or on an NHS number: how often two records "
        f"are one person is taken as {fallback:.3g} (the default, scaled to {people} people)"
    )
    return fallback


def _columns(session: Session) -> str:
    return " and ".join(_WORDS.get(c, c.replace("_", " ")) for c in session.columns)


def _skipped(session: Session, pairs: int) -> str:
    return (
        f"only {pairs} pairs agree on {_columns(session)} (at least {MIN_EM_PAIRS} are needed): "
        "that training session was skipped"
    )


def _with_defaults(
    trained: Mapping[str, Mapping[str, LevelParameters]], notes: list[str]
) -> dict[str, dict[str, LevelParameters]]:
    """Trained parameters, each m or u no step estimated (NaN) replaced by the default's."""
    found: dict[str, dict[str, LevelParameters]] = {}
    fell_back: dict[str, None] = {}
    for name, levels in trained.items():
        found[name] = {}
        for label, params in levels.items():
            if math.isnan(params.m) or math.isnan(params.u):
                default = default_model().level(name, label)
                m = default.m if math.isnan(params.m) else params.m
                params = LevelParameters(m, default.u if math.isnan(params.u) else params.u)
                fell_back[name] = None
            found[name][label] = params
    if fell_back:
        names = ", ".join(COMPARISON_BY_NAME[n].description.lower() for n in fell_back)
        notes.append(f"too few pairs to train {names}: their default parameters are used")
    return found


def _defaults_only(table: pa.Table, notes: list[str]) -> LinkageModel:
    defaults = default_model()
    people = table.num_rows
    probability = defaults.for_population(max(people, 2)).probability_two_random_records_match
    parameters = {c: dict(levels) for c, levels in defaults.parameters.items()}
    return _model(
        probability,
        parameters,
        notes,
        people,
        table_term_frequencies(table),
        seed=None,
        engine="defaults",
    )


def _model(
    probability: float,
    parameters: dict[str, dict[str, LevelParameters]],
    notes: list[str],
    records: int,
    frequencies: dict[str, dict[str, float]],
    **extra: Any,
) -> LinkageModel:
    for note in notes:
        log.warning("warning: linkage training: %s", note)
    training_notes: dict[str, Any] = {"records": records, **extra}
    if notes:
        training_notes["defaults"] = notes
    return LinkageModel(
        probability_two_random_records_match=probability,
        parameters=with_personal_u(parameters, probability),
        term_frequencies=frequencies,
        training_notes=training_notes,
    )
