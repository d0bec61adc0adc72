"""Whole-graph structure: components, seeded communities and k-cores over every node."""

from __future__ import annotations

from pathlib import Path

from safehub.network import build_graph
from safehub.network.whole import analyse_whole_graph
from tests.unit.network.network_records import read_rows, same_person_everywhere
from tests.unit.network.test_network_groups import large_family, planted_group


def test_separate_cases_are_separate_components_and_communities(tmp_path: Path) -> None:
    mentions = read_rows(tmp_path, planted_group() + large_family())
    graph = build_graph(mentions, same_person_everywhere(mentions))
    whole = analyse_whole_graph(graph, seed=1)
    index = {node: i for i, node in enumerate(whole.nodes)}
    component = whole.component
    assert component[index["person:ORG"]] == component[index["person:G3"]]
    assert component[index["person:ORG"]] != component[index["person:MUM"]]
    assert whole.community_of("person:ORG") != whole.community_of("person:MUM")


def test_family_seen_together_in_every_record_sits_in_a_deep_core(tmp_path: Path) -> None:
    mentions = read_rows(tmp_path, large_family())
    graph = build_graph(mentions, same_person_everywhere(mentions))
    whole = analyse_whole_graph(graph, seed=1)
    assert whole.core[whole.nodes.index("person:MUM")] >= 6


def test_same_graph_and_seed_give_the_same_communities(tmp_path: Path) -> None:
    mentions = read_rows(tmp_path, planted_group() + large_family())
    graph = build_graph(mentions, same_person_everywhere(mentions))
    first, second = analyse_whole_graph(graph, seed=3), analyse_whole_graph(graph, seed=3)
    assert first.community.tolist() == second.community.tolist()
