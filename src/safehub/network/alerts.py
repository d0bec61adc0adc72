"""Alerts when a new record touches what is already known. Pure functions: delivery is elsewhere.

Every alert rests on the exploitation rule and says so: records that point to exploitation (a
missing episode, exploitation indicators, the agency's group-based flag) or a candidate group
(which the group rule builds from such links). Records that merely bring many people together (an
everyday crime report, a busy takeaway, a taxi firm's car) alert nobody. Each alert names the
records it rests on (``Alert.rests_on``) and the rule that fired (``RULES``).

- ``known_group``: the record names a member of a candidate group, or a vehicle, phone, handle,
  licence or quiet place that binds a group (a busy place or a widely shared identifier does not).
- ``adult_linked_to_other_children``: a child victim in the record is linked to an adult of
  concern already linked to other child victims, through earlier records that point to
  exploitation (when this record does too) or as an adult of a candidate group.
- ``licence_holder_of_concern``: a taxi or private-hire licence holder appears as suspect or
  associate in a record that points to exploitation, or is an adult of a candidate group (to the
  police disclosure decision, not straight to the licensing authority), or a licence record names
  someone already recorded so. One that holds only through groups resting on a "possibly the
  same person" pair says so and names the pairs, as the other kinds do.
- ``child_at_risk`` (after each analysis, ``child_at_risk``): a child at the centre of several
  adults of concern through records that point to exploitation, or a victim in a candidate group
  linked to one of its adults by such a record.

Call ``alerts_for_record`` *before* ``graph.add_mentions`` for the same record, against the last
analysis.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from safehub.extracts.codes import CONCERN_ROLES
from safehub.extracts.model import Mention
from safehub.network import keys
from safehub.network.analysis import NetworkAnalysis
from safehub.network.childview import HEIGHTENED_ADULTS
from safehub.network.concern import record_points_to_exploitation
from safehub.network.graph import NetworkGraph
from safehub.network.model import Alert, Group, MentionFact, RecordKey
from safehub.network.people import (
    CHILD_VICTIM,
    CONCERN,
    PersonClass,
    mention_class,
    points_to_exploitation,
)
from safehub.network.weights import HUB_FREE_DEGREE

# Each rule in the words an alert shows, so that a reader can check why it fired.
RULES = {
    "known_group": (
        "a new record names a member of a candidate group, or a phone, vehicle, handle, licence "
        "or quiet place that binds one"
    ),
    "adult_linked_to_other_children": (
        "a child victim is named with an adult of concern who is already linked to other child "
        "victims through records that point to exploitation, or through a candidate group"
    ),
    "licence_holder_of_concern": (
        "a licence holder is a suspect or associate in a record that points to exploitation, "
        "or an adult of a candidate group"
    ),
    "child_at_risk": (
        f"a child is linked to {HEIGHTENED_ADULTS} or more adults of concern, or to adults linked "
        "to other child victims, through records that point to exploitation, or is a victim in a "
        "candidate group"
    ),
}


@dataclass(frozen=True, slots=True)
class PossiblySame:
    """A probable, unconfirmed match: ``other`` may be the same person; ``pair`` names the two
    agency records a person would compare to confirm it."""

    other: str
    pair: str


PossibleMatches = Mapping[str, Sequence[PossiblySame]]


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
    possibly_same: PossibleMatches | None = None,
) -> list[Alert]:
    """Alerts raised by new rows (one or more records), in a stable order.

    Build ``index`` once with ``AlertIndex.build`` when checking many records against one analysis.
    ``possibly_same``: person id -> probable matches not yet confirmed; an alert that holds only
    through one says so and names the pair to confirm (``Alert.possibly_same``).
    """
    possible = possibly_same or {}
    index = index or AlertIndex.build(graph, analysis)
    by_record: dict[RecordKey, list[Mention]] = {}
    for mention in mentions:
        # A restricted person (refuge, protected address) is never revealed outside their agency,
        # not even as existence (docs/architecture.md): their rows raise no alert and appear in none.
        if mention.get("restricted") != "Y":
            by_record.setdefault(mention.record_key, []).append(mention)
    alerts: list[Alert] = []
    for record_key, rows in sorted(by_record.items()):
        new = NewRecord(record_key, rows, person_ids, analysis.people)
        alerts += known_group_alerts(new, index, graph, possible)
        alerts += other_children_alerts(new, graph, analysis, possible)
        alerts += licence_alerts(new, graph, analysis, possible)
    return [_resting_on_group_pairs(a, analysis, possible) for a in alerts]


def group_pairs(
    analysis: NetworkAnalysis, group_ids: Iterable[str], possibly_same: PossibleMatches
) -> tuple[str, ...]:
    """The "possibly the same person" pairs these groups rest on (``Group.possibly_same``: a
    member counted with the people it is possibly the same as), as a person would confirm them.
    Every pair of such a set is named: any one of them may be the one that is wrong."""
    wanted = set(group_ids)
    people = {
        p for g in analysis.groups if g.group_id in wanted for pair in g.possibly_same for p in pair
    }
    return tuple(sorted({m.pair for p in people for m in possibly_same.get(p, ())}))


def _resting_on_group_pairs(
    alert: Alert, analysis: NetworkAnalysis, possibly_same: PossibleMatches
) -> Alert:
    """An alert through a group that exists, or holds its members, only with a possible match
    says so and names the pairs to confirm, like an alert on a possible match of its own."""
    if not alert.group_id:
        return alert
    pairs = group_pairs(analysis, [alert.group_id], possibly_same)
    more = [p for p in pairs if p not in alert.possibly_same]
    if not more:
        return alert
    reason = (
        f"group {alert.group_id} rests on a possible match that nobody has confirmed "
        f"(confirm the pair {'; '.join(more)})"
    )
    return replace(
        alert,
        reasons=(*alert.reasons, reason),
        possibly_same=tuple(sorted({*alert.possibly_same, *more})),
        # Confirmed, the group holds as found: the alert reads as it did before the caveat.
        if_confirmed=alert.if_confirmed or alert.reasons,
    )


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
        indicators = any(m.indicators for m in rows)
        group_based = any(m.get("group_based") == "Y" for m in rows)
        # The engine's one test of a record (as for stored records): a missing episode, or a
        # record carrying exploitation indicators or the agency's group-based flag.
        self.exploitation = points_to_exploitation(
            first.get("record_type"), indicators, group_based
        )
        self.cls = {
            m.key: _class_of(m, self.person[m.key], people, self.exploitation) for m in rows
        }
        self.place = keys.place_node(first.get("location_name"), first.get("location_postcode"))

    def people_of(self, cls: int) -> list[str]:
        return sorted({self.person[m.key] for m in self.rows if self.cls[m.key] == cls})

    def carriers(self, node: str) -> list[str]:
        """The people in this record whose row carries an identifier node."""
        return sorted({self.person[m.key] for m in self.rows if node in _identifier_nodes([m])})

    def identifier_nodes(self) -> list[str]:
        return _identifier_nodes(self.rows)


_ID_KINDS = ("phone", "vehicle", "email", "handle", "licence")


def _identifier_nodes(rows: Iterable[Mention]) -> list[str]:
    return sorted(
        {
            f"{i.kind}:{i.normalised}"
            for m in rows
            for i in m.identifiers
            if i.kind in _ID_KINDS and i.normalised
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


# -- known groups ------------------------------------------------------------------------------


def known_group_alerts(
    new: NewRecord,
    index: AlertIndex,
    graph: NetworkGraph,
    possibly_same: PossibleMatches | None = None,
) -> list[Alert]:
    touches: dict[str, list[str]] = {}
    people: dict[str, set[str]] = {}
    for person in sorted(set(new.person.values())):
        for group in index.groups_by_node.get(keys.person_node(person), ()):
            touches.setdefault(group, []).append(f"names {person}, a member of group {group}")
            people.setdefault(group, set()).add(person)
    for node in new.identifier_nodes():
        # A car or phone that many people carry (a taxi firm's fleet, a recycled number) binds
        # nobody: it links a group only while few people carry it.
        if _busy(graph, node):
            continue
        for group in index.groups_by_node.get(node, ()):
            touches.setdefault(group, []).append(f"names {node}, which links members of {group}")
            people.setdefault(group, set()).update(new.carriers(node))
    # A place links a record to a group only when the record points to exploitation and the place
    # is quiet: a takeaway named in hundreds of unrelated records is no sign of a group.
    if new.place and new.exploitation and not _busy(graph, new.place):
        for group in index.groups_by_node.get(new.place, ()):
            touches.setdefault(group, []).append(
                f"names {new.place}, which links members of {group}, in a record that points "
                "to exploitation"
            )
            people.setdefault(group, set())
    # The people the alert names: who ties the record to the group and the people of concern in
    # it, never the reporters, parents or witnesses who happen to be recorded alongside.
    concerned = set(new.people_of(CONCERN)) | set(new.people_of(CHILD_VICTIM))
    alerts = [
        Alert(
            "known_group",
            "group_analyst",
            new.key,
            tuple(sorted(people[group] | concerned)),
            group,
            tuple(reasons),
        )
        for group, reasons in sorted(touches.items())
        if people[group] | concerned
    ]
    return alerts + _possible_member_alerts(new, index, set(touches), possibly_same or {})


def _possible_member_alerts(
    new: NewRecord, index: AlertIndex, touched: set[str], possibly_same: PossibleMatches
) -> list[Alert]:
    """A record naming someone who is possibly the same person as a group member: said so, with
    the pair to confirm (only for groups the record does not touch for certain)."""
    found: dict[str, tuple[set[str], list[str], list[str], list[str]]] = {}
    for person in sorted(set(new.person.values())):
        for match in possibly_same.get(person, ()):
            for group in index.groups_by_node.get(keys.person_node(match.other), ()):
                if group in touched:
                    continue
                people, reasons, confirmed, pairs = found.setdefault(group, (set(), [], [], []))
                people.add(person)
                reasons.append(
                    f"names {person}, possibly the same person as {match.other}, a member of "
                    f"group {group} (confirm the pair {match.pair})"
                )
                confirmed.append(
                    f"names {person}, the same person as {match.other} (a person confirmed the "
                    f"pair {match.pair}), a member of group {group}"
                )
                pairs.append(match.pair)
    return [
        Alert(
            "known_group",
            "group_analyst",
            new.key,
            tuple(sorted(people)),
            group,
            tuple(reasons),
            possibly_same=tuple(sorted(set(pairs))),
            if_confirmed=tuple(confirmed),
        )
        for group, (people, reasons, confirmed, pairs) in sorted(found.items())
    ]


def _busy(graph: NetworkGraph, node: str) -> bool:
    """A place named in many records, or an identifier many people carry."""
    return len(graph.neighbours(node)) > HUB_FREE_DEGREE


# -- a child linked to an adult with other child victims ------------------------------------------


def other_children_alerts(
    new: NewRecord,
    graph: NetworkGraph,
    analysis: NetworkAnalysis,
    possibly_same: PossibleMatches | None = None,
) -> list[Alert]:
    children = new.people_of(CHILD_VICTIM)
    alerts: list[Alert] = []
    for adult in new.people_of(CONCERN) if children else []:
        earlier, groups = _adult_children(new, graph, analysis, adult)
        for child in children:
            alert = _other_children_alert(new, adult, child, earlier, groups)
            if alert is None:
                alert = _possible_other_children(new, graph, analysis, adult, child, possibly_same)
            if alert is not None:
                alerts.append(alert)
    return alerts


def _adult_children(
    new: NewRecord, graph: NetworkGraph, analysis: NetworkAnalysis, adult: str
) -> tuple[dict[str, list[RecordKey]], list[Group]]:
    # Earlier records count only when this one points to exploitation too: an adult seen in two
    # everyday crimes against children is a risk for the police, not a group's pattern.
    earlier = exploitation_children(graph, analysis, adult) if new.exploitation else {}
    return earlier, [g for g in analysis.groups_of(adult) if adult in g.adults]


def _possible_other_children(
    new: NewRecord,
    graph: NetworkGraph,
    analysis: NetworkAnalysis,
    adult: str,
    child: str,
    possibly_same: PossibleMatches | None,
) -> Alert | None:
    """The alert that holds only if the adult is the person they possibly are: it says so and
    names the pair to confirm."""
    for match in (possibly_same or {}).get(adult, ()):
        earlier, groups = _adult_children(new, graph, analysis, match.other)
        found = _other_children_alert(new, match.other, child, earlier, groups, match.other)
        if found is None or child == match.other:
            continue
        lead = (
            f"{adult}, named in this record, is possibly the same person as {match.other} "
            f"(confirm the pair {match.pair})"
        )
        confirmed = (
            f"{adult}, named in this record, is the same person as {match.other} "
            f"(a person confirmed the pair {match.pair})"
        )
        return Alert(
            found.kind,
            found.recipient,
            new.key,
            (child, adult),
            found.group_id,
            (lead, *found.reasons),
            found.rests_on,
            (match.pair,),
            (confirmed, *found.reasons),
        )
    return None


def _other_children_alert(
    new: NewRecord,
    adult: str,
    child: str,
    earlier: Mapping[str, list[RecordKey]],
    groups: list[Group],
    who: str = "",
) -> Alert | None:
    """``who`` says who the adult is in the reasons (default: named in this record)."""
    who = who or f"{adult}, named in this record,"
    reasons: list[str] = []
    rests_on: set[RecordKey] = set()
    others = {c: r for c, r in earlier.items() if c != child}
    if others:
        records = sorted({r for rs in others.values() for r in rs})
        rests_on.update(records)
        reasons.append(
            f"{who} is already linked to {_children(len(others))} "
            f"through {_records(records)} that point to exploitation"
        )
    group_id = ""
    for group in groups:
        in_group = [c for c in group.children if c != child]
        if in_group:
            group_id = group_id or group.group_id
            reasons.append(
                f"{who} is already linked to {_children(len(in_group))} "
                f"as an adult of candidate group {group.group_id}"
            )
    if not reasons:
        return None
    return Alert(
        "adult_linked_to_other_children",
        "child_case_team",
        new.key,
        (child, adult),
        group_id,
        tuple(reasons),
        tuple(sorted(rests_on - {new.key})),
    )


def exploitation_children(
    graph: NetworkGraph, analysis: NetworkAnalysis, adult: str
) -> dict[str, list[RecordKey]]:
    """Child victims in records that point to exploitation where the adult was of concern (the
    records read so far, the analysis's too), with those records."""
    found: dict[str, list[RecordKey]] = {}
    for mention in graph.person_mentions(adult):
        if mention.role not in CONCERN_ROLES or mention.restricted:
            continue
        record = graph.records[mention.record_key]
        if not record_points_to_exploitation(record):
            continue
        for other in graph.record_mentions(mention.record_key):
            if other.restricted:
                continue  # not even counted: a count would reveal that the child exists
            if _class_in(other, analysis, True) == CHILD_VICTIM:
                found.setdefault(other.person_id, []).append(mention.record_key)
    return found


def _class_in(fact: MentionFact, analysis: NetworkAnalysis, exploitation: bool) -> int:
    known = analysis.people.get(fact.person_id)
    dob = fact.date_of_birth or (known.date_of_birth if known else None)
    return mention_class(fact, dob, exploitation)


# -- licence holders --------------------------------------------------------------------------


def licence_alerts(
    new: NewRecord,
    graph: NetworkGraph,
    analysis: NetworkAnalysis,
    possibly_same: PossibleMatches | None = None,
) -> list[Alert]:
    """``possibly_same`` as for ``alerts_for_record``: an alert that holds only because the
    person is an adult of groups resting on a possible match says so and names the pairs."""
    possible = possibly_same or {}
    alerts: list[Alert] = []
    for mention in new.rows:
        person = new.person[mention.key]
        groups = _adult_groups(analysis, person)
        if new.cls[mention.key] == CONCERN and (new.exploitation or groups):
            licences = _licence_records(graph, person) + _licence_here(mention, new.key)
            if licences:
                where = _why_here(new, groups)
                alert = _licence_alert(new, person, licences, where, ())
                through = [] if new.exploitation else groups
                alerts.append(_through_possible_groups(alert, analysis, through, possible))
        if _is_licence_row(mention):
            earlier = _concern_records(graph, person)
            if earlier or groups:
                where = "in earlier records" if earlier else f"as an adult of {groups[0]}"
                alert = _licence_alert(new, person, earlier, where, earlier)
                through = [] if earlier else groups
                alerts.append(_through_possible_groups(alert, analysis, through, possible))
    # A person alerted on a basis that needs no pair is not alerted again with the caveat (both
    # would share one dedupe key, and the caveat would win or lose by order alone).
    certain = {a.person_ids for a in alerts if not a.possibly_same}
    return [a for a in alerts if not a.possibly_same or a.person_ids not in certain]


def _through_possible_groups(
    alert: Alert, analysis: NetworkAnalysis, groups: list[str], possibly_same: PossibleMatches
) -> Alert:
    """A licence alert whose only basis is membership of ``groups``: when every one of them
    rests on a possible match (``group_pairs``), the alert holds only if the pairs are one
    person, so it says so and names them, as an alert through a group does."""
    pairs = {g: group_pairs(analysis, [g], possibly_same) for g in groups}
    if not pairs or not all(pairs.values()):
        return alert
    caveats = tuple(
        f"group {g} rests on a possible match that nobody has confirmed "
        f"(confirm the pair {'; '.join(found)})"
        for g, found in pairs.items()
    )
    return replace(
        alert,
        reasons=(*alert.reasons, *caveats),
        possibly_same=tuple(sorted({p for found in pairs.values() for p in found})),
        if_confirmed=alert.reasons,
    )


def _why_here(new: NewRecord, groups: list[str]) -> str:
    if new.exploitation:
        return "in this record, which points to exploitation"
    return f"in this record, and an adult of candidate group {', '.join(groups)}"


def _adult_groups(analysis: NetworkAnalysis, person: str) -> list[str]:
    return [g.group_id for g in analysis.groups_of(person) if person in g.adults]


def _licence_alert(
    new: NewRecord,
    person: str,
    records: list[RecordKey],
    where: str,
    rests_on: Iterable[RecordKey],
) -> Alert:
    agencies = sorted({a for a, _ in records})
    held = f" ({', '.join(agencies)})" if agencies else ""
    reason = f"{person} holds a licence{held} and is a suspect or associate {where}" + (
        f" (area {new.area})" if new.area else ""
    )
    return Alert(
        "licence_holder_of_concern",
        "police_disclosure_decision",
        new.key,
        (person,),
        "",
        (reason,),
        tuple(sorted(set(rests_on) - {new.key})),
    )


def _is_licence_row(mention: Mention) -> bool:
    return mention.person_role == "licence_holder" or bool(mention.valid_identifiers("licence"))


def _licence_here(mention: Mention, key: RecordKey) -> list[RecordKey]:
    return [key] if mention.valid_identifiers("licence") else []


def _licence_records(graph: NetworkGraph, person: str) -> list[RecordKey]:
    return sorted({m.record_key for m in graph.person_mentions(person) if m.licence_holder})


def _concern_records(graph: NetworkGraph, person: str) -> list[RecordKey]:
    """Records that point to exploitation where the person was a suspect or associate."""
    found = [
        mention.record_key
        for mention in graph.person_mentions(person)
        if mention.role in CONCERN_ROLES
        and record_points_to_exploitation(graph.records[mention.record_key])
    ]
    return sorted(set(found))


# -- a child at the centre of adults of concern ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChildAtRisk:
    """Why a child's case team is alerted: the reasons, the records and groups they rest on."""

    person_id: str
    adults: tuple[str, ...]
    other_children: tuple[str, ...]
    groups: tuple[str, ...]
    rests_on: tuple[RecordKey, ...]
    reasons: tuple[str, ...]


def child_at_risk(graph: NetworkGraph, analysis: NetworkAnalysis, child: str) -> ChildAtRisk | None:
    """The alert a child's case team gets after an analysis, or None: only what rests on records
    that point to exploitation counts (a child witness to a family row, or the victim of an
    everyday theft, is not at the centre of a group)."""
    adults = _exploitation_adults(graph, analysis, child)
    others: dict[str, list[RecordKey]] = {}
    for adult in adults:
        for other, theirs in exploitation_children(graph, analysis, adult).items():
            if other != child:
                others.setdefault(other, []).extend(theirs)
    # A candidate group counts when the child is tied to one of its adults by such a record.
    groups = tuple(
        g.group_id
        for g in analysis.groups_of(child)
        if child in g.children and set(g.adults) & set(adults)
    )
    if len(adults) < HEIGHTENED_ADULTS and len(others) < 2 and not groups:
        return None
    records = {r for rs in adults.values() for r in rs} | {r for rs in others.values() for r in rs}
    reasons = []
    if len(adults) >= HEIGHTENED_ADULTS:
        reasons.append(
            f"linked to {len(adults)} adults of concern through "
            f"{_records(sorted({r for rs in adults.values() for r in rs}))} that point to "
            "exploitation"
        )
    if len(others) >= 2:
        reasons.append(
            f"the adults linked to this child are linked to {_children(len(others))} through "
            "records that point to exploitation"
        )
    if groups:
        reasons.append(f"a victim in candidate group {', '.join(groups)}")
    return ChildAtRisk(
        child,
        tuple(sorted(adults)),
        tuple(sorted(others)),
        groups,
        tuple(sorted(records)),
        tuple(reasons),
    )


def _exploitation_adults(
    graph: NetworkGraph, analysis: NetworkAnalysis, child: str
) -> dict[str, list[RecordKey]]:
    """Adults of concern named with the child, a victim there, in records that point to
    exploitation."""
    found: dict[str, list[RecordKey]] = {}
    for mention in graph.person_mentions(child):
        if mention.restricted:
            continue
        record = graph.records[mention.record_key]
        if not record_points_to_exploitation(record):
            continue
        if _class_in(mention, analysis, True) != CHILD_VICTIM:
            continue
        for other in graph.record_mentions(mention.record_key):
            if other.person_id == child or other.restricted:
                continue
            if _class_in(other, analysis, True) == CONCERN:
                found.setdefault(other.person_id, []).append(mention.record_key)
    return found


def _children(n: int) -> str:
    return f"{n} other child victim{'s' if n != 1 else ''}"


def _records(records: list[RecordKey]) -> str:
    """Records named by agency and reference (the first few), for a reason a reader can check."""
    shown = ", ".join(f"{a}/{r}" for a, r in records[:3])
    more = f" and {len(records) - 3} more" if len(records) > 3 else ""
    return f"{len(records)} record{'s' if len(records) != 1 else ''} ({shown}{more})"
