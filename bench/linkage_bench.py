"""Identity resolution benchmarks: quality (FEBRL4, synthetic areas) and scale.

Run from the repository root:

    .venv/bin/python bench/linkage_bench.py quality          # FEBRL4 + synthetic vs plain Splink
    .venv/bin/python bench/linkage_bench.py scale --rows 1000000

Results replace the "## Identity resolution" section of bench/results.md. FEBRL4 is read from
``../shared/data`` (said so and skipped when absent); synthetic areas come from ``safehub.synthetic``.
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from linkage_baseline import plain_splink
from linkage_data import FEBRL, febrl_extracts, synthetic_truth

from safehub.extracts import read_extracts
from safehub.linkage import resolve_incremental, resolve_people, train_model
from safehub.linkage.evaluation import PairwiseScores, pairwise_scores

RESULTS = Path(__file__).resolve().parent / "results.md"
HEADING = "## Identity resolution (linkage)"
T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def score_line(name: str, s: PairwiseScores, seconds: float) -> str:
    return (f"| {name} | {s.precision:.4f} | {s.recall:.4f} | {s.f1:.4f} | {s.true_pairs} | "
            f"{s.predicted_pairs} | {seconds:.1f} |")  # fmt: skip


def quality(children: int) -> list[str]:
    lines = ["### Quality (pairwise, automatic merges only)", "",
             "| data | precision | recall | F1 | true pairs | predicted pairs | seconds |",
             "|---|---|---|---|---|---|---|"]  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        if FEBRL.exists():
            files, truth = febrl_extracts(Path(tmp))
            batch = read_extracts(files)
            resolution, seconds = timed(lambda: resolve_people(batch.mentions))
            lines.append(
                score_line(
                    "FEBRL4 (5,000 + 5,000), safehub",
                    pairwise_scores(truth, resolution.person_ids),
                    seconds,
                )
            )
        else:
            lines.append(f"| FEBRL4: {FEBRL} absent, skipped | | | | | | |")
        from safehub.synthetic import generate_area

        area_dir = Path(tmp) / "area"
        generate_area(seed=7, children=children, out_dir=area_dir)
        truth = synthetic_truth(area_dir)
        batch = read_extracts(sorted(area_dir.glob("*.csv")))
        ours, seconds = timed(lambda: resolve_people(batch.mentions))
        label = f"synthetic area ({children} children, {len(batch.mentions)} mentions)"
        lines.append(
            score_line(f"{label}, safehub", pairwise_scores(truth, ours.person_ids), seconds)
        )
        review = ours.review_queue
        confirmed = dict(ours.person_ids)
        lines.append(score_line(f"{label}, plain Splink", *_baseline(batch.mentions, truth)))
        lines += ["", f"Synthetic: {len(review)} pairs in the review queue "
                  f"({sum('adult of concern' in p.reason for p in review)} adults of concern without a "
                  f"strong identifier, {sum('conflicting' in p.reason for p in review)} with a conflicting NHS "
                  f"number or date of birth); {len(ours.insufficient)} agency people with too little to match on.",
                  f"If every review pair a person would confirm were merged: "
                  f"{_if_confirmed(confirmed, review, truth)}."]  # fmt: skip
    return lines


def _baseline(
    mentions: list[Any], truth: dict[tuple[str, str], str]
) -> tuple[PairwiseScores, float]:
    found, seconds = timed(lambda: plain_splink(mentions))
    return pairwise_scores(truth, found), seconds


def _if_confirmed(
    ids: dict[tuple[str, str], str], review: list[Any], truth: dict[tuple[str, str], str]
) -> str:
    """Recall/precision if reviewers confirmed exactly the true pairs in the queue (an upper bound)."""
    parent = {pid: pid for pid in set(ids.values())}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for pair in review:
        if truth[pair.left] == truth[pair.right]:
            parent[find(ids[pair.left])] = find(ids[pair.right])
    merged = {k: find(v) for k, v in ids.items()}
    s = pairwise_scores(truth, merged)
    return f"precision {s.precision:.4f}, recall {s.recall:.4f}"


def scale(rows: int, batch: int) -> list[str]:
    from safehub.synthetic import generate_area

    lines = [f"### Scale ({rows:,} mentions, synthetic)", ""]
    with tempfile.TemporaryDirectory() as tmp:
        area_dir = Path(tmp) / "area"
        _, gen_s = timed(lambda: generate_area(seed=3, rows=rows, out_dir=area_dir))
        extract, read_s = timed(lambda: read_extracts(sorted(area_dir.glob("*.csv"))))
        mentions = extract.mentions
        sample = mentions[:: max(1, len(mentions) // 200_000)]
        model, train_s = timed(lambda: train_model(sample))
        resolution, resolve_s = timed(lambda: resolve_people(mentions, model=model))
        truth = synthetic_truth(area_dir)
        scores = pairwise_scores(truth, resolution.person_ids)
        held_keys = sorted({m.person_key for m in mentions})
        new_keys = set(held_keys[-max(1, len(held_keys) * batch // len(mentions)) :])
        held_m = [m for m in mentions if m.person_key not in new_keys]
        new_m = [m for m in mentions if m.person_key in new_keys]
        held = resolve_people(held_m, model=model)
        _, incr_s = timed(lambda: resolve_incremental(held, new_m, model))
    lines += [
        "| step | seconds |", "|---|---|",
        f"| generate extracts (safehub.synthetic) | {gen_s:.1f} |",
        f"| read and validate extracts ({len(mentions):,} mentions) | {read_s:.1f} |",
        f"| train model on {len(sample):,} mentions (u sampling + 2 EM sessions) | {train_s:.1f} |",
        f"| **resolve with saved model (collapse + predict + cluster), {len(mentions):,} mentions** | **{resolve_s:.1f}** |",
        f"| incremental: {len(new_m):,} new mentions against {len(held_m):,} held | {incr_s:.1f} |",
        "", f"Pairwise precision {scores.precision:.4f}, recall {scores.recall:.4f}; "
        f"{len(resolution.pair_table or [])} pairs above the review threshold. Peak memory of the whole "
        f"process (extracts in memory included): {peak_gb():.2f} GB.",
    ]  # fmt: skip
    return lines


def write_section(body: list[str]) -> None:
    machine = f"Machine: 2 cores, 24 GB, Python {platform.python_version()}; DuckDB backend."
    section = "\n".join([HEADING, "", machine, "", *body, ""]) + "\n"
    text = RESULTS.read_text("utf-8") if RESULTS.exists() else "# Benchmark results\n\n"
    start = text.find(HEADING)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(HEADING))
        text = text[:start] + section + (text[end + 1 :] if end != -1 else "")
    RESULTS.write_text(text, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=("quality", "scale", "all"))
    parser.add_argument("--children", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    args = parser.parse_args()
    body: list[str] = []
    if args.what in ("quality", "all"):
        body += [*quality(args.children), ""]
    if args.what in ("scale", "all"):
        body += scale(args.rows, args.batch)
    print("\n".join(body))
    write_section(body)


if __name__ == "__main__":
    main()
