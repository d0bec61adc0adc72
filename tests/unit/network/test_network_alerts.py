"""Alerts when a new record touches a known group, a known adult, or a licensed driver."""

from __future__ import annotations

from pathlib import Path

from safehub.network import alerts_for_record, analyse, build_graph
from safehub.network.model import Alert
from tests.unit.network.network_records import read_rows, row, same_person_everywhere
from tests.unit.network.test_network_groups import ADULT, CHILD, planted_group


def _alerts(tmp_path: Path, known: list[dict[str, str]], new: list[dict[str, str]]) -> list[Alert]:
    old = read_rows(tmp_path, known, "old.csv")
    fresh = read_rows(tmp_path, new, "new.csv")
    ids = same_person_everywhere(old + fresh)
    graph = build_graph(old, ids)
    return alerts_for_record(graph, analyse(graph), fresh, ids)


def test_new_record_naming_the_group_car_alerts_the_group_analyst(tmp_path: Path) -> None:
    new = [
        row(
            "CR50",
            "UNKNOWN1",
            "subject",
            vehicle_registration="YX17ABC",
            date="2025-08-01",
            record_type="community_report",
        )
    ]
    (alert,) = [a for a in _alerts(tmp_path, planted_group(), new) if a.kind == "known_group"]
    assert (alert.recipient, alert.group_id, alert.record) == (
        "group_analyst",
        "G0001",
        ("POL-A", "CR50"),
    )
    assert "vehicle:YX17ABC" in alert.reasons[0]


def test_child_linked_to_adult_already_linked_to_other_children(tmp_path: Path) -> None:
    new = [
        row("CR60", "M2", "suspect", dob=ADULT, date="2025-09-01"),
        row("CR60", "NEWGIRL", "victim", dob=CHILD, date="2025-09-01"),
    ]
    alerts = [
        a
        for a in _alerts(tmp_path, planted_group(), new)
        if a.kind == "adult_linked_to_other_children"
    ]
    assert [(a.recipient, a.person_ids) for a in alerts] == [("child_case_team", ("NEWGIRL", "M2"))]
    # M2 is an adult of the planted group, whose three girls are other child victims to him.
    assert (
        "already linked to 3 other child victims as an adult of candidate group G0001"
        in (alerts[0].reasons[0])
    )


def test_licence_holder_named_as_suspect_in_another_area_goes_to_police_disclosure(
    tmp_path: Path,
) -> None:
    known = [
        row(
            "LIC1",
            "DRIVER",
            "licence_holder",
            agency="LIC-B",
            licence_number="PH 1234",
            dob=ADULT,
            area_code="E08000033",
        )
    ]
    new = [
        row(
            "INT9",
            "DRIVER",
            "associate",
            dob=ADULT,
            record_type="intelligence",
            indicators="taxis_cars",
            area_code="E08000032",
        ),
        row("INT9", "GIRL", "victim", dob=CHILD, record_type="intelligence"),
    ]
    alerts = [a for a in _alerts(tmp_path, known, new) if a.kind == "licence_holder_of_concern"]
    assert [(a.recipient, a.person_ids) for a in alerts] == [
        ("police_disclosure_decision", ("DRIVER",))
    ]
    assert "LIC-B" in alerts[0].reasons[0] and "E08000032" in alerts[0].reasons[0]


def test_licence_record_for_an_adult_already_of_concern_alerts(tmp_path: Path) -> None:
    new = [row("LIC2", "M3", "licence_holder", agency="LIC-B", licence_number="HC 99")]
    alerts = [
        a for a in _alerts(tmp_path, planted_group(), new) if a.kind == "licence_holder_of_concern"
    ]
    assert [a.person_ids for a in alerts] == [("M3",)]


def test_licence_holder_as_witness_raises_no_licensing_alert(tmp_path: Path) -> None:
    known = [row("LIC1", "DRIVER", "licence_holder", agency="LIC-B", licence_number="PH 1")]
    new = [row("CR70", "DRIVER", "witness", dob=ADULT), row("CR70", "V", "victim", dob=CHILD)]
    assert _alerts(tmp_path, known, new) == []


def test_unrelated_family_referral_raises_no_alert(tmp_path: Path) -> None:
    new = [
        row("REF1", "MUM", "parent_carer", agency="LA-A", dob=ADULT),
        row("REF1", "KID", "subject", agency="LA-A", dob=CHILD),
    ]
    assert _alerts(tmp_path, planted_group(), new) == []


def test_restricted_person_in_a_new_record_raises_no_alert(tmp_path: Path) -> None:
    new = [
        {**row("CR80", "M2", "suspect", dob=ADULT, date="2025-09-01"), "restricted": "Y"},
        row("CR80", "NEWGIRL", "victim", dob=CHILD, date="2025-09-01"),
    ]
    alerts = _alerts(tmp_path, planted_group(), new)
    assert all("M2" not in a.person_ids for a in alerts)
