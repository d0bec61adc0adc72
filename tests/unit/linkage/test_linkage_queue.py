"""The review queue: one pair per two people, most useful first, proven pairs left out."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from safehub.linkage.queue import (
    ANOTHER_PAIR_REASON,
    CHILD_REASON,
    CONCERN_WITH_CHILDREN_REASON,
    NOTHING_AT_STAKE_REASON,
    Candidates,
    People,
    order_queue,
    place_pairs,
    with_children,
)

# unique_id: 0 suspect (POL) in records with a child; 1, 2 the suspect at LA (one person);
# 3 a child victim (LA); 4 the child at NHS; 5, 6 two witnesses, at LA and at a school.
PEOPLE = People(
    cluster=np.array([0, 1, 1, 2, 3, 4, 5]),
    agency=np.array([0, 1, 1, 1, 2, 1, 3]),
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


def test_each_pair_has_its_place_and_the_reason_for_it() -> None:
    pairs = _pairs(
        (5, 6, 0.99, False, False),
        (5, 6, 0.97, True, False),
        (3, 4, 0.6, False, False),
        (0, 1, 0.7, False, False),
        (0, 2, 0.8, False, False),
    )
    places = place_pairs(pairs, PEOPLE)
    assert np.flatnonzero(places.worth).tolist() == sorted(order_queue(pairs, PEOPLE))
    assert places.usefulness[4] > places.usefulness[2] > places.usefulness[0]
    also = "; the two are known to different agencies"
    assert places.reasons == [
        "would join records held by different agencies",
        ANOTHER_PAIR_REASON,
        CHILD_REASON + also,
        ANOTHER_PAIR_REASON,
        CONCERN_WITH_CHILDREN_REASON + also,
    ]


def test_a_pair_left_out_for_nothing_at_stake_says_so() -> None:
    one_agency = replace(PEOPLE, agency=np.zeros(7, dtype=np.int64))
    places = place_pairs(_pairs((5, 6, 0.99, False, False)), one_agency)
    assert places.worth.tolist() == [False]
    assert places.reasons == [NOTHING_AT_STAKE_REASON]


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


# unique_id: 0, 1 a witness twice at LA (two references); 2 a suspect in records with a child
# (POL); 3 a suspect with no child in the records (POL); 4 a child recorded as a victim (NHS);
# 5 an adult at LA, no concern; 6 a name and nothing else, at a school (EDU).
STAKES = People(
    cluster=np.array([0, 1, 2, 3, 4, 5, 6]),
    agency=np.array([1, 1, 0, 0, 2, 1, 3]),
    of_concern=np.array([False, False, True, True, False, False, False]),
    with_children=np.array([False, False, True, False, False, False, False]),
    at_risk=np.array([False, False, False, False, True, False, False]),
    thin=np.array([False, False, False, False, False, False, True]),
)


def test_a_pair_with_nothing_at_stake_in_one_agency_is_not_queued() -> None:
    pairs = _pairs(
        (0, 1, 0.8, False, False),  # one agency's two references of a witness: its housekeeping
        (0, 5, 0.7, False, False),  # the same agency, nothing at stake either
        (1, 3, 0.6, False, False),  # a suspect at the police and LA: joins agencies, a suspect
    )
    assert order_queue(pairs, STAKES) == [2]


def test_a_pair_with_nothing_at_stake_but_across_agencies_stays() -> None:
    # The witness's second reference is at a school: confirming it joins two agencies.
    at_school = replace(STAKES, agency=np.array([1, 3, 0, 0, 2, 1, 3]))
    assert order_queue(_pairs((0, 1, 0.8, False, False)), at_school) == [0]


def test_a_name_and_nothing_else_is_queued_only_for_a_suspect_with_children_or_a_child() -> None:
    pairs = _pairs(
        (5, 6, 0.99, False, False),  # an adult and a name only: nothing to decide on
        (3, 6, 0.95, False, False),  # a suspect with no child in the records: not queued either
        (2, 6, 0.7, False, False),  # a suspect in records with a child: worth asking for more
        (4, 6, 0.6, False, False),  # a child recorded as a victim: worth asking for more
    )
    assert order_queue(pairs, STAKES) == [2, 3]


def test_a_suspect_with_children_or_a_child_at_risk_is_never_left_out_in_one_agency() -> None:
    # Everyone at one agency, and every one of them only a name.
    one_agency = replace(STAKES, agency=np.zeros(7, dtype=np.int64), thin=np.ones(7, dtype=bool))
    pairs = _pairs((2, 6, 0.7, False, False), (4, 5, 0.6, False, False))
    assert order_queue(pairs, one_agency) == [0, 1]


def test_without_the_thin_flags_no_pair_counts_as_a_name_only() -> None:
    bare = replace(STAKES, thin=np.zeros(0, dtype=bool))
    assert order_queue(_pairs((5, 6, 0.99, False, False)), bare) == [0]
