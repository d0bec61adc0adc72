"""Alerts when a new record touches what is already known. Pure functions: delivery is elsewhere.

Three rules, each alert with its reasons:

- ``known_group``: the record names a member of a candidate group, or a vehicle, phone, handle,
  licence or place that binds a group.
- ``adult_linked_to_other_children``: a child victim in the record is linked to an adult of
  concern already linked to other child victims (to the child's case team).
- ``licence_holder_of_concern``: a taxi or private-hire licence holder appears as suspect or
  associate in an exploitation record, in any area (to the police disclosure decision, not straight
  to the licensing authority: architecture.md), or a licence record names someone already recorded
  so.

Call them *before* ``graph.add_mentions`` for the same record, against the last analysis.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from safehub.extracts.codes import CONCERN_ROLES
from safehub.extracts.model import Mention
from safehub.network import keys
from safehub.network.analysis import NetworkAnalysis
from safehub.network.concern import record_points_to_exploitation
from safehub.network.graph import NetworkGraph
from safehub.network.model import Alert, MentionFact, RecordKey
from safehub.network.people import (
    CHILD_VICTIM,
    CONCERN,
    PersonClass,
    mention_class,
    points_to_exploitation,
)

EXPLOITATION_RECORD_TYPES = frozenset({"crime_report", "intelligence", "missing_episode"})


@dataclass(frozen=True)
class AlertIndex:
    """What the alert rules look up, built once per analysis: node key -> group ids."""

    groups_by_node: dict[str, tuple[str, ...]]

    @classmethod
    def build(cls, graph: NetworkGraph, analysis: NetworkAnalysis) -> AlertIndex:
        found: dict[str, set[str]] = {}
        for group in analysis.groups:
            for person in group.person_ids:
                found.setdefault(keys.person_node(person), set()).add(group.group_id)
            for node in group.shared_identifiers:
                found.setdefault(node, set()).add(group.group_id)
        return cls({n: tuple(sorted(g)) for n, g in found.items()})


def alerts_for_record(
    graph: NetworkGraph,
    analysis: NetworkAnalysis,
    mentions: Iterable[Mention],
    person_ids: Mapping[tuple[str, str], str],
    index: AlertIndex | None = None,
) -> list[Alert]:
    """Alerts raised by new rows (one or more records), in a stable order.

    Build ``index`` once with ``AlertIndex.build`` when checking many records against one analysis.
    """
    index = index or AlertIndex.build(graph, analysis)
    by_record: dict[RecordKey, list[Mention]] = {}
    for mention in mentions:
        # A restricted person (refuge, protected address) is never revealed outside their agency,
        # not even as existence (architecture.md): their rows raise no alert and appear in none.
        if mention.get("restricted") != "Y":
            by_record.setdefault(mention.record_key, []).append(mention)
    alerts: list[Alert] = []
    for record_key, rows in sorted(by_record.items()):
        new = NewRecord(record_key, rows, person_ids, analysis.people)
        alerts += known_group_alerts(new, index)
        alerts += other_children_alerts(new, graph, analysis)
        alerts += licence_alerts(new, graph, analysis)
    return alerts


class NewRecord:
    """The rows of one new record, with each person's class in it."""

    def __init__(
        self,
        key: RecordKey,
        rows: list[Mention],
        person_ids: Mapping[tuple[str, str], str],
        people: Mapping[str, PersonClass],
    ) -> None:
        self.key = key
        self.rows = rows
        self.person = {m.key: person_ids[m.person_key] for m in rows}
        first = rows[0]
        self.area = next((m.get("area_code") for m in rows if m.get("area_code")), "")
        flagged = any(m.indicators or m.get("group_based") == "Y" for m in rows)
        self.exploitation = first.get("record_type") in EXPLOITATION_RECORD_TYPES or flagged
        subject_is_victim = points_to_exploitation(first.get("record_type"), flagged, flagged)
        self.cls = {
            m.key: _class_of(m, self.person[m.key], people, subject_is_victim) for m in rows
        }
        self.place = keys.place_node(first.get("location_name"), first.get("location_postcode"))

    def people_of(self, cls: int) -> list[str]:
        return sorted({self.person[m.key] for m in self.rows if self.cls[m.key] == cls})

    def identifier_nodes(self) -> list[str]:
        kinds = {
            "phone": "phone",
            "vehicle": "vehicle",
            "email": "email",
            "handle": "handle",
            "licence": "licence",
        }
        return sorted(
            {
                f"{kinds[i.kind]}:{i.normalised}"
                for m in self.rows
                for i in m.identifiers
                if i.kind in kinds and i.normalised
            }
        )


def _class_of(
    mention: Mention, person_id: str, people: Mapping[str, PersonClass], exploitation: bool
) -> int:
    known = people.get(person_id)
    dob = mention.date_of_birth or (known.date_of_birth if known else None)
    fact = MentionFact(
        mention.key, person_id, mention.person_role, mention.record_date, None, (), "", (), False
    )
    return mention_class(fact, dob, exploitation)


def known_group_alerts(new: NewRecord, index: AlertIndex) -> list[Alert]:
    touches: dict[str, list[str]] = {}
    for person in sorted(set(new.person.values())):
        for group in index.groups_by_node.get(keys.person_node(person), ()):
            touches.setdefault(group, []).append(f"names {person}, a member of group {group}")
    for node in [*new.identifier_nodes(), new.place]:
        for group in index.groups_by_node.get(node, ()) if node else ():
            touches.setdefault(group, []).append(f"names {node}, which links members of {group}")
    return [
        Alert(
            "known_group",
            "group_analyst",
            new.key,
            tuple(sorted(set(new.person.values()))),
            group,
            tuple(reasons),
        )
        for group, reasons in sorted(touches.items())
    ]


def other_children_alerts(
    new: NewRecord, graph: NetworkGraph, analysis: NetworkAnalysis
) -> list[Alert]:
    children = new.people_of(CHILD_VICTIM)
    alerts: list[Alert] = []
    for adult in new.people_of(CONCERN):
        before = set(analysis.children_of.get(adult, ())) | _children_in_records(graph, adult)
        for child in children:
            others = sorted(before - {child})
            if others:
                reason = (
                    f"{adult}, named in this record, is already linked to "
                    f"{len(others)} other child victim{'s' if len(others) > 1 else ''}"
                )
                alerts.append(
                    Alert(
                        "adult_linked_to_other_children",
                        "child_case_team",
                        new.key,
                        (child, adult),
                        "",
                        (reason,),
                    )
                )
    return alerts


def _children_in_records(graph: NetworkGraph, adult: str) -> set[str]:
    """Child victims in records where the adult was of concern (records since the analysis too)."""
    found: set[str] = set()
    for mention in graph.person_mentions(adult):
        if mention.role not in CONCERN_ROLES or mention.restricted:
            continue
        for other in graph.record_mentions(mention.record_key):
            if other.restricted:
                continue  # not even counted: a count would reveal that the child exists
            exploitation = record_points_to_exploitation(graph.records[other.record_key])
            if mention_class(other, other.date_of_birth, exploitation) == CHILD_VICTIM:
                found.add(other.person_id)
    return found


def licence_alerts(new: NewRecord, graph: NetworkGraph, analysis: NetworkAnalysis) -> list[Alert]:
    alerts: list[Alert] = []
    for mention in new.rows:
        person = new.person[mention.key]
        if new.exploitation and new.cls[mention.key] == CONCERN:
            licences = _licence_records(graph, person) + _licence_here(mention, new.key)
            if licences:
                alerts.append(_licence_alert(new, person, licences, "in this record"))
        if _is_licence_row(mention):
            earlier = _concern_records(graph, person)
            if earlier:
                alerts.append(_licence_alert(new, person, earlier, "in earlier records"))
    return alerts


def _licence_alert(new: NewRecord, person: str, records: list[RecordKey], where: str) -> Alert:
    agencies = sorted({a for a, _ in records})
    reason = (
        f"{person} holds a licence ({', '.join(agencies)}) and is a suspect or associate "
        f"in an exploitation record {where}" + (f" (area {new.area})" if new.area else "")
    )
    return Alert(
        "licence_holder_of_concern", "police_disclosure_decision", new.key, (person,), "", (reason,)
    )


def _is_licence_row(mention: Mention) -> bool:
    return mention.person_role == "licence_holder" or bool(mention.valid_identifiers("licence"))


def _licence_here(mention: Mention, key: RecordKey) -> list[RecordKey]:
    return [key] if mention.valid_identifiers("licence") else []


def _licence_records(graph: NetworkGraph, person: str) -> list[RecordKey]:
    return sorted({m.record_key for m in graph.person_mentions(person) if m.licence_holder})


def _concern_records(graph: NetworkGraph, person: str) -> list[RecordKey]:
    found = []
    for mention in graph.person_mentions(person):
        record = graph.records[mention.record_key]
        exploitation = (
            record.record_type in EXPLOITATION_RECORD_TYPES
            or bool(record.indicators)
            or record.group_based
        )
        if mention.role in CONCERN_ROLES and exploitation:
            found.append(mention.record_key)
    return sorted(set(found))
