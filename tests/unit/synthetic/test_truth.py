"""The truth files agree with the data, and the planted groups meet the exploitation rule."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from safehub.synthetic.geography import AREAS
from tests.unit.synthetic.synth_helpers import Parsed

CONCERN = {"suspect", "associate"}


def _age(dob: str, on: str) -> int:
    born, day = date.fromisoformat(dob), date.fromisoformat(on)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _groups(parsed: Parsed) -> dict[str, dict[str, str]]:
    groups: dict[str, dict[str, str]] = defaultdict(dict)
    for group_id, true_id, role in parsed.area.groups:
        groups[group_id][true_id] = role
    return groups


def test_every_person_ref_in_the_data_is_in_the_truth_and_nothing_else_is(small: Parsed) -> None:
    seen = {(row["agency_code"], row["person_ref"]) for row in small.rows}
    assert seen == set(small.truth)
    assert len(small.truth) == len(small.area.people)  # one true person per agency ref


def test_a_person_ref_shows_the_same_name_and_birth_date_in_every_record(small: Parsed) -> None:
    stored: dict[tuple[str, str], tuple[str, str, str]] = {}
    for row in small.rows:
        details = (row["given_names"], row["family_name"], row["date_of_birth"])
        assert stored.setdefault((row["agency_code"], row["person_ref"]), details) == details


def test_some_people_have_two_person_refs_in_one_agency(dense: Parsed) -> None:
    refs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (agency, ref), true_id in dense.truth.items():
        refs[(agency, true_id)].add(ref)
    duplicates = [key for key, found in refs.items() if len(found) > 1]
    people = len(refs)
    assert 0.002 * people < len(duplicates) < 0.05 * people


def test_the_same_person_is_written_differently_across_agencies(dense: Parsed) -> None:
    names: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in dense.rows:
        names[dense.true_id(row)].add((row["given_names"], row["family_name"]))
    varied = sum(1 for found in names.values() if len(found) > 1)
    assert varied > 0.2 * len(names)


def test_agency_registry_uses_real_gss_codes(small: Parsed) -> None:
    codes = {agency.code: agency.area_code for agency in small.area.agencies}
    assert codes["LA-BRADFORD"] == "E08000032"
    assert codes["LA-ROCHDALE"] == "E08000005"
    assert codes["POL-WY"] == "E23000010"
    assert codes["POL-GM"] == "E23000005"
    assert AREAS["kirklees"].la_code == "E08000034"


def test_each_group_has_an_organiser_adults_of_concern_and_child_victims(dense: Parsed) -> None:
    groups = _groups(dense)
    assert len(groups) >= 25
    for members in groups.values():
        roles = list(members.values())
        adults = [r for r in roles if r != "victim"]
        assert roles.count("organiser") == 1
        assert 2 <= len(adults) <= 8
        assert 2 <= roles.count("victim") <= 6


def test_each_group_meets_the_rule_two_adults_of_concern_linked_to_child_victims(
    dense: Parsed,
) -> None:
    """Two or more adults recorded as suspect or associate in records with a child victim."""
    groups = _groups(dense)
    group_of = {t: g for g, members in groups.items() for t in members}
    linked: dict[str, set[str]] = defaultdict(set)
    for rows in dense.records().values():
        ids = {dense.true_id(row): row for row in rows}
        child_groups = {
            group_of[t]
            for t, row in ids.items()
            if t in group_of
            and groups[group_of[t]][t] == "victim"
            and _age(dense.persons[t]["date_of_birth"], row["record_date"]) < 18
        }
        for t, row in ids.items():
            group = group_of.get(t)
            if (
                group in child_groups
                and groups[group][t] != "victim"
                and row["person_role"] in CONCERN
            ):
                linked[group].add(t)
    for group_id in groups:
        assert len(linked[group_id]) >= 2, group_id


def test_victims_are_children_aged_11_to_17_in_their_group_records(dense: Parsed) -> None:
    groups = _groups(dense)
    victims = {t for members in groups.values() for t, role in members.items() if role == "victim"}
    for row in dense.rows:
        true_id = dense.true_id(row)
        if true_id in victims and row["indicators"] and "missing" in row["indicators"]:
            age = _age(dense.persons[true_id]["date_of_birth"], row["record_date"])
            assert age <= 17


def test_key_people_are_group_adults_led_by_the_organiser(dense: Parsed) -> None:
    groups = _groups(dense)
    ranks: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for group_id, true_id, rank in dense.area.key_people:
        ranks[group_id].append((rank, true_id))
    assert set(ranks) == set(groups)
    for group_id, ranked in ranks.items():
        ranked.sort()
        assert [rank for rank, _ in ranked] == list(range(1, len(ranked) + 1))
        assert groups[group_id][ranked[0][1]] == "organiser"
        assert all(groups[group_id][t] in ("organiser", "suspect") for _, t in ranked)


def test_organisers_are_recorded_with_most_of_their_groups_victims(dense: Parsed) -> None:
    groups = _groups(dense)
    together: dict[str, set[str]] = defaultdict(set)
    for rows in dense.records().values():
        ids = {dense.true_id(row) for row in rows}
        for members in groups.values():
            organiser = next(t for t, role in members.items() if role == "organiser")
            if organiser in ids:
                together[organiser] |= {t for t in ids if members.get(t) == "victim"}
    for members in groups.values():
        organiser = next(t for t, role in members.items() if role == "organiser")
        victims = [t for t, role in members.items() if role == "victim"]
        assert len(together[organiser]) >= len(victims) / 2


def test_some_victims_are_later_arrested_as_offenders(dense: Parsed) -> None:
    victims = {t for _, t, role in dense.area.groups if role == "victim"}
    arrested = {
        dense.true_id(row)
        for row in dense.rows
        if row["person_role"] == "suspect"
        and row["person_outcome"] == "arrested"
        and dense.true_id(row) in victims
    }
    assert 0 < len(arrested) < len(victims) / 2


def test_group_records_include_group_based_flags_and_licensed_drivers(dense: Parsed) -> None:
    adults = {t for _, t, role in dense.area.groups if role != "victim"}
    assert any(row["group_based"] == "Y" for row in dense.rows)
    licensed = {dense.true_id(r) for r in dense.rows if r["record_type"] == "licence"}
    # Some adults of concern drive taxis, some licensed by the other area's council.
    assert adults & licensed
    other_area = {dense.true_id(r) for r in dense.rows if r["agency_code"] == "LIC-BRADFORD"}
    assert adults & other_area


def test_shared_phones_and_cars_link_only_planted_group_members(dense: Parsed) -> None:
    """Identifiers are unique per person, so sharing one is always a planted link."""
    group_of: dict[str, set[str]] = defaultdict(set)
    for group_id, true_id, _ in dense.area.groups:
        group_of[true_id].add(group_id)
    owners: dict[str, set[str]] = defaultdict(set)
    for row in dense.rows:
        for column in ("phone", "vehicle_registration", "nhs_number", "email"):
            value = "".join(row[column].split()).upper().replace("+44", "0")
            if value:
                owners[f"{column}:{value}"].add(dense.true_id(row))
    shared = {key: ids for key, ids in owners.items() if len(ids) > 1}
    assert shared  # the groups' shared phones
    for ids in shared.values():
        assert set.intersection(*(group_of[t] for t in ids)), ids


def test_busy_innocent_places_are_named_in_many_unrelated_records(dense: Parsed) -> None:
    members = {true_id for _, true_id, _ in dense.area.groups}
    counts: dict[str, int] = defaultdict(int)
    for rows in dense.records().values():
        innocent = not any(dense.true_id(row) in members for row in rows)
        if rows[0]["location_name"] and innocent:
            counts[rows[0]["location_name"]] += 1
    assert max(counts.values()) >= 50


def test_a_school_safeguarding_lead_reports_many_children(dense: Parsed) -> None:
    reported: dict[str, set[str]] = defaultdict(set)
    for rows in dense.records().values():
        reporters = [dense.true_id(r) for r in rows if r["person_role"] == "reporter"]
        subjects = {dense.true_id(r) for r in rows if r["person_role"] == "subject"}
        for reporter in reporters:
            reported[reporter] |= subjects
    assert max(len(children) for children in reported.values()) >= 100


def test_people_are_born_before_the_records_that_mention_them(dense: Parsed) -> None:
    for row in dense.rows:
        born = dense.persons[dense.true_id(row)]["date_of_birth"]
        assert born <= row["record_date"], (row["record_id"], born)


def test_child_suspects_are_at_least_ten_on_the_record_date(dense: Parsed) -> None:
    for row in dense.rows:
        person = dense.persons[dense.true_id(row)]
        if row["person_role"] == "suspect" and person["kind"] == "child":
            assert _age(person["date_of_birth"], row["record_date"]) >= 10
