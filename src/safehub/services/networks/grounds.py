"""Why a stored group is one: the engine's grounds, read back into words and people.

The network engine says why each group is one in sentences an analyst can check against the
records (``network.analysis.group_grounds``), naming people by their person id:

- ``rule: 3 adults of concern linked to child victims (2 children), bound together by ...``
- ``child 12 linked to 7, 9``
- ``vehicle:YX19ABC shared by 7, 9``
- ``9 is in it through direct ties to two or more of its bound members``

The network job stores them with the group; the pages name the people in them as the members
list does, and a person who may not be shown (restricted when the job ran, or not known to the
user now) is left out of them as they are left out of the members: a sentence that no longer
stands without them (the child, the adult who joined, a list of fewer than two) is left out
whole, and the rule's counts, which would count them, are left out of the rule.

Pure functions: no database, no engine (the pages import this without loading the engine).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

# What a page says in place of an identifier the user may read no record of (sealed envelope).
WITHHELD = "an identifier in records your agency cannot read"

_IDS = r"\d+(?:, \d+)*"
_CHILD = re.compile(rf"child (\d+) linked to ({_IDS})")
_SHARED = re.compile(rf"(\S.*) shared by ({_IDS})")
_JOINED = re.compile(r"(\d+)( is in it through direct ties to two or more of its bound members)")
_RULE = re.compile(r"rule: (\d+) adults of concern linked to child victims \((\d+) child(?:ren)?\)")
_RULE_WORDS = "rule: adults of concern linked to child victims"


@dataclass(frozen=True, slots=True)
class Ground:
    """One reason a group is one: words and person ids in the order the sentence has them.

    ``node`` is the identifier a ``shared`` ground is about (a node key, said before the
    parts), ``withheld`` when the user may read no record that shows it.

    >>> read_ground("child 12 linked to 7, 9").people
    (12, 7, 9)
    >>> read_ground("vehicle:YX19ABC shared by 7, 9").text
    'vehicle:YX19ABC shared by 7, 9'
    >>> read_ground("vehicle:YX19ABC shared by 7, 9").sealed().text
    'an identifier in records your agency cannot read shared by 7, 9'
    """

    kind: str  # "rule", "child", "shared", "joined", or "other" (words only)
    parts: tuple[str | int, ...]
    node: str = ""
    withheld: bool = False
    # A rule ground's counts: (adults linked to children, children), None once left out.
    counts: tuple[int, int] | None = None

    @property
    def people(self) -> tuple[int, ...]:
        return tuple(p for p in self.parts if isinstance(p, int))

    @property
    def subject(self) -> str:
        """What a ``shared`` ground is about, as the sentence says it ("" for the others)."""
        if self.kind != "shared":
            return ""
        return WITHHELD if self.withheld else self.node

    @property
    def text(self) -> str:
        """The sentence, people by person id (as stored, and as the API gives it)."""
        return self.said()

    def said(self, person: Callable[[int], str] = str) -> str:
        """The sentence with each person written by ``person`` (default: the person id).

        >>> read_ground("child 12 linked to 7, 9").said(lambda p: f"person:{p}")
        'child person:12 linked to person:7, person:9'
        """
        return self.subject + "".join(person(p) if isinstance(p, int) else p for p in self.parts)

    def sealed(self) -> Ground:
        """The same ground with its identifier withheld."""
        return replace(self, withheld=True)

    def without(self, unseen: Collection[int]) -> Ground | None:
        """The ground without these people; None when it no longer stands without them.

        >>> read_ground("child 12 linked to 7, 9, 4").without({9}).text
        'child 12 linked to 7, 4'
        >>> read_ground("child 12 linked to 7, 9").without({9}) is None
        True
        >>> joined = "9 is in it through direct ties to two or more of its bound members"
        >>> read_ground(joined).without({9}) is None
        True
        """
        if not set(self.people) & set(unseen):
            return self
        if self.kind == "child":
            child, *adults = self.people
            kept = [a for a in adults if a not in unseen]
            if child in unseen or len(kept) < 2:
                return None
            return replace(self, parts=("child ", child, " linked to ", *_listed(kept)))
        if self.kind == "shared":
            kept = [p for p in self.people if p not in unseen]
            return replace(self, parts=(" shared by ", *_listed(kept))) if len(kept) >= 2 else None
        return None  # a joined adult left out, or words naming someone: nothing stands


def read_ground(sentence: str) -> Ground:
    """A stored sentence as words and people (an unknown shape is kept as words).

    >>> read_ground("9 is in it through direct ties to two or more of its bound members").kind
    'joined'
    >>> read_ground("rule: 2 adults of concern linked to child victims (3 children), bound").counts
    (2, 3)
    """
    if found := _CHILD.fullmatch(sentence):
        child, adults = int(found[1]), _ids(found[2])
        return Ground("child", ("child ", child, " linked to ", *_listed(adults)))
    if found := _JOINED.fullmatch(sentence):
        return Ground("joined", (int(found[1]), found[2]))
    if found := _RULE.match(sentence):
        return Ground("rule", (sentence,), counts=(int(found[1]), int(found[2])))
    if sentence.startswith("rule:"):
        return Ground("rule", (sentence,))
    if found := _SHARED.fullmatch(sentence):
        return Ground("shared", (" shared by ", *_listed(_ids(found[2]))), node=found[1])
    return Ground("other", (sentence,))


def without_counts(ground: Ground) -> Ground:
    """A rule ground without its counts (they would count people left out).

    >>> without_counts(read_ground(
    ...     "rule: 2 adults of concern linked to child victims (3 children), bound")).text
    'rule: adults of concern linked to child victims, bound'
    """
    if ground.kind != "rule" or ground.counts is None:
        return ground
    words = _RULE.sub(_RULE_WORDS, ground.text, count=1)
    return replace(ground, parts=(words,), counts=None)


def keep_grounds(
    sentences: Sequence[str], unseen: Collection[int], *, children: int | None = None
) -> list[Ground]:
    """The grounds without the people in ``unseen``. The rule's counts are left out when a
    person was left out of a ground, or when ``children`` (the children the reader is shown)
    differs from the children the rule counted: either way the counts would count someone
    left out.

    >>> rule = "rule: 2 adults of concern linked to child victims (1 child), bound"
    >>> [g.text for g in keep_grounds([rule, "child 5 linked to 7, 9"], {9})]
    ['rule: adults of concern linked to child victims, bound']
    >>> [g.text for g in keep_grounds([rule], set(), children=1)] == [rule]
    True
    """
    grounds = [read_ground(s) for s in sentences]
    kept = [g for g in (ground.without(unseen) for ground in grounds) if g is not None]
    dropped = any(set(g.people) & set(unseen) for g in grounds)
    counted = {g.counts[1] for g in grounds if g.counts is not None}
    if dropped or (children is not None and counted - {children}):
        kept = [without_counts(g) for g in kept]
    return kept


def stored_grounds(
    sentences: Sequence[str], hidden: Collection[str], *, holds_hidden: bool
) -> list[str]:
    """A group's grounds as the network job stores them: without restricted people (``hidden``,
    person ids as the engine gives them), who are never written to the results. A ground that
    no longer stands without them is left out, and so are the rule's counts when the group
    holds one of them (``holds_hidden``): they would betray them, as a gap in the ranks would.

    >>> rule = "rule: 2 adults of concern linked to child victims (2 children), bound"
    >>> stored_grounds([rule, "child 5 linked to 7, 9", "9 is in it through direct ties to "
    ...                 "two or more of its bound members", "phone:+447700900111 shared by 7, 9, 11"],
    ...                {"9"}, holds_hidden=True)
    ['rule: adults of concern linked to child victims, bound', 'phone:+447700900111 shared by 7, 11']
    >>> stored_grounds([rule, "child 5 linked to 7, 9"], set(), holds_hidden=False)[1]
    'child 5 linked to 7, 9'
    """
    unseen = {int(p) for p in hidden if p.isdigit()}
    grounds = keep_grounds(sentences, unseen)
    if holds_hidden:
        grounds = [without_counts(g) for g in grounds]
    return [g.text for g in grounds]


def _ids(listed: str) -> list[int]:
    return [int(p) for p in listed.split(", ")]


def _listed(people: Sequence[int]) -> tuple[str | int, ...]:
    """People as the engine lists them: "7, 9, 12"."""
    parts: list[str | int] = []
    for i, person in enumerate(people):
        parts += [", ", person] if i else [person]
    return tuple(parts)
