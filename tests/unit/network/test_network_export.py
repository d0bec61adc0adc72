"""Analyst exports: GraphML and CSV of a subgraph, never showing restricted people."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx

from safehub.network import build_graph, subgraph, write_csv, write_graphml
from tests.unit.network.network_records import read_rows, row, same_person_everywhere
from tests.unit.network.test_network_groups import ADULT, planted_group


def _graph(tmp_path: Path):  # type: ignore[no-untyped-def]
    rows = [*planted_group(), {**row("CR1", "REFUGE", "witness", dob=ADULT), "restricted": "Y"}]
    mentions = read_rows(tmp_path, rows)
    return build_graph(mentions, same_person_everywhere(mentions))


def test_graphml_export_reads_back_with_kinds_and_edge_roles(tmp_path: Path) -> None:
    graph = _graph(tmp_path)
    path = write_graphml(graph, subgraph(graph, ["ORG"], hops=1), tmp_path / "g.graphml")
    back = nx.read_graphml(path)
    assert back.nodes["person:ORG"]["kind"] == "person"
    assert back.edges["person:ORG", "record:POL-A/CR1"]["roles"] == "suspect"


def test_csv_export_has_nodes_and_edges_with_headers(tmp_path: Path) -> None:
    graph = _graph(tmp_path)
    nodes, edges = write_csv(graph, subgraph(graph, ["G1"]), tmp_path / "out")
    with nodes.open() as handle:
        rows = list(csv.DictReader(handle))
    assert {"person:G1", "person:ORG", "record:POL-A/CR1"} <= {r["node"] for r in rows}
    assert edges.read_text().splitlines()[0] == (
        "source,target,kind,roles,agencies,first_date,last_date,rows"
    )


def test_restricted_person_never_appears_in_an_export(tmp_path: Path) -> None:
    graph = _graph(tmp_path)
    nodes = subgraph(graph, ["ORG", "REFUGE"], hops=3)
    assert "person:REFUGE" not in nodes
    nodes_csv, edges_csv = write_csv(graph, [*nodes, "person:REFUGE"], tmp_path / "out")
    assert "REFUGE" not in nodes_csv.read_text() + edges_csv.read_text()
