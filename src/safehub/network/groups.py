"""Candidate groups: adults of concern bound to the same child victims, vehicles, phones or places.

Units are the connected components of the strong-link graph (``links.py``). A component is cut along
its Leiden communities when two or more of them meet the rule on their own (one record naming a
suspect of one group with a victim of another should not weld two groups into one), or when it is
larger than ``MAX_GROUP_SIZE``. A unit is a group when two or more of its adults of concern are linked to
child victims (docs/contracts.md: the exploitation rule) and they are bound together by the same child
within a time window, or by a shared vehicle, phone, handle, email or licence (the networks issue:
"connected to the same child victims, places or vehicles within a time window"). Two adults merely
named in one intelligence report, each with an unrelated child, are not a group.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkit as nk
import numpy as np
import pandas as pd

from safehub.network import nkutil, weights
from safehub.network.concern import ConcernTable
from safehub.network.links import IDENTIFIER_KINDS, Links

MAX_GROUP_SIZE = 50
# A child linked to more adults than this is at the centre of a crowd (reported to their case
# team as at heightened risk); those adults are not bonded pairwise through that child alone.
MAX_ADULTS_PER_SHARED_CHILD = 50
MIN_ADULTS = 2

IntArray = nkutil.IntArray


@dataclass(frozen=True)
class Structure:
    """The strong-link graph of adults of concern and child victims, and the candidate units.

    Per person (index into ``ConcernTable.person_ids``): ``component``, ``community`` and ``core``
    in the strong-link graph; ``unit``, the candidate group of an adult of concern (-1 for children
    and unlinked people). ``edges``: strong links as undirected pairs a < b with summed weight;
    ``adult_edges``: the links between adults that make units (named together, sharing an
    identifier, or linked to the same child within ``SHARED_CHILD_WINDOW_DAYS``).
    """

    component: IntArray
    community: IntArray
    unit: IntArray
    core: IntArray
    edges: pd.DataFrame
    adult_edges: pd.DataFrame
    bonds: pd.DataFrame  # adult pairs bound by a shared child in the window or a shared identifier


@dataclass(frozen=True)
class GroupDraft:
    """A group found by the rule, as person indices: adults (linked or tied to them), children."""

    unit: int
    adults: tuple[int, ...]
    children: tuple[int, ...]


def network_structure(n: int, links: Links, seed: int) -> Structure:
    edges = _undirected(links.strong)
    graph = _graph(n, edges)
    adult_edges, bonds = _adult_edges(links)
    adult_graph = _graph(n, adult_edges)
    adult_component = nkutil.components(adult_graph)
    # Communities of the full strong graph (children included): the children a set of adults
    # share is what sets one group apart from the next; the adults' graph alone blurs that.
    community = nkutil.communities(graph, seed)
    touched = np.zeros(n, dtype=np.bool_)
    touched[adult_edges["a"].to_numpy()] = True
    touched[adult_edges["b"].to_numpy()] = True
    ac = links.strong[links.strong["combo"] == "AC"]
    touched[ac["a"].to_numpy()] = True
    split = _split_components(ac, adult_component, community)
    return Structure(
        component=nkutil.components(graph),
        community=community,
        unit=_units(adult_component, community, touched, split),
        core=nkutil.core_numbers(graph),
        edges=edges,
        adult_edges=adult_edges,
        bonds=bonds,
    )


def _graph(n: int, edges: pd.DataFrame) -> nk.Graph:
    return nkutil.undirected_graph(
        n, edges["a"].to_numpy(), edges["b"].to_numpy(), edges["weight"].to_numpy()
    )


def _adult_edges(links: Links) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Adults tied directly, or through the same child within the time window; and the bonds."""
    strong = links.strong
    aa = strong[strong["combo"] == "AA"][["a", "b", "weight"]]
    ac_keys = strong[strong["combo"] == "AC"][["a", "b"]]
    seen = links.pairs[links.pairs["combo"] == "AC"].merge(ac_keys, on=["a", "b"])
    # One interval per adult and child keeps the self-join small: k adults of a child give k^2.
    spans = seen.groupby(["a", "b"], as_index=False).agg(first=("day", "min"), last=("day", "max"))
    adults_per_child = spans.groupby("b")["a"].transform("size")
    spans = spans[adults_per_child <= MAX_ADULTS_PER_SHARED_CHILD]
    both = spans.merge(spans, on="b", suffixes=("1", "2"))
    gap = np.maximum(both["first1"], both["first2"]) - np.minimum(both["last1"], both["last2"])
    close = (both["a1"] < both["a2"]) & (gap <= weights.SHARED_CHILD_WINDOW_DAYS)
    shared = both[close][["a1", "a2"]].drop_duplicates().set_axis(["a", "b"], axis=1)
    shared["weight"] = weights.LINK_THRESHOLD
    pairs = links.pairs
    ident = pairs[(pairs["combo"] == "AA") & pairs["kind"].isin(IDENTIFIER_KINDS)]
    ident = ident[ident["weight"] >= weights.LINK_THRESHOLD][["a", "b", "weight"]]
    bonds = _undirected(pd.concat([shared, ident], ignore_index=True))
    return _undirected(pd.concat([aa, shared], ignore_index=True)), bonds


def _undirected(strong: pd.DataFrame) -> pd.DataFrame:
    a = np.minimum(strong["a"].to_numpy(), strong["b"].to_numpy())
    b = np.maximum(strong["a"].to_numpy(), strong["b"].to_numpy())
    frame = pd.DataFrame({"a": a, "b": b, "weight": strong["weight"].to_numpy()})
    summed: pd.DataFrame = frame.groupby(["a", "b"], as_index=False).agg(weight=("weight", "sum"))
    return summed


def _split_components(ac: pd.DataFrame, component: IntArray, community: IntArray) -> IntArray:
    """Components holding two or more communities that each meet the rule on their own."""
    a = ac["a"].to_numpy()
    cells = pd.DataFrame({"component": component[a], "community": community[a], "adult": a})
    adults = cells.groupby(["component", "community"])["adult"].nunique()
    qualifying = adults[adults >= MIN_ADULTS].reset_index()
    per_component = qualifying.groupby("component").size()
    return np.asarray(per_component[per_component >= 2].index, dtype=np.int64)


def _units(
    component: IntArray, community: IntArray, touched: nkutil.BoolArray, split: IntArray
) -> IntArray:
    """Components, cut along communities where needed; numbered by their smallest member."""
    big = (np.bincount(component)[component] > MAX_GROUP_SIZE) | np.isin(component, split)
    people = np.flatnonzero(touched)
    frame = pd.DataFrame(
        {
            "person": people,
            "component": component[people],
            "community": np.where(big, community, -1)[people],
        }
    )
    first = frame.groupby(["component", "community"])["person"].transform("min")
    # Unit id = rank of the smallest member, so ids do not depend on community numbering.
    unit = np.full(len(component), -1, dtype=np.int64)
    unit[people] = first.rank(method="dense").to_numpy().astype(np.int64) - 1
    return unit


def members_of_substance(adults: IntArray, linked: IntArray, structure: Structure) -> IntArray:
    """The adults of a unit that belong in its group: linked to its children, bound to another
    member by a shared child or identifier, or tied to two or more members. A man named once
    beside one member in an unrelated report (an everyday co-offender) is that member's
    associate, not the group's."""
    inside = set(adults.tolist())
    bonds = structure.bonds
    bound = {
        int(p)
        for a, b in zip(bonds["a"].to_numpy(), bonds["b"].to_numpy(), strict=True)
        if int(a) in inside and int(b) in inside
        for p in (a, b)
    }
    edges = structure.adult_edges
    partners: dict[int, set[int]] = {}
    for a, b in zip(edges["a"].to_numpy(), edges["b"].to_numpy(), strict=True):
        if int(a) in inside and int(b) in inside:
            partners.setdefault(int(a), set()).add(int(b))
            partners.setdefault(int(b), set()).add(int(a))
    keep = set(linked.tolist()) | bound | {p for p, q in partners.items() if len(q) >= 2}
    return np.array(sorted(keep), dtype=np.int64)


def rule_groups(table: ConcernTable, links: Links, structure: Structure) -> list[GroupDraft]:
    """The units that meet the exploitation rule, in order of their smallest member."""
    unit = structure.unit
    ac = links.strong[links.strong["combo"] == "AC"]
    ac = ac[unit[ac["a"].to_numpy()] >= 0]
    bonds = structure.bonds
    bonded = set(
        unit[bonds["a"].to_numpy()][
            unit[bonds["a"].to_numpy()] == unit[bonds["b"].to_numpy()]
        ].tolist()
    )
    drafts: list[GroupDraft] = []
    for unit_id, frame in ac.groupby(unit[ac["a"].to_numpy()]):
        linked = np.unique(frame["a"].to_numpy())
        if len(linked) < MIN_ADULTS or unit_id not in bonded:
            continue
        children = np.unique(frame["b"].to_numpy())
        adults = np.setdiff1d(np.flatnonzero(unit == unit_id), children)
        adults = adults[np.isin(adults, members_of_substance(adults, linked, structure))]
        drafts.append(
            GroupDraft(
                unit=int(unit_id),
                adults=tuple(int(p) for p in adults),
                children=tuple(int(c) for c in children),
            )
        )
    return drafts
