"""Compiled phrase sets: a spaCy Matcher plus the words that any match must contain.

spaCy's Matcher spends most of its time testing set-membership predicates on every token, so
each set of patterns also records its *anchor* words: for every pattern, the values of its most
selective required token. A document that contains none of them cannot match, and is skipped
without running the Matcher. Case notes are mostly clean, so most are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

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
        self.anchors = _anchors(compiled)

    def find(self, doc: Doc, words: frozenset[str]) -> list[tuple[int, int]]:
        """Token spans (start, end) of every match; `words` are the doc's lemmas and forms."""
        if self.anchors is not None and self.anchors.isdisjoint(words):
            return []
        return [(start, end) for _, start, end in self._matcher(doc)]


def doc_words(doc: Doc) -> frozenset[str]:
    """Every lemma and lower-case form in the document (what anchors are tested against)."""
    return frozenset([t.lemma_ for t in doc] + [t.lower_ for t in doc])


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
