"""The spaCy pipeline the checker runs on: built once per process, offline.

A blank English tokenizer plus spaCy's lookup lemmatizer (from `spacy-lookups-data`) is enough:
the rules match on lemmas and lower-case forms, so no statistical model is downloaded or needed.

>>> doc = get_nlp()("Placing herself at risk")
>>> [t.lemma_ for t in doc]
['place', 'herself', 'at', 'risk']
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, cast

import spacy
from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

# The lookup table is keyed by the exact text, so "Placing" (capitalised) gets no lemma, and a few
# entries are wrong for case notes ("putting" -> "putt"; "'s" -> "have"). Rules are written in
# lower-case lemmas, so every lemma is lower-cased and these forms are corrected here.
LEMMA_OVERRIDES: dict[str, str] = {
    "putting": "put",
    "texting": "text",
    "texted": "text",
    "absconders": "absconder",
    "'s": "'s",
    "’s": "'s",
    "’": "'",
    "mature": "mature",
}

_LOCK = threading.Lock()
_NLP: Language | None = None


@Language.factory("safehub_lower_lemmas")
def _make_lower_lemmas(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Lower-case every lemma, looking capitalised words up again by their lower-case form.

    It reads spaCy's lookup table itself, so spaCy's own lemmatizer pass (which would only be
    overwritten) is disabled once the table is loaded.
    """
    strings = nlp.vocab.strings
    # Lower-case form -> lemma, both as string hashes: the doc is read and written as arrays,
    # never token by token (building Python token objects was a large share of the time).
    cache: dict[int, int] = {
        int(strings.add(lower)): int(strings.add(lemma)) for lower, lemma in LEMMA_OVERRIDES.items()
    }
    tables: list[Any] = []

    def lemma_of(lower_hash: int) -> int:
        if not tables:
            lemmatizer = cast(Lemmatizer, nlp.get_pipe("lemmatizer"))
            tables.append(lemmatizer.lookups.get_table("lemma_lookup"))
        lower = strings[lower_hash]
        lemma_hash = int(strings.add(tables[0].get(lower, lower)))
        cache[lower_hash] = lemma_hash
        return lemma_hash

    def lower_lemmas(doc: Doc) -> Doc:
        if not len(doc):
            return doc
        # A (tokens x 1) array of lower-case hashes, overwritten with the lemmas' and written back.
        column = doc.to_array([LOWER]).reshape(-1, 1)
        column[:, 0] = [cache.get(h) or lemma_of(h) for h in column[:, 0].tolist()]
        doc.from_array([LEMMA], cast(Any, column))  # uint64 hashes; the stubs say float
        return doc

    return lower_lemmas


def _build() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("safehub_lower_lemmas")
    nlp.initialize()
    nlp.disable_pipe("lemmatizer")
    return nlp


def get_nlp() -> Language:
    """Return the shared pipeline, building it on first use (about a second)."""
    global _NLP
    if _NLP is None:
        with _LOCK:
            if _NLP is None:
                _NLP = _build()
    return _NLP
