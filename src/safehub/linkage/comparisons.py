"""The comparisons of the linkage model, each level written twice: as Splink SQL and in Python.

Both forms live side by side so they cannot drift apart: Splink scores pairs in bulk; the
in-process scorer (``scoring.py``) evaluates the same levels for the real-time intake check.
A level is identified by its comparison name and its label, which is how trained m and u
probabilities are carried between backends (DuckDB SQL is not Spark SQL).
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
from splink import block_on

from safehub.extracts.identifiers import PartialDate
from safehub.linkage.levels import (
    ELSE,
    ComparisonSpec,
    DialectLevel,
    LevelSpec,
    Row,
    Test,
    always,
    custom,
    eq,
    jw,
    null,
    one_edit,
    overlap,
    same,
    shared,
)
from safehub.linkage.names import jaro_winkler, within_one_edit
from safehub.linkage.people import dob_features

# --- Levels ---


_SWAPPED_SQL = "given_name_l = family_first_r AND family_first_l = given_name_r"


def _swapped(a: Row, b: Row) -> bool:
    """Given and family names written the other way round (the first word of a family name:
    "BROWN, Samuel Daniel" stores "Samuel Daniel" as the family name)."""
    return same(a.get("given_name"), b.get("family_first")) and same(
        a.get("family_first"), b.get("given_name")
    )


_CROSSED_SQL = "given_name_l = family_first_r OR family_first_l = given_name_r"
CROSSED = "one name the same, in the other place"


def _crossed(a: Row, b: Row) -> bool:
    """One name of each in the other's other place ("James Coleman" and "Howie James"): a swap
    with the other name changed, or a relative's family name; weaker than a full swap."""
    return same(a.get("given_name"), b.get("family_first")) or same(
        a.get("family_first"), b.get("given_name")
    )


def _swapped_close(a: Row, b: Row) -> bool:
    return all(
        x is not None and y is not None and jaro_winkler(x, y) >= 0.9
        for x, y in (
            (a.get("given_fold"), b.get("family_fold")),
            (a.get("family_fold"), b.get("given_fold")),
        )
    )


def _swapped_close_sql(function: str) -> str:
    return (
        f"{function}(given_fold_l, family_fold_r) >= 0.9 "
        f"AND {function}(family_fold_l, given_fold_r) >= 0.9"
    )


TRANSLITERATION = "same consonants (transliteration)"
ONE_SLIP = "one letter differs (a slip)"
SEXES_DIFFER = "alike, recorded as different sexes"
KNOWN_APART = "two different listed names"
INITIAL = "an initial that agrees"
MIDDLE_DIFFERS = "same first name, different middle names"
OTHER_GIVEN = "a given name of one is another given name of the other"
_SEXES_SQL = "given_name_l <> given_name_r AND sex_l <> sex_r"
_KNOWN_SQL = "given_known_l <> given_known_r"
_INITIAL_SQL = (
    "(length(given_fold_l) = 1 OR length(given_fold_r) = 1) "
    "AND substr(given_fold_l, 1, 1) = substr(given_fold_r, 1, 1)"
)


def _middle_sql(function: str) -> str:
    # Both second names present, said outright: Spark's similarity of a missing name is 0, not
    # NULL as in DuckDB, and "< 0.8" would then hold a missing middle name as a different one.
    return (
        "given_name_l = given_name_r AND given_second_l IS NOT NULL "
        f"AND given_second_r IS NOT NULL AND {function}(given_second_l, given_second_r) < 0.8"
    )


def _middle_differs(a: Row, b: Row) -> bool:
    """The same first name (often Mohammed, Muhammad), second names far apart: brothers,
    twins ("Mohammed Hassan" and "Mohammed Hussain"), not one person."""
    second_a, second_b = a.get("given_second"), b.get("given_second")
    return (
        same(a.get("given_name"), b.get("given_name"))
        and second_a is not None
        and second_b is not None
        and jaro_winkler(second_a, second_b) < 0.8
    )


def _initial(a: Row, b: Row) -> bool:
    left, right = a.get("given_fold"), b.get("given_fold")
    if left is None or right is None:
        return False
    return (len(left) == 1 or len(right) == 1) and left[0] == right[0]


def _other_given_sql(dialect: str) -> str:
    """Splink's form of ``_other_given`` in ``dialect``."""
    holds_all = _HOLDS_ALL[dialect]
    return (
        _OVERLAP[dialect].format(a="given_all_l", b="given_all_r")
        + " AND ("
        + holds_all.format(a="given_all_l", b="given_all_r")
        + " OR "
        + holds_all.format(a="given_all_r", b="given_all_l")
        + ")"
    )


# With ``{a}`` and ``{b}``: list ``a`` holds every element of ``b``; the two lists share one.
_HOLDS_ALL = {
    "duckdb": "list_has_all({a}, {b})",
    "spark": "size(array_except({b}, {a})) = 0",
}
_OVERLAP = {
    "duckdb": "list_has_any({a}, {b})",
    "spark": "size(array_intersect({a}, {b})) > 0",
}


def _other_given(a: Row, b: Row) -> bool:
    """A given name of one is another given name of the other, and every given name of one
    record is among the other's: Muhammad Ayaan known as Ayaan. Two records that each hold a
    given name the other lacks ("Alexander Oliver" and "Leo Oliver", "Luke Oliver" and "Oliver
    Henry") are two people's names: twins are given one middle name, and a middle name is
    dropped from a record far more often than replaced."""
    mine, theirs = set(a.get("given_all") or ()), set(b.get("given_all") or ())
    return bool(mine & theirs) and (mine <= theirs or theirs <= mine)


def _sexes_differ(a: Row, b: Row) -> bool:
    """Different given names on records of different sexes (Daniel and Daniela, Amir and
    Amira): a slip of the keyboard does not change the sex recorded. Sex only ever holds a pair
    back here; it adds nothing to a match."""
    return _differ(a, b, "given_name") and _differ(a, b, "sex")


def _differ(a: Row, b: Row, column: str) -> bool:
    return a.get(column) is not None and b.get(column) is not None and a[column] != b[column]


def _known_apart(a: Row, b: Row) -> bool:
    """Both names listed (``names.known_name``), under different names: Harry and Harvey."""
    return _differ(a, b, "given_known")


def _spelling_levels(fold: str) -> tuple[LevelSpec, LevelSpec]:
    return (
        LevelSpec(
            "close spelling (Jaro-Winkler >= 0.92)",
            lambda: cll.JaroWinklerLevel(fold, 0.92),
            jw(fold, 0.92),
        ),
        LevelSpec(
            "similar spelling (Jaro-Winkler >= 0.8)",
            lambda: cll.JaroWinklerLevel(fold, 0.8),
            jw(fold, 0.8),
        ),
    )


def _swapped_levels(weighed: bool) -> tuple[LevelSpec, LevelSpec]:
    """Swapped names are one piece of evidence: weighed under the given name, neutral (a null
    level) under the family name, so that a swap is not counted twice."""
    return (
        LevelSpec(
            "swapped with the other name", custom(_SWAPPED_SQL), _swapped, is_null=not weighed
        ),
        LevelSpec(
            "swapped, close spelling",
            lambda: DialectLevel(
                {
                    "duckdb": _swapped_close_sql("jaro_winkler_similarity"),
                    "spark": _swapped_close_sql("jaro_winkler"),
                }
            ),
            _swapped_close,
            is_null=not weighed,
        ),
    )


def _given_levels() -> tuple[LevelSpec, ...]:
    """Levels of the first given name. Spelling is compared on the folded name as written
    (``given_fold``), so that a typo of a nickname ("Jakc") is still close to "Jack".

    The twins rule (``rules.GIVEN_DIFFERS``) reads these levels, so names that differ outright
    reach a level of their own before any spelling level: alike names recorded as different
    sexes, and two names listed under different groups (Hassan and Hussain, Harry and Harvey).
    """
    close, similar = _spelling_levels("given_fold")
    return (
        LevelSpec("missing", lambda: cll.NullLevel("given_name"), null("given_name"), is_null=True),
        # First and middle names agreeing together is far rarer than a first name alone.
        LevelSpec(
            "same first and middle names",
            lambda: cll.ExactMatchLevel("given_full"),
            eq("given_full"),
        ),
        LevelSpec(
            MIDDLE_DIFFERS,
            lambda: DialectLevel(
                {
                    "duckdb": _middle_sql("jaro_winkler_similarity"),
                    "spark": _middle_sql("jaro_winkler"),
                }
            ),
            _middle_differs,
        ),
        LevelSpec(
            "same name or known variant",
            lambda: cll.ExactMatchLevel("given_name"),
            eq("given_name"),
            tf_column="given_name",
        ),
        LevelSpec(SEXES_DIFFER, custom(_SEXES_SQL), _sexes_differ),
        # Two names of two letters or more: two initials one letter apart are two initials.
        LevelSpec(
            ONE_SLIP,
            one_edit("given_fold", min_length=2),
            _within_one_edit("given_fold", min_length=2),
        ),
        # A known-as name: the second given name used (Mohammed Ali Khan known as Ali Khan).
        LevelSpec(
            OTHER_GIVEN,
            lambda: DialectLevel(
                {
                    "duckdb": _other_given_sql("duckdb"),
                    "spark": _other_given_sql("spark"),
                }
            ),
            _other_given,
        ),
        LevelSpec(INITIAL, custom(_INITIAL_SQL), _initial),
        *_swapped_levels(weighed=True),
        LevelSpec(KNOWN_APART, custom(_KNOWN_SQL), _known_apart),
        LevelSpec(TRANSLITERATION, lambda: cll.ExactMatchLevel("given_skel"), eq("given_skel")),
        close,
        similar,
        LevelSpec(CROSSED, custom(_CROSSED_SQL), _crossed),
        # Names change (a new family name in care, after adoption, on marriage).
        LevelSpec(ELSE, cll.ElseLevel, always, m_floor=0.02),
    )


def _family_levels() -> tuple[LevelSpec, ...]:
    close, similar = _spelling_levels("family_fold")
    return (
        LevelSpec(
            "missing", lambda: cll.NullLevel("family_name"), null("family_name"), is_null=True
        ),
        LevelSpec(
            "same name or known variant",
            lambda: cll.ExactMatchLevel("family_name"),
            eq("family_name"),
            tf_column="family_name",
        ),
        LevelSpec(TRANSLITERATION, lambda: cll.ExactMatchLevel("family_skel"), eq("family_skel")),
        close,
        *_swapped_levels(weighed=False),
        similar,
        LevelSpec(CROSSED, custom(_CROSSED_SQL), _crossed, is_null=True),
        # Names change (a new family name in care, after adoption, on marriage).
        LevelSpec(ELSE, cll.ElseLevel, always, m_floor=0.02),
    )


_DOB_SQL = {
    "same date": "dob_l = dob_r AND dob_d_l IS NOT NULL",
    "agrees as far as known (partial date)": (
        "dob_y_l = dob_y_r AND (((dob_d_l IS NULL OR dob_d_r IS NULL) "
        "AND (dob_m_l IS NULL OR dob_m_r IS NULL OR dob_m_l = dob_m_r)) "
        "OR (dob_m_l = 1 AND dob_d_l = 1) OR (dob_m_r = 1 AND dob_d_r = 1))"
    ),
    "day and month swapped": "dob_y_l = dob_y_r AND dob_m_l = dob_d_r AND dob_d_l = dob_m_r",
    "one of day, month, year differs": (
        "dob_d_l IS NOT NULL AND dob_d_r IS NOT NULL AND ("
        "(dob_y_l = dob_y_r AND dob_m_l = dob_m_r) OR (dob_y_l = dob_y_r AND dob_d_l = dob_d_r) "
        "OR (dob_m_l = dob_m_r AND dob_d_l = dob_d_r))"
    ),
    "within a year": "abs(dob_y_l - dob_y_r) <= 1",
}


# Share of true matches at each level when both dates are recorded (our reading of agency data:
# most dates agree; partial dates, swaps and single-part typos are the usual errors).
_DOB_M = {
    "same date": 0.86,
    "agrees as far as known (partial date)": 0.05,
    "day and month swapped": 0.02,
    "one of day, month, year differs": 0.05,
    "within a year": 0.01,
    ELSE: 0.01,
}


def _dob_partial(a: Row, b: Row) -> bool:
    """The years agree and the rest is unknown on one side, or is 1 January there: the day
    keyed when only the year is known (``people.as_known``). Two records keyed 1 January are
    the level above, the same date."""
    if not same(a["dob_y"], b["dob_y"]):
        return False
    if _first_of_january(a) or _first_of_january(b):
        return True
    if a["dob_d"] is not None and b["dob_d"] is not None:
        return False
    return a["dob_m"] is None or b["dob_m"] is None or a["dob_m"] == b["dob_m"]


def _first_of_january(row: Row) -> bool:
    return bool(row["dob_m"] == 1 and row["dob_d"] == 1)


def _dob_swapped(a: Row, b: Row) -> bool:
    return (
        same(a["dob_y"], b["dob_y"])
        and same(a["dob_m"], b["dob_d"])
        and same(a["dob_d"], b["dob_m"])
    )


def _dob_one_part(a: Row, b: Row) -> bool:
    if a["dob_d"] is None or b["dob_d"] is None:
        return False
    y, m, d = (a[c] == b[c] for c in ("dob_y", "dob_m", "dob_d"))
    return bool((y and m) or (y and d) or (m and d))


def _dob_levels() -> tuple[LevelSpec, ...]:
    tests: dict[str, Test] = {
        "same date": lambda a, b: same(a["dob"], b["dob"]) and a["dob_d"] is not None,
        "agrees as far as known (partial date)": _dob_partial,
        "day and month swapped": _dob_swapped,
        "one of day, month, year differs": _dob_one_part,
        "within a year": lambda a, b: abs(a["dob_y"] - b["dob_y"]) <= 1,
    }
    levels = [LevelSpec("missing", lambda: cll.NullLevel("dob_y"), null("dob_y"), is_null=True)]
    for label, sql in _DOB_SQL.items():
        levels.append(LevelSpec(label, custom(sql), tests[label], fixed_m=_DOB_M[label]))
    levels.append(LevelSpec(ELSE, cll.ElseLevel, always, fixed_m=_DOB_M[ELSE]))
    return tuple(levels)


def dates_apart(left: PartialDate, right: PartialDate) -> bool:
    """Two dates of birth the date-of-birth comparison puts in its last level: not the same,
    not partly, not swapped, not one part off, not within a year (siblings, a parent and
    child). The rule the pair rules read as ``PairLevels.dob_apart``, for two dates alone.

    >>> dates_apart(PartialDate(1969, 4, 2), PartialDate(2005, 9, 14))
    True
    >>> dates_apart(PartialDate(1996, 4, 2), PartialDate(1969, 4, 2))
    False
    """
    dob = COMPARISON_BY_NAME["dob"]
    last = len(dob.levels) - 1
    return dob.level_of(dob_features(left), dob_features(right)) == last


def _words_sql(size: str, intersect: str) -> str:
    # Two thirds of the shorter address's words: FEBRL-style jumbled and re-ordered addresses.
    return (
        f"{size}({intersect}(addr_words_l, addr_words_r)) * 3 "
        f">= 2 * least({size}(addr_words_l), {size}(addr_words_r))"
    )


def _most_words(a: Row, b: Row) -> bool:
    left, right = a.get("addr_words"), b.get("addr_words")
    if not left or not right:
        return False
    return len(set(left) & set(right)) * 3 >= 2 * min(len(left), len(right))


def _address_levels() -> tuple[LevelSpec, ...]:
    """Where someone lives, and with whom, in one comparison.

    Postcode and address text say the same thing; counting them twice would merge every
    household into one person. The people recorded with someone (their children, parents) are
    household evidence too, so they count only when the addresses do not already agree: a
    parent known at one address to health and at another to the police is still recorded with
    the same children, while siblings at one address gain nothing from sharing their parents.
    """

    def both(test_a: Test, test_b: Test) -> Test:
        return lambda a, b: test_a(a, b) and test_b(a, b)

    return (
        LevelSpec(
            "same postcode and address",
            lambda: cll.And(shared("postcode")(), cll.JaroWinklerLevel("address", 0.9)),
            both(overlap("postcode"), jw("address", 0.9)),
        ),
        LevelSpec("same postcode", shared("postcode"), overlap("postcode")),
        LevelSpec(
            "close address text (Jaro-Winkler >= 0.9)",
            lambda: cll.JaroWinklerLevel("address", 0.9),
            jw("address", 0.9),
        ),
        LevelSpec(
            "most address words the same",
            lambda: DialectLevel(
                {
                    "duckdb": _words_sql("len", "list_intersect"),
                    "spark": _words_sql("size", "array_intersect"),
                }
            ),
            _most_words,
        ),
        LevelSpec(
            "recorded with someone of the same name",
            shared("related"),
            overlap("related"),
        ),
        LevelSpec(
            "missing",
            lambda: cll.And(cll.NullLevel("postcode"), cll.NullLevel("address")),
            both(null("postcode"), null("address")),
            is_null=True,
        ),
        LevelSpec(
            "same postcode sector",
            shared("pc_sector"),
            overlap("pc_sector"),
            m_floor=0.02,
        ),
        LevelSpec(
            "similar address text (Jaro-Winkler >= 0.75)",
            lambda: cll.JaroWinklerLevel("address", 0.75),
            jw("address", 0.75),
            m_floor=0.02,
        ),
        LevelSpec(
            "same postcode district",
            shared("pc_district"),
            overlap("pc_district"),
            m_floor=0.02,
        ),
        # People move: children in care especially.
        LevelSpec(ELSE, cll.ElseLevel, always, m_floor=0.1),
    )


def _alias_levels() -> tuple[LevelSpec, ...]:
    def cross(dialect: str) -> str:
        overlap = _OVERLAP[dialect]
        return (
            f"({overlap.format(a='alt_names_l', b='all_names_r')} OR "
            f"{overlap.format(a='alt_names_r', b='all_names_l')})"
        )

    return (
        LevelSpec(
            "no other names",
            lambda: DialectLevel(
                dict.fromkeys(("duckdb", "spark"), "alt_names_l IS NULL AND alt_names_r IS NULL"),
                True,
            ),
            lambda a, b: a.get("alt_names") is None and b.get("alt_names") is None,
            is_null=True,
        ),
        LevelSpec(
            "an alias or other name of one is a name of the other",
            lambda: DialectLevel(
                {
                    "duckdb": cross("duckdb"),
                    "spark": cross("spark"),
                }
            ),
            lambda a, b: (
                overlap("alt_names", "all_names")(a, b) or overlap("all_names", "alt_names")(a, b)
            ),
        ),
        LevelSpec(ELSE, cll.ElseLevel, always),
    )


# Share of true matches recorded with a different value: phones, handles and cars change; an
# NHS number differs only by a keying error.
_CHANGES = {
    "nhs": 0.005,
    "phone": 0.2,
    "email": 0.2,
    "vehicle": 0.3,
    "licence": 0.05,
    "handle": 0.2,
}


# Identifiers that belong to one person only (a family shares a phone, a car, even an email).
PERSONAL_COMPARISONS = ("nhs", "licence")
# Of the pairs that share a personal number, the odds that they are two different people: the
# number of a relative keyed on the record (a mother's NHS number on her baby's), about one in a
# thousand. Random pairs cannot measure this: among the few people who hold a licence, a random
# pair is often the same driver known to licensing, police and social care, so a sampled u
# counts those matches as chance agreement and undervalues the number.
PERSONAL_ODDS = 1e-3

TYPING_SLIP = "one character differs (a typing slip)"
# Numbers keyed by hand with no check digit: one slip (a changed or swapped digit) is common.
_TYPED = {"licence": ("licence_one", 0.02)}


def _within_one_edit(column: str, min_length: int = 1) -> Test:
    return lambda a, b: (
        a.get(column) is not None
        and b.get(column) is not None
        and min(len(a[column]), len(b[column])) >= min_length
        and within_one_edit(a[column], b[column])
    )


def _identifier_levels(column: str) -> tuple[LevelSpec, ...]:
    typed: tuple[LevelSpec, ...] = ()
    changes = _CHANGES[column]
    if column in _TYPED:
        scalar, slips = _TYPED[column]
        changes -= slips
        typed = (
            LevelSpec(
                TYPING_SLIP,
                lambda: cll.DamerauLevenshteinLevel(scalar, 1),
                _within_one_edit(scalar),
                fixed_m=slips,
            ),
        )
    return (
        LevelSpec("missing", lambda: cll.NullLevel(column), null(column), is_null=True),
        LevelSpec(
            "same",
            shared(column),
            overlap(column),
            fixed_m=1.0 - _CHANGES[column],
            different_people_odds=PERSONAL_ODDS if column in PERSONAL_COMPARISONS else None,
        ),
        *typed,
        LevelSpec("different", cll.ElseLevel, always, fixed_m=changes),
    )


# Strong identifiers: one agreeing lets an adult of concern be merged without review.
STRONG_COMPARISONS = ("nhs", "phone", "email", "vehicle", "licence", "handle")

COMPARISONS: tuple[ComparisonSpec, ...] = (
    ComparisonSpec("given_name", "Given name", _given_levels()),
    ComparisonSpec("family_name", "Family name", _family_levels()),
    ComparisonSpec("other_names", "Aliases and other recorded names", _alias_levels()),
    ComparisonSpec("dob", "Date of birth", _dob_levels()),
    ComparisonSpec("address", "Postcode and address", _address_levels()),
    *(
        ComparisonSpec(c, c.replace("_", " ").capitalize(), _identifier_levels(c))
        for c in STRONG_COMPARISONS
    ),
)
COMPARISON_BY_NAME = {c.name: c for c in COMPARISONS}
# Columns of the Splink input frame, besides unique_id.
INPUT_COLUMNS = (
    "given_name",
    "given_skel",
    "given_fold",
    "given_full",
    "given_known",
    "given_all",
    "given_second",
    "sex",
    "family_name",
    "family_skel",
    "family_fold",
    "family_first",
    "alt_names",
    "all_names",
    "dob",
    "dob_y",
    "dob_m",
    "dob_d",
    "address",
    "postcode",
    "pc_sector",
    "pc_district",
    "related",
    "addr_words",
    "house",
    "licence_one",
    "block_keys",
    *STRONG_COMPARISONS,
)
ARRAY_COLUMNS = frozenset(
    {
        "given_all",
        "alt_names",
        "all_names",
        "postcode",
        "pc_sector",
        "pc_district",
        "related",
        "addr_words",
        "block_keys",
        *STRONG_COMPARISONS,
    }
)
INT_COLUMNS = frozenset({"dob_y", "dob_m", "dob_d"})


def training_blocking_rules() -> list[Any]:
    """EM sessions: each rule leaves the comparisons it does not use to be estimated."""
    return [block_on("dob"), block_on("given_name", "family_name")]


def deterministic_rules() -> list[Any]:
    """Pairs that are almost surely the same person, to estimate how often two records match."""
    return [
        block_on("given_name", "family_name", "dob"),
        block_on("nhs", arrays_to_explode=["nhs"]),
    ]
