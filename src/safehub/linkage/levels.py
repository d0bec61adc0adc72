"""Building blocks of comparison levels: each level written as Splink SQL and as Python.

A level's Python test follows SQL's null semantics (a comparison with NULL is false), so that the
in-process scorer reaches the very level Splink reaches for the same pair.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
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
    # For an identifier that belongs to one person (an NHS or licence number): of the pairs that
    # agree at this level, the odds that they are two different people (a relative's number keyed
    # on the record). u is derived from it at training (``model.with_personal_u``), not sampled.
    different_people_odds: float | None = None


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


class DialectLevel(ComparisonLevelCreator):
    """A level whose SQL differs by backend (array functions are spelled differently)."""

    def __init__(self, sql: Mapping[str, str], null: bool = False) -> None:
        self.sql = dict(sql)
        self.is_null_level = null

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        return self.sql[sql_dialect.sql_dialect_str]

    def create_label_for_charts(self) -> str:
        return self.sql["duckdb"]


class FasterOnDuckDB(ComparisonLevelCreator):
    """Splink's level ``other``, written for DuckDB in a form that decides every pair the same
    way with less work (scoring and training compare a million pairs at scale)."""

    def __init__(self, duckdb_sql: str, other: ComparisonLevelCreator) -> None:
        self.duckdb_sql = duckdb_sql
        self.other = other
        self.is_null_level = False

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        if sql_dialect.sql_dialect_str == "duckdb":
            return self.duckdb_sql
        return self.other.create_sql(sql_dialect)

    def create_label_for_charts(self) -> str:
        return self.other.create_label_for_charts()


def shared(column: str) -> Callable[[], ComparisonLevelCreator]:
    """The two records' lists ``column`` hold a value in common. ``list_has_any`` stops at the
    first one, where Splink's ``array_length(list_intersect(...)) >= 1`` builds the whole
    intersection (a third of the comparison time at scale). Neither list holds NULLs."""
    return lambda: FasterOnDuckDB(
        f'list_has_any("{column}_l", "{column}_r")', cll.ArrayIntersectLevel(column, 1)
    )


def one_edit(column: str, min_length: int = 1) -> Callable[[], ComparisonLevelCreator]:
    """Damerau-Levenshtein distance at most 1, computed only where the lengths allow it: two
    strings one edit apart differ in length by at most one (the distance is the dearest function
    in the comparisons, and most pairs compared have names of quite different lengths). Both
    strings at least ``min_length`` long: "C" and "E" are one edit apart, but two initials, not
    a slip."""
    sql = (
        f'abs(length("{column}_l") - length("{column}_r")) <= 1 '
        f'AND damerau_levenshtein("{column}_l", "{column}_r") <= 1'
    )
    if min_length <= 1:
        return lambda: FasterOnDuckDB(sql, cll.DamerauLevenshteinLevel(column, 1))
    long_enough = f'length("{column}_l") >= {min_length} AND length("{column}_r") >= {min_length}'
    return lambda: FasterOnDuckDB(
        f"{long_enough} AND {sql}",
        cll.And(cll.CustomLevel(long_enough), cll.DamerauLevenshteinLevel(column, 1)),
    )


# --- Python forms of the rules, with SQL's null semantics (a comparison with NULL is false) ---


def null(*columns: str) -> Test:
    return lambda a, b: any(a.get(c) is None or b.get(c) is None for c in columns)


def eq(column: str, other: str | None = None) -> Test:
    other = other or column
    return lambda a, b: a.get(column) is not None and a.get(column) == b.get(other)


def jw(column: str, threshold: float) -> Test:
    return lambda a, b: (
        a.get(column) is not None
        and b.get(column) is not None
        and jaro_winkler(a[column], b[column]) >= threshold
    )


def overlap(column: str, other: str | None = None) -> Test:
    other = other or column
    return lambda a, b: bool(set(a.get(column) or ()) & set(b.get(other) or ()))


def always(_a: Row, _b: Row) -> bool:
    return True


def same(a: object, b: object) -> bool:
    return a is not None and a == b


def custom(sql: str) -> Callable[[], ComparisonLevelCreator]:
    return lambda: cll.CustomLevel(sql)
