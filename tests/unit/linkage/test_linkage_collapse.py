"""Collapsing from the columnar table gives the people collapsing from mentions gives."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from safehub.extracts import PartialDate, read_extracts
from safehub.extracts.columns import read_extract_table
from safehub.linkage.collapse import MentionFacts, _collapse, collapse_mentions, collapse_table
from safehub.linkage.decide import PersonFacts
from safehub.linkage.people import name_key
from safehub.synthetic.small_population import small_population
from tests.factories import extract_row, parent_and_namesake_son, write_extract


def test_a_generated_population_collapses_the_same_from_table_and_mentions(
    tmp_path: Path,
) -> None:
    data = small_population(seed=5, people=120, out_dir=tmp_path)
    from_table = collapse_table(read_extract_table(data.files))
    assert from_table == collapse_mentions(data.mentions)
    # Read a few rows at a time, people's mentions straddle the batches.
    assert collapse_table(read_extract_table(data.files), batch_rows=7) == from_table
    assert len(from_table) == len({m.person_key for m in data.mentions})


def test_ties_aliases_roles_and_restriction_collapse_the_same_both_ways(tmp_path: Path) -> None:
    rows = [
        # One person, two spellings twice each: the one recorded first wins the tie.
        extract_row(record_id="R1", record_date="2024-01-02", given_names="Ayesha"),
        extract_row(record_id="R2", record_date="2024-01-01", given_names="Aisha"),
        extract_row(record_id="R3", record_date="2024-02-01", given_names="Ayesha"),
        extract_row(record_id="R4", record_date="2024-03-01", given_names="Aisha", aliases="Ash"),
        # Dates of birth: a year alone and a full date once each; the full date wins the tie.
        extract_row(
            person_ref="P-2",
            record_id="R1",
            record_date="2024-01-02",
            person_role="parent_carer",
            given_names="Sara",
            family_name="Khan",
            date_of_birth="1985",
            address="1 Old Road",
        ),
        extract_row(
            person_ref="P-2",
            record_id="R5",
            record_date="2024-05-01",
            person_role="reporter",
            given_names="Sara",
            family_name="Khan",
            date_of_birth="1985-04-02",
            address="2 New Road",
            restricted="Y",
            phone="07700 900123",
        ),
        extract_row(person_ref="P-3", record_id="R5", record_date="2024-05-01", given_names=""),
    ]
    path = write_extract(tmp_path / "x.csv", rows)
    from_table = collapse_table(read_extract_table([path]))
    assert from_table == collapse_mentions(read_extracts([path]).mentions)
    aisha, sara, nameless = from_table
    assert (aisha.given, aisha.other_names) == (
        "Aisha",
        (("Ash", "Hussain"), ("Ayesha", "Hussain")),
    )
    assert sara.date_of_birth == PartialDate(1985, 4, 2)
    assert (sara.address, sara.restricted, sara.born_by) == ("2 New Road", True, 2010)
    # Recorded together in R1 (Sara as a parent); in R5 Sara is the reporter, so P-3 does not
    # count her, while she counts P-3.
    assert sara.related == tuple(sorted({name_key("Aisha", "Hussain"), name_key("", "Hussain")}))
    assert nameless.given == "" and nameless.related == ()


def test_one_mention_collapses_as_the_general_rule_would() -> None:
    fact = MentionFacts(
        date(2024, 1, 1),
        "f.csv",
        2,
        "R1",
        "licence_holder",
        "Bob",
        "Smith",
        "1 High St",
        False,
        PartialDate(1980),
        ("Robert Smith", "Rob"),
        (("phone", "+447700900123"), ("postcode", "BD11AA")),
    )
    alone = _collapse(("LIC", "L1"), [fact])
    twice = _collapse(("LIC", "L1"), [fact, fact._replace(row=3)])
    assert alone == twice
    assert alone.born_by == 2006 and alone.postcodes == ("BD11AA",)


def test_a_first_of_january_loses_a_tie_to_a_whole_date(tmp_path: Path) -> None:
    """1 January is often keyed when only the year is known: as precise as the year alone."""
    rows = [
        extract_row(record_id="R1", record_date="2024-01-01", date_of_birth="1985-01-01"),
        extract_row(record_id="R2", record_date="2024-02-01", date_of_birth="1985-04-02"),
    ]
    path = write_extract(tmp_path / "x.csv", rows)
    (person,) = collapse_table(read_extract_table([path]))
    assert person.date_of_birth == PartialDate(1985, 4, 2)


def test_a_schools_parent_was_at_least_18_on_the_record(tmp_path: Path) -> None:
    path = write_extract(tmp_path / "x.csv", parent_and_namesake_son("school_concern"))
    from_table = collapse_table(read_extract_table([path]))
    assert from_table == collapse_mentions(read_extracts([path]).mentions)
    parent = next(p for p in from_table if p.person_ref == "C1")
    # A pupil is at least 4, their parent at least 14 at the birth: born by 2025 - 18.
    assert parent.born_by == 2007
    son = next(p for p in from_table if p.person_ref == "N1")
    facts = PersonFacts.of([parent, son])
    assert facts.apart(np.array([0]), np.array([1])).tolist() == [True]


def test_a_parent_on_another_record_may_be_as_young_as_14(tmp_path: Path) -> None:
    # A referral or a health attendance can be about a newborn: a 17-year-old is a parent.
    path = write_extract(tmp_path / "x.csv", parent_and_namesake_son("referral"))
    people = collapse_table(read_extract_table([path]))
    assert people == collapse_mentions(read_extracts([path]).mentions)
    parent = next(p for p in people if p.person_ref == "C1")
    assert parent.born_by == 2011
    facts = PersonFacts.of(people)
    assert facts.apart(np.array([0]), np.array([1])).tolist() == [False]
