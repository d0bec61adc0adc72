"""Crash test at full size (issue 15, "Proofs"): referrals written through the API while the
database server and the web workers are killed with SIGKILL at random moments and restarted.

    .venv/bin/python bench/crash_bench.py --kills 200

The harness is the suite's (``tests/operations/crash.py``; the suite runs 10 kills): an embedded
PostgreSQL restarted with ``pg_ctl`` after each kill (crash recovery), three ``safehub serve``
workers restarted by a supervisor as systemd would, and a client signed in through the pages
that POSTs referrals with an ``Idempotency-Key`` and retries each until it is acknowledged.
Afterwards every acknowledged referral must be in the database exactly once with the id it was
acknowledged with, none half-written (each with its two statutory clocks and its audit entry),
and the audit chain and its anchors must verify. Writes ``--out`` (default
``bench/crash_results.md``) and exits 1 when anything did not hold.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.operations.crash import Outcome, Verdict, check, cluster_in_temp, run_chaos  # noqa: E402


def _recovery_lines(outcome: Outcome) -> list[str]:
    lines = []
    for kind in ("db", "web", "both"):
        times = sorted(t for k, t in outcome.recoveries if k == kind)
        if not times:
            continue
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        lines.append(
            f"| {kind} | {len(times)} | {statistics.median(times):.1f} | {p95:.1f} | "
            f"{times[-1]:.1f} |"
        )
    return lines


def report(args: argparse.Namespace, outcome: Outcome, verdict: Verdict, total: float) -> str:
    load = os.getloadavg()
    held = "held" if verdict.ok else "DID NOT HOLD"
    return "\n".join(
        [
            "# Crash test results",
            "",
            f"Command: `.venv/bin/python bench/crash_bench.py --kills {args.kills} "
            f"--seed {args.seed}`  ",
            f"Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, load average "
            f"{load[0]:.1f} at the end (the machine is shared).",
            "",
            f"**Result: {held}.**",
            "",
            "| measure | value |",
            "|---|---|",
            f"| kills (SIGKILL) | {outcome.db_kills + outcome.web_kills} "
            f"({outcome.db_kills} of the database server, {outcome.web_kills} of a web worker; "
            f"{args.kills} rounds) |",
            f"| referrals acknowledged | {verdict.acknowledged} |",
            f"| present exactly once, with the acknowledged id | {verdict.present_once} |",
            f"| missing | {len(verdict.missing)} |",
            f"| duplicated | {len(verdict.duplicated)} |",
            f"| acknowledged with another id | {len(verdict.wrong_id)} |",
            f"| half-written (not two clocks, or no audit entry) | "
            f"{len(verdict.without_clocks) + len(verdict.without_audit)} |",
            f"| stored but never acknowledged (client gave up) | {verdict.unacknowledged_rows} |",
            f"| POSTs retried after a failure | {outcome.retried} |",
            f"| referrals acknowledged only on a retry | {outcome.replays} |",
            f"| audit chain and anchors | {verdict.audit_verify} |",
            "| PostgreSQL durability as run | "
            + ", ".join(f"{k} {v}" for k, v in sorted(verdict.durability.items()))
            + " |",
            f"| chaos phase | {outcome.seconds:.0f} s (whole run {total:.0f} s) |",
            "",
            "Seconds from a kill to the next acknowledged referral, by what was killed:",
            "",
            "| killed | times | median | p95 | max |",
            "|---|---|---|---|---|",
            *_recovery_lines(outcome),
            "",
            "Three web workers; a web worker is killed only while at least two are serving (the "
            "client fails over to another), otherwise that round kills the database, so that a "
            "round does not just measure a Python start. A database kill takes every PostgreSQL "
            "process down at once and `pg_ctl start` runs crash recovery (which first makes the "
            "data folder durable with one `syncfs`, `recovery_init_sync_method=syncfs`, rather "
            "than an fsync of every file).",
            "",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=200)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "crash_results.md")
    args = parser.parse_args()
    started = datetime.now(UTC)
    with cluster_in_temp() as cluster:
        outcome = run_chaos(cluster, kills=args.kills, seed=args.seed)
        verdict = check(cluster, outcome)
    total = (datetime.now(UTC) - started).total_seconds()
    text = report(args, outcome, verdict, total)
    args.out.write_text(text)
    print(text)
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
