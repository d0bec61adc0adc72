"""The Spark jobs agree with the in-process engine on small data (local mode, one session)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from safehub.network import NetworkGraph, analyse, build_graph
from safehub.network.concern_index import concern_table
from tests.unit.network.network_records import read_rows, row, same_person_everywhere
from tests.unit.network.test_network_groups import (
    ADULT,
    CHILD,
    busy_takeaway,
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
        # ... against one child and named together elsewhere, or sharing a phone: groups.
        *_apart([*two_offenders(("V1",)), *intelligence("INT1", ["S1", "S2"], "2024-02-01")], "c"),
        *_apart([{**r, "phone": phone} if r["person_role"] == "suspect" else r for r in one], "d"),
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
    }
    assert _spark_groups(spark, graph) == expected
