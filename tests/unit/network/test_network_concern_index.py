"""The concern index kept record by record gives the table and analysis a rebuild gives, and redoes
only the people a change touched."""

from __future__ import annotations

import doctest
import importlib
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from safehub.extracts import Mention
from safehub.network import analyse, build_graph
from safehub.network.concern import ConcernTable
from safehub.network.concern_index import ConcernIndex
from safehub.network.graph import NetworkGraph
from tests.unit.network.network_records import read_rows, row, same_person_everywhere
from tests.unit.network.test_network_groups import busy_takeaway, large_family, planted_group


def _same(a: ConcernTable, b: ConcernTable) -> bool:
    for f in fields(ConcernTable):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            if x.dtype != y.dtype or not np.array_equal(x, y):
                return False
        elif x != y:
            return False
    return True


def _turning_eighteen() -> list[dict[str, str]]:
    """T is a child at first (the most precise date of birth says so) though one row names them as
    an adult suspect; a later record elsewhere moves the latest date past their 18th birthday."""
    return [
        row("CR9", "T", "suspect", dob="1990", date="2025-03-01"),
        row("CR9", "V9", "victim", dob="2012-01-01", date="2025-03-01"),
        row("REF9", "T", "subject", agency="LA-A", dob="2008-05-05", date="2025-03-02"),
    ]


def _later_record() -> list[dict[str, str]]:
    return [
        row("CR10", "Z1", "suspect", dob="1980-01-01", date="2026-06-01"),
        row("CR10", "Z2", "victim", dob="2013-01-01", date="2026-06-01"),
    ]


def _referral(*extra: dict[str, str]) -> list[dict[str, str]]:
    """A referral about K20; a later row of the same record carrying exploitation indicators
    makes K20 a child victim though K20's own row did not change."""
    return [row("REF20", "K20", "subject", agency="LA-A", dob="2012-03-03"), *extra]


def _steps(tmp_path: Path) -> tuple[list[list[Mention]], dict[tuple[str, str], str]]:
    batches = [
        planted_group() + _referral(),
        busy_takeaway(),
        _turning_eighteen(),
        [row("REF20", "A20", "associate", agency="LA-A", dob="1980-01-01", indicators="missing")],
        large_family(),
        [row("CR11", "M2", "suspect", dob="1985-02-02", restricted="Y")],
        _later_record(),
    ]
    read = [read_rows(tmp_path, rows, f"step{i}.csv") for i, rows in enumerate(batches)]
    ids = same_person_everywhere([m for batch in read for m in batch])
    return read, ids


@pytest.mark.parametrize("viewer", ["", "POL-A"])
def test_an_index_kept_step_by_step_equals_a_fresh_one(tmp_path: Path, viewer: str) -> None:
    batches, ids = _steps(tmp_path)
    graph, index = NetworkGraph(), ConcernIndex(viewer)
    for batch in batches:
        graph.add_mentions(batch, ids)
        assert _same(index.table(graph), ConcernIndex(viewer).table(graph))
        kept = analyse(graph, viewer=viewer, index=index)
        assert kept == analyse(graph, viewer=viewer)


def test_a_child_turning_eighteen_elsewhere_in_time_is_redone(tmp_path: Path) -> None:
    batches, ids = _steps(tmp_path)
    graph, index = NetworkGraph(), ConcernIndex()
    graph.add_mentions(batches[2], ids)
    assert not index.people(graph)["T"].concern  # a child as of March 2025
    graph.add_mentions(batches[6], ids)  # June 2026: T is 18, never named in the new record
    assert index.people(graph)["T"].concern
    assert _same(index.table(graph), ConcernIndex().table(graph))


def test_only_the_people_a_record_touches_are_redone(tmp_path: Path) -> None:
    batches, ids = _steps(tmp_path)
    graph, index = NetworkGraph(), ConcernIndex()
    for batch in batches[:4]:
        graph.add_mentions(batch, ids)
    everyone = len(index.people(graph))
    assert index.redone == everyone
    new = read_rows(
        tmp_path,
        [
            row("CR12", "ORG", "suspect", dob="1985-02-02", date="2025-05-09"),
            row("CR12", "G9", "victim", dob="2012-02-02", date="2025-05-09"),
        ],
        "new.csv",
    )
    graph.add_mentions(new, same_person_everywhere(new))
    index.table(graph)
    assert index.redone == 2 < everyone
    assert _same(index.table(graph), ConcernIndex().table(graph))


def test_a_row_moved_back_in_time_and_a_relinked_person_equal_a_rebuild(tmp_path: Path) -> None:
    batches, ids = _steps(tmp_path)
    graph, index = NetworkGraph(), ConcernIndex()
    for batch in batches:
        graph.add_mentions(batch, ids)
    index.table(graph)
    # The latest record's rows replaced by an older version: the latest date moves back.
    older = read_rows(
        tmp_path, [{**r, "record_date": "2025-01-01"} for r in _later_record()], "older.csv"
    )
    graph.add_mentions(older, ids)
    assert _same(index.table(graph), ConcernIndex().table(graph))
    # Identity resolution merges M3 into ORG: M3's rows now belong to ORG.
    m3 = [m for m in graph_mentions(batches) if m.person_key[1] == "M3"]
    graph.add_mentions(m3, {**ids, **{m.person_key: "ORG" for m in m3}})
    table = index.table(graph)
    assert "M3" not in table.person_ids
    assert _same(table, ConcernIndex().table(graph))
    assert analyse(graph, index=index) == analyse(graph)


def graph_mentions(batches: list[list[Mention]]) -> list[Mention]:
    return [m for batch in batches for m in batch]


def test_an_index_serves_one_viewer(tmp_path: Path) -> None:
    mentions = read_rows(tmp_path, planted_group())
    graph = build_graph(mentions, same_person_everywhere(mentions))
    with pytest.raises(ValueError, match="viewer"):
        analyse(graph, viewer="POL-A", index=ConcernIndex(""))


@pytest.mark.parametrize(
    "module",
    [
        "safehub.network.people",
        "safehub.network.concern",
        "safehub.network.concern_index",
        "safehub.network.graph",
        "safehub.network.keys",
    ],
)
def test_the_examples_in_the_docstrings_hold(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0 and result.attempted > 0


def test_a_car_becoming_a_firm_s_car_drops_its_licence_rows_as_a_rebuild_does(
    tmp_path: Path,
) -> None:
    # M3's licence names the group's car: his car, until a second driver's licence names it too
    # (a taxi firm's car); then no licence puts M3 in it. Only DRV1 is redone, yet M3's rows
    # change: the index must give the table a rebuild gives.
    car = {"vehicle_registration": "YX17 ABC"}
    licence = row("LIC1", "M3", "licence_holder", agency="LIC-A", dob="1985-02-02", **car)
    first = [*planted_group(), licence]
    second = [row("LIC2", "DRV1", "licence_holder", agency="LIC-A", dob="1980-01-01", **car)]
    batches = [read_rows(tmp_path, r, f"lic{i}.csv") for i, r in enumerate((first, second))]
    ids = same_person_everywhere([m for batch in batches for m in batch])
    graph, index = NetworkGraph(), ConcernIndex()
    graph.add_mentions(batches[0], ids)
    before = index.table(graph)
    graph.add_mentions(batches[1], ids)
    after = index.table(graph)
    assert _same(after, ConcernIndex().table(graph))
    assert index.redone == 1
    licensed = [t.context_licensed[t.contexts.index("vehicle:YX17ABC")] for t in (before, after)]
    assert licensed == [1, 2]
    assert len(after.row_person) == len(before.row_person) - 1  # M3's licence row of the car
