"""Structure check on CAVIAR (Morselli): where do the 23 known key players rank?

    .venv/bin/python bench/network_caviar.py

Reads ../shared/data/caviar/ (relative to the repository; says so and stops when absent). The
11 wiretap phases become format-v1 intelligence records: one record per pair of people who spoke
in a phase, dated at the phase start, both named (traffickers as suspect, the others as
associate), everyone under a neutral pseudonym from a seeded shuffle (so that ties broken by
person id cannot favour low node numbers). Nobody is a child, so no group meets the exploitation
rule: the check is the key-people ranking alone.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from covert import Tie, analyse_ties, baseline_ranks, pseudonyms, write_ties

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("SAFEHUB_SHARED_DATA", ROOT.parent / "shared" / "data")) / "caviar"


def phase_pairs() -> dict[int, dict[tuple[int, int], int]]:
    """Per phase, undirected pairs of node ids and their number of calls (self-calls dropped)."""
    phases: dict[int, dict[tuple[int, int], int]] = {}
    for phase in range(1, 12):
        with (DATA / f"phase{phase}.csv").open(newline="") as handle:
            rows = list(csv.reader(handle))
        ids = [int(x) for x in rows[0][1:]]
        pairs: dict[tuple[int, int], int] = {}
        for line in rows[1:]:
            src = int(line[0])
            for dst, cell in zip(ids, line[1:], strict=True):
                if src != dst and int(float(cell)) > 0:
                    key = (min(src, dst), max(src, dst))
                    pairs[key] = pairs.get(key, 0) + int(float(cell))
        phases[phase] = pairs
    return phases


def key_players() -> dict[int, str]:
    with (DATA / "key_players.csv").open(newline="") as handle:
        return {int(r["node_id"]): r["name"] for r in csv.DictReader(handle)}


def main() -> None:
    if not DATA.exists():
        print(f"CAVIAR data not found at {DATA} (needs ../shared/data/caviar); skipped.")
        sys.exit(0)
    phases = phase_pairs()
    nodes = sorted({n for pairs in phases.values() for pair in pairs for n in pair})
    names = pseudonyms(nodes, "CV")
    start = date(1994, 1, 1)
    ties = [
        Tie(a, b, start + timedelta(days=61 * (phase - 1)), _role(a), _role(b))
        for phase, pairs in sorted(phases.items())
        for a, b in sorted(pairs)
    ]
    cli = run_cli(ties, names)
    found = analyse_ties(ties, names, "POL-CAV")
    result, elapsed = found.analysis, found.seconds
    rank_of = {k.person_id: k.rank for k in result.key_people}
    reasons = {k.person_id: k.reasons for k in result.key_people}
    keys = key_players()
    ours = {node: rank_of[names[node]] for node in keys}
    base = baseline_ranks(pair for pairs in phases.values() for pair in pairs)
    print(
        f"CAVIAR: {len(nodes)} people, {found.rows} rows, "
        f"{found.nodes} nodes, {found.edges} edges; analysis {elapsed:.2f}s; "
        f"{len(result.groups)} groups (no children in this data)"
    )
    for label, ranks in (
        ("safehub", ours),
        *((k, {n: v[n] for n in keys}) for k, v in base.items()),
    ):
        values = sorted(ranks.values())
        print(
            f"{label:12s} key players in top 10: {sum(r <= 10 for r in values)}, "
            f"top 23: {sum(r <= 23 for r in values)}, n1 Serero rank {ranks[1]}, "
            f"n3 rank {ranks[3]}, n12 rank {ranks[12]}, median rank {values[len(values) // 2]}"
        )
    if cli.ranks:
        values = sorted(cli.ranks[names[n]] for n in keys)
        print(
            f"safehub networks (the command, resolution trained on the input): exit {cli.code}, "
            f"{cli.seconds:.1f}s; key players in top 10: {sum(r <= 10 for r in values)}, "
            f"top 23: {sum(r <= 23 for r in values)}, n1 Serero rank {cli.ranks[names[1]]}, "
            f"n3 rank {cli.ranks[names[3]]}, n12 rank {cli.ranks[names[12]]}"
        )
    else:
        print(f"safehub networks failed (exit {cli.code}): {cli.last_line}")
    print("\nrank node name (safehub rank; reasons)")
    for node, rank in sorted(ours.items(), key=lambda kv: kv[1]):
        print(f"{rank:4d} n{node:<4d} {keys[node]:22s} {reasons[names[node]]}")


class CliRun:
    def __init__(self, code: int, seconds: float, ranks: dict[str, int], last_line: str) -> None:
        self.code, self.seconds, self.ranks, self.last_line = code, seconds, ranks, last_line


def run_cli(ties: list[Tie], names: dict[int, str]) -> CliRun:
    """``safehub networks`` on the records, as a newcomer runs it (person linkage included)."""
    safehub = ROOT / ".venv" / "bin" / "safehub"
    with tempfile.TemporaryDirectory() as folder:
        path = write_ties(ties, names, "POL-CAV", Path(folder) / "caviar.csv")
        started = time.perf_counter()
        done = subprocess.run(
            [str(safehub), "networks", str(path), "--out", f"{folder}/out"],
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
        ranks: dict[str, int] = {}
        if done.returncode == 0:
            with Path(f"{folder}/out/key_people.csv").open(newline="") as handle:
                ranks = {r["person_id"]: int(r["rank"]) for r in csv.DictReader(handle)}
            with Path(f"{folder}/out/people.csv").open(newline="") as handle:
                person_of = {r["person_ref"]: r["person_id"] for r in csv.DictReader(handle)}
            ranks = {ref: ranks[pid] for ref, pid in person_of.items() if pid in ranks}
    lines = done.stderr.strip().splitlines()
    return CliRun(done.returncode, seconds, ranks, lines[-1] if lines else "")


def _role(node: int) -> str:
    """Players 1-82 are traffickers (suspects); 83-110 investors and owners (associates)."""
    return "suspect" if node <= 82 else "associate"


if __name__ == "__main__":
    main()
