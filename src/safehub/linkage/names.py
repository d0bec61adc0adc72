"""Name normalisation for matching UK multi-agency records.

Three keys per name, from strict to loose:

- ``fold_name``: ASCII, lower case, letters only, doubled letters collapsed ("Mohammed" → "mohamed").
- ``canonical_name``: the folded name mapped through the equivalence groups shipped in
  ``data/name_groups.csv`` (nicknames such as Bob → robert, and common transliterations such as
  Mohamed → muhammad), so "same name or a known variant" is one equality.
- ``name_skeleton``: first letter plus the consonants, vowels and w/y/h-after-consonant dropped.
  Transliterations of Arabic and South Asian names mostly differ in their vowels (Hussain/Hussein,
  Yusuf/Yousef, Chowdhury/Choudhury), so they share a skeleton. It is loose on purpose (Mahmood and
  Mohammed share "mhmd"); the model learns how much a skeleton match is worth.

``jaro_winkler`` is written here (not imported) so the in-process scorer computes exactly the value
DuckDB's ``jaro_winkler_similarity`` does; a unit test checks the two agree.
"""

from __future__ import annotations

import csv
import itertools
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources

_VOWELS = frozenset("aeiouyw")


@cache
def fold_name(raw: str) -> str:
    """ASCII letters in lower case with doubled letters collapsed; "" when nothing is left.

    >>> fold_name("  O'Brien-SMITH ")
    'obriensmith'
    >>> fold_name("Zoë"), fold_name("Mohammed")
    ('zoe', 'mohamed')
    """
    ascii_text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    letters = [c for c in ascii_text.lower() if "a" <= c <= "z"]
    collapsed: list[str] = []
    for letter in letters:
        if not collapsed or collapsed[-1] != letter:
            collapsed.append(letter)
    return "".join(collapsed).replace("ph", "f")


@cache
def canonical_name(raw: str) -> str:
    """The folded name, or the head of its equivalence group (nicknames, transliterations).

    >>> canonical_name("Bob"), canonical_name("Liz"), canonical_name("Mohamed")
    ('robert', 'elizabeth', 'muhamad')
    >>> canonical_name("Xanthe")
    'xanthe'
    """
    folded = fold_name(raw)
    return _name_groups().get(folded, folded)


@cache
def known_name(raw: str) -> str:
    """The head of the name's equivalence group when the name is listed there, else "".

    Listed: in ``data/name_groups.csv`` (variants) or ``data/given_names.txt`` (names of their
    own). Two listed names with different heads are different names (Hassan and Hussain, Harry
    and Harvey: twins' names), however alike their spelling: the lists hold the variants.

    >>> known_name("Hasan"), known_name("Husein"), known_name("Harvey"), known_name("Xanthe")
    ('hasan', 'husain', 'harvey', '')
    """
    folded = fold_name(raw)
    return _name_groups().get(folded) or (folded if folded in _given_names() else "")


# Short forms of a boy's name and of a girl's (Nicky: Nicholas or Nicola; Sam: Samuel or
# Samantha) sit on the boy's line of data/name_groups.csv, the reading when the sex is not
# recorded. On a record of a female they are the girl's name: "Nicky Hall" (F) and "Nicola Hall"
# are one name written two ways, not two given names that differ outright.
_GIRLS_READING = {
    "nicky": "nicola",
    "charlie": "charlotte",
    "jackie": "jacqueline",
    "sam": "samantha",
    "sammy": "samantha",
    "alex": "alexandra",
    "chris": "christine",
}


@cache
def _girls_reading() -> dict[str, str]:
    return {fold_name(short): canonical_name(full) for short, full in _GIRLS_READING.items()}


def _as_girls(raw: str, female: bool) -> str:
    """The girl's name a short form stands for on a record of a female ("" otherwise)."""
    return _girls_reading().get(fold_name(raw), "") if female else ""


def canonical_given(raw: str, female: bool) -> str:
    """``canonical_name`` of a given name, read as a girl's name on a record of a female.

    >>> canonical_given("Nicky", False), canonical_given("Nicky", True)
    ('nicholas', 'nicola')
    >>> canonical_given("Sammy", True) == canonical_given("Samantha", True)
    True
    """
    return _as_girls(raw, female) or canonical_name(raw)


def known_given(raw: str, female: bool) -> str:
    """``known_name`` of a given name, read as a girl's name on a record of a female."""
    girls = _as_girls(raw, female)
    return known_name(girls) if girls else known_name(raw)


@cache
def name_skeleton(raw: str) -> str:
    """First letter, then consonants only (an 'h' after a consonant is dropped too).

    Skeletons shorter than three letters ("Bob" → "b") say too little and are returned empty.

    >>> name_skeleton("Hussain"), name_skeleton("Hussein"), name_skeleton("Husain")
    ('hsn', 'hsn', 'hsn')
    >>> name_skeleton("Chowdhury") == name_skeleton("Choudhury")
    True
    """
    folded = fold_name(raw)
    if not folded:
        return ""
    kept = [folded[0]]
    for previous, letter in itertools.pairwise(folded):
        if letter in _VOWELS or (letter == "h" and previous not in _VOWELS):
            continue
        if kept[-1] != letter:
            kept.append(letter)
    return "".join(kept) if len(kept) >= 3 else ""


def jaro_winkler(left: str, right: str) -> float:
    """Jaro-Winkler similarity (prefix scale 0.1, up to 4 letters, boost above 0.7 Jaro).

    >>> round(jaro_winkler("martha", "marhta"), 4)
    0.9611
    """
    jaro = _jaro(left, right)
    if jaro <= 0.7:
        return jaro
    prefix = 0
    for a, b in zip(left[:4], right[:4], strict=False):
        if a != b:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1.0 - jaro)


def _jaro(left: str, right: str) -> float:
    if not left or not right:
        return 1.0 if left == right else 0.0
    window = max(max(len(left), len(right)) // 2 - 1, 0)
    left_hit = [False] * len(left)
    right_hit = [False] * len(right)
    matches = 0
    for i, char in enumerate(left):
        for j in range(max(0, i - window), min(len(right), i + window + 1)):
            if not right_hit[j] and right[j] == char:
                left_hit[i] = right_hit[j] = True
                matches += 1
                break
    if matches == 0:
        return 0.0
    left_matched = [c for c, hit in zip(left, left_hit, strict=True) if hit]
    right_matched = [c for c, hit in zip(right, right_hit, strict=True) if hit]
    transpositions = sum(a != b for a, b in zip(left_matched, right_matched, strict=True)) / 2
    return (matches / len(left) + matches / len(right) + (matches - transpositions) / matches) / 3


@cache
def _name_groups() -> dict[str, str]:
    """Folded variant → head of its group; a variant keeps the first group that lists it."""
    groups: dict[str, str] = {}
    text = resources.files("safehub.linkage").joinpath("data/name_groups.csv").read_text("utf-8")
    for row in csv.reader(line for line in text.splitlines() if not line.startswith("#")):
        names = [fold_name(n) for n in row if n.strip()]
        if not names:
            continue
        for name in names:
            groups.setdefault(name, names[0])
    return groups


@cache
def _given_names() -> frozenset[str]:
    text = resources.files("safehub.linkage").joinpath("data/given_names.txt").read_text("utf-8")
    return frozenset(
        fold_name(line) for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@cache
def typo_of(raw: str) -> str:
    """The listed name an unlisted spelling is one slip of, when the slip fits the names of one
    group only, else "". Consonants alone cannot say which of two names a misspelling is
    ("Husasin" and "Hassan" share "hsn"); one slip can ("Husasin" is Hussain swapped, "Hassn" is
    Hassan with a letter dropped), and twins are named Hassan and Hussain.

    >>> typo_of("Husasin"), typo_of("Hassn"), typo_of("Hassan"), typo_of("Jakc")
    ('husain', 'hasan', '', '')
    """
    folded = fold_name(raw)
    if len(folded) < 4 or known_name(folded) or girls_form_of(folded):
        return ""
    heads = _listed_heads_one_slip_from(folded)
    return heads.pop() if len(heads) == 1 else ""


@cache
def girls_form_of(raw: str) -> str:
    """What an unlisted girl's form of a listed name reads as, else "": a listed name with an
    "a" added (Amir → Amira, Ali → Alia, Jamil → Jamila) is a girl's name of its own, not a
    typing slip of the boy's, and twins are named so. It reads as the one other listed name it
    is a slip of ("Adriana" is Ariana), else as itself.

    >>> girls_form_of("Amira"), girls_form_of("Adriana"), girls_form_of("Amir"), girls_form_of("Evaa")
    ('amira', 'ariana', '', '')
    """
    folded = fold_name(raw)
    stem = folded[:-1]
    if len(folded) < 4 or not folded.endswith("a") or stem.endswith("a"):
        return ""
    if known_name(folded) or not known_name(stem):
        return ""
    others = _listed_heads_one_slip_from(folded) - {known_name(stem)}
    return others.pop() if len(others) == 1 else folded


def _listed_heads_one_slip_from(folded: str) -> set[str]:
    """The groups (``known_name`` heads) of the listed names one slip from ``folded``."""
    return {known_name(name) for name in one_slip_from(folded, _listed_index())}


@cache
def _listed_index() -> dict[str, tuple[str, ...]]:
    return one_slip_index(set(_name_groups()) | _given_names())


def one_slip_index(names: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each of ``names`` (folded), and each spelling of it with one letter dropped, → the names:
    two spellings one slip apart share a key (a symmetric deletion index)."""
    index: dict[str, set[str]] = {}
    for name in names:
        for key in _deletions(name):
            index.setdefault(key, set()).add(name)
    return {key: tuple(sorted(found)) for key, found in index.items()}


def one_slip_from(folded: str, index: Mapping[str, tuple[str, ...]]) -> set[str]:
    """The names of ``index`` (``one_slip_index``) within one slip of ``folded``."""
    near = {name for key in _deletions(folded) for name in index.get(key, ())}
    return {name for name in near if within_one_edit(folded, name)}


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def within_one_edit(left: str, right: str) -> bool:
    """At most one inserted, deleted, changed or swapped (adjacent) character.

    Equal to ``damerau_levenshtein(left, right) <= 1`` in DuckDB and Splink's Spark functions.

    >>> within_one_edit("5714719", "5714791"), within_one_edit("9100106", "9109106")
    (True, True)
    >>> within_one_edit("1234", "4321")
    False
    """
    if left == right:
        return True
    if abs(len(left) - len(right)) > 1:
        return False
    if len(left) == len(right):
        diff = [i for i, (a, b) in enumerate(zip(left, right, strict=True)) if a != b]
        if len(diff) == 1:
            return True
        i = diff[0]
        return (
            len(diff) == 2
            and diff[1] == i + 1
            and left[i] == right[i + 1]
            and left[i + 1] == right[i]
        )
    short, long = sorted((left, right), key=len)
    i = next((n for n, (a, b) in enumerate(zip(short, long, strict=False)) if a != b), len(short))
    return short[i:] == long[i + 1 :]
