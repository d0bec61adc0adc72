"""networkit, made reproducible: one thread and a fixed seed while our analysis runs.

Community detection is randomised and, with several threads, depends on scheduling; the contract
asks the same input to give byte-identical output, so every call goes through ``deterministic``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import networkit as nk
import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@contextmanager
def deterministic(seed: int) -> Iterator[None]:
    """Run networkit single-threaded with ``seed``, restoring the thread count afterwards."""
    threads = nk.getCurrentNumberOfThreads()
    nk.setNumberOfThreads(1)
    # useThreadId=False: one generator, the same sequence whatever thread draws from it.
    nk.engineering.setSeed(seed, False)
    try:
        yield
    finally:
        nk.setNumberOfThreads(threads)


def undirected_graph(n: int, a: IntArray, b: IntArray, w: FloatArray) -> nk.Graph:
    """A weighted undirected graph on nodes 0..n-1 from edge arrays without duplicates."""
    if len(a) == 0:
        graph = nk.Graph(n, weighted=True)
        return graph
    return nk.graph.GraphFromCoo((w.astype(np.float64), (a, b)), n=n, weighted=True)


def components(graph: nk.Graph) -> IntArray:
    """Component id of every node."""
    finder = nk.components.ConnectedComponents(graph)
    finder.run()
    return np.asarray(finder.getPartition().getVector(), dtype=np.int64)


def communities(graph: nk.Graph, seed: int, iterations: int = 3) -> IntArray:
    """Leiden communities (seeded, single-threaded); isolated nodes are their own community."""
    with deterministic(seed):
        if graph.numberOfEdges() == 0:
            return np.arange(graph.numberOfNodes(), dtype=np.int64)
        leiden = nk.community.ParallelLeiden(graph, randomize=True, iterations=iterations)
        leiden.run()
        return np.asarray(leiden.getPartition().getVector(), dtype=np.int64)


def core_numbers(graph: nk.Graph) -> IntArray:
    """k-core number of every node (unweighted; self-loops are never added)."""
    if graph.numberOfEdges() == 0:
        return np.zeros(graph.numberOfNodes(), dtype=np.int64)
    cores = nk.centrality.CoreDecomposition(graph)
    cores.run()
    return np.asarray(cores.scores(), dtype=np.float64).astype(np.int64)


def betweenness(graph: nk.Graph, exact_limit: int, seed: int, samples: int = 256) -> FloatArray:
    """Raw (unnormalised) betweenness, exact when the graph is small, else estimated by sampling."""
    if graph.numberOfEdges() == 0:
        return np.zeros(graph.numberOfNodes())
    with deterministic(seed):
        if graph.numberOfNodes() <= exact_limit:
            algo = nk.centrality.Betweenness(graph, normalized=False)
        else:
            algo = nk.centrality.EstimateBetweenness(graph, samples, normalized=False)
        algo.run()
        return np.asarray(algo.scores(), dtype=np.float64)
