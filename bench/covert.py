"""Shared by the covert-network checks (CAVIAR, the 9/11 network): ties become records.

A tie between two people becomes one format-v1 intelligence record naming both, under neutral
pseudonyms from a seeded shuffle (names play no part in a network's structure, and a shuffle keeps
ties broken by person id from favouring low node numbers). The records then go through the
ordinary reader, graph and analysis; the baselines are plain degree and betweenness on the tie
graph.
"""

from __future__ import annotations

import csv
import random
import tempfile
import time
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import networkx as nx

from safehub.extracts import read_extracts
from safehub.extracts.codes import REQUIRED_COLUMNS
from safehub.network import analyse, build_graph
from safehub.network.analysis import NetworkAnalysis


@dataclass(frozen=True)
class Tie:
    a: Hashable
    b: Hashable
    day: date
    role_a: str = "suspect"
    role_b: str = "suspect"


@dataclass(frozen=True)
class CovertResult:
    analysis: NetworkAnalysis
    rows: int
    nodes: int
    edges: int
    seconds: float

    def ranks(self, names: Mapping[Hashable, str]) -> dict[Hashable, int]:
        rank_of = {k.person_id: k.rank for k in self.analysis.key_people}
        return {node: rank_of[name] for node, name in names.items() if name in rank_of}

    def reasons(self, name: str) -> str:
        return next(k.reasons for k in self.analysis.key_people if k.person_id == name)


def pseudonyms(nodes: Iterable[Hashable], prefix: str, seed: int = 7) -> dict[Hashable, str]:
    ordered = sorted(nodes, key=_order)
    numbers = list(range(1, len(ordered) + 1))
    random.Random(seed).shuffle(numbers)
    return {node: f"{prefix}{n:03d}" for node, n in zip(ordered, numbers, strict=True)}


def _order(node: Hashable) -> tuple[int, int, str]:
    """Node numbers in numeric order, names after them in text order."""
    return (0, node, "") if isinstance(node, int) else (1, 0, str(node))


def write_ties(ties: list[Tie], names: Mapping[Hashable, str], agency: str, path: Path) -> Path:
    """Each tie as one format-v1 intelligence record naming both people (no date of birth, no
    identifier: the sparse input a newcomer's data may be)."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow((*REQUIRED_COLUMNS, "family_name"))
        for n, tie in enumerate(ties):
            record = f"T-{n:05d}"
            for node, role in ((tie.a, tie.role_a), (tie.b, tie.role_b)):
                writer.writerow(
                    (
                        agency,
                        "police",
                        record,
                        "intelligence",
                        tie.day.isoformat(),
                        names[node],
                        role,
                        names[node],
                    )
                )
    return path


def analyse_ties(ties: list[Tie], names: Mapping[Hashable, str], agency: str) -> CovertResult:
    with tempfile.TemporaryDirectory() as folder:
        path = write_ties(ties, names, agency, Path(folder) / "ties.csv")
        batch = read_extracts([path])
    t0 = time.perf_counter()
    graph = build_graph(batch.mentions, {m.person_key: m.person_ref for m in batch.mentions})
    analysis = analyse(graph)
    return CovertResult(
        analysis,
        len(batch.mentions),
        graph.node_count(),
        graph.edge_count(),
        time.perf_counter() - t0,
    )


def baseline_ranks(pairs: Iterable[tuple[Hashable, Hashable]]) -> dict[str, dict[Hashable, int]]:
    """Degree and betweenness on the tie graph, for comparison."""
    graph = nx.Graph()
    graph.add_edges_from(pairs)
    result = {}
    for label, scores in (
        ("degree", dict(graph.degree())),
        ("betweenness", nx.betweenness_centrality(graph)),
    ):
        order = sorted(scores, key=lambda n: (-scores[n], _order(n)))
        result[label] = {node: i for i, node in enumerate(order, start=1)}
    return result
