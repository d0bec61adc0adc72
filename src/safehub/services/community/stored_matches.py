"""Matches stored, not computed on every view: the match job writes them, the pages read them.

When matches are made (``jobs/community_match_job.py``):

- **a new report**: the worker queues ``community_match`` on each of its cycles when a report
  has no stored matches yet (``queue_matching_if_waiting``), so a report is matched within one
  cycle of arriving. The public app cannot queue it: its role reads and queues nothing. A report
  never changes what it names after it is sent (the reporter can only add messages; staff never
  rewrite it), so a report's matches change only when agency data does;
- **agency data changed**: every network run queues ``community_match_all`` when it has stored
  its analysis (``queue_report_matching``). A network run follows every import's resolution,
  every merge or split and every rejected pair, so the matches follow the candidate index, the
  people held and their network groups. It rematches every open report (not closed or
  converted); a closed one keeps the matches of its last run, shown with their date.

What is stored is the evidence of ``matching.FoundMatch``: never a record's content. Reading it is
a consultation of the people matched, audited for the lead who reads it, as before; the job's
own matching is audited as the system's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from safehub.db.queries import community as reports_q
from safehub.db.queries import community_matching as q
from safehub.db.queries.jobs import enqueue_job, get_queued_job
from safehub.db.uow import UnitOfWork
from safehub.services.community.matching import FoundMatch, MatchEvidence, find_matches
from safehub.services.errors import ForbiddenError

MATCH_JOB = "community_match"
REMATCH_JOB = "community_match_all"
BATCH = 200

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class MatchesStored:
    evaluated: int  # reports matched
    matched: int  # of which something agencies hold matched

    def summary(self) -> str:
        return f"{self.evaluated:,} community reports matched, {self.matched:,} with a match"


@dataclass(frozen=True, slots=True)
class StoredMatches:
    """A report's matches as the last match run stored them, as one lead may see them."""

    matched_at: datetime
    evidence: list[MatchEvidence]


def queue_report_matching(uow: UnitOfWork, *, everything: bool) -> int | None:
    """Queue a match run in the caller's transaction unless one is waiting (a waiting run reads
    everything committed before it starts), or, to rematch, unless no report is open. An
    operational record: not audited. The caller acts as the system (the reports are read)."""
    job = REMATCH_JOB if everything else MATCH_JOB
    if get_queued_job(uow.session, job) is not None:
        return None
    if everything and not q.has_open_reports(uow.session):
        return None  # nothing to rematch: no run recorded for nothing
    return enqueue_job(uow.session, job=job, params={}, requested_by=uow.actor.label)


def queue_matching_if_waiting(uow: UnitOfWork) -> int | None:
    """The worker's cycle: queue ``community_match`` when a report has never been matched."""
    if not uow.actor.is_system:
        raise ForbiddenError("the match job runs as the system")
    if q.count_reports_unmatched(uow.session) == 0:
        return None
    return queue_report_matching(uow, everything=False)


def store_report_matches(
    uow: UnitOfWork, *, everything: bool, today: date, at: datetime, progress: Progress
) -> MatchesStored:
    """Match the reports never matched (``everything``: and every open one) and store what they
    matched, in batches; system only. The caller commits."""
    if not uow.actor.is_system:
        raise ForbiddenError("the match job runs as the system")
    matched = after = 0
    reports: list[int] = []
    people: set[int] = set()
    while rows := reports_q.list_reports_to_match(
        uow.session, everything=everything, after_id=after, limit=BATCH
    ):
        found = find_matches(uow, rows, today=today)
        q.upsert_report_matches(
            uow.session,
            [(r.report_id, [m.stored() for m in found.get(r.report_id, [])]) for r in rows],
            at=at,
        )
        people |= {p for ms in found.values() for m in ms for p, _ in m.held}
        reports += [r.report_id for r in rows]
        matched += len(found)
        after = rows[-1].report_id
        progress(len(reports), len(reports), "matching community reports against agency records")
    if reports:
        if people:
            uow.audit(
                "consultation",
                "person",
                sorted(people),
                purpose="community reports matched against agency records (stored for triage)",
            )
        uow.audit(
            "alteration",
            "community_report_match",
            reports,
            purpose="matches of community reports stored for triage",
            detail={"with_a_match": matched, "everything": everything},
        )
    return MatchesStored(len(reports), matched)


def read_stored_matches(uow: UnitOfWork, report_ids: Sequence[int]) -> dict[int, StoredMatches]:
    """The stored matches of these reports, as the acting lead may see them (a person's page is
    offered only to a lead of the agency that holds them). Audited as a consultation of the
    people matched, as reading a match always was."""
    stored = q.list_stored_matches(uow.session, report_ids)
    shown: dict[int, StoredMatches] = {}
    people: set[int] = set()
    for report_id, (matched_at, evidence) in stored.items():
        found = [FoundMatch.from_stored(e) for e in evidence]
        people |= {p for m in found for p, _ in m.held}
        agency = uow.actor.agency_id
        shown[report_id] = StoredMatches(matched_at, [m.for_agency(agency) for m in found])
    if people:
        uow.audit(
            "consultation",
            "person",
            sorted(people),
            purpose="community reports matched against agency records",
            detail={"reports": sorted(r for r, s in shown.items() if s.evidence)},
        )
    return shown
