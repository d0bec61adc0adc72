"""A child-centred view for the child's case team: who and what is linked to this child.

A child at the centre of many adults is at heightened risk: this view says so with its reasons,
and is the only place such a child is surfaced (children are never ranked as key people).
"""

from __future__ import annotations

from safehub.network import keys
from safehub.network.analysis import NetworkAnalysis
from safehub.network.graph import NetworkGraph, shown_to
from safehub.network.model import ChildView, LinkedAdult, MentionFact, RecordKey
from safehub.network.people import CONCERN, mention_class

HEIGHTENED_ADULTS = 3  # adults of concern linked to one child that make the risk heightened


def child_view(graph: NetworkGraph, analysis: NetworkAnalysis, person_id: str) -> ChildView:
    """The adults, places, vehicles and other children linked to one child.

    >>> from safehub.network.analysis import analyse
    >>> empty = NetworkGraph()
    >>> child_view(empty, analyse(empty), "C1").adults
    ()
    """
    own = [m for m in graph.person_mentions(person_id) if shown_to(m, analysis.viewer)]
    adults = _adults_in_records(graph, analysis, own)
    for adult, children in analysis.children_of.items():
        if person_id in children:
            adults.setdefault(adult, ([], []))
    linked = tuple(
        LinkedAdult(
            person_id=adult,
            roles=tuple(sorted(set(roles))),
            records=tuple(sorted(set(records))),
            other_children=_others(analysis, adult, person_id),
        )
        for adult, (roles, records) in sorted(adults.items())
    )
    others = tuple(sorted({c for a in linked for c in a.other_children}))
    groups = tuple(g.group_id for g in analysis.groups_of(person_id))
    return ChildView(
        person_id=person_id,
        adults=linked,
        places=_record_nodes(graph, own, keys.PLACE_KIND),
        vehicles=_vehicles(graph, own, analysis.viewer),
        other_children=others,
        groups=groups,
        heightened_risk=len(linked) >= HEIGHTENED_ADULTS or bool(groups) or len(others) >= 2,
        reasons=_reasons(linked, others, groups),
    )


def _adults_in_records(
    graph: NetworkGraph, analysis: NetworkAnalysis, own: list[MentionFact]
) -> dict[str, tuple[list[str], list[RecordKey]]]:
    found: dict[str, tuple[list[str], list[RecordKey]]] = {}
    for mention in own:
        for other in graph.record_mentions(mention.record_key):
            person = analysis.people.get(other.person_id)
            dob = other.date_of_birth or (person.date_of_birth if person else None)
            if other.person_id == mention.person_id or not shown_to(other, analysis.viewer):
                continue
            if mention_class(other, dob, False) == CONCERN:
                roles, records = found.setdefault(other.person_id, ([], []))
                roles.append(other.role)
                records.append(other.record_key)
    return found


def _others(analysis: NetworkAnalysis, adult: str, child: str) -> tuple[str, ...]:
    return tuple(c for c in analysis.children_of.get(adult, ()) if c != child)


def _record_nodes(graph: NetworkGraph, own: list[MentionFact], kind: str) -> tuple[str, ...]:
    places = {graph.records[m.record_key].place for m in own}
    return tuple(sorted(p for p in places if p and keys.node_kind(p) == kind))


def _vehicles(graph: NetworkGraph, own: list[MentionFact], viewer: str) -> tuple[str, ...]:
    """Vehicles on the child's own rows or on anyone's row in the child's records (not a
    restricted person's: their car would point to them)."""
    found = {i for m in own for i in m.identifiers if keys.node_kind(i) == "vehicle"}
    for mention in own:
        for other in graph.record_mentions(mention.record_key):
            if shown_to(other, viewer):
                found.update(i for i in other.identifiers if keys.node_kind(i) == "vehicle")
    return tuple(sorted(found))


def _reasons(
    adults: tuple[LinkedAdult, ...], others: tuple[str, ...], groups: tuple[str, ...]
) -> tuple[str, ...]:
    reasons: list[str] = []
    if len(adults) >= HEIGHTENED_ADULTS:
        reasons.append(f"linked to {len(adults)} adults of concern")
    if len(others) >= 2:
        reasons.append(
            f"the adults linked to this child are linked to {len(others)} other children"
        )
    if groups:
        reasons.append(f"a victim in candidate group {', '.join(groups)}")
    return tuple(reasons)
