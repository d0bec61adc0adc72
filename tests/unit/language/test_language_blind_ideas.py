"""Ideas the blind set (`tests/data/language_heldout.csv`) showed the checker missed, held by idea.

Each idea is tested with wordings that are in neither half of the blind set, beside sentences a
practitioner writes with the same words that do not blame the child (the adult's or the
service's action, a negation, a child's return home, guidance about language).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from safehub.language import check_many, check_text

BLIND = Path(__file__).resolve().parents[2] / "data" / "language_heldout.csv"


def rule_ids(text: str) -> list[str]:
    return [f.rule_id for f in check_text(text)]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Mia keeps returning to the house on Oak Street.", "going-back"),
        ("She went back to the men again on Friday.", "going-back"),
        ("Holly refuses to stay away from him.", "going-back"),
        ("Reece refused to engage with the YOT worker.", "not-engaging"),
        ("Limited engagement from Mia since March.", "not-engaging"),
        ("Sasha has been uncooperative throughout.", "not-engaging"),
        ("He has been hard to engage.", "not-engaging"),
        ("She failed to keep her appointment with the ISVA.", "not-engaging"),
        ("There was no sign of force and she went with them.", "not-forced"),
        ("He never resisted when they took his phone.", "not-objecting"),
        ("Ella decided to stay the night with the older males.", "deciding"),
        ("The harm is a result of his own actions.", "own-behaviour"),
        ("She has been accepting gifts from men at the shop.", "accepting"),
        ("Tyler ran away to be with the adults in Leeds.", "running-off"),
        ("Lily was loitering outside the off-licence.", "loitering"),
        ("Chantelle is attention-seeking.", "disbelief"),
        ("Jess makes things up to get attention from staff.", "disbelief"),
        ("She is partly to blame for going to the flat.", "fault"),
        ("Ben is a shotter for the Manchester line.", "criminal-labels"),
        ("He sells for the older lads on the estate.", "criminal-labels"),
        ("Ruby is out of control at home.", "behaviour-labels"),
        ("She was at the flat with the men, and she wanted to be there.", "wanting-to-be-there"),
        ("Amber is savvy beyond her years.", "character"),
        ("Ellie has been flirting with the drivers.", "sexually-active"),
        ("She is hanging around the arcade with adult males most nights.", "associating"),
        ("She went into it with her eyes open.", "knowing"),
    ],
)
def test_each_idea_the_blind_set_showed_missing_is_flagged(text: str, rule: str) -> None:
    assert rule in rule_ids(text)


@pytest.mark.parametrize(
    "text",
    [
        "We will keep going back to see her until she trusts us.",
        "She returned to her placement at 22:00.",
        "She went back to her foster carer's house.",
        "She told staff she will not go back to him.",
        "She says she cannot stay away from him because he threatens her sister.",
        "Mum decided to move the family to Halifax.",
        "The panel decided to hold a strategy meeting.",
        "She decided to tell her teacher about the man.",
        "Services failed to engage her; the plan did not work for her.",
        "We have not been able to engage her yet.",
        "The men failed to attend court.",
        "She has started to engage with the youth worker.",
        "She accepted a lift home from her aunt.",
        "Her dad works for the council.",
        "Police are dealing with the adults.",
        "The adult males are drug dealers known to police.",
        "She ran away from the flat and phoned her mum.",
        "Men were loitering outside the school gates.",
        "She is frightened that she will not be believed.",
        "The suspect is manipulative and controlling.",
        "She said she was made to feel it was her fault.",
        "It is not her fault.",
        "The adults were out of control at the party.",
        "She was not forced to attend the interview.",
        "She did not object to the referral.",
        "She did not resist the medical examination.",
        "Her own behaviour was not the cause; the adults targeted her.",
        "She likes the money she earns from her paper round.",
        "The men were at the flat; she was scared and wanted to go home.",
    ],
)
def test_the_same_words_about_adults_services_or_ordinary_life_are_not_flagged(
    text: str,
) -> None:
    assert rule_ids(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Avoid the phrase 'putting herself at risk'.",
        "Please do not describe her as streetwise.",
        "Never write that she chose to go.",
    ],
)
def test_guidance_that_mentions_a_phrase_is_not_flagged(text: str) -> None:
    assert rule_ids(text) == []


def test_a_mention_cue_does_not_excuse_a_later_use_in_the_same_sentence() -> None:
    assert "consent" in rule_ids("He did not use a condom, she consented.")


def test_the_blind_set_scores_hold_recall_and_false_flags() -> None:
    """Floors under the figures in bench/language_heldout_results.md (after the new rules)."""
    rows = list(csv.DictReader(BLIND.open(encoding="utf-8")))
    flagged = [bool(f) for f in check_many(r["text"] for r in rows)]
    blaming = [f for r, f in zip(rows, flagged, strict=True) if r["blaming"] == "yes"]
    clean = [f for r, f in zip(rows, flagged, strict=True) if r["blaming"] == "no"]
    assert sum(blaming) / len(blaming) >= 0.90
    assert sum(clean) / len(clean) <= 0.05
