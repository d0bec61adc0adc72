"""Graph libraries compared on generated graphs: why safehub's network engine uses networkit.

    .venv/bin/python bench/graph_libraries_bench.py [--no-write]
    .venv/bin/python bench/graph_libraries_bench.py --nodes 1000000 --edges 4500000 --skip-networkx --small-nodes 5000

A seeded random undirected graph is made with numpy (default 200,000 nodes, 900,000 edges drawn,
duplicates removed): people, records and identifiers/places, the record or identifier end drawn
from a Zipf tail a tenth of the time so that some are busy hubs, as in agency data; and a smaller
graph of the same shape (``--small-nodes``). On the same edge arrays networkit, rustworkx and
networkx are timed (time.perf_counter) one after another: construction from the arrays,
connected components, k-core numbers, community detection (Leiden, Louvain; modularity computed
by one formula for every partition), betweenness estimated from ``--samples`` sampled sources,
and, on the smaller graph, Louvain, sampled and exact betweenness (rustworkx has only exact).
networkit uses every core. The slow steps (networkx Louvain and sampled betweenness, exact
betweenness) run in a spawned worker that builds its own graph untimed and is stopped after
``--timeout-s``. igraph is GPL and cannot be installed in this MIT project: the architects' igraph
numbers are in ../shared/docs/architecture.md. The run goes into bench/results.md (one block per
graph size) unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import re
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

import networkit as nk
import networkx as nx
import numpy as np
import numpy.typing as npt
import rustworkx as rx
from results_file import RESULTS, machine, replace_section  # bench/ is on sys.path

IntArray = npt.NDArray[np.int64]
HEADING = "Graph libraries (why networkit)"
LIBRARIES = ("networkit", "rustworkx", "networkx")


def generated_edges(nodes: int, edges: int, seed: int) -> tuple[IntArray, IntArray]:
    """People (40% of nodes) to records (40%) for 60% of the edges, people to identifiers and
    places (20%) for 32%, records to places for 8%; one edge per pair."""
    rng = np.random.default_rng(seed)
    people, records = int(nodes * 0.4), int(nodes * 0.4)
    kind = rng.random(edges)
    to_record = kind < 0.6
    a = np.where(
        kind < 0.92, rng.integers(0, people, edges), people + rng.integers(0, records, edges)
    )
    size = np.where(to_record, records, nodes - people - records)
    hub = np.minimum(rng.zipf(1.6, edges) - 1, size - 1)
    end = np.where(rng.random(edges) < 0.1, hub, (rng.random(edges) * size).astype(np.int64))
    b = np.where(to_record, people, people + records) + end
    pairs = np.unique(a.astype(np.int64) * nodes + b)
    return pairs // nodes, pairs % nodes


def modularity(n: int, a: IntArray, b: IntArray, labels: IntArray) -> float:
    """Newman modularity of a partition of the unweighted graph (the same formula for all)."""
    m = len(a)
    degree = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    per_community = np.bincount(labels, weights=degree)
    return float(
        np.count_nonzero(labels[a] == labels[b]) / m - np.sum((per_community / (2 * m)) ** 2)
    )


def nk_graph(n: int, a: IntArray, b: IntArray) -> nk.Graph:
    return nk.graph.GraphFromCoo((a, b), n=n)


def rx_graph(n: int, a: IntArray, b: IntArray) -> rx.PyGraph:
    graph = rx.PyGraph(node_count_hint=n, edge_count_hint=len(a))
    graph.add_nodes_from(range(n))
    graph.add_edges_from_no_data(list(zip(a.tolist(), b.tolist(), strict=True)))
    return graph


def nx_graph(n: int, a: IntArray, b: IntArray) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(zip(a.tolist(), b.tolist(), strict=True))
    return graph


def nx_louvain(graph: nx.Graph, seed: int) -> IntArray:
    labels = np.zeros(graph.number_of_nodes(), dtype=np.int64)
    for label, members in enumerate(nx.community.louvain_communities(graph, seed=seed)):
        labels[list(members)] = label
    return labels


def nx_sampled_betweenness(graph: nx.Graph, samples: int) -> None:
    nx.betweenness_centrality(graph, k=samples, seed=1)


def rx_exact_betweenness(graph: rx.PyGraph, _: int) -> None:
    rx.betweenness_centrality(graph)


def nk_exact_betweenness(graph: nk.Graph, _: int) -> None:
    nk.centrality.Betweenness(graph).run()


# Steps run in a spawned worker: (graph builder, step); the step gets the graph and an argument.
WORKER_STEPS: dict[str, tuple[Callable[..., Any], Callable[[Any, int], Any]]] = {
    "nx_louvain": (nx_graph, nx_louvain),
    "nx_betweenness": (nx_graph, nx_sampled_betweenness),
    "rx_exact": (rx_graph, rx_exact_betweenness),
    "nk_exact": (nk_graph, nk_exact_betweenness),
}


def _worker(step: str, n: int, a: IntArray, b: IntArray, arg: int, send: Connection) -> None:
    nk.setNumberOfThreads(os.cpu_count() or 1)
    build, run = WORKER_STEPS[step]
    graph = build(n, a, b)
    send.send("built")
    start = time.perf_counter()
    result = run(graph, arg)
    send.send((time.perf_counter() - start, result))


def in_worker(
    step: str, n: int, a: IntArray, b: IntArray, arg: int, timeout: float
) -> tuple[float, Any] | None:
    """(seconds, result) of ``step`` in a fresh process, or None if it ran past ``timeout``."""
    context = mp.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_worker, args=(step, n, a, b, arg, send), daemon=True)
    process.start()
    send.close()
    try:
        receive.recv()  # the graph is built: not timed
        return receive.recv() if receive.poll(timeout) else None
    finally:
        process.kill()
        process.join()


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def basics(
    library: str,
    build: Callable[[], Any],
    components: Callable[[Any], int],
    cores: Callable[[Any], dict[Any, float]],
    row: Callable[[str, str, str], None],
    checks: dict[str, set[str]],
) -> None:
    """Build, connected components and k-core numbers of one library, timed and cross-checked."""
    spent, g = timed(build)
    row("build from edge arrays", library, seconds(spent))
    spent, count = timed(lambda: components(g))
    checks["components"].add(f"{count:,}")
    row("connected components", library, seconds(spent))
    spent, numbers = timed(lambda: cores(g))
    checks["maximum core"].add(f"{max(numbers.values()):.0f}")
    row("k-core numbers", library, seconds(spent))


def seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 0.1 else f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def communities_cell(spent: float, n: int, a: IntArray, b: IntArray, labels: IntArray) -> str:
    found = len(np.unique(labels))
    return f"{seconds(spent)} (Q {modularity(n, a, b, labels):.3f}, {found:,} communities)"


def nk_louvain(graph: nk.Graph, seed: int) -> tuple[float, IntArray]:
    nk.engineering.setSeed(seed, False)
    plm = nk.community.PLM(graph)
    spent, _ = timed(plm.run)
    return spent, np.asarray(plm.getPartition().getVector(), dtype=np.int64)


def measure(args: argparse.Namespace) -> tuple[str, list[str]]:
    """Run every step; return the markdown table and notes."""
    threads = os.cpu_count() or 1
    nk.setNumberOfThreads(threads)
    n, samples, limit, seed = args.nodes, args.samples, args.timeout_s, args.seed
    a, b = generated_edges(n, args.edges, seed)
    small_n = args.small_nodes
    small_a, small_b = generated_edges(small_n, args.edges * small_n // n, seed)
    small = (small_n, small_a, small_b)
    stopped = f"> {limit:.0f} s (stopped)"
    sampled = f"betweenness, {samples} sampled sources"
    on_small = f"{small_n:,} nodes / {len(small_a):,} edges"
    rows: dict[str, dict[str, str]] = {}
    checks: dict[str, set[str]] = {"components": set(), "maximum core": set()}

    def row(step: str, library: str, cell: str) -> None:
        rows.setdefault(step, dict.fromkeys(LIBRARIES, "not available"))[library] = cell
        print(f"{library:10} {step}: {cell}", file=sys.stderr, flush=True)

    def worker(step: str, graph: tuple[int, IntArray, IntArray], arg: int) -> str:
        done = in_worker(step, *graph, arg, limit)
        if done is None:
            return stopped
        return communities_cell(done[0], *graph, done[1]) if "louvain" in step else seconds(done[0])

    # networkit
    spent, g = timed(lambda: nk_graph(n, a, b))
    row("build from edge arrays", "networkit", seconds(spent))
    spent, cc = timed(lambda: nk.components.ConnectedComponents(g).run())
    checks["components"].add(f"{cc.numberOfComponents():,}")
    row("connected components", "networkit", seconds(spent))
    spent, cores = timed(lambda: nk.centrality.CoreDecomposition(g).run().scores())
    checks["maximum core"].add(f"{max(cores):.0f}")
    row("k-core numbers", "networkit", seconds(spent))
    for label, workers in ((f"Leiden, {threads} threads", threads), ("Leiden, 1 thread", 1)):
        nk.setNumberOfThreads(workers)
        nk.engineering.setSeed(seed, False)
        leiden = nk.community.ParallelLeiden(g, randomize=True, iterations=3)
        spent, _ = timed(leiden.run)
        labels = np.asarray(leiden.getPartition().getVector(), dtype=np.int64)
        row(label, "networkit", communities_cell(spent, n, a, b, labels))
    nk.setNumberOfThreads(threads)
    spent, labels = nk_louvain(g, seed)
    row("Louvain", "networkit", communities_cell(spent, n, a, b, labels))
    estimate = nk.centrality.EstimateBetweenness(g, samples, normalized=False, parallel=True)
    row(sampled, "networkit", seconds(timed(estimate.run)[0]))
    g = nk_graph(*small)
    spent, labels = nk_louvain(g, seed)
    row(f"Louvain, {on_small}", "networkit", communities_cell(spent, *small, labels))
    estimate = nk.centrality.EstimateBetweenness(g, samples, normalized=False, parallel=True)
    row(f"{sampled}, {on_small}", "networkit", seconds(timed(estimate.run)[0]))
    row(f"exact betweenness, {on_small}", "networkit", worker("nk_exact", small, 0))

    # rustworkx
    basics(
        "rustworkx",
        lambda: rx_graph(n, a, b),
        lambda g: len(rx.connected_components(g)),
        rx.core_number,
        row,
        checks,
    )
    row(sampled, "rustworkx", "not available (exact only)")
    row(f"{sampled}, {on_small}", "rustworkx", "not available (exact only)")
    row(f"exact betweenness, {on_small}", "rustworkx", worker("rx_exact", small, 0))

    # networkx
    if args.skip_networkx:
        for step in rows:
            row(step, "networkx", "skipped (--skip-networkx)")
    else:
        basics(
            "networkx",
            lambda: nx_graph(n, a, b),
            nx.number_connected_components,
            nx.core_number,
            row,
            checks,
        )
        row("Louvain", "networkx", worker("nx_louvain", (n, a, b), seed))
        row(sampled, "networkx", worker("nx_betweenness", (n, a, b), samples))
        row(f"Louvain, {on_small}", "networkx", worker("nx_louvain", small, seed))
        row(f"{sampled}, {on_small}", "networkx", worker("nx_betweenness", small, samples))
        row(f"exact betweenness, {on_small}", "networkx", "not run (slower than sampled)")

    table = ["| step | " + " | ".join(LIBRARIES) + " |", "|---|---|---|---|"]
    table += [
        f"| {step} | " + " | ".join(cells[lib] for lib in LIBRARIES) + " |"
        for step, cells in rows.items()
    ]
    notes = [
        f"{name.capitalize()} on the full graph: {' / '.join(sorted(found))} (the libraries agree)"
        if len(found) == 1
        else f"{name.capitalize()} DIFFER: {', '.join(sorted(found))}"
        for name, found in checks.items()
    ]
    graph = (
        f"Graph: {n:,} nodes, {len(a):,} edges after removing duplicates (seed {seed}); the "
        f"smaller graph of the same shape: {on_small}. networkit with {threads} threads."
    )
    return "\n".join(table), [graph, *notes]


INTRO = """Run `bench/graph_libraries_bench.py` (its docstring says what is measured). Each run
generates a graph (people, records, identifiers and places with Zipf hubs, unweighted) and a
graph of the same shape a tenth as large or smaller; every library gets the same edge arrays,
timed with time.perf_counter, one library after another. networkit uses every core; Q is
modularity, computed by one formula for every partition. Leiden and Louvain are networkit's
`ParallelLeiden` (3 iterations, as `safehub.network.nkutil` runs it, single-threaded there for
reproducible output) and `PLM`; networkx has no Leiden of its own (`leiden_communities` only
dispatches to other backends) and rustworkx has no community detection, nor sampled betweenness.
networkx Louvain and sampled betweenness, and exact betweenness, run in a spawned worker that
builds the graph untimed and is stopped at the timeout ("> N s (stopped)").

igraph (and leidenalg) are not measured here: they are GPL, which this MIT project cannot take
in, even as a development dependency. The architects measured igraph on graphs of the same
sizes: see "Graph libraries on a 200,000-node / 900,000-edge graph" in
../shared/docs/architecture.md (igraph Louvain 9.5 s, Leiden 34 s, approximate betweenness 4.5 s
at 200,000 nodes on 2 cores).

{runs}"""


def write(run_heading: str, run_text: str) -> None:
    """Replace this run's ``###`` block in the section (keeping the other sizes) or add it."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    found = re.search(rf"^## {re.escape(HEADING)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    blocks = re.split(r"(?m)^(?=### )", found.group(1)) if found else []
    runs = {block.splitlines()[0]: block.strip() for block in blocks if block.startswith("### ")}
    runs[run_heading] = run_text.strip()
    ordered = sorted(runs, key=lambda h: int(re.sub(r"\D", "", h.split(" nodes")[0]) or 0))
    replace_section(HEADING, INTRO.replace("{runs}", "\n\n".join(runs[h] for h in ordered)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=200_000)
    parser.add_argument("--edges", type=int, default=900_000, help="drawn, before deduplication")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--samples", type=int, default=256, help="sources for betweenness")
    parser.add_argument("--small-nodes", type=int, default=20_000, help="the smaller graph")
    parser.add_argument("--timeout-s", type=float, default=60.0, help="limit of a slow step")
    parser.add_argument("--skip-networkx", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    started = time.perf_counter()
    table, notes = measure(args)
    command = " ".join([".venv/bin/python bench/graph_libraries_bench.py", *sys.argv[1:]])
    heading = f"### {args.nodes:,} nodes, {args.edges:,} edges drawn"
    run = "\n".join(
        [
            heading,
            "",
            f"`{command}`; {machine()}; whole run {time.perf_counter() - started:.0f} s.",
            "",
            table,
            "",
            *[f"- {note}" for note in notes],
        ]
    )
    print(run)
    if not args.no_write:
        write(heading, run)
        print(f"written to {RESULTS}", file=sys.stderr)


if __name__ == "__main__":
    main()
