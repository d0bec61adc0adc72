"""Bulk identity resolution: agency people → scored pairs → people with stable ids."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
from splink import Linker

from safehub.bulk import cyclic_gc_paused, long_lived_frozen
from safehub.extracts import Mention
from safehub.extracts.columns import ExtractTable
from safehub.linkage.clusters import MemberConflicts, consistent
from safehub.linkage.comparisons import COMPARISONS
from safehub.linkage.decide import (
    PersonFacts,
    cluster,
    decide,
    explain_row,
    level_labels,
    person_id,
    weights_to_columns,
)
from safehub.linkage.engine import SPLINK_LOG_LEVEL, close, make_db_api, quiet_splink, register
from safehub.linkage.explain import FieldExplanation
from safehub.linkage.model import LinkageModel
from safehub.linkage.people import AgencyPerson
from safehub.linkage.prepare import PreparedPeople, prepare
from safehub.linkage.progress import ProgressLike, step
from safehub.linkage.queue import (
    POSSIBLE_PROBABILITY,
    Candidates,
    People,
    order_queue,
    with_children,
)
from safehub.linkage.training import train_on

Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """Two agency people scored by the model, with what each field contributed."""

    left: Key
    right: Key
    match_weight: float
    match_probability: float
    fields: tuple[FieldExplanation, ...]
    accepted: bool
    needs_review: bool
    reason: str


@dataclass
class Resolution:
    """Who is who: every ``(agency_code, person_ref)`` mapped to a person id.

    ``pairs`` holds the pairs scored at or above the model's review threshold, with their
    explanation and decision; ``review_queue`` the ones worth a person's time, most useful first
    (``queue.py``); ``possible_matches`` the queued pairs that are probably one person, which the
    network analysis shows as "possibly the same person". ``insufficient`` people (a name and
    nothing else) are never linked automatically, only suggested for review, and that only when
    a suspect in records with children or a child recorded as a victim is at stake; ``restricted``
    people are never compared at all. Each stays a person of their own.
    """

    person_ids: dict[Key, str]
    model: LinkageModel
    insufficient: frozenset[Key] = frozenset()
    restricted: frozenset[Key] = frozenset()
    keys: list[Key] = field(default_factory=list)
    of_concern: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    table: pa.Table | None = None
    shared: dict[str, frozenset[str]] = field(default_factory=dict)
    pair_table: pa.Table | None = None
    pair_accepted: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    pair_review: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    pair_reasons: list[str] = field(default_factory=list)
    facts: PersonFacts | None = None
    pair_held: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    @cached_property
    def pairs(self) -> list[ScoredPair]:
        """Scored pairs above the review threshold, strongest first (built on first use)."""
        if self.pair_table is None:
            return []
        found = self._scored(range(self.pair_table.num_rows))
        return sorted(found, key=lambda p: (-p.match_weight, p.left, p.right))

    def _scored(self, indices: Iterable[int]) -> list[ScoredPair]:
        """The pairs at ``indices`` of ``pair_table``, explained field by field."""
        assert self.pair_table is not None
        wanted = list(indices)
        labels = level_labels(self.model)
        rows = self.pair_table.take(pa.array(wanted, pa.int64())).to_pylist()
        return [
            ScoredPair(
                left=self.keys[row["unique_id_l"]],
                right=self.keys[row["unique_id_r"]],
                match_weight=float(row["match_weight"]),
                match_probability=float(row["match_probability"]),
                fields=tuple(FieldExplanation(*f) for f in explain_row(row, self.model, labels)),
                accepted=bool(self.pair_accepted[index]),
                needs_review=bool(self.pair_review[index]),
                reason=self.pair_reasons[index],
            )
            for index, row in zip(wanted, rows, strict=True)
        ]

    @cached_property
    def review_queue(self) -> list[ScoredPair]:
        """The pairs waiting for a person, one per two people not already one, most useful
        first: completing an adult of concern in records with children, then an adult of
        concern or a child recorded as a victim, then joining agencies (``queue.py``)."""
        return self._scored(self._queue_indices)

    @property
    def possible_matches(self) -> list[ScoredPair]:
        """Queued pairs that are probably the same person: at least ``POSSIBLE_PROBABILITY``
        and nothing in the records against it (no different given names, no dates of birth
        apart, not named apart in one record). The network analysis shows each as a "possibly
        the same person" link, naming the pair to confirm; each carries its reason."""
        held = self._held()
        return [
            pair
            for pair, index in zip(self.review_queue, self._queue_indices, strict=True)
            if pair.match_probability >= POSSIBLE_PROBABILITY and not held[index]
        ]

    @cached_property
    def _queue_indices(self) -> list[int]:
        if self.pair_table is None or not self.pair_review.any():
            return []
        waiting = np.flatnonzero(self.pair_review)
        order = order_queue(self._candidates(waiting), self._people())
        return waiting[order].tolist()  # type: ignore[no-any-return]

    def rows(self) -> list[tuple[str, str, str]]:
        """``(agency_code, person_ref, person_id)`` sorted, as ``safehub resolve`` writes them."""
        return [(a, r, pid) for (a, r), pid in sorted(self.person_ids.items())]

    def _held(self) -> np.ndarray:
        if len(self.pair_held) == len(self.pair_reasons):
            return self.pair_held
        return np.zeros(len(self.pair_reasons), dtype=bool)

    def _candidates(self, waiting: np.ndarray) -> Candidates:
        assert self.pair_table is not None
        table = self.pair_table.take(pa.array(waiting))

        def column(name: str) -> np.ndarray:
            return np.asarray(table.column(name).to_numpy(zero_copy_only=False))

        left, right = column("unique_id_l"), column("unique_id_r")
        facts = self.facts or PersonFacts(self.of_concern)
        return Candidates(
            left,
            right,
            column("match_probability"),
            column("match_weight"),
            self._held()[waiting],
            facts.apart(left, right),
        )

    def _people(self) -> People:
        facts = self.facts or PersonFacts(self.of_concern)
        size = len(self.keys)
        at_risk = facts.at_risk if len(facts.at_risk) == size else np.zeros(size, dtype=bool)
        concern = self.of_concern if len(self.of_concern) == size else np.zeros(size, dtype=bool)
        _, cluster = np.unique([self.person_ids[k] for k in self.keys], return_inverse=True)
        _, agency = np.unique([k[0] for k in self.keys], return_inverse=True)
        thin = facts.thin if len(facts.thin) == size else np.zeros(size, dtype=bool)
        return People(
            cluster, agency, concern, with_children(size, facts.together, at_risk), at_risk, thin
        )


def resolve_people(
    mentions: Sequence[Mention] | ExtractTable | None = None,
    *,
    people: list[AgencyPerson] | None = None,
    engine: str = "duckdb",
    model: LinkageModel | None = None,
    progress: ProgressLike | None = None,
    threads: int = 2,
) -> Resolution:
    """Resolve mentions into people; trains a model on them first unless ``model`` is given.

    ``mentions`` come from the row reader or, at scale, as the columnar reader's table; or
    ``people`` are given already collapsed (so that a caller can free the mentions first).

    Ids are ``P000001``… numbered in the order of each person's smallest
    ``(agency_code, person_ref)``, so the same input always gives the same ids.

    >>> from safehub.synthetic.small_population import small_population
    >>> data = small_population(seed=3, people=40)
    >>> resolution = resolve_people(data.mentions)
    >>> sorted(resolution.person_ids.values())[0]
    'P000001'
    """
    with step(progress, "preparing agency people for matching"):
        prepared = prepare(
            mentions,
            people=people,
            max_names_per_identifier=(model or LinkageModel.untrained()).max_names_per_identifier,
        )
    # The people and their rows live to the end: no garbage collection walks them again.
    with long_lived_frozen():
        if model is None:
            model = train_on(prepared, engine=engine, progress=progress)
        # A saved model's prior is for the population it was trained on: set it for this one.
        model = model.for_population(len(prepared.matchable))
        prepared.release_rows()
        pairs = predict_pairs(prepared, model, engine=engine, threads=threads, progress=progress)
        return build_resolution(prepared, model, pairs, progress=progress)


def predict_pairs(
    prepared: PreparedPeople,
    model: LinkageModel,
    *,
    engine: str,
    threads: int = 2,
    progress: ProgressLike | None = None,
) -> pa.Table:
    """Every blocked pair scored at or above the review threshold (weights per field)."""
    if len(prepared.matchable) < 2:
        return _empty_pairs()
    dialect = "spark" if engine == "spark" else "duckdb"
    with step(progress, f"scoring candidate pairs ({engine})"), quiet_splink():
        db_api = make_db_api(engine, threads=threads)
        sdf = register(db_api, prepared.table(), "safehub_people")
        linker = Linker(  # no validation: it only logs, and took seconds at scale
            sdf, model.settings_for(dialect), log_level=SPLINK_LOG_LEVEL, validate_settings=False
        )
        try:
            predictions = linker.inference.predict(
                threshold_match_probability=model.review_threshold, warning_mode="never"
            )
            return _select_pairs(linker, predictions.physical_name)
        finally:
            close(db_api)


def _select_pairs(linker: Linker, table_name: str) -> pa.Table:
    columns = ", ".join(weights_to_columns([c.name for c in COMPARISONS]))
    sql = f"SELECT {columns} FROM {table_name} ORDER BY unique_id_l, unique_id_r"
    result = linker.misc.query_sql(sql, output_type="pandas")  # type: ignore[no-untyped-call]
    return pa.Table.from_pandas(result, preserve_index=False)


def _empty_pairs() -> pa.Table:
    columns = weights_to_columns([c.name for c in COMPARISONS])
    return pa.table(
        {c: pa.array([], pa.int64() if "unique_id" in c else pa.float64()) for c in columns}
    )


def build_resolution(
    prepared: PreparedPeople,
    model: LinkageModel,
    pairs: pa.Table,
    *,
    progress: ProgressLike | None = None,
) -> Resolution:
    """Decide the pairs, cluster the accepted ones and number the people."""
    with step(progress, "clustering people"), cyclic_gc_paused():
        people = prepared.people
        facts = PersonFacts.of(people)
        of_concern = facts.of_concern
        decisions = consistent(
            decide(pairs, model, of_concern, facts),
            pairs,
            MemberConflicts(prepared.table(), facts),
            len(people),
        )
        left = pairs.column("unique_id_l").to_numpy(zero_copy_only=False)[decisions.accepted]
        right = pairs.column("unique_id_r").to_numpy(zero_copy_only=False)[decisions.accepted]
        labels = cluster(len(people), left, right)
        keys = [p.key for p in people]
        return Resolution(
            person_ids={
                k: person_id(int(n) + 1) for k, n in zip(keys, labels.tolist(), strict=True)
            },
            model=model,
            insufficient=frozenset(keys[i] for i in prepared.insufficient),
            restricted=frozenset(keys[i] for i in prepared.restricted),
            keys=keys,
            of_concern=of_concern,
            table=prepared.table(),
            shared=prepared.shared,
            pair_table=pairs,
            pair_accepted=decisions.accepted,
            pair_review=decisions.needs_review,
            pair_reasons=decisions.reasons,
            facts=facts,
            pair_held=decisions.held,
        )
