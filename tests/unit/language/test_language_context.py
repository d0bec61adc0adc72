"""Reading ages and adults from the words around a match."""

from __future__ import annotations

import pytest

from safehub.language.context import DocContext
from safehub.language.pipeline import get_nlp


def ages(text: str) -> list[int]:
    return [age for _, age in DocContext(get_nlp()(text)).ages]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Her boyfriend (aged 24) was there.", [24]),
        ("A 30-year-old man.", [30]),
        ("A 30 year old man.", [30]),
        ("Her boyfriend (32) was there.", [32]),
        ("He is twenty-five.", [25]),
        ("A man in his thirties.", [30]),
        ("She is in Year 10 and has 3 sisters.", []),
        ("Seen on 14/03 at 21:00.", []),
    ],
)
def test_ages_are_read_from_the_forms_notes_use(text: str, expected: list[int]) -> None:
    assert ages(text) == expected


def test_lemmas_are_lower_case_and_fix_lookup_slips() -> None:
    doc = get_nlp()("Putting PLACING Consented")
    assert [t.lemma_ for t in doc] == ["put", "place", "consent"]


def test_pipeline_is_built_once() -> None:
    assert get_nlp() is get_nlp()
