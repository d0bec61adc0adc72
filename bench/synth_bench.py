"""Benchmark `safehub.synthetic`: rows per second and peak memory at 100,000 and 1,000,000 rows.

Run from the repository root:  .venv/bin/python bench/synth_bench.py [--sizes 100000 1000000]

Each size runs in its own process, so that the peak resident memory (``ru_maxrss``) belongs to that
size alone. Output goes to bench/out/synth-<rows>/ (ignored by git); results replace the
"## Synthetic data generator" section of bench/results.md. Needs no shared data.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.md"
from results_file import write_section as write_results_section  # noqa: E402  (bench/ is on sys.path)

HEADING = "## Synthetic data generator"
GOAL_SECONDS = 120.0  # 1,000,000 rows in under 2 minutes


def run_one(rows: int, seed: int) -> dict[str, float]:
    """Generate one area in this process and measure it."""
    from safehub.synthetic import generate_area

    out = ROOT / "bench" / "out" / f"synth-{rows}"
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    area = generate_area(seed=seed, rows=rows, out_dir=out)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    size = sum(path.stat().st_size for path in out.rglob("*.csv"))
    return {
        "target": rows,
        "rows": area.rows,
        "records": area.records,
        "children": area.children,
        "groups": len({g for g, _, _ in area.groups}),
        "seconds": seconds,
        "rows_per_second": area.rows / seconds,
        "peak_mib": peak_kib / 1024,
        "output_mib": size / 2**20,
    }


def measure(rows: int, seed: int) -> dict[str, float]:
    completed = subprocess.run(
        [sys.executable, __file__, "--one", str(rows), "--seed", str(seed)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    result: dict[str, float] = json.loads(completed.stdout)
    return result


def section(results: list[dict[str, float]]) -> str:
    lines = [
        HEADING,
        "",
        f"`bench/synth_bench.py` — machine: {os.cpu_count()} cores, "
        f"{_memory_gib():.0f} GB RAM, Python {platform.python_version()}; "
        f"timed with time.perf_counter, peak memory from getrusage (own process per size). "
        f"Run on {date.today().isoformat()}; load average at the end {os.getloadavg()[0]:.1f} "
        "(the machine is shared).",
        "",
        "| target rows | rows written | records | children | groups | seconds | rows/s "
        "| peak memory | output |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['target']:,.0f} | {r['rows']:,.0f} | {r['records']:,.0f} | "
            f"{r['children']:,.0f} | {r['groups']:.0f} | {r['seconds']:.1f} | "
            f"{r['rows_per_second']:,.0f} | {r['peak_mib']:,.0f} MiB | {r['output_mib']:,.0f} MiB |"
        )
    big = [r for r in results if r["target"] >= 1_000_000]
    if big:
        verdict = "met" if big[0]["seconds"] < GOAL_SECONDS else "NOT met"
        lines += ["", f"Goal (1,000,000 rows in under {GOAL_SECONDS:.0f} s): {verdict}."]
    return "\n".join(lines) + "\n"


def _memory_gib() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


def write_section(section: str) -> None:
    """Replace this benchmark's section of bench/results.md (bench/results_file.py)."""
    write_results_section(HEADING, section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.seed)))
        return
    results = []
    for rows in args.sizes:
        result = measure(rows, args.seed)
        print(
            f"{rows:>10,} rows: {result['seconds']:.1f} s, {result['rows_per_second']:,.0f} "
            f"rows/s, peak {result['peak_mib']:,.0f} MiB",
            file=sys.stderr,
        )
        results.append(result)
    write_section(section(results))
    print(section(results))


if __name__ == "__main__":
    main()
