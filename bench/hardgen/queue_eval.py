"""The review queue on generated worlds: its size, how much of it is true, and the recall a
reviewer could reach by confirming every true queued pair. One JSON line per world:

    PYTHONPATH=. .venv/bin/python -m bench.hardgen.queue_eval LABEL WORLD [WORLD ...]

``reachable`` is the pairwise recall after merging, on top of ``safehub resolve``'s people, the
two people of every queued pair that the truth says is one person (a perfect reviewer who works
the whole queue). ``by_stake`` counts the queued pairs (and how many are true) by what
confirming them would change, as ``queue.py`` reads it. For dev worlds only.
"""

import sys
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from bench.hardgen.quick_eval import each_world
from bench.hardgen.recall_analysis import run
from bench.hardgen.score import complete, pairwise
from bench.hardgen.truthfiles import read_truth
from safehub.linkage.resolve import Resolution


def _stake(flags: dict[str, np.ndarray], a: int, b: int) -> str:
    concern, children, risk = flags["concern"], flags["children"], flags["risk"]
    if (concern[a] or concern[b]) and (children[a] or children[b]):
        return "adult of concern with children"
    if risk[a] or risk[b]:
        return "child recorded as a victim"
    if concern[a] or concern[b]:
        return "adult of concern"
    return "other"


def evaluate(label: str, world: Path) -> dict[str, object]:
    """One world's queue figures under ``label``."""
    res, _people, _secs = run(world)
    truth = read_truth(world / "truth")
    index = {k: i for i, k in enumerate(res.keys)}
    base = complete(truth, res.person_ids)
    scores = pairwise(truth, base)
    people = res._people()
    cluster = people.cluster
    size = int(cluster.max()) + 1 if len(cluster) else 0

    def per_cluster(flag: np.ndarray) -> np.ndarray:
        found = np.zeros(size, dtype=bool)
        found[cluster[flag]] = True
        return found

    flags = {
        "concern": per_cluster(people.of_concern),
        "children": per_cluster(people.with_children),
        "risk": per_cluster(people.at_risk),
    }
    queued, true_links, stakes, true_stakes = 0, [], Counter(), Counter()
    for pair in res.review_queue:
        queued += 1
        a, b = cluster[index[pair.left]], cluster[index[pair.right]]
        stake = _stake(flags, int(a), int(b))
        stakes[stake] += 1
        if truth.person_of.get(pair.left) == truth.person_of.get(pair.right):
            true_links.append((a, b))
            true_stakes[stake] += 1
    return {
        "label": label,
        "world": world.name,
        "p": scores["precision"],
        "r": scores["recall"],
        "queue": queued,
        "queue_pct": round(100 * queued / max(1, len(res.keys)), 2),
        "queue_true": round(len(true_links) / max(1, queued), 3),
        "reachable": _reachable(truth, res, cluster, size, true_links),
        "by_stake": {k: [n, true_stakes[k]] for k, n in sorted(stakes.items())},
    }


def _reachable(
    truth: object, res: Resolution, cluster: np.ndarray, size: int, links: list[tuple[int, int]]
) -> float:
    a = np.array([x for x, _ in links], dtype=np.int64)
    b = np.array([y for _, y in links], dtype=np.int64)
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(size, size))
    _, merged = connected_components(graph, directed=False)
    ids = {key: str(merged[cluster[i]]) for i, key in enumerate(res.keys)}
    return pairwise(truth, complete(truth, ids))["recall"]  # type: ignore[arg-type]


def main(argv: list[str]) -> None:
    each_world(evaluate, argv)


if __name__ == "__main__":
    main(sys.argv[1:])
