"""Resolving a new batch against people already resolved, without renumbering anyone.

New people are scored against held people (Splink ``predict_between``) and against each other
(``predict_within``); held people are never re-scored among themselves. A new person linked to
one held person takes that person's id; a new person who would join two held people takes the
one it matches best, and the pair that would merge them goes to review: merging known people is
a decision for a person, not for a batch job.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
from splink import Linker

from safehub.extracts import Mention
from safehub.linkage.clusters import MemberConflicts, consistent
from safehub.linkage.collapse import collapse_mentions
from safehub.linkage.decide import (
    Decisions,
    PersonFacts,
    agency_codes,
    cluster,
    decide,
    person_id,
    together_codes,
)
from safehub.linkage.engine import SPLINK_LOG_LEVEL, make_db_api, quiet_splink, register
from safehub.linkage.model import TF_COLUMNS, LinkageModel
from safehub.linkage.people import AgencyPerson
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
    batch = collapse_mentions(new_mentions)
    fresh = [p for p in batch if p.key not in known]
    offset = len(held.keys)
    prepared = prepare(
        people=fresh,
        offset=offset,
        max_names_per_identifier=model.max_names_per_identifier,
        also_shared=held.shared,
    )
    held_rows = held.table.num_rows if held.table is not None else 0
    model = model.for_population(held_rows + len(prepared.matchable))
    pairs = _predict_new(held, prepared, model, engine=engine, threads=threads, progress=progress)
    with step(progress, "placing new people"):
        # Held people known: every fact read across both, as a bulk run would (listed names
        # and the multiple births the records show need everyone's names and dates at once).
        everyone = [*held.people, *prepared.people] if len(held.people) == offset else None
        facts = _facts(held, batch, prepared.people, everyone)
        return _place(held, prepared, model, pairs, offset, facts, everyone or [])


def _facts(
    held: Resolution,
    batch: list[AgencyPerson],
    fresh: list[AgencyPerson],
    everyone: list[AgencyPerson] | None,
) -> PersonFacts:
    """Held people's facts followed by the new people's; "named in one record" from the batch.

    A new record can name a held person beside a new one, so the batch's people (held keys
    included) are indexed as in the combined resolution. With ``everyone`` (held and new
    people, in that order) every fact is read across both.
    """
    size = len(held.keys) + len(fresh)
    index = {key: i for i, key in enumerate(held.keys)}
    index.update({p.key: len(held.keys) + i for i, p in enumerate(fresh)})
    together = together_codes(((index[p.key], p) for p in batch), size)
    if everyone is not None:
        return PersonFacts.of(everyone, together)
    new = PersonFacts.of(fresh)
    held_facts = held.facts or _facts_unknown(held)
    return PersonFacts(
        of_concern=np.concatenate([held_facts.of_concern, new.of_concern]),
        dob_year=np.concatenate([held_facts.dob_year, new.dob_year]),
        born_by=np.concatenate([held_facts.born_by, new.born_by]),
        together=together,
        thin=np.concatenate([held_facts.thin, new.thin]),
        at_risk=np.concatenate([_sized(held_facts.at_risk, len(held.keys)), new.at_risk]),
        sex=np.concatenate([_sized(held_facts.sex, len(held.keys)), new.sex]),
        child=np.concatenate([_sized(held_facts.child, len(held.keys)), new.child]),
        initial=np.concatenate([_sized(held_facts.initial, len(held.keys)), new.initial]),
        family_initial=np.concatenate(
            [_sized(held_facts.family_initial, len(held.keys)), new.family_initial]
        ),
        agency=np.concatenate([agency_codes(code for code, _ in held.keys), new.agency]),
    )


def _sized(flags: np.ndarray, size: int) -> np.ndarray:
    """``flags`` if it covers ``size`` people, else none set (a resolution built without it)."""
    return flags if len(flags) == size else np.zeros(size, dtype=flags.dtype)


def _facts_unknown(held: Resolution) -> PersonFacts:
    """For a resolution built without facts: no dates or roles known, nothing told apart."""
    size = len(held.keys)
    return PersonFacts(
        held.of_concern,
        np.full(size, -1, dtype=np.int64),
        np.full(size, 1 << 30, dtype=np.int64),
        thin=np.array([k in held.insufficient for k in held.keys], dtype=bool),
    )


def _predict_new(
    held: Resolution,
    prepared: PreparedPeople,
    model: LinkageModel,
    *,
    engine: str,
    threads: int,
    progress: ProgressLike | None,
) -> pa.Table:
    if not prepared.matchable or held.table is None:
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
        values = pa.chunked_array([t.column(column) for t in tables]).drop_null()
        counted = pc.value_counts(values)
        names = counted.field("values").to_pylist()
        total = max(len(values), 1)
        shares = [n / total for n in counted.field("counts").to_pylist()]
        frames[column] = pd.DataFrame({column: names, f"tf_{column}": shares})
    return frames


def _place(
    held: Resolution,
    prepared: PreparedPeople,
    model: LinkageModel,
    pairs: pa.Table,
    offset: int,
    facts: PersonFacts,
    everyone: list[AgencyPerson],
) -> Resolution:
    fresh = prepared.people
    keys: list[Key] = held.keys + [p.key for p in fresh]
    of_concern = facts.of_concern
    tables = [t for t in (held.table, prepared.table()) if t is not None]
    table = pa.concat_tables(tables) if tables else None
    decisions = decide(pairs, model, of_concern, facts)
    if table is not None:
        # The same rule as a full run: no new cluster chains two people the records tell apart.
        decisions = consistent(decisions, pairs, MemberConflicts(table, facts), len(keys))
    new_ids, conflicts = _assign(held, keys, offset, pairs, decisions)
    reasons = list(decisions.reasons)
    for index in conflicts:
        reasons[index] = _MERGE_REASON
    review = decisions.needs_review.copy()
    review[list(conflicts)] = True
    person_ids = dict(held.person_ids)
    person_ids.update(new_ids)
    return Resolution(
        person_ids=person_ids,
        model=model,
        insufficient=held.insufficient | {fresh[i].key for i in prepared.insufficient},
        restricted=held.restricted | {fresh[i].key for i in prepared.restricted},
        keys=keys,
        of_concern=of_concern,
        table=table,
        shared=prepared.shared,
        pair_table=pairs,
        pair_accepted=decisions.accepted,
        pair_review=review,
        pair_reasons=reasons,
        facts=facts,
        pair_held=decisions.held,
        people=everyone,
    )


def _assign(
    held: Resolution,
    keys: list[Key],
    offset: int,
    pairs: pa.Table,
    decisions: Decisions,
) -> tuple[dict[Key, str], set[int]]:
    """Ids for the new people, and the indices of pairs that would merge two held people.

    Only the new people and the held people they are linked to take part: a batch of ten
    thousand never walks the million people already held.
    """
    left = pairs.column("unique_id_l").to_numpy(zero_copy_only=False)
    right = pairs.column("unique_id_r").to_numpy(zero_copy_only=False)
    probability = pairs.column("match_probability").to_numpy(zero_copy_only=False)
    accepted = np.flatnonzero(decisions.accepted)
    nodes = np.unique(
        np.concatenate([np.arange(offset, len(keys)), left[accepted], right[accepted]])
    )
    labels = cluster(
        len(nodes),
        np.searchsorted(nodes, left[accepted]),
        np.searchsorted(nodes, right[accepted]),
    )
    members: dict[int, list[int]] = {}
    for node, label in zip(nodes.tolist(), labels.tolist(), strict=True):
        members.setdefault(label, []).append(node)
    best = _best_held(accepted, left, right, probability, offset)
    next_number = 1 + max((int(p[1:]) for p in held.person_ids.values()), default=0)
    assigned: dict[Key, str] = {}
    conflicts: set[int] = set()
    # New components numbered in the order of their smallest new key (stable for the same batch).
    components = sorted(
        (c for c in members.values() if c[-1] >= offset),
        key=lambda c: min(keys[n] for n in c if n >= offset),
    )
    for component in components:
        known = sorted({held.person_ids[keys[n]] for n in component if n < offset})
        if not known:
            new = person_id(next_number)
            next_number += 1
            assigned.update({keys[n]: new for n in component})
            continue
        for node in (n for n in component if n >= offset):
            link = best.get(node)
            assigned[keys[node]] = held.person_ids[keys[link]] if link is not None else known[0]
        if len(known) > 1:
            inside = set(component)
            conflicts.update(
                int(i)
                for i in accepted
                if int(left[i]) in inside and (left[i] < offset or right[i] < offset)
            )
    return assigned, conflicts


def _best_held(
    accepted: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    probability: np.ndarray,
    offset: int,
) -> dict[int, int]:
    """For each new person linked to held ones, the held person of its strongest link."""
    best: dict[int, tuple[float, int]] = {}
    for i in accepted.tolist():
        a, b, p = int(left[i]), int(right[i]), float(probability[i])
        for new, other in ((a, b), (b, a)):
            if new >= offset > other and (new not in best or p > best[new][0]):
                best[new] = (p, other)
    return {new: other for new, (_, other) in best.items()}
