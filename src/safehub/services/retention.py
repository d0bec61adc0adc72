"""Retention by review: records of child sexual abuse allegations are kept for decades (IICSA
recommended 75 years), so a record reaching its review date goes to a person to decide.

Nothing is deleted silently and nothing without a decision:

- ``find_records_due`` (the review job, a system actor) opens a review for each record whose
  review date has come: its class's period counted from its last entry;
- the data protection officer sees the queue (``review_queue``) and decides each review
  (``decide_review``): **keep** it until a new review date, **anonymise** it (the child's details
  and the free text replaced, the facts kept: dates, kinds, agencies, statuses), or **erase** it
  with a stated reason. Anonymising and erasing are done by the database function
  ``safehub_retention_decide`` (migration 0024), which refuses a review that is not waiting and
  writes the erasure's tombstone; the application role has no DELETE on any case table;
- every decision is in the audit log (``alteration`` for keep and anonymise, ``erasure`` for
  erase), and an erasure leaves a tombstone saying what was erased, when, by whom and why.

Periods are data (``retention_class``), each with its source; the data protection officer may
change a partnership setting (``change_retention_period``), never a national one.

Community reports that were not converted are reviewed too (class ``community_report``, 2
years from the last message by default, migration 0028: storage limitation under UK GDPR
Art. 5(1)(e)); a converted report follows the record it became.

Imported agency records (``agency_record``) are not reviewed here: they are copies of each
agency's own records, which follow that agency's schedule and its next extract.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from safehub.access import Permission, can
from safehub.db.models.retention import RetentionClass
from safehub.db.queries import retention as q
from safehub.db.queries.retention import ReviewLine as ReviewLine
from safehub.db.queries.retention import Tombstone as Tombstone
from safehub.db.rls import system_step
from safehub.db.uow import UnitOfWork
from safehub.services.errors import ForbiddenError, NotFoundError, RefusedError

RETENTION_JOB = "retention_review"
OUTCOMES = {
    "keep": "Keep it, and review it again on a date",
    "anonymise": "Anonymise it: remove the child's details and the free text, keep the facts",
    "erase": "Erase it, leaving a record of what was erased and why",
}
# The record's table, as the audit log names objects.
_OBJECT = {"case": "safeguarding_case", "referral": "referral", "community": "community_report"}
QUEUE_LIMIT = 500
MAX_YEARS = 150

Progress = Callable[[int, int, str], None]


class RetentionRefusedError(RefusedError):
    """The decision cannot be taken as given: ``errors`` names each field to put right."""


def _require(uow: UnitOfWork) -> None:
    if not can(uow.actor, Permission.MANAGE_RETENTION):
        raise ForbiddenError("only the data protection officer decides retention reviews")


# -- the review job ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FoundReviews:
    evaluated: int
    found: int

    def summary(self) -> str:
        return f"{self.evaluated:,} records looked at, {self.found:,} reached their review date"


def find_records_due(
    uow: UnitOfWork, *, today: date, run_id: int | None, progress: Progress
) -> FoundReviews:
    """Open a review for every record whose review date is ``today`` or earlier (system only)."""
    if not uow.actor.is_system:
        raise ForbiddenError("the retention review job runs as the system")
    total = q.count_reviewable_records(uow.session)
    progress(0, total, "finding records that reached their review date")
    due = q.list_records_due(uow.session, today=today)
    opened = q.insert_retention_reviews(uow.session, due, run_id=run_id)
    if opened:
        uow.audit(
            "collection",
            "retention_review",
            opened,
            purpose="records reaching their review date, for a person to decide",
        )
    progress(total, total, f"{len(opened)} new reviews")
    return FoundReviews(total, len(opened))


# -- the data protection officer's queue ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class RetentionOverview:
    open: list[ReviewLine]
    decided: list[ReviewLine]
    tombstones: list[Tombstone]
    classes: list[RetentionClass]


def review_queue(uow: UnitOfWork, *, decided_limit: int = 50) -> RetentionOverview:
    """Reviews waiting for a decision, the latest decisions, erasures and the classes."""
    _require(uow)
    waiting = q.list_open_reviews(uow.session, limit=QUEUE_LIMIT)
    decided = q.list_decided_reviews(uow.session, limit=decided_limit)
    tombstones = q.list_tombstones(uow.session, limit=decided_limit)
    seen = [r.id for r in waiting] + [r.id for r in decided]
    uow.audit("consultation", "retention_review", seen, purpose="retention review queue")
    return RetentionOverview(waiting, decided, tombstones, q.list_retention_classes(uow.session))


@dataclass(frozen=True, slots=True)
class ReviewDetail:
    review: ReviewLine
    # What the record holds, by kind of entry (counts, never content).
    holds: dict[str, int]


def view_review(uow: UnitOfWork, *, review_id: int) -> ReviewDetail:
    _require(uow)
    review = q.get_review(uow.session, review_id)
    if review is None:
        raise NotFoundError(f"retention review {review_id}")
    # Counting a record's entries is the partnership's step: the DPO is not on the case team.
    with system_step(uow):
        holds = q.count_record_entries(
            uow.session, kind=review.record_kind, record_id=review.record_id
        )
    uow.audit(
        "consultation", "retention_review", [review_id], purpose="deciding a retention review"
    )
    return ReviewDetail(review, holds)


@dataclass(frozen=True, slots=True)
class RetentionDecision:
    """A person's decision on one review, as the page (or a program) gives it."""

    review_id: int
    outcome: str = ""
    reason: str = ""
    next_review_on: date | None = None

    def problems(self, *, today: date) -> dict[str, str]:
        """Everything that stops the decision being taken, by field."""
        if self.outcome not in OUTCOMES:
            return {"outcome": "Select whether to keep, anonymise or erase the record"}
        if self.outcome == "keep":
            if self.next_review_on is None:
                return {"next_review_on": "Enter the date to review the record again"}
            if self.next_review_on <= today:
                return {"next_review_on": "The next review date must be in the future"}
            return {}
        if not self.reason.strip():
            verb = "erased" if self.outcome == "erase" else "anonymised"
            return {"reason": f"Say why the record should be {verb}"}
        return {}


@dataclass(frozen=True, slots=True)
class DecisionTaken:
    review: ReviewLine
    outcome: str
    changed: dict[str, int]


def decide_review(uow: UnitOfWork, *, decision: RetentionDecision, today: date) -> DecisionTaken:
    """Keep, anonymise or erase the record under review; audited, and for an erasure a
    tombstone. Raises ``RetentionRefusedError`` naming each field to put right."""
    _require(uow)
    review = q.get_review(uow.session, decision.review_id)
    if review is None:
        raise NotFoundError(f"retention review {decision.review_id}")
    problems = decision.problems(today=today)
    if review.status != "due":
        problems = {"outcome": "This review has been decided already"}
    if problems:
        raise RetentionRefusedError(problems)
    changed = q.decide_retention_review(
        uow.session,
        review_id=review.id,
        outcome=decision.outcome,
        reason=decision.reason.strip(),
        next_review=decision.next_review_on if decision.outcome == "keep" else None,
    )
    _audit_decision(uow, review, decision, changed)
    return DecisionTaken(review, decision.outcome, changed)


def _audit_decision(
    uow: UnitOfWork, review: ReviewLine, decision: RetentionDecision, changed: dict[str, int]
) -> None:
    detail: dict[str, object] = {"review": review.id, "class": review.class_code}
    if decision.outcome == "keep":
        detail["next_review_on"] = str(decision.next_review_on)
        uow.audit(
            "alteration",
            "retention_review",
            [review.id],
            purpose=f"kept after retention review until {decision.next_review_on}",
            detail=detail,
        )
        return
    action = "erasure" if decision.outcome == "erase" else "alteration"
    verb = "erased" if decision.outcome == "erase" else "anonymised"
    uow.audit(
        action,
        _OBJECT[review.record_kind],
        [review.record_id],
        purpose=f"{verb} after retention review: {decision.reason.strip()}",
        detail={**detail, "changed": changed},
    )


# -- the classes -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RetentionPeriodChange:
    code: str
    years: str

    def problems(self) -> dict[str, str]:
        text = self.years.strip()
        if not text.isdigit() or not 1 <= int(text) <= MAX_YEARS:
            return {f"years-{self.code}": f"Enter the period as whole years from 1 to {MAX_YEARS}"}
        return {}


def change_retention_period(uow: UnitOfWork, *, change: RetentionPeriodChange) -> None:
    """Change a partnership setting's period (a national one cannot be changed)."""
    _require(uow)
    problems = change.problems()
    if problems:
        raise RetentionRefusedError(problems)
    if not q.set_retention_years(
        uow.session, code=change.code, years=int(change.years), by=uow.actor.label
    ):
        raise NotFoundError(f"editable retention class {change.code}")
    uow.audit(
        "alteration",
        "retention_class",
        [change.code],
        purpose=f"retention period set to {int(change.years)} years",
    )
