"""The review queue: pairs a person can work, most useful first, and the probable matches.

A scored pair waiting for a person is worth a reviewer's time only if confirming it would change
something. So the queue holds one pair per two people not already one (the strongest pair; the
others would be confirmed with it), and orders them by what a confirmation would change
(architecture.md: "ordered by what a confirmation would change (a network completed, a child at
risk)"):

1. it completes an adult of concern who is in records with children;
2. it completes an adult of concern, or it links a child recorded as a victim;
3. it joins people across agencies (one of them brings an agency the other lacks);

then by match probability. Pairs the records contradict (given names that differ outright,
dates of birth apart, named apart in one record) come last, whatever they would change: they are
rarely one person. Pairs the records prove to be two people (named in one record, or one too
young for a role the other held) are not queued at all.

``possible_matches`` are the queued pairs that are probably one person (at least
``POSSIBLE_PROBABILITY``, nothing in the records against it): the network analysis shows them as
"possibly the same person" links until someone decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

Key = tuple[str, str]
# At least this probable, and nothing in the records against it: "possibly the same person".
POSSIBLE_PROBABILITY = 0.9
_CONCERN_WITH_CHILDREN, _CONCERN_OR_CHILD, _ACROSS_AGENCIES = 4, 2, 1
_CONTRADICTED = -8


@dataclass(frozen=True, slots=True)
class QueuedPair:
    """What the queue needs of one scored pair (``resolve.ScoredPair`` has these fields)."""

    left: Key
    right: Key
    match_probability: float
    match_weight: float
    held: bool
    proven_apart: bool


@dataclass(frozen=True, slots=True)
class PersonFlags:
    """Per agency person: of concern, in records with a child, a child recorded as a victim."""

    of_concern: Mapping[Key, bool]
    with_children: Mapping[Key, bool]
    at_risk: Mapping[Key, bool]


def order_queue(
    pairs: Sequence[QueuedPair], person_ids: Mapping[Key, str], flags: PersonFlags
) -> list[int]:
    """Indices of ``pairs`` to queue, most useful first (see the module docstring)."""
    clusters = _cluster_facts(person_ids, flags)
    best: dict[tuple[str, str], int] = {}
    for index, pair in enumerate(pairs):
        a, b = person_ids[pair.left], person_ids[pair.right]
        if a == b or pair.proven_apart:
            continue
        link = (min(a, b), max(a, b))
        if link not in best or _stronger(pair, pairs[best[link]]):
            best[link] = index
    ranked = sorted(
        best.items(),
        key=lambda item: (
            -_usefulness(pairs[item[1]], clusters[item[0][0]], clusters[item[0][1]]),
            -pairs[item[1]].match_probability,
            item[0],
        ),
    )
    return [index for _, index in ranked]


def _stronger(pair: QueuedPair, other: QueuedPair) -> bool:
    return (pair.held, -pair.match_weight, pair.left, pair.right) < (
        other.held,
        -other.match_weight,
        other.left,
        other.right,
    )


@dataclass(slots=True)
class _Cluster:
    agencies: set[str]
    concern: bool = False
    with_children: bool = False
    at_risk: bool = False


def _cluster_facts(person_ids: Mapping[Key, str], flags: PersonFlags) -> dict[str, _Cluster]:
    found: dict[str, _Cluster] = {}
    for key, pid in person_ids.items():
        cluster = found.setdefault(pid, _Cluster(set()))
        cluster.agencies.add(key[0])
        cluster.concern |= flags.of_concern.get(key, False)
        cluster.with_children |= flags.with_children.get(key, False)
        cluster.at_risk |= flags.at_risk.get(key, False)
    return found


def _usefulness(pair: QueuedPair, a: _Cluster, b: _Cluster) -> int:
    if pair.held:
        return _CONTRADICTED
    concern = a.concern or b.concern
    score = 0
    if concern and (a.with_children or b.with_children):
        score += _CONCERN_WITH_CHILDREN
    elif concern or a.at_risk or b.at_risk:
        score += _CONCERN_OR_CHILD
    if a.agencies != b.agencies:
        score += _ACROSS_AGENCIES
    return score


def with_children(size: int, together: np.ndarray, at_risk: np.ndarray) -> np.ndarray:
    """Per person (index), whether a record names them beside a child recorded as a victim.

    ``together`` holds ``i * size + j`` for two people named in one record (``PersonFacts``).
    """
    found = np.zeros(size, dtype=bool)
    if size == 0 or len(together) == 0 or len(at_risk) == 0:
        return found
    low, high = np.divmod(together, size)
    found[high[at_risk[low]]] = True
    found[low[at_risk[high]]] = True
    return found
