"""Why true pairs are not merged, what the review queue holds, how twins get merged.

Runs ``safehub resolve``'s own pipeline in process (so that every scored pair keeps its
decision and reason), then reads the generator's truth:

    python -m bench.hardgen.recall_analysis /tmp/rc/agencies_small-1 [more world folders]

For each true person split over several output people, each two of their fragments (output
people) is one *gap*, weighted by the agency-person pairs it loses (|A| x |B|, the pairwise
recall's unit). A gap's cause is the strongest link found between the two fragments:

- ``split: conflicting cluster`` an accepted pair dropped by the clustering (``clusters.py``);
- ``review: <reason>``            a pair waits for a person (reason as ``decide.py`` says it);
- ``below review threshold``     the pair shares a blocking key but scored below review;
- ``never compared (blocking)``  no blocking key shared by any two of their people;
- ``not matchable``              restricted, or nameless without a number.

Each gap's *noise* is what separates the closest two records of the two fragments (the pair
whose given name, family name and date of birth agree the most), read from the comparison
levels and, for given names that differ, from the truth: the second given name, an alias or
nickname outside the lists, or a typo.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from bench.hardgen.truthfiles import TruthSet, read_truth
from safehub.extracts.columns import read_extract_table
from safehub.linkage.collapse import collapse_table
from safehub.linkage.comparisons import COMPARISON_BY_NAME
from safehub.linkage.decide import PersonFacts, decide
from safehub.linkage.names import canonical_name, fold_name
from safehub.linkage.people import AgencyPerson, person_features
from safehub.linkage.resolve import Resolution, resolve_people
from safehub.linkage.rules import GIVEN_DIFFERS

Key = tuple[str, str]
_LEVELS = ("given_name", "family_name", "dob")
_EXAMPLES = 4


def run(world: Path) -> tuple[Resolution, list[AgencyPerson], float]:
    files = sorted(world.glob("*.csv"))
    started = time.perf_counter()
    batch = read_extract_table(files)
    people = collapse_table(batch)
    resolution = resolve_people(people=list(people))
    return resolution, people, time.perf_counter() - started


def level_label(name: str, a: dict[str, Any], b: dict[str, Any]) -> str:
    spec = COMPARISON_BY_NAME[name]
    return spec.levels[spec.level_of(a, b)].label


def given_noise(truth_given: str, label: str, a: dict[str, Any], b: dict[str, Any]) -> str:
    """For given names at level ``label``, what the truth says they are."""
    if label.startswith(("same first", "same name")):
        return "given: same or listed variant"
    if label in ("missing",):
        return "given: missing"
    if label.startswith("swapped"):
        return "given: swapped with family"
    if label in GIVEN_DIFFERS:
        true = [canonical_name(w) for w in truth_given.split()]
        names = {a.get("given_name"), b.get("given_name")}
        if len(true) > 1 and true[1] in names:
            return "given: second given name used"
        folds = [fold_name(x or "") for x in names]
        if all(f[:1] == folds[0][:1] for f in folds):
            return f"given: differs ({label}), same initial (nickname/typo)"
        return f"given: differs ({label}) (alias or unlisted nickname)"
    return f"given: {label}"


def noise_of(
    truth: TruthSet, pid: str, rows: list[dict[str, Any]], a: list[int], b: list[int]
) -> tuple[str, str, str, tuple[int, int]]:
    """Noise between the closest two records of fragments ``a`` and ``b``, and those two."""
    best: tuple[int, str, str, str, int, int] | None = None
    for i in a:
        for j in b:
            labels = [level_label(n, rows[i], rows[j]) for n in _LEVELS]
            score = sum(label.startswith(("same", "agrees", "day and month")) for label in labels)
            if best is None or score > best[0]:
                best = (score, *labels, i, j)
    assert best is not None
    given, family, dob, i, j = best[1:]
    return (
        given_noise(truth.persons[pid]["given_names"], given, rows[i], rows[j]),
        f"family: {family}",
        f"dob: {dob}",
        (i, j),
    )


def analyse(world: Path) -> dict[str, Any]:
    truth = read_truth(world / "truth")
    resolution, people, seconds = run(world)
    keys = resolution.keys
    index = {k: i for i, k in enumerate(keys)}
    rows = [person_features(p, resolution.shared) for p in people]
    assert [p.key for p in people] == keys
    cluster = np.array([resolution.person_ids[k] for k in keys])
    pairs = resolution.pair_table
    assert pairs is not None
    left = pairs.column("unique_id_l").to_numpy(zero_copy_only=False)
    right = pairs.column("unique_id_r").to_numpy(zero_copy_only=False)
    facts = resolution.facts or PersonFacts.of(people)
    first = decide(pairs, resolution.model, resolution.of_concern, facts)
    split = first.accepted & ~resolution.pair_accepted
    reasons = resolution.pair_reasons
    probability = pairs.column("match_probability").to_numpy(zero_copy_only=False)

    # Strongest link between any two output clusters.
    link: dict[tuple[str, str], tuple[int, str]] = {}
    for n in range(len(left)):
        ca, cb = cluster[left[n]], cluster[right[n]]
        if ca == cb:
            continue
        pair = (min(ca, cb), max(ca, cb))
        if split[n]:
            rank, cause = 3, "split: conflicting cluster"
        else:
            rank, cause = 2, "review: " + reasons[n]
        rank_p = rank + float(probability[n]) / 10
        if pair not in link or link[pair][0] < rank_p:
            link[pair] = (rank_p, cause)  # type: ignore[assignment]

    table = resolution.table
    assert table is not None
    block_keys = _block_keys(table, len(keys))
    matchable = set(table.column("unique_id").to_pylist())

    by_true: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for key in truth.named:
        if key in index:
            by_true[truth.person_of[key]][cluster[index[key]]].append(index[key])
    causes: Counter[str] = Counter()
    noise: Counter[str] = Counter()
    noise_by_cause: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[str, list[str]] = defaultdict(list)
    missed = true_pairs = 0
    for pid, fragments in by_true.items():
        sizes = [len(v) for v in fragments.values()]
        true_pairs += sum(sizes) * (sum(sizes) - 1) // 2
        names = sorted(fragments)
        for x in range(len(names)):
            for y in range(x + 1, len(names)):
                a, b = fragments[names[x]], fragments[names[y]]
                weight = len(a) * len(b)
                missed += weight
                pair = (min(names[x], names[y]), max(names[x], names[y]))
                if pair in link:
                    cause = link[pair][1]
                elif not any(i in matchable for i in a) or not any(j in matchable for j in b):
                    cause = "not matchable (restricted, or no name and no number)"
                elif any(block_keys[i] & block_keys[j] for i in a for j in b):
                    cause = "below review threshold"
                else:
                    cause = "never compared (blocking)"
                causes[cause] += weight
                g, f, d, (i, j) = noise_of(truth, pid, rows, a, b)
                if len(examples[cause]) < _EXAMPLES:
                    examples[cause].append(f"{_record(people[i])} / {_record(people[j])}")
                same_agency = {keys[i][0] for i in a} & {keys[j][0] for j in b}
                tags = [g, f, d] + (["duplicate ref in one agency"] if same_agency else [])
                for tag in tags:
                    noise[tag] += weight
                    noise_by_cause[_short(cause)][tag] += weight
    return {
        "world": world.name,
        "seconds": round(seconds, 1),
        "true_pairs": true_pairs,
        "missed_pairs": missed,
        "causes": causes,
        "noise": noise,
        "noise_by_cause": noise_by_cause,
        "examples": examples,
        "queue": _queue(truth, resolution, index),
        "twins": _twins(truth, resolution, index, cluster, split, left, right, reasons),
    }


# Causes by what would have to change to merge the pair automatically: a rule of
# docs/architecture.md ("policy"), the model or its thresholds, or the blocking.
FAMILIES = (
    ("policy: adult of concern evidence", ("review: adult of concern",)),
    ("policy: given names differ outright", ("review: given names differ",)),
    ("policy: a name and nothing else", ("review: one of them has a name",)),
    (
        "policy: twins rules",
        ("review: family name and date", "review: the records show", "review: two different"),
    ),
    ("policy: NHS number or dates of birth apart", ("review: conflicting",)),
    ("policy: recorded sexes differ", ("review: recorded as female",)),
    ("policy: told apart by the records", ("review: the records tell",)),
    ("clustering: a conflict inside the cluster", ("split:",)),
    ("model: between review and match thresholds", ("review: uncertain",)),
    ("model: below the review threshold", ("below review",)),
    ("blocking: never compared", ("never compared",)),
    ("input: not matchable", ("not matchable",)),
)


def family_of(cause: str) -> str:
    for family, prefixes in FAMILIES:
        if cause.startswith(prefixes):
            return family
    return "other"


def families(causes: Counter[str]) -> Counter[str]:
    found: Counter[str] = Counter()
    for cause, n in causes.items():
        found[family_of(cause)] += n
    return found


def _record(person: AgencyPerson) -> str:
    dob = person.date_of_birth.iso() if person.date_of_birth else "no DOB"
    ids = ",".join(sorted(person.identifiers))
    return f"{person.agency_code} {person.given} {person.family} {dob} {person.sex} [{ids}]"


def _short(cause: str) -> str:
    return cause if len(cause) < 60 else cause[:57] + "..."


def _block_keys(table: Any, size: int) -> list[set[str]]:
    found: list[set[str]] = [set() for _ in range(size)]
    ids = table.column("unique_id").to_pylist()
    values = table.column("block_keys").to_pylist()
    for i, keys in zip(ids, values, strict=True):
        found[i] = set(keys or ())
    return found


def _queue(truth: TruthSet, resolution: Resolution, index: dict[Key, int]) -> dict[str, Any]:
    by_reason: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pair in resolution.review_queue:
        same = truth.person_of.get(pair.left) == truth.person_of.get(pair.right)
        entry = by_reason[pair.reason]
        entry[0] += 1
        entry[1] += int(same)
    total = sum(v[0] for v in by_reason.values())
    return {
        "pairs": total,
        "percent_of_people": round(100 * total / max(1, len(resolution.keys)), 2),
        "true": sum(v[1] for v in by_reason.values()),
        "by_reason": dict(by_reason),
    }


def _twins(
    truth: TruthSet,
    resolution: Resolution,
    index: dict[Key, int],
    cluster: np.ndarray,
    split: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    reasons: list[str],
) -> list[str]:
    """Each twins pair merged: the accepted links inside the merged cluster that join a record
    of one twin to a record of the other, directly or through a third person."""
    of_person: dict[str, list[int]] = defaultdict(list)
    for key, i in index.items():
        if key in truth.person_of:
            of_person[truth.person_of[key]].append(i)
    accepted = resolution.pair_accepted
    found = []
    for a, b, kind in truth.classes:
        if kind != "twins":
            continue
        shared = {cluster[i] for i in of_person[a]} & {cluster[j] for j in of_person[b]}
        for cid in shared:
            members = set(np.flatnonzero(cluster == cid).tolist())
            owners = {i: truth.person_of[resolution.keys[i]] for i in members}
            links = [
                (int(left[n]), int(right[n]), reasons[n])
                for n in np.flatnonzero(accepted)
                if left[n] in members and owners.get(int(left[n])) != owners.get(int(right[n]))
            ]
            desc = "; ".join(
                f"{_who(resolution, i, owners)} ~ {_who(resolution, j, owners)} ({r})"
                for i, j, r in links
            )
            found.append(f"{a}/{b}: {len(members)} records; cross links: {desc}")
    return found


def _who(resolution: Resolution, i: int, owners: dict[int, str]) -> str:
    agency, ref = resolution.keys[i]
    return f"{owners.get(i)}@{agency}/{ref}"


def report(results: Iterable[dict[str, Any]], show_examples: bool = False) -> str:
    out = []
    for r in results:
        out.append(f"## {r['world']}  (resolve in process: {r['seconds']} s)\n")
        missed, total = r["missed_pairs"], r["true_pairs"]
        out.append(
            f"True pairs {total}; not merged {missed} (recall {1 - missed / max(1, total):.4f}).\n"
        )
        policy = sum(n for f, n in families(r["causes"]).items() if f.startswith("policy"))
        out.append(
            f"Held by a rule (policy): {policy} pairs; recall ceiling with every other gap "
            f"closed: {1 - policy / max(1, total):.4f}.\n"
        )
        out.append("| family of causes | pairs | share of missed |\n|---|---|---|")
        for family, n in families(r["causes"]).most_common():
            out.append(f"| {family} | {n} | {n / max(1, missed):.1%} |")
        out.append("")
        out.append("| cause | pairs | share of missed | recall if fixed |\n|---|---|---|---|")
        for cause, n in r["causes"].most_common():
            out.append(f"| {cause} | {n} | {n / max(1, missed):.1%} | +{n / max(1, total):.4f} |")
        out.append("\nNoise between the closest records of the missed fragments (pairs):\n")
        out.append("| noise | pairs |\n|---|---|")
        for tag, n in r["noise"].most_common(25):
            out.append(f"| {tag} | {n} |")
        out.append("\nNoise by cause (top 6 each):\n")
        for cause, tags in sorted(r["noise_by_cause"].items(), key=lambda x: -sum(x[1].values())):
            top = ", ".join(f"{t} {n}" for t, n in tags.most_common(6))
            out.append(f"- **{cause}**: {top}")
        if show_examples:
            out.append("\nExamples (the closest two records of a missed gap):\n")
            for cause, lines in r["examples"].items():
                out.append(f"- {_short(cause)}: " + " | ".join(f"`{x}`" for x in lines))
        q = r["queue"]
        out.append(
            f"\nReview queue: {q['pairs']} pairs ({q['percent_of_people']}% of agency people), "
            f"{q['true']} true ({q['true'] / max(1, q['pairs']):.0%}).\n"
        )
        out.append("| reason | pairs | true |\n|---|---|---|")
        for reason, (n, t) in sorted(q["by_reason"].items(), key=lambda x: -x[1][0]):
            out.append(f"| {reason} | {n} | {t} |")
        out.append(f"\nTwins merged: {len(r['twins'])}\n")
        out.extend(f"- {line}" for line in r["twins"])
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("worlds", nargs="+", type=Path)
    parser.add_argument("--examples", action="store_true", help="a few missed gaps per cause")
    args = parser.parse_args(argv)
    sys.stdout.write(report((analyse(w) for w in args.worlds), args.examples) + "\n")


if __name__ == "__main__":
    main()
