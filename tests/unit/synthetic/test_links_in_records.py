"""Every planted adult-child link is in the written records, read back as an importer reads them."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from safehub.extracts import read_extracts
from safehub.synthetic import generate_area


@dataclass(frozen=True)
class Written:
    links: list[tuple[str, str, str]]  # truth/links.csv: (group_id, adult, child)
    roles: dict[str, dict[str, str]]  # group_id -> true_person_id -> role_in_group
    keys: dict[str, list[str]]  # group_id -> key people, best first
    together: set[tuple[str, str]]  # (true id, true id) named in one record, both orders


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))[1:]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Written:
    """A small area with many groups, written to files and read back from them."""
    folder = tmp_path_factory.mktemp("links")
    area = generate_area(seed=3, children=1500, groups=15, out_dir=folder)
    truth = folder / "truth"
    true_id = {(code, ref): pid for code, ref, pid in _rows(truth / "people.csv")}
    roles: dict[str, dict[str, str]] = defaultdict(dict)
    for group_id, pid, role in _rows(truth / "groups.csv"):
        roles[group_id][pid] = role
    keys: dict[str, list[str]] = defaultdict(list)
    for group_id, pid, _rank in sorted(_rows(truth / "key_people.csv"), key=lambda r: int(r[2])):
        keys[group_id].append(pid)
    batch = read_extracts(sorted(area.files.values()))
    assert batch.ok, batch.problems[:3]
    named: dict[tuple[str, str], set[str]] = defaultdict(set)
    for mention in batch.mentions:
        named[mention.record_key].add(true_id[mention.person_key])
    together = {(a, b) for people in named.values() for a in people for b in people if a != b}
    links = [(g, a, c) for g, a, c in _rows(truth / "links.csv")]
    return Written(links, dict(roles), dict(keys), together)


def test_every_planted_link_is_named_in_at_least_one_written_record(written: Written) -> None:
    assert len(written.links) >= 30  # 15 groups of 2-6 children
    unshown = [link for link in written.links if (link[1], link[2]) not in written.together]
    assert unshown == []


def test_the_links_join_adults_of_concern_to_the_children_of_their_own_group(
    written: Written,
) -> None:
    linked: dict[str, set[str]] = defaultdict(set)
    for group_id, adult, child in written.links:
        assert written.roles[group_id][adult] in {"organiser", "suspect", "associate"}
        assert written.roles[group_id][child] == "victim"
        linked[group_id].add(child)
    for group_id, members in written.roles.items():  # every child is linked to someone
        assert linked[group_id] == {p for p, role in members.items() if role == "victim"}


def test_each_key_person_is_named_with_at_least_half_of_their_groups_children(
    written: Written,
) -> None:
    for group_id, keys in written.keys.items():
        children = [p for p, role in written.roles[group_id].items() if role == "victim"]
        for key in keys:
            seen = sum((key, child) in written.together for child in children)
            assert seen >= len(children) / 2, (group_id, key, seen, len(children))
