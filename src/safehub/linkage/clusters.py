"""Clusters that resist chaining: no person holds two records that contradict each other.

Accepted links are pairwise decisions; joined transitively, one mistyped mention (a twin's
record without a given name, a date keyed on the wrong child) can chain two people into one.
So every cluster of three or more agency people is checked: if two of its members conflict
(given names that differ outright, dates of birth apart, different NHS numbers, named apart in
one record, recorded as female and male, look-alike names of twins; the rules of ``rules.py``
and ``decide.PersonFacts``), the cluster is rebuilt from its links, strongest first, leaving
out every link that would put two conflicting members together. The links left out wait for a person. Deterministic: links are taken in the order of
their match weight, then of their ids.

>>> conflicts = lambda clusters: [[(0, 2)]]   # twins 0 and 2; 1 is a mention with no given name
>>> kept = keep_consistent(3, np.array([0, 1]), np.array([1, 2]), np.array([9.0, 7.0]), conflicts)
>>> kept.tolist()
[True, False]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

from safehub.linkage.decide import Decisions, PersonFacts, cluster
from safehub.linkage.rules import PairLevels

CHAIN_REASON = (
    "would join people the records tell apart (twins, siblings, a parent) through a chain of "
    "links; confirm"
)
# Only these comparisons can make two members conflict; the others are not computed.
_CONFLICT_COMPARISONS = (
    *("given_name", "family_name", "other_names", "dob", "nhs", "licence"),
    *("phone", "email", "vehicle", "handle"),
)
# Given the members of each cluster to check, the conflicting pairs within each.
Conflicts = Callable[[Sequence[np.ndarray]], Sequence[Sequence[tuple[int, int]]]]


def consistent(decisions: Decisions, pairs: pa.Table, conflicts: Conflicts, size: int) -> Decisions:
    """``decisions`` with the accepted links that would chain a conflict sent to review."""
    accepted = np.flatnonzero(decisions.accepted)
    column = pairs.column
    kept = keep_consistent(
        size,
        column("unique_id_l").to_numpy(zero_copy_only=False)[accepted],
        column("unique_id_r").to_numpy(zero_copy_only=False)[accepted],
        column("match_weight").to_numpy(zero_copy_only=False)[accepted],
        conflicts,
    )
    dropped = accepted[~kept]
    if len(dropped) == 0:
        return decisions
    reasons = list(decisions.reasons)
    for index in dropped.tolist():
        reasons[index] = CHAIN_REASON
    accept, review = decisions.accepted.copy(), decisions.needs_review.copy()
    accept[dropped], review[dropped] = False, True
    return Decisions(accept, review, reasons, decisions.held)


def keep_consistent(
    size: int,
    left: np.ndarray,
    right: np.ndarray,
    weight: np.ndarray,
    conflicts: Conflicts,
) -> np.ndarray:
    """Which of the links ``left[i] - right[i]`` to keep so that no cluster holds a conflict.

    ``conflicts(clusters)`` lists the conflicting pairs among the members of each cluster (all
    clusters at once: one pass over their rows).
    """
    kept = np.ones(len(left), dtype=bool)
    if size == 0 or len(left) == 0:
        return kept
    labels = cluster(size, left, right)
    counts = np.bincount(labels)
    checked = np.flatnonzero(counts >= 3)
    if len(checked) == 0:
        return kept
    order = np.argsort(labels, kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)])
    members = [order[starts[label] : starts[label + 1]] for label in checked.tolist()]
    edge_label = labels[left]
    for label, found in zip(checked.tolist(), conflicts(members), strict=True):
        if found:
            edges = np.flatnonzero(edge_label == label)
            kept[edges] = _strongest_first(edges, left, right, weight, found)
    return kept


def _strongest_first(
    edges: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    weight: np.ndarray,
    conflicts: Sequence[tuple[int, int]],
) -> np.ndarray:
    """Kruskal's order, strongest link first; a link that would join a conflict is left out."""
    order = sorted(edges.tolist(), key=lambda e: (-float(weight[e]), int(left[e]), int(right[e])))
    group: dict[int, set[int]] = {}
    against: dict[int, set[int]] = {}
    for a, b in conflicts:
        against.setdefault(a, set()).add(b)
        against.setdefault(b, set()).add(a)
    keep = dict.fromkeys(edges.tolist(), False)
    for e in order:
        a, b = int(left[e]), int(right[e])
        ga, gb = group.setdefault(a, {a}), group.setdefault(b, {b})
        if ga is gb:
            keep[e] = True
            continue
        if any(against.get(x, set()) & gb for x in ga):
            continue
        merged = ga | gb
        for x in merged:
            group[x] = merged
        keep[e] = True
    return np.array([keep[e] for e in edges.tolist()], dtype=bool)


class MemberConflicts:
    """Conflicts among members of a cluster, read from the Splink input table and the facts."""

    def __init__(self, table: pa.Table, facts: PersonFacts) -> None:
        self._ids = table.column("unique_id").to_numpy(zero_copy_only=False)
        self._table = table.select(
            [c for c in table.column_names if c != "block_keys" and c != "addr_words"]
        )
        self._facts = facts

    def __call__(self, clusters: Sequence[np.ndarray]) -> list[list[tuple[int, int]]]:
        pairs = [(a, b) for members in clusters for a, b in combinations(members.tolist(), 2)]
        if not pairs:
            return [[] for _ in clusters]
        everyone = np.unique(np.concatenate(list(clusters)))
        rows = dict(zip(everyone.tolist(), self._rows(everyone), strict=True))
        levels = PairLevels.of_rows(
            [(rows[a], rows[b]) for a, b in pairs], comparisons=_CONFLICT_COMPARISONS
        )
        left = np.array([a for a, _ in pairs], dtype=np.int64)
        right = np.array([b for _, b in pairs], dtype=np.int64)
        sexes = self._facts.sexes_differ(left, right) & ~levels.personal()
        clash = (
            levels.given_names_differ()
            | levels.conflict()
            | sexes
            | self._facts.twins_apart(left, right, levels)
            | self._facts.apart(left, right)
        )
        found: dict[int, list[tuple[int, int]]] = {}
        cluster_of = {m: n for n, members in enumerate(clusters) for m in members.tolist()}
        for a, b in zip(left[clash].tolist(), right[clash].tolist(), strict=True):
            found.setdefault(cluster_of[a], []).append((a, b))
        return [found.get(n, []) for n in range(len(clusters))]

    def _rows(self, members: np.ndarray) -> list[dict[str, object]]:
        positions = np.searchsorted(self._ids, members)
        # unique_id ascends in the table (people in key order; new people after held ones).
        assert np.array_equal(self._ids[positions], members), "unique_id out of order"
        return self._table.take(pa.array(positions)).to_pylist()  # type: ignore[no-any-return]
