"""Candidate groups: adults of concern bound to the same child victims, vehicles, phones or places.

Units are the connected components of the strong-link graph (``links.py``). A component is cut along
its Leiden communities when two or more of them meet the rule on their own (one record naming a
suspect of one group with a victim of another should not weld two groups into one), or when it is
larger than ``MAX_GROUP_SIZE``. A unit is a group when two or more of its adults of concern are linked to
child victims (docs/contracts.md: the exploitation rule) and they are bound together by the same child
within a time window, or by a shared vehicle, phone, handle, email or licence (the networks issue:
"connected to the same child victims, places or vehicles within a time window"). Two adults merely
named in one intelligence report, each with an unrelated child, are not a group. Nor is one car
seen several times: people the records know only as a sighting of a phone or car count once
between them (``sighting_alias``).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkit as nk
import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from safehub.network import nkutil, weights
from safehub.network.concern import KIND_CODE, ConcernTable
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
    # Of ``bonds``, those through a child: a, b (adults, a < b) and child, one row per child.
    child_bonds: pd.DataFrame


@dataclass(frozen=True)
class GroupDraft:
    """A group found by the rule, as person indices: adults (linked or tied to them), children."""

    unit: int
    adults: tuple[int, ...]
    children: tuple[int, ...]
    # Adults in the group only through direct ties to two or more of its core (bound) members.
    joined: tuple[int, ...] = ()


def network_structure(n: int, links: Links, seed: int) -> Structure:
    edges = _undirected(links.strong)
    graph = _graph(n, edges)
    adult_edges, bonds, child_bonds = _adult_edges(links)
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
        child_bonds=child_bonds,
    )


def _graph(n: int, edges: pd.DataFrame) -> nk.Graph:
    return nkutil.undirected_graph(
        n, edges["a"].to_numpy(), edges["b"].to_numpy(), edges["weight"].to_numpy()
    )


def _adult_edges(links: Links) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
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
    child_bonds = both[close][["a1", "a2", "b"]].set_axis(["a", "b", "child"], axis=1)
    child_bonds = child_bonds.drop_duplicates().reset_index(drop=True)
    shared = child_bonds[["a", "b"]].drop_duplicates()
    shared["weight"] = weights.LINK_THRESHOLD
    pairs = links.pairs
    ident = pairs[(pairs["combo"] == "AA") & pairs["kind"].isin(IDENTIFIER_KINDS)]
    ident = ident[ident["weight"] >= weights.LINK_THRESHOLD][["a", "b", "weight"]]
    bonds = _undirected(pd.concat([shared, ident], ignore_index=True))
    return _undirected(pd.concat([aa, shared], ignore_index=True)), bonds, child_bonds


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


def members_of_substance(
    adults: IntArray,
    ac: pd.DataFrame,
    bonds: pd.DataFrame,
    structure: Structure,
    alias: IntArray | None = None,
) -> tuple[IntArray, IntArray]:
    """The adults of a unit that belong in its group, and of them its core.

    The core: adults bound together (a child linked to both within the time window, or a phone,
    car, licence, handle or email they share) into a set where two or more are linked to child
    victims and something more than one child holds them (``_holds_together``); and the adults
    linked to a child of the core. Two men bound only to each other, with no child, are not a
    core. Beyond the core, an adult belongs only when tied directly to two or more core members.
    Ties to each other do not count: a crew of everyday co-offenders named in one intelligence
    report beside one member (each then "tied to two" through one another) is that member's
    associates, not the group's; nor is a man linked to a child of his own whom no member is
    linked to, tied to one member by one report.

    ``ac``: the unit's strong adult–child links; ``bonds``: its bound pairs; ``alias``: who each
    adult counts as when adults linked to children are counted (``sighting_alias``; by default
    everyone is themselves)."""
    inside = set(adults.tolist())
    children_of: dict[int, set[int]] = {}
    for a, c in zip(ac["a"].to_numpy(), ac["b"].to_numpy(), strict=True):
        if int(a) in inside:
            children_of.setdefault(int(a), set()).add(int(c))
    bound: set[int] = set()
    for members in _bond_sets(bonds, inside):
        linked = [p for p in members if p in children_of]
        if distinct_adults(linked, alias) >= MIN_ADULTS and _holds_together(
            members, bonds, structure
        ):
            bound |= members
    group_children = set().union(*(children_of.get(p, set()) for p in bound))
    core = bound | {p for p, kids in children_of.items() if kids & group_children}
    partners: dict[int, set[int]] = {}
    edges = structure.adult_edges
    for a, b in zip(edges["a"].to_numpy(), edges["b"].to_numpy(), strict=True):
        a, b = int(a), int(b)
        if a in inside and b in inside:
            if b in core:
                partners.setdefault(a, set()).add(b)
            if a in core:
                partners.setdefault(b, set()).add(a)
    keep = core | {p for p, q in partners.items() if len(q) >= 2}
    return np.array(sorted(keep), dtype=np.int64), np.array(sorted(core), dtype=np.int64)


def distinct_adults(people: IntArray | list[int], alias: IntArray | None) -> int:
    """How many adults ``people`` are, sightings of one phone or car counted once."""
    found = np.asarray(people, dtype=np.int64)
    return len(np.unique(found if alias is None else alias[found]))


def sighting_alias(table: ConcernTable) -> IntArray:
    """Per person, who they count as among adults linked to children: themselves, except that
    sightings sharing a phone, car, licence, handle or email count as one (the smallest of them).

    A sighting is a person with no name on any row, whom the records know from one record alone
    and with no home address: a car at the school gates or outside a takeaway, or a phone on a
    missing child's return interview, with no name to tell one driver from the next (linkage
    cannot join a nameless row to anyone, so each stays a person of its own). Three such rows of
    one car are that car seen three times, not three adults, and a group needs two or more
    adults linked to child victims. They stay members of a group that stands on other adults;
    they do not make one. A named adult (``ConcernTable.named``), even one seen once with no
    address, or anyone recorded in two records or at an address, counts as himself.
    """
    n = len(table.person_ids)
    kind = table.context_kind[table.row_context]
    person, context = table.row_person, table.row_context
    records = np.zeros(n, dtype=np.int64)
    is_record = kind == KIND_CODE["record"]
    pairs = np.unique(np.stack([person[is_record], context[is_record]]), axis=1)
    np.add.at(records, pairs[0], 1)
    housed = np.zeros(n, dtype=np.bool_)
    housed[person[kind == KIND_CODE["address"]]] = True
    sighting = (records == 1) & ~housed & table.concern & ~table.named
    codes = [KIND_CODE[k] for k in IDENTIFIER_KINDS]
    held = np.isin(kind, codes) & sighting[person]
    alias = np.arange(n, dtype=np.int64)
    if not held.any():
        return alias
    # Components of the sightings and their identifiers: identifier j is node n + j.
    who, what = person[held], n + context[held]
    size = n + len(table.contexts)
    graph = coo_matrix((np.ones(len(who)), (who, what)), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
    seen = np.flatnonzero(sighting)
    first = pd.Series(seen).groupby(labels[seen]).transform("min").to_numpy()
    alias[seen] = first
    return alias


def _bond_sets(bonds: pd.DataFrame, inside: set[int]) -> list[set[int]]:
    """The sets of adults bound to one another, directly or through others (only the bonds
    between adults ``inside``; an adult with no such bond is in no set)."""
    a, b = bonds["a"].to_numpy(), bonds["b"].to_numpy()
    both = np.isin(a, list(inside)) & np.isin(b, list(inside))
    people, index = np.unique(np.concatenate([a[both], b[both]]), return_inverse=True)
    if len(people) == 0:
        return []
    n, left, right = len(people), index[: both.sum()], index[both.sum() :]
    graph = coo_matrix((np.ones(len(left)), (left, right)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    sets: dict[int, set[int]] = {}
    for person, label in zip(people.tolist(), labels.tolist(), strict=True):
        sets.setdefault(label, set()).add(int(person))
    return list(sets.values())


def _holds_together(members: set[int], bonds: pd.DataFrame, structure: Structure) -> bool:
    """Whether more than one child holds a bound set together: a phone, car, licence, handle or
    email two of them share, two of them named together in a record, or two or more children
    each linked to two of them in the window. Two men each reported once for an offence against
    the same child, never named together and sharing nothing else, are two risks to that child
    (her case team sees both: ``childview.py``), not on that alone a group."""
    a, b = bonds["a"].to_numpy(), bonds["b"].to_numpy()
    inner = np.isin(a, list(members)) & np.isin(b, list(members))
    pairs = set(zip(a[inner].tolist(), b[inner].tolist(), strict=True))
    cb = structure.child_bonds
    mine = cb[cb["a"].isin(members) & cb["b"].isin(members)]
    if mine["child"].nunique() >= 2:
        return True
    through_child = set(zip(mine["a"].tolist(), mine["b"].tolist(), strict=True))
    if pairs - through_child:
        return True  # an identifier bond
    edges = structure.adult_edges
    tied = edges[edges["a"].isin(members) & edges["b"].isin(members)]
    # adult_edges holds the shared-child pairs too (at LINK_THRESHOLD): a tie beyond them is
    # a record naming both.
    direct = set(zip(tied["a"].tolist(), tied["b"].tolist(), strict=True)) - through_child
    aa_weight = tied.set_index(["a", "b"])["weight"]
    return bool(direct) or any(
        aa_weight.get(pair, 0.0) > weights.LINK_THRESHOLD for pair in through_child
    )


def rule_groups(table: ConcernTable, links: Links, structure: Structure) -> list[GroupDraft]:
    """The units that meet the exploitation rule, in order of their smallest member: two or more
    of the group's members (``members_of_substance``) linked to child victims, sightings of one
    phone or car counted once (``sighting_alias``), at least one pair of them bound by a shared
    child in the window or a shared identifier."""
    unit = structure.unit
    ac = links.strong[links.strong["combo"] == "AC"]
    ac = ac[unit[ac["a"].to_numpy()] >= 0]
    bonds = structure.bonds
    ua, ub = unit[bonds["a"].to_numpy()], unit[bonds["b"].to_numpy()]
    inner = bonds[(ua == ub) & (ua >= 0)]
    bonds_of = dict(tuple(inner.groupby(unit[inner["a"].to_numpy()])))
    alias = sighting_alias(table)
    drafts: list[GroupDraft] = []
    for unit_id, frame in ac.groupby(unit[ac["a"].to_numpy()]):
        if unit_id not in bonds_of:
            continue
        all_children = np.unique(frame["b"].to_numpy())
        adults = np.setdiff1d(np.flatnonzero(unit == unit_id), all_children)
        adults, core = members_of_substance(adults, frame, bonds_of[unit_id], structure, alias)
        mine = frame[np.isin(frame["a"].to_numpy(), adults)]
        linked = np.unique(mine["a"].to_numpy())
        if distinct_adults(linked, alias) < MIN_ADULTS or len(core) < MIN_ADULTS:
            continue
        drafts.append(
            GroupDraft(
                unit=int(unit_id),
                adults=tuple(int(p) for p in adults),
                children=tuple(int(c) for c in np.unique(mine["b"].to_numpy())),
                joined=tuple(int(p) for p in np.setdiff1d(adults, core)),
            )
        )
    return drafts
