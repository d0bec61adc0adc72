"""Choosing names (commonest most often) and the ways agencies get them wrong.

Two kinds of difference matter and are kept apart: a *variant* of one name (a spelling, a
transliteration, a nickname, a slip of the keyboard) and a *different* name that merely looks
alike (twins Jack and Jake). Truth knows which is which; the extracts do not say.
"""

from __future__ import annotations

import random
from functools import cache
from itertools import accumulate

from bench.hardgen.names_data import COMMUNITIES, NICKNAMES, SPELLINGS, words

_EXPONENT = {"given": 0.45, "surname": 0.8}
# English surnames beyond the commonest: place-name surnames of the kind West Yorkshire has.
_PREFIXES = words(
    "Ack Ash Bar Black Brad Bright Broad Cal Cart Chad Clay Crab Dun Fair Farn Gar Hal Hart "
    "Heath Hol Horn Kirk Lang Mar Mid Mill North Pen Rams Red Ridg Rush Shep Shel South Stan "
    "Thorn Wad Wake West Whit Wild Wors Brig Col Ing Ked Lid Mor"
)
_SUFFIXES = words("ley ton worth royd field ford by ham shaw wick cliffe den well bury hurst dale")
TAIL_SURNAMES = tuple(p + s for p in _PREFIXES for s in _SUFFIXES)
_HEAD_SHARE = 0.45  # share of white British families with one of the commonest surnames
_KEYBOARD = {
    "a": "qs",
    "e": "wr",
    "i": "uo",
    "o": "ip",
    "u": "yi",
    "n": "bm",
    "m": "n",
    "s": "ad",
    "r": "et",
    "t": "ry",
    "h": "gj",
    "l": "k",
    "k": "jl",
    "d": "sf",
    "y": "tu",
    "c": "xv",
    "b": "vn",
}


@cache
def _cumulative(pool: tuple[str, ...], kind: str) -> tuple[float, ...]:
    return tuple(accumulate(1 / (rank + 1) ** _EXPONENT[kind] for rank in range(len(pool))))


def pick(rng: random.Random, pool: tuple[str, ...], kind: str = "given") -> str:
    """A name from ``pool``, the first ones far more often (Zipf by rank)."""
    return rng.choices(pool, cum_weights=_cumulative(pool, kind))[0]


def given_name(rng: random.Random, community: str, sex: str, child: bool) -> str:
    c = COMMUNITIES[community]
    if child:
        return pick(rng, c.girls if sex == "F" else c.boys)
    return pick(rng, c.women if sex == "F" else c.men)


def surname(rng: random.Random, community: str) -> str:
    c = COMMUNITIES[community]
    if community == "white_british" and rng.random() > _HEAD_SHARE:
        return rng.choice(TAIL_SURNAMES)
    return pick(rng, c.surnames, "surname")


def feminine(community: str, family: str) -> str:
    """Kowalski → Kowalska: Polish surnames agree with the bearer's sex."""
    suffixes = COMMUNITIES[community].feminine_suffix or {}
    for male, female in suffixes.items():
        if family.endswith(male):
            return family[: -len(male)] + female
    return family


@cache
def _spelling_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, tuple[str, ...]] = {}
    for group in SPELLINGS:
        for name in group:
            index[name] = group
    return index


def spellings(name: str) -> tuple[str, ...]:
    """Other spellings of the same name (``Mohammed`` → ``Muhammad``…), excluding itself."""
    return tuple(n for n in _spelling_index().get(name, ()) if n != name)


def nicknames(name: str) -> tuple[str, ...]:
    return NICKNAMES.get(name, ())


def is_devotional(name: str) -> bool:
    """Mohammed in any spelling: often a first given name, the person known by the second."""
    return name == "Mohammed" or "Mohammed" in spellings(name)


def typo(rng: random.Random, name: str) -> str:
    """One slip of the keyboard: a neighbour key, a dropped, doubled or swapped letter."""
    if len(name) < 3:
        return name
    i = rng.randrange(1, len(name))
    kind = rng.randrange(4)
    if kind == 0 and name[i].lower() in _KEYBOARD:
        key = rng.choice(_KEYBOARD[name[i].lower()])
        return name[:i] + key + name[i + 1 :]
    if kind == 1:
        return name[:i] + name[i + 1 :]
    if kind == 2:
        return name[:i] + name[i] + name[i:]
    if i < len(name) - 1:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + name[i] + name[i:]


def canonical(name: str) -> str:
    """One spelling stands for all (``Muhammad`` → ``Mohammed``), for counting names."""
    group = _spelling_index().get(name)
    return group[0] if group else name


def full_name_key(given: str, family: str) -> str:
    """How commonness is counted: the first given name and the family name, one spelling each."""
    first = canonical(given.split(" ")[0])
    return f"{first} {' '.join(canonical(t) for t in family.split(' '))}".lower()
