"""The child-centred view for a child's case team."""

from __future__ import annotations

from pathlib import Path

from safehub.network import analyse, build_graph, child_view
from tests.unit.network.network_records import read_rows, same_person_everywhere
from tests.unit.network.test_network_groups import planted_group


def test_child_view_lists_adults_places_vehicles_and_other_children(tmp_path: Path) -> None:
    mentions = read_rows(tmp_path, planted_group())
    graph = build_graph(mentions, same_person_everywhere(mentions))
    view = child_view(graph, analyse(graph), "G2")
    assert [a.person_id for a in view.adults] == ["M3", "ORG"]
    assert view.places == ("place:cityview hotel|",)
    assert view.vehicles == ("vehicle:YX17ABC",)
    assert view.other_children == ("G1", "G3")
    assert view.groups == ("G0001",)


def test_child_in_a_group_is_at_heightened_risk_with_reasons(tmp_path: Path) -> None:
    mentions = read_rows(tmp_path, planted_group())
    graph = build_graph(mentions, same_person_everywhere(mentions))
    view = child_view(graph, analyse(graph), "G1")
    assert view.heightened_risk
    assert "a victim in candidate group G0001" in view.reasons
