"""``safehub resolve`` and plain Splink on public data the team did not make.

    .venv/bin/python bench/linkage_public.py [--datasets historical_50k febrl3 febrl4]

Splink's ``historical_50k`` (50,578 records of 5,156 Wikidata people with injected errors, truth in ``cluster``),
FEBRL3 (5,000 records of 2,000 people, one file) and FEBRL4 (5,000 + 5,000, two agencies), read
from ``../shared/data`` and written as format-v1 extracts (``linkage_data.py`` says how each column
travels). Each engine runs as a subprocess under GNU time (wall seconds, peak resident memory),
back to back: ``safehub resolve FILES --out R.csv --review-out REVIEW.csv`` (trains on its input)
and plain Splink (``linkage_baseline.py`` through ``python -m bench.hardgen baseline``). Scored
pairwise over agency people (``bench/hardgen/score.py``): automatic precision, recall, F1, and
the review queue. Says so and skips when ``../shared/data`` is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.hardgen.score import score_resolution  # noqa: E402
from bench.hardgen.truthfiles import TruthSet, read_resolved, read_review  # noqa: E402
from bench.hardgen_bench import PYTHON, SAFEHUB, Run, timed  # noqa: E402
from bench.linkage_data import (  # noqa: E402
    FEBRL,
    FEBRL3,
    HISTORICAL,
    SHARED,
    febrl3_extracts,
    febrl_extracts,
    historical_extracts,
)
from bench.results_file import machine, replace_section  # noqa: E402

Extracts = Callable[[Path], tuple[list[Path], dict[tuple[str, str], str]]]
DATASETS: dict[str, tuple[str, Path, Extracts]] = {
    "historical_50k": ("Splink historical_50k (50,578 rows)", HISTORICAL, historical_extracts),
    "febrl3": ("FEBRL3 (5,000 rows, one file)", FEBRL3, febrl3_extracts),
    "febrl4": ("FEBRL4 (5,000 + 5,000, two agencies)", FEBRL / "dataset4a.csv", febrl_extracts),
}
HEADING = "Identity resolution on public data (`safehub resolve` vs plain Splink)"
HEADER = (
    "| data | engine | time | peak memory | precision | recall | F1 | review pairs "
    "(% of agency people) | true share of the queue | recall after review |\n" + "|---" * 10 + "|"
)


def run_dataset(name: str, work: Path) -> tuple[str, Run, Run]:
    label, _, extracts = DATASETS[name]
    folder = work / name
    folder.mkdir(parents=True, exist_ok=True)
    files, truth_map = extracts(folder)
    truth = TruthSet(person_of=truth_map, named=set(truth_map))
    out, review = folder / "resolved.csv", folder / "review.csv"
    ours = timed([SAFEHUB, "resolve", *files, "--out", out, "--review-out", review])
    if ours.code == 0:
        ours.scores = score_resolution(truth, read_resolved(out), read_review(review))
    plain_out = folder / "plain-splink.csv"
    plain = timed([PYTHON, "-m", "bench.hardgen", "baseline", *files, "--out", plain_out])
    if plain.code == 0:
        plain.scores = score_resolution(truth, read_resolved(plain_out))
    return label, ours, plain


def row(label: str, engine: str, run: Run) -> str:
    if run.code != 0:
        return f"| {label} | {engine} | failed (exit {run.code}): `{run.last_line}` |" + " |" * 7
    auto = run.scores["automatic"]
    assert isinstance(auto, dict)
    review = run.scores.get("review")
    queue = (
        f"{review['pairs']} ({review['percent_of_agency_people']}%) | "
        f"{review['review_true_share']} | {review['recall_after_review']}"
        if isinstance(review, dict)
        else "none | – | –"
    )
    return (
        f"| {label} | {engine} | {run.seconds} s | {run.peak_gb} GB | {auto['precision']} | "
        f"{auto['recall']} | {auto['f1']} | {queue} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--datasets", nargs="*", choices=sorted(DATASETS), default=list(DATASETS))
    parser.add_argument("--no-results", action="store_true", help="leave results.md alone")
    args = parser.parse_args(argv)
    if not SHARED.exists():
        print(f"{SHARED} is absent: public-data bench skipped", file=sys.stderr)
        return 0
    lines, found = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.datasets:
            label, source, _ = DATASETS[name]
            if not source.exists():
                lines.append(f"| {label} | – | {source} absent, skipped |" + " |" * 7)
                continue
            print(f"{name} …", file=sys.stderr)
            label, ours, plain = run_dataset(name, Path(tmp))
            lines += [row(label, "safehub resolve", ours), row(label, "plain Splink", plain)]
            found.append({"data": name, "safehub": ours.scores, "plain_splink": plain.scores})
    print(json.dumps(found, indent=1, default=str))
    if not args.no_results:
        command = " ".join(["bench/linkage_public.py", *(argv or sys.argv[1:])])
        body = (
            f"`{command}` — {machine()}. Each engine ran as a subprocess under GNU time (wall, "
            "peak resident memory), one after the other; `safehub resolve` trains on its input "
            '(no saved model). Pairwise over agency people; "recall after review" assumes a '
            "reviewer confirms exactly the true pairs of the queue. How each dataset's columns "
            "travel in format v1: `bench/linkage_data.py`.\n\n" + HEADER + "\n" + "\n".join(lines)
        )
        replace_section(HEADING, body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
