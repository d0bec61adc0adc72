"""Clusters that resist chaining: conflicting members are split at the weakest links."""

from __future__ import annotations

import numpy as np

from safehub.linkage.clusters import MemberConflicts, keep_consistent
from safehub.linkage.decide import PersonFacts, cluster
from safehub.linkage.engine import input_table
from safehub.linkage.people import AgencyPerson, person_features


def _twins_and_a_chaining_mention() -> tuple[list[AgencyPerson], MemberConflicts]:
    home = {"family": "Qureshi", "address": "14 Marsh Lane", "postcodes": ("BD58QT",)}
    people = [
        AgencyPerson("LA", "T1", "Zainab", **home),  # type: ignore[arg-type]
        AgencyPerson("NHS", "T9", "", **home),  # type: ignore[arg-type]
        AgencyPerson("LA", "T2", "Maryam", **home),  # type: ignore[arg-type]
        AgencyPerson("EDU", "T2", "Maryam", **home),  # type: ignore[arg-type]
    ]
    table = input_table(range(len(people)), [person_features(p) for p in people])
    return people, MemberConflicts(table, PersonFacts.of(people))


def test_a_conflicting_cluster_is_split_at_its_weakest_link() -> None:
    people, conflicts = _twins_and_a_chaining_mention()
    left, right = np.array([0, 1, 2]), np.array([1, 2, 3])
    kept = keep_consistent(len(people), left, right, np.array([9.0, 7.0, 12.0]), conflicts)
    assert kept.tolist() == [True, False, True]
    labels = cluster(len(people), left[kept], right[kept]).tolist()
    assert labels[0] == labels[1] != labels[2] == labels[3]


def test_the_split_does_not_depend_on_the_order_of_the_links() -> None:
    people, conflicts = _twins_and_a_chaining_mention()
    left, right, weight = np.array([2, 1, 0]), np.array([3, 2, 1]), np.array([12.0, 7.0, 9.0])
    kept = keep_consistent(len(people), left, right, weight, conflicts)
    assert kept.tolist() == [True, False, True]


def test_a_cluster_without_conflicts_is_kept_whole() -> None:
    people, conflicts = _twins_and_a_chaining_mention()
    left, right = np.array([2, 1]), np.array([3, 2])
    kept = keep_consistent(len(people), left, right, np.array([5.0, 4.0]), conflicts)
    assert kept.tolist() == [True, True]


def test_members_named_apart_in_one_record_conflict() -> None:
    a = AgencyPerson("LA", "1", "Sam", "Lee", record_ids=("R1",))
    b = AgencyPerson("LA", "2", "Sam", "Lee", record_ids=("R1",))
    c = AgencyPerson("POL", "3", "Sam", "Lee")
    people = [a, b, c]
    table = input_table(range(3), [person_features(p) for p in people])
    conflicts = MemberConflicts(table, PersonFacts.of(people))
    assert conflicts([np.array([0, 1, 2])]) == [[(0, 1)]]
