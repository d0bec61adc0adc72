"""Identity resolution in the database: one person per real person, with stable ids.

Import gives every agency person (agency + ``person_ref``) a person of its own; resolution then
merges people. A merged person keeps the id of its oldest person; the absorbed person's row
stays, pointing at the survivor (``merged_into_id``), so links to it still resolve and the merge
can be undone. Every merge, split and undo is a ``person_link_event`` (who or what decided, the
pair evidence, the confidence) and is audited as "combination". Resolution only ever merges:
splitting is a person's decision.

    summary = resolve_all_people(uow, purpose="nightly linkage")   # bulk (trains on first run)
    summary = resolve_new_people(uow, purpose="after import")      # incremental

Undoing a merge and splitting a record out are a person's decisions: ``links``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from safehub.db.models.identity import PersonLinkEvent, StoredLinkageModel
from safehub.db.queries.identity.pairs import (
    list_decided_pairs,
    set_pairs_within_people_superseded,
    upsert_pending_pairs,
)
from safehub.db.queries.identity.resolution import (
    count_matchable,
    get_candidates,
    get_newest_model_key,
    get_person_ids,
    list_agency_people,
    list_blocked_pairs,
    list_current_mentions,
    list_members,
    list_mention_identifiers,
    list_stale_agency_people,
    set_candidate_index,
    set_link_confidence,
    set_merged_into,
    set_person_of_agency_people,
)
from safehub.db.queries.jobs import enqueue_job, get_queued_job
from safehub.db.uow import UnitOfWork
from safehub.events import PeopleMerged, PeopleResolved
from safehub.linkage import (
    AgencyPerson,
    LinkageModel,
    ScoredPair,
    collapse_mentions,
    resolve_people,
    train_model,
)
from safehub.linkage.progress import ProgressLike
from safehub.services.identity.index import (
    ScoredLink,
    agency_people_of,
    index_entry,
    mentions_from_rows,
    score_links,
)
from safehub.services.identity.places import place_links
from safehub.services.identity.plan import MergePlan, PlannedMerge, plan_merges

# Entries read per blocking key when placing new records (a national name such as "Muhammad
# Khan" has thousands; rarer keys such as a date of birth with a name still find the match).
INCREMENTAL_CAP = 200


_MODELS: dict[tuple[int, datetime], LoadedModel] = {}


@dataclass(frozen=True, slots=True)
class LoadedModel:
    id: int
    model: LinkageModel
    shared: dict[str, frozenset[str]]


@dataclass(frozen=True, slots=True)
class ResolutionSummary:
    mode: str  # "bulk", "incremental" or "nothing new"
    agency_people: int
    merges: int
    review_pairs: int
    trained: bool

    @property
    def evaluated(self) -> int:
        """Agency people read: the resolution job's progress count (``jobs.worker``)."""
        return self.agency_people

    def summary(self) -> str:
        return (
            f"{self.mode}: {self.agency_people:,} agency people, {self.merges:,} merges, "
            f"{self.review_pairs:,} pairs for review"
        )


def load_model(uow: UnitOfWork) -> LoadedModel | None:
    """The newest saved model, or ``None`` before the first resolution."""
    key = get_newest_model_key(uow.session)
    if key is None:
        return None
    # Parsing a model (its name frequencies) costs more than a whole intake check: saved models
    # never change, so each is parsed once per process (keyed by id and time: one process may
    # serve several databases, as the tests do).
    if key not in _MODELS:
        row = uow.session.get(StoredLinkageModel, key[0])
        assert row is not None
        shared = {k: frozenset(v) for k, v in row.shared.items()}
        _MODELS.clear()
        _MODELS[key] = LoadedModel(row.id, LinkageModel.from_dict(row.model), shared)
    return _MODELS[key]


def save_model(
    uow: UnitOfWork, *, model: LinkageModel, shared: dict[str, frozenset[str]], records: int
) -> int:
    row = StoredLinkageModel(
        model=model.to_dict(), shared={k: sorted(v) for k, v in shared.items()}, records=records
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit(
        "collection",
        "linkage_model",
        [row.id],
        purpose="identity resolution model",
        detail={"records": records},
    )
    return row.id


def resolve_all_people(
    uow: UnitOfWork,
    *,
    purpose: str = "identity resolution",
    model: LinkageModel | None = None,
    progress: ProgressLike | None = None,
) -> ResolutionSummary:
    """Bulk: resolve every current mention with Splink; train and save a model on the first run."""
    session = uow.session
    mentions = mentions_from_rows(
        list_current_mentions(session, None), list_mention_identifiers(session, None)
    )
    if not mentions:
        return ResolutionSummary("nothing new", 0, 0, 0, False)
    stored = load_model(uow)
    trained = model is None and stored is None
    if model is None:
        model = stored.model if stored else train_model(mentions, progress=progress)
    resolution = resolve_people(mentions, model=model, progress=progress)
    model = resolution.model  # its prior set for these people: stored and explained as used
    ids = list_agency_people(session)
    people = {ids[p.key][0]: p for p in collapse_mentions(mentions)}
    entries = [index_entry(ap_id, p, resolution.shared) for ap_id, p in people.items()]
    keys = ((k, e.agency_person_id) for e in entries for k in e.keys)
    set_candidate_index(session, [e.row() for e in entries], keys, everything=True)
    model_id = save_model(uow, model=model, shared=dict(resolution.shared), records=len(entries))
    links = [
        _as_clustered(_link(pair, ids, model.prior_weight), pair, resolution.person_ids)
        for pair in resolution.pairs
    ]
    merges, review = _apply(uow, links, fresh=None, known=people)
    _audit_run(uow, "bulk", model_id, merges, review, purpose)
    _resolved(uow, [e.agency_person_id for e in entries], merges, purpose)
    return ResolutionSummary("bulk", len(entries), len(merges), review, trained)


def resolve_new_people(
    uow: UnitOfWork, *, purpose: str = "identity resolution", progress: ProgressLike | None = None
) -> ResolutionSummary:
    """Incremental: place new and changed agency people among the people already held.

    Held people are never renumbered: a new record joins the person it matches best; a link
    that would join two people already held goes to review. The first run is a bulk run.
    """
    stored = load_model(uow)
    if stored is None:
        return resolve_all_people(uow, purpose=purpose, progress=progress)
    session = uow.session
    fresh, changed = list_stale_agency_people(session)
    stale = sorted(set(fresh) | set(changed))
    if not stale:
        return ResolutionSummary("nothing new", 0, 0, 0, False)
    people = agency_people_of(session, stale)
    entries = [index_entry(ap_id, p, stored.shared) for ap_id, p in people.items()]
    keys = ((k, e.agency_person_id) for e in entries for k in e.keys)
    set_candidate_index(session, [e.row() for e in entries], keys, everything=False)
    pairs = list_blocked_pairs(
        session, [e.agency_person_id for e in entries if e.matchable], INCREMENTAL_CAP
    )
    candidates = get_candidates(session, {n for pair in pairs for n in pair})
    pairs = [(a, b) for a, b in pairs if a in candidates and b in candidates]
    features = {k: c.features for k, c in candidates.items()}
    concern = {k: c.of_concern for k, c in candidates.items()}
    # The prior is for the people held now, not those of the last bulk run.
    model = stored.model.for_population(count_matchable(session))
    # The held candidates too, as a bulk run knows them: the rules that read more than a pair
    # (twins the records show, sexes, roles and ages, records naming both) hold here as well.
    people.update(agency_people_of(session, set(candidates) - set(people)))
    links = score_links(model, pairs, features, concern, people)
    merges, review = _apply(uow, links, fresh=frozenset(fresh), known=people)
    _audit_run(uow, "incremental", stored.id, merges, review, purpose)
    _resolved(uow, [e.agency_person_id for e in entries], merges, purpose)
    return ResolutionSummary("incremental", len(entries), len(merges), review, False)


def _resolved(
    uow: UnitOfWork, agency_person_ids: list[int], merges: list[PlannedMerge], purpose: str
) -> None:
    """Tell the handlers who resolution has now seen: the alerts and the network follow."""
    people = sorted(set(get_person_ids(uow.session, agency_person_ids).values()))
    uow.emit(PeopleResolved(person_ids=tuple(people), merges=len(merges), purpose=purpose))


KEPT_APART_BY_CLUSTERING = "its records conflict with others of the same person; confirm"


def _as_clustered(
    link: ScoredLink, pair: ScoredPair, person_ids: Mapping[tuple[str, str], str]
) -> ScoredLink:
    """An accepted pair that linkage's clustering kept apart (a cluster whose members conflict
    is split, not chained) waits for a person: the database holds the people ``safehub resolve``
    and ``safehub networks`` find on the same records, not a union of every accepted pair."""
    if not link.accepted or person_ids[pair.left] == person_ids[pair.right]:
        return link
    return replace(link, accepted=False, needs_review=True, reason=KEPT_APART_BY_CLUSTERING)


def _link(
    pair: ScoredPair, ids: dict[tuple[str, str], tuple[int, int]], prior: float
) -> ScoredLink:
    a, b = sorted((ids[pair.left][0], ids[pair.right][0]))
    evidence = tuple(
        {
            "field": f.field,
            "level": f.level,
            "weight": round(f.match_weight, 4),
            "tf_weight": round(f.tf_weight, 4),
        }
        for f in pair.fields
    )
    return ScoredLink(
        a,
        b,
        pair.match_probability,
        pair.match_weight,
        prior,
        evidence,
        pair.accepted,
        pair.needs_review,
        pair.reason,
        pair.held,
    )


def _apply(
    uow: UnitOfWork,
    links: Sequence[ScoredLink],
    *,
    fresh: frozenset[int] | None,
    known: Mapping[int, AgencyPerson],
) -> tuple[list[PlannedMerge], int]:
    """Merge along accepted links, queue the uncertain ones; returns merges and pairs queued.

    ``known``: agency people already read, by id (the review queue's places read their facts).
    """
    session = uow.session
    involved = {n for link in links for n in (link.left, link.right)}
    person_of = get_person_ids(session, involved)
    members = list_members(session, person_of.values())
    decided = list_decided_pairs(session, involved)
    rejected = [pair for pair, status in decided.items() if status == "rejected"]
    plan = plan_merges([x for x in links if x.accepted], person_of, members, rejected, fresh)
    for merge in plan.merges:
        _merge(uow, merge.absorbed, merge.survivor, merge.agency_person_ids, merge.link, "model")
    set_link_confidence(session, _confidence(links, plan))
    # Every agency person of the people involved, with their person after this run's merges.
    final = {person_of[ap]: plan.final_person[ap] for ap in person_of}
    after = {ap: final[person] for person, aps in members.items() for ap in aps}
    waiting = [x for x in links if x.needs_review] + plan.blocked
    queued = _queue(uow, waiting, plan, decided, after, known)
    set_pairs_within_people_superseded(session)
    uow.mark_changed()
    return plan.merges, queued


def _confidence(links: Sequence[ScoredLink], plan: MergePlan) -> dict[int, float | None]:
    """Each linked agency person's strongest accepted link inside its person."""
    best: dict[int, float | None] = {}
    for link in links:
        if link.accepted and plan.final_person[link.left] == plan.final_person[link.right]:
            for node in (link.left, link.right):
                best[node] = max(best.get(node) or 0.0, link.match_probability)
    return best


def _queue(
    uow: UnitOfWork,
    links: Sequence[ScoredLink],
    plan: MergePlan,
    decided: dict[tuple[int, int], str],
    person_of: Mapping[int, int],
    known: Mapping[int, AgencyPerson],
) -> int:
    """Store the pairs waiting for a person, each with its place in the review queue."""
    waiting: dict[tuple[int, int], ScoredLink] = {}
    for link in links:
        pair = (link.left, link.right)
        if decided.get(pair, "pending") != "pending":
            continue  # a person already decided this pair: never proposed again
        if plan.final_person[link.left] == plan.final_person[link.right]:
            continue
        waiting[pair] = link
    ordered = [waiting[k] for k in sorted(waiting)]
    places = place_links(uow.session, ordered, person_of, known)
    rows = [link.pending_row() | place.row() for link, place in zip(ordered, places, strict=True)]
    return upsert_pending_pairs(uow.session, rows)


def _merge(
    uow: UnitOfWork,
    absorbed: int,
    survivor: int,
    agency_person_ids: Sequence[int],
    link: ScoredLink,
    decided_by: str,
    match_pair_id: int | None = None,
) -> PersonLinkEvent:
    set_person_of_agency_people(uow.session, agency_person_ids, survivor)
    set_merged_into(uow.session, absorbed, survivor)
    event = PersonLinkEvent(
        kind="merge",
        person_id=survivor,
        other_person_id=absorbed,
        agency_person_ids=list(agency_person_ids),
        decided_by=decided_by,
        actor=uow.actor.label,
        match_pair_id=match_pair_id,
        confidence=link.match_probability,
        evidence=list(link.evidence),
        reason=link.reason,
    )
    uow.session.add(event)
    return event


def _audit_run(
    uow: UnitOfWork, mode: str, model_id: int, merges: list[PlannedMerge], review: int, purpose: str
) -> None:
    # A bulk action is one audit entry with a digest of what it touched: an entry per merge would
    # bury the log, and the digest still lets anyone check which merges a run made.
    touched = sorted((m.absorbed, m.survivor) for m in merges)
    digest = hashlib.sha256(json.dumps(touched).encode()).hexdigest()
    uow.audit(
        "combination",
        "identity_resolution",
        [model_id],
        purpose=purpose,
        detail={
            "mode": mode,
            "merges": len(merges),
            "review_pairs": review,
            "merges_digest": digest,
        },
    )


def merge_pair(
    uow: UnitOfWork, *, link: ScoredLink, match_pair_id: int | None, purpose: str
) -> int:
    """Merge the people of two agency people on a person's confirmation; returns the survivor."""
    person_of = get_person_ids(uow.session, (link.left, link.right))
    left, right = person_of[link.left], person_of[link.right]
    if left == right:
        return left
    survivor, absorbed = min(left, right), max(left, right)
    members = list_members(uow.session, [absorbed])[absorbed]
    _merge(uow, absorbed, survivor, members, link, "person", match_pair_id)
    set_link_confidence(
        uow.session, {link.left: link.match_probability, link.right: link.match_probability}
    )
    set_pairs_within_people_superseded(uow.session)
    _alert_after_merges(uow, [survivor])
    uow.audit(
        "combination",
        "person",
        [survivor, absorbed],
        purpose=purpose,
        detail={"kind": "merge", "decided_by": "person", "match_pair": match_pair_id},
    )
    return survivor


def _alert_after_merges(uow: UnitOfWork, survivors: list[int]) -> None:
    """A person's confirmed merge: the handlers (victim alerts, network update) follow. A
    resolution run says so once for everyone it read (``PeopleResolved``)."""
    if survivors:
        uow.emit(PeopleMerged(tuple(survivors), "records linked by identity resolution"))


def resolve_demo_people(uow: UnitOfWork) -> ResolutionSummary:
    """The demo: resolve the imported synthetic area, so a case shows one child, every agency."""
    return resolve_all_people(uow, purpose="demo data")


# The resolution job: queued by every import, run by the worker before the network update.
RESOLVE_JOB = "resolve"


def queue_resolution(uow: UnitOfWork) -> int | None:
    """Queue a resolution run in the caller's transaction (a rolled-back import queues nothing),
    unless one is already waiting: a waiting run reads everything committed before it starts."""
    if get_queued_job(uow.session, RESOLVE_JOB) is not None:
        return None
    return enqueue_job(uow.session, job=RESOLVE_JOB, params={}, requested_by=uow.actor.label)
