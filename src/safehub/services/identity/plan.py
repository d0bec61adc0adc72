"""Which people to merge, given accepted links: a pure plan, applied by ``resolution``.

Rules, so that a person id stays a stable reference and a person's decision is never undone by
the model:
- a merged person keeps the id of its oldest person (the smallest id: ids are never reused);
- a pair a person rejected (or a record a person split out) is never joined again by the model;
- in an incremental run, the model only adds *new* records to people; joining two people that
  were already known apart is a decision for a person, so that link goes to review instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from safehub.services.identity.index import ScoredLink

KEPT_APART = "records a person has kept apart; confirm"
KNOWN_APART = "would join two people already known apart; confirm"


@dataclass(frozen=True, slots=True)
class PlannedMerge:
    absorbed: int
    survivor: int
    agency_person_ids: tuple[int, ...]
    link: ScoredLink


@dataclass
class MergePlan:
    merges: list[PlannedMerge] = field(default_factory=list)
    blocked: list[ScoredLink] = field(default_factory=list)
    final_person: dict[int, int] = field(default_factory=dict)


def plan_merges(
    accepted: Sequence[ScoredLink],
    person_of: Mapping[int, int],
    members: Mapping[int, Sequence[int]],
    rejected: Iterable[tuple[int, int]],
    fresh: frozenset[int] | None = None,
) -> MergePlan:
    """Union people along accepted links, strongest first.

    ``fresh``: the agency people new in an incremental run (``None`` for a bulk run).

    >>> link = ScoredLink(1, 2, 0.999, 12.0, -10.0, (), True, False, "above the match threshold")
    >>> plan = plan_merges([link], {1: 10, 2: 11}, {10: [1], 11: [2]}, [])
    >>> [(m.absorbed, m.survivor) for m in plan.merges]
    [(11, 10)]
    """
    apart: dict[int, set[int]] = {}
    for a, b in rejected:
        apart.setdefault(a, set()).add(b)
        apart.setdefault(b, set()).add(a)
    parent: dict[int, int] = {}
    aps = {p: set(m) for p, m in members.items()}
    absorbed_by: dict[int, ScoredLink] = {}
    plan = MergePlan()

    def find(person: int) -> int:
        while parent.get(person, person) != person:
            person = parent[person]
        return person

    ordered = sorted(accepted, key=lambda x: (-x.match_probability, x.left, x.right))
    for link in ordered:
        left, right = find(person_of[link.left]), find(person_of[link.right])
        if left == right:
            continue
        reason = _blocked(aps[left], aps[right], apart, fresh)
        if reason:
            plan.blocked.append(replace(link, accepted=False, needs_review=True, reason=reason))
            continue
        survivor, absorbed = min(left, right), max(left, right)
        parent[absorbed] = survivor
        aps[survivor] |= aps.pop(absorbed)
        absorbed_by[absorbed] = link
    for person, link in sorted(absorbed_by.items()):
        plan.merges.append(PlannedMerge(person, find(person), tuple(members[person]), link))
    plan.final_person = {ap: find(p) for ap, p in person_of.items()}
    return plan


def _blocked(
    left: set[int], right: set[int], apart: Mapping[int, set[int]], fresh: frozenset[int] | None
) -> str | None:
    if any(apart.get(a, set()) & right for a in left):
        return KEPT_APART
    if fresh is not None and not (left <= fresh or right <= fresh):
        return KNOWN_APART
    return None
