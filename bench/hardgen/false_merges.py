"""The false merges of ``safehub resolve`` on generated worlds: output people holding two or
more true people, weighted by the agency-person pairs they wrongly join (pairwise precision's
unit), with the accepted links that cross between true people and their reasons.

    PYTHONPATH=src:. .venv/bin/python -m bench.hardgen.false_merges WORLD [WORLD ...]

For studying precision dips (``precision_study.md``); recall gaps are ``recall_analysis.py``'s.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench.hardgen.recall_analysis import level_label, run
from bench.hardgen.truthfiles import read_truth
from safehub.linkage.people import AgencyPerson, person_features

# The comparisons printed for each crossing link (those at "missing" are left out).
_FIELDS = (
    *("given_name", "family_name", "dob", "nhs", "phone", "email", "address"),
    *("licence", "vehicle", "handle", "other_names"),
)


def describe(p: AgencyPerson) -> str:
    dob = str(p.date_of_birth) if p.date_of_birth else "-"
    ids = ",".join(f"{k}={'/'.join(v)}" for k, v in sorted(p.identifiers.items()))
    return (
        f"{p.agency_code}:{p.person_ref} '{p.given}' '{p.family}' {dob} sex={p.sex or '-'} "
        f"concern={p.is_adult_of_concern} thin={p.is_insufficient} {ids}"
    )


def false_merges(world: Path) -> list[dict[str, Any]]:
    truth = read_truth(world / "truth")
    resolution, people, _ = run(world)
    by_key = {p.key: p for p in people}
    index = {k: i for i, k in enumerate(resolution.keys)}
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key, pid in resolution.person_ids.items():
        if key in truth.named:
            members[pid].append(key)
    pairs = resolution.pair_table
    assert pairs is not None
    left = pairs.column("unique_id_l").to_numpy(zero_copy_only=False)
    right = pairs.column("unique_id_r").to_numpy(zero_copy_only=False)
    weight = pairs.column("match_weight").to_numpy(zero_copy_only=False)
    links: dict[int, list[int]] = defaultdict(list)
    for n in range(len(left)):
        if resolution.pair_accepted[n]:
            links[int(left[n])].append(n)
            links[int(right[n])].append(n)
    found = []
    for pid, keys in members.items():
        by_true = Counter(truth.person_of[k] for k in keys)
        if len(by_true) < 2:
            continue
        total = len(keys) * (len(keys) - 1) // 2
        good = sum(c * (c - 1) // 2 for c in by_true.values())
        crossing = []
        ids = {index[k] for k in keys}
        for n in {n for i in ids for n in links[i]}:
            a, b = resolution.keys[int(left[n])], resolution.keys[int(right[n])]
            if truth.person_of.get(a) != truth.person_of.get(b):
                ra = person_features(by_key[a], resolution.shared)
                rb = person_features(by_key[b], resolution.shared)
                levels = {f: level_label(f, ra, rb) for f in _FIELDS}
                crossing.append((a, b, float(weight[n]), resolution.pair_reasons[n], levels))
        found.append(
            {
                "person": pid,
                "wrong_pairs": total - good,
                "true": dict(by_true),
                "members": {k: truth.person_of[k] for k in keys},
                "crossing": crossing,
                "people": {k: describe(by_key[k]) for k in keys},
                "kinds": {t: truth.persons[t]["kind"] for t in by_true},
                "classes": [c for a, b, c in truth.classes if a in by_true and b in by_true],
            }
        )
    return sorted(found, key=lambda f: -f["wrong_pairs"])


def main(argv: list[str]) -> None:
    for world in argv:
        merges = false_merges(Path(world))
        print(
            f"# {Path(world).name}: {len(merges)} false merges, "
            f"{sum(m['wrong_pairs'] for m in merges)} wrong pairs"
        )
        for m in merges:
            print(
                f"\n## {m['person']} wrong pairs {m['wrong_pairs']} true {m['true']} "
                f"kinds {m['kinds']} classes {m['classes']}"
            )
            for key, line in m["people"].items():
                print(f"   [{m['members'][key]}] {line}")
            for a, b, w, reason, levels in m["crossing"]:
                shown = "; ".join(f"{f}={levels[f]}" for f in _FIELDS if levels[f] != "missing")
                print(f"   LINK {a} ~ {b} w={w:.1f} {reason} | {shown}")


if __name__ == "__main__":
    main(sys.argv[1:])
