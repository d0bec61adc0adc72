"""Run every benchmark (`make bench`); each rewrites its own section of bench/results.md.

    .venv/bin/python bench/run_all.py [--only NAME ...]

Benchmarks are the `bench/*_bench.py` scripts, run one after another (never in parallel: they
measure time and memory on a 2-core machine). Those that read `../shared/data` say so when it is
absent and measure what they can without it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", default=None, help="e.g. import synth clocks")
    args = parser.parse_args()
    scripts = sorted(BENCH.glob("*_bench.py"))
    if args.only:
        scripts = [s for s in scripts if s.stem.removesuffix("_bench") in args.only]
    failed = []
    for script in scripts:
        started = time.perf_counter()
        print(f"== {script.name}", flush=True)
        code = subprocess.run([sys.executable, str(script)], cwd=BENCH.parent).returncode
        print(
            f"== {script.name}: exit {code} after {time.perf_counter() - started:.0f} s", flush=True
        )
        if code:
            failed.append(script.name)
    if failed:
        print(f"Failed or missed a goal: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
