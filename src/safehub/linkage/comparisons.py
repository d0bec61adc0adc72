"""The comparisons of the linkage model, each level written twice: as Splink SQL and in Python.

Both forms live side by side so they cannot drift apart: Splink scores pairs in bulk; the
in-process scorer (``scoring.py``) evaluates the same levels for the real-time intake check.
A level is identified by its comparison name and its label, which is how trained m and u
probabilities are carried between backends (DuckDB SQL is not Spark SQL).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import block_on
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect

from safehub.linkage.names import jaro_winkler

Row = Mapping[str, Any]
Test = Callable[[Row, Row], bool]
ELSE = "all other comparisons"


@dataclass(frozen=True, slots=True)
class LevelSpec:
    """One comparison level: label, Splink creator, and the same rule in Python."""

    label: str
    creator: Callable[[], ComparisonLevelCreator]
    test: Test
    tf_column: str | None = None
    is_null: bool = False
    # Least share of true matches assumed to fall in this level. EM on small or clean data can
    # drive an m probability towards zero ("one person never changes phone"), which would make
    # one disagreement veto any match; real records do change, so each level keeps a floor.
    m_floor: float = 0.002
    # Set from knowledge of the records instead of EM. EM mistakes a household (same address,
    # same family name, children born close together) for one person and then learns that a
    # different NHS number or birthday is common among matches; these levels are not left to it.
    fixed_m: float | None = None


@dataclass(frozen=True, slots=True)
class ComparisonSpec:
    name: str
    description: str
    levels: tuple[LevelSpec, ...]

    def splink(self) -> cl.CustomComparison:
        levels: list[ComparisonLevelCreator | dict[str, Any]] = []
        for level in self.levels:
            creator = level.creator().configure(label_for_charts=level.label)
            if level.is_null:
                creator = creator.configure(is_null_level=True)
            if level.fixed_m is not None:
                creator = creator.configure(m_probability=level.fixed_m, fix_m_probability=True)
            if level.tf_column:
                creator = creator.configure(tf_adjustment_column=level.tf_column)
            levels.append(creator)
        return cl.CustomComparison(levels, self.name, self.description)

    def level_of(self, left: Row, right: Row) -> int:
        """Index of the first level whose rule holds (the last one is the else level)."""
        return next(i for i, level in enumerate(self.levels) if level.test(left, right))


class _DialectLevel(ComparisonLevelCreator):
    """A level whose SQL differs by backend (array functions are spelled differently)."""

    def __init__(self, sql: Mapping[str, str], null: bool = False) -> None:
        self.sql = dict(sql)
        self.is_null_level = null

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        return self.sql[sql_dialect.sql_dialect_str]

    def create_label_for_charts(self) -> str:
        return self.sql["duckdb"]


# --- Python forms of the rules, with SQL's null semantics (a comparison with NULL is false) ---


def _null(*columns: str) -> Test:
    return lambda a, b: any(a.get(c) is None or b.get(c) is None for c in columns)


def _eq(column: str, other: str | None = None) -> Test:
    other = other or column
    return lambda a, b: a.get(column) is not None and a.get(column) == b.get(other)


def _jw(column: str, threshold: float) -> Test:
    return lambda a, b: (
        a.get(column) is not None
        and b.get(column) is not None
        and jaro_winkler(a[column], b[column]) >= threshold
    )


def _overlap(column: str, other: str | None = None) -> Test:
    other = other or column
    return lambda a, b: bool(set(a.get(column) or ()) & set(b.get(other) or ()))


def _else(_a: Row, _b: Row) -> bool:
    return True


def _same(a: object, b: object) -> bool:
    return a is not None and a == b


# --- Levels ---


def _name_levels(column: str, skeleton: str, other: str) -> tuple[LevelSpec, ...]:
    return (
        LevelSpec("missing", lambda: cll.NullLevel(column), _null(column), is_null=True),
        LevelSpec(
            "same name or known variant",
            lambda: cll.ExactMatchLevel(column),
            _eq(column),
            tf_column=column,
        ),
        LevelSpec(
            "same consonants (transliteration)",
            lambda: cll.ExactMatchLevel(skeleton),
            _eq(skeleton),
        ),
        LevelSpec(
            "close spelling (Jaro-Winkler >= 0.92)",
            lambda: cll.JaroWinklerLevel(column, 0.92),
            _jw(column, 0.92),
        ),
        LevelSpec(
            "swapped with the other name",
            lambda: cll.ColumnsReversedLevel(column, other),
            _eq(column, other),
        ),
        LevelSpec(
            "similar spelling (Jaro-Winkler >= 0.8)",
            lambda: cll.JaroWinklerLevel(column, 0.8),
            _jw(column, 0.8),
        ),
        # Names change (a new family name in care, after adoption, on marriage).
        LevelSpec(ELSE, cll.ElseLevel, _else, m_floor=0.02),
    )


_DOB_SQL = {
    "same date": "dob_l = dob_r AND dob_d_l IS NOT NULL",
    "agrees as far as known (partial date)": (
        "dob_y_l = dob_y_r AND (dob_d_l IS NULL OR dob_d_r IS NULL) "
        "AND (dob_m_l IS NULL OR dob_m_r IS NULL OR dob_m_l = dob_m_r)"
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
    if not _same(a["dob_y"], b["dob_y"]) or (a["dob_d"] is not None and b["dob_d"] is not None):
        return False
    return a["dob_m"] is None or b["dob_m"] is None or a["dob_m"] == b["dob_m"]


def _dob_swapped(a: Row, b: Row) -> bool:
    return (
        _same(a["dob_y"], b["dob_y"])
        and _same(a["dob_m"], b["dob_d"])
        and _same(a["dob_d"], b["dob_m"])
    )


def _dob_one_part(a: Row, b: Row) -> bool:
    if a["dob_d"] is None or b["dob_d"] is None:
        return False
    y, m, d = (a[c] == b[c] for c in ("dob_y", "dob_m", "dob_d"))
    return bool((y and m) or (y and d) or (m and d))


def _custom(sql: str) -> Callable[[], ComparisonLevelCreator]:
    return lambda: cll.CustomLevel(sql)


def _dob_levels() -> tuple[LevelSpec, ...]:
    tests: dict[str, Test] = {
        "same date": lambda a, b: _same(a["dob"], b["dob"]) and a["dob_d"] is not None,
        "agrees as far as known (partial date)": _dob_partial,
        "day and month swapped": _dob_swapped,
        "one of day, month, year differs": _dob_one_part,
        "within a year": lambda a, b: abs(a["dob_y"] - b["dob_y"]) <= 1,
    }
    levels = [LevelSpec("missing", lambda: cll.NullLevel("dob_y"), _null("dob_y"), is_null=True)]
    for label, sql in _DOB_SQL.items():
        levels.append(LevelSpec(label, _custom(sql), tests[label], fixed_m=_DOB_M[label]))
    levels.append(LevelSpec(ELSE, cll.ElseLevel, _else, fixed_m=_DOB_M[ELSE]))
    return tuple(levels)


def _address_levels() -> tuple[LevelSpec, ...]:
    """Postcode and address text in one comparison: they say the same thing (where someone
    lives), and counting them twice would merge every household into one person."""

    def both(test_a: Test, test_b: Test) -> Test:
        return lambda a, b: test_a(a, b) and test_b(a, b)

    return (
        LevelSpec(
            "missing",
            lambda: cll.And(cll.NullLevel("postcode"), cll.NullLevel("address")),
            both(_null("postcode"), _null("address")),
            is_null=True,
        ),
        LevelSpec(
            "same postcode and address",
            lambda: cll.And(
                cll.ArrayIntersectLevel("postcode", 1), cll.JaroWinklerLevel("address", 0.9)
            ),
            both(_overlap("postcode"), _jw("address", 0.9)),
        ),
        LevelSpec(
            "same postcode", lambda: cll.ArrayIntersectLevel("postcode", 1), _overlap("postcode")
        ),
        LevelSpec(
            "close address text (Jaro-Winkler >= 0.9)",
            lambda: cll.JaroWinklerLevel("address", 0.9),
            _jw("address", 0.9),
        ),
        LevelSpec(
            "same postcode sector",
            lambda: cll.ArrayIntersectLevel("pc_sector", 1),
            _overlap("pc_sector"),
            m_floor=0.02,
        ),
        LevelSpec(
            "similar address text (Jaro-Winkler >= 0.75)",
            lambda: cll.JaroWinklerLevel("address", 0.75),
            _jw("address", 0.75),
            m_floor=0.02,
        ),
        LevelSpec(
            "same postcode district",
            lambda: cll.ArrayIntersectLevel("pc_district", 1),
            _overlap("pc_district"),
            m_floor=0.02,
        ),
        # People move: children in care especially.
        LevelSpec(ELSE, cll.ElseLevel, _else, m_floor=0.1),
    )


def _alias_levels() -> tuple[LevelSpec, ...]:
    def cross(fn: str, size: str) -> str:
        return (
            f"({size}({fn}(alt_names_l, all_names_r)) > 0 OR "
            f"{size}({fn}(alt_names_r, all_names_l)) > 0)"
        )

    return (
        LevelSpec(
            "no other names",
            lambda: _DialectLevel(
                dict.fromkeys(("duckdb", "spark"), "alt_names_l IS NULL AND alt_names_r IS NULL"),
                True,
            ),
            lambda a, b: a.get("alt_names") is None and b.get("alt_names") is None,
            is_null=True,
        ),
        LevelSpec(
            "an alias or other name of one is a name of the other",
            lambda: _DialectLevel(
                {
                    "duckdb": cross("list_intersect", "len"),
                    "spark": cross("array_intersect", "size"),
                }
            ),
            lambda a, b: (
                _overlap("alt_names", "all_names")(a, b) or _overlap("all_names", "alt_names")(a, b)
            ),
        ),
        LevelSpec(ELSE, cll.ElseLevel, _else),
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


def _identifier_levels(column: str) -> tuple[LevelSpec, ...]:
    return (
        LevelSpec("missing", lambda: cll.NullLevel(column), _null(column), is_null=True),
        LevelSpec(
            "same",
            lambda: cll.ArrayIntersectLevel(column, 1),
            _overlap(column),
            fixed_m=1.0 - _CHANGES[column],
        ),
        LevelSpec("different", cll.ElseLevel, _else, fixed_m=_CHANGES[column]),
    )


# Strong identifiers: one agreeing lets an adult of concern be merged without review.
STRONG_COMPARISONS = ("nhs", "phone", "email", "vehicle", "licence", "handle")

COMPARISONS: tuple[ComparisonSpec, ...] = (
    ComparisonSpec(
        "given_name", "Given name", _name_levels("given_name", "given_skel", "family_name")
    ),
    ComparisonSpec(
        "family_name", "Family name", _name_levels("family_name", "family_skel", "given_name")
    ),
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
    "family_name",
    "family_skel",
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
    *STRONG_COMPARISONS,
)
ARRAY_COLUMNS = frozenset(
    {"alt_names", "all_names", "postcode", "pc_sector", "pc_district", *STRONG_COMPARISONS}
)
INT_COLUMNS = frozenset({"dob_y", "dob_m", "dob_d"})


def prediction_blocking_rules() -> list[Any]:
    """Candidate pairs: names, names with dates, swapped names, and every strong identifier."""
    rules: list[Any] = [
        block_on("given_name", "family_name"),
        block_on("family_skel", "dob_y"),
        block_on("given_skel", "dob"),
        block_on("given_name", "dob"),
        "l.given_name = r.family_name AND l.family_name = r.given_name",
        block_on("dob", "address"),
        block_on("dob", "postcode", arrays_to_explode=["postcode"]),
    ]
    rules += [block_on(c, arrays_to_explode=[c]) for c in STRONG_COMPARISONS]
    return rules


def training_blocking_rules() -> list[Any]:
    """EM sessions: each rule leaves the comparisons it does not use to be estimated."""
    return [block_on("dob"), block_on("given_name", "family_name")]


def deterministic_rules() -> list[Any]:
    """Pairs that are almost surely the same person, to estimate how often two records match."""
    return [
        block_on("given_name", "family_name", "dob"),
        block_on("nhs", arrays_to_explode=["nhs"]),
    ]
