"""Network quality on generated areas with planted groups (truth person ids, then end to end).

    .venv/bin/python bench/network_quality.py [--children 2000] [--seeds 1 2 3] [--end-to-end]

A planted group counts as found when its best-matching output group has Jaccard >= 0.5 over
members; precision counts output groups that match some planted group. Key people: the planted
organiser (rank 1 in truth/key_people.csv) should be in the top 5 of its found group.
Results go to stdout and, with --write, to the "Network intelligence" section of bench/results.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from safehub.extracts import read_extracts
from safehub.network import analyse, build_graph
from safehub.network.analysis import NetworkAnalysis
from safehub.network.graph import NetworkGraph
from safehub.network.model import MentionFact
from safehub.synthetic import generate_area


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def evaluate(
    analysis: NetworkAnalysis,
    truth_groups: Mapping[str, set[str]],
    truth_keys: Mapping[str, list[str]],
    to_true: Mapping[str, str],
    linked: set[str] | None = None,
) -> dict[str, float]:
    found = {g.group_id: {to_true.get(p, p) for p in g.person_ids} for g in analysis.groups}
    best = {
        t: max((jaccard(m, f) for f in found.values()), default=0.0)
        for t, m in truth_groups.items()
    }
    recall = sum(v >= 0.5 for v in best.values()) / max(len(truth_groups), 1)
    matched = sum(any(jaccard(f, m) >= 0.5 for m in truth_groups.values()) for f in found.values())
    precision = matched / max(len(found), 1)
    rank_in_group = _key_ranks(analysis, found, truth_groups, truth_keys, to_true)
    top5 = sum(r is not None and r <= 5 for r in rank_in_group) / max(len(rank_in_group), 1)
    row = {
        "planted": len(truth_groups),
        "found": len(found),
        "recall": recall,
        "precision": precision,
        "key_top5": top5,
    }
    if linked is not None:
        # The generator's key people are drawn from its plan, not its records: a few never share
        # a record or an identifier with anyone of their group, and no method can find them.
        keys = [k for g in truth_groups for k in truth_keys.get(g, [])]
        kept = [r for k, r in zip(keys, rank_in_group, strict=True) if k in linked]
        row["key_unlinked"] = len(keys) - len(kept)
        row["key_top5_linked"] = sum(r is not None and r <= 5 for r in kept) / max(len(kept), 1)
    return row


def linked_keys(
    graph: NetworkGraph,
    truth_groups: Mapping[str, set[str]],
    truth_keys: Mapping[str, list[str]],
    ids: Mapping[tuple[str, str], str],
    truth: Mapping[tuple[str, str], str],
) -> set[str]:
    """Planted key people (true ids) whose records tie them to another member of their group."""
    true_of = {(a, r, p): truth[(a, r)] for (a, r), p in ids.items()}
    found: set[str] = set()
    for group, members in truth_groups.items():
        for key in truth_keys.get(group, []):
            if _tied(graph, key, members - {key}, true_of):
                found.add(key)
    return found


def _tied(
    graph: NetworkGraph, key: str, others: set[str], true_of: Mapping[tuple[str, str, str], str]
) -> bool:
    def true(fact: MentionFact) -> str:
        return true_of[(fact.key[0], fact.key[2], fact.person_id)]

    mine = [f for f in graph.mentions.values() if true(f) == key]
    for fact in mine:
        if any(true(o) in others for o in graph.record_mentions(fact.record_key)):
            return True
        for node in fact.identifiers:
            carriers = {
                graph.mentions[k] for p in graph.neighbours(node) for k in _keys(graph, node, p)
            }
            if any(true(o) in others for o in carriers):
                return True
    return False


def _keys(graph: NetworkGraph, node: str, person: str) -> set[tuple[str, str, str]]:
    edge = graph.edges.get((node, person) if node <= person else (person, node))
    return edge.evidence if edge is not None else set()


def _key_ranks(
    analysis: NetworkAnalysis,
    found: Mapping[str, set[str]],
    truth_groups: Mapping[str, set[str]],
    truth_keys: Mapping[str, list[str]],
    to_true: Mapping[str, str],
) -> list[int | None]:
    overall = {to_true.get(k.person_id, k.person_id): k.rank for k in analysis.key_people}
    ranks: list[int | None] = []
    for group_id, members in truth_groups.items():
        best = max(found.items(), key=lambda f: jaccard(members, f[1]), default=None)
        for key in truth_keys.get(group_id, []):
            if best is None or jaccard(members, best[1]) < 0.5:
                ranks.append(None)
                continue
            in_group = sorted((overall[p], p) for p in best[1] if p in overall)
            position = [p for _, p in in_group]
            ranks.append(position.index(key) + 1 if key in position else None)
    return ranks


def run(
    seed: int, children: int, groups_planted: int | None, end_to_end: bool
) -> list[dict[str, float]]:
    with tempfile.TemporaryDirectory() as folder:
        t0 = time.perf_counter()
        area = generate_area(
            seed=seed, children=children, groups=groups_planted, out_dir=Path(folder)
        )
        gen = time.perf_counter() - t0
        batch = read_extracts(sorted(area.files.values()))
        truth = {(a, r): t for a, r, t in area.people}
        groups: dict[str, set[str]] = {}
        for g, p, _ in area.groups:
            groups.setdefault(g, set()).add(p)
        keys: dict[str, list[str]] = {}
        for g, p, _rank in sorted(area.key_people, key=lambda r: (r[0], r[2])):
            keys.setdefault(g, []).append(p)
        results = []
        resolutions = [("truth ids", truth)]
        if end_to_end:
            from safehub.linkage import resolve_people  # type: ignore[attr-defined]

            t0 = time.perf_counter()
            resolved = resolve_people(batch.mentions).person_ids
            print(f"  linkage {time.perf_counter() - t0:.1f}s", file=sys.stderr)
            resolutions.append(("end to end", resolved))
        for label, ids in resolutions:
            t0 = time.perf_counter()
            graph = build_graph(batch.mentions, ids)
            t1 = time.perf_counter()
            analysis = analyse(graph)
            t2 = time.perf_counter()
            to_true = _to_true(ids, truth)
            tied = linked_keys(graph, groups, keys, ids, truth)
            row = evaluate(analysis, groups, keys, to_true, tied)
            row.update(
                seed=seed,
                children=children,
                rows=len(batch.mentions),
                label=label,
                nodes=graph.node_count(),
                edges=graph.edge_count(),
                build_s=t1 - t0,
                analyse_s=t2 - t1,
                generate_s=gen,
            )
            results.append(row)
        return results


def _to_true(
    ids: Mapping[tuple[str, str], str], truth: Mapping[tuple[str, str], str]
) -> dict[str, str]:
    """Each output person id -> the true person most of its records belong to."""
    votes: dict[str, dict[str, int]] = {}
    for key, pid in ids.items():
        votes.setdefault(pid, {}).setdefault(truth[key], 0)
        votes[pid][truth[key]] += 1
    return {pid: max(v.items(), key=lambda kv: (kv[1], kv[0]))[0] for pid, v in votes.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=2000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--groups", type=int, default=None, help="planted groups per area")
    parser.add_argument("--end-to-end", action="store_true")
    args = parser.parse_args()
    for seed in args.seeds:
        for row in run(seed, args.children, args.groups, args.end_to_end):
            print(
                " ".join(
                    f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()
                )
            )


if __name__ == "__main__":
    main()
