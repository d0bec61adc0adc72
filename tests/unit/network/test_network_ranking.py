"""Key people: every adult of concern ranked with reasons; children and innocent hubs never top it."""

from __future__ import annotations

from pathlib import Path

from safehub.network import analyse, build_graph
from safehub.network.analysis import NetworkAnalysis
from tests.unit.network.network_records import read_rows, row, same_person_everywhere
from tests.unit.network.test_network_groups import (
    ADULT,
    CHILD,
    busy_takeaway,
    large_family,
    planted_group,
    school_lead,
)


def _analyse(tmp_path: Path, rows: list[dict[str, str]]) -> NetworkAnalysis:
    mentions = read_rows(tmp_path, rows)
    return analyse(build_graph(mentions, same_person_everywhere(mentions)))


def test_organiser_linked_to_most_children_ranks_first(tmp_path: Path) -> None:
    ranking = _analyse(tmp_path, planted_group() + busy_takeaway()).key_people
    assert ranking[0].person_id == "ORG"


def test_every_adult_of_concern_is_ranked_once_in_order(tmp_path: Path) -> None:
    rows = [*planted_group(), row("CR9", "LONE", "suspect", dob=ADULT)]
    ranking = _analyse(tmp_path, rows).key_people
    assert sorted(k.person_id for k in ranking) == ["LONE", "M2", "M3", "ORG"]
    assert [k.rank for k in ranking] == [1, 2, 3, 4]
    assert ranking[-1].person_id == "LONE"


def test_children_are_never_ranked_even_when_recorded_as_suspects(tmp_path: Path) -> None:
    rows = [
        *planted_group(),
        row("CR7", "G1", "suspect", dob=CHILD, date="2025-06-01"),
        row("CR8", "TEEN", "suspect", dob="2010-01-01"),
        row("CR8", "V8", "victim", dob=CHILD),
    ]
    ranked = {k.person_id for k in _analyse(tmp_path, rows).key_people}
    assert ranked.isdisjoint({"G1", "G2", "G3", "TEEN", "V8"})


def test_suspect_of_unknown_age_is_ranked(tmp_path: Path) -> None:
    rows = [row("CR1", "NOAGE", "associate"), row("CR1", "V1", "victim", dob=CHILD)]
    assert [k.person_id for k in _analyse(tmp_path, rows).key_people] == ["NOAGE"]


def test_school_lead_family_and_takeaway_owner_are_not_ranked(tmp_path: Path) -> None:
    rows = planted_group() + large_family() + school_lead() + busy_takeaway()
    ranked = {k.person_id for k in _analyse(tmp_path, rows).key_people}
    assert ranked.isdisjoint({"LEAD", "MUM", "DAD", "OWNER"})


def test_takeaway_suspects_rank_below_the_group(tmp_path: Path) -> None:
    ranking = _analyse(tmp_path, planted_group() + busy_takeaway()).key_people
    top = [k.person_id for k in ranking[:3]]
    assert sorted(top) == ["M2", "M3", "ORG"]


def test_reasons_state_children_agencies_and_shared_vehicle(tmp_path: Path) -> None:
    first = _analyse(tmp_path, planted_group()).key_people[0]
    assert first.reasons.startswith(
        "linked to 3 children in 1 agency's records; with 3 of them in crime reports or missing "
        "episodes; recorded as a suspect"
    )
    assert "shares a vehicle with 2 adults of concern" in first.reasons
    assert "member of group G0001" in first.reasons


def test_ties_are_broken_by_person_id(tmp_path: Path) -> None:
    rows = [row("CR1", "B", "suspect", dob=ADULT), row("CR2", "A", "suspect", dob=ADULT)]
    ranking = _analyse(tmp_path, rows).key_people
    assert [(k.person_id, k.score) for k in ranking] == [("A", 0.25), ("B", 0.25)]


def test_broker_between_two_groups_is_said_so(tmp_path: Path) -> None:
    other = [
        {
            **r,
            "record_id": "B" + r["record_id"],
            "person_ref": r["person_ref"] + "b",
            "vehicle_registration": "ZZ11 ZZZ" if r.get("vehicle_registration") else "",
        }
        for r in planted_group()
    ]
    bridge = [
        row("X1", "BROKER", "suspect", dob=ADULT, phone="07700 900555"),
        row("X2", "ORG", "suspect", dob=ADULT, phone="07700 900555"),
        row("X3", "ORGb", "suspect", dob=ADULT, phone="07700 900555"),
    ]
    ranking = _analyse(tmp_path, planted_group() + other + bridge).key_people
    broker = next(k for k in ranking if k.person_id == "BROKER")
    assert broker.groups_bridged >= 1
    assert "broker between" in broker.reasons


def _three_children(adult: str, role: str, record_type: str, prefix: str) -> list[dict[str, str]]:
    """An adult in three records, each with another child (all the same type of record)."""
    rows: list[dict[str, str]] = []
    for n in range(3):
        record, day = f"{prefix}{n}", f"2025-0{n + 3}-01"
        rows.append(row(record, adult, role, dob=ADULT, date=day, record_type=record_type))
        rows.append(
            row(record, f"{prefix}C{n}", "victim", dob=CHILD, date=day, record_type=record_type)
        )
    return rows


def test_an_adult_accused_in_crime_reports_ranks_above_one_co_mentioned_in_intelligence(
    tmp_path: Path,
) -> None:
    # Same number of children each; one named as suspect in crime reports against them, the
    # other, an associate, named beside them in intelligence (hearsay, graded): the first is
    # what an analyst means by a key person.
    rows = _three_children("ACCUSED", "suspect", "crime_report", "CR")
    rows += _three_children("AAMENTIONED", "associate", "intelligence", "IN")
    ranking = _analyse(tmp_path, rows).key_people
    assert [k.person_id for k in ranking] == ["ACCUSED", "AAMENTIONED"]
    assert "crime reports" not in ranking[1].reasons
    assert "with 3 of them in crime reports or missing episodes" in ranking[0].reasons


def test_an_adult_found_with_missing_children_counts_as_in_contact(tmp_path: Path) -> None:
    rows = _three_children("FOUNDWITH", "associate", "missing_episode", "MIS")
    rows += _three_children("AAMENTIONED", "associate", "intelligence", "IN")
    ranking = _analyse(tmp_path, rows).key_people
    assert [k.person_id for k in ranking] == ["FOUNDWITH", "AAMENTIONED"]
    assert ranking[0].reasons.startswith("linked to 3 children")


def test_children_linked_only_through_a_car_count_less_than_children_named_in_records(
    tmp_path: Path,
) -> None:
    # Two children found in a car (on their own records), and the car's driver recorded
    # elsewhere: worth following up, but less than an adult named with two children.
    rows = []
    for n in range(2):
        day = f"2025-0{n + 3}-01"
        rows.append(
            row(
                f"MIS{n}",
                f"CARC{n}",
                "victim",
                dob=CHILD,
                date=day,
                record_type="missing_episode",
                vehicle_registration="AB12 CDE",
            )
        )
        rows.append(
            row(f"IN{n}", "NAMED", "associate", dob=ADULT, date=day, record_type="intelligence")
        )
        rows.append(
            row(f"IN{n}", f"NAMEDC{n}", "victim", dob=CHILD, date=day, record_type="intelligence")
        )
    rows.append(
        row(
            "IN9",
            "DRIVER",
            "associate",
            dob=ADULT,
            date="2025-03-10",
            record_type="intelligence",
            vehicle_registration="AB12 CDE",
        )
    )
    ranking = _analyse(tmp_path, rows).key_people
    assert [k.person_id for k in ranking] == ["NAMED", "DRIVER"]
    assert ranking[0].reasons.startswith("linked to 2 children in 1 agency's records")
    assert ranking[1].reasons.startswith(
        "linked to 2 children through a shared place, vehicle or phone only"
    )


def _suspect_and_busier_associate(child: bool) -> list[dict[str, str]]:
    """SUSPECT named as a suspect in one intelligence report; BUSY, an associate, in another,
    and with three more adults of concern in a third; with ``child``, the same child is named in
    the first two, two years apart (so that the two are not a group, whose organiser would rank
    first)."""
    day = {"IN1": "2023-01-01", "IN2": "2025-03-01", "IN3": "2025-03-02"}

    def intel(record: str, person: str, role: str) -> dict[str, str]:
        return row(record, person, role, dob=ADULT, record_type="intelligence", date=day[record])

    rows = [intel("IN1", "SUSPECT", "suspect"), intel("IN2", "BUSY", "associate")]
    rows += [intel("IN3", "BUSY", "associate")]
    rows += [intel("IN3", f"X{n}", "associate") for n in range(3)]
    if child:
        rows += [
            row(r, "CHILD1", "victim", dob="2009-04-04", record_type="intelligence", date=day[r])
            for r in ("IN1", "IN2")
        ]
    return rows


def test_a_suspect_linked_to_children_ranks_above_a_busier_associate(tmp_path: Path) -> None:
    # The agencies' judgement that an adult is suspected of offences against a child outweighs
    # being named beside more adults; without children (a drugs network) it is a small weight.
    with_child = _analyse(tmp_path, _suspect_and_busier_associate(child=True)).key_people
    order = [k.person_id for k in with_child]
    assert order.index("SUSPECT") < order.index("BUSY")
    without = _analyse(tmp_path, _suspect_and_busier_associate(child=False)).key_people
    order = [k.person_id for k in without]
    assert order.index("BUSY") < order.index("SUSPECT")
