"""``python -m bench.hardgen generate|score|baseline|live`` (run from the repository root).

- ``generate --seed N --profile NAME --out DIR``: extracts in DIR, truth in DIR/truth; prints the
  counts as JSON.
- ``score --truth DIR/truth --resolved R.csv [--review REVIEW.csv] [--networks NETDIR]``: prints
  the metrics as JSON (definitions: ``score.py``, ``netscore.py``).
- ``baseline FILES... --out R.csv``: plain Splink (``bench/linkage_baseline.py``) on the files,
  written as ``resolve`` writes its output, so both are timed and scored the same way.
- ``live --truth DIR/truth``: group precision and alerted people outside planted groups in the
  database after ``safehub import`` and ``safehub jobs run-once`` (``DATABASE_URL`` or the
  embedded server of ``SAFEHUB_DATA_DIR``).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from bench.hardgen.generate import generate
from bench.hardgen.profiles import PROFILES, profile
from bench.hardgen.score import score_resolution
from bench.hardgen.truthfiles import read_resolved, read_review, read_truth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hardgen")
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="write extracts and truth")
    gen.add_argument("--seed", type=int, required=True)
    gen.add_argument("--profile", required=True, choices=sorted(PROFILES))
    gen.add_argument("--out", type=Path, required=True)
    sc = commands.add_parser("score", help="score a resolution and/or a networks folder")
    sc.add_argument("--truth", type=Path, required=True)
    sc.add_argument("--resolved", type=Path)
    sc.add_argument("--review", type=Path)
    sc.add_argument("--networks", type=Path)
    sc.add_argument("--detail", action="store_true", help="also each found group, explained")
    base = commands.add_parser("baseline", help="plain Splink on the files")
    base.add_argument("files", nargs="+", type=Path)
    base.add_argument("--out", type=Path, required=True)
    live = commands.add_parser("live", help="score groups and alerts in the database")
    live.add_argument("--truth", type=Path, required=True)
    args = parser.parse_args(argv)
    return {"generate": _generate, "score": _score, "baseline": _baseline, "live": _live}[
        args.command
    ](args)


def _generate(args: argparse.Namespace) -> int:
    counts = generate(profile(args.profile), args.seed, args.out)
    print(json.dumps(counts, sort_keys=True))
    return 0


def _score(args: argparse.Namespace) -> int:
    truth = read_truth(args.truth)
    result: dict[str, object] = {}
    if args.resolved:
        review = read_review(args.review) if args.review and args.review.exists() else None
        result["resolution"] = score_resolution(truth, read_resolved(args.resolved), review)
    if args.networks:
        from bench.hardgen.netscore import score_networks

        result["networks"] = score_networks(truth, args.networks, args.detail)
        if not args.resolved:
            people = read_resolved(args.networks / "people.csv")
            result["resolution"] = score_resolution(truth, people)
    if not result:
        print("give --resolved and/or --networks", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=1, sort_keys=True))
    return 0


def _baseline(args: argparse.Namespace) -> int:
    from bench.linkage_baseline import plain_splink
    from safehub.extracts import read_extracts

    batch = read_extracts(args.files)
    if not batch.ok:
        for problem in batch.errors[:20]:
            print(problem, file=sys.stderr)
        return 2
    found = plain_splink(batch.mentions)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["agency_code", "person_ref", "person_id"])
        writer.writerows(sorted([a, r, f"S{cluster}"] for (a, r), cluster in found.items()))
    print(f"agency people in {len(found)}, people out {len(set(found.values()))}", file=sys.stderr)
    return 0


def _live(args: argparse.Namespace) -> int:
    from bench.hardgen.live import score_live

    print(json.dumps(score_live(read_truth(args.truth)), indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
