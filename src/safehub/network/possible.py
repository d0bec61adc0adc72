""" "Possibly the same person": probable matches that wait for a person, as links of their own kind.

Identity resolution leaves some pairs of people unmerged that are probably one person (its
``possible_matches``). Left apart, a man recorded by four agencies counts as four adults with a
quarter of his links each: his group splits and he ranks far below the drivers. Merged silently,
a wrong match would put an innocent man in a group. So the analysis runs twice: once on the
people as resolved, once with each set of possibly-same people counted as one. Groups and the
ranking come from the second: a set is listed under its representative (the smallest id), and
every group, rank and person that rests on such a link says so and names the pair to confirm. The other ids of a set are ranked after everyone else (score 0),
each naming the representative whose rank counts its records and its own score.

>>> components([("P3", "P2"), ("P2", "P1"), ("P7", "P8")])
{'P1': 'P1', 'P2': 'P1', 'P3': 'P1', 'P7': 'P7', 'P8': 'P7'}
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from safehub.extracts.identifiers import PartialDate
from safehub.network.analysis import NetworkAnalysis
from safehub.network.model import Group, KeyPerson

PersonPair = tuple[str, str]


def components(pairs: Iterable[PersonPair]) -> dict[str, str]:
    """Person id -> the smallest id of the people it is possibly the same as (itself included)."""
    parent: dict[str, str] = {}

    def root(p: str) -> str:
        while parent.setdefault(p, p) != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    for a, b in pairs:
        if a == b:
            continue
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {p: root(p) for p in sorted(parent)}


def joinable(pairs: Sequence[PersonPair], apart: Callable[[str, str], bool]) -> list[bool]:
    """Which pairs, taken in order (the likeliest first), may count as "possibly the same
    person": a pair that would put into one set two people the records tell apart does not.

    Each pair is checked alone by resolution, but the sets are their chains: a father's
    undated school record (as a parent) can be possibly the same as him and as "M Shah", his
    son, born 36 years later, so the son would be counted with his father's taxi and records.

    >>> born = {"P1": 1969, "P2": None, "P3": 2005}
    >>> def apart(a: str, b: str) -> bool:
    ...     return None not in (born[a], born[b]) and born[a] != born[b]
    >>> joinable([("P1", "P2"), ("P2", "P3")], apart)
    [True, False]
    """
    members: dict[str, list[str]] = {}
    kept = []
    for a, b in pairs:
        left, right = members.setdefault(a, [a]), members.setdefault(b, [b])
        ok = left is right or not any(apart(x, y) for x in left for y in right)
        if ok and left is not right:
            left.extend(right)
            for person in right:
                members[person] = left
        kept.append(ok)
    return kept


def born_apart(born: Mapping[str, Collection[PartialDate]]) -> Callable[[str, str], bool]:
    """Two people apart when a date of birth of one and one of the other are apart as the
    date-of-birth comparison reads them (``linkage.comparisons.dates_apart``: not one typo
    off; a parent and child, siblings)."""
    from safehub.linkage.comparisons import dates_apart

    def apart(a: str, b: str) -> bool:
        return any(dates_apart(x, y) for x in born.get(a, ()) for y in born.get(b, ()))

    return apart


@dataclass(frozen=True)
class PossiblySame:
    """Person id -> representative (the smallest id of its set); ids alone are not in it."""

    representative: dict[str, str]

    @classmethod
    def of(cls, pairs: Iterable[PersonPair]) -> PossiblySame:
        return cls(components(pairs))

    def members(self, person_id: str) -> tuple[str, ...]:
        rep = self.representative.get(person_id, person_id)
        return tuple(sorted(p for p, r in self.representative.items() if r == rep)) or (person_id,)

    def others(self, person_id: str) -> tuple[str, ...]:
        return tuple(p for p in self.members(person_id) if p != person_id)

    def partner(self, person_id: str) -> str:
        """The id to show in ``possibly_same_as``: the set's representative, or for the
        representative itself the next id of its set; "" when none."""
        rep = self.representative.get(person_id)
        if rep is None:
            return ""
        if rep != person_id:
            return rep
        others = self.others(person_id)
        return others[0] if others else ""

    def merged(self, person_ids: Mapping[tuple[str, str], str]) -> dict[tuple[str, str], str]:
        """The resolution with each set counted as one person (its representative's id)."""
        return {key: self.representative.get(pid, pid) for key, pid in person_ids.items()}


def analyse_possibly_same(
    person_ids: Mapping[tuple[str, str], str],
    possibly: PossiblySame,
    analyse_with: Callable[[Mapping[tuple[str, str], str]], NetworkAnalysis],
) -> NetworkAnalysis:
    """The analysis with possibly-same people counted together, explained (module docstring).

    ``analyse_with`` builds the graph of the same records under a resolution and analyses it.
    """
    alone = analyse_with(person_ids)
    if not possibly.representative:
        return alone
    together = analyse_with(possibly.merged(person_ids))
    return replace(
        together,
        people={**together.people, **alone.people},
        groups=tuple(_expand_group(g, possibly, alone) for g in together.groups),
        key_people=_ranking(together, alone, possibly),
        communities=_expand(together.communities, possibly),
        core_numbers=_expand(together.core_numbers, possibly),
    )


def _expand(values: Mapping[str, int], possibly: PossiblySame) -> dict[str, int]:
    return {m: v for p, v in values.items() for m in possibly.members(p)}


def _expand_group(group: Group, possibly: PossiblySame, alone: NetworkAnalysis) -> Group:
    """The group as found with the sets counted as one: each set under its representative's id,
    and the pairs it rests on, to confirm. The other ids are not listed as members: a wrong
    match must not put a namesake in a group; the pair names them."""
    pairs = tuple(
        (m.person_id, other)
        for m in group.members
        for other in possibly.others(m.person_id)
        if m.person_id < other
    )
    return replace(group, possibly_same=pairs)


def _ranking(
    together: NetworkAnalysis, alone: NetworkAnalysis, possibly: PossiblySame
) -> tuple[KeyPerson, ...]:
    """Sets ranked by their measures together (under the representative's id), the other
    members of each set by their own; all re-ranked as one list, ties by person id."""
    found: dict[str, KeyPerson] = {}
    for key in together.key_people:
        others = possibly.others(key.person_id)
        if others:
            key = replace(key, reasons=f"{key.reasons}; {_together_note(key.person_id, others)}")
        found[key.person_id] = key
    for key in alone.key_people:
        rep = possibly.representative.get(key.person_id, key.person_id)
        if rep == key.person_id:
            continue
        # Counted once, under the representative: listing it again at its own score would put
        # one man twice at the top. The score its own records give it stays in the reasons.
        note = (
            f"possibly the same person as {rep}, whose rank counts these records too: "
            f"confirm {rep} = {key.person_id} (on its own records it scores {key.score:.3f})"
        )
        found[key.person_id] = replace(key, score=0.0, reasons=f"{key.reasons}; {note}")
    ordered = sorted(found.values(), key=lambda k: (-k.score, k.person_id))
    return tuple(replace(k, rank=rank) for rank, k in enumerate(ordered, start=1))


def _together_note(person_id: str, others: tuple[str, ...]) -> str:
    confirm = ", ".join(f"{person_id} = {o}" for o in others)
    return f"counted with {', '.join(others)}, possibly the same person: confirm {confirm}"
