"""The shared ways of saying things: GOV.UK dates, codes in words, probabilities in words."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from safehub.extracts.codes import OUTCOMES, PERSON_OUTCOMES, PERSON_ROLES, RECORD_TYPES, label
from safehub.http.templating import govuk_date, likelihood


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (date(2024, 4, 7), "7 April 2024"),
        ("2024-04-07", "7 April 2024"),
        ("2011-07", "July 2011"),
        ("2011", "2011"),
        (None, "Not known"),
        (datetime(2024, 4, 7, 9, 0, tzinfo=UTC), "7 April 2024 at 10am"),
        (datetime(2024, 12, 5, 13, 5, tzinfo=UTC), "5 December 2024 at 1:05pm"),
    ],
)
def test_dates_are_said_the_gov_uk_way_in_uk_time(value: object, said: str) -> None:
    assert govuk_date(value) == said  # type: ignore[arg-type]


def test_every_code_of_the_extract_format_has_words_without_underscores() -> None:
    for code in OUTCOMES | PERSON_OUTCOMES | PERSON_ROLES | RECORD_TYPES:
        words = label(code)
        assert "_" not in words and words[0].isupper(), code
    assert label("nfa") == "No further action"
    assert label("cin plan") == label("cin_plan") == "Child in need plan"
    assert label("parent_carer") == "Parent or carer"


def test_probabilities_are_said_in_words_with_the_figure_never_a_rounded_certainty() -> None:
    assert likelihood(0.9999999) == "almost certain (over 99.9%)"
    assert likelihood(0.8) == "likely (80%)"
    assert likelihood(0.3) == "unlikely (30%)"
