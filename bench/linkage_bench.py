"""Identity resolution benchmarks: quality (FEBRL4, synthetic areas) and scale.

Run from the repository root:

    .venv/bin/python bench/linkage_bench.py quality          # FEBRL4 + synthetic vs plain Splink
    .venv/bin/python bench/linkage_bench.py scale --rows 1010000   # ~1M held + a 10k batch

Results replace the "## Identity resolution" section of bench/results.md. FEBRL4 is read from
``../shared/data`` (said so and skipped when absent); synthetic areas come from ``safehub.synthetic``.
"""

from __future__ import annotations

import argparse
import csv
import fcntl
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

import results_file
from linkage_baseline import plain_splink
from linkage_data import FEBRL, febrl_extracts, synthetic_truth

from safehub.extracts import read_extracts
from safehub.linkage import resolve_incremental, resolve_people
from safehub.linkage.evaluation import PairwiseScores, pairwise_scores

RESULTS = Path(__file__).resolve().parent / "results.md"
HEADING = "## Identity resolution (linkage)"
QUALITY = "### Quality (pairwise)"
SCALE = "### Scale ("
T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def score_line(name: str, links: str, s: PairwiseScores, seconds: float) -> str:
    return (
        f"| {name} | {links} | {s.precision:.4f} | {s.recall:.4f} | {s.f1:.4f} | {s.true_pairs} | "
        f"{s.predicted_pairs} | {seconds:.1f} |"
    )


def quality(children: int) -> list[str]:
    load = os.getloadavg()[0]
    lines = [
        QUALITY,
        "",
        f"Run on {time.strftime('%Y-%m-%d')} (`bench/linkage_bench.py quality`); load average "
        f"{load:.1f} when the run started.",
        "",
        "Automatic: only the links the engine makes by itself. With review: as if a person "
        "confirmed every true pair in the review queue and rejected every false one (the "
        "resolution a practitioner ends with; an upper bound that assumes a careful reviewer).",
        "",
        "| data | links | precision | recall | F1 | true pairs | predicted pairs | seconds |",
        "|---|---|---|---|---|---|---|---|",
    ]
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        if FEBRL.exists():
            files, truth = febrl_extracts(Path(tmp))
            batch = read_extracts(files)
            resolution, seconds = timed(lambda: resolve_people(batch.mentions))
            name = "FEBRL4 (5,000 + 5,000), safehub"
            lines.append(
                score_line(
                    name, "automatic", pairwise_scores(truth, resolution.person_ids), seconds
                )
            )
            lines.append(score_line(name, "with review", _with_review(resolution, truth), seconds))
            notes.append(f"FEBRL4: {len(resolution.review_queue)} pairs in the review queue.")
        else:
            lines.append(f"| FEBRL4: {FEBRL} absent, skipped | | | | | | | |")
        from safehub.synthetic import generate_area

        area_dir = Path(tmp) / "area"
        generate_area(seed=7, children=children, out_dir=area_dir)
        truth = synthetic_truth(area_dir)
        batch = read_extracts(sorted(area_dir.glob("*.csv")))
        ours, seconds = timed(lambda: resolve_people(batch.mentions))
        label = f"synthetic area ({children} children, {len(batch.mentions)} mentions)"
        lines.append(
            score_line(
                f"{label}, safehub", "automatic", pairwise_scores(truth, ours.person_ids), seconds
            )
        )
        lines.append(
            score_line(f"{label}, safehub", "with review", _with_review(ours, truth), seconds)
        )
        lines.append(
            score_line(f"{label}, plain Splink", "automatic", *_baseline(batch.mentions, truth))
        )
        notes += _synthetic_notes(ours, truth)
    return [*lines, "", *notes]


def _synthetic_notes(ours: Any, truth: dict[tuple[str, str], str]) -> list[str]:
    review = ours.review_queue
    restricted = ours.restricted
    allowed = {k: v for k, v in truth.items() if k not in restricted}
    found = {
        k: v for k, v in _merged(ours.person_ids, review, truth).items() if k not in restricted
    }
    s = pairwise_scores(allowed, found)
    lost = pairwise_scores(truth, truth).true_pairs - s.true_pairs
    reasons: dict[str, int] = {}
    for pair in review:
        reasons[pair.reason] = reasons.get(pair.reason, 0) + 1
    return [
        f"Synthetic: {len(review)} pairs in the review queue; by reason: "
        + "; ".join(f"{n} {r}" for r, n in sorted(reasons.items(), key=lambda x: -x[1]))
        + ".",
        f"{len(ours.insufficient)} agency people have a name and nothing else (compared, never merged "
        f"automatically); {len(restricted)} are restricted (never matched outside their agency).",
        f"Leaving out the {lost} true pairs that involve a restricted person (docs/extract-format.md forbids "
        f"matching them), with review: precision {s.precision:.4f}, recall {s.recall:.4f}.",
    ]


def _baseline(
    mentions: list[Any], truth: dict[tuple[str, str], str]
) -> tuple[PairwiseScores, float]:
    found, seconds = timed(lambda: plain_splink(mentions))
    return pairwise_scores(truth, found), seconds


def _with_review(resolution: Any, truth: dict[tuple[str, str], str]) -> PairwiseScores:
    return pairwise_scores(truth, _merged(resolution.person_ids, resolution.review_queue, truth))


def _merged(
    ids: dict[tuple[str, str], str], review: list[Any], truth: dict[tuple[str, str], str]
) -> dict[tuple[str, str], str]:
    """Ids after a reviewer confirmed exactly the true pairs in the queue."""
    parent = {pid: pid for pid in set(ids.values())}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for pair in review:
        if truth[pair.left] == truth[pair.right]:
            parent[find(ids[pair.left])] = find(ids[pair.right])
    return {k: find(v) for k, v in ids.items()}


def _rss_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak since the last reset) of this process, in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> None:
    # Writing 5 to clear_refs resets VmHWM, so the peak of one step can be read on its own.
    Path("/proc/self/clear_refs").write_text("5")


def _split_area(area_dir: Path, batch: int) -> tuple[list[Path], list[Path]]:
    """Write the area's files again as held/ and new/: the people (by key, from the last) whose
    rows make up about ``batch`` mentions arrive later, as a batch of files of their own."""
    per_key: dict[tuple[str, str], int] = {}
    files = sorted(area_dir.glob("*.csv"))
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                key = (row["agency_code"], row["person_ref"])
                per_key[key] = per_key.get(key, 0) + 1
    new_keys: set[tuple[str, str]] = set()
    total = 0
    for key in sorted(per_key, reverse=True):
        if total >= batch:
            break
        new_keys.add(key)
        total += per_key[key]
    held, new = [], []
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            agency, ref = header.index("agency_code"), header.index("person_ref")
            parts: dict[bool, list[list[str]]] = {True: [], False: []}
            for row in reader:
                parts[(row[agency], row[ref]) in new_keys].append(row)
        for is_new, rows_of in parts.items():
            folder = area_dir / ("new" if is_new else "held")
            folder.mkdir(exist_ok=True)
            with (folder / path.name).open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out, lineterminator="\n")
                writer.writerow(header)
                writer.writerows(rows_of)
            (new if is_new else held).append(folder / path.name)
    return held, new


def scale(rows: int, batch: int) -> list[str]:
    from safehub.extracts.columns import ExtractTable, read_extract_table
    from safehub.linkage.prepare import prepare
    from safehub.linkage.training import train_on
    from safehub.synthetic import generate_area

    lines = [f"### Scale ({rows:,} mentions generated, synthetic)", ""]
    with tempfile.TemporaryDirectory() as tmp:
        area_dir = Path(tmp) / "area"
        _, gen_s = timed(lambda: generate_area(seed=3, rows=rows, out_dir=area_dir))
        held_files, new_files = _split_area(area_dir, batch)
        _reset_peak()
        extract, read_s = timed(lambda: read_extract_table(held_files))
        read_peak = _rss_mb("VmHWM")
        step = max(1, len(extract) // 200_000)
        sample = ExtractTable(extract.table.take(list(range(0, len(extract), step))))
        began = time.perf_counter()
        model = train_on(prepare(sample))
        train_s = time.perf_counter() - began
        del sample
        rss_before = _rss_mb("VmRSS")
        _reset_peak()
        began = time.perf_counter()
        held = resolve_people(extract, model=model)
        resolve_s = time.perf_counter() - began
        resolve_peak = _rss_mb("VmHWM")
        held_rows = len(extract)
        del extract
        new_m = read_extracts(new_files).mentions
        _reset_peak()
        after, incr_s = timed(lambda: resolve_incremental(held, new_m, model))
        incr_peak = _rss_mb("VmHWM")
        truth = synthetic_truth(area_dir)
        scores = pairwise_scores({k: truth[k] for k in held.person_ids}, held.person_ids)
        final = pairwise_scores(truth, after.person_ids)
    lines += [
        "| step | seconds |",
        "|---|---|",
        f"| generate extracts (safehub.synthetic) | {gen_s:.1f} |",
        f"| read and validate the held extracts ({held_rows:,} mentions; columnar reader `read_extract_table`) | {read_s:.1f} |",
        f"| train model on {min(held_rows, 200_000):,} of them (u sampling + 2 EM sessions) | {train_s:.1f} |",
        f"| **resolve {held_rows:,} read mentions with the model (collapse + predict + cluster)** | **{resolve_s:.1f}** |",
        f"| **incremental: {len(new_m):,} new mentions (their own files) against {held_rows:,} held** | **{incr_s:.1f}** |",
        "",
        f"Memory (VmRSS/VmHWM of the benchmark process, which also holds the generator's imports): "
        f"peak while reading {read_peak / 1024:.2f} GB; {rss_before / 1024:.2f} GB held before resolving "
        f"(the table as read and the model); peak during the resolve {resolve_peak / 1024:.2f} GB, "
        f"during the incremental batch {incr_peak / 1024:.2f} GB. The contract command's own figures, "
        "from a fresh process, are in the next section.",
        f"{len(held.person_ids):,} agency people; {held.pair_table.num_rows if held.pair_table is not None else 0:,} pairs at or above the review threshold.",
        f"Pairwise on the held resolution: precision {scores.precision:.4f}, recall {scores.recall:.4f} "
        f"(automatic links only); after the batch: precision {final.precision:.4f}, recall {final.recall:.4f}.",
    ]
    return lines


def write_section(body: list[str]) -> None:
    load = os.getloadavg()[0]
    machine = (
        f"Machine: 2 cores, 24 GB, Python {platform.python_version()}; DuckDB backend; run on "
        f"{time.strftime('%Y-%m-%d')}, load average {load:.1f} at the end (the machine is shared)."
    )
    results_file.write_section(HEADING, "\n".join([HEADING, "", machine, "", *body]), RESULTS)


def write_part(marker: str, body: list[str]) -> None:
    """Replace only the part of the section that starts with ``marker`` (quality or scale):
    each is run and written apart."""
    RESULTS.touch()
    with RESULTS.open("r+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # other benchmarks write the same file
        text = handle.read()
        start = text.find(HEADING)
        begin = text.find(marker, start) if start != -1 else -1
        if begin == -1:
            handle.close()
            write_section(body)
            return
        ends = [i for i in (text.find(m, begin + 1) for m in ("\n### ", "\n## ")) if i != -1]
        end = min(ends) + 1 if ends else len(text)
        text = text[:begin] + "\n".join(body).strip() + "\n\n" + text[end:]
        handle.seek(0)
        handle.truncate()
        handle.write(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=("quality", "scale", "all"))
    parser.add_argument("--children", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=1_010_000)
    parser.add_argument("--batch", type=int, default=10_000)
    args = parser.parse_args()
    body: list[str] = []
    if args.what in ("quality", "all"):
        body += [*quality(args.children), ""]
    if args.what in ("scale", "all"):
        body += scale(args.rows, args.batch)
    print("\n".join(body))
    if args.what == "all":
        write_section(body)
    else:
        write_part(QUALITY if args.what == "quality" else SCALE, body)


if __name__ == "__main__":
    main()
