"""The shipped rules: what they flag, what they leave alone, and the shape of a flag."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safehub.language import check_many, check_text, load_rules


def rule_ids(text: str) -> list[str]:
    return [f.rule_id for f in check_text(text)]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("She put herself at risk by going to the flat.", "self-risk"),
        ("He is placing himself at risk again.", "self-risk"),
        ("Jo puts themself at risk most weekends.", "self-risk"),
        ("Kelly is making her own choices.", "choice"),
        ("Sam chose to go with them.", "choice"),
        ("Staff said she consented.", "consent"),
        ("She was consenting at the time.", "consent"),
        ("She was a willing participant.", "consent"),
        ("She agreed to have sex with him.", "consent"),
        ("Nurse notes she is promiscuous.", "sexually-active"),
        ("She has been sexually active since Year 8.", "sexually-active"),
        ("She is a child prostitute.", "prostitution"),
        ("She is selling sex in the city centre.", "prostitution"),
        ("She is exchanging sex for cigarettes.", "transactional"),
        ("Her boyfriend (aged 24) picked her up.", "relationship"),
        ("She is in a relationship with a 30 year old man.", "relationship"),
        ("She is associating with older males.", "associating"),
        ("She has been contacting adult males.", "contacting"),
        ("The phone held child pornography.", "csam"),
        ("She is very streetwise.", "character"),
        ("She is mature for her age.", "character"),
        ("She absconded from placement.", "absconding"),
    ],
)
def test_rule_flags_blaming_wording(text: str, rule: str) -> None:
    assert rule in rule_ids(text)


@pytest.mark.parametrize(
    "text",
    [
        "Consent to share information was obtained.",
        "The men put her at risk.",
        "Her choice of school was respected.",
        "He was charged with sexual activity with a child (Sexual Offences Act 2003 s.9).",
        "He was charged with causing or inciting a child to engage in sexual activity.",
        "The child's boyfriend, aged 14, was also spoken to.",
        "She has made a choice about which college to attend.",
        "Mother consented to the assessment.",
        "The lifestyle of the adults is a concern.",
        "A child cannot consent to their own abuse.",
        "Adult males have been contacting her on Snapchat.",
        "The suspect absconded from bail.",
        "She went missing from care and was found at a hotel with two men.",
    ],
)
def test_rule_leaves_words_that_mean_something_else(text: str) -> None:
    assert check_text(text) == []


def test_boyfriend_is_flagged_only_when_the_age_given_is_adult() -> None:
    assert rule_ids("Her boyfriend, aged 19, collected her.") == ["relationship"]
    assert rule_ids("Her boyfriend, aged 15, collected her.") == []


def test_explicit_age_under_18_outweighs_adult_words_nearby() -> None:
    assert check_text("Her boyfriend, aged 14, was there when the men arrived.") == []


def test_flag_offsets_index_the_flagged_text() -> None:
    text = "Zoë’s key worker says Zoë is “mature” and puts herself at risk."
    flags = check_text(text)
    assert flags, "expected flags"
    for flag in flags:
        assert text[flag.start : flag.end] == flag.text


def test_offsets_count_code_points_after_non_ascii_text() -> None:
    text = "Ænæ 🙂 said she chose to go with the men."
    [flag] = check_text(text)
    assert (flag.start, flag.text) == (text.index("chose"), "chose to go")


def test_flag_carries_why_and_suggestion_from_its_rule() -> None:
    [flag] = check_text("She is selling sex.")
    assert flag.severity == "error"
    assert "exploited" in flag.why
    assert "sexually exploited" in flag.suggestion


@pytest.mark.parametrize(
    "text",
    [
        'Amy said "I chose to go with them".',
        "Amy said “I chose to go with them”.",
        "Amy said ‘I chose to go with them’.",
        "Amy said 'I chose to go with them'.",
    ],
)
def test_quoted_words_are_advice_asking_to_attribute_the_quote(text: str) -> None:
    [flag] = check_text(text)
    assert flag.severity == "advice"
    assert "quotation marks" in flag.why


def test_apostrophes_are_not_mistaken_for_quotes() -> None:
    [flag] = check_text("Amy's mum said Amy's been putting herself at risk.")
    assert flag.severity == "error"


def test_unquoted_flag_in_a_line_with_a_quote_stays_an_error() -> None:
    flags = check_text('Amy said "leave me alone" and she chose to go with them.')
    assert [f.severity for f in flags] == ["error"]


def test_overlapping_matches_give_one_flag_for_the_longer_phrase() -> None:
    # "consensual" (consent) lies inside "in a consensual relationship with" (relationship).
    flags = check_text("Chloe is in a consensual relationship with a 19-year-old.")
    assert [f.text for f in flags] == ["in a consensual relationship with"]


def test_check_many_keeps_input_order_and_blank_texts() -> None:
    texts = ["", "She is streetwise.", "Nothing here.", "She absconded."]
    results = check_many(texts)
    assert [[f.rule_id for f in r] for r in results] == [[], ["character"], [], ["absconding"]]


def test_check_many_matches_check_text() -> None:
    texts = ["She is streetwise and chose to go.", "Mum's boyfriend is 40."]
    assert check_many(texts) == [check_text(t) for t in texts]


_FRAGMENTS = st.sampled_from(
    [
        "She ",
        "put herself at risk",
        " “",
        "” ",
        "'",
        "Zoë ",
        "🙂",
        "\t",
        "boyfriend (aged 24)",
        "chose to go",
        ". ",
        "consented",
        "—",
        "é",
        "  ",
        "child porn",
        "\u2028",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=12).map("".join))
def test_every_flag_indexes_its_text_for_any_input(text: str) -> None:
    for flag in check_text(text):
        assert text[flag.start : flag.end] == flag.text
        assert flag.severity in ("error", "advice")


def test_rule_texts_follow_their_own_advice() -> None:
    # A why or suggestion may name the phrase to avoid only inside quotation marks.
    for rule in load_rules().rules:
        for text in (rule.title, rule.why, rule.suggestion):
            errors = [f.text for f in check_text(text) if f.severity == "error"]
            assert errors == [], (rule.id, errors)
