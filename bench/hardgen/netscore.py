"""Scoring ``safehub networks`` output (``people.csv``, ``groups.csv``, ``key_people.csv``).

Definitions:

- An output ``person_id`` stands for the true person most of its agency people are (ties: the
  smallest true id). Unnamed agency people count here: an "unknown male" in a car that an engine
  puts in a group is that man, whoever he is.
- **Group precision**: a found group is correct when at least half of its adults (members whose
  ``role_in_group`` is organiser, suspect or associate, counted once per true person) stand for
  adults of one planted group.
  A found group with no adults is not correct. Precision = correct found groups / found groups.
- **Group recall**: planted groups that at least one correct found group points to / planted.
- **Organisers in the top 2×G**: of the G planted organisers, how many the first 2×G ranks of
  ``key_people.csv`` stand for.
- **Adults outside planted groups**: of the distinct adults in found groups, the share that
  stand for nobody's planted adult.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from bench.hardgen.truthfiles import TruthSet, read_resolved, read_rows

ADULT_ROLES = ("organiser", "suspect", "associate")


def stands_for(truth: TruthSet, people: dict[tuple[str, str], str]) -> dict[str, str]:
    """Output person_id → the true person most of its agency people are."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for key, pid in people.items():
        if key in truth.person_of:
            votes[pid][truth.person_of[key]] += 1
    return {pid: min(c, key=lambda t: (-c[t], t)) for pid, c in votes.items()}


def _planted_adults(truth: TruthSet) -> dict[str, set[str]]:
    return {g: {p for p, r in m.items() if r in ADULT_ROLES} for g, m in truth.groups.items()}


def _adults(members: dict[str, str], true_of: dict[str, str]) -> list[str]:
    """The true people a found group's adults stand for, once each (``?P12``: nobody known)."""
    return sorted({true_of.get(p, f"?{p}") for p, role in members.items() if role in ADULT_ROLES})


def group_scores(
    truth: TruthSet, found: dict[str, dict[str, str]], true_of: dict[str, str]
) -> dict[str, object]:
    planted_adults = _planted_adults(truth)
    correct, hit = 0, set()
    outside: set[str] = set()
    adults_seen: set[str] = set()
    for members in found.values():
        adults = _adults(members, true_of)
        adults_seen.update(adults)
        outside.update(a for a in adults if not any(a in s for s in planted_adults.values()))
        best, size = _best_group(adults, planted_adults)
        if adults and 2 * size >= len(adults):
            correct += 1
            hit.add(best)
    planted = len(truth.groups)
    share = round(len(outside) / len(adults_seen), 4) if adults_seen else 0.0
    return {
        "found_groups": len(found),
        "planted_groups": planted,
        "correct_groups": correct,
        "group_precision": round(correct / len(found), 4) if found else 0.0,
        "group_recall": round(len(hit) / planted, 4) if planted else 0.0,
        "adults_in_found_groups": len(adults_seen),
        "adults_outside_planted_share": share,
    }


def group_detail(
    truth: TruthSet, found: dict[str, dict[str, str]], true_of: dict[str, str]
) -> list[dict[str, object]]:
    """Per found group: the planted group it comes closest to, and who its adults really are
    (planted role, or job and recorded roles), to see why a group is right or wrong."""
    planted_adults = _planted_adults(truth)
    detail = []
    for gid in sorted(found):
        adults = _adults(found[gid], true_of)
        best, size = _best_group(adults, planted_adults)
        detail.append(
            {
                "group_id": gid,
                "correct": bool(adults) and 2 * size >= len(adults),
                "closest_planted": best,
                "adults_from_it": size,
                "adults": [_who(truth, a) for a in adults],
            }
        )
    return detail


def _who(truth: TruthSet, tid: str) -> str:
    row = truth.persons.get(tid)
    if row is None:
        return tid
    planted = [f"{g}:{m[tid]}" for g, m in sorted(truth.groups.items()) if tid in m]
    return " ".join([tid, " ".join(planted) or row.get("roles", ""), row.get("job", "")]).strip()


def _best_group(adults: list[str], planted: dict[str, set[str]]) -> tuple[str, int]:
    best, size = "", 0
    for gid in sorted(planted):
        overlap = sum(1 for a in adults if a in planted[gid])
        if overlap > size:
            best, size = gid, overlap
    return best, size


def ranking_scores(
    truth: TruthSet, ranked: list[str], true_of: dict[str, str]
) -> dict[str, object]:
    organisers = truth.planted("organiser")
    adults = truth.planted(*ADULT_ROLES)
    top = {true_of.get(p) for p in ranked[: 2 * len(truth.groups)]}
    top_adults = {true_of.get(p) for p in ranked[: len(adults)]}
    return {
        "ranked_people": len(ranked),
        "organisers_in_top_2g": len(organisers & top),
        "organisers_in_top_2g_share": round(len(organisers & top) / len(organisers), 4)
        if organisers
        else 0.0,
        "planted_adults_in_top_a": len(adults & top_adults),
        "planted_adults": len(adults),
    }


def score_networks(truth: TruthSet, folder: Path, detail: bool = False) -> dict[str, object]:
    """Group and ranking metrics of a ``safehub networks --out`` folder."""
    people = read_resolved(folder / "people.csv")
    true_of = stands_for(truth, people)
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for row in read_rows(folder / "groups.csv"):
        found[row["group_id"]][row["person_id"]] = row["role_in_group"]
    rows = read_rows(folder / "key_people.csv")
    ranked = [r["person_id"] for r in sorted(rows, key=lambda r: int(r["rank"]))]
    result = {**group_scores(truth, found, true_of), **ranking_scores(truth, ranked, true_of)}
    if detail:
        result["groups"] = group_detail(truth, found, true_of)
    return result
