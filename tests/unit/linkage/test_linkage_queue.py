"""The review queue: one pair per two people, most useful first, proven pairs left out."""

from __future__ import annotations

import numpy as np

from safehub.linkage.queue import PersonFlags, QueuedPair, order_queue, with_children

IDS = {
    ("POL", "S1"): "P1",  # a suspect in records with a child
    ("LA", "S1"): "P2",
    ("LA", "S1b"): "P2",
    ("LA", "C1"): "P3",  # a child recorded as a victim
    ("NHS", "C1"): "P4",
    ("LA", "W1"): "P5",  # a witness
    ("LA", "W2"): "P6",
}
FLAGS = PersonFlags(
    of_concern={("POL", "S1"): True},
    with_children={("POL", "S1"): True},
    at_risk={("LA", "C1"): True},
)


def _pair(
    left: tuple[str, str],
    right: tuple[str, str],
    p: float,
    held: bool = False,
    apart: bool = False,
) -> QueuedPair:
    return QueuedPair(left, right, p, p * 10, held, apart)


def test_the_queue_puts_an_adult_of_concern_with_children_first_and_contradictions_last() -> None:
    pairs = [
        _pair(("LA", "W1"), ("LA", "W2"), 0.99),  # two witnesses: nothing at stake
        _pair(("LA", "W1"), ("LA", "W2"), 0.97, held=True),  # the same two: one pair is enough
        _pair(("LA", "C1"), ("NHS", "C1"), 0.6),  # a child at risk, across agencies
        _pair(("POL", "S1"), ("LA", "S1"), 0.7),  # completes a suspect with children
        _pair(("POL", "S1"), ("LA", "S1b"), 0.8),  # the same two people, a stronger pair
    ]
    assert order_queue(pairs, IDS, FLAGS) == [4, 2, 0]


def test_pairs_already_one_person_or_proven_two_are_not_queued() -> None:
    same = QueuedPair(("LA", "S1"), ("LA", "S1b"), 0.9, 9.0, False, False)
    proven = _pair(("LA", "W1"), ("LA", "W2"), 0.99, apart=True)
    assert order_queue([same, proven], IDS, FLAGS) == []


def test_a_pair_the_records_contradict_comes_after_every_other() -> None:
    pairs = [
        _pair(("POL", "S1"), ("LA", "S1"), 0.999, held=True),
        _pair(("LA", "W1"), ("LA", "W2"), 0.55),
    ]
    assert order_queue(pairs, IDS, FLAGS) == [1, 0]


def test_people_named_beside_a_child_at_risk_are_with_children() -> None:
    together = np.array([0 * 3 + 1])  # people 0 and 1 named in one record
    assert with_children(3, together, np.array([False, True, False])).tolist() == [
        True,
        False,
        False,
    ]
