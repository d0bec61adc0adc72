"""Group codes stay the same between runs while the group is essentially the same."""

from __future__ import annotations

from pathlib import Path

from safehub.network import analyse, build_graph
from safehub.network.codes import group_codes
from tests.unit.network.network_records import read_rows, same_person_everywhere
from tests.unit.network.test_network_groups import planted_group


def test_a_group_keeps_its_code_when_half_or_more_of_its_members_are_the_same() -> None:
    previous = {"G0003": {"A", "B", "C", "D"}, "G0009": {"X", "Y"}}
    codes = group_codes([{"P", "Q"}, {"A", "B", "C", "E"}], previous)
    assert codes == ["G0010", "G0003"]  # 3/5 shared: kept; the new group numbers after G0009


def test_a_group_that_changed_more_than_half_gets_a_new_code() -> None:
    assert group_codes([{"A", "E", "F", "G"}], {"G0003": {"A", "B", "C", "D"}}) == ["G0004"]


def test_a_code_goes_to_one_group_only_the_closest() -> None:
    previous = {"G0001": {"A", "B", "C", "D"}}
    codes = group_codes([{"A", "B", "C"}, {"A", "B", "C", "D", "E"}], previous)
    assert codes == ["G0002", "G0001"]  # 4/5 beats 3/4


def test_without_previous_groups_codes_follow_the_order() -> None:
    assert group_codes([{"A"}, {"B"}]) == ["G0001", "G0002"]


def _other_group() -> list[dict[str, str]]:
    """A second planted group whose people sort before the first's (so it is found first)."""
    return [
        {
            **r,
            "record_id": "B" + r["record_id"],
            "person_ref": "A" + r["person_ref"],
            "vehicle_registration": "ZZ11 ZZZ" if r.get("vehicle_registration") else "",
        }
        for r in planted_group()
    ]


def test_a_new_group_found_first_does_not_take_the_known_groups_code(tmp_path: Path) -> None:
    first = read_rows(tmp_path, planted_group(), "first.csv")
    second = read_rows(tmp_path, _other_group(), "second.csv")
    ids = same_person_everywhere(first + second)
    before = analyse(build_graph(first, ids))
    after = analyse(build_graph(first + second, ids), previous=before.group_members())
    codes = {g.group_id: set(g.person_ids) for g in after.groups}
    assert codes["G0001"] == set(before.groups[0].person_ids)
    assert "AORG" in codes["G0002"]
    organiser = next(k for k in after.key_people if k.person_id == "ORG")
    assert (organiser.group_id, "member of group G0001" in organiser.reasons) == ("G0001", True)


def test_without_the_previous_run_the_same_input_gives_the_same_codes(tmp_path: Path) -> None:
    rows = read_rows(tmp_path, planted_group() + _other_group())
    ids = same_person_everywhere(rows)
    first, second = analyse(build_graph(rows, ids)), analyse(build_graph(rows, ids))
    assert first.group_members() == second.group_members()
    assert [g.group_id for g in first.groups] == ["G0001", "G0002"]
