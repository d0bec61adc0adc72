"""Group scores of ``safehub networks`` over many dev worlds, for studying the group rule.

``python bench/hardgen_groups_study.py --work /tmp/gr/study [--cases busy:3-10 roam:3-10 ...]``
generates each world (once; kept in WORK), runs ``safehub networks`` on it, scores it with the
group detail (``score --networks --detail``) and prints one line per world and the totals.
``--tag`` names the networks folder, so that two engines can be compared on the same worlds;
``--src DIR`` runs the engine of another checkout's ``src`` (``git archive HEAD src | tar -x -C
DIR/..``), for the "before" of a change.

Only dev worlds: the profiles' own settings at the given seeds, and variants that change
settings the way SEALED and SEALED2 did (busier areas, more unnamed men, more groups, more
movers), and the splits SEALED to SEALED6 (all scored and read). Never SEALED7 (``splits.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.hardgen.generate import generate  # noqa: E402
from bench.hardgen.netscore import score_networks  # noqa: E402
from bench.hardgen.profiles import PROFILES  # noqa: E402
from bench.hardgen.settings import Settings  # noqa: E402
from bench.hardgen.truthfiles import read_truth  # noqa: E402

SAFEHUB = ROOT / ".venv" / "bin" / "safehub"
# Sealed splits already scored and read, so dev data now. SEALED7 is not one of them.
DEV_SPLITS = ("sealed", "sealed2", "sealed3", "sealed4", "sealed5", "sealed6")
_GENERATING = threading.Lock()  # one world at a time: the generator is not shared-state safe

# Variants of the dev profiles, changing settings the way the (now dev) SEALED and SEALED2 did.
VARIANTS: dict[str, tuple[str, dict[str, object]]] = {
    "busy": ("busy_area", {}),
    "roam": ("roaming", {}),
    "small": ("agencies_small", {}),
    "suspect": ("suspect_heavy", {}),
    "twins": ("twins_heavy", {}),
    "sparse": ("sparse", {}),
    "bare": ("bare", {}),
    "busyx": ("busy_area", {"areas": ("rochdale",), "busy": 1.5, "unnamed_rate": 0.25}),
    "busyo": (
        "busy_area",
        {
            "areas": ("oldham",),
            "busy": 1.3,
            "large_family_rate": 0.035,
            "group_adults": (3, 6),
            "group_children": (3, 8),
            "unnamed_rate": 0.2,
        },
    ),
    "roamx": (
        "roaming",
        {
            "areas": ("bradford", "rotherham", "telford"),
            "groups": 5,
            "mover_rate": 0.3,
            "surname_change_rate": 0.08,
        },
    ),
    "roamk": (
        "roaming",
        {
            "areas": ("kirklees", "sheffield", "oldham"),
            "groups": 5,
            "mover_rate": 0.35,
            "phone_change_rate": 0.45,
        },
    ),
}


def settings_of(variant: str) -> Settings:
    """A variant's settings. ``sealed:PROFILE`` to ``sealed6:PROFILE`` are those splits' own
    settings (each scored and now dev data), so their worlds are the very same; never SEALED7,
    the split still sealed."""
    split, _, profile = variant.partition("=")
    if profile:
        if split not in DEV_SPLITS:
            raise SystemExit(f"{split}: only the splits {', '.join(DEV_SPLITS)} are dev data now")
        from bench.hardgen.splits import SPLITS

        return next(c.settings for c in SPLITS[split] if c.profile == profile)
    name, changes = VARIANTS[variant]
    base = PROFILES[name]
    if not changes:
        return base
    return replace(base, name=f"{name}_{variant}", **changes)  # type: ignore[arg-type]


def parse_cases(specs: list[str]) -> list[tuple[str, int]]:
    """``busy:3-10``, ``roamx:11-13`` or ``sealed2=busy_area:61302`` → (variant, seed) pairs."""
    found: list[tuple[str, int]] = []
    for spec in specs:
        variant, seeds = spec.split(":")
        low, _, high = seeds.partition("-")
        found += [(variant, s) for s in range(int(low), int(high or low) + 1)]
    return found


def run_one(variant: str, seed: int, work: Path, tag: str, src: Path | None) -> dict[str, object]:
    world = work / f"{variant}-{seed}"
    with _GENERATING:
        if not (world / "truth" / "summary.json").exists():
            generate(settings_of(variant), seed, world)
    out = world / f"net-{tag}"
    files = sorted(world.glob("*.csv"))
    env = {**os.environ, "PYTHONPATH": str(src)} if src else None
    subprocess.run(
        [SAFEHUB, "networks", *files, "--out", out],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    scores = score_networks(read_truth(world / "truth"), out, True)
    (world / f"score-{tag}.json").write_text(json.dumps(scores, indent=1, sort_keys=True))
    return {"case": f"{variant}-{seed}", **scores}


def line(s: dict[str, object]) -> str:
    return (
        f"{s['case']:<14} found {s['found_groups']:>2} planted {s['planted_groups']:>2} "
        f"precision {s['group_precision']:.2f} recall {s['group_recall']:.2f} "
        f"organisers {s['organisers_in_top_2g']}/{s['planted_groups']} "
        f"outside {s['adults_outside_planted_share']:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--cases", nargs="+", default=["busy:3-10", "roam:3-10"])
    parser.add_argument("--tag", default="now")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--src", type=Path, help="the engine's src folder (default: this one)")
    args = parser.parse_args(argv)
    chosen = parse_cases(args.cases)
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda c: run_one(*c, args.work, args.tag, args.src), chosen))
    for s in results:
        print(line(s), flush=True)
    found = sum(int(s["found_groups"]) for s in results)  # type: ignore[call-overload]
    correct = sum(int(s["correct_groups"]) for s in results)  # type: ignore[call-overload]
    planted = sum(int(s["planted_groups"]) for s in results)  # type: ignore[call-overload]
    organisers = sum(int(s["organisers_in_top_2g"]) for s in results)  # type: ignore[call-overload]
    print(
        f"TOTAL found {found} correct {correct} planted {planted} "
        f"precision {correct / max(found, 1):.3f} organisers {organisers}/{planted}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
