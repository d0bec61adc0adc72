"""Score the language checker on the blind set: recall on blaming sentences, false flags on the rest.

Run from the repository root:

    .venv/bin/python bench/language_heldout_bench.py --label baseline   # before any rule change
    .venv/bin/python bench/language_heldout_bench.py --label after      # after the new rules

The set, `tests/data/language_heldout.csv`, was written and committed before its author read the
rules (see `git log -- tests/data/language_heldout.csv`). It is split by row: even ids are the
guide half (read while writing rules), odd ids the sealed half (never read while writing rules;
only its score is printed, and its sentences are listed only with `--reveal-sealed`, once the
rules are done). Each run replaces its own `## <label>` section of
`bench/language_heldout_results.md`, so the baseline stays beside the later figure.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "tests" / "data" / "language_heldout.csv"
RESULTS = ROOT / "bench" / "language_heldout_results.md"
TITLE = "# Language checker on the blind set (`tests/data/language_heldout.csv`)\n"


@dataclass
class Score:
    """Counts over one slice of the set: a sentence is 'flagged' when any flag is raised, and
    'held' when a flag of severity error would hold it back on saving."""

    blaming: int = 0
    flagged: int = 0
    held: int = 0
    clean: int = 0
    false_flagged: int = 0
    false_held: int = 0
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    def add(self, row: dict[str, str], severities: list[str]) -> None:
        label = f"{row['id']} [{row['idea']}] {row['text']}"
        flagged, held = bool(severities), "error" in severities
        if row["blaming"] == "yes":
            self.blaming += 1
            self.flagged += flagged
            self.held += held
            if not flagged:
                self.misses.append(label)
        else:
            self.clean += 1
            self.false_flagged += flagged
            self.false_held += held
            if flagged:
                self.false.append(f"{label} ({', '.join(severities)})")

    def row(self, name: str) -> str:
        return (
            f"| {name} | {self.blaming} | {_pct(self.flagged, self.blaming)} | "
            f"{_pct(self.held, self.blaming)} | {self.clean} | "
            f"{_pct(self.false_flagged, self.clean)} | {_pct(self.false_held, self.clean)} |"
        )


def _pct(n: int, d: int) -> str:
    return f"{n}/{d} = {n / d:.1%}" if d else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", required=True, help="section name, e.g. baseline or after")
    parser.add_argument("--reveal-sealed", action="store_true", help="list the sealed misses")
    args = parser.parse_args()

    from safehub.language import check_many

    rows = list(csv.DictReader(SET.open(encoding="utf-8")))
    started = time.perf_counter()
    results = check_many(r["text"] for r in rows)
    seconds = time.perf_counter() - started
    halves = {"guide (even ids)": Score(), "sealed (odd ids)": Score()}
    whole = Score()
    by_idea: dict[str, Score] = {}
    for row, flags in zip(rows, results, strict=True):
        severities = [f.severity for f in flags]
        whole.add(row, severities)
        half = "guide (even ids)" if int(row["id"]) % 2 == 0 else "sealed (odd ids)"
        halves[half].add(row, severities)
        by_idea.setdefault(row["idea"], Score()).add(row, severities)
    section = _section(args, whole, halves, by_idea, len(rows), seconds)
    print(section)
    _write(args.label, section)
    sys.exit(0)


def _section(
    args: argparse.Namespace,
    whole: Score,
    halves: dict[str, Score],
    by_idea: dict[str, Score],
    n: int,
    seconds: float,
) -> str:
    guide, sealed = halves["guide (even ids)"], halves["sealed (odd ids)"]
    lines = [
        f"## {args.label}",
        "",
        f"`{' '.join(['.venv/bin/python', 'bench/language_heldout_bench.py', *sys.argv[1:]])}` "
        f"on {time.strftime('%Y-%m-%d %H:%M')} UTC; {n} sentences checked in {seconds:.2f} s.",
        "",
        "| slice | blaming | recall (any flag) | recall (held: error) | not blaming | "
        "false flags (any) | false holds (error) |",
        "|---|---:|---|---|---:|---|---|",
        whole.row("all"),
        guide.row("guide half (even ids: used to write rules)"),
        sealed.row("sealed half (odd ids: never used)"),
        "",
        "Recall by idea (blaming sentences) and false flags by kind (the rest), whole set:",
        "",
        "| idea | blaming? | sentences | flagged |",
        "|---|---|---:|---|",
    ]
    for idea, s in sorted(by_idea.items(), key=lambda kv: (kv[1].blaming == 0, kv[0])):
        if s.blaming:
            lines.append(f"| {idea} | yes | {s.blaming} | {_pct(s.flagged, s.blaming)} |")
        else:
            lines.append(f"| {idea} | no | {s.clean} | {_pct(s.false_flagged, s.clean)} |")
    lines += ["", "Guide half, missed:", ""]
    lines += [f"- {m}" for m in guide.misses] or ["- none"]
    lines += ["", "Guide half, falsely flagged:", ""]
    lines += [f"- {m}" for m in guide.false] or ["- none"]
    if args.reveal_sealed:
        lines += ["", "Sealed half, missed:", ""]
        lines += [f"- {m}" for m in sealed.misses] or ["- none"]
        lines += ["", "Sealed half, falsely flagged:", ""]
        lines += [f"- {m}" for m in sealed.false] or ["- none"]
    else:
        lines += ["", "Sealed half: sentences not listed (scores only, so it stays sealed)."]
    return "\n".join(lines) + "\n"


def _write(label: str, section: str) -> None:
    """Replace the `## label` section of the results file, keeping the others in order."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else TITLE
    parts = re.split(r"(?m)^(?=## )", text)
    head, sections = parts[0], parts[1:]
    mine = f"## {label}\n"
    for i, part in enumerate(sections):
        if part.startswith(mine):
            sections[i] = section + "\n"
            break
    else:
        sections.append(section + "\n")
    RESULTS.write_text(head + "".join(sections), encoding="utf-8")


if __name__ == "__main__":
    main()
