"""Group codes that stay put: an analyst who wrote "G0012" in a case note must find the same
group under that code after the next run, as long as it is essentially the same group.

A new group takes the code of the previous group whose members it matches best, when their
Jaccard similarity is at least ``CARRY_JACCARD``; each previous code goes to one group at most;
everything else gets a code after the highest one used before. Matching is greedy on similarity,
ties broken by the new group's order and then the old code, so the same input always gives the
same codes.

>>> group_codes([{"A", "B", "C"}, {"X", "Y"}], {"G0007": {"A", "B"}})
['G0007', 'G0008']
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

CARRY_JACCARD = 0.5
PREFIX = "G"


def group_codes(
    groups: Sequence[Collection[str]], previous: Mapping[str, Collection[str]] | None = None
) -> list[str]:
    """One code per group (in order), carried from ``previous`` (code -> member ids) where the
    group is essentially the same; with no previous groups: G0001, G0002, … in order."""
    previous = previous or {}
    old = {code: set(members) for code, members in previous.items()}
    carried = _carry([set(g) for g in groups], old)
    number = max((_number(code) for code in old), default=0)
    codes: list[str] = []
    for index in range(len(groups)):
        if index in carried:
            codes.append(carried[index])
        else:
            number += 1
            codes.append(f"{PREFIX}{number:04d}")
    return codes


def _carry(groups: list[set[str]], old: dict[str, set[str]]) -> dict[int, str]:
    # Only groups that share a member can reach the threshold: index old groups by member.
    by_member: dict[str, list[str]] = {}
    for code, members in old.items():
        for member in members:
            by_member.setdefault(member, []).append(code)
    candidates: list[tuple[float, int, str]] = []
    for index, members in enumerate(groups):
        for code in sorted({c for m in members for c in by_member.get(m, ())}):
            score = _jaccard(members, old[code])
            if score >= CARRY_JACCARD:
                candidates.append((-score, index, code))
    carried: dict[int, str] = {}
    used: set[str] = set()
    for _, index, code in sorted(candidates):
        if index not in carried and code not in used:
            carried[index] = code
            used.add(code)
    return carried


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _number(code: str) -> int:
    digits = code[len(PREFIX) :]
    return int(digits) if code.startswith(PREFIX) and digits.isdigit() else 0
