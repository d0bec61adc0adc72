"""Speed of the network engine: whole-graph analysis at 1M nodes / 5M edges, and alerts per record.

    .venv/bin/python bench/network_bench.py [--nodes 1000000 --edges 5000000] [--skip-alerts]

1. Scale: a generated graph (numpy, seeded) of people, records and identifiers/places with the
   given numbers of nodes and edges, and its concern table (adults of concern and child victims in
   records, identifiers and places). Timed: whole-graph components + Leiden + k-cores, then the
   concern analysis (links, groups, betweenness per candidate group, ranking with reasons).
   Peak memory by resource.getrusage.
2. Alerts: a synthetic area (safehub.synthetic); 300 records (a seeded sample) are held back, the rest
   analysed once; then each held-back record's alerts are computed and the record added with
   ``add_mentions``. Reports p50/p95 per record.
3. Incremental re-analysis: a larger area (``--incremental-children``, 100,000 children: about
   500,000 rows); 20 records held back, then each added and the graph re-analysed with the concern
   index kept beside it (what the network job does), against a rebuild for the first 5 (checked
   equal: the bench stops if they differ).
"""

from __future__ import annotations

import argparse
import platform
import random
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from safehub.network.analysis import analyse_table
from safehub.network.concern import KIND_CODE, ConcernTable
from safehub.network.people import CHILD_VICTIM, CONCERN
from safehub.network.whole import summarise_arrays


def generated_graph(
    nodes: int, edges: int, seed: int = 1
) -> tuple[dict[str, object], ConcernTable]:
    """People 40%, records 40%, identifiers and places 20% of the nodes; edges person-record
    (60%), person-identifier (32%) and record-place (8%), endpoints drawn with a skew so that
    some records, phones and places are busy hubs."""
    rng = np.random.default_rng(seed)
    n_people, n_records = int(nodes * 0.4), int(nodes * 0.4)
    n_ctx = nodes - n_people - n_records
    n_pr, n_pi = int(edges * 0.6), int(edges * 0.32)
    n_rp = edges - n_pr - n_pi
    pr_p = rng.integers(0, n_people, n_pr)
    pr_r = _skewed(rng, n_records, n_pr)
    pi_p = rng.integers(0, n_people, n_pi)
    pi_i = _skewed(rng, n_ctx, n_pi)
    rp_r = rng.integers(0, n_records, n_rp)
    rp_i = _skewed(rng, n_ctx, n_rp)
    record0, ctx0 = n_people, n_people + n_records
    a = np.concatenate([pr_p, pi_p, record0 + rp_r])
    b = np.concatenate([record0 + pr_r, ctx0 + pi_i, ctx0 + rp_i])
    w = np.concatenate([rng.uniform(0.2, 2.0, n_pr), np.ones(n_pi), np.full(n_rp, 0.5)])
    # Deduplicate (a, b) pairs: the graph has one edge per pair.
    key = np.unique(a.astype(np.int64) * nodes + b, return_index=True)[1]
    whole = {"n": nodes, "a": a[key], "b": b[key], "w": w[key]}
    return whole, _concern_table(
        rng, n_people, n_records, n_ctx, pr_p, pr_r, pi_p, pi_i, rp_r, rp_i
    )


def _skewed(rng: np.random.Generator, size: int, count: int) -> np.ndarray:
    """Mostly uniform, with a tail of busy hubs (Zipf-like) as in agency data."""
    uniform = rng.integers(0, size, count)
    hubs = np.minimum(rng.zipf(1.6, count) - 1, size - 1)
    return np.where(rng.random(count) < 0.1, hubs, uniform)


def _concern_table(
    rng: np.random.Generator,
    n_people: int,
    n_records: int,
    n_ctx: int,
    pr_p: np.ndarray,
    pr_r: np.ndarray,
    pi_p: np.ndarray,
    pi_i: np.ndarray,
    rp_r: np.ndarray,
    rp_i: np.ndarray,
) -> ConcernTable:
    kind = rng.random(n_people)
    concern = kind < 0.08
    child = (kind >= 0.08) & (kind < 0.28)
    # A person is of concern (or a victim) in some of their records only.
    in_role = rng.random(len(pr_p)) < 0.5
    cls = np.where(
        concern[pr_p] & in_role, CONCERN, np.where(child[pr_p] & in_role, CHILD_VICTIM, 0)
    )
    days = rng.integers(18000, 20500, n_records)
    place_of = np.full(n_records, -1)
    place_of[rp_r] = rp_i
    rec_rows = np.flatnonzero(cls > 0)
    rec_ctx = pr_r[rec_rows]
    with_place = rec_rows[place_of[rec_ctx] >= 0]
    ident_owner = np.where(concern[pi_p], CONCERN, np.where(child[pi_p], CHILD_VICTIM, 0))
    id_rows = np.flatnonzero(ident_owner > 0)
    row_person = np.concatenate([pr_p[rec_rows], pr_p[with_place], pi_p[id_rows]])
    row_context = np.concatenate(
        [rec_ctx, n_records + place_of[pr_r[with_place]], n_records + pi_i[id_rows]]
    )
    row_class = np.concatenate([cls[rec_rows], cls[with_place], ident_owner[id_rows]])
    row_day = np.concatenate(
        [days[rec_ctx], days[pr_r[with_place]], rng.integers(18000, 20500, len(id_rows))]
    )
    weight = rng.choice([0.7, 1.0, 1.5, 2.0], n_records)
    row_weight = np.concatenate([weight[rec_ctx], weight[pr_r[with_place]], np.ones(len(id_rows))])
    ctx_kind = np.concatenate(
        [
            np.full(n_records, KIND_CODE["record"]),
            rng.choice(
                [KIND_CODE[k] for k in ("place", "vehicle", "phone", "address", "handle")], n_ctx
            ),
        ]
    )
    # People touching a context: carriers of an identifier, or people in the records at a place.
    per_record = np.bincount(pr_r, minlength=n_records)
    at_places = np.bincount(rp_i, weights=per_record[rp_r], minlength=n_ctx).astype(np.int64)
    degree = np.concatenate([per_record, np.bincount(pi_i, minlength=n_ctx) + at_places])
    agencies = np.array(["POL-A", "LA-A", "NHS-A", "EDU-A"], dtype=object)
    return ConcernTable(
        person_ids=[f"P{i:07d}" for i in range(n_people)],
        concern=concern,
        child_victim=child,
        suspect=concern & (rng.random(n_people) < 0.7),
        intelligence_subject=np.zeros(n_people, dtype=bool),
        named=np.ones(n_people, dtype=bool),
        contexts=[f"c{i}" for i in range(n_records + n_ctx)],
        context_kind=ctx_kind.astype(np.int64),
        context_degree=degree.astype(np.int64),
        context_agency=list(agencies[rng.integers(0, 4, n_records)]) + [""] * n_ctx,
        context_area=["E08000032"] * n_records + [""] * n_ctx,
        context_contact=np.concatenate([rng.random(n_records) < 0.4, np.zeros(n_ctx, bool)]),
        context_licensed=np.zeros(n_records + n_ctx, dtype=np.int64),
        row_person=row_person.astype(np.int64),
        row_context=row_context.astype(np.int64),
        row_class=row_class.astype(np.int64),
        row_day=row_day.astype(np.int64),
        row_weight=row_weight.astype(np.float64),
    )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale(nodes: int, edges: int) -> dict[str, float]:
    t0 = time.perf_counter()
    whole, table = generated_graph(nodes, edges)
    t1 = time.perf_counter()
    names = [f"n{i}" for i in range(int(whole["n"]))]  # type: ignore[call-overload]
    summary = summarise_arrays(names, whole["a"], whole["b"], whole["w"], seed=1)  # type: ignore[arg-type]
    t2 = time.perf_counter()
    result = analyse_table(table, seed=1)
    t3 = time.perf_counter()
    return {
        "generate_s": t1 - t0,
        "edges": float(len(whole["a"])),  # type: ignore[arg-type]
        "whole_graph_s": t2 - t1,
        "concern_s": t3 - t2,
        "total_analysis_s": t3 - t1,
        "communities": float(summary.community.max() + 1),
        "concern_rows": float(len(table.row_person)),
        "groups": float(len(result.groups)),
        "ranked": float(len(result.key_people)),
        "peak_mb": peak_mb(),
    }


def alerts(children: int, held_back: int = 300) -> dict[str, float]:
    from safehub.extracts import read_extracts
    from safehub.network import analyse, build_graph
    from safehub.network.alerts import AlertIndex, alerts_for_record
    from safehub.synthetic import generate_area

    with tempfile.TemporaryDirectory() as folder:
        area = generate_area(seed=3, children=children, out_dir=Path(folder))
        batch = read_extracts(sorted(area.files.values()))
    ids = {(a, r): t for a, r, t in area.people}
    records = sorted({m.record_key for m in batch.mentions})
    # A seeded sample, so that group, missing-episode and licence records are among them.
    new_keys = set(random.Random(5).sample(records, held_back))
    old = [m for m in batch.mentions if m.record_key not in new_keys]
    graph = build_graph(old, ids)
    t0 = time.perf_counter()
    analysis = analyse(graph)
    index = AlertIndex.build(graph, analysis)
    analyse_s = time.perf_counter() - t0
    by_record: dict[tuple[str, str], list] = {}
    for mention in batch.mentions:
        if mention.record_key in new_keys:
            by_record.setdefault(mention.record_key, []).append(mention)
    times, raised = [], 0
    for key in sorted(by_record, key=lambda k: (k[1], k[0])):
        start = time.perf_counter()
        raised += len(alerts_for_record(graph, analysis, by_record[key], ids, index))
        graph.add_mentions(by_record[key], ids)
        times.append(time.perf_counter() - start)
    ms = np.array(times) * 1000
    return {
        "rows": float(len(batch.mentions)),
        "nodes": float(graph.node_count()),
        "edges": float(graph.edge_count()),
        "analyse_s": analyse_s,
        "records": float(len(times)),
        "alerts": float(raised),
        "p50_ms": float(np.percentile(ms, 50)),
        "p95_ms": float(np.percentile(ms, 95)),
        "max_ms": float(ms.max()),
    }


def incremental(children: int, new_records: int = 20, compared: int = 5) -> dict[str, float]:
    """Re-analysis after each new record: the concern index kept beside the graph (what the
    network job does) against a rebuild of the concern table; the first ``compared`` results
    are checked equal."""
    from safehub.extracts import read_extracts
    from safehub.network import analyse, build_graph
    from safehub.network.concern_index import ConcernIndex
    from safehub.synthetic import generate_area

    with tempfile.TemporaryDirectory() as folder:
        area = generate_area(seed=3, children=children, out_dir=Path(folder))
        batch = read_extracts(sorted(area.files.values()))
    ids = {(a, r): t for a, r, t in area.people}
    records = sorted({m.record_key for m in batch.mentions})
    new_keys = random.Random(7).sample(records, new_records)
    held = set(new_keys)
    graph = build_graph([m for m in batch.mentions if m.record_key not in held], ids)
    index = ConcernIndex()
    t0 = time.perf_counter()
    analyse(graph, index=index)
    first_s = time.perf_counter() - t0
    by_record: dict[tuple[str, str], list] = {}
    for mention in batch.mentions:
        if mention.record_key in held:
            by_record.setdefault(mention.record_key, []).append(mention)
    kept, rebuilt, redone = [], [], []
    for n, key in enumerate(new_keys):
        graph.add_mentions(by_record[key], ids)
        start = time.perf_counter()
        result = analyse(graph, index=index)
        kept.append(time.perf_counter() - start)
        redone.append(index.redone)
        if n < compared:
            start = time.perf_counter()
            fresh = analyse(graph)
            rebuilt.append(time.perf_counter() - start)
            if fresh != result:
                raise SystemExit("incremental analysis differs from a rebuild")
    # What the index holds beside the graph, measured last (tracing slows what it traces).
    tracemalloc.start()
    fresh_index = ConcernIndex()
    fresh_index.people(graph)
    fresh_index._built = None  # the last table is the analysis's, not the index's
    held_mib = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    return {
        "rows": float(len(batch.mentions)),
        "people": float(len(index.people(graph))),
        "index_held_mib": held_mib,
        "first_analysis_s": first_s,
        "kept_p50_s": float(np.percentile(kept, 50)),
        "kept_p95_s": float(np.percentile(kept, 95)),
        "rebuilt_p50_s": float(np.percentile(rebuilt, 50)),
        "people_redone_p50": float(np.percentile(redone, 50)),
        "peak_mb": peak_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=5_000_000)
    parser.add_argument("--children", type=int, default=20_000)
    parser.add_argument("--skip-alerts", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--incremental-children", type=int, default=100_000)
    parser.add_argument("--skip-incremental", action="store_true")
    args = parser.parse_args()
    print(
        f"machine: {platform.node()}, Python {platform.python_version()}, "
        f"{len(__import__('os').sched_getaffinity(0))} cores"
    )
    if not args.skip_scale:
        result = scale(args.nodes, args.edges)
        print(
            f"scale {args.nodes:,} nodes / {args.edges:,} edges: "
            + ", ".join(f"{k}={v:.1f}" for k, v in result.items())
        )
    if not args.skip_alerts:
        result = alerts(args.children)
        print("alerts: " + ", ".join(f"{k}={v:.1f}" for k, v in result.items()))
    if not args.skip_incremental:
        result = incremental(args.incremental_children)
        print("incremental: " + ", ".join(f"{k}={v:.2f}" for k, v in result.items()))


if __name__ == "__main__":
    main()
