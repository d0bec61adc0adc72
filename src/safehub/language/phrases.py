"""Compiled phrase sets: a spaCy Matcher plus the words that any match must contain.

spaCy's Matcher spends most of its time testing set-membership predicates on every token, so
each set of patterns also records the words a match needs, and a document that cannot match is
skipped without running the Matcher (case notes are mostly clean, so most are skipped):

- its *anchor* words: for every pattern, the values of its most selective required token. A
  document with none of them cannot match;
- for every pattern, the values of *each* of its required tokens. A document matches a pattern
  only if it has a word of every one of them ("sell sex" needs "sell" and "sex"), so when no
  pattern has all its words, the Matcher is not run.

Words are compared as spaCy string hashes (`doc_words`), read in one array from the document
rather than token by token: building Python token objects cost a fifth of the checker's time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from spacy.attrs import LEMMA, LOWER
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from safehub.language.patterns import Lemmatize, TokenSpec, compile_pattern

_OPTIONAL_OPS = ("?", "*")
# Words in most notes: poor anchors.
_COMMON_WORDS = (
    "a an the to of in on at for with from by and or but it be she he they her his him them "
    "this that there out not n't no never is was have"
)
_COMMON = frozenset(_COMMON_WORDS.split())


class PhraseSet:
    """Patterns (in the phrase syntax) compiled for one rule or one condition."""

    def __init__(
        self,
        vocab: Vocab,
        patterns: Iterable[str],
        word_sets: Mapping[str, Sequence[str]],
        lemmatize: Lemmatize,
    ) -> None:
        compiled = [p for text in patterns for p in compile_pattern(text, word_sets, lemmatize)]
        self._matcher = Matcher(vocab, validate=True)
        self._matcher.add("phrase", compiled)
        anchors = _anchors(compiled)
        self.anchors = _hashes(vocab, anchors) if anchors is not None else None
        # None when some pattern needs no literal word: then every document may match it.
        needs = [_required(p) for p in compiled]
        # Each pattern's required words, smallest set first (the likeliest to be missing);
        # patterns with the same needs are tested once.
        self._needs: list[tuple[frozenset[int], ...]] | None = (
            None
            if any(not n for n in needs)
            else list(
                dict.fromkeys(tuple(sorted((_hashes(vocab, v) for v in n), key=len)) for n in needs)
            )
        )

    def find(self, doc: Doc, words: frozenset[int]) -> list[tuple[int, int]]:
        """Token spans (start, end) of every match; `words` are the doc's lemmas and forms
        (`doc_words`)."""
        if self.anchors is not None and self.anchors.isdisjoint(words):
            return []
        # A pattern may match only if no required token's words are all absent (map: C speed).
        if self._needs is not None and all(
            any(map(words.isdisjoint, need)) for need in self._needs
        ):
            return []
        return [(start, end) for _, start, end in self._matcher(doc)]


def doc_words(doc: Doc) -> frozenset[int]:
    """Every lemma and lower-case form in the document, as string hashes (what anchors and
    each pattern's words are tested against)."""
    # uint64 hashes; numpy's stubs type tolist() loosely.
    return frozenset(cast("list[int]", doc.to_array([LEMMA, LOWER]).ravel().tolist()))


def _hashes(vocab: Vocab, values: Iterable[str]) -> frozenset[int]:
    """The string-store hashes of words, as `doc_words` gives them."""
    return frozenset(int(vocab.strings.add(v)) for v in values)


def _required(pattern: list[TokenSpec]) -> list[set[str]]:
    """The literal values of each required token of one pattern (empty if it has none)."""
    return [v for spec in pattern if (v := _values(spec))]


def _anchors(patterns: list[list[TokenSpec]]) -> frozenset[str] | None:
    """Union over patterns of the values of each one's most selective required token.

    None when some pattern has no literal required token (e.g. only `#NUM`): always run it.
    """
    anchors: set[str] = set()
    for pattern in patterns:
        best = min((v for spec in pattern if (v := _values(spec))), key=_selectivity, default=None)
        if best is None:
            return None
        anchors |= best
    return frozenset(anchors)


def _selectivity(values: set[str]) -> tuple[bool, int]:
    """Sort key for anchor candidates: a word every note has ("to", "with") skips nothing, so
    any set without one is preferred; then the smaller set."""
    return (bool(values & _COMMON), len(values))


def _values(spec: TokenSpec) -> set[str] | None:
    """The literal values a required token spec accepts (None if optional or not literal)."""
    op = str(spec.get("OP", ""))
    if op in _OPTIONAL_OPS or op.startswith("{"):
        return None
    for key in ("LEMMA", "LOWER"):
        value: Any = spec.get(key)
        if isinstance(value, str):
            return {value}
        if isinstance(value, dict) and "IN" in value:
            return set(value["IN"])
    return None
