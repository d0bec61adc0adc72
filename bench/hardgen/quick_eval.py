"""Precision, recall, queue size and the classes merged (twins, siblings, fathers and sons...) of
``safehub resolve``'s own pipeline, run in process on generated worlds: one JSON line per world.

    PYTHONPATH=. .venv/bin/python -m bench.hardgen.quick_eval LABEL WORLD [WORLD ...]

A WORLD is a folder of extracts with the generator's ``truth/`` beside them
(``python -m bench.hardgen generate``). For comparing engine variants on dev worlds; the
figures for the record come from ``bench/hardgen_bench.py``.
"""

import json
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from bench.hardgen.recall_analysis import run
from bench.hardgen.score import complete, pairwise
from bench.hardgen.truthfiles import read_truth


def evaluate(label: str, world: Path) -> dict[str, object]:
    """One world's figures under ``label``."""
    res, _people, secs = run(world)
    truth = read_truth(world / "truth")
    out = complete(truth, res.person_ids)
    m = pairwise(truth, out)
    ids: dict[str, set[str]] = defaultdict(set)
    for k, pid in out.items():
        ids[truth.person_of[k]].add(pid)
    merged: dict[str, int] = defaultdict(int)
    for a, b, kind in truth.classes:
        if ids[a] & ids[b]:
            merged[kind] += 1
    q = len(res.review_queue)
    return {
        "label": label,
        "world": world.name,
        "p": m["precision"],
        "r": m["recall"],
        "f1": m["f1"],
        "queue": q,
        "queue_pct": round(100 * q / len(res.keys), 2),
        "merged": dict(merged),
        "secs": round(secs, 1),
    }


def each_world(evaluate: Callable[[str, Path], dict[str, object]], argv: list[str]) -> None:
    """``LABEL WORLD...``: one JSON line per world, printed as each is done."""
    label, *worlds = argv
    for world in worlds:
        print(json.dumps(evaluate(label, Path(world))), flush=True)


def main(argv: list[str]) -> None:
    each_world(evaluate, argv)


if __name__ == "__main__":
    main(sys.argv[1:])
