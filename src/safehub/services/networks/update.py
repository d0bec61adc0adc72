"""Keeping the stored network analysis up to date as records arrive, and raising its alerts.

``update_network`` is the network job's one use case. It reads only what arrived since the last
run (person mentions above its watermark, and the mentions of people merged or split since), adds
them to the graph one record at a time, checking each record against the last analysis before
adding it (the engine's alert rules), then analyses the graph and stores the results as a new run.
The analysis redoes the concern table only for the people the new rows touched (``ConcernIndex``)
and runs the graph algorithms on the compact table. Nothing is rebuilt from scratch unless asked
(``full=True``) or the worker has no graph in memory from the latest run (then the graph up to
that run is read back once).

>>> from safehub.services.networks.update import NetworkUpdate
>>> NetworkUpdate(1, "incremental", 10, 2, 30, 40, 1, 3, 2, 0).summary()
'incremental run 1: 10 rows read, 2 records checked, 1 groups, 3 key people, 2 alerts'
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from safehub.db.models.networks import NetworkChild, NetworkCommunity, NetworkKeyPerson
from safehub.db.queries import jobs
from safehub.db.queries import networks as q
from safehub.db.queries.jobs import enqueue_job
from safehub.db.queries.networks import MentionRow
from safehub.db.rls import system_step
from safehub.db.uow import UnitOfWork
from safehub.services.alerts.raising import NewAlert, raise_alerts
from safehub.services.networks.alerts import Directory, deliver, heightened_risk_alert
from safehub.services.networks.confirmed import send_confirmed_alerts
from safehub.services.networks.graph import (
    NetworkState,
    analyse_possible,
    by_record,
    cached_state,
    forget_state,
    keep_state,
    pair_words,
    possibly_same,
    restricted_people,
    to_mentions,
    usable_matches,
)
from safehub.services.networks.grounds import stored_grounds

if TYPE_CHECKING:
    from safehub.network import NetworkGraph

DEFAULT_SEED = 20_251_126  # the engine's default: seeded, so a rerun gives the same result
# The two network jobs: adding what arrived since the last run, and rebuilding from every record.
UPDATE_JOB = "networks"
REBUILD_JOB = "networks_full"
NETWORK_JOBS = (UPDATE_JOB, REBUILD_JOB)
Progress = Callable[[int, int, str], None]
PURPOSE = "network analysis of agency records (safeguarding children from exploitation)"


@dataclass(frozen=True, slots=True)
class NetworkUpdate:
    run_id: int
    mode: str
    rows_read: int
    records_checked: int
    nodes: int
    edges: int
    groups: int
    key_people: int
    alerts: int
    children_at_risk: int
    # Mentions left for the next run: identity resolution has not yet seen their people.
    waiting: int = 0
    # Pending review pairs counted as "possibly the same person" links.
    possible: int = 0

    @property
    def evaluated(self) -> int:
        """Rows read: the job's progress count (``jobs.worker``)."""
        return self.rows_read

    def summary(self) -> str:
        return (
            f"{self.mode} run {self.run_id}: {self.rows_read:,} rows read, "
            f"{self.records_checked:,} records checked, {self.groups:,} groups, "
            f"{self.key_people:,} key people, {self.alerts:,} alerts"
            + (
                f"; {self.possible:,} possible match{'es' if self.possible != 1 else ''} counted"
                if self.possible
                else ""
            )
            + (
                f"; {self.waiting:,} newer rows wait for identity resolution"
                if self.waiting
                else ""
            )
        )


def queue_network_update(uow: UnitOfWork, *, full: bool = False) -> int | None:
    """Queue a network run in the caller's transaction (a rolled-back import queues nothing),
    unless one is already waiting: a waiting run reads everything committed before it starts.
    Returns the queued job run's id, or None."""
    job = REBUILD_JOB if full else UPDATE_JOB
    if jobs.get_queued_job(uow.session, job) is not None:
        return None
    return enqueue_job(uow.session, job=job, params={}, requested_by=uow.actor.label)


def find_running_job(uow: UnitOfWork, *, full: bool = False) -> int | None:
    """The job run the worker claimed for this network run (it marks it running before calling),
    which the stored run is linked to. An operational record, not personal data: not audited."""
    return jobs.get_running_job(uow.session, REBUILD_JOB if full else UPDATE_JOB)


def update_network(
    uow: UnitOfWork,
    *,
    database_key: str,
    full: bool = False,
    seed: int = DEFAULT_SEED,
    job_run_id: int | None = None,
    progress: Progress | None = None,
) -> NetworkUpdate:
    """Bring the stored analysis up to date in one transaction (the caller commits). Runs as the
    partnership: it reads every agency's records to find what no one agency can see alone."""
    pending = check_new_records(
        uow,
        database_key=database_key,
        full=full,
        seed=seed,
        job_run_id=job_run_id,
        progress=progress,
    )
    return analyse_network(uow, pending=pending)


def check_new_records(
    uow: UnitOfWork,
    *,
    database_key: str,
    full: bool = False,
    seed: int = DEFAULT_SEED,
    job_run_id: int | None = None,
    progress: Progress | None = None,
) -> PendingUpdate:
    """The first half of a run: add what arrived to the graph, each record checked against the
    last analysis first, and raise the alerts. The job commits here, so that an alert never waits
    for the whole-graph analysis (``analyse_network``, the second half)."""
    step = progress or (lambda _done, _total, _stage: None)
    with system_step(uow):
        pending = PendingUpdate(uow, database_key, full, seed, job_run_id, step)
        pending.check()
    return pending


def analyse_network(uow: UnitOfWork, *, pending: PendingUpdate) -> NetworkUpdate:
    """The second half: analyse the whole graph, store the results as a new run. On failure the
    worker's graph in memory is dropped (the next run reads the stored records again)."""
    pending.uow, pending.session = uow, uow.session
    pending.directory.session = uow.session
    with system_step(uow):
        try:
            return pending.finish()
        except Exception:
            forget_state(pending.key)
            raise


class PendingUpdate:
    """A run between its two halves: the graph brought up to date, alerts raised, not analysed."""

    def __init__(
        self,
        uow: UnitOfWork,
        key: str,
        full: bool,
        seed: int,
        job_run_id: int | None,
        step: Progress,
    ) -> None:
        self.uow, self.session, self.key, self.full = uow, uow.session, key, full
        self.seed, self.job_run_id, self.step = seed, job_run_id, step
        self.directory = Directory.load(self.session)
        self.found: list[NewAlert] = []
        self.alert_ids: list[int] = []

    def check(self) -> None:
        latest = q.get_latest_run(self.session)
        # The previous run's results are kept beside the new ones (to compare); older ones go.
        self.keep_from = latest.id if latest is not None else 0
        self.upto_m, self.upto_l = q.get_watermarks(self.session)
        # Only what identity resolution has seen: a record whose people are not yet resolved
        # waits for the next run (its resolution queues one), so that no group, rank or alert
        # rests on people split one per agency reference.
        self.waiting = self.upto_m
        self.upto_m = q.get_resolved_watermark(
            self.session, after=latest.mention_watermark if latest else 0, upto=self.upto_m
        )
        self.waiting -= self.upto_m
        # The last run's groups, so that a group that is essentially the same keeps its code.
        self.previous = _stored_groups(self.session, latest.id) if latest is not None else {}
        # Pairs waiting for a person that are probably one person: analysis never waits for
        # review, so they count as "possibly the same person" links (read once per run: a pair
        # confirmed or rejected since the last run is a merge or nothing by now).
        self.matches = _possible_matches(self.session)
        self.state = state = self._start_state(latest)
        # A rebuild on request re-reads history: what it finds was alerted when it arrived.
        self.alerting = not (self.full and latest is not None)
        relinked = self._relinked(state, self.upto_m, self.upto_l)
        new_rows = q.list_new_mentions(
            self.session, after=state.mention_watermark, upto=self.upto_m
        )
        self.rows_read = len(new_rows) + len(relinked)
        self.records = self._add_records(state, new_rows, self.alerting)
        self.alert_ids += self._raise()
        # Alerts that waited on a possible match now confirmed go to their usual recipient.
        self.alert_ids += send_confirmed_alerts(self.uow, self.directory)

    def finish(self) -> NetworkUpdate:
        state = self.state
        self.step(self.rows_read, self.rows_read, "analysing the whole network")
        hidden = restricted_people(state.graph)
        matches = usable_matches(self.matches, hidden, state.graph)
        state.analysis = analyse_possible(
            state.graph, state.index, matches, seed=self.seed, previous=self.previous
        )
        run_id = self._store(state, hidden, matches)
        children = self._store_children(state, run_id, self.alerting, hidden, matches)
        self.alert_ids += self._raise()
        counts = {
            "rows_read": self.rows_read,
            "nodes": state.graph.node_count(),
            "edges": state.graph.edge_count(),
            "groups": len(state.analysis.groups),
            "key_people": len(state.analysis.key_people),
            "alerts_raised": len(self.alert_ids),
            "mention_watermark": self.upto_m,
            "link_watermark": self.upto_l,
        }
        q.set_run_succeeded(self.session, run_id, **counts)
        self.uow.mark_changed()
        self.uow.audit(
            "combination",
            "network_analysis",
            [run_id],
            purpose=PURPOSE,
            detail={"mode": self.mode, **counts},
        )
        state.mention_watermark, state.link_watermark = self.upto_m, self.upto_l
        keep_state(self.key, state)
        return NetworkUpdate(
            run_id,
            self.mode,
            self.rows_read,
            self.records,
            counts["nodes"],
            counts["edges"],
            counts["groups"],
            counts["key_people"],
            len(self.alert_ids),
            children,
            self.waiting,
            len(matches),
        )

    # -- reading ------------------------------------------------------------------------------

    def _start_state(self, latest: Any) -> NetworkState:
        from safehub.network import NetworkGraph, analyse
        from safehub.network.concern_index import ConcernIndex

        self.mode = "full" if self.full or latest is None else "incremental"
        index = ConcernIndex()
        if self.mode == "full":
            graph = NetworkGraph()
            return NetworkState("", graph, analyse(graph, seed=self.seed, index=index), 0, 0, index)
        cached = cached_state(self.key, latest.token)
        if cached is not None:
            return cached
        # A new worker: read the graph back up to the last run's watermark, once.
        self.step(0, 0, "reading the network up to the last run")
        rows = q.list_mentions_upto(self.session, upto=latest.mention_watermark)
        mentions, person_ids = to_mentions(rows)
        graph = NetworkGraph()
        graph.add_mentions(mentions, person_ids)
        # The stored codes as "previous": the same graph gives the same groups, under the codes
        # the alerts and pages already use.
        matches = usable_matches(self.matches, restricted_people(graph), graph)
        analysis = analyse_possible(graph, index, matches, seed=self.seed, previous=self.previous)
        return NetworkState(
            latest.token, graph, analysis, latest.mention_watermark, latest.link_watermark, index
        )

    def _relinked(self, state: NetworkState, upto_m: int, upto_l: int) -> list[MentionRow]:
        """Mentions already in the graph whose person changed (a merge, split or undo): re-added
        with their resolved person, which replaces each row in place."""
        people = q.list_people_relinked(self.session, after=state.link_watermark, upto=upto_l)
        if not people or self.mode == "full":
            return []
        rows = q.list_mentions_of_people(
            self.session, person_ids=people, upto=state.mention_watermark
        )
        mentions, person_ids = to_mentions(rows)
        state.graph.add_mentions(mentions, person_ids)
        return rows

    def _add_records(self, state: NetworkState, rows: list[MentionRow], alerting: bool) -> int:
        from safehub.network.alerts import AlertIndex, alerts_for_record

        index = AlertIndex.build(state.graph, state.analysis)
        possible = {}
        if alerting:
            hidden = restricted_people(state.graph)
            possible = possibly_same(usable_matches(self.matches, hidden, state.graph))
        pair_ids = _pair_ids(self.matches)
        records = by_record(rows)
        for done, record_rows in enumerate(records, start=1):
            mentions, person_ids = to_mentions(record_rows)
            if alerting:
                found = alerts_for_record(
                    state.graph, state.analysis, mentions, person_ids, index, possible
                )
                key = (record_rows[0].agency_code, record_rows[0].record_ref)
                self.found += deliver(
                    self.directory, found, {key: record_rows}, state.graph, pair_ids
                )
            state.graph.add_mentions(mentions, person_ids)
            if done % 500 == 0:
                self.step(done, len(records), "adding new records")
        return len(records)

    # -- storing ------------------------------------------------------------------------------

    def _store(self, state: NetworkState, hidden: set[str], matches: list[q.PossibleMatch]) -> int:
        state.token = secrets.token_hex(16)
        run_id = q.insert_run(
            self.session,
            mode=self.mode,
            token=state.token,
            seed=self.seed,
            job_run_id=self.job_run_id,
        )
        analysis = state.analysis
        q.insert_groups(self.session, run_id, [_group_row(g, hidden) for g in analysis.groups])
        ranked = [k for k in analysis.key_people if k.person_id not in hidden]
        q.insert_rows(
            self.session,
            NetworkKeyPerson,
            [
                {
                    "run_id": run_id,
                    "person_id": int(k.person_id),
                    "rank": rank,
                    "score": k.score,
                    "reasons": k.reasons,
                    "children": k.children,
                    "agencies": k.agencies,
                    "group_code": k.group_id,
                }
                # Ranks are renumbered without restricted people: a gap would betray one.
                for rank, k in enumerate(ranked, start=1)
            ],
        )
        q.insert_rows(
            self.session,
            NetworkCommunity,
            [
                {
                    "run_id": run_id,
                    "person_id": int(p),
                    "community": c,
                    "core_number": analysis.core_numbers.get(p, 0),
                }
                for p, c in sorted(analysis.communities.items())
                if p not in hidden
            ],
        )
        q.insert_possible_links(self.session, run_id, _link_rows(matches))
        q.delete_results_before(self.session, keep_from=self.keep_from)
        return run_id

    def _store_children(
        self,
        state: NetworkState,
        run_id: int,
        alerting: bool,
        hidden: set[str],
        matches: list[q.PossibleMatch],
    ) -> int:
        """Each linked child's view for the pages; an alert to the case team only for a child
        whose risk rests on records that point to exploitation (``network.alerts``)."""
        from safehub.network import child_view
        from safehub.network.alerts import child_at_risk, group_pairs

        graph, analysis = state.graph, state.analysis
        possible = possibly_same(matches)
        children = {c for cs in analysis.children_of.values() for c in cs}
        children |= {c for g in analysis.groups for c in g.children}
        rows, at_risk = [], 0
        for child in sorted(children - hidden, key=int):
            view = child_view(graph, analysis, child)
            rows.append(_child_row(run_id, view, hidden))
            risk = child_at_risk(graph, analysis, child)
            if risk is None:
                continue
            at_risk += 1
            if alerting:
                place = _latest_place(graph, child)
                pairs = group_pairs(analysis, risk.groups, possible)
                self.found.append(
                    heightened_risk_alert(
                        self.directory, risk, graph, place, run_id, pairs, _pair_ids(matches)
                    )
                )
        q.insert_rows(self.session, NetworkChild, rows)
        return at_risk

    def _raise(self) -> list[int]:
        found, self.found = self.found, []
        return raise_alerts(self.uow, alerts=found, purpose=PURPOSE) if found else []


def _possible_matches(session: Any) -> list[q.PossibleMatch]:
    """Review pairs that are probably one person: probable enough, and nothing in the records
    against them (given names that differ, dates of birth apart, a person's or the clustering's
    "kept apart"), as identity resolution decides it."""
    from safehub.linkage.decide import APART_REASON, CONFLICT_REASON, GIVEN_NAMES_REASON
    from safehub.linkage.queue import POSSIBLE_PROBABILITY
    from safehub.services.identity.plan import KEPT_APART
    from safehub.services.identity.resolution import KEPT_APART_BY_CLUSTERING

    held = (APART_REASON, CONFLICT_REASON, GIVEN_NAMES_REASON, KEPT_APART, KEPT_APART_BY_CLUSTERING)
    return q.list_possible_matches(session, min_probability=POSSIBLE_PROBABILITY, held_reasons=held)


def _pair_ids(matches: list[q.PossibleMatch]) -> dict[str, int]:
    """A pair's words, as alerts name it (``graph.possibly_same``) -> its review pair."""
    return {pair_words(m): m.pair_id for m in matches}


def _link_rows(matches: list[q.PossibleMatch]) -> list[dict[str, int]]:
    """The pairs the run counted, each with the representative of its set: the id its people
    are listed under in the groups and the ranking (``network.possible``), so that a group or a
    key person is known to rest on every pair of the set it holds."""
    from safehub.network.possible import PossiblySame

    possibly = PossiblySame.of((str(m.person_id), str(m.other_person_id)) for m in matches)
    return [
        {
            "match_pair_id": m.pair_id,
            "person_id": m.person_id,
            "other_person_id": m.other_person_id,
            "representative_id": int(possibly.representative[str(m.person_id)]),
        }
        for m in matches
    ]


def _stored_groups(session: Any, run_id: int) -> dict[str, tuple[str, ...]]:
    """Code -> member person ids of a stored run's groups."""
    groups = q.list_groups_of_run(session, run_id)
    code_of = {g.id: g.code for g in groups}
    members: dict[str, list[str]] = {g.code: [] for g in groups}
    for member in q.list_group_members(session, list(code_of)):
        members[code_of[member.group_id]].append(str(member.person_id))
    return {code: tuple(people) for code, people in members.items()}


def _group_row(group: Any, hidden: set[str]) -> dict[str, Any]:
    return {
        "code": group.group_id,
        "grounds": stored_grounds(
            group.grounds, hidden, holds_hidden=any(m.person_id in hidden for m in group.members)
        ),
        "records": [list(r) for r in group.records],
        "shared_identifiers": list(group.shared_identifiers),
        "agencies": list(group.agencies),
        "areas": list(group.areas),
        "first_date": group.first_date,
        "last_date": group.last_date,
        "members": [
            (int(m.person_id), m.role_in_group) for m in group.members if m.person_id not in hidden
        ],
    }


def _child_row(run_id: int, view: Any, hidden: set[str]) -> dict[str, Any]:
    adults = [
        {
            "person_id": int(a.person_id),
            "roles": list(a.roles),
            "records": [list(r) for r in a.records],
            "other_children": [int(c) for c in a.other_children if c not in hidden],
        }
        for a in view.adults
        if a.person_id not in hidden
    ]
    return {
        "run_id": run_id,
        "person_id": int(view.person_id),
        "heightened_risk": view.heightened_risk,
        "reasons": list(view.reasons),
        "adults": adults,
        "places": list(view.places),
        "vehicles": list(view.vehicles),
        "other_children": [int(c) for c in view.other_children if c not in hidden],
        "groups": list(view.groups),
    }


def _latest_place(graph: NetworkGraph, child: str) -> tuple[str, str]:
    """The agency and area of the child's latest record: where their alert is addressed."""
    fact = max(graph.person_mentions(child), key=lambda m: (m.record_date, m.key))
    return fact.agency_code, graph.records[fact.record_key].area_code


def analyse_demo_network(uow: UnitOfWork, *, progress: Progress | None = None) -> NetworkUpdate:
    """The network job over the demo area, in the demo's unit of work (the caller commits): call
    it after the import and identity resolution, so that the groups rest on resolved people."""
    bind = uow.session.get_bind()
    return update_network(
        uow, database_key=bind.engine.url.render_as_string(hide_password=True), progress=progress
    )
