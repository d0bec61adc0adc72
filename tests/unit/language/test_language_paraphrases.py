"""An adult called a child's boyfriend, and consent or choice said without the word "consent".

What a safeguarding practitioner would expect, and what these tests hold the checker to:

- a child's "boyfriend" or "relationship" is flagged when the other person is an adult or
  described as one of concern (suspect, abuser, older, a driver, twice her age), and when the
  note gives the child's age but not who the other person is ("He was her boyfriend, she is 14");
- it is left alone when the other person is said to be her own age (an age under 18 beside
  them, "a boy in her class", "both 16"), and when the relationship is an adult's own (her
  mum's partner, the suspect's partner, her older sister's boyfriend);
- agreeing, wanting or going along with adults is flagged; the same words about school, an
  appointment, a worker or a parent are not, nor is a sentence that names the fear behind it.
"""

from __future__ import annotations

import pytest

from safehub.language import check_text


def rule_ids(text: str) -> list[str]:
    return [f.rule_id for f in check_text(text)]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("He was her boyfriend, she is 14.", "relationship-child"),
        ("Amy is 13 and says Darren is her boyfriend.", "relationship-child"),
        ("He is Freya's boyfriend; she turned 13 in May.", "relationship-child"),
        ("Sophie, who is 12, has been seeing him for three months.", "relationship-child"),
        ("Poppy has been in a relationship with Mark since she was 14.", "relationship-child"),
        ("The suspect is described by Chloe as her boyfriend.", "relationship"),
        ("The alleged abuser is her ex-boyfriend.", "relationship"),
        ("Millie's boyfriend supplies her with cannabis and is twice her age.", "relationship"),
        ("She met her boyfriend online; she was 13 and he was 19.", "relationship-child"),
    ],
)
def test_an_adult_or_a_person_of_unknown_age_called_her_boyfriend_is_flagged(
    text: str, rule: str
) -> None:
    assert rule in rule_ids(text)


@pytest.mark.parametrize(
    "text",
    [
        "Amy, 14, has a boyfriend her own age from school.",
        "She is 14 and her boyfriend is 15; both attend the same school.",
        "Sophie's boyfriend (14) was also reported missing.",
        "Maisie says her 17-year-old boyfriend treats her well; she is 16.",
        "Jade (15) talked about breaking up with her boyfriend, a boy in her class.",
        "She is 13 and has no boyfriend.",
        "Amy's older sister, who is 19, has a boyfriend.",
        "The suspect is in a relationship with an adult woman.",
        "The 32-year-old suspect lives with his partner and two children.",
        "Her mother's partner, who is 41, was present.",
        "Holly, 14, is working on healthy relationships with her school nurse.",
        "The partner agencies met to discuss Ellie, who is 14.",
    ],
)
def test_peers_and_adults_own_relationships_are_left_alone(text: str) -> None:
    assert check_text(text) == []


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Chloe was willing to go to the flat with the men.", "compliance"),
        ("She went along with it.", "compliance"),
        ("Ellie seemed happy to get in the car.", "compliance"),
        ("Grace agreed to go back to his flat.", "compliance"),
        ("Daisy did not resist.", "compliance"),
        ("She didn't say no when he asked.", "compliance"),
        ("She returns to the address of her own volition.", "compliance"),
        ("Megan knew exactly what she was getting into.", "knowing"),
        ("Tia is fully aware of the risks and continues to go to the address.", "knowing"),
        ("Kayleigh has been frequenting the takeaway with adult males.", "seeking-adults"),
        ("She seeks out older males.", "seeking-adults"),
        ("Amelia wants to be with the men at the flat.", "seeking-adults"),
    ],
)
def test_consent_or_choice_in_other_words_is_flagged(text: str, rule: str) -> None:
    assert rule in rule_ids(text)


@pytest.mark.parametrize(
    "text",
    [
        "Chloe was willing to speak to police.",
        "She was happy to go to the appointment with her mum.",
        "She went along to the youth club with her worker.",
        "The adults frequenting the park have been identified.",
        "Leah knew what the men were doing was wrong.",
        "Ellie said she felt she had to go along with it because she was scared.",
        "Holly agreed to a referral to the ISVA.",
        "Mum allowed her to go to the cinema.",
        "The offender instigated contact via Snapchat.",
        "She did not resist because she was frightened.",
        "Ruby has shown willingness to engage with the support worker.",
        "She goes to the gym of her own accord.",
    ],
)
def test_the_same_words_about_ordinary_things_are_left_alone(text: str) -> None:
    assert check_text(text) == []


def test_each_new_flag_says_why_and_what_to_write() -> None:
    for text in ("He was her boyfriend, she is 14.", "She went along with it."):
        (flag,) = check_text(text)
        assert flag.why and flag.suggestion and flag.severity == "error"


def test_the_childs_own_words_in_quotes_are_advice_not_an_error() -> None:
    (flag,) = check_text('Amy (14) said: "He is my boyfriend and I went along with it."')
    assert flag.severity == "advice"


def test_a_number_placeholder_among_alternatives_is_refused_rather_than_matched_literally() -> None:
    from safehub.language import RuleError, load_rules
    from safehub.language.checker import Checker

    bad = {"id": "x", "patterns": ["year #NUM|seven"], "why": "w", "suggestion": "s"}
    with pytest.raises(RuleError, match="cannot be one of several words"):
        Checker(load_rules(extra=[bad]))


def test_a_peer_in_her_school_year_and_a_second_age_under_18_are_peers() -> None:
    assert check_text("Nadia is 14 and has a boyfriend in Year 10.") == []
    assert check_text("The 14-year-old said her boyfriend is also 14.") == []
