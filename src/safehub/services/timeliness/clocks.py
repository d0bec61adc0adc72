"""Statutory and local clocks in the case record: started and stopped by events, as data.

A clock follows a rule of ``safehub.timescales`` (Working Together 2023 by default, plus local
rules an administrator sets in the UI). Events start and stop clocks: ``referral_received``
starts the referral decision and assessment clocks; ``strategy_discussion_started_s47`` starts
the initial conference clock; ``returned_from_missing`` the 72-hour return home interview. Any
rule whose ``start_event`` is the event starts; any open clock of the same subject whose rule's
``stop_event`` is the event stops. A clock that stops late, or is overdue, asks for a reason.

Actions agreed at meetings carry a clock too, with a due date set by people (``DEADLINE_RULE``).

>>> subject = ClockSubject(referral_id=42)
>>> subject.subject_type
'referral'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from safehub.access.actor import Actor
from safehub.db.models.casework import Referral
from safehub.db.models.timeliness import Clock
from safehub.db.queries import councils
from safehub.db.queries import timeliness as q
from safehub.db.uow import UnitOfWork
from safehub.services.errors import NotFoundError
from safehub.services.practice.saved_anyway import TextCheck, checked_or_held
from safehub.services.timeliness.rules import (
    DEADLINE,
    DEADLINE_RULE,
    DEFAULT_JURISDICTION,
    clock_status,
    current_rulebook,
    rule_for,
    working_calendar,
)
from safehub.timescales import ClockRule, ClockStatus, RuleBook, due, local_date


class OverrunReasonNeededError(ValueError):
    """A clock stopped late (or overdue) needs the reason for the delay recorded."""


@dataclass(frozen=True, slots=True)
class ClockOwner:
    """Who is responsible: an agency, and within it a team and a person when known."""

    agency_id: int
    team_id: int | None = None
    user_id: int | None = None


@dataclass(frozen=True, slots=True)
class ClockSubject:
    """What the clock is about: a case, a referral or a person."""

    case_id: int | None = None
    referral_id: int | None = None
    person_id: int | None = None

    @property
    def subject_type(self) -> str:
        if self.referral_id is not None:
            return "referral"
        if self.case_id is not None:
            return "case"
        return "person"


def record_clock_event(
    uow: UnitOfWork,
    *,
    event: str,
    at: datetime,
    subject: ClockSubject,
    owner: ClockOwner,
    title: str,
    reason: str | None = None,
    jurisdiction: str = DEFAULT_JURISDICTION,
    reason_check: TextCheck | None = None,
) -> tuple[list[Clock], list[Clock]]:
    """Stop the subject's open clocks that this event ends, then start those it begins; a clock
    stopped is stopped by whoever the unit of work acts as (nobody, for a system process).

    Returns ``(stopped, started)``. A clock stopped late without ``reason`` raises
    :class:`OverrunReasonNeededError` (Working Together asks for the reason to be recorded).
    ``reason_check`` is the language check the caller made of ``reason`` (its flags, and why
    it was kept as written), kept with each clock the reason is recorded on.
    """
    book = current_rulebook(uow)
    stopped = _stop_for_event(uow, book, event, at, subject, reason, reason_check)
    rules = _active_rules_starting(uow, book, jurisdiction, event)
    started = [_start(uow, rule, at, subject, owner, title) for rule in rules]
    uow.session.flush()
    if started or stopped:
        uow.audit(
            "collection",
            "clock",
            [c.id for c in started + stopped],
            purpose=f"clock event {event}",
            detail={"stopped": [c.id for c in stopped]},
        )
    return stopped, started


def check_event_reasons(
    uow: UnitOfWork, *, event: str, at: datetime, subject: ClockSubject, reason: str | None
) -> None:
    """Raise :class:`OverrunReasonNeededError` before anything is written when the event would
    stop a clock late and no reason is given (nor already recorded on the clock)."""
    if (reason or "").strip():
        return
    book = current_rulebook(uow)
    for clock in _open_clocks_of(uow, subject):
        rule = rule_for(book, clock.jurisdiction, clock.rule_id)
        if rule.stop_event == event and not clock.overrun_reason:
            status = clock_status(clock, rule=rule, now=at, stopped=at)
            if status.needs_reason:
                raise OverrunReasonNeededError(
                    f"{clock.title} is late (due {_due_text(status)}): record the reason for the delay"
                )


def _active_rules_starting(
    uow: UnitOfWork, book: RuleBook, jurisdiction: str, event: str
) -> list[ClockRule]:
    retired = q.list_retired_rule_ids(uow.session)
    return [
        r
        for r in book.for_jurisdiction(jurisdiction)
        if r.start_event == event and r.id not in retired
    ]


def _start(
    uow: UnitOfWork,
    rule: ClockRule,
    at: datetime,
    subject: ClockSubject,
    owner: ClockOwner,
    title: str,
) -> Clock:
    calendar = working_calendar(rule.jurisdiction.value)
    due_value = due(rule, at, calendar)
    clock = Clock(
        rule_id=rule.id,
        jurisdiction=rule.jurisdiction.value,
        title=f"{title}: {rule.description}",
        started_at=at,
        due_on=local_date(due_value),
        due_at=due_value if isinstance(due_value, datetime) else None,
        state="on_track",
        owner_agency_id=owner.agency_id,
        owner_team_id=owner.team_id,
        owner_user_id=owner.user_id,
        subject_type=subject.subject_type,
        case_id=subject.case_id,
        referral_id=subject.referral_id,
        person_id=subject.person_id,
    )
    clock.state = clock_status(clock, rule=rule, now=at).state.value
    uow.session.add(clock)
    return clock


def _stop_for_event(
    uow: UnitOfWork,
    book: RuleBook,
    event: str,
    at: datetime,
    subject: ClockSubject,
    reason: str | None,
    reason_check: TextCheck | None = None,
) -> list[Clock]:
    stopped = []
    for clock in _open_clocks_of(uow, subject):
        rule = rule_for(book, clock.jurisdiction, clock.rule_id)
        if rule.stop_event == event:
            _stop(clock, rule, at, uow.actor, reason, reason_check)
            stopped.append(clock)
    return stopped


def _open_clocks_of(uow: UnitOfWork, subject: ClockSubject) -> list[Clock]:
    return q.list_open_clocks_of(
        uow.session,
        case_id=subject.case_id,
        referral_id=subject.referral_id,
        person_id=subject.person_id,
    )


def _stop(
    clock: Clock,
    rule: ClockRule,
    at: datetime,
    actor: Actor,
    reason: str | None,
    check: TextCheck | None = None,
) -> None:
    status = clock_status(clock, rule=rule, now=at, stopped=at)
    reason = (reason or "").strip() or clock.overrun_reason
    if status.needs_reason and not reason:
        raise OverrunReasonNeededError(
            f"{clock.title} is late (due {_due_text(status)}): record the reason for the delay"
        )
    clock.stopped_at = at
    clock.stopped_by_user_id = actor.user_id
    clock.state = status.state.value
    if status.needs_reason and reason != clock.overrun_reason:
        _set_reason(clock, reason or "", actor, at, check)


def _set_reason(
    clock: Clock, reason: str, actor: Actor, at: datetime, check: TextCheck | None = None
) -> None:
    """The reason, and the language flags found in it with why it was kept as written: a new
    reason replaces the flags of the old one (none when it was not checked)."""
    clock.overrun_reason = reason
    clock.overrun_reason_by_user_id = actor.user_id
    clock.overrun_reason_at = at
    clock.overrun_language_flags = (check.flags or None) if check is not None else None
    clock.overrun_language_reason = check.reason if check is not None else None


def _checked_reason(
    uow: UnitOfWork, reason: str, *, save_anyway: bool, language_reason: str
) -> TextCheck:
    """The language check of an overrun reason: "late because she was not engaging" blames the
    child for the delay. ``LanguageHeldError`` unless it may be saved now."""
    return checked_or_held(
        uow,
        text=reason,
        reason=language_reason,
        save_anyway=save_anyway,
        what="reason for the delay",
    )


def _due_text(status: ClockStatus) -> str:
    value = status.due
    return (
        value.strftime("%-d %B %Y %H:%M")
        if isinstance(value, datetime)
        else value.strftime("%-d %B %Y")
    )


def start_deadline_clock(
    uow: UnitOfWork,
    *,
    title: str,
    due_on: date,
    at: datetime,
    subject: ClockSubject,
    owner: ClockOwner,
) -> Clock:
    """A clock for work with a due date set by people (an action agreed at a meeting)."""
    clock = Clock(
        rule_id=DEADLINE_RULE,
        jurisdiction=DEFAULT_JURISDICTION,
        title=title,
        started_at=at,
        due_on=due_on,
        due_at=None,
        state="on_track",
        owner_agency_id=owner.agency_id,
        owner_team_id=owner.team_id,
        owner_user_id=owner.user_id,
        subject_type=subject.subject_type,
        case_id=subject.case_id,
        referral_id=subject.referral_id,
        person_id=subject.person_id,
    )
    clock.state = clock_status(clock, rule=DEADLINE, now=at).state.value
    uow.session.add(clock)
    uow.session.flush()
    uow.audit("collection", "clock", [clock.id], purpose="action agreed with a due date")
    return clock


def complete_clock(
    uow: UnitOfWork,
    *,
    clock_id: int,
    reason: str | None = None,
    at: datetime | None = None,
    save_anyway: bool = False,
    language_reason: str = "",
) -> Clock:
    """The owner records that the work is done: the clock stops (its rule's stop event). A
    reason given for lateness is checked for language (``LanguageHeldError``, as
    ``record_overrun_reason``)."""
    clock = _own_clock(uow, clock_id)
    if clock.stopped_at is not None:
        return clock
    written = (reason or "").strip()
    check = (
        _checked_reason(uow, written, save_anyway=save_anyway, language_reason=language_reason)
        if written
        else None
    )
    book = current_rulebook(uow)
    _stop(
        clock,
        rule_for(book, clock.jurisdiction, clock.rule_id),
        at or datetime.now(UTC),
        uow.actor,
        reason,
        check,
    )
    uow.audit("alteration", "clock", [clock.id], purpose="work recorded as done")
    return clock


def record_overrun_reason(
    uow: UnitOfWork,
    *,
    clock_id: int,
    reason: str,
    at: datetime | None = None,
    save_anyway: bool = False,
    language_reason: str = "",
) -> Clock:
    """Record why a clock is overdue or was met late (Working Together asks for it). The
    reason is checked for language: ``LanguageHeldError`` with its flags unless its author
    saves it anyway and says why in ``language_reason``; flags and that reason are kept."""
    if len(reason.strip()) < 5:
        raise ValueError("Enter the reason for the delay")
    clock = _own_clock(uow, clock_id)
    check = _checked_reason(
        uow, reason.strip(), save_anyway=save_anyway, language_reason=language_reason
    )
    _set_reason(clock, reason.strip(), uow.actor, at or datetime.now(UTC), check)
    uow.audit("alteration", "clock", [clock.id], purpose="reason for a delay recorded")
    return clock


def _own_clock(uow: UnitOfWork, clock_id: int) -> Clock:
    """A clock the actor's agency owns; anything else looks as if it did not exist."""
    clock = uow.session.get(Clock, clock_id)
    if clock is None or clock.owner_agency_id != uow.actor.agency_id:
        raise NotFoundError(f"clock {clock_id}")
    return clock


def referral_owner(uow: UnitOfWork, referral: Referral) -> ClockOwner:
    """Children's social care decides on a referral (Working Together 2023, ch. 3): the council
    the referrer chose (a police force covers several), else the social care of the referrer's
    own area, else the first of the partnership, else the referring agency; and its first team."""
    session = uow.session
    first = next(iter(councils.social_care_agencies(session)), None)
    agency_id = (
        referral.council_agency_id
        or councils.own_council(session, referral.referring_agency_id)
        or (first.id if first is not None else None)
        or referral.referring_agency_id
    )
    return ClockOwner(agency_id=agency_id, team_id=q.get_first_team_id(session, agency_id))


def start_referral_clocks(uow: UnitOfWork, *, referral: Referral) -> list[Clock]:
    """The referral decision (1 working day) and assessment (45) clocks of a new referral."""
    at = referral.received_at or datetime.now(UTC)
    _, started = record_clock_event(
        uow,
        event="referral_received",
        at=at,
        subject=ClockSubject(referral_id=referral.id),
        owner=referral_owner(uow, referral),
        title=f"Referral REF-{referral.id:06d}",
    )
    return started
