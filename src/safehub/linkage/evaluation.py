"""Pairwise precision, recall and F1 of a resolution against known truth."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class PairwiseScores:
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def same_person_pairs(assignment: Mapping[K, Hashable]) -> set[tuple[K, K]]:
    """Every unordered pair of keys given the same cluster."""
    clusters: dict[Hashable, list[K]] = {}
    for key, cluster in assignment.items():
        clusters.setdefault(cluster, []).append(key)
    pairs: set[tuple[K, K]] = set()
    for members in clusters.values():
        ordered = sorted(members, key=repr)
        pairs.update(combinations(ordered, 2))
    return pairs


def pairwise_scores(truth: Mapping[K, Hashable], predicted: Mapping[K, Hashable]) -> PairwiseScores:
    """Compare two clusterings of the same keys, pair by pair.

    >>> s = pairwise_scores({"a": 1, "b": 1, "c": 2}, {"a": "x", "b": "x", "c": "x"})
    >>> s.precision, s.recall
    (0.3333333333333333, 1.0)
    """
    true_pairs = same_person_pairs(truth)
    predicted_pairs = same_person_pairs(predicted)
    return PairwiseScores(len(true_pairs), len(predicted_pairs), len(true_pairs & predicted_pairs))
