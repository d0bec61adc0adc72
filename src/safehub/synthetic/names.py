"""Sampling names, and writing one name the way different agencies write it."""

from __future__ import annotations

import random
from itertools import accumulate

from safehub.synthetic.namedata import HERITAGE_BY_ETHNICITY, NICKNAMES, POOLS, SPELLING_GROUPS

_SPELLINGS: dict[str, tuple[str, ...]] = {
    name: group for group in SPELLING_GROUPS for name in group
}
_KEYBOARD_NEIGHBOURS = {
    "a": "sq",
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
    "d": "sf",
    "k": "jl",
    "y": "tu",
    "c": "xv",
}


class _Pool:
    """Names with Zipf-like weights (the first names of a list are the most common)."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.cumulative = list(accumulate(1.0 / (rank + 1.5) for rank in range(len(names))))

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.names, cum_weights=self.cumulative)[0]


_FEMALE = {heritage: _Pool(pools[0]) for heritage, pools in POOLS.items()}
_MALE = {heritage: _Pool(pools[1]) for heritage, pools in POOLS.items()}
_FAMILY = {heritage: _Pool(pools[2]) for heritage, pools in POOLS.items()}


def heritage_for(rng: random.Random, ethnicity: str) -> tuple[str, str]:
    """(given-name heritage, family-name heritage) for someone of this ethnicity."""
    options = HERITAGE_BY_ETHNICITY[ethnicity]
    if len(options) == 1:
        return options[0][0], options[0][1]
    choice = rng.choices(options, [weight for _, _, weight in options])[0]
    return choice[0], choice[1]


def given_name(rng: random.Random, heritage: str, sex: str) -> str:
    """A given name of the heritage for a person of this sex (``F`` or ``M``)."""
    return (_FEMALE if sex == "F" else _MALE)[heritage].draw(rng)


def family_name(rng: random.Random, heritage: str) -> str:
    return _FAMILY[heritage].draw(rng)


def spelling_variant(rng: random.Random, name: str) -> str:
    """Another accepted spelling or transliteration of ``name`` (itself if none is known).

    >>> spelling_variant(random.Random(3), "Mohammed") in {"Muhammad", "Mohamed", "Mohammad",
    ...     "Muhammed", "Mohamad"}
    True
    """
    group = _SPELLINGS.get(name)
    if group is None:
        return name
    others = [other for other in group if other != name]
    return rng.choice(others)


def nickname(rng: random.Random, name: str) -> str:
    """A short form the person goes by (itself if none is known)."""
    forms = NICKNAMES.get(name)
    return rng.choice(forms) if forms else name


def has_variants(name: str) -> bool:
    return name in _SPELLINGS or name in NICKNAMES


def typo(rng: random.Random, name: str) -> str:
    """One slip of the keyboard: a dropped, doubled, swapped or mistyped letter."""
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return name[:i] + name[i + 1 :]
    if kind == 1:
        return name[:i] + name[i] + name[i:]
    if kind == 2:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    neighbours = _KEYBOARD_NEIGHBOURS.get(name[i].lower())
    if not neighbours:
        return name[:i] + name[i + 1 :]
    return name[:i] + rng.choice(neighbours) + name[i + 1 :]
