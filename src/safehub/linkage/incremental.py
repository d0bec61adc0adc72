"""Resolving a new batch against people already resolved, without renumbering anyone.

New people are scored against held people (Splink ``predict_between``) and against each other
(``predict_within``); held people are never re-scored among themselves. A new person linked to
one held person takes that person's id; a new person who would join two held people takes the
one it matches best, and the pair that would merge them goes to review: merging known people is
a decision for a person, not for a batch job.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
from splink import Linker

from safehub.extracts import Mention
from safehub.linkage.decide import Decisions, cluster, decide, person_id
from safehub.linkage.engine import SPLINK_LOG_LEVEL, make_db_api, quiet_splink, register
from safehub.linkage.model import TF_COLUMNS, LinkageModel
from safehub.linkage.people import collapse_mentions
from safehub.linkage.prepare import PreparedPeople, prepare
from safehub.linkage.progress import ProgressLike, step
from safehub.linkage.resolve import Key, Resolution, _empty_pairs, _select_pairs

_MERGE_REASON = "would join two people already known apart; confirm"


def resolve_incremental(
    held: Resolution,
    new_mentions: Sequence[Mention],
    model: LinkageModel | None = None,
    *,
    engine: str = "duckdb",
    threads: int = 2,
    progress: ProgressLike | None = None,
) -> Resolution:
    """Add ``new_mentions`` to ``held``; every held id stays as it was.

    A mention of an already held ``(agency_code, person_ref)`` keeps that person's id.
    """
    model = model or held.model
    known = set(held.person_ids)
    fresh = [p for p in collapse_mentions(new_mentions) if p.key not in known]
    offset = len(held.keys)
    prepared = prepare(
        people=fresh,
        offset=offset,
        max_names_per_identifier=model.max_names_per_identifier,
        also_shared=held.shared,
    )
    pairs = _predict_new(held, prepared, model, engine=engine, threads=threads, progress=progress)
    with step(progress, "placing new people"):
        return _place(held, prepared, model, pairs, offset)


def _predict_new(
    held: Resolution,
    prepared: PreparedPeople,
    model: LinkageModel,
    *,
    engine: str,
    threads: int,
    progress: ProgressLike | None,
) -> pa.Table:
    if not prepared.rows or held.table is None:
        return _empty_pairs()
    dialect = "spark" if engine == "spark" else "duckdb"
    new_table = prepared.table()
    with step(progress, f"scoring new people against held ones ({engine})"), quiet_splink():
        db_api = make_db_api(engine, threads=threads)
        held_sdf = register(db_api, held.table, "safehub_held")
        new_sdf = register(db_api, new_table, "safehub_new")
        linker = Linker(held_sdf, model.settings_for(dialect), log_level=SPLINK_LOG_LEVEL)
        for column, frame in _term_frequencies(held.table, new_table).items():
            tf = db_api.register(frame, table_name=f"safehub_tf_{column}")
            linker.table_management.register_term_frequency_lookup(tf, column)
        inference = linker.inference
        threshold = model.review_threshold
        between = inference.predict_between(
            new_sdf, held_sdf, threshold_match_probability=threshold, warning_mode="never"
        )
        within = inference.predict_within(
            new_sdf, threshold_match_probability=threshold, warning_mode="never"
        )
        parts = [_select_pairs(linker, t.physical_name) for t in (between, within)]
    return pa.concat_tables(parts)


def _term_frequencies(*tables: pa.Table) -> dict[str, pd.DataFrame]:
    """Name frequencies over held and new people together, as a full run would compute them."""
    frames = {}
    for column in TF_COLUMNS:
        counts: Counter[str] = Counter()
        for table in tables:
            counts.update(v for v in table.column(column).to_pylist() if v is not None)
        total = sum(counts.values()) or 1
        frames[column] = pd.DataFrame(
            {column: list(counts), f"tf_{column}": [n / total for n in counts.values()]}
        )
    return frames


def _place(
    held: Resolution, prepared: PreparedPeople, model: LinkageModel, pairs: pa.Table, offset: int
) -> Resolution:
    fresh = prepared.people
    keys: list[Key] = held.keys + [p.key for p in fresh]
    of_concern = np.concatenate(
        [held.of_concern, np.array([p.is_adult_of_concern for p in fresh], dtype=bool)]
    )
    decisions = decide(pairs, model, of_concern)
    new_ids, conflicts = _assign(held, keys, offset, pairs, decisions)
    reasons = list(decisions.reasons)
    for index in conflicts:
        reasons[index] = _MERGE_REASON
    review = decisions.needs_review.copy()
    review[list(conflicts)] = True
    person_ids = dict(held.person_ids)
    person_ids.update(new_ids)
    tables = [t for t in (held.table, prepared.table()) if t is not None]
    return Resolution(
        person_ids=person_ids,
        model=model,
        insufficient=held.insufficient | {fresh[i].key for i in prepared.insufficient},
        restricted=held.restricted | {fresh[i].key for i in prepared.restricted},
        keys=keys,
        of_concern=of_concern,
        table=pa.concat_tables(tables) if tables else None,
        shared=prepared.shared,
        pair_table=pairs,
        pair_accepted=decisions.accepted,
        pair_review=review,
        pair_reasons=reasons,
    )


def _assign(
    held: Resolution,
    keys: list[Key],
    offset: int,
    pairs: pa.Table,
    decisions: Decisions,
) -> tuple[dict[Key, str], set[int]]:
    """Ids for the new people, and the indices of pairs that would merge two held people."""
    left = pairs.column("unique_id_l").to_numpy(zero_copy_only=False)
    right = pairs.column("unique_id_r").to_numpy(zero_copy_only=False)
    probability = pairs.column("match_probability").to_numpy(zero_copy_only=False)
    accepted = np.flatnonzero(decisions.accepted)
    labels = cluster(len(keys), left[accepted], right[accepted])
    held_id = {i: held.person_ids[keys[i]] for i in range(offset)}
    members: dict[int, list[int]] = {}
    for node in range(len(keys)):
        members.setdefault(int(labels[node]), []).append(node)
    next_number = 1 + max((int(p[1:]) for p in held.person_ids.values()), default=0)
    assigned: dict[Key, str] = {}
    conflicts: set[int] = set()
    # New components numbered in the order of their smallest new key (stable for the same batch).
    components = sorted(
        (c for c in members.values() if c[-1] >= offset),
        key=lambda c: min(keys[n] for n in c if n >= offset),
    )
    for component in components:
        known = sorted({held_id[n] for n in component if n < offset})
        if not known:
            new = person_id(next_number)
            next_number += 1
            assigned.update({keys[n]: new for n in component})
            continue
        for node in (n for n in component if n >= offset):
            assigned[keys[node]] = (
                _best_held(node, accepted, left, right, probability, held_id) or known[0]
            )
        if len(known) > 1:
            conflicts.update(int(i) for i in accepted if left[i] < offset or right[i] < offset)
    return assigned, conflicts


def _best_held(
    node: int,
    accepted: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    probability: np.ndarray,
    held_id: dict[int, str],
) -> str | None:
    best: tuple[float, str] | None = None
    for i in accepted:
        other = int(right[i]) if left[i] == node else int(left[i]) if right[i] == node else -1
        if other in held_id and (best is None or probability[i] > best[0]):
            best = (float(probability[i]), held_id[other])
    return best[1] if best else None
