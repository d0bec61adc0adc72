"""Who is a child victim and who is an adult of concern: protective readings of age."""

from __future__ import annotations

from datetime import date

from safehub.extracts import PartialDate
from safehub.network.model import MentionFact
from safehub.network.people import CHILD_VICTIM, CONCERN, OTHER, age_bounds, mention_class


def _fact(role: str, on: date = date(2025, 6, 1)) -> MentionFact:
    return MentionFact(("POL-A", "R1", "X"), "X", role, on, None, (), "", (), False)


def test_age_known_only_to_the_year_gives_youngest_and_oldest_possible_age() -> None:
    assert age_bounds(PartialDate(2007), date(2025, 6, 1)) == (17, 18)


def test_victim_of_unknown_age_is_treated_as_a_child() -> None:
    assert mention_class(_fact("victim"), None, False) == CHILD_VICTIM


def test_suspect_of_unknown_age_counts_as_an_adult_of_concern() -> None:
    assert mention_class(_fact("associate"), None, False) == CONCERN


def test_a_fifteen_year_old_suspect_is_not_an_adult_of_concern() -> None:
    assert mention_class(_fact("suspect"), PartialDate(2010, 1, 1), False) == OTHER


def test_victim_who_may_still_have_been_17_is_a_child() -> None:
    assert mention_class(_fact("victim"), PartialDate(2007), False) == CHILD_VICTIM


def test_subject_child_is_a_victim_only_in_a_record_pointing_to_exploitation() -> None:
    child = PartialDate(2011, 3, 3)
    assert mention_class(_fact("subject"), child, True) == CHILD_VICTIM
    assert mention_class(_fact("subject"), child, False) == OTHER


def test_parents_reporters_and_witnesses_are_never_of_concern() -> None:
    for role in ("parent_carer", "reporter", "witness", "licence_holder"):
        assert mention_class(_fact(role), PartialDate(1980), True) == OTHER
