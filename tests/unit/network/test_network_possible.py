"""Organisers found by what they hold, and "possibly the same person" links, on hand-made records."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from safehub.extracts.identifiers import PartialDate
from safehub.network import analyse, build_graph
from safehub.network.analysis import NetworkAnalysis
from safehub.network.possible import PossiblySame, analyse_possibly_same, born_apart, joinable
from tests.unit.network.network_records import read_rows, row, same_person_everywhere

ADULT = "1980-02-02"
CHILD = "2010-04-04"
FLAT = {"location_name": "Flat 1 above Tasty Grill", "location_postcode": "BD1 1AA"}


def _missing(record: str, child: str, driver: str, day: str) -> list[dict[str, str]]:
    """A child found at the flat with a driver, who carries the group's phone."""
    kind = {"record_type": "missing_episode", "date": day, **FLAT}
    return [
        row(record, child, "subject", dob=CHILD, indicators="missing", **kind),
        row(record, driver, "associate", dob=ADULT, phone="07700 900222", **kind),
    ]


def organiser_and_drivers() -> list[dict[str, str]]:
    """Two drivers found with six children at the flat; ORG lives at the flat, holds the phone
    they use, is named with both in intelligence and with one child only."""
    rows: list[dict[str, str]] = []
    for n in range(6):
        rows += _missing(f"MIS{n}", f"C{n}", "D1" if n % 2 else "D2", f"2025-0{n + 1}-10")
    for record, driver in (("IN1", "D1"), ("IN2", "D2")):
        rows += [
            row(
                record,
                "ORG",
                "subject",
                dob=ADULT,
                record_type="intelligence",
                phone="07700 900222",
            ),
            row(record, driver, "associate", dob=ADULT, record_type="intelligence"),
        ]
    rows.append(
        row(
            "REF1",
            "ORG",
            "associate",
            agency="LA-A",
            dob=ADULT,
            address="Flat 1 above Tasty Grill",
            postcode="BD1 1AA",
        )
    )
    rows.append(
        row("REF1", "C0", "subject", agency="LA-A", dob=CHILD, indicators="older_boyfriend")
    )
    return rows


def _analyse(tmp_path: Path, rows: list[dict[str, str]]) -> NetworkAnalysis:
    mentions = read_rows(tmp_path, rows)
    return analyse(build_graph(mentions, same_person_everywhere(mentions)))


def test_the_man_who_holds_the_phone_and_the_flat_is_the_organiser_not_the_drivers(
    tmp_path: Path,
) -> None:
    result = _analyse(tmp_path, organiser_and_drivers())
    (group,) = result.groups
    roles = {m.person_id: m.role_in_group for m in group.members}
    assert roles["ORG"] == "organiser"
    top = result.key_people[0]
    assert top.person_id == "ORG"
    assert "premises where" in top.reasons and "shared with other adults of concern" in top.reasons
    # The drivers have more direct contact with children.
    drivers = [k for k in result.key_people if k.person_id in ("D1", "D2")]
    assert all(k.children > top.children for k in drivers)


def _split_analysis(tmp_path: Path, pairs: list[tuple[str, str]]) -> NetworkAnalysis:
    """The group above with the organiser recorded as two people, ORG (police) and ORG2
    (social care), possibly the same."""
    rows = [
        {**r, "person_ref": "ORG2"} if r["person_ref"] == "ORG" and r["record_id"] == "REF1" else r
        for r in organiser_and_drivers()
    ]
    mentions = read_rows(tmp_path, rows)
    ids = same_person_everywhere(mentions)

    def analyse_with(person_ids: dict[tuple[str, str], str]) -> NetworkAnalysis:
        return analyse(build_graph(mentions, person_ids))

    return analyse_possibly_same(ids, PossiblySame.of(pairs), analyse_with)  # type: ignore[arg-type]


def test_a_possibly_same_pair_is_counted_once_and_named_to_confirm(tmp_path: Path) -> None:
    result = _split_analysis(tmp_path, [("ORG2", "ORG")])
    (group,) = result.groups
    # Listed once, under the representative; the group names the pair it rests on.
    assert "ORG" in group.person_ids and "ORG2" not in group.person_ids
    assert group.possibly_same == (("ORG", "ORG2"),)
    ranked = {k.person_id: k for k in result.key_people}
    assert result.key_people[0].person_id == "ORG"
    assert "confirm ORG = ORG2" in ranked["ORG"].reasons
    # The other id is ranked (every adult of concern is), last, naming whom it counts with.
    assert ranked["ORG2"].score == 0.0
    assert "possibly the same person as ORG" in ranked["ORG2"].reasons


def test_without_the_link_the_split_organiser_ranks_lower(tmp_path: Path) -> None:
    apart = {k.person_id: k for k in _split_analysis(tmp_path, []).key_people}
    together = {k.person_id: k for k in _split_analysis(tmp_path, [("ORG", "ORG2")]).key_people}
    # Apart, the police's ORG is only the subject of intelligence naming the drivers (ranked as
    # such, without the flat the council records) and the council's ORG2 an associate with one
    # child; together, both halves count.
    assert "the subject of police intelligence" in apart["ORG"].reasons
    assert "premises where" not in apart["ORG"].reasons
    assert together["ORG"].score > max(apart["ORG2"].score, apart["ORG"].score)
    assert "shared with other adults of concern" not in apart["ORG2"].reasons
    assert "possibly" not in apart["ORG2"].reasons


def test_possibly_same_as_names_the_representative_or_the_next_of_its_set() -> None:
    possibly = PossiblySame.of([("P3", "P1"), ("P2", "P3")])
    assert [possibly.partner(p) for p in ("P1", "P2", "P3", "P9")] == ["P2", "P1", "P1", ""]


def test_repointing_the_graph_in_place_equals_building_it_with_the_set_counted_as_one(
    tmp_path: Path,
) -> None:
    rows = [
        {**r, "person_ref": "ORG2"} if r["person_ref"] == "ORG" and r["record_id"] == "REF1" else r
        for r in organiser_and_drivers()
    ]
    mentions = read_rows(tmp_path, rows)
    ids = same_person_everywhere(mentions)
    possibly = PossiblySame.of([("ORG", "ORG2")])
    graph = build_graph(mentions, ids)
    before = (dict(graph.mentions), {k: set(e.evidence) for k, e in graph.edges.items()})
    people = sorted(possibly.representative)
    graph.repoint(possibly.merged(ids), among=people)
    together = build_graph(mentions, possibly.merged(ids))
    assert graph.mentions == together.mentions and graph.records == together.records
    assert {k: e.evidence for k, e in graph.edges.items()} == {
        k: e.evidence for k, e in together.edges.items()
    }
    assert analyse(graph).groups == analyse(together).groups
    graph.repoint(ids, among=people)
    assert (dict(graph.mentions), {k: set(e.evidence) for k, e in graph.edges.items()}) == before


def _apart_by_year(born: dict[str, int | None]) -> Callable[[str, str], bool]:
    def apart(a: str, b: str) -> bool:
        return None not in (born[a], born[b]) and born[a] != born[b]

    return apart


def test_a_chain_through_an_undated_record_never_joins_a_father_and_his_son() -> None:
    # The father's undated school record (as a parent) is possibly him and possibly "M Shah".
    apart = _apart_by_year({"DAD": 1969, "SCHOOL": None, "SON": 2005})
    assert joinable([("DAD", "SCHOOL"), ("SCHOOL", "SON")], apart) == [True, False]
    # Taken the other way round, the likelier pair first, the son keeps the undated record.
    assert joinable([("SCHOOL", "SON"), ("DAD", "SCHOOL")], apart) == [True, False]


def test_a_pair_inside_a_set_already_joined_is_kept_to_confirm() -> None:
    apart = _apart_by_year({"A": 1980, "B": None, "C": 1980})
    assert joinable([("A", "B"), ("B", "C"), ("A", "C")], apart) == [True, True, True]


def test_people_are_born_apart_as_the_date_of_birth_comparison_reads_two_dates() -> None:
    born = {
        "DAD": {PartialDate(1969, 4, 2)},
        "SON": {PartialDate(2005, 9, 14)},
        "TYPO": {PartialDate(1996, 4, 2)},  # the father's date with its digits swapped
        "UNDATED": set(),
    }
    apart = born_apart(born)
    assert apart("DAD", "SON") and apart("SON", "DAD")
    assert not apart("DAD", "TYPO")
    assert not apart("DAD", "UNDATED") and not apart("DAD", "NOT-KNOWN")


def test_the_worker_does_not_count_a_father_and_son_as_one_through_a_chain(
    tmp_path: Path,
) -> None:
    """The worker's rule (``services.networks.graph.usable_matches``) on a graph of real rows:
    of two pending pairs that would chain a father born 1969 to his son born 2005 through the
    father's undated school record, the likelier is counted and the other is not."""
    from safehub.db.queries.networks import PossibleMatch
    from safehub.services.networks.graph import usable_matches

    dad, parent, son = 1, 2, 3  # person ids, as the database numbers them
    rows = [
        row("LIC1", str(dad), "licence_holder", agency="LIC-A", dob="1969-04-02"),
        row("EDU1", str(parent), "parent_carer", agency="EDU-A"),
        row("EDU1", "4", "subject", agency="EDU-A", dob="2005-09-14"),
        row("REF1", str(son), "subject", agency="LA-A", dob="2005-09-14"),
    ]
    mentions = read_rows(tmp_path, rows)
    graph = build_graph(mentions, same_person_everywhere(mentions))
    dad_school = PossibleMatch(1, dad, parent, 0.97, "LIC-A/1", "EDU-A/2", "")
    school_son = PossibleMatch(2, parent, son, 0.93, "EDU-A/2", "LA-A/3", "")
    assert usable_matches([school_son, dad_school], set(), graph) == [dad_school]
    # A restricted person is never half of a pair; with the father hidden, nothing chains.
    assert usable_matches([school_son, dad_school], {str(dad)}, graph) == [school_son]
