"""Structure check on CAVIAR (Morselli): where do the 23 known key players rank?

    .venv/bin/python bench/network_caviar.py

Reads ../shared/data/caviar/ (relative to the repository; says so and stops when absent). The
11 wiretap phases become format-v1 intelligence records: one record per pair of people who spoke
in a phase, dated at the phase start, both named (traffickers as suspect, the others as
associate), everyone under a neutral pseudonym from a seeded shuffle (so that ties broken by
person id cannot favour low node numbers). Nobody is a child, so no group meets the exploitation
rule: the check is the key-people ranking alone.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import networkx as nx

from safehub.extracts import read_extracts
from safehub.network import analyse, build_graph

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "caviar"
HEADER = (
    "agency_code",
    "agency_type",
    "record_id",
    "record_type",
    "record_date",
    "person_ref",
    "person_role",
)


def phase_pairs() -> dict[int, dict[tuple[int, int], int]]:
    """Per phase, undirected pairs of node ids and their number of calls (self-calls dropped)."""
    phases: dict[int, dict[tuple[int, int], int]] = {}
    for phase in range(1, 12):
        with (DATA / f"phase{phase}.csv").open(newline="") as handle:
            rows = list(csv.reader(handle))
        ids = [int(x) for x in rows[0][1:]]
        pairs: dict[tuple[int, int], int] = {}
        for line in rows[1:]:
            src = int(line[0])
            for dst, cell in zip(ids, line[1:], strict=True):
                if src != dst and int(float(cell)) > 0:
                    key = (min(src, dst), max(src, dst))
                    pairs[key] = pairs.get(key, 0) + int(float(cell))
        phases[phase] = pairs
    return phases


def pseudonyms(nodes: list[int], seed: int = 7) -> dict[int, str]:
    order = list(range(1, len(nodes) + 1))
    random.Random(seed).shuffle(order)
    return {node: f"CV{number:03d}" for node, number in zip(sorted(nodes), order, strict=True)}


def write_records(
    path: Path, phases: dict[int, dict[tuple[int, int], int]], names: dict[int, str]
) -> None:
    start = date(1994, 1, 1)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for phase, pairs in sorted(phases.items()):
            day = (start + timedelta(days=61 * (phase - 1))).isoformat()
            for n, (a, b) in enumerate(sorted(pairs)):
                record = f"WT-{phase:02d}-{n:04d}"
                for node in (a, b):
                    role = "suspect" if node <= 82 else "associate"
                    writer.writerow(
                        ("POL-CAV", "police", record, "intelligence", day, names[node], role)
                    )


def key_players() -> dict[int, str]:
    with (DATA / "key_players.csv").open(newline="") as handle:
        return {int(r["node_id"]): r["name"] for r in csv.DictReader(handle)}


def baseline_ranks(phases: dict[int, dict[tuple[int, int], int]]) -> dict[str, dict[int, int]]:
    """Degree and betweenness on the aggregated graph, for comparison."""
    graph = nx.Graph()
    for pairs in phases.values():
        graph.add_edges_from(pairs)
    result = {}
    for label, scores in (
        ("degree", dict(graph.degree())),
        ("betweenness", nx.betweenness_centrality(graph)),
    ):
        order = sorted(scores, key=lambda n: (-scores[n], n))
        result[label] = {node: i for i, node in enumerate(order, start=1)}
    return result


def main() -> None:
    if not DATA.exists():
        print(f"CAVIAR data not found at {DATA} (needs ../shared/data/caviar); skipped.")
        sys.exit(0)
    phases = phase_pairs()
    nodes = sorted({n for pairs in phases.values() for pair in pairs for n in pair})
    names = pseudonyms(nodes)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "caviar.csv"
        write_records(path, phases, names)
        batch = read_extracts([path])
    t0 = time.perf_counter()
    graph = build_graph(batch.mentions, {m.person_key: m.person_ref for m in batch.mentions})
    result = analyse(graph)
    elapsed = time.perf_counter() - t0
    rank_of = {k.person_id: k.rank for k in result.key_people}
    reasons = {k.person_id: k.reasons for k in result.key_people}
    keys = key_players()
    ours = {node: rank_of[names[node]] for node in keys}
    base = baseline_ranks(phases)
    print(
        f"CAVIAR: {len(nodes)} people, {len(batch.mentions)} rows, "
        f"{graph.node_count()} nodes, {graph.edge_count()} edges; analysis {elapsed:.2f}s; "
        f"{len(result.groups)} groups (no children in this data)"
    )
    for label, ranks in (
        ("safehub", ours),
        *((k, {n: v[n] for n in keys}) for k, v in base.items()),
    ):
        values = sorted(ranks.values())
        print(
            f"{label:12s} key players in top 10: {sum(r <= 10 for r in values)}, "
            f"top 23: {sum(r <= 23 for r in values)}, n1 Serero rank {ranks[1]}, "
            f"n3 rank {ranks[3]}, n12 rank {ranks[12]}, median rank {values[len(values) // 2]}"
        )
    print("\nrank node name (safehub rank; reasons)")
    for node, rank in sorted(ours.items(), key=lambda kv: kv[1]):
        print(f"{rank:4d} n{node:<4d} {keys[node]:22s} {reasons[names[node]]}")


if __name__ == "__main__":
    main()
