"""Disparity monitoring on generated data: does the build flag a planted slower group, and only it?

    .venv/bin/python bench/oversight_disparity_bench.py            # dev seeds (0-99), stdout only
    .venv/bin/python bench/oversight_disparity_bench.py --sealed   # the sealed seeds, once; writes
                                                                   # bench/oversight_disparity_results.md

Each seed generates one year of units for the three unit measures (time to charge, time to a
referral decision, no-further-action), adversarially:

- unequal groups: suspect ethnicity White 58%, Asian 20%, Black 10%, Mixed 6%, Other 6% of those
  recorded, the mix varying by area;
- "Not stated" the majority, as in real data: about two-thirds of suspects have no ethnicity
  recorded (the share varies by area), a fifth of victims;
- censoring: reports arrive through the year and the data ends 30 days after it, so late reports
  are still waiting; 10% of cases leave early (transferred), censored when they leave;
- area confounding: 8 areas of unequal size, each with its own pace (hazard x lognormal, sd 0.4)
  and its own NFA rate, and its own ethnicity mix: a marginal comparison would read the slow
  areas' mix as a slow group. Areas really do differ, so a flag on the *area* dimension is true,
  and is not counted as a false flag.

Two conditions per seed: **planted** (one suspect-ethnicity group's time to charge has hazard
ratio 0.6, i.e. charged more slowly; the group rotates with the seed over Asian, Black, Mixed,
Other) and **null** (no group differs, only areas do). Scored at alpha = 5% after Holm correction
over every comparison of the build:

- detection: the share of planted seeds where (crime_to_charge, suspect_ethnicity) is flagged
  (target >= 80%), and where the planted group is the slowest named;
- no false flag: the share of null seeds where nothing but area is flagged (target >= 90%), and
  the false-flag rate over all non-area comparisons of null builds.

Sealed split: dev seeds are below 1000 and were the only ones looked at while the engine and
this generator were built; the sealed seeds (1000 and up) are scored once, at the end, by
``--sealed``, which writes the results file.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from safehub.oversight.disparity import Unit, compare_groups

RESULTS = Path(__file__).with_name("oversight_disparity_results.md")
GROUPS = ("White", "Asian", "Black", "Mixed", "Other")
SHARES = np.array([0.58, 0.20, 0.10, 0.06, 0.06])
PLANTED_IN = ("Asian", "Black", "Mixed", "Other")
AREAS = tuple(f"E080000{30 + i}" for i in range(8))
AREA_WEIGHTS = np.array([0.28, 0.2, 0.14, 0.11, 0.09, 0.08, 0.06, 0.04])
AGE_BANDS = ("0-9", "10-12", "13-15", "16-17", "Unknown")
AGE_SHARES = np.array([0.05, 0.15, 0.45, 0.3, 0.05])
YEAR_DAYS = 365
END = YEAR_DAYS + 30
HAZARD_RATIO = 0.6
SIZES = {"crime_to_charge": 8000, "referral_decision": 8000, "crime_nfa": 5000}
DEV_SEEDS = range(100)
SEALED_SEEDS = range(1000, 1200)


@dataclass(frozen=True)
class Outcome:
    detected: bool
    slowest_named: bool
    false_flags: int  # flagged comparisons other than area and the planted one
    comparisons: int  # non-area comparisons tested


def generate(seed: int, planted: str | None) -> list[Unit]:
    """One year of units; ``planted``: the suspect-ethnicity group charged more slowly."""
    rng = np.random.default_rng(seed)
    pace = np.exp(rng.normal(0, 0.4, len(AREAS)))
    nfa_logit = rng.normal(0.2, 0.4, len(AREAS))
    mixes = rng.dirichlet(SHARES * 20, len(AREAS))
    not_stated = rng.beta(6.7, 3.3, len(AREAS))  # mean 0.67
    units: list[Unit] = []
    for measure, size in SIZES.items():
        area = rng.choice(len(AREAS), size=size, p=AREA_WEIGHTS)
        for i in range(size):
            a = int(area[i])
            units.append(
                _unit(rng, measure, a, mixes[a], not_stated[a], pace[a], nfa_logit[a], planted)
            )
    return units


def _unit(
    rng: np.random.Generator,
    measure: str,
    a: int,
    mix: np.ndarray,
    not_stated: float,
    pace: float,
    nfa_logit: float,
    planted: str | None,
) -> Unit:
    suspect = None if rng.random() < not_stated else str(rng.choice(GROUPS, p=mix))
    victim = None if rng.random() < 0.2 else str(rng.choice(GROUPS, p=mix))
    common = {
        "suspect_ethnicity": suspect,
        "victim_ethnicity": victim,
        "victim_sex": "F" if rng.random() < 0.85 else "M",
        "victim_age_band": str(rng.choice(AGE_BANDS, p=AGE_SHARES)),
        "in_care": bool(rng.random() < 0.25),
    }
    if measure == "crime_nfa":
        event = rng.random() < 1 / (1 + np.exp(-nfa_logit))
        return Unit(measure, AREAS[a], "2026", event=bool(event), **common)
    # Weibull (shape 0.8) times: median 90 days to charge, 2 working days to a decision.
    scale = 90.0 if measure == "crime_to_charge" else 2.0
    rate = pace * (HAZARD_RATIO if measure == "crime_to_charge" and suspect == planted else 1.0)
    t = scale * (rng.exponential() / rate) ** (1 / 0.8) / np.log(2) ** (1 / 0.8)
    horizon = END - rng.uniform(0, YEAR_DAYS)
    if rng.random() < 0.1:
        horizon = min(horizon, rng.uniform(0, horizon))
    return Unit(
        measure, AREAS[a], "2026", days=float(min(t, horizon)), event=bool(t <= horizon), **common
    )


def score(seed: int, planted: str | None) -> Outcome:
    build = compare_groups(generate(seed, planted))
    target = ("crime_to_charge", "suspect_ethnicity")
    others = [
        t for t in build.tests if t.dimension != "area" and (t.measure, t.dimension) != target
    ]
    false = sum(t.flagged for t in others)
    tested = sum(t.result is not None for t in build.tests if t.dimension != "area")
    hit = next(t for t in build.tests if (t.measure, t.dimension) == target)
    slowest = planted is not None and f"slowest {planted} " in build.statement
    if planted is None:
        false += int(hit.flagged)
    return Outcome(planted is not None and hit.flagged, slowest, false, tested)


def run(seeds: range) -> dict[str, float]:
    started = time.perf_counter()
    planted = [score(s, PLANTED_IN[s % len(PLANTED_IN)]) for s in seeds]
    null = [score(s, None) for s in seeds]
    by_group = {
        g: np.mean(
            [o.detected for s, o in zip(seeds, planted, strict=True) if PLANTED_IN[s % 4] == g]
        )
        for g in PLANTED_IN
    }
    return {
        "seeds": len(seeds),
        "detected": float(np.mean([o.detected for o in planted])),
        "slowest_named": float(np.mean([o.slowest_named for o in planted])),
        **{f"detected_{g}": float(v) for g, v in by_group.items()},
        "planted_false_flags": float(np.mean([o.false_flags > 0 for o in planted])),
        "null_clean": float(np.mean([o.false_flags == 0 for o in null])),
        "null_false_rate": sum(o.false_flags for o in null)
        / max(sum(o.comparisons for o in null), 1),
        "seconds_per_build": (time.perf_counter() - started) / (2 * len(seeds)),
    }


def table(label: str, seeds: range, r: dict[str, float]) -> str:
    rows = [
        (
            "Planted slower group flagged (time to charge by suspect ethnicity)",
            f"{r['detected']:.0%}",
            ">= 80%",
        ),
        *(
            (f"- when the planted group is {g}", f"{r[f'detected_{g}']:.0%}", "")
            for g in PLANTED_IN
        ),
        ("Planted group named as the slowest in the statement", f"{r['slowest_named']:.0%}", ""),
        ("Planted seeds with any other (non-area) flag", f"{r['planted_false_flags']:.0%}", ""),
        ("Null seeds with no flag (area aside)", f"{r['null_clean']:.0%}", ">= 90%"),
        ("False-flag rate per non-area comparison, null seeds", f"{r['null_false_rate']:.2%}", ""),
        ("Seconds per build (18 comparisons, 21,000 units)", f"{r['seconds_per_build']:.2f}", ""),
    ]
    lines = [
        f"{label}: seeds {seeds.start}-{seeds.stop - 1} ({r['seeds']:.0f} seeds, each planted and null)",
        "",
        "| measure | result | target |",
        "|---|---|---|",
        *(f"| {a} | {b} | {c} |" for a, b, c in rows),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sealed", action="store_true", help="score the sealed seeds (once)")
    parser.add_argument("--seeds", type=int, default=len(DEV_SEEDS), help="dev seeds to run")
    args = parser.parse_args()
    dev = range(DEV_SEEDS.start, DEV_SEEDS.start + min(args.seeds, len(DEV_SEEDS)))
    dev_table = table("Dev", dev, run(dev))
    print(dev_table)
    if not args.sealed:
        return
    sealed_table = table("Sealed", SEALED_SEEDS, run(SEALED_SEEDS))
    print(sealed_table)
    RESULTS.write_text(_results(dev_table, sealed_table), encoding="utf-8")
    print(f"written to {RESULTS}")


def _results(dev_table: str, sealed_table: str) -> str:
    return (
        "## Oversight: disparity monitoring on planted data\n\n"
        "`.venv/bin/python bench/oversight_disparity_bench.py --sealed` "
        "(generator and scoring: the file's docstring).\n"
        "Alpha 5% after Holm correction over all 18 comparisons of each build; time to charge of "
        f"one suspect-ethnicity group planted at hazard ratio {HAZARD_RATIO} (slower); about "
        "two-thirds of suspects' ethnicity not stated; 8 areas of unequal size and pace "
        "(confounding); reports through the year, censored 30 days after it ends or on "
        "transfer (10%). Sealed split: the dev seeds (0-99) were the only ones looked at while "
        "building; the sealed seeds (1000-1199) were scored once, at the end.\n\n"
        f"{dev_table}\n\n{sealed_table}\n"
    )


if __name__ == "__main__":
    main()
