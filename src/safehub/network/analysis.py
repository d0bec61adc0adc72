"""The whole analysis in one call: groups by the rule, communities, k-cores and key people.

>>> from safehub.network.graph import NetworkGraph
>>> result = analyse(NetworkGraph())
>>> result.groups, result.key_people
((), ())
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta

import numpy as np
import pandas as pd

from safehub.network import weights
from safehub.network.codes import group_codes
from safehub.network.concern import EPOCH, ConcernTable
from safehub.network.concern_index import ConcernIndex
from safehub.network.graph import NetworkGraph
from safehub.network.groups import GroupDraft, Structure, network_structure, rule_groups
from safehub.network.links import IDENTIFIER_KINDS, Links, person_links
from safehub.network.model import Group, GroupMember, KeyPerson
from safehub.network.people import PersonClass
from safehub.network.ranking import Measures, measure_people, rank_key_people, score_people

DEFAULT_SEED = 20_251_126


@dataclass(frozen=True)
class TableAnalysis:
    """Results on a concern table, by person index (what the benchmark measures at scale)."""

    table: ConcernTable
    links: Links
    structure: Structure
    groups: tuple[Group, ...]
    measures: Measures
    key_people: tuple[KeyPerson, ...]


@dataclass(frozen=True)
class NetworkAnalysis:
    """Groups, key people and the structure behind them, by person id."""

    people: dict[str, PersonClass]
    groups: tuple[Group, ...]
    key_people: tuple[KeyPerson, ...]
    communities: dict[str, int]  # person id -> community, for people with a strong link
    core_numbers: dict[str, int]
    children_of: dict[str, tuple[str, ...]]  # adult of concern -> child victims strongly linked
    # The agency the analysis is for ("" = the partnership: what may leave every agency), and
    # the (agency_code, person_ref) whose restricted rows were left out for it.
    viewer: str = ""
    hidden_refs: frozenset[tuple[str, str]] = frozenset()

    def group_members(self) -> dict[str, tuple[str, ...]]:
        """Code -> member person ids: what the next run's ``previous`` needs."""
        return {g.group_id: g.person_ids for g in self.groups}

    def group(self, group_id: str) -> Group:
        return next(g for g in self.groups if g.group_id == group_id)

    def groups_of(self, person_id: str) -> list[Group]:
        return [g for g in self.groups if person_id in g.person_ids]


def analyse(
    graph: NetworkGraph,
    *,
    seed: int = DEFAULT_SEED,
    viewer: str = "",
    previous: Mapping[str, Collection[str]] | None = None,
    index: ConcernIndex | None = None,
) -> NetworkAnalysis:
    """Analyse a graph; the same graph and seed always give the same result.

    Rows restricted by an agency other than ``viewer`` (an agency code) are left out: with no
    viewer, the analysis is one that may leave every agency (files, the partnership's results).
    ``previous`` (group code -> member person ids of the last run) keeps group codes stable.
    ``index``: the viewer's concern index kept beside this graph since the last analysis, so
    that only the people changed since are redone (the result is the same without it).
    """
    if index is None:
        index = ConcernIndex(viewer)
    elif index.viewer != viewer:
        raise ValueError(f"the concern index is for viewer {index.viewer!r}, not {viewer!r}")
    table = index.table(graph)
    people = index.people(graph)
    result = analyse_table(table, seed=seed, previous=previous)
    table, structure = result.table, result.structure
    linked = np.unique(structure.edges[["a", "b"]].to_numpy())
    return NetworkAnalysis(
        people=people,
        groups=result.groups,
        key_people=result.key_people,
        communities={table.person_ids[p]: int(structure.community[p]) for p in linked},
        core_numbers={table.person_ids[p]: int(structure.core[p]) for p in linked},
        children_of=_children_of(table, result.links),
        viewer=viewer,
        hidden_refs=frozenset(graph.hidden_refs(viewer)),
    )


def analyse_table(
    table: ConcernTable,
    *,
    seed: int = DEFAULT_SEED,
    previous: Mapping[str, Collection[str]] | None = None,
) -> TableAnalysis:
    """The analysis of a concern table; ``previous`` (code -> member person ids, the last run's
    groups) keeps the codes of groups that are essentially the same (``codes.py``)."""
    links = person_links(table)
    structure = network_structure(len(table.person_ids), links, seed)
    drafts = rule_groups(table, links, structure)
    ids = table.person_ids
    codes = group_codes([[ids[p] for p in (*d.adults, *d.children)] for d in drafts], previous)
    group_ids = {
        p: code for d, code in zip(drafts, codes, strict=True) for p in (*d.adults, *d.children)
    }
    measures = measure_people(table, links, structure, group_ids, seed)
    score = score_people(table, measures)
    evidence = _evidence(table, links, drafts)
    groups = tuple(
        replace(
            _group(code, d, table, score, evidence.get(i), measures.organises),
            grounds=group_grounds(d, table, links),
        )
        for i, (d, code) in enumerate(zip(drafts, codes, strict=True))
    )
    return TableAnalysis(
        table=table,
        links=links,
        structure=structure,
        groups=groups,
        measures=measures,
        key_people=tuple(rank_key_people(table, measures)),
    )


def _group(
    group_id: str,
    draft: GroupDraft,
    table: ConcernTable,
    score: np.ndarray,
    evidence: pd.DataFrame | None,
    organises: dict[int, str],
) -> Group:
    chosen = [p for p in draft.adults if organises.get(p) == group_id]
    organiser = (
        chosen[0] if chosen else min(draft.adults, key=lambda p: (-score[p], table.person_ids[p]))
    )
    members = [
        GroupMember(table.person_ids[p], _adult_role(p, organiser, table)) for p in draft.adults
    ]
    members += [GroupMember(table.person_ids[c], "victim") for c in draft.children]
    members.sort(key=lambda m: m.person_id)
    contexts = [] if evidence is None else sorted(set(evidence["context"].tolist()))
    names = [table.contexts[c] for c in contexts]
    records = [n.split(":", 1)[1].split("/", 1) for n in names if n.startswith("record:")]
    days = evidence["day"].to_numpy() if evidence is not None else np.zeros(0, dtype=np.int64)
    return Group(
        group_id=group_id,
        members=tuple(members),
        records=tuple((a, r) for a, r in records),
        shared_identifiers=tuple(n for n in names if not n.startswith("record:")),
        agencies=tuple(sorted({table.context_agency[c] for c in contexts} - {""})),
        areas=tuple(sorted({table.context_area[c] for c in contexts} - {""})),
        first_date=EPOCH + timedelta(days=int(days.min())) if len(days) else EPOCH,
        last_date=EPOCH + timedelta(days=int(days.max())) if len(days) else EPOCH,
    )


def group_grounds(draft: GroupDraft, table: ConcernTable, links: Links) -> tuple[str, ...]:
    """Why a group is one, in sentences an analyst can check against the records: the rule, each
    child linked to two or more of its adults, each identifier two or more of them share, and
    the adults who are in it only through ties to its bound members."""
    ids = table.person_ids
    adults, children = set(draft.adults), set(draft.children)
    strong = links.strong
    ac = strong[(strong["combo"] == "AC") & strong["a"].isin(adults) & strong["b"].isin(children)]
    linked = ac["a"].nunique()
    grounds = [
        f"rule: {linked} adults of concern linked to child victims "
        f"({len(children)} {'child' if len(children) == 1 else 'children'}), bound together "
        "by a phone, vehicle, licence, handle or email they share, a record naming two of them, "
        f"or children each linked to two of them within {weights.SHARED_CHILD_WINDOW_DAYS} days"
    ]
    adults_of: dict[int, list[str]] = {}
    for a, c in zip(ac["a"].to_numpy(), ac["b"].to_numpy(), strict=True):
        adults_of.setdefault(int(c), []).append(ids[int(a)])
    grounds += [
        f"child {ids[c]} linked to {', '.join(sorted(names))}"
        for c, names in sorted(adults_of.items())
        if len(names) >= 2
    ]
    pairs = links.pairs
    shared = pairs[
        (pairs["combo"] == "AA")
        & pairs["kind"].isin(IDENTIFIER_KINDS)
        & (pairs["weight"] >= weights.LINK_THRESHOLD)
        & pairs["a"].isin(adults)
        & pairs["b"].isin(adults)
    ]
    holders: dict[int, set[str]] = {}
    for a, b, c in zip(*(shared[k].to_numpy() for k in ("a", "b", "context")), strict=True):
        holders.setdefault(int(c), set()).update((ids[int(a)], ids[int(b)]))
    grounds += [
        f"{table.contexts[c]} shared by {', '.join(sorted(people))}"
        for c, people in sorted(holders.items())
    ]
    grounds += [
        f"{ids[p]} is in it through direct ties to two or more of its bound members"
        for p in draft.joined
    ]
    return tuple(grounds)


def _adult_role(p: int, organiser: int, table: ConcernTable) -> str:
    if p == organiser:
        return "organiser"
    return "suspect" if table.suspect[p] else "associate"


def _evidence(
    table: ConcernTable, links: Links, drafts: list[GroupDraft]
) -> dict[int, pd.DataFrame]:
    """The pairs inside each group: which records and identifiers bind its members."""
    group_of = np.full(len(table.person_ids), -1, dtype=np.int64)
    for i, draft in enumerate(drafts):
        group_of[list(draft.adults) + list(draft.children)] = i
    pairs = links.pairs[links.pairs["weight"] > 0]
    ga, gb = group_of[pairs["a"].to_numpy()], group_of[pairs["b"].to_numpy()]
    inside = pairs[(ga == gb) & (ga >= 0)]
    return {int(g): frame for g, frame in inside.groupby(ga[(ga == gb) & (ga >= 0)])}


def _children_of(table: ConcernTable, links: Links) -> dict[str, tuple[str, ...]]:
    ac = links.strong[links.strong["combo"] == "AC"]
    found: dict[str, list[str]] = {}
    for a, b in zip(ac["a"].to_numpy(), ac["b"].to_numpy(), strict=True):
        found.setdefault(table.person_ids[a], []).append(table.person_ids[b])
    return {a: tuple(sorted(c)) for a, c in sorted(found.items())}
