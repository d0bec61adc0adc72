"""Benchmark the language checker: precision and recall on the labelled set, and speed.

Run from the repository root:  .venv/bin/python bench/language_bench.py
Writes the `## Language checker` section of bench/results.md (other sections are left alone).
Needs only files in the repository: bench/data/language_sentences.csv (the labelled set, rounds
1-4, used while writing rules) and bench/data/language_heldout.csv (written with round 4, before
its rules, and kept out of rule writing; scored apart).
"""

from __future__ import annotations

import csv
import os
import platform
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from safehub.language import Flag

BENCH = Path(__file__).resolve().parent
LABELLED = BENCH / "data" / "language_sentences.csv"
HELDOUT = BENCH / "data" / "language_heldout.csv"
RESULTS = BENCH / "results.md"
from results_file import write_section as write_results_section  # noqa: E402  (bench/ is on sys.path)

HEADING = "## Language checker"
SPEED_SENTENCES = 20_000


def main() -> None:
    t0 = time.perf_counter()
    from safehub.language import check_many, default_checker  # timed: the cold start

    default_checker()
    build_s = time.perf_counter() - t0
    rows = list(csv.DictReader(LABELLED.open(encoding="utf-8")))
    quality = _quality(rows, [bool(f) for f in check_many(r["sentence"] for r in rows)])
    round4 = [r for r in rows if r["round"] == "4"]
    quality4 = _quality(round4, [bool(f) for f in check_many(r["sentence"] for r in round4)])
    held = list(csv.DictReader(HELDOUT.open(encoding="utf-8")))
    held_q = _quality(held, [bool(f) for f in check_many(r["sentence"] for r in held)])
    speed = _speed(rows, check_many)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    section = _section(quality, speed, build_s, peak_mb, len(rows))
    section += _new_rounds(quality4, len(round4), held_q, len(held))
    print(section)
    _write_section(section)
    ok = quality.precision >= 0.95 and quality.recall >= 0.95 and speed["per_s"] >= 2000
    sys.exit(0 if ok else 1)


@dataclass
class Quality:
    precision: float
    recall: float
    counts: Counter[str]
    wrong: list[str]


def _quality(rows: list[dict[str, str]], flagged: list[bool]) -> Quality:
    counts: Counter[str] = Counter()
    wrong = []
    for row, got in zip(rows, flagged, strict=True):
        want = row["expected"] == "1"
        counts[("t" if got == want else "f") + ("p" if got else "n")] += 1
        if got != want:
            wrong.append(("FP" if got else "FN") + ": " + row["sentence"])
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return Quality(
        precision=tp / (tp + fp) if tp + fp else 0.0,
        recall=tp / (tp + fn) if tp + fn else 0.0,
        counts=counts,
        wrong=wrong,
    )


def _speed(
    rows: list[dict[str, str]], check_many: Callable[[Iterable[str]], list[list[Flag]]]
) -> dict[str, float]:
    sentences = [r["sentence"] for r in rows]
    texts = (sentences * (SPEED_SENTENCES // len(sentences) + 1))[:SPEED_SENTENCES]
    check_many(texts[:1000])  # warm caches
    start = time.perf_counter()
    check_many(texts)
    elapsed = time.perf_counter() - start
    return {"n": len(texts), "seconds": elapsed, "per_s": len(texts) / elapsed}


def _section(q: Quality, s: dict[str, float], build_s: float, peak: float, n: int) -> str:
    c, wrong = q.counts, q.wrong
    lines = [
        HEADING,
        "",
        f"Run `{Path(sys.argv[0]).as_posix()}` on {time.strftime('%Y-%m-%d')}; machine: 2 cores, "
        f"24 GB, Python {platform.python_version()} ({platform.machine()}).",
        "",
        f"- Labelled set `bench/data/language_sentences.csv`: {n} sentences, "
        f"{c.get('tp', 0) + c.get('fn', 0)} to flag, {c.get('tn', 0) + c.get('fp', 0)} not to.",
        f"- Precision {q.precision:.3f}, recall {q.recall:.3f} "
        f"(tp {c.get('tp', 0)}, fp {c.get('fp', 0)}, fn {c.get('fn', 0)}, tn {c.get('tn', 0)}); "
        "goal >= 0.95 each.",
        f"- Speed: {s['n']:,} sentences through `check_many` in {s['seconds']:.2f} s = "
        f"{s['per_s']:,.0f} sentences/s (goal >= 2,000), one process.",
        f"- Pipeline and rules built in {build_s:.2f} s (imports included); peak RSS {peak:.0f} MB.",
        "- Caveat: rounds 1-2 of the set were used to tune the rules. Round 2 (111 sentences "
        "written after the first rules) scored precision 0.918, recall 0.982 before tuning on it; "
        "round 3 (40 sentences, not tuned on) scored 0.952 / 1.000. Expect figures nearer "
        "those on unseen notes.",
        f"- Load average during the run: {os.getloadavg()[0]:.1f} (other jobs share the machine).",
    ]
    lines += [f"- Misclassified: {w}" for w in wrong[:20]]
    return "\n".join(lines) + "\n"


def _new_rounds(q4: Quality, n4: int, held: Quality, n_held: int) -> str:
    """Round 4 (paraphrases: an adult called a child's boyfriend; consent or choice in other
    words) and the held-out file, with the figures the rules before them scored."""
    lines = [
        "",
        "Paraphrases (round 4 and held-out), written from how practitioners write case notes "
        "before the rules for them (`relationship-child`, `compliance`, `knowing`, "
        "`seeking-adults`, and adults of concern in `relationship`):",
        "",
        "| set | sentences | rules before (2026-11-26) | now |",
        "|---|---:|---|---|",
        f"| round 4 (used to write the rules) | {n4} | precision 0.846, recall 0.167 | "
        f"precision {q4.precision:.3f}, recall {q4.recall:.3f} |",
        f"| held-out (`bench/data/language_heldout.csv`) | {n_held} | precision 1.000, "
        f"recall 0.240 | precision {held.precision:.3f}, recall {held.recall:.3f} |",
        "",
        "The held-out file was written in the same sitting as round 4, by the author of the "
        "rules, before the rules; it was scored once after the rules were done: precision "
        "0.913, recall 0.840. Its two false positives showed two bugs, then fixed (a `#NUM` "
        "among alternatives matched nothing, now refused; 'is also 14' was not read as an age), "
        "so the 'now' figure is no longer strictly held out; the four misses were left as they "
        "are. Not independent of the author: expect lower figures on other writers' notes.",
    ]
    lines += [f"- Held-out misclassified: {w}" for w in held.wrong[:20]]
    return "\n".join(lines) + "\n"


def _write_section(section: str) -> None:
    """Replace this benchmark's section of bench/results.md (bench/results_file.py)."""
    write_results_section(HEADING, section)


if __name__ == "__main__":
    main()
