"""Same input, same result; incremental updates give the same groups and community partition."""

from __future__ import annotations

from pathlib import Path

from safehub.network import analyse, build_graph
from safehub.network.analysis import NetworkAnalysis
from safehub.network.graph import NetworkGraph
from tests.unit.network.network_records import read_rows, same_person_everywhere
from tests.unit.network.test_network_groups import busy_takeaway, large_family, planted_group


def _partition(result: NetworkAnalysis) -> set[frozenset[str]]:
    blocks: dict[int, set[str]] = {}
    for person, community in result.communities.items():
        blocks.setdefault(community, set()).add(person)
    return {frozenset(b) for b in blocks.values()}


def test_analysing_twice_gives_identical_results(tmp_path: Path) -> None:
    mentions = read_rows(tmp_path, planted_group() + busy_takeaway() + large_family())
    ids = same_person_everywhere(mentions)
    first = analyse(build_graph(mentions, ids))
    second = analyse(build_graph(mentions, ids))
    assert first == second


def test_incremental_graph_gives_the_same_groups_ranking_and_communities(tmp_path: Path) -> None:
    mentions = read_rows(tmp_path, planted_group() + busy_takeaway() + large_family())
    ids = same_person_everywhere(mentions)
    incremental = NetworkGraph()
    for start in range(0, len(mentions), 7):
        incremental.add_mentions(mentions[start : start + 7], ids)
    full, step = analyse(build_graph(mentions, ids)), analyse(incremental)
    assert (full.groups, full.key_people) == (step.groups, step.key_people)
    assert _partition(full) == _partition(step)
