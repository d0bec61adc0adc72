"""The Spark jobs agree with the in-process engine on small data (local mode, one session)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from safehub.network import NetworkGraph, analyse, build_graph
from safehub.network.concern import KIND_CODE, ConcernTable
from safehub.network.concern_index import concern_table
from safehub.network.links import person_links
from safehub.network.people import CHILD_VICTIM, CONCERN
from tests.unit.network.network_records import read_rows, row, same_person_everywhere
from tests.unit.network.test_network_groups import (
    ADULT,
    CHILD,
    busy_takeaway,
    car_at_the_gates,
    firm_taxi,
    intelligence,
    large_family,
    planted_group,
    two_offenders,
)

pytestmark = pytest.mark.spark


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    from safehub.network.spark_jobs import spark_session

    yield spark_session()


def test_connected_components_label_each_node_with_its_smallest_member(spark: Any) -> None:
    from safehub.network.spark_jobs import connected_components

    edges = spark.createDataFrame(
        [("b", "c"), ("c", "d"), ("a", "b"), ("x", "y")], "a string, b string"
    )
    found = {r["node"]: r["component"] for r in connected_components(edges).collect()}
    assert found == {"a": "a", "b": "a", "c": "a", "d": "a", "x": "x", "y": "x"}


def test_spark_group_rule_finds_the_same_groups_as_the_engine(spark: Any, tmp_path: Path) -> None:
    extra = [
        row("OLD1", "S1", "suspect", dob=ADULT, date="2019-01-01"),
        row("OLD1", "V1", "victim", dob=CHILD, date="2019-01-01"),
        row("OLD2", "S2", "suspect", dob=ADULT, date="2024-01-01"),
        row("OLD2", "V1", "victim", dob=CHILD, date="2024-01-01"),
    ]
    mentions = read_rows(tmp_path, planted_group() + large_family() + busy_takeaway() + extra)
    graph = build_graph(mentions, same_person_everywhere(mentions))
    expected = {frozenset(g.person_ids) for g in analyse(graph).groups}
    assert _spark_groups(spark, graph) == expected


def _spark_groups(spark: Any, graph: NetworkGraph) -> set[frozenset[str]]:
    from safehub.network.spark_jobs import concern_rows_frame, rule_groups

    rows = rule_groups(concern_rows_frame(spark, concern_table(graph))).collect()
    units: dict[str, set[str]] = {}
    for r in rows:
        units.setdefault(r["unit"], set()).add(r["person"])
    return {frozenset(u) for u in units.values()}


def _apart(rows: list[dict[str, str]], suffix: str) -> list[dict[str, str]]:
    """The same records about other people: each case of the fixture is its own component."""
    return [
        {**r, "record_id": r["record_id"] + suffix, "person_ref": r["person_ref"] + suffix}
        for r in rows
    ]


def _bound_or_not() -> list[dict[str, str]]:
    """Cases where a unit of adults bound by one child is not on that alone a group, and where
    an adult is in a group only through ties to two of its core members."""
    crew = ["X1", "X2", "X3"]
    phone = "07700 900123"
    one = two_offenders(("V1",))
    return [
        # A group with BOSS joined (tied to M2 and M3), a crew named beside M2 in one report
        # and LONE, with a child of his own, named beside ORG: in one unit, not in the group.
        *planted_group(),
        *intelligence("INT7", ["M2", *crew]),
        *(row("CR7", x, "suspect", dob=ADULT, offence_code="28E") for x in crew),
        row("CR8", "LONE", "suspect", dob=ADULT, date="2025-02-01"),
        row("CR8", "K9", "victim", dob=CHILD, date="2025-02-01"),
        *intelligence("INT8", ["ORG", "LONE"]),
        *intelligence("INT9", ["BOSS", "M2"]),
        *intelligence("INT10", ["BOSS", "M3"], date="2025-07-01"),
        # Two men each reported once against one child, never named together: no group.
        *two_offenders(("V1",)),
        # ... against two children: a group, which S3 (a child of it two years on, named once
        # beside S1) is in through that child.
        *_apart(
            [
                *two_offenders(("V1", "V2")),
                row("CR9", "S3", "suspect", dob=ADULT, date="2026-06-01"),
                row("CR9", "V2", "victim", dob=CHILD, date="2026-06-01"),
                *intelligence("INT11", ["S1", "S3"]),
            ],
            "b",
        ),
        # ... against one child and named together elsewhere, or sharing a phone: groups. (Each
        # with a home of his own: two rows of one phone and nothing else would be one phone
        # seen twice, ``groups.sighting_alias``.)
        *_apart([*two_offenders(("V1",)), *intelligence("INT1", ["S1", "S2"], "2024-02-01")], "c"),
        *_apart(
            [
                {**r, "phone": phone, "address": f"{r['person_ref']} Mill Lane"}
                if r["person_role"] == "suspect"
                else r
                for r in one
            ],
            "d",
        ),
        # One car seen with a pupil three times by a school, nobody named: the car seen three
        # times, counted once (``groups.sighting_alias``), beside its two licensed drivers: no
        # group. The same with two of the men named at their homes (another car), or named
        # with no home (a third car): a group.
        *_apart(car_at_the_gates({"U1": {}, "U2": {}, "U3": {}}), "e"),
        *_apart(
            [
                {**r, "vehicle_registration": "KV56 KWP"}
                for r in car_at_the_gates(
                    {
                        "AMIR": {"given_names": "Amir", "address": "1 Oak Road"},
                        "JOHN": {"given_names": "John", "address": "9 Elm Street"},
                        "U3": {},
                    }
                )
            ],
            "f",
        ),
        *_apart(
            [
                {**r, "vehicle_registration": "KV56 KWQ"}
                for r in car_at_the_gates(
                    {"AMIR": {"given_names": "Amir"}, "JOHN": {"family_name": "Walsh"}, "U3": {}}
                )
            ],
            "g",
        ),
    ]


def test_spark_group_rule_holds_groups_to_more_than_one_child_as_the_engine_does(
    spark: Any, tmp_path: Path
) -> None:
    mentions = read_rows(tmp_path, _bound_or_not())
    graph = build_graph(mentions, same_person_everywhere(mentions))
    expected = {frozenset(g.person_ids) for g in analyse(graph).groups}
    assert expected == {
        frozenset({"ORG", "M2", "M3", "BOSS", "G1", "G2", "G3"}),
        frozenset({"S1b", "S2b", "S3b", "V1b", "V2b"}),
        frozenset({"S1c", "S2c", "V1c"}),
        frozenset({"S1d", "S2d", "V1d"}),
        frozenset({"AMIRf", "JOHNf", "U3f", "P1f", "P2f", "P3f"}),
        frozenset({"AMIRg", "JOHNg", "U3g", "P1g", "P2g", "P3g"}),
    }
    assert _spark_groups(spark, graph) == expected


Sighting = tuple[str, str, int, int, float]  # person, context ("kind:name"), class, day, weight


def _table(sightings: list[Sighting], licensed: dict[str, int] | None = None) -> ConcernTable:
    """A concern table of the given rows: each context touches exactly the people seen there;
    ``licensed``: drivers licensed for a car context (none by default)."""
    people = sorted({s[0] for s in sightings})
    contexts = sorted({s[1] for s in sightings})
    touching = {c: {s[0] for s in sightings if s[1] == c} for c in contexts}
    nobody = np.zeros(len(people), dtype=np.bool_)
    return ConcernTable(
        person_ids=people,
        concern=np.array([any(s[0] == p and s[2] == CONCERN for s in sightings) for p in people]),
        child_victim=np.array(
            [any(s[0] == p and s[2] == CHILD_VICTIM for s in sightings) for p in people]
        ),
        suspect=nobody,
        intelligence_subject=nobody,
        named=np.ones(len(people), dtype=np.bool_),
        contexts=contexts,
        context_kind=np.array([KIND_CODE[c.split(":")[0]] for c in contexts], dtype=np.int64),
        context_degree=np.array([len(touching[c]) for c in contexts], dtype=np.int64),
        context_agency=["" for _ in contexts],
        context_area=["" for _ in contexts],
        context_contact=np.zeros(len(contexts), dtype=np.bool_),
        context_licensed=np.array([(licensed or {}).get(c, 0) for c in contexts], dtype=np.int64),
        row_person=np.array([people.index(s[0]) for s in sightings], dtype=np.int64),
        row_context=np.array([contexts.index(s[1]) for s in sightings], dtype=np.int64),
        row_class=np.array([s[2] for s in sightings], dtype=np.int64),
        row_day=np.array([s[3] for s in sightings], dtype=np.int64),
        row_weight=np.array([s[4] for s in sightings], dtype=np.float64),
    )


PairRow = tuple[str, str, str, str, str, float, int]


def _engine_pairs(table: ConcernTable) -> set[PairRow]:
    found = person_links(table).pairs
    return {
        (
            table.person_ids[int(r.a)],
            table.person_ids[int(r.b)],
            table.contexts[int(r.context)],
            str(r.kind),
            str(r.combo),
            round(float(r.weight), 9),
            int(r.day),
        )
        for r in found.itertuples()
    }


def _spark_pairs(spark: Any, table: ConcernTable) -> set[PairRow]:
    from safehub.network.spark_jobs import concern_rows_frame
    from safehub.network.spark_jobs import person_links as spark_links

    pairs, _ = spark_links(concern_rows_frame(spark, table))
    return {
        (r["a"], r["b"], r["context"], r["kind"], r["combo"], round(r["weight"], 9), r["day"])
        for r in pairs.collect()
    }


def test_spark_pairs_keep_the_day_of_the_strongest_sighting_as_the_engine_does(
    spark: Any,
) -> None:
    # The child is on the adult's phone twice: weakly early, strongly later. At a hotel the two
    # are seen together in two windows, more strongly in the later one.
    table = _table(
        [
            ("A", "phone:1", CONCERN, 100, 1.0),
            ("C", "phone:1", CHILD_VICTIM, 10, 0.3),
            ("C", "phone:1", CHILD_VICTIM, 200, 0.9),
            ("A", "place:H", CONCERN, 290, 1.0),
            ("C", "place:H", CHILD_VICTIM, 200, 0.3),
            ("C", "place:H", CHILD_VICTIM, 300, 0.8),
        ]
    )
    expected = _engine_pairs(table)
    assert expected == {
        ("A", "C", "phone:1", "phone", "AC", 0.9, 200),
        ("A", "C", "place:H", "place", "AC", 0.4, 300),
    }
    assert _spark_pairs(spark, table) == expected


def test_spark_pairs_thin_place_visits_to_one_per_window_as_the_engine_does(spark: Any) -> None:
    # The adult's strongest visit to the hotel in its first window (day 0) is months before the
    # child's (day 170): a weaker visit of the same window (day 89) does not make them a pair.
    table = _table(
        [
            ("A", "place:H", CONCERN, 0, 1.0),
            ("A", "place:H", CONCERN, 89, 0.4),
            ("B", "place:H", CONCERN, 80, 1.0),
            ("C", "place:H", CHILD_VICTIM, 170, 1.0),
        ]
    )
    expected = _engine_pairs(table)
    assert expected == {
        ("A", "B", "place:H", "place", "AA", 0.25, 80),
        ("B", "C", "place:H", "place", "AC", 0.5, 170),
    }
    assert _spark_pairs(spark, table) == expected


def test_spark_pairs_link_through_a_firm_s_car_only_within_the_window_as_the_engine_does(
    spark: Any,
) -> None:
    # A taxi firm's car (licensed to two drivers) links two people only when both are recorded
    # in it within the window, as a place does: A and B in 2019, C months later in the same
    # window as B but not A. One man's own car ties whoever is recorded with it, years apart.
    firm = [
        ("A", "vehicle:FIRM", CONCERN, 0, 1.0),
        ("B", "vehicle:FIRM", CONCERN, 80, 1.0),
        ("C", "vehicle:FIRM", CHILD_VICTIM, 150, 1.0),
    ]
    own = [("D", "vehicle:OWN", CONCERN, 0, 1.0), ("E", "vehicle:OWN", CHILD_VICTIM, 2000, 1.0)]
    table = _table(firm + own, licensed={"vehicle:FIRM": 2, "vehicle:OWN": 1})
    expected = _engine_pairs(table)
    assert expected == {
        ("A", "B", "vehicle:FIRM", "vehicle", "AA", 1.0, 80),
        ("B", "C", "vehicle:FIRM", "vehicle", "AC", 1.0, 150),
        ("D", "E", "vehicle:OWN", "vehicle", "AC", 1.0, 2000),
    }
    assert _spark_pairs(spark, table) == expected


def test_spark_group_rule_shares_a_firm_s_car_only_within_the_window_as_the_engine_does(
    spark: Any, tmp_path: Path
) -> None:
    # The planted group's car is a taxi firm's (``test_network_groups.firm_taxi``): DRV1 and
    # DRV2, only licensed for it, are not members; DRV3, recorded in it in 2019, did not share
    # it with the men recorded in it in 2025; DRV4, three weeks after M2, did.
    licensed = {"M3": "2024-06-01", "DRV1": "2019-02-01", "DRV2": "2025-03-20"}
    seen = {"DRV3": "2019-05-05", "DRV4": "2025-04-21"}
    rows = [*planted_group(), *firm_taxi({**licensed, "DRV3": "2019-01-01"}, seen)]
    mentions = read_rows(tmp_path, rows)
    graph = build_graph(mentions, same_person_everywhere(mentions))
    expected = {frozenset(g.person_ids) for g in analyse(graph).groups}
    assert expected == {frozenset({"ORG", "M2", "M3", "DRV4", "G1", "G2", "G3"})}
    assert _spark_groups(spark, graph) == expected
