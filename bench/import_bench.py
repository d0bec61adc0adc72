"""Benchmark: reading, checking and importing agency extracts into PostgreSQL.

    .venv/bin/python bench/import_bench.py [--rows 100000 1000000]

For each size: a synthetic area is generated (seeded) into bench/out/, then read and validated,
then imported into a fresh embedded database, each phase timed in this process; peak memory is
this process's maximum resident set size (one process per size). Writes "Import of agency
extracts" in bench/results.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.results_file import machine, replace_section

OUT = Path(__file__).with_name("out")


def measure(rows: int) -> dict[str, float]:
    """One size, in this process (called in a child process per size by main)."""
    from safehub.access.actor import Actor
    from safehub.config import load_settings
    from safehub.db.database import connect
    from safehub.db.migrate import upgrade
    from safehub.db.uow import unit_of_work
    from safehub.extracts import read_extracts
    from safehub.services.handlers import HANDLERS
    from safehub.services.imports import import_extracts
    from safehub.synthetic import generate_area

    folder = OUT / f"import-{rows}"
    if not (folder / "truth").exists():
        generate_area(seed=11, rows=rows, out_dir=folder)
    files = sorted(str(p) for p in folder.glob("*.csv"))
    started = time.perf_counter()
    batch = read_extracts(files)
    read_s = time.perf_counter() - started
    data = Path(tempfile.mkdtemp(prefix="safehub-bench-"))
    data.chmod(0o755)
    db = connect(
        load_settings({"SAFEHUB_ENV": "test", "SAFEHUB_DATA_DIR": str(data)}), handlers=HANDLERS
    )
    upgrade(db.owner_engine)
    started = time.perf_counter()
    with unit_of_work(db, actor=Actor(label="system:bench")) as uow:
        result = import_extracts(uow, batch=batch, files=files)
        uow.commit()
    write_s = time.perf_counter() - started
    started = time.perf_counter()
    with unit_of_work(db, actor=Actor(label="system:bench")) as uow:
        again = import_extracts(uow, batch=batch, files=files)
        uow.commit()
    again_s = time.perf_counter() - started
    db.dispose()
    assert result.rows == len(batch.mentions) and not again.changed_anything
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "rows": result.rows,
        "records": result.records_new,
        "read_s": read_s,
        "write_s": write_s,
        "again_s": again_s,
        "peak_mib": peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    lines = [
        "| rows | records | read + check (s) | write to PostgreSQL (s) | total rows/s | "
        "re-import, nothing changes (s) | peak memory |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for rows in args.rows:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(rows)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        total = r["read_s"] + r["write_s"]
        lines.append(
            f"| {r['rows']:,.0f} | {r['records']:,.0f} | {r['read_s']:.1f} | {r['write_s']:.1f} | "
            f"{r['rows'] / total:,.0f} | {r['again_s']:.1f} | {r['peak_mib']:,.0f} MiB |"
        )
        print(lines[-1], flush=True)
    body = (
        f"`.venv/bin/python bench/import_bench.py` — {machine()}.\n\n"
        "Synthetic areas (`safehub.synthetic`, seed 11) read and validated by `safehub.extracts`, "
        "then imported in one transaction into a fresh embedded PostgreSQL 18 (COPY into staging "
        "tables, set-wise upserts); then imported again to show that nothing changes.\n\n"
        + "\n".join(lines)
    )
    replace_section("Import of agency extracts", body)


if __name__ == "__main__":
    main()
