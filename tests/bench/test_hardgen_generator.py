"""The independent generator: deterministic, valid under format v1, its truth consistent."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bench.hardgen.generate import build_world, generate
from bench.hardgen.names import feminine
from bench.hardgen.people import Person
from bench.hardgen.profiles import profile
from bench.hardgen.truthfiles import read_rows, read_truth
from safehub.extracts import read_extracts

IDENTIFIER_COLUMNS = {"nhs_number", "postcode", "phone", "email", "vehicle_registration"}
TINY = profile("tiny")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tiny")
    generate(TINY, 11, out)
    return out


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.csv"))


def test_same_settings_and_seed_give_byte_identical_files(tiny: Path, tmp_path: Path) -> None:
    generate(TINY, 11, tmp_path)
    names = [p.relative_to(tiny) for p in sorted(tiny.rglob("*.*"))]
    assert names == [p.relative_to(tmp_path) for p in sorted(tmp_path.rglob("*.*"))]
    assert all((tiny / n).read_bytes() == (tmp_path / n).read_bytes() for n in names)


def test_another_seed_gives_other_people(tiny: Path, tmp_path: Path) -> None:
    generate(TINY, 12, tmp_path)
    assert (tiny / "truth" / "persons.csv").read_bytes() != (
        tmp_path / "truth" / "persons.csv"
    ).read_bytes()


def test_extracts_read_without_errors_and_warn_only_on_identifiers(tiny: Path) -> None:
    batch = read_extracts(_files(tiny))
    assert batch.errors == []
    assert batch.mentions
    assert {w.column for w in batch.warnings} <= IDENTIFIER_COLUMNS


def test_no_planted_bad_identifiers_means_no_warnings(tmp_path: Path) -> None:
    generate(replace(TINY, bad_identifier_rate=0.0), 3, tmp_path)
    batch = read_extracts(_files(tmp_path))
    assert batch.errors == [] and batch.warnings == []


def test_every_person_ref_is_in_the_truth_and_every_true_person_is_described(tiny: Path) -> None:
    truth = read_truth(tiny / "truth")
    refs = {(m.agency_code, m.person_ref) for m in read_extracts(_files(tiny)).mentions}
    assert refs == set(truth.person_of)
    assert set(truth.person_of.values()) == set(truth.persons)
    members = {pid for group in truth.groups.values() for pid in group}
    assert members and members <= set(truth.persons)


def test_twins_share_family_name_birthday_and_home_but_not_given_name() -> None:
    world = build_world(replace(TINY, twin_rate=0.3), 5)
    twins = [(world.people[p.a], world.people[p.b]) for p in world.pairs if p.kind == "twins"]
    assert len(twins) >= 5
    for one, two in twins:
        # Polish twins of different sexes carry the two forms of one name (Dąbrowski, Dąbrowska).
        family = feminine(one.community, one.family)
        assert (family, one.dob, one.addresses[0][1]) == (
            feminine(two.community, two.family),
            two.dob,
            two.addresses[0][1],
        )
        # Twins may share a devotional first name (Muhammad Hassan, Muhammad Hussain), never all.
        assert one.given != two.given


def test_planted_groups_have_an_organiser_adults_and_child_victims() -> None:
    world = build_world(replace(TINY, groups=2, households_per_area=400), 2)
    assert world.groups
    for group in world.groups:
        adults = [world.people[p] for p in group.adults]
        assert len(adults) >= 2 and all(not p.is_child_on(world.settings.start) for p in adults)
        assert len(group.victims) >= 2
        assert all(world.people[v].age_on(world.settings.start) < 18 for v in group.victims)


def test_truth_people_file_has_one_row_per_agency_person(tiny: Path) -> None:
    rows = read_rows(tiny / "truth" / "people.csv")
    keys = [(r["agency_code"], r["person_ref"]) for r in rows]
    assert len(keys) == len(set(keys))
    with (tiny / "truth" / "classes.csv").open() as handle:
        classes = {row["class"] for row in csv.DictReader(handle)}
    assert "siblings_1y" in classes or "twins" in classes


def test_a_phone_or_name_is_unknown_before_the_day_it_was_taken() -> None:
    p = Person("T1", "F", ["Amy"], "Smith", date(2010, 5, 1), "white_british", "H1", "W1", "GB")
    p.phones = [(date(2021, 5, 1), "07700900001"), (date(2023, 1, 1), "07700900002")]
    p.families = [(date(2022, 6, 1), "Jones")]
    assert p.phone_on(date(2020, 1, 1)) is None
    assert p.phone_on(date(2024, 1, 1)) == "07700900002"
    assert p.phone_on(date(2024, 1, 1), stale=True) == "07700900001"
    assert (p.family_on(date(2022, 1, 1)), p.family_on(date(2023, 1, 1))) == ("Smith", "Jones")


def test_people_are_old_enough_for_their_roles(tiny: Path) -> None:
    """Nobody before birth; no suspect under 10 (age of criminal responsibility in England);
    no parent, carer or reporter under 16; no licensed driver under 21."""
    truth = read_truth(tiny / "truth")
    minimum = {"suspect": 10, "parent_carer": 16, "reporter": 16, "licence_holder": 21}
    for mention in read_extracts(_files(tiny)).mentions:
        person = truth.persons[truth.person_of[(mention.agency_code, mention.person_ref)]]
        born = date.fromisoformat(person["date_of_birth"])
        age = (mention.record_date - born).days / 365.25
        assert age >= minimum.get(mention.person_role, 0), (mention.record_id, mention.person_role)
