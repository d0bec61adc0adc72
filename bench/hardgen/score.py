"""Scoring a resolution (``safehub resolve`` output) against the truth.

Definitions (all over *named* agency people: a person_ref with a name in at least one row;
"unknown male" refs are left out and counted):

- **Pairwise precision / recall / F1**: over pairs of agency people. A predicted pair shares an
  output ``person_id``; a true pair shares a ``true_person_id``. An agency person missing from the
  output counts as alone.
- **Review queue**: its rows (pairs), and pairs as a % of agency people (pairs / people × 100).
  ``review_true_share`` is the share of review pairs that are the same person;
  ``recall_after_review`` is the recall if a reviewer confirmed exactly the true pairs of the
  queue.
- **Recall by agency kind**: the same recall for the true pairs between two kinds of agency
  (``LA-POL``, ``NHS-VOL``…), to see where pairs are missed.
- **Hard pairs merged** (``classes.csv``): a pair of different people counts as merged when any
  agency person of one shares an output id with any agency person of the other; per class.
- **Common-name false merges**: pairs of different true people with the same name key (first
  given name and family name, one spelling each) among the commonest 1% of names, merged.
- **Fragments**: for a true person, the number of distinct output ids their agency people got
  (1 is perfect). Means for adults recorded as suspects, for planted group adults and organisers,
  and for planted victims and all people recorded as victims.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations
from statistics import mean

from bench.hardgen.truthfiles import AgencyPerson, TruthSet

Assignment = dict[AgencyPerson, str]


def pairs(counts: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in counts)


def complete(truth: TruthSet, resolved: Assignment) -> Assignment:
    """Output ids of every named agency person; one missing from the output stands alone."""
    return {key: resolved.get(key, f"missing:{key[0]}:{key[1]}") for key in sorted(truth.named)}


def pairwise(truth: TruthSet, out: Assignment) -> dict[str, float]:
    predicted = pairs(Counter(out.values()).values())
    actual = pairs(Counter(truth.person_of[k] for k in out).values())
    both = pairs(Counter((out[k], truth.person_of[k]) for k in out).values())
    precision = both / predicted if predicted else 1.0
    recall = both / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "predicted_pairs": predicted,
        "true_pairs": actual,
    }


def ids_of(truth: TruthSet, out: Assignment) -> dict[str, set[str]]:
    """True person → the output ids their agency people were given."""
    found: dict[str, set[str]] = defaultdict(set)
    for key, pid in out.items():
        found[truth.person_of[key]].add(pid)
    return found


def recall_by_agency_kind(truth: TruthSet, out: Assignment) -> dict[str, dict[str, float]]:
    """Recall of true pairs by the kinds of the two agencies (``LA-POL``: council and police)."""
    by_person: dict[str, list[AgencyPerson]] = defaultdict(list)
    for key in out:
        by_person[truth.person_of[key]].append(key)
    counts: dict[str, list[int]] = {}
    for keys in by_person.values():
        for a, b in combinations(sorted(keys), 2):
            kind = "-".join(sorted((a[0].split("-")[0], b[0].split("-")[0])))
            entry = counts.setdefault(kind, [0, 0])
            entry[0] += 1
            entry[1] += int(out[a] == out[b])
    return {k: {"true_pairs": n, "recall": round(f / n, 4)} for k, (n, f) in sorted(counts.items())}


def hard_pairs(truth: TruthSet, found: dict[str, set[str]]) -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = {}
    for a, b, kind in truth.classes:
        if a not in found or b not in found:
            continue
        entry = result.setdefault(kind, {"pairs": 0, "merged": 0})
        entry["pairs"] += 1
        entry["merged"] += int(bool(found[a] & found[b]))
    return dict(sorted(result.items()))


def common_name_merges(truth: TruthSet, out: Assignment) -> dict[str, int]:
    members: dict[str, set[str]] = defaultdict(set)
    for key, pid in out.items():
        tid = truth.person_of[key]
        if truth.persons.get(tid, {}).get("common_name") == "Y":
            members[pid].add(tid)
    merged: set[tuple[str, str]] = set()
    for tids in members.values():
        for a, b in combinations(sorted(tids), 2):
            if truth.persons[a]["name_key"] == truth.persons[b]["name_key"]:
                merged.add((a, b))
    common = [tid for tid, row in truth.persons.items() if row["common_name"] == "Y"]
    people = {t for pair in merged for t in pair}
    return {
        "pairs_merged": len(merged),
        "people_merged": len(people),
        "common_name_people": len(common),
    }


def fragments(found: dict[str, set[str]], people: Iterable[str]) -> dict[str, float]:
    counts = [len(found[p]) for p in people if p in found]
    if not counts:
        return {"people": 0, "mean": 0.0, "max": 0}
    return {"people": len(counts), "mean": round(mean(counts), 3), "max": max(counts)}


def false_merges(truth: TruthSet, out: Assignment) -> dict[str, int]:
    members: dict[str, set[str]] = defaultdict(set)
    for key, pid in out.items():
        members[pid].add(truth.person_of[key])
    mixed = [tids for tids in members.values() if len(tids) > 1]
    return {
        "output_people_mixing_true_people": len(mixed),
        "true_people_in_them": sum(map(len, mixed)),
    }


def review_scores(
    truth: TruthSet, out: Assignment, review: list[tuple[AgencyPerson, AgencyPerson]]
) -> dict[str, float]:
    agency_people = len(out)
    true_pairs = [
        (a, b)
        for a, b in review
        if a in out and b in out and truth.person_of[a] == truth.person_of[b]
    ]
    confirmed = _merge(out, true_pairs)
    return {
        "pairs": len(review),
        "percent_of_agency_people": round(100 * len(review) / agency_people, 2)
        if agency_people
        else 0.0,
        "review_true_share": round(len(true_pairs) / len(review), 4) if review else 0.0,
        "recall_after_review": pairwise(truth, confirmed)["recall"],
        "precision_after_review": pairwise(truth, confirmed)["precision"],
    }


def _merge(out: Assignment, links: list[tuple[AgencyPerson, AgencyPerson]]) -> Assignment:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = find(out[a]), find(out[b])
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {key: find(pid) for key, pid in out.items()}


def score_resolution(
    truth: TruthSet,
    resolved: Assignment,
    review: list[tuple[AgencyPerson, AgencyPerson]] | None = None,
) -> dict[str, object]:
    """Every resolution metric of the module docstring, as one JSON-ready dict."""
    out = complete(truth, resolved)
    found = ids_of(truth, out)
    suspects = [
        t
        for t, row in truth.persons.items()
        if row["kind"] == "adult" and "suspect" in row["roles"].split(";")
    ]
    victims = [t for t, row in truth.persons.items() if "victim" in row["roles"].split(";")]
    result: dict[str, object] = {
        "agency_people": len(out),
        "unnamed_agency_people_left_out": len(truth.person_of) - len(truth.named),
        "missing_from_output": sum(1 for k in truth.named if k not in resolved),
        "true_people": len(found),
        "output_people": len(set(out.values())),
        "automatic": pairwise(truth, out),
        "recall_by_agency_kind": recall_by_agency_kind(truth, out),
        "false_merges": false_merges(truth, out),
        "hard_pairs_merged": hard_pairs(truth, found),
        "common_name_false_merges": common_name_merges(truth, out),
        "fragments": {
            "suspects": fragments(found, suspects),
            "planted_adults": fragments(found, truth.planted("organiser", "suspect", "associate")),
            "planted_organisers": fragments(found, truth.planted("organiser")),
            "planted_victims": fragments(found, truth.planted("victim")),
            "victims": fragments(found, victims),
        },
    }
    if review is not None:
        result["review"] = review_scores(truth, out, review)
    return result
