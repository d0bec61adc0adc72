"""Reading the stored network analysis: groups with evidence, key people, a child-centred view.

Every read is a consultation in the audit log. The results were computed by the partnership (the
network job); what a user sees of them passes row-level security: a person restricted by another
agency is not listed, and a group's timeline shows the content only of records the user's agency
may read (the others are counted by the agency holding them: whom to ask).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from safehub.db.models.networks import (
    NetworkChild,
    NetworkGroup,
    NetworkKeyPerson,
    NetworkPossibleLink,
    NetworkRun,
)
from safehub.db.queries import networks as q
from safehub.db.queries.networks import TimelineEvent
from safehub.db.uow import UnitOfWork
from safehub.services.errors import NotFoundError
from safehub.services.networks.chart import Chart, draw_group_chart
from safehub.services.networks.grounds import Ground, keep_grounds, read_ground
from safehub.services.networks.people import PersonLabel, label_people
from safehub.services.networks.update import NETWORK_JOBS, queue_network_update


@dataclass(frozen=True, slots=True)
class GroupSummary:
    code: str
    adults: int
    children: int
    records: int
    shared_identifiers: tuple[str, ...]
    agencies: tuple[str, ...]
    areas: tuple[str, ...]
    first_date: date
    last_date: date
    # Shared identifiers left out because the user may read no record that shows them (sealed
    # envelope): counted, so the user knows to ask, never shown.
    withheld: int = 0
    # The agencies and areas by name, for pages (codes stay above, for the API and exports).
    agency_names: tuple[str, ...] = ()
    area_names: tuple[str, ...] = ()
    # The review pairs the group rests on ("possibly the same person", not yet confirmed).
    possible_pairs: tuple[int, ...] = ()
    # Why it is a group (``grounds``): people by person id, only members the user is shown, and
    # an identifier in no record the user may read withheld, as in ``shared_identifiers``.
    grounds: tuple[Ground, ...] = ()


@dataclass(frozen=True, slots=True)
class JobProgress:
    job_run_id: int
    status: str
    stage: str | None
    done: int
    total: int | None
    requested_at: Any
    finished_at: Any
    outcome: str | None
    error: str | None
    mode: str | None

    @property
    def sentence(self) -> str:
        """Where this run is, in words.

        >>> JobProgress(3, "running", "scoring", 40, 120, None, None, None, None, "full").sentence
        'Running (full analysis): scoring, 40 of 120 done'
        >>> JobProgress(4, "queued", None, 0, None, None, None, None, None, None).sentence
        'Waiting to start'
        """
        kind = f" ({'full analysis' if self.mode == 'full' else 'update'})" if self.mode else ""
        if self.status == "queued":
            return "Waiting to start"
        if self.status == "running":
            done = f"{self.done:,} of {self.total:,} done" if self.total else f"{self.done:,} done"
            return f"Running{kind}: {self.stage or 'starting'}, {done}"
        if self.status == "failed":
            return f"Failed{kind}: {self.error or 'no reason recorded'}"
        return f"Finished{kind}" + (f": {self.outcome}" if self.outcome else "")


def jobs_sentence(jobs: list[JobProgress]) -> str:
    """The network job in one sentence.

    >>> jobs_sentence([JobProgress(4, "queued", None, 0, None, None, None, None, None, None)])
    'Network analysis: 1 run waiting'
    >>> jobs_sentence([])
    'Network analysis: nothing waiting or running'
    """
    waiting = sum(j.status == "queued" for j in jobs)
    running = sum(j.status == "running" for j in jobs)
    parts = [
        f"{n} run{'s' if n != 1 else ''} {word}"
        for n, word in ((running, "running"), (waiting, "waiting"))
        if n
    ]
    return "Network analysis: " + (" and ".join(parts) or "nothing waiting or running")


@dataclass(frozen=True, slots=True)
class Overview:
    run: NetworkRun | None
    groups: list[GroupSummary]
    jobs: list[JobProgress]


@dataclass(frozen=True, slots=True)
class PossiblePair:
    """A review pair a group or a rank rests on: "possibly the same person", to confirm."""

    pair_id: int
    left: PersonLabel
    right: PersonLabel


@dataclass(frozen=True, slots=True)
class GroupView:
    summary: GroupSummary
    members: list[tuple[int, str]]  # (person id, role in group)
    timeline: list[TimelineEvent]
    sealed: dict[str, int] = field(default_factory=dict)  # agency -> records it holds
    people: dict[int, PersonLabel] = field(default_factory=dict)
    chart: Chart | None = None
    # The pairs the group rests on: it holds a member counted with people it is possibly the
    # same as, until a person confirms each pair (empty for a group on resolved people alone).
    possible: list[PossiblePair] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class KeyPeopleView:
    ranked: list[NetworkKeyPerson]
    people: dict[int, PersonLabel]
    # Person id -> the pairs their rank rests on (the key people counted with someone else).
    possible: dict[int, list[PossiblePair]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ChildrenView:
    children: list[NetworkChild]
    people: dict[int, PersonLabel]


@dataclass(frozen=True, slots=True)
class ChildNetworkView:
    child: NetworkChild
    people: dict[int, PersonLabel]  # the child, the adults and the other children


def view_network_overview(uow: UnitOfWork) -> Overview:
    """The latest analysis's groups and the network job's recent runs with their progress."""
    run = q.get_latest_run(uow.session)
    groups = _summaries(uow, q.list_groups_of_run(uow.session, run.id)) if run else []
    jobs = list_network_runs(uow)
    uow.audit(
        "consultation",
        "network_group",
        [g.code for g in groups],
        purpose="network groups",
        detail={"run": run.id if run else None},
    )
    return Overview(run, groups, jobs)


def list_network_runs(uow: UnitOfWork, *, limit: int = 10) -> list[JobProgress]:
    """The network job's latest runs with their progress, newest first. Operational records (what
    ran, when, how far), not personal data: not a consultation."""
    rows = q.list_recent_runs(uow.session, jobs=NETWORK_JOBS, limit=limit)
    return [JobProgress(*row) for row in rows]


def request_network_analysis(uow: UnitOfWork, *, full: bool = False) -> int | None:
    """Queue a run of the network job (the worker takes it); None when one is already waiting."""
    queued = queue_network_update(uow, full=full)
    if queued is not None:
        uow.mark_changed()
        uow.audit(
            "alteration",
            "job_run",
            [queued],
            purpose="network analysis requested",
            detail={"full": full, "by": uow.actor.label},
        )
    return queued


def view_group(uow: UnitOfWork, *, code: str) -> GroupView:
    run = q.get_latest_run(uow.session)
    group = q.get_group_by_code(uow.session, run.id, code) if run else None
    if group is None:
        raise NotFoundError(f"group {code}")
    members = [
        (m.person_id, m.role_in_group) for m in q.list_group_members(uow.session, [group.id])
    ]
    timeline, sealed = _timeline(uow, group)
    summary = group_summary(uow, group)
    ids = [p for p, _ in members]
    chart = draw_group_chart(
        uow,
        people=ids,
        records=[e.record for e in timeline],
        identifiers=list(summary.shared_identifiers),
    )
    uow.audit(
        "consultation",
        "network_group",
        [code],
        purpose="network group evidence",
        detail={"run": run.id if run else None, "people": ids},
    )
    links = q.list_possible_links(uow.session, run.id, people=ids) if run else []
    pair_people = [p for link in links for p in (link.person_id, link.other_person_id)]
    labels = label_people(uow, [*ids, *pair_people])
    named = sorted(p for p, label in labels.items() if label.visible)
    if named:
        # The members, and the people of the pairs it rests on, are named on the page: each of
        # them was looked at.
        uow.audit("consultation", "person", named, purpose="network group members")
    possible = _pairs(links, labels)
    return GroupView(summary, members, timeline, sealed, labels, chart, possible)


def group_summary(uow: UnitOfWork, group: NetworkGroup) -> GroupSummary:
    """One stored group as the user may see it (its grounds included)."""
    return _summaries(uow, [group])[0]


def _pairs(links: list[NetworkPossibleLink], labels: dict[int, PersonLabel]) -> list[PossiblePair]:
    return [
        PossiblePair(link.match_pair_id, labels[link.person_id], labels[link.other_person_id])
        for link in links
    ]


def list_key_people(uow: UnitOfWork, *, limit: int = 100) -> list[NetworkKeyPerson]:
    """Adults of concern ranked, each with the sentence that says why (children never appear)."""
    run = q.get_latest_run(uow.session)
    ranked = q.list_key_people_of_run(uow.session, run.id, limit) if run else []
    uow.audit(
        "consultation",
        "network_key_person",
        [k.person_id for k in ranked],
        purpose="key people ranking",
    )
    return ranked


def list_groups_of_person(uow: UnitOfWork, *, person_id: int) -> list[str]:
    """The latest analysis's groups a person the user may see is in (none for anyone else)."""
    run = q.get_latest_run(uow.session)
    if run is None or not q.get_person_visible(uow.session, person_id):
        return []
    return q.list_group_codes_of_person(uow.session, run.id, person_id)


def view_key_people(uow: UnitOfWork, *, limit: int = 100) -> KeyPeopleView:
    """The key people ranking with each adult named as far as the user may see them, and the
    pairs each rank rests on (a person counted with someone they are possibly the same as)."""
    ranked = list_key_people(uow, limit=limit)
    ids = [k.person_id for k in ranked]
    links = _links_of_latest_run(uow, ids)
    pair_people = [p for link in links for p in (link.person_id, link.other_person_id)]
    labels = label_people(uow, [*ids, *pair_people])
    if pair_people:
        named = sorted({p for p in pair_people if labels[p].visible})
        uow.audit("consultation", "person", named, purpose="key people: pairs to confirm")
    pairs = {
        link.match_pair_id: pair for link, pair in zip(links, _pairs(links, labels), strict=True)
    }
    possible = {p: [pairs[i] for i in ids_] for p, ids_ in _pairs_of_people(links, ids).items()}
    return KeyPeopleView(ranked, labels, possible)


def list_key_people_pairs(
    uow: UnitOfWork, *, ranked: list[NetworkKeyPerson]
) -> dict[int, list[int]]:
    """Person id -> the review pairs their rank rests on, for the key people given (the latest
    run's). Pair numbers only: nobody else is named."""
    ids = [k.person_id for k in ranked]
    return _pairs_of_people(_links_of_latest_run(uow, ids), ids)


def _links_of_latest_run(uow: UnitOfWork, people: list[int]) -> list[NetworkPossibleLink]:
    run = q.get_latest_run(uow.session)
    return q.list_possible_links(uow.session, run.id, people=people) if run and people else []


def _pairs_of_people(links: list[NetworkPossibleLink], people: list[int]) -> dict[int, list[int]]:
    """A set of possibly-same people is listed under its representative: each of its people
    rests on every pair of the set."""
    of_set: dict[int, list[int]] = {}
    rep_of: dict[int, int] = {}
    for link in links:
        of_set.setdefault(link.representative_id, []).append(link.match_pair_id)
        for person in (link.representative_id, link.person_id, link.other_person_id):
            rep_of[person] = link.representative_id
    return {p: sorted(of_set[rep_of[p]]) for p in people if p in rep_of}


def view_child_network(uow: UnitOfWork, *, person_id: int) -> ChildNetworkView:
    """The child-centred view, for those who may see the child (their case team, their agency)."""
    sees = q.get_person_visible(uow.session, person_id)
    run = q.get_latest_run(uow.session)
    child = q.get_child_of_run(uow.session, run.id, person_id) if run and sees else None
    if child is None:
        raise NotFoundError(f"network view of person {person_id}")
    people = [person_id, *child.other_children]
    people += [int(str(a["person_id"])) for a in child.adults]
    people += [int(str(c)) for a in child.adults for c in _ints(a.get("other_children"))]
    labels = label_people(uow, people)
    named = sorted(p for p, label in labels.items() if label.visible and p != person_id)
    # Everyone named on the page was looked at: the DPO's "who looked at" finds each of them.
    uow.audit(
        "consultation",
        "person",
        [person_id, *named],
        purpose="child-centred network view",
        detail={"child": person_id},
    )
    return ChildNetworkView(child, labels)


def _ints(value: object) -> list[int]:
    return [int(str(v)) for v in value] if isinstance(value, list) else []


def view_children_at_heightened_risk(uow: UnitOfWork) -> ChildrenView:
    """The children at heightened risk the user may see, each by name and age."""
    children = list_children_at_heightened_risk(uow)
    return ChildrenView(children, label_people(uow, [c.person_id for c in children]))


def list_children_at_heightened_risk(uow: UnitOfWork) -> list[NetworkChild]:
    run = q.get_latest_run(uow.session)
    found = q.list_children_at_risk(uow.session, run.id) if run else []
    visible = [c for c in found if q.get_person_visible(uow.session, c.person_id)]
    uow.audit(
        "consultation",
        "person",
        [c.person_id for c in visible],
        purpose="children at heightened risk",
    )
    return visible


def _summaries(uow: UnitOfWork, groups: list[NetworkGroup]) -> list[GroupSummary]:
    members = q.list_group_members(uow.session, [g.id for g in groups])
    counts: dict[int, list[int]] = {g.id: [0, 0] for g in groups}
    shown: dict[int, set[int]] = {g.id: set() for g in groups}
    for m in members:
        counts[m.group_id][1 if m.role_in_group == "victim" else 0] += 1
        shown[m.group_id].add(m.person_id)
    readable = _readable_nodes(uow, sorted({m.person_id for m in members}))
    agency_names, area_names = q.list_agency_names(uow.session)
    member_ids = sorted({m.person_id for m in members})
    links = (
        q.list_possible_links(uow.session, groups[0].run_id, people=member_ids) if groups else []
    )
    # A group rests on the pairs of each set of possibly-same people it holds (under its
    # representative's id).
    of_set: dict[int, set[int]] = {}
    for link in links:
        of_set.setdefault(link.representative_id, set()).add(link.match_pair_id)
    possible: dict[int, set[int]] = {}
    for m in members:
        possible.setdefault(m.group_id, set()).update(of_set.get(m.person_id, ()))
    summaries = []
    for g in groups:
        seen = tuple(n for n in g.shared_identifiers if n in readable)
        summaries.append(
            GroupSummary(
                g.code,
                counts[g.id][0],
                counts[g.id][1],
                len(g.records),
                seen,
                tuple(g.agencies),
                tuple(g.areas),
                g.first_date,
                g.last_date,
                len(g.shared_identifiers) - len(seen),
                tuple(agency_names.get(a, a) for a in g.agencies),
                tuple(area_names.get(a, a) for a in g.areas),
                tuple(sorted(possible.get(g.id, ()))),
                _grounds(g, shown[g.id], counts[g.id][1], readable),
            )
        )
    return summaries


def _grounds(
    group: NetworkGroup, members: set[int], children: int, readable: set[str]
) -> tuple[Ground, ...]:
    """The group's grounds as the user may read them: a person the members list leaves out
    (row-level security: not known to the user) is left out of them too, and an identifier the
    user may read no record of is withheld (the sealed envelope of ``shared_identifiers``)."""
    named = {p for sentence in group.grounds for p in read_ground(sentence).people}
    kept = keep_grounds(group.grounds, named - members, children=children)
    return tuple(g.sealed() if g.node and g.node not in readable else g for g in kept)


def _readable_nodes(uow: UnitOfWork, people: list[int]) -> set[str]:
    """The identifier, address and place nodes the user may see of these people: those on a
    mention (or named by a record) the user's agency may read. The analysis was made by the
    partnership from every agency's records; what it shows a user must pass the same sealed
    envelope as the records themselves, or the analysis would disclose what the records may
    not."""
    from safehub.network import keys  # the engine: loaded where it is used

    if not people:
        return set()
    rows = q.list_readable_mentions(uow.session, people)
    nodes: set[str] = set()
    postcodes = {m: raw for m, _, _, _, kind, raw, _ in rows if kind == "postcode"}
    for mention, address, place, place_postcode, kind, _raw, normalised in rows:
        nodes.add(keys.place_node(place or "", place_postcode or ""))
        nodes.add(keys.address_node(address or "", postcodes.get(mention, "")))
        if kind and normalised:
            nodes.add(f"{kind}:{normalised}")
    return nodes


def _timeline(uow: UnitOfWork, group: NetworkGroup) -> tuple[list[TimelineEvent], dict[str, int]]:
    """The group's records in date order: those the user may read in full, the rest counted."""
    events = q.list_records_timeline(uow.session, [f"{a}/{r}" for a, r in group.records])
    readable = {e.record for e in events}
    sealed: dict[str, int] = {}
    for agency, ref in group.records:
        if f"{agency}/{ref}" not in readable:
            sealed[agency] = sealed.get(agency, 0) + 1
    return events, sealed
