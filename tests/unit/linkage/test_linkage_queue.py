"""The review queue: one pair per two people, most useful first, proven pairs left out."""

from __future__ import annotations

import numpy as np

from safehub.linkage.queue import Candidates, People, order_queue, with_children

# unique_id: 0 suspect (POL) in records with a child; 1, 2 the suspect at LA (one person);
# 3 a child victim (LA); 4 the child at NHS; 5, 6 two witnesses at LA.
PEOPLE = People(
    cluster=np.array([0, 1, 1, 2, 3, 4, 5]),
    agency=np.array([0, 1, 1, 1, 2, 1, 1]),
    of_concern=np.array([True, False, False, False, False, False, False]),
    with_children=np.array([True, False, False, False, False, False, False]),
    at_risk=np.array([False, False, False, True, False, False, False]),
)


def _pairs(*rows: tuple[int, int, float, bool, bool]) -> Candidates:
    left, right, p, held, apart = (np.array(c) for c in zip(*rows, strict=True))
    return Candidates(left, right, p, p * 10, held, apart)


def test_the_queue_puts_an_adult_of_concern_with_children_first_and_contradictions_last() -> None:
    pairs = _pairs(
        (5, 6, 0.99, False, False),  # two witnesses: nothing at stake
        (5, 6, 0.97, True, False),  # the same two people: one pair is enough
        (3, 4, 0.6, False, False),  # a child at risk, across agencies
        (0, 1, 0.7, False, False),  # completes a suspect with children
        (0, 2, 0.8, False, False),  # the same two people, a stronger pair
    )
    assert order_queue(pairs, PEOPLE) == [4, 2, 0]


def test_pairs_already_one_person_or_proven_two_are_not_queued() -> None:
    pairs = _pairs((1, 2, 0.9, False, False), (5, 6, 0.99, False, True))
    assert order_queue(pairs, PEOPLE) == []


def test_a_pair_the_records_contradict_comes_after_every_other() -> None:
    pairs = _pairs((0, 1, 0.999, True, False), (5, 6, 0.55, False, False))
    assert order_queue(pairs, PEOPLE) == [1, 0]


def test_people_named_beside_a_child_at_risk_are_with_children() -> None:
    together = np.array([0 * 3 + 1])  # people 0 and 1 named in one record
    assert with_children(3, together, np.array([False, True, False])).tolist() == [
        True,
        False,
        False,
    ]


def test_a_contradicted_pair_with_nothing_at_stake_is_not_queued() -> None:
    pairs = _pairs(
        (5, 6, 0.99, True, False),  # two witnesses the records tell apart (twins): left out
        (3, 4, 0.9, True, False),  # contradicted, but a child at risk: queued, last
        (5, 6, 0.6, False, False),  # the same two witnesses, not contradicted: queued
    )
    assert order_queue(pairs, PEOPLE) == [2, 1]
