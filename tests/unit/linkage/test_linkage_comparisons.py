"""Comparison levels, evaluated in Python as the in-process scorer does."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from safehub.extracts import PartialDate
from safehub.linkage import levels
from safehub.linkage.comparisons import COMPARISON_BY_NAME
from safehub.linkage.levels import FasterOnDuckDB
from safehub.linkage.people import AgencyPerson, person_features


def _level(comparison: str, left: AgencyPerson, right: AgencyPerson) -> str:
    spec = COMPARISON_BY_NAME[comparison]
    return spec.levels[spec.level_of(person_features(left), person_features(right))].label


def _person(dob: PartialDate | None = None, **kwargs: object) -> AgencyPerson:
    return AgencyPerson("LA", "1", date_of_birth=dob, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (PartialDate(2011, 3, 4), PartialDate(2011, 3, 4), "same date"),
        (PartialDate(2011, 3, 4), PartialDate(2011, 4, 3), "day and month swapped"),
        (PartialDate(2011, 3, 4), PartialDate(2011, 3), "agrees as far as known (partial date)"),
        (PartialDate(2011, 3, 4), PartialDate(2011), "agrees as far as known (partial date)"),
        (PartialDate(2011, 3, 4), PartialDate(2011, 3, 14), "one of day, month, year differs"),
        (PartialDate(2011, 3, 4), PartialDate(2012, 3, 4), "one of day, month, year differs"),
        (PartialDate(2011, 3, 4), PartialDate(2012, 8, 20), "within a year"),
        (PartialDate(2011, 3, 4), PartialDate(2011, 5), "within a year"),
        (PartialDate(2011, 3, 4), PartialDate(2005, 8, 20), "all other comparisons"),
        (PartialDate(2011, 3, 4), None, "missing"),
        # 1 January is read as the year alone: a placeholder agrees as far as it goes.
        (PartialDate(2011, 3, 4), PartialDate(2011, 1, 1), "agrees as far as known (partial date)"),
        (PartialDate(2011, 1, 1), PartialDate(2011, 1, 1), "same date"),
        (PartialDate(2011, 1, 1), PartialDate(2011), "agrees as far as known (partial date)"),
        (PartialDate(2011, 1, 1), PartialDate(2012, 8, 20), "within a year"),
    ],
)
def test_date_of_birth_levels(left: PartialDate, right: PartialDate | None, expected: str) -> None:
    assert _level("dob", _person(left), _person(right)) == expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("BD1 1AA", "bd11aa", "same postcode"),
        ("BD1 1AA", "BD1 1ZZ", "same postcode sector"),
        ("BD1 1AA", "BD1 5XY", "same postcode district"),
        ("BD1 1AA", "LS6 2QT", "all other comparisons"),
    ],
)
def test_postcode_levels_full_sector_district(left: str, right: str, expected: str) -> None:
    from safehub.extracts.identifiers import normalise_postcode

    a = _person(postcodes=(normalise_postcode(left),))
    b = _person(postcodes=(normalise_postcode(right),))
    assert _level("address", a, b) == expected


def test_swapped_given_and_family_names_are_recognised() -> None:
    a = _person(given="Amara", family="Okafor")
    b = _person(given="Okafor", family="Amara")
    assert _level("given_name", a, b) == "swapped with the other name"
    assert _level("family_name", a, b) == "swapped with the other name"


def test_nickname_and_transliteration_reach_the_top_name_level() -> None:
    a = _person(given="Bob", family="Chowdhury")
    b = _person(given="ROBERT", family="Choudhury")
    assert _level("given_name", a, b) == "same name or known variant"
    assert _level("family_name", a, b) == "same name or known variant"


def test_an_alias_matching_the_other_name_is_its_own_level() -> None:
    a = _person(given="Sajid", family="Khan", other_names=(("Saj", "Khan"),))
    b = _person(given="Saj", family="Khan")
    assert _level("other_names", a, b) == "an alias or other name of one is a name of the other"


def test_invalid_identifiers_never_reach_matching() -> None:
    from datetime import date

    from safehub.extracts import Identifier, Mention
    from safehub.linkage.collapse import collapse_mentions

    values = {"agency_code": "LA", "person_ref": "1", "record_id": "R", "person_role": "subject"}
    mention = Mention("f.csv", 2, values, date(2024, 1, 1))
    mention.identifiers = [
        Identifier("nhs_number", "123", None),
        Identifier("phone", "07700 900123", "+447700900123"),
    ]
    (person,) = collapse_mentions([mention])
    features = person_features(person)
    assert features["nhs"] is None
    assert features["phone"] == ["+447700900123"]


def test_swapped_names_are_recognised_when_the_family_name_holds_the_given_names() -> None:
    a = _person(given="Samuel Daniel", family="Brown")
    b = _person(given="BROWN", family="Samuel Daniel")
    assert _level("given_name", a, b) == "swapped with the other name"


def test_a_swap_is_weighed_once_under_the_given_name_only() -> None:
    spec = COMPARISON_BY_NAME["family_name"]
    swapped = [level for level in spec.levels if level.label.startswith("swapped")]
    assert swapped and all(level.is_null for level in swapped)


def test_swapped_names_with_a_typo_are_recognised() -> None:
    a = _person(given="Gabrielle", family="Langer")
    b = _person(given="Laznger", family="Gabrielle")
    assert _level("given_name", a, b) == "swapped, close spelling"


def test_a_typo_of_a_nickname_is_still_one_slip() -> None:
    # "Jack" is a known form of John; the typo "Jakc" is compared with what was written.
    assert _level("given_name", _person(given="Jack"), _person(given="Jakc")) == (
        "one letter differs (a slip)"
    )


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Alexander", "Alexandra"),
        ("Hassan", "Hussain"),
        ("Olivia", "Amelia"),
        ("Ella", "Ellie"),
        ("Harry", "Harvey"),
        ("Jack", "Jake"),
        ("Mohammed Hassan", "Mohammed Hussain"),
        ("J", "Mary"),
    ],
)
def test_twins_names_never_reach_a_level_that_counts_as_one_name(left: str, right: str) -> None:
    from safehub.linkage.rules import GIVEN_AGREES

    a, b = _person(given=left, family="Khan"), _person(given=right, family="Khan")
    assert _level("given_name", a, b) not in GIVEN_AGREES


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("Hussain", "Husein", "same name or known variant"),
        ("Bob", "Robert", "same name or known variant"),
        ("Jayden", "Jaydne", "one letter differs (a slip)"),
        ("Xanthipe", "Xanthepi", "same consonants (transliteration)"),
        ("Rebecca", "Rebekah", "similar spelling (Jaro-Winkler >= 0.8)"),
        ("Ali", "Mohammed Ali", "a given name of one is another given name of the other"),
        ("J", "Jack", "an initial that agrees"),
    ],
)
def test_variants_and_slips_count_as_one_name(left: str, right: str, expected: str) -> None:
    a, b = _person(given=left, family="Khan"), _person(given=right, family="Khan")
    assert _level("given_name", a, b) == expected


def test_agreeing_middle_names_are_a_level_above_the_first_name_alone() -> None:
    a = _person(given="Fatima Hafsa", family="Khan")
    b = _person(given="Fatima Hafsa", family="Khan")
    c = _person(given="Fatima", family="Khan")
    assert _level("given_name", a, b) == "same first and middle names"
    assert _level("given_name", a, c) == "same name or known variant"


OTHER_GIVEN_CASES = [
    ("Muhammad Ayaan", "Ayaan", True),  # known by the second given name
    ("Ayaan", "Muhammad Ayaan", True),
    ("Sarah Jane", "Jane", True),
    ("Alexander Oliver", "Leo Oliver", False),  # twins given one middle name
    ("Amelia Rose", "Isla Rose", False),
    ("Luke Oliver", "Oliver Henry", False),  # each holds a name the other lacks
    ("Ayaan Muhammad", "Muhammad Ayaan", True),
]


@pytest.mark.parametrize(("left", "right", "shared"), OTHER_GIVEN_CASES)
def test_a_second_given_name_is_one_name_only_when_the_other_goes_by_it(
    left: str, right: str, shared: bool
) -> None:
    a, b = _person(given=left, family="Walker"), _person(given=right, family="Walker")
    level = _level("given_name", a, b)
    assert (level == "a given name of one is another given name of the other") is shared


def test_the_second_given_name_level_reads_the_same_in_sql() -> None:
    import duckdb

    from safehub.linkage.comparisons import _other_given_sql

    sql = _other_given_sql("duckdb")
    for left, right, shared in OTHER_GIVEN_CASES:
        a = person_features(_person(given=left, family="Walker"))
        b = person_features(_person(given=right, family="Walker"))
        row = duckdb.execute(
            f"SELECT {sql} FROM (SELECT ? AS given_all_l, ? AS given_all_r, "
            "? AS given_name_l, ? AS given_name_r)",
            [a["given_all"], b["given_all"], a["given_name"], b["given_name"]],
        ).fetchone()
        assert row is not None and row[0] is shared, (left, right)


def test_a_licence_number_one_keystroke_apart_is_a_typing_slip() -> None:
    a = _person(identifiers={"licence": ("5714719",)})
    b = _person(identifiers={"licence": ("5714791",)})
    c = _person(identifiers={"licence": ("6634675",)})
    assert _level("licence", a, b) == "one character differs (a typing slip)"
    assert _level("licence", a, c) == "different"


def test_reordered_address_words_are_most_address_words_the_same() -> None:
    a = _person(address="4 Raworth Cottage, Hodgkinson Street, East Ryde")
    b = _person(address="Hodgkinson Street 4, East Ryde, Raworth")
    assert _level("address", a, b) == "most address words the same"


def test_people_recorded_with_the_same_family_agree_on_household() -> None:
    a = _person(address="1 Leeds Road", related=("ava brown", "kyle brown"))
    b = _person(address="9 Moor Lane", related=("kyle brown",))
    assert _level("address", a, b) == "recorded with someone of the same name"


def test_one_name_in_the_other_place_is_a_crossed_name_weighed_once() -> None:
    a = _person(given="James", family="Coleman")
    b = _person(given="Howie", family="James")
    assert _level("given_name", a, b) == "one name the same, in the other place"
    crossed = COMPARISON_BY_NAME["family_name"].levels[
        COMPARISON_BY_NAME["family_name"].level_of(person_features(a), person_features(b))
    ]
    assert crossed.is_null


def test_a_full_swap_is_not_taken_for_a_crossed_name() -> None:
    a = _person(given="Amara", family="Okafor")
    b = _person(given="Okafor", family="Amara")
    c = _person(given="Obinna", family="Okafor")
    assert _level("given_name", a, b) == "swapped with the other name"
    assert _level("given_name", a, c) == "all other comparisons"


def test_alike_names_on_records_of_different_sexes_are_two_names() -> None:
    a = _person(given="Daniel", family="Khan", sex="M")
    b = _person(given="Daniela", family="Khan", sex="F")
    c = _person(given="Daniela", family="Khan")
    assert _level("given_name", a, b) == "alike, recorded as different sexes"
    assert _level("given_name", a, c) == "one letter differs (a slip)"


LISTS = (None, ["a"], ["b"], ["a", "b"], ["c", "a"], ["b", None])
STRINGS = (None, "", "a", "b", "ab", "ba", "ann", "anna", "ana", "anne", "hannah", "jon", "john")


@pytest.mark.parametrize(
    ("creator", "values"),
    [
        (levels.shared("phone"), LISTS),
        (levels.one_edit("given_fold"), STRINGS),
        (levels.one_edit("given_fold", min_length=2), STRINGS),
    ],
    ids=["shared", "one_edit", "one_edit_names"],
)
def test_the_faster_duckdb_forms_decide_every_pair_as_splinks_own(
    creator: Callable[[], FasterOnDuckDB], values: tuple[object, ...]
) -> None:
    import duckdb
    from splink.internals.dialects import SplinkDialect

    level = creator()
    dialect = SplinkDialect.from_string("duckdb")
    ours, splinks = level.create_sql(dialect), level.other.create_sql(dialect)
    assert ours != splinks
    column = "phone" if "phone" in ours else "given_fold"
    for left in values:
        for right in values:
            found = duckdb.execute(
                f'SELECT coalesce({ours}, false), coalesce({splinks}, false) FROM (SELECT ? AS "{column}_l", ? AS "{column}_r")',
                [left, right],
            ).fetchone()
            assert found is not None and found[0] == found[1], (left, right)


def test_the_date_of_birth_levels_read_the_same_in_sql() -> None:
    """Splink decides on the SQL, our rules on the Python: for every two of these dates (1
    January, the year alone, a swap, a year out, none) both put the pair at the same level."""
    import itertools

    import duckdb

    from safehub.linkage.comparisons import _DOB_SQL

    dates = [
        *(PartialDate(2011, m, d) for m, d in ((1, 1), (3, 4), (4, 3), (1, 20))),
        PartialDate(2011),
        PartialDate(2011, 3),
        PartialDate(2012, 1, 1),
        PartialDate(2010, 12, 31),
        None,
    ]
    spec = COMPARISON_BY_NAME["dob"]
    case = "".join(f"WHEN {sql} THEN '{label}' " for label, sql in _DOB_SQL.items())
    columns = ("dob", "dob_y", "dob_m", "dob_d")
    names = ", ".join(f"? AS {c}_{side}" for side in "lr" for c in columns)
    query = (
        "SELECT CASE WHEN dob_y_l IS NULL OR dob_y_r IS NULL THEN 'missing' "
        f"{case}ELSE 'all other comparisons' END FROM (SELECT {names})"
    )
    for left, right in itertools.product(dates, dates):
        a, b = person_features(_person(left)), person_features(_person(right))
        found = duckdb.execute(query, [*(a[c] for c in columns), *(b[c] for c in columns)])
        row = found.fetchone()
        assert row is not None
        assert row[0] == spec.levels[spec.level_of(a, b)].label, (left, right)


def test_two_different_initials_are_no_slip_of_one_name() -> None:
    # "C Nyalor" and "E Naylor": one edit apart as strings, but two initials, two names.
    a, b = _person(given="C", family="Naylor"), _person(given="E", family="Naylor")
    assert _level("given_name", a, b) == "all other comparisons"
    assert _level("given_name", _person(given="Jo"), _person(given="Jon")) == (
        "one letter differs (a slip)"
    )
