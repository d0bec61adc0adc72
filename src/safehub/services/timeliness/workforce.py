"""Workforce: caseloads per worker and team, the backlog by age, throughput, and training.

Figures are for the actor's own agency: a manager sees their staff, not another agency's.
Exploitation training expires (renewal every two years by default), so each worker shows as
current, expiring soon (within 60 days), expired, or with no record.

>>> training_status(date(2026, 1, 1), None, today=date(2026, 6, 1))
'current'
>>> training_status(date(2024, 1, 1), date(2026, 1, 1), today=date(2026, 6, 1))
'expired'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from safehub.db.models import User
from safehub.db.models.timeliness import TrainingRecord
from safehub.db.queries import timeliness_workforce as q
from safehub.db.uow import UnitOfWork
from safehub.services.errors import NotFoundError
from safehub.timescales import add_calendar_months, local_date

COURSES = {
    "exploitation_awareness": "Child exploitation awareness",
    "cse_specialist": "Child sexual exploitation: specialist practice",
    "trauma_informed_practice": "Trauma-informed practice",
    "appropriate_language": "Appropriate language for child exploitation",
}
RENEW_AFTER_MONTHS = 24
EXPIRING_SOON = timedelta(days=60)
THROUGHPUT_WEEKS = 12


@dataclass(frozen=True, slots=True)
class WorkerLoad:
    user_id: int
    name: str
    team: str
    open_cases: int
    open_clocks: int
    overdue: int


@dataclass(frozen=True, slots=True)
class TeamLoad:
    team: str
    open_clocks: int
    overdue: int


@dataclass(frozen=True, slots=True)
class TrainingRow:
    user_id: int
    name: str
    course: str | None
    completed_on: date | None
    expires_on: date | None
    status: str


@dataclass(frozen=True, slots=True)
class Workforce:
    workers: list[WorkerLoad]
    teams: list[TeamLoad]
    backlog: list[tuple[str, int]]
    throughput: list[tuple[date, int, int]]
    training: list[TrainingRow]


def view_workforce(uow: UnitOfWork, *, now: datetime | None = None) -> Workforce:
    """Caseload, backlog, throughput and training of the actor's agency."""
    agency = uow.actor.agency_id
    assert agency is not None  # every staff account belongs to an agency
    today = local_date(now or datetime.now(UTC))
    session = uow.session
    workers = [
        WorkerLoad(*r) for r in q.list_caseload_by_worker(session, agency_id=agency, today=today)
    ]
    teams = [TeamLoad(*r) for r in q.list_caseload_by_team(session, agency_id=agency, today=today)]
    since = today - timedelta(days=today.weekday()) - timedelta(weeks=THROUGHPUT_WEEKS - 1)
    throughput = _every_week(
        q.count_throughput_by_week(session, agency_id=agency, since=since), since
    )
    training = [
        TrainingRow(uid, name, course, done, expires, training_status(done, expires, today=today))
        for uid, name, course, done, expires in q.list_training_by_worker(session, agency_id=agency)
    ]
    uow.audit(
        "consultation",
        "workforce",
        [agency],
        purpose="workforce figures",
        detail={"workers": len(workers)},
    )
    backlog = q.count_backlog_by_age(session, agency_id=agency, today=today)
    return Workforce(workers, teams, backlog, throughput, training)


def _every_week(rows: list[tuple[date, int, int]], since: date) -> list[tuple[date, int, int]]:
    """Weeks without any stopped clock show as zero, so a quiet week is visible."""
    found = {week: (met, late) for week, met, late in rows}
    weeks = [since + timedelta(weeks=i) for i in range(THROUGHPUT_WEEKS)]
    return [(w, *found.get(w, (0, 0))) for w in weeks]


def training_status(completed: date | None, expires: date | None, *, today: date) -> str:
    """'none', 'expired', 'expiring_soon' or 'current'."""
    if completed is None:
        return "none"
    if expires is None:
        return "current"
    if expires < today:
        return "expired"
    return "expiring_soon" if expires - today <= EXPIRING_SOON else "current"


class TrainingError(ValueError):
    """Training that cannot be recorded: ``errors`` says what to enter, by form field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class TrainingDraft:
    """Training a member of staff completed, as the page gives it: ``trainee_user_id`` and
    ``completed_on`` are None when none (or no real date) was given; renewal is due two years
    after completion unless ``expires_on`` says otherwise."""

    trainee_user_id: int | None
    course: str
    completed_on: date | None
    expires_on: date | None = None

    def problems(self, *, today: date | None = None) -> dict[str, str]:
        """Problems by form field (empty when the training can be recorded)."""
        today = today or local_date(datetime.now(UTC))
        errors: dict[str, str] = {}
        if self.course not in COURSES:
            errors["course"] = "Select the training course"
        if self.completed_on is None:
            errors["completed_on"] = (
                "Enter the date the training was completed, for example 3 11 2026"
            )
        elif self.completed_on > today:
            errors["completed_on"] = (
                "The date the training was completed must be today or in the past"
            )
        if self.trainee_user_id is None:
            errors["user_id"] = "Select the member of staff"
        return errors


def record_training(uow: UnitOfWork, *, training: TrainingDraft) -> TrainingRecord:
    """Record completed training for a member of the actor's agency.

    Raises ``TrainingError`` naming each problem, ``NotFoundError`` for someone who is not on
    the staff of the actor's agency."""
    errors = training.problems()
    if errors:
        raise TrainingError(errors)
    trainee, completed = training.trainee_user_id, training.completed_on
    assert trainee is not None and completed is not None
    user = uow.session.get(User, trainee)
    if user is None or user.agency_id != uow.actor.agency_id:
        raise NotFoundError(f"user {trainee}")
    record = TrainingRecord(
        user_id=trainee,
        course=training.course,
        completed_on=completed,
        expires_on=training.expires_on or add_calendar_months(completed, RENEW_AFTER_MONTHS),
        recorded_by_user_id=uow.actor.user_id,
    )
    uow.session.add(record)
    uow.session.flush()
    uow.audit("collection", "training_record", [record.id], purpose="training recorded")
    return record


def staff_of_agency(uow: UnitOfWork) -> list[tuple[int, str]]:
    """(user id, name) of the active staff of the actor's agency, by name."""
    agency = uow.actor.agency_id
    agencies = [] if agency is None else [agency]
    return [(u, name) for u, name, _ in q.list_active_staff(uow.session, agencies)]
