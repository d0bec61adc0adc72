"""Whole-graph structure: components, Leiden communities and k-cores over every node.

Weights carry meaning here too (``weights.py``): a person's edge to a record weighs what the record
points to and what role the person had in it; a place's edge to a record is divided down by how
busy the place is. Betweenness is not computed here: it is the expensive part, done per candidate
group (``ranking.group_betweenness``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from safehub.extracts.codes import CONCERN_ROLES
from safehub.network import keys, nkutil
from safehub.network.graph import NetworkGraph
from safehub.network.people import is_sexual_offence
from safehub.network.weights import hub_factor, record_weight

BYSTANDER_ROLE_FACTOR = 0.3  # reporters, parents, witnesses: present, but not what links a group
# Leiden passes over the whole graph. Each pass is a full sweep of every edge; the third pass
# cost 6.5 s of 14 s on 1,000,000 nodes / 5,000,000 edges for 1% more modularity (0.344 against
# 0.340, measured 2026-11-26). These communities are for exploring, not the group rule (which
# runs its own, three-pass Leiden on the far smaller strong-link graph): two passes are enough.
WHOLE_GRAPH_LEIDEN_ITERATIONS = 2


@dataclass(frozen=True)
class WholeGraph:
    """Per node (index into ``nodes``): component, community and core number."""

    nodes: list[str]
    component: nkutil.IntArray
    community: nkutil.IntArray
    core: nkutil.IntArray

    def community_of(self, node: str) -> int:
        return int(self.community[self.nodes.index(node)])


def summarise_arrays(
    nodes: list[str], a: nkutil.IntArray, b: nkutil.IntArray, w: nkutil.FloatArray, seed: int
) -> WholeGraph:
    """Components, communities (seeded Leiden, one thread) and cores of an edge list."""
    graph = nkutil.undirected_graph(len(nodes), a, b, w)
    return WholeGraph(
        nodes=nodes,
        component=nkutil.components(graph),
        community=nkutil.communities(graph, seed, WHOLE_GRAPH_LEIDEN_ITERATIONS),
        core=nkutil.core_numbers(graph),
    )


def analyse_whole_graph(graph: NetworkGraph, *, seed: int) -> WholeGraph:
    """The whole-graph structure of a network graph, nodes in sorted order."""
    nodes = graph.nodes()
    index = {node: i for i, node in enumerate(nodes)}
    a, b, w = [], [], []
    for (left, right), edge in sorted(graph.edges.items()):
        a.append(index[left])
        b.append(index[right])
        w.append(_edge_weight(graph, left, right, edge.kind, edge.evidence))
    return summarise_arrays(
        nodes, np.array(a, dtype=np.int64), np.array(b, dtype=np.int64), np.array(w), seed
    )


def _edge_weight(
    graph: NetworkGraph, left: str, right: str, kind: str, evidence: set[tuple[str, str, str]]
) -> float:
    if kind == "in_record":
        record = graph.records[graph.mentions[next(iter(evidence))].record_key]
        meaning = record_weight(
            record.record_type,
            bool(record.indicators),
            record.group_based,
            is_sexual_offence(record.offence_code),
        )
        roles = {graph.mentions[k].role for k in evidence}
        concern = bool(roles & (CONCERN_ROLES | {"victim", "subject"}))
        return meaning * (1.0 if concern else BYSTANDER_ROLE_FACTOR)
    if kind == "at_place":
        place = left if keys.node_kind(left) == keys.PLACE_KIND else right
        return hub_factor(len(graph.neighbours(place)))
    return 1.0 if kind == "carries" else 0.5
