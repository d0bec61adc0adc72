"""Safehub and plain Splink on independent, adversarial extracts (``bench/hardgen``).

    .venv/bin/python bench/hardgen_bench.py --split dev [--profiles agencies_small busy_area]
    .venv/bin/python bench/hardgen_bench.py --split sealed --i-am-scoring-the-end   # the lead, once

For each case of the split: generate the extracts, then run as subprocesses, each under GNU time
(wall seconds, peak resident memory): ``safehub resolve FILES --out R.csv [--review-out
REVIEW.csv]`` (trains on its input), ``safehub networks FILES --out DIR`` and plain Splink
(``bench/linkage_baseline.py`` through ``python -m bench.hardgen baseline``), back to back in the
same run; score all three against the truth and write a section of ``bench/results.md``. A
command that fails (a traceback on sparse data) is reported as failed, with its last stderr line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.hardgen.generate import generate  # noqa: E402
from bench.hardgen.netscore import score_networks  # noqa: E402
from bench.hardgen.score import score_resolution  # noqa: E402
from bench.hardgen.splits import Case, cases  # noqa: E402
from bench.hardgen.truthfiles import TruthSet, read_resolved, read_review, read_truth  # noqa: E402
from bench.results_file import machine, replace_section  # noqa: E402

SAFEHUB = ROOT / ".venv" / "bin" / "safehub"
PYTHON = ROOT / ".venv" / "bin" / "python"
GNU_TIME = Path("/usr/bin/time")


@dataclass(slots=True)
class Run:
    """One timed command: wall seconds, peak memory (GB), exit code, last stderr line."""

    seconds: float
    peak_gb: float
    code: int
    last_line: str
    scores: dict[str, object] = field(default_factory=dict)
    stdout: str = field(default="", repr=False)


def timed(args: list[str | Path], env: dict[str, str] | None = None) -> Run:
    """Run a command under GNU time -v (else getrusage of children), never raising."""
    command = [str(a) for a in args]
    if GNU_TIME.exists():
        with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
            started = time.perf_counter()
            done = subprocess.run(
                [str(GNU_TIME), "-v", "-o", report.name, *command],
                capture_output=True,
                text=True,
                check=False,
                env=env,
            )
            seconds = time.perf_counter() - started
            peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report.read())
            gb = int(peak.group(1)) / 1024**2 if peak else 0.0
    else:  # the peak of all children so far: a run's figure is only right for the largest run
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
        seconds = time.perf_counter() - started
        gb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
    run = Run(round(seconds, 1), round(gb, 2), done.returncode, _last_words(done.stderr))
    run.stdout = done.stdout
    return run


_EXCEPTION = re.compile(r"^[\w.]+(?:Error|Exception|Exit):")


def _last_words(stderr: str) -> str:
    """What to print for a command: the exception of a traceback, else its last stderr line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    raised = [line for line in lines if _EXCEPTION.match(line)]
    chosen = raised[-1] if raised else (lines[-1] if lines else "")
    return chosen.replace("|", "/").replace("`", "'")[:160]


def has_review_out() -> bool:
    """``--review-out`` is being added by another engineer: use it when it exists."""
    done = subprocess.run(
        [str(SAFEHUB), "resolve", "--help"], capture_output=True, text=True, check=False
    )
    return "--review-out" in done.stdout


@dataclass(slots=True)
class CaseResult:
    """One generated world and the three commands run on it."""

    case: str
    counts: dict[str, int]
    generate_seconds: float
    resolve: Run
    splink: Run
    networks: Run
    live: list[Run] = field(default_factory=list)  # import, jobs run-once, with live scores


def run_case(case: Case, work: Path, review_out: bool, live: bool) -> CaseResult:
    folder = work / f"{case.settings.name}-{case.seed}"
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    counts = generate(case.settings, case.seed, folder)
    generated = round(time.perf_counter() - started, 1)
    files = sorted(folder.glob("*.csv"))
    truth = read_truth(folder / "truth")
    result = CaseResult(
        f"{case.settings.name} seed {case.seed}",
        counts,
        generated,
        _resolve(files, folder, truth, review_out),
        _baseline(files, folder, truth),
        _networks(files, folder, truth),
    )
    if live:
        result.live = _live(files, folder)
    return result


def _resolve(files: list[Path], folder: Path, truth: TruthSet, review_out: bool) -> Run:
    out, review = folder / "resolved.csv", folder / "review.csv"
    extra: list[str | Path] = ["--review-out", review] if review_out else []
    run = timed([SAFEHUB, "resolve", *files, "--out", out, *extra])
    if run.code == 0:
        pairs = read_review(review) if review.exists() else None
        run.scores = score_resolution(truth, read_resolved(out), pairs)
    return run


def _baseline(files: list[Path], folder: Path, truth: TruthSet) -> Run:
    out = folder / "plain-splink.csv"
    run = timed([PYTHON, "-m", "bench.hardgen", "baseline", *files, "--out", out])
    if run.code == 0:
        run.scores = score_resolution(truth, read_resolved(out))
    return run


def _networks(files: list[Path], folder: Path, truth: TruthSet) -> Run:
    out = folder / "networks"
    run = timed([SAFEHUB, "networks", *files, "--out", out])
    if run.code == 0:
        run.scores = score_networks(truth, out)
    return run


def _live(files: list[Path], folder: Path) -> list[Run]:
    """``safehub import`` then ``safehub jobs run-once`` on a fresh embedded database, scored."""
    data = folder / "db"
    data.mkdir(mode=0o755)
    data.chmod(0o755)  # as root the embedded server runs as its own user, which must reach it
    env = {**os.environ, "SAFEHUB_DATA_DIR": str(data), "DATABASE_URL": ""}
    imported = timed([SAFEHUB, "import", *files], env)
    jobs = timed([SAFEHUB, "jobs", "run-once"], env) if imported.code == 0 else imported
    if jobs.code == 0:
        truth_dir = folder / "truth"
        scored = subprocess.run(
            [str(PYTHON), "-m", "bench.hardgen", "live", "--truth", str(truth_dir)],
            capture_output=True,
            text=True,
            check=False,
            env=env,
            cwd=ROOT,
        )
        jobs.scores = json.loads(scored.stdout) if scored.returncode == 0 else {}
    return [imported, jobs]


def _get(scores: dict[str, object], *path: str) -> object:
    value: object = scores
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return "–"
        value = value[key]
    return value


def _hard(scores: dict[str, object], kind: str) -> str:
    entry = _get(scores, "hard_pairs_merged", kind)
    return f"{entry['merged']}/{entry['pairs']}" if isinstance(entry, dict) else "–"


def resolution_row(case: str, engine: str, run: Run) -> str:
    if run.code != 0:
        return f"| {case} | {engine} | failed (exit {run.code}): `{run.last_line}` |" + " |" * 10
    s = run.scores
    review = _get(s, "review", "pairs")
    share = _get(s, "review", "percent_of_agency_people")
    return (
        f"| {case} | {engine} | {run.seconds} s | {run.peak_gb} GB | {_get(s, 'automatic', 'precision')} | "
        f"{_get(s, 'automatic', 'recall')} | {_get(s, 'automatic', 'f1')} | {review} ({share}) | "
        f"{_hard(s, 'twins')} | {_hard(s, 'siblings_1y')} | {_hard(s, 'father_son')} | "
        f"{_get(s, 'common_name_false_merges', 'pairs_merged')} | "
        f"{_get(s, 'fragments', 'suspects', 'mean')} / {_get(s, 'fragments', 'planted_adults', 'mean')} |"
    )


def networks_row(case: str, run: Run) -> str:
    if run.code != 0:
        return f"| {case} | failed (exit {run.code}): `{run.last_line}` |" + " |" * 6
    s = run.scores
    return (
        f"| {case} | {run.seconds} s | {run.peak_gb} GB | {s['found_groups']} / {s['planted_groups']} | "
        f"{s['group_precision']} | {s['group_recall']} | {s['organisers_in_top_2g']} of "
        f"{s['planted_groups']} | {s['adults_outside_planted_share']} |"
    )


RESOLUTION_HEADER = (
    "| case | engine | time | peak memory | precision | recall | F1 | review pairs (% of agency people) | "
    "twins merged | siblings 1y merged | father/son merged | common-name merges | "
    "fragments: suspects / planted adults |\n" + "|---" * 13 + "|"
)
LIVE_HEADER = (
    "| case | import | jobs run-once | groups found / planted | group precision | group recall | "
    "alerted people | alerted outside planted groups |\n" + "|---" * 8 + "|"
)
NETWORK_HEADER = (
    "| case | time | peak memory | groups found / planted | group precision | group recall | "
    "organisers in top 2×G | adults in groups outside planted |\n" + "|---" * 8 + "|"
)


def live_row(case: str, runs: list[Run]) -> str:
    imported, jobs = runs
    if jobs.code != 0:
        return f"| {case} | failed (exit {jobs.code}): `{jobs.last_line}` |" + " |" * 6
    s = jobs.scores
    return (
        f"| {case} | {imported.seconds} s, {imported.peak_gb} GB | {jobs.seconds} s, "
        f"{jobs.peak_gb} GB | {_get(s, 'found_groups')} / {_get(s, 'planted_groups')} | "
        f"{_get(s, 'group_precision')} | {_get(s, 'group_recall')} | {_get(s, 'alerted_people')} | "
        f"{_get(s, 'alerted_outside_share')} |"
    )


def write_results(split: str, results: list[CaseResult], command: str, review_out: bool) -> None:
    counts = "\n".join(
        f"- {r.case}: {r.counts['rows']} rows, {r.counts['agency_people']} agency people, "
        f"{r.counts['true_people']} true people, {r.counts['groups']} planted groups, "
        f"{r.counts['files']} files (generated in {r.generate_seconds} s)"
        for r in results
    )
    resolution = "\n".join(
        row
        for r in results
        for row in (
            resolution_row(r.case, "safehub resolve", r.resolve),
            resolution_row(r.case, "plain Splink", r.splink),
        )
    )
    networks = "\n".join(networks_row(r.case, r.networks) for r in results)
    live = "\n".join(live_row(r.case, r.live) for r in results if r.live)
    live_table = f"\n\nLive chain:\n\n{LIVE_HEADER}\n{live}" if live else ""
    review_note = (
        "" if review_out else " `safehub resolve` has no `--review-out` yet: no review figures."
    )
    body = (
        f"`{command}` — {machine()}. Each command ran under GNU time (wall, peak resident "
        f"memory), one after another in the same run; `resolve` trains on its input.{review_note} "
        "Metric definitions: `bench/hardgen/README.md`.\n\n"
        f"{counts}\n\n{RESOLUTION_HEADER}\n{resolution}\n\n{NETWORK_HEADER}\n{networks}"
        f"{live_table}\n"
    )
    names = sorted({r.case.split(" seed ")[0] for r in results})
    # One section per split and set of profiles, so a run of one profile leaves the others be.
    replace_section(
        f"Independent adversarial extracts (hardgen, {split} split: {', '.join(names)})", body
    )


def live_only(args: argparse.Namespace, chosen: list[Case], argv: list[str] | None) -> int:
    """The live chain alone on each case: generate, ``safehub import``, ``safehub jobs
    run-once``, score; a section of its own, so that the other engines' rows stay as they are."""
    rows, loads = [], []
    for case in chosen:
        print(f"{case.settings.name} seed {case.seed} (live only) …", file=sys.stderr)
        folder = args.work / args.split / f"{case.settings.name}-{case.seed}"
        shutil.rmtree(folder, ignore_errors=True)
        generate(case.settings, case.seed, folder)
        loads.append(os.getloadavg()[0])
        runs = _live(sorted(folder.glob("*.csv")), folder)
        loads.append(os.getloadavg()[0])
        print(
            json.dumps({"case": f"{case.settings.name} seed {case.seed}", "jobs": asdict(runs[1])})
        )
        rows.append(live_row(f"{case.settings.name} seed {case.seed}", runs))
    if not args.no_results:
        command = " ".join(
            ["bench/hardgen_bench.py", *(argv if argv is not None else sys.argv[1:])]
        )
        names = sorted({c.settings.name for c in chosen})
        body = (
            f"`{command}` — {machine()}; load average {min(loads):.1f}–{max(loads):.1f} while the "
            "cases ran (a shared machine: times are indicative). Each case: `safehub import` of "
            "the extracts into a fresh embedded database, then `safehub jobs run-once` (resolution, "
            "then the network update and its alerts), each under GNU time; then scored from the "
            "database (`bench/hardgen/live.py`: alerted people are every person an alert names)."
            f"\n\n{LIVE_HEADER}\n" + "\n".join(rows) + "\n"
        )
        replace_section(
            f"Live chain on independent extracts (hardgen, {args.split} split: {', '.join(names)})",
            body,
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--split",
        choices=(
            "dev",
            "sealed",
            "sealed2",
            "sealed3",
            "sealed4",
            "sealed5",
            "sealed6",
            "sealed7",
            "sealed8",
            "sealed9",
            "sealed10",
            "sealed11",
            "sealed12",
            "sealed13",
            "sealed14",
            "sealed15",
        ),
        required=True,
    )
    parser.add_argument("--profiles", nargs="*", help="only these profiles of the split")
    parser.add_argument(
        "--i-am-scoring-the-end",
        action="store_true",
        dest="sealed_ok",
        help="the sealed split is scored once, by the lead, at the end",
    )
    parser.add_argument(
        "--live", action="store_true", help="also safehub import + jobs run-once, scored live"
    )
    parser.add_argument(
        "--live-only",
        action="store_true",
        help="only safehub import + jobs run-once, scored live (a section of its own)",
    )
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "hardgen-bench")
    parser.add_argument(
        "--no-results", action="store_true", help="print JSON only; leave results.md alone"
    )
    args = parser.parse_args(argv)
    if args.split.startswith("sealed") and not args.sealed_ok:
        print(
            "the sealed split is scored only at the end, by the lead: add --i-am-scoring-the-end",
            file=sys.stderr,
        )
        return 2
    chosen = cases(args.split, args.profiles)
    if not chosen:
        print(f"no case of the {args.split} split matches {args.profiles}", file=sys.stderr)
        return 2
    if args.live_only:
        return live_only(args, chosen, argv)
    review_out = has_review_out()
    results = []
    for case in chosen:
        print(f"{case.settings.name} seed {case.seed} …", file=sys.stderr)
        results.append(run_case(case, args.work / args.split, review_out, args.live))
    print(json.dumps([asdict(r) for r in results], indent=1, default=str))
    if not args.no_results:
        command = " ".join(
            ["bench/hardgen_bench.py", *(argv if argv is not None else sys.argv[1:])]
        )
        write_results(args.split, results, command, review_out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
