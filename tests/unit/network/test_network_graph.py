"""The graph: what becomes a node and an edge, and incremental updates equal a full rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest

from safehub.network import analyse, build_graph
from safehub.network.graph import NetworkGraph
from tests.unit.network.network_records import read_rows, row, same_person_everywhere

ADULT = "1990-01-01"
CHILD = "2011-06-01"


def _rows() -> list[dict[str, str]]:
    return [
        row(
            "R1",
            "S1",
            "suspect",
            dob=ADULT,
            vehicle_registration="AB12 CDE",
            location_name="Paradise Takeaway",
            location_postcode="bd1 1aa",
            indicators="missing",
        ),
        row("R1", "V1", "victim", dob=CHILD, phone="07700 900123"),
        row(
            "R2",
            "S2",
            "suspect",
            dob=ADULT,
            vehicle_registration="ab12cde",
            address="12 High Street",
            postcode="BD1 1AA",
        ),
        row("R2", "V1", "victim", dob=CHILD),
        row("R3", "S2", "associate", dob=ADULT, online_handle="snap:@kaz", date="2025-05-01"),
        row("R3", "V2", "victim", dob=CHILD, date="2025-05-01"),
        row("L1", "S1", "licence_holder", agency="LIC-A", licence_number="PH 1234"),
    ]


def test_same_vehicle_typed_two_ways_is_one_node_linking_both_suspects(tmp_path: Path) -> None:
    mentions = read_rows(tmp_path, _rows())
    graph = build_graph(mentions, same_person_everywhere(mentions))
    assert graph.neighbours("vehicle:AB12CDE") == {"person:S1", "person:S2"}


def test_graph_has_records_places_addresses_handles_phones_and_licences(tmp_path: Path) -> None:
    mentions = read_rows(tmp_path, _rows())
    graph = build_graph(mentions, same_person_everywhere(mentions))
    kinds = {node.split(":", 1)[0] for node in graph.nodes()}
    assert kinds == {
        "person",
        "record",
        "place",
        "address",
        "vehicle",
        "phone",
        "handle",
        "licence",
    }
    assert graph.neighbours("place:paradise takeaway|BD11AA") == {"record:POL-A/R1"}


def test_person_record_edge_keeps_role_date_and_agency_as_evidence(tmp_path: Path) -> None:
    mentions = read_rows(tmp_path, _rows())
    graph = build_graph(mentions, same_person_everywhere(mentions))
    edge = graph.edges[("person:S2", "record:POL-A/R3")]
    (fact,) = [graph.mentions[k] for k in edge.evidence]
    assert (edge.kind, fact.role, fact.record_date.isoformat(), fact.agency_code) == (
        "in_record",
        "associate",
        "2025-05-01",
        "POL-A",
    )


def test_missing_person_id_is_refused_with_the_key(tmp_path: Path) -> None:
    mentions = read_rows(tmp_path, _rows())
    with pytest.raises(KeyError, match="S1"):
        build_graph(mentions, {})


def _state(graph: NetworkGraph) -> tuple[object, ...]:
    edges = {k: (e.kind, frozenset(e.evidence)) for k, e in graph.edges.items()}
    return (graph.nodes(), edges, graph.records)


def test_adding_records_one_at_a_time_equals_a_full_rebuild(tmp_path: Path) -> None:
    mentions = read_rows(tmp_path, _rows())
    ids = same_person_everywhere(mentions)
    incremental = NetworkGraph()
    for mention in mentions:
        incremental.add_mentions([mention], ids)
    full = build_graph(mentions, ids)
    assert _state(incremental) == _state(full)
    assert analyse(incremental).groups == analyse(full).groups


def test_a_changed_row_replaces_its_older_version(tmp_path: Path) -> None:
    first = read_rows(tmp_path, _rows(), "a.csv")
    changed = [r for r in _rows() if r["person_ref"] != "S1" or r["record_id"] != "R1"]
    changed.append(
        row(
            "R1",
            "S1",
            "suspect",
            dob=ADULT,
            vehicle_registration="XY99 ZZZ",
            location_name="Paradise Takeaway",
            location_postcode="bd1 1aa",
        )
    )
    second = read_rows(tmp_path, changed, "b.csv")
    ids = same_person_everywhere(first)
    graph = build_graph(first, ids)
    graph.add_mentions(second, ids)
    assert _state(graph) == _state(build_graph(second, ids))
    assert "vehicle:XY99ZZZ" in graph.neighbours("person:S1")
    assert graph.neighbours("vehicle:AB12CDE") == {"person:S2"}
