"""Generated areas with planted groups: the groups and their key people are found."""

from __future__ import annotations

from pathlib import Path

from safehub.extracts import read_extracts
from safehub.network import analyse, build_graph
from safehub.synthetic import generate_area


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b)


def test_planted_groups_are_found_and_nothing_else(tmp_path: Path) -> None:
    area = generate_area(seed=5, children=1500, groups=8, out_dir=tmp_path)
    batch = read_extracts(sorted(area.files.values()))
    ids = {(a, r): t for a, r, t in area.people}
    found = [set(g.person_ids) for g in analyse(build_graph(batch.mentions, ids)).groups]
    planted: dict[str, set[str]] = {}
    for group, person, _ in area.groups:
        planted.setdefault(group, set()).add(person)
    recalled = [any(_jaccard(p, f) >= 0.5 for f in found) for p in planted.values()]
    precise = [any(_jaccard(f, p) >= 0.5 for p in planted.values()) for f in found]
    assert sum(recalled) / len(recalled) >= 0.95
    assert sum(precise) / len(precise) >= 0.9


def test_planted_organisers_rank_in_the_top_five_of_their_group(tmp_path: Path) -> None:
    area = generate_area(seed=6, children=1500, groups=8, out_dir=tmp_path)
    batch = read_extracts(sorted(area.files.values()))
    ids = {(a, r): t for a, r, t in area.people}
    result = analyse(build_graph(batch.mentions, ids))
    rank = {k.person_id: k.rank for k in result.key_people}
    organisers = {p for _, p, role in area.groups if role == "organiser"}
    placed = []
    for organiser in organisers:
        group = next((g for g in result.groups if organiser in g.person_ids), None)
        adults = sorted(group.adults, key=lambda p: rank[p]) if group else []
        placed.append(organiser in adults[:5])
    assert sum(placed) / len(placed) >= 0.85
