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

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Protocol

import numpy as np
import numpy.typing as npt
from sqlalchemy import select

from safehub.access.actor import Actor
from safehub.db.models.agencies import Team
from safehub.db.models.casework import Referral
from safehub.db.models.timeliness import Clock, JobRun, LocalClockRule
from safehub.db.queries import councils
from safehub.db.queries import timeliness as q
from safehub.db.uow import UnitOfWork
from safehub.services.errors import NotFoundError
from safehub.timescales import (
    STATE_ORDER,
    ClockRule,
    ClockState,
    ClockStatus,
    RuleBook,
    Unit,
    WorkingCalendar,
    build_rule,
    default_rulebook,
    due,
    evaluate_clock,
    evaluate_clocks,
    local_date,
)

DEADLINE_RULE = "action_deadline"
DEFAULT_JURISDICTION = "england"
# A deadline set by people is evaluated as a one-calendar-day rule ending on its due day: the
# state of a calendar-day clock depends only on its due day, so the engine's states apply as is.
_DEADLINE = build_rule(
    {
        "id": DEADLINE_RULE,
        "jurisdiction": DEFAULT_JURISDICTION,
        "amount": 1,
        "unit": "calendar_days",
        "start_event": "action_agreed",
        "stop_event": "action_done",
        "description": "Action agreed at a meeting, done by its due date",
        "source": "Set by the meeting that agreed the action",
    }
)


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


@cache
def working_calendar(jurisdiction: str) -> WorkingCalendar:
    """One calendar per jurisdiction per process: its holiday tables are built once."""
    return WorkingCalendar(jurisdiction)


def current_rulebook(uow: UnitOfWork) -> RuleBook:
    """The shipped rules and the local rules administrators have set (active or retired, so
    that clocks started under a retired rule can still be read)."""
    local = uow.session.scalars(select(LocalClockRule).order_by(LocalClockRule.id))
    return default_rulebook().with_rules(rule_from_row(row) for row in local)


def rule_from_row(row: LocalClockRule) -> ClockRule:
    return build_rule(
        {
            "id": row.rule_id,
            "jurisdiction": row.jurisdiction,
            "amount": row.amount,
            "unit": row.unit,
            "start_event": row.start_event,
            "stop_event": row.stop_event,
            "description": row.description,
            "source": row.source,
        }
    )


def rule_for(book: RuleBook, jurisdiction: str, rule_id: str) -> ClockRule:
    return _DEADLINE if rule_id == DEADLINE_RULE else book.get(jurisdiction, rule_id)


def record_clock_event(
    uow: UnitOfWork,
    *,
    event: str,
    at: datetime,
    subject: ClockSubject,
    owner: ClockOwner,
    title: str,
    actor: Actor | None = None,
    reason: str | None = None,
    jurisdiction: str = DEFAULT_JURISDICTION,
) -> tuple[list[Clock], list[Clock]]:
    """Stop the subject's open clocks that this event ends, then start those it begins.

    Returns ``(stopped, started)``. A clock stopped late without ``reason`` raises
    :class:`OverrunReasonNeededError` (Working Together asks for the reason to be recorded).
    """
    book = current_rulebook(uow)
    stopped = _stop_for_event(uow, book, event, at, subject, actor, reason)
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
    retired = set(
        uow.session.scalars(select(LocalClockRule.rule_id).where(LocalClockRule.active.is_(False)))
    )
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
    actor: Actor | None,
    reason: str | None,
) -> list[Clock]:
    stopped = []
    for clock in _open_clocks_of(uow, subject):
        rule = rule_for(book, clock.jurisdiction, clock.rule_id)
        if rule.stop_event == event:
            _stop(clock, rule, at, actor, reason)
            stopped.append(clock)
    return stopped


def _open_clocks_of(uow: UnitOfWork, subject: ClockSubject) -> list[Clock]:
    query = select(Clock).where(Clock.stopped_at.is_(None)).order_by(Clock.id)
    if subject.referral_id is not None:
        query = query.where(Clock.referral_id == subject.referral_id)
    elif subject.case_id is not None:
        query = query.where(Clock.case_id == subject.case_id)
    else:
        query = query.where(Clock.person_id == subject.person_id)
    return list(uow.session.scalars(query))


def _stop(
    clock: Clock, rule: ClockRule, at: datetime, actor: Actor | None, reason: str | None
) -> None:
    status = clock_status(clock, rule=rule, now=at, stopped=at)
    reason = (reason or "").strip() or clock.overrun_reason
    if status.needs_reason and not reason:
        raise OverrunReasonNeededError(
            f"{clock.title} is late (due {_due_text(status)}): record the reason for the delay"
        )
    clock.stopped_at = at
    clock.stopped_by_user_id = actor.user_id if actor else None
    clock.state = status.state.value
    if status.needs_reason and reason != clock.overrun_reason:
        _set_reason(clock, reason or "", actor, at)


def _set_reason(clock: Clock, reason: str, actor: Actor | None, at: datetime) -> None:
    clock.overrun_reason = reason
    clock.overrun_reason_by_user_id = actor.user_id if actor else None
    clock.overrun_reason_at = at


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
    clock.state = clock_status(clock, rule=_DEADLINE, now=at).state.value
    uow.session.add(clock)
    uow.session.flush()
    uow.audit("collection", "clock", [clock.id], purpose="action agreed with a due date")
    return clock


class ClockLike(Protocol):
    """What the state of a clock depends on (a ``Clock`` row, or a row of a query)."""

    @property
    def rule_id(self) -> str: ...
    @property
    def jurisdiction(self) -> str: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def due_on(self) -> date: ...
    @property
    def stopped_at(self) -> datetime | None: ...


def clock_status(
    clock: ClockLike, *, rule: ClockRule, now: datetime, stopped: datetime | None = None
) -> ClockStatus:
    """The clock's state at ``now`` (stopped at ``stopped``, or its own stop), from the engine."""
    stop = stopped or clock.stopped_at
    if clock.rule_id == DEADLINE_RULE:
        start = clock.due_on - timedelta(days=1)
        # A deadline met before the day before it is due is met all the same.
        stop_day = max(local_date(stop), start) if stop else None
        return evaluate_clock(
            rule,
            start=start,
            now=now,
            stopped=stop_day,
            calendar=working_calendar(clock.jurisdiction),
        )
    return evaluate_clock(
        rule,
        start=clock.started_at,
        now=now,
        stopped=stop,
        calendar=working_calendar(clock.jurisdiction),
    )


def complete_clock(
    uow: UnitOfWork,
    *,
    actor: Actor,
    clock_id: int,
    reason: str | None = None,
    at: datetime | None = None,
) -> Clock:
    """The owner records that the work is done: the clock stops (its rule's stop event)."""
    clock = _own_clock(uow, actor, clock_id)
    if clock.stopped_at is not None:
        return clock
    book = current_rulebook(uow)
    _stop(
        clock,
        rule_for(book, clock.jurisdiction, clock.rule_id),
        at or datetime.now(UTC),
        actor,
        reason,
    )
    uow.audit("alteration", "clock", [clock.id], purpose="work recorded as done")
    return clock


def record_overrun_reason(
    uow: UnitOfWork, *, actor: Actor, clock_id: int, reason: str, at: datetime | None = None
) -> Clock:
    """Record why a clock is overdue or was met late (Working Together asks for it)."""
    if len(reason.strip()) < 5:
        raise ValueError("Enter the reason for the delay")
    clock = _own_clock(uow, actor, clock_id)
    _set_reason(clock, reason.strip(), actor, at or datetime.now(UTC))
    uow.audit("alteration", "clock", [clock.id], purpose="reason for a delay recorded")
    return clock


def _own_clock(uow: UnitOfWork, actor: Actor, clock_id: int) -> Clock:
    """A clock the actor's agency owns; anything else looks as if it did not exist."""
    clock = uow.session.get(Clock, clock_id)
    if clock is None or clock.owner_agency_id != actor.agency_id:
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
    team_id = session.scalars(
        select(Team.id).where(Team.agency_id == agency_id).order_by(Team.id)
    ).first()
    return ClockOwner(agency_id=agency_id, team_id=team_id)


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


@dataclass(frozen=True)
class BatchStates:
    """States of many clocks, row for row: codes into ``STATE_ORDER`` and the overrun."""

    state: npt.NDArray[np.int8]
    overdue_by: npt.NDArray[np.int64]

    def names(self, rows: npt.NDArray[np.intp] | None = None) -> list[str]:
        codes = self.state if rows is None else self.state[rows]
        return [STATE_ORDER[int(c)].value for c in codes]


def evaluate_open_clocks(
    book: RuleBook,
    *,
    rule_names: Sequence[str],
    jurisdictions: Sequence[str],
    rule_code: npt.NDArray[np.int64],
    jurisdiction_code: npt.NDArray[np.int64],
    started_us: npt.NDArray[np.int64],
    due_day: npt.NDArray[np.int64],
    now: datetime,
) -> BatchStates:
    """States at ``now`` of open clocks given as columns, with the vectorised engine.

    Clocks are grouped by jurisdiction (one working calendar each); a deadline clock is
    evaluated from its stored due day, every other clock from its rule and start. Only the
    rules some clock follows are looked up (an unknown one raises ``UnknownRuleError``).
    """
    state = np.zeros(rule_code.size, dtype=np.int8)
    overdue = np.zeros(rule_code.size, dtype=np.int64)
    for j_code, jurisdiction in enumerate(jurisdictions):
        rows = np.flatnonzero(jurisdiction_code == j_code)
        if rows.size == 0:
            continue
        used = set(np.unique(rule_code[rows]).tolist())
        # A rule no clock of this jurisdiction follows is never indexed: any rule holds its place.
        rules = [
            rule_for(book, jurisdiction, name) if code in used else _DEADLINE
            for code, name in enumerate(rule_names)
        ]
        starts = started_us[rows].astype("datetime64[us]")
        deadline = rule_code[rows] == _index_of(rule_names, DEADLINE_RULE)
        # Deadlines start the day before they are due (noon UTC is that UK day all year round).
        day_before = (due_day[rows] - 1).astype("datetime64[D]").astype("datetime64[us]")
        starts = np.where(deadline, day_before + np.timedelta64(12, "h"), starts)
        batch = evaluate_clocks(
            rules, rule_code[rows], starts, now=now, calendar=working_calendar(jurisdiction)
        )
        state[rows], overdue[rows] = batch.state, batch.overdue_by
    return BatchStates(state, overdue)


def _index_of(names: Sequence[str], wanted: str) -> int:
    return list(names).index(wanted) if wanted in names else -1


def rule_and_jurisdiction_names(book: RuleBook) -> tuple[list[str], list[str]]:
    """Every rule id and jurisdiction a clock may carry: the book's, and the deadline rule.

    >>> rules, places = rule_and_jurisdiction_names(default_rulebook())
    >>> DEADLINE_RULE in rules and DEFAULT_JURISDICTION in places
    True
    """
    rules = sorted({rule.id for rule in book} | {DEADLINE_RULE})
    places = sorted({rule.jurisdiction.value for rule in book} | {DEFAULT_JURISDICTION})
    return rules, places


def read_open_clocks(uow: UnitOfWork, book: RuleBook) -> q.OpenClockArrays:
    """Every open clock as columns (one binary COPY); a clock whose rule or jurisdiction is in
    no rule book raises ``UnknownRuleError`` / ``NoRulesError`` as ``rule_for`` does."""
    rule_names, jurisdictions = rule_and_jurisdiction_names(book)
    arrays = q.open_clock_arrays(uow.session, rule_names=rule_names, jurisdictions=jurisdictions)
    unknown = np.flatnonzero((arrays.rule_code < 0) | (arrays.jurisdiction_code < 0))
    if unknown.size:
        jurisdiction, rule_id = q.clock_rule_of(uow.session, int(arrays.ids[unknown[0]]))
        rule_for(book, jurisdiction, rule_id)  # raises, naming the valid ids
        raise ValueError(f"clock {int(arrays.ids[unknown[0]])} has an unknown rule {rule_id}")
    return arrays


def state_label(state: str | ClockState) -> str:
    """'due_today' -> 'Due today'."""
    value = state.value if isinstance(state, ClockState) else state
    return value.replace("_", " ").capitalize()


def unit_label(unit: Unit, amount: int) -> str:
    names = {
        Unit.WORKING_DAYS: "working day",
        Unit.CALENDAR_DAYS: "day",
        Unit.HOURS: "hour",
        Unit.CALENDAR_MONTHS: "month",
    }
    return f"{amount} {names[unit]}{'' if amount == 1 else 's'}"


Progress = Callable[[int, int, str], None]


def recompute_clock_states(
    uow: UnitOfWork, *, now: datetime, progress: Progress | None = None, chunk: int = 200_000
) -> tuple[int, int]:
    """Every open clock's state at ``now``, set-wise; store those that changed.

    Returns ``(evaluated, changed)``. ``progress(done, total, stage)`` is called per chunk.
    """
    book = current_rulebook(uow)
    arrays = read_open_clocks(uow, book)
    total = len(arrays)
    states = np.empty(total, dtype=np.int8)
    for begin in range(0, total, chunk):
        rows = slice(begin, min(begin + chunk, total))
        states[rows] = evaluate_open_clocks(
            book,
            rule_names=arrays.rule_names,
            jurisdictions=arrays.jurisdictions,
            rule_code=arrays.rule_code[rows],
            jurisdiction_code=arrays.jurisdiction_code[rows],
            started_us=arrays.started_us[rows],
            due_day=arrays.due_day[rows],
            now=now,
        ).state
        if progress:
            progress(rows.stop, total, "evaluating clocks")
    changed = np.flatnonzero(states != arrays.state)
    _store_states(uow, arrays.ids[changed], states[changed])
    return total, int(changed.size)


def _store_states(uow: UnitOfWork, ids: npt.NDArray[np.int64], codes: npt.NDArray[np.int8]) -> None:
    if not ids.size:
        return
    q.update_states(uow.session, ids, codes)
    uow.mark_changed()
    # A bulk change is one audit entry with a digest of what it touched (architecture.md).
    digest = hashlib.sha256(ids.astype(np.int64).tobytes()).hexdigest()
    uow.audit(
        "alteration",
        "clock",
        [],
        purpose="clock states recomputed",
        detail={"clocks": int(ids.size), "sha256_of_ids": digest},
    )


def list_rules(uow: UnitOfWork) -> list[tuple[ClockRule, bool | None]]:
    """Every rule with, for local rules, whether it is active (None for shipped rules)."""
    active = dict(uow.session.execute(select(LocalClockRule.rule_id, LocalClockRule.active)).all())
    return [(rule, active.get(rule.id)) for rule in current_rulebook(uow)]


def add_local_rule(uow: UnitOfWork, *, actor: Actor, data: dict[str, object]) -> LocalClockRule:
    """An administrator sets a local timescale (e.g. a strategy discussion within 3 working days
    of the decision to hold one). Raises ``RuleError`` naming the field to correct; a local rule
    cannot redefine a shipped (statutory) one."""
    rule = build_rule({**data, "statutory": False})
    current_rulebook(uow).with_rules([rule])  # refuses an id already defined
    row = LocalClockRule(
        rule_id=rule.id,
        jurisdiction=rule.jurisdiction.value,
        amount=rule.amount,
        unit=rule.unit.value,
        start_event=rule.start_event,
        stop_event=rule.stop_event,
        description=rule.description,
        source=rule.source,
        active=True,
        created_by_user_id=actor.user_id,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit("alteration", "local_clock_rule", [row.id], purpose="local timescale set")
    return row


def retire_local_rule(uow: UnitOfWork, *, rule_id: str) -> LocalClockRule:
    """Stop a local rule starting new clocks; clocks already running keep it."""
    row = uow.session.scalars(
        select(LocalClockRule).where(LocalClockRule.rule_id == rule_id)
    ).first()
    if row is None:
        raise NotFoundError(f"local rule {rule_id}")
    row.active = False
    uow.audit("alteration", "local_clock_rule", [row.id], purpose="local timescale retired")
    return row


def request_clock_run(uow: UnitOfWork, *, actor: Actor) -> int:
    """Queue a run of the clocks job now (the worker picks it up)."""
    run_id = q.enqueue_job(uow.session, job="clocks", params={}, requested_by=actor.label)
    uow.audit("collection", "job_run", [run_id], purpose="clocks job requested")
    return run_id


def recent_job_runs(uow: UnitOfWork, *, limit: int = 20) -> list[JobRun]:
    """The latest job runs with their progress, newest first (operational, not personal)."""
    return list(uow.session.scalars(select(JobRun).order_by(JobRun.id.desc()).limit(limit)))
