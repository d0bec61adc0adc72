"""The review queue: pairs a person can work, most useful first, and the probable matches.

A scored pair waiting for a person is worth a reviewer's time only if confirming it would change
something. So the queue holds one pair per two people not already one (the strongest pair; the
others would be confirmed with it), and orders them by what a confirmation would change
(docs/architecture.md, "False merges fall on common names, twins and siblings; missed merges
hide perpetrators"):

1. it completes an adult of concern who is in records with children;
2. it completes an adult of concern, or it links a child recorded as a victim;
3. it joins people across agencies (the two are known to different agencies);

then by match probability. Pairs the records contradict (given names that differ outright,
dates of birth apart) are rarely one person: they are queued only when confirming one would
complete an adult of concern or a child at risk, and then come last. Otherwise (two twins, two
siblings with nothing at stake) a reviewer's time is better spent elsewhere, and they are not
queued. Pairs the records prove to be two people (named in one record, or one too young for a
role the other held) are not queued at all.

Two more kinds of pair are not worth a reviewer's time (``bench/hardgen/queue_analysis.md``):

- nothing at stake: neither person is an adult of concern or a child recorded as a victim, and
  both are known to the same agencies. Confirming it would tidy one agency's own records and
  tell no one anything new; that is the agency's housekeeping, not the hub's;
- a name and nothing else to compare: one of the two is only a name (no date of birth, address,
  postcode or identifier), so a reviewer has nothing in the records to decide on. Such a pair is
  queued only when confirming it would complete an adult of concern who is in records with
  children, or link a child recorded as a victim: then it is worth asking the agency for more.

A pair whose confirmation would complete an adult of concern in records with children, or link a
child recorded as a victim, is never left out by these two rules.

``possible_matches`` (on ``Resolution``) are the queued pairs that are probably one person (at
least ``POSSIBLE_PROBABILITY``, nothing in the records against it): the network analysis shows
them as "possibly the same person" links until someone decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# At least this probable, and nothing in the records against it: "possibly the same person".
POSSIBLE_PROBABILITY = 0.9
_CONCERN_WITH_CHILDREN, _CONCERN_OR_CHILD, _ACROSS_AGENCIES = 4, 2, 1
_CONTRADICTED = -8
# A contradicted pair that would not complete an adult of concern or a child at risk.
_NOT_WORTH = -16


@dataclass(frozen=True, slots=True)
class Candidates:
    """The pairs waiting for a person, by ``unique_id`` (one array entry per pair)."""

    left: np.ndarray
    right: np.ndarray
    probability: np.ndarray
    weight: np.ndarray
    held: np.ndarray
    proven_apart: np.ndarray


@dataclass(frozen=True, slots=True)
class People:
    """Per ``unique_id``: the person (cluster) it was resolved to, its agency and its flags."""

    cluster: np.ndarray
    agency: np.ndarray
    of_concern: np.ndarray
    with_children: np.ndarray
    at_risk: np.ndarray
    # A name and nothing else to match on (``AgencyPerson.is_insufficient``); empty: none is.
    thin: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))


def order_queue(pairs: Candidates, people: People) -> list[int]:
    """Indices of ``pairs`` to queue, most useful first (see the module docstring).

    >>> pairs = Candidates(*map(np.array, ([0, 0], [1, 2], [0.9, 0.6], [5.0, 2.0],
    ...                                    [False, False], [False, False])))
    >>> people = People(*map(np.array, ([0, 1, 2], [0, 1, 1], [False, False, True],
    ...                                 [False, False, False], [False, False, False])))
    >>> order_queue(pairs, people)   # the pair that completes an adult of concern first
    [1, 0]
    """
    places = place_pairs(pairs, people, explain=False)
    best = np.flatnonzero(places.worth)
    usefulness = places.usefulness[best]
    order = np.lexsort((pairs.right[best], pairs.left[best], -pairs.probability[best], -usefulness))
    return best[order].tolist()  # type: ignore[no-any-return]


# Why a pair stands where it does, in the words a reviewer reads (``place_pairs``).
CONCERN_WITH_CHILDREN_REASON = "would complete an adult of concern who is in records with children"
CONCERN_REASON = "would complete an adult of concern"
CHILD_REASON = "would link a child recorded as a victim"
ACROSS_REASON = "would join records held by different agencies"
ALSO_ACROSS = "; the two are known to different agencies"
CONTRADICTED_REASON = "the records disagree, so it comes last, but it "
SAME_PERSON_REASON = "left out: already one person"
PROVEN_APART_REASON = "left out: the records show two people"
ANOTHER_PAIR_REASON = "left out: a stronger pair of the same two people stands for them"
NOTHING_AT_STAKE_REASON = (
    "left out: nothing at stake (no adult of concern or child recorded as a victim, and both "
    "known to the same agencies)"
)
CONTRADICTED_NOT_WORTH_REASON = (
    "left out: the records disagree and no adult of concern or child recorded as a victim is "
    "at stake"
)
NAME_ONLY_REASON = "left out: one side is only a name, so the records give nothing to decide on"


@dataclass(frozen=True, slots=True)
class Places:
    """Per pair (the index of ``Candidates``): its usefulness (the queue orders by it, then by
    probability), whether it is worth a reviewer's time (``order_queue`` queues exactly these)
    and why it stands where it does (empty unless asked for)."""

    usefulness: np.ndarray
    worth: np.ndarray
    reasons: list[str]


def place_pairs(pairs: Candidates, people: People, *, explain: bool = True) -> Places:
    """Every pair's place in the queue and, with ``explain``, its reason (see the module
    docstring). The reasons cost a third of the time at 200,000 pairs: ``order_queue`` skips them.

    >>> pairs = Candidates(*map(np.array, ([0, 0], [1, 2], [0.9, 0.6], [5.0, 2.0],
    ...                                    [False, False], [False, False])))
    >>> people = People(*map(np.array, ([0, 1, 2], [0, 0, 0], [False, False, True],
    ...                                 [False, False, False], [False, False, False])))
    >>> places = place_pairs(pairs, people)
    >>> places.worth.tolist(), places.reasons[1]
    ([False, True], 'would complete an adult of concern')
    """
    a, b = people.cluster[pairs.left], people.cluster[pairs.right]
    keep = np.flatnonzero((a != b) & ~pairs.proven_apart)
    best = _strongest_per_link(np.minimum(a, b)[keep], np.maximum(a, b)[keep], keep, pairs)
    every = np.arange(len(pairs.left))
    stakes = _stakes(pairs, people, every)
    usefulness = _usefulness(pairs, every, stakes)
    reviewable = _worth_a_reviewer(pairs, people, every, stakes)
    strongest = np.zeros(len(every), dtype=bool)
    strongest[best] = True
    worth = strongest & (usefulness > _NOT_WORTH) & reviewable
    if not explain:
        return Places(usefulness, worth, [])
    left_out = (a == b, pairs.proven_apart, ~strongest, usefulness <= _NOT_WORTH, ~reviewable)
    return Places(usefulness, worth, _reasons(pairs, stakes, left_out))


def _reasons(pairs: Candidates, stakes: _Stakes, left_out: tuple[np.ndarray, ...]) -> list[str]:
    """Why each pair stands where it does: what confirming it would change, or why it is left
    out (``left_out``: one person, proven two, a stronger pair, contradicted, not reviewable)."""
    at_stake = np.select(
        [stakes.concern & stakes.with_children, stakes.concern, stakes.at_risk, stakes.across],
        [CONCERN_WITH_CHILDREN_REASON, CONCERN_REASON, CHILD_REASON, ACROSS_REASON],
        NOTHING_AT_STAKE_REASON,
    ).astype(object)
    at_stake = np.where(
        (stakes.concern | stakes.at_risk) & stakes.across, at_stake + ALSO_ACROSS, at_stake
    )
    same, apart, weaker, contradicted, unreviewable = left_out
    nothing = ~(stakes.concern | stakes.at_risk | stakes.across)
    reasons = np.select(
        [same, apart, weaker, contradicted, nothing, unreviewable, pairs.held],
        [
            SAME_PERSON_REASON,
            PROVEN_APART_REASON,
            ANOTHER_PAIR_REASON,
            CONTRADICTED_NOT_WORTH_REASON,
            NOTHING_AT_STAKE_REASON,
            NAME_ONLY_REASON,
            CONTRADICTED_REASON + at_stake,
        ],
        at_stake,
    )
    return reasons.tolist()  # type: ignore[no-any-return]


def _strongest_per_link(
    low: np.ndarray, high: np.ndarray, indices: np.ndarray, pairs: Candidates
) -> np.ndarray:
    """One pair per two clusters: not held before held, then the highest weight, then ids."""
    order = np.lexsort(
        (
            pairs.right[indices],
            pairs.left[indices],
            -pairs.weight[indices],
            pairs.held[indices],
            high,
            low,
        )
    )
    low, high, indices = low[order], high[order], indices[order]
    first = np.ones(len(indices), dtype=bool)
    first[1:] = (low[1:] != low[:-1]) | (high[1:] != high[:-1])
    return indices[first]


@dataclass(frozen=True, slots=True)
class _Stakes:
    """Per pair, what confirming it would change: whether either person (cluster) is an adult
    of concern, is in records with children, is a child recorded as a victim, and whether the
    two are known to different agencies."""

    concern: np.ndarray
    with_children: np.ndarray
    at_risk: np.ndarray
    across: np.ndarray

    @property
    def protected(self) -> np.ndarray:
        """It would complete an adult of concern in records with children, or link a child
        recorded as a victim: never left out for want of worth."""
        return np.asarray((self.concern & self.with_children) | self.at_risk, dtype=bool)


def _stakes(pairs: Candidates, people: People, best: np.ndarray) -> _Stakes:
    a, b = people.cluster[pairs.left[best]], people.cluster[pairs.right[best]]
    wanted = np.unique(np.concatenate([a, b]))
    members = np.flatnonzero(np.isin(people.cluster, wanted))
    at = np.searchsorted(wanted, people.cluster[members])

    def any_of(flags: np.ndarray) -> np.ndarray:
        found = np.zeros(len(wanted), dtype=bool)
        found[at[flags[members]]] = True
        return found

    ia, ib = np.searchsorted(wanted, a), np.searchsorted(wanted, b)
    concern, children, risk = (
        any_of(f) for f in (people.of_concern, people.with_children, people.at_risk)
    )
    return _Stakes(
        concern=concern[ia] | concern[ib],
        with_children=children[ia] | children[ib],
        at_risk=risk[ia] | risk[ib],
        across=_agencies_differ(people, members, at, ia, ib, len(wanted)).astype(bool),
    )


def _usefulness(pairs: Candidates, best: np.ndarray, stakes: _Stakes) -> np.ndarray:
    score = np.where(
        stakes.concern & stakes.with_children,
        _CONCERN_WITH_CHILDREN,
        np.where(stakes.concern | stakes.at_risk, _CONCERN_OR_CHILD, 0),
    )
    contradicted = np.where(score > 0, _CONTRADICTED, _NOT_WORTH)
    score = score + _ACROSS_AGENCIES * stakes.across.astype(np.int64)
    return np.where(pairs.held[best], contradicted, score)


def _worth_a_reviewer(
    pairs: Candidates, people: People, best: np.ndarray, stakes: _Stakes
) -> np.ndarray:
    """Per pair, whether a reviewer could decide it and it would change something (the module
    docstring): something at stake, and more than a name to compare unless it is protected."""
    at_stake = stakes.concern | stakes.at_risk | stakes.across
    if len(people.thin) != len(people.cluster):  # no flags given: no one is only a name
        return np.asarray(at_stake, dtype=bool)
    name_only = people.thin[pairs.left[best]] | people.thin[pairs.right[best]]
    return np.asarray((at_stake & ~name_only) | stakes.protected, dtype=bool)


def _agencies_differ(
    people: People, members: np.ndarray, at: np.ndarray, ia: np.ndarray, ib: np.ndarray, n: int
) -> np.ndarray:
    """Whether the two clusters are known to different sets of agencies."""
    agencies: list[set[int]] = [set() for _ in range(n)]
    for cluster, agency in zip(at.tolist(), people.agency[members].tolist(), strict=True):
        agencies[cluster].add(agency)
    return np.array(
        [agencies[x] != agencies[y] for x, y in zip(ia.tolist(), ib.tolist(), strict=True)],
        dtype=np.int64,
    )


def with_children(size: int, together: np.ndarray, at_risk: np.ndarray) -> np.ndarray:
    """Per person (index), whether a record names them beside a child recorded as a victim.

    ``together`` holds ``i * size + j`` for two people named in one record (``PersonFacts``).
    """
    found = np.zeros(size, dtype=bool)
    if size == 0 or len(together) == 0 or len(at_risk) == 0:
        return found
    low, high = np.divmod(together, size)
    found[high[at_risk[low]]] = True
    found[low[at_risk[high]]] = True
    return found
