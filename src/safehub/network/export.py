"""Analyst exports of a subgraph: GraphML (for link-chart tools) and CSV (nodes and edges).

These are disclosures: the caller logs each one with its recipients. Restricted people (refuge,
protected address) are never exported, nor is anything reached only through them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

from safehub.network import keys
from safehub.network.graph import NetworkGraph

NODE_HEADER = ("node", "kind", "label")
EDGE_HEADER = ("source", "target", "kind", "roles", "agencies", "first_date", "last_date", "rows")


def subgraph(graph: NetworkGraph, seeds: Iterable[str], hops: int = 2) -> list[str]:
    """Node keys within ``hops`` of the seeds (node keys or person ids), restricted people left out.

    Two hops reach a person's records and identifiers and the other people in them.
    """
    hidden = _restricted_people(graph)
    frontier = {s if ":" in s else keys.person_node(s) for s in seeds} - hidden
    frontier &= set(graph.adjacency)
    seen = set(frontier)
    for _ in range(hops):
        frontier = {n for node in frontier for n in graph.neighbours(node)} - seen - hidden
        seen |= frontier
    return sorted(seen)


def to_networkx(graph: NetworkGraph, nodes: Iterable[str]) -> nx.Graph:
    """The subgraph on ``nodes`` as a networkx graph with string attributes (GraphML-safe)."""
    chosen = set(nodes) - _restricted_people(graph)
    result = nx.Graph()
    for node in sorted(chosen):
        result.add_node(node, kind=keys.node_kind(node), label=keys.node_value(node))
    for row in _edge_rows(graph, chosen):
        source, target, *attributes = row
        result.add_edge(source, target, **dict(zip(EDGE_HEADER[2:], attributes, strict=True)))
    return result


def write_graphml(graph: NetworkGraph, nodes: Iterable[str], path: Path) -> Path:
    nx.write_graphml(to_networkx(graph, nodes), path)
    return path


def write_csv(graph: NetworkGraph, nodes: Iterable[str], out_dir: Path) -> tuple[Path, Path]:
    """``nodes.csv`` and ``edges.csv`` of the subgraph, sorted."""
    chosen = set(nodes) - _restricted_people(graph)
    out_dir.mkdir(parents=True, exist_ok=True)
    node_rows = [(n, keys.node_kind(n), keys.node_value(n)) for n in sorted(chosen)]
    return (
        _write(out_dir / "nodes.csv", NODE_HEADER, node_rows),
        _write(out_dir / "edges.csv", EDGE_HEADER, _edge_rows(graph, chosen)),
    )


def _edge_rows(graph: NetworkGraph, chosen: set[str]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for (a, b), edge in sorted(graph.edges.items()):
        if a not in chosen or b not in chosen:
            continue
        facts = [graph.mentions[k] for k in sorted(edge.evidence)]
        roles = sorted({f.role for f in facts}) if edge.kind != "at_place" else []
        dates = sorted(f.record_date.isoformat() for f in facts)
        agencies = sorted({f.agency_code for f in facts})
        rows.append(
            (
                a,
                b,
                edge.kind,
                ";".join(roles),
                ";".join(agencies),
                dates[0],
                dates[-1],
                str(len(facts)),
            )
        )
    return rows


def _restricted_people(graph: NetworkGraph) -> set[str]:
    return {keys.person_node(f.person_id) for f in graph.mentions.values() if f.restricted}


def _write(path: Path, header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path
