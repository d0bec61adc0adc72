"""A small phrase language for rule patterns, compiled to spaCy `Matcher` token patterns.

Written for people, not programmers: words are separated by spaces and match any inflection
("put herself at risk" also matches "putting herself at risk"). Per word:

- `word`        any form of the word (its lemma): `choose` matches chose, chosen, choosing
- `=word`       exactly this word form (lower-cased): `=older` does not match "old"
- `a|b|c`       one of several words
- `@NAME`       one of the words in the named word set (`"word_sets"` in the rules file);
                `@NAME|word` adds words to the set
- `#NUM`        a number ("24", "twenty")
- `*`           any one word; `~3` any zero to three words
- a trailing `?` makes the word optional: `own?`, `@POSS?`

>>> compile_pattern("put @SELF at risk", {"SELF": ("herself",)}, lambda w: [w])[0][1]
{'LEMMA': {'IN': ['herself']}}
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from safehub.language.rules import RuleError

TokenSpec = dict[str, Any]
Lemmatize = Callable[[str], Sequence[str]]
_MAX_EXPANSIONS = 64


def compile_pattern(
    pattern: str, word_sets: Mapping[str, Sequence[str]], lemmatize: Lemmatize
) -> list[list[TokenSpec]]:
    """Compile one pattern to one or more Matcher patterns (alternatives that mix forms expand).

    `lemmatize` maps a written word to its lemma tokens (a hyphenated word is several tokens).
    """
    items = pattern.split()
    if not items:
        raise RuleError("empty pattern")
    choices: list[list[list[TokenSpec]]] = [_item(item, word_sets, lemmatize) for item in items]
    combos = list(itertools.islice(itertools.product(*choices), _MAX_EXPANSIONS + 1))
    if len(combos) > _MAX_EXPANSIONS:
        raise RuleError(f"pattern {pattern!r} expands to too many alternatives; split it")
    compiled = [[spec for group in combo for spec in group] for combo in combos]
    if any(
        all(spec.get("OP") in ("?", "*") or "{" in str(spec.get("OP", "")) for spec in p)
        for p in compiled
    ):
        raise RuleError(f"pattern {pattern!r} must have at least one required word")
    return compiled


def _item(
    item: str, word_sets: Mapping[str, Sequence[str]], lemmatize: Lemmatize
) -> list[list[TokenSpec]]:
    """The alternatives for one written item; each alternative is a run of token specs."""
    optional = item.endswith("?") and len(item) > 1
    body = item[:-1] if optional else item
    runs: list[list[TokenSpec]]
    if body == "*":
        runs = [[{}]]
    elif body.startswith("~") and body[1:].isdigit():
        return [[{"OP": f"{{0,{int(body[1:])}}}"}]]
    elif body == "#NUM":
        runs = [[{"LIKE_NUM": True}]]
    else:
        words = [
            w
            for alt in body.split("|")
            for w in (_word_set(alt[1:], word_sets) if alt.startswith("@") else [alt])
        ]
        runs = _alternatives(words, lemmatize)
    if optional:
        runs = [_optional(run, item) for run in runs]
    return runs


def _word_set(name: str, word_sets: Mapping[str, Sequence[str]]) -> Sequence[str]:
    if name not in word_sets:
        raise RuleError(f"unknown word set @{name}; define it under 'word_sets'")
    return word_sets[name]


def _alternatives(words: Sequence[str], lemmatize: Lemmatize) -> list[list[TokenSpec]]:
    """Group single-token alternatives into one IN-spec per attribute; multi-token ones stand alone."""
    exact: list[str] = []
    lemmas: list[str] = []
    runs: list[list[TokenSpec]] = []
    for word in words:
        if not word or word == "=":
            raise RuleError("empty alternative in pattern (check for '||' or a trailing '|')")
        if word in ("#NUM", "*") or word.startswith("~"):
            # It would silently match the literal text; say how to write it instead.
            raise RuleError(f"{word!r} cannot be one of several words: write a second pattern")
        if word.startswith("="):
            exact.append(word[1:].lower())
            continue
        pieces = list(lemmatize(word))
        if len(pieces) == 1:
            lemmas.append(pieces[0])
        else:
            runs.append([{"LEMMA": p} for p in pieces])
    if lemmas:
        runs.insert(0, [{"LEMMA": {"IN": sorted(set(lemmas))}}])
    if exact:
        runs.insert(0, [{"LOWER": {"IN": sorted(set(exact))}}])
    return runs


def _optional(run: list[TokenSpec], item: str) -> list[TokenSpec]:
    if len(run) != 1:
        raise RuleError(f"optional item {item!r} must be a single word")
    return [{**run[0], "OP": "?"}]
