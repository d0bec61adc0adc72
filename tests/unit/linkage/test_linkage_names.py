"""Name normalisation: transliterations, nicknames, typos and case compare as the same name."""

from __future__ import annotations

import duckdb
import pytest

from safehub.linkage.names import (
    canonical_name,
    fold_name,
    jaro_winkler,
    name_skeleton,
    within_one_edit,
)


@pytest.mark.parametrize(
    "variants",
    [
        ("Mohammed", "Muhammad", "Mohamed", "MOHAMMAD"),
        ("Aisha", "Ayesha"),
        ("Hussain", "Hussein", "Husain"),
        ("Chowdhury", "Choudhury"),
        ("Yusuf", "Yousef"),
    ],
)
def test_transliteration_variants_share_a_canonical_name(variants: tuple[str, ...]) -> None:
    assert len({canonical_name(v) for v in variants}) == 1


@pytest.mark.parametrize(
    "variants", [("Hussain", "Hussein", "Husain"), ("Chowdhury", "Choudhury"), ("Yusuf", "Yousef")]
)
def test_transliteration_variants_share_a_skeleton_without_the_table(
    variants: tuple[str, ...],
) -> None:
    assert len({name_skeleton(v) for v in variants}) == 1


@pytest.mark.parametrize(
    ("nickname", "formal"),
    [
        ("Bob", "Robert"),
        ("Liz", "Elizabeth"),
        ("Beth", "Elizabeth"),
        ("Bill", "William"),
        ("Kate", "Katherine"),
        ("Katie", "Katherine"),
        ("Tom", "Thomas"),
    ],
)
def test_nicknames_compare_equal_to_the_formal_name(nickname: str, formal: str) -> None:
    assert canonical_name(nickname) == canonical_name(formal)


def test_different_names_stay_different() -> None:
    assert canonical_name("Robert") != canonical_name("William")
    assert canonical_name("Aisha") != canonical_name("Fatima")


def test_case_accents_and_punctuation_are_folded() -> None:
    assert fold_name("  O'BRIEN ") == fold_name("obrien")
    assert fold_name("Zoë") == "zoe"


def test_short_skeletons_are_left_empty_as_too_weak_to_match_on() -> None:
    assert name_skeleton("Bob") == ""


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("martha", "marhta"),
        ("dwayne", "duane"),
        ("muhamad", "mohamed"),
        ("jon", "john"),
        ("ab", "ba"),
        ("crate", "trace"),
        ("katherine", "kathryn"),
        ("a", "a"),
    ],
)
def test_jaro_winkler_agrees_with_duckdb(left: str, right: str) -> None:
    row = duckdb.connect().execute("SELECT jaro_winkler_similarity(?, ?)", [left, right]).fetchone()
    assert row is not None
    assert jaro_winkler(left, right) == pytest.approx(row[0], abs=1e-12)


def test_a_one_letter_typo_stays_close() -> None:
    assert jaro_winkler(fold_name("Jessica"), fold_name("Jesisca")) >= 0.92


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("5714719", "5714791"),
        ("9100106", "9109106"),
        ("abc", "abcd"),
        ("abcd", "acd"),
        ("1234", "4321"),
        ("ab", "ba"),
        ("same", "same"),
        ("", "a"),
        ("abc", "cab"),
    ],
)
def test_within_one_edit_agrees_with_duckdb_damerau_levenshtein(left: str, right: str) -> None:
    row = duckdb.connect().execute("SELECT damerau_levenshtein(?, ?)", [left, right]).fetchone()
    assert row is not None
    assert within_one_edit(left, right) == (row[0] <= 1)
