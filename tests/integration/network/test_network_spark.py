"""The Spark jobs agree with the in-process engine on small data (local mode, one session)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from safehub.network import analyse, build_graph
from safehub.network.concern_index import concern_table
from tests.unit.network.network_records import read_rows, row, same_person_everywhere
from tests.unit.network.test_network_groups import (
    ADULT,
    CHILD,
    busy_takeaway,
    large_family,
    planted_group,
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
    from safehub.network.spark_jobs import concern_rows_frame, rule_groups

    extra = [
        row("OLD1", "S1", "suspect", dob=ADULT, date="2019-01-01"),
        row("OLD1", "V1", "victim", dob=CHILD, date="2019-01-01"),
        row("OLD2", "S2", "suspect", dob=ADULT, date="2024-01-01"),
        row("OLD2", "V1", "victim", dob=CHILD, date="2024-01-01"),
    ]
    mentions = read_rows(tmp_path, planted_group() + large_family() + busy_takeaway() + extra)
    graph = build_graph(mentions, same_person_everywhere(mentions))
    expected = {frozenset(g.person_ids) for g in analyse(graph).groups}
    table = concern_table(graph)
    rows = rule_groups(concern_rows_frame(spark, table)).collect()
    units: dict[str, set[str]] = {}
    for r in rows:
        units.setdefault(r["unit"], set()).add(r["person"])
    assert {frozenset(u) for u in units.values()} == expected
