"""`safehub resolve` end to end on about a million mentions: files in, RESOLVED.csv out.

    .venv/bin/python bench/resolve_bench.py [--rows 1010000] [--train-rows 200000] [--keep DIR]

Issue 4's goal: 1,000,000 person mentions resolved end to end in <= 60 s with peak memory <= 4 GB,
with a saved model. The model is trained first, once, on another generated area (seed 5) and
saved with `--save-model`, as a deployment would train on earlier data and reuse the model.
Then the contract command runs under GNU time on the area (seed 3): wall time and peak resident
memory of the whole process (start-up, reading and validating the CSV files, collapsing,
scoring, clustering and writing the output). The output is scored against the generator's truth.
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from linkage_data import synthetic_truth
from results_file import machine, replace_section

from safehub.linkage.evaluation import pairwise_scores
from safehub.synthetic import generate_area

ROOT = Path(__file__).resolve().parent.parent
SAFEHUB = ROOT / ".venv" / "bin" / "safehub"
HEADING = "Identity resolution end to end (`safehub resolve`)"
GOAL_SECONDS = 60.0
GOAL_GB = 4.0
RUNS = 3


def timed_command(args: list[str]) -> tuple[float, float, str]:
    """Wall seconds and peak resident GB of a command (GNU time), and its stderr."""
    done = subprocess.run(
        ["/usr/bin/time", "-v", *args], capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"{args[0]} failed:\n{done.stderr[-3000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time .*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    assert wall and peak, done.stderr[-2000:]
    hours, minutes, seconds = wall.groups()
    total = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    return total, int(peak.group(1)) / 1024**2, done.stderr


def resolved_of(path: Path) -> dict[tuple[str, str], str]:
    with path.open(encoding="utf-8") as handle:
        return {(r["agency_code"], r["person_ref"]): r["person_id"] for r in csv.DictReader(handle)}


def area(folder: Path, seed: int, rows: int) -> list[str]:
    if not (folder / "truth" / "people.csv").exists():
        generate_area(seed=seed, rows=rows, out_dir=folder)
    return [str(p) for p in sorted(folder.glob("*.csv"))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_010_000)
    parser.add_argument("--train-rows", type=int, default=200_000)
    parser.add_argument("--keep", type=Path, default=None, help="keep the generated areas here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        started = time.perf_counter()
        train_files = area(base / f"train-{args.train_rows}", 5, args.train_rows)
        files = area(base / f"area-{args.rows}", 3, args.rows)
        generated = time.perf_counter() - started
        model = base / "model.json"
        train_s, train_gb, _ = timed_command(
            [
                str(SAFEHUB),
                "resolve",
                *train_files,
                "--out",
                str(base / "train.csv"),
                "--save-model",
                str(model),
            ]
        )
        out = base / "resolved.csv"
        runs = [
            timed_command(
                [str(SAFEHUB), "resolve", *files, "--out", str(out), "--model", str(model)]
            )
            for _ in range(RUNS)
        ]
        summary = next(
            (line.strip() for line in runs[-1][2].splitlines() if "agency people →" in line), ""
        )
        scores = pairwise_scores(synthetic_truth(Path(files[0]).parent), resolved_of(out))
    # The median run: this machine is a shared VM whose runs vary by 10%.
    middle = statistics.median(r[0] for r in runs)
    peak = max(r[1] for r in runs)
    lines = [
        machine(),
        "",
        f"`.venv/bin/python bench/resolve_bench.py --rows {args.rows}`: generated areas "
        f"(`safehub.synthetic`, seed 3 to resolve, seed 5 to train on; {generated:.0f} s to generate). "
        "Each run is a fresh process under GNU time (`/usr/bin/time -v`): start-up, reading and "
        "checking every CSV file (columnar reader), collapsing, scoring (Splink, DuckDB, 2 threads), "
        "clustering, writing RESOLVED.csv.",
        "",
        "| step | wall | peak memory |",
        "|---|---|---|",
        f"| train and save a model on {args.train_rows:,} mentions (`--save-model`) | {train_s:.1f} s | {train_gb:.2f} GB |",
        *(
            f"| **resolve {args.rows:,} mentions with the saved model (`--model`), run {i + 1}** | **{r[0]:.1f} s** | **{r[1]:.2f} GB** |"
            for i, r in enumerate(runs)
        ),
        "",
        f"Output: {summary}",
        f"Pairwise against the truth (automatic links only): precision {scores.precision:.4f}, "
        f"recall {scores.recall:.4f}.",
        "",
        f"Goal: <= {GOAL_SECONDS:.0f} s and <= {GOAL_GB:.0f} GB: time {'met' if middle <= GOAL_SECONDS else 'not met'} "
        f"(median of {RUNS} runs {middle:.1f} s), memory {'met' if peak <= GOAL_GB else 'not met'} ({peak:.2f} GB).",
    ]
    replace_section(HEADING, "\n".join(lines))
    print("\n".join(lines))
    return 0 if middle <= GOAL_SECONDS and peak <= GOAL_GB else 1


if __name__ == "__main__":
    sys.exit(main())
