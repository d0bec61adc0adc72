"""SQL for clocks, their rules, inboxes, escalation, notifications and the job queue.

The inbox reads a user's or team's open clocks in due order through the partial indexes
``ix_clock_inbox_user`` / ``ix_clock_inbox_team`` (an index walk with a limit). The clock job's
set-wise reads and writes are in ``timeliness_batch``; meetings in ``timeliness_meetings``;
workforce figures in ``timeliness_workforce``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from safehub.db.models import Team
from safehub.db.models.timeliness import (
    Clock,
    EscalationStep,
    LocalClockRule,
    Notification,
)


def list_local_rules(session: Session) -> list[LocalClockRule]:
    """Every local rule administrators have set, active or retired, oldest first."""
    return list(session.scalars(select(LocalClockRule).order_by(LocalClockRule.id)))


def get_local_rule(session: Session, rule_id: str) -> LocalClockRule | None:
    return session.scalars(select(LocalClockRule).where(LocalClockRule.rule_id == rule_id)).first()


def list_local_rule_states(session: Session) -> dict[str, bool]:
    """Whether each local rule is active, by rule id."""
    rows = session.execute(select(LocalClockRule.rule_id, LocalClockRule.active)).all()
    return {row.rule_id: row.active for row in rows}


def list_retired_rule_ids(session: Session) -> set[str]:
    query = select(LocalClockRule.rule_id).where(LocalClockRule.active.is_(False))
    return set(session.scalars(query))


def list_open_clocks_of(
    session: Session,
    *,
    case_id: int | None = None,
    referral_id: int | None = None,
    person_id: int | None = None,
) -> list[Clock]:
    """The open clocks of one subject (the first of referral, case, person given), oldest first."""
    query = select(Clock).where(Clock.stopped_at.is_(None)).order_by(Clock.id)
    if referral_id is not None:
        query = query.where(Clock.referral_id == referral_id)
    elif case_id is not None:
        query = query.where(Clock.case_id == case_id)
    else:
        query = query.where(Clock.person_id == person_id)
    return list(session.scalars(query))


def get_first_team_id(session: Session, agency_id: int) -> int | None:
    """The agency's first team: where its unallocated work goes."""
    query = select(Team.id).where(Team.agency_id == agency_id).order_by(Team.id)
    return session.scalars(query).first()


@dataclass(frozen=True, slots=True)
class InboxRow:
    clock_id: int
    rule_id: str
    jurisdiction: str
    title: str
    started_at: datetime
    due_on: date
    due_at: datetime | None
    stopped_at: datetime | None
    overrun_reason: str | None
    escalation_level: int
    case_id: int | None
    referral_id: int | None
    owner_user: str | None


_INBOX_COLUMNS = """c.id, c.rule_id, c.jurisdiction, c.title, c.started_at, c.due_on, c.due_at,
  c.stopped_at, c.overrun_reason, c.escalation_level, c.case_id, c.referral_id, u.display_name"""


def list_inbox_rows(
    session: Session, *, user_id: int | None, team_id: int | None, limit: int, offset: int
) -> list[InboxRow]:
    """Open clocks of one user (or one team) in due order: overdue first, then due today..."""
    column = "owner_user_id" if user_id is not None else "owner_team_id"
    owner = user_id if user_id is not None else team_id
    # ORDER BY matches the index, so PostgreSQL walks it and stops after the page.
    rows = session.execute(
        text(
            f"SELECT {_INBOX_COLUMNS} FROM clock c LEFT JOIN app_user u ON u.id = c.owner_user_id "
            f"WHERE c.{column} = :owner AND c.stopped_at IS NULL "
            f"ORDER BY c.{column}, c.due_on, c.due_at, c.id LIMIT :limit OFFSET :offset"
        ),
        {"owner": owner, "limit": limit, "offset": offset},
    ).all()
    return [InboxRow(*row) for row in rows]


def count_inbox(
    session: Session,
    *,
    user_id: int | None,
    team_id: int | None,
    today: date,
    soon_until: date,
    now: datetime,
) -> dict[str, int]:
    """How many open clocks are overdue, due today, due soon and on track (by due day; an hours
    clock past its due time today counts as overdue)."""
    column = "owner_user_id" if user_id is not None else "owner_team_id"
    owner = user_id if user_id is not None else team_id
    row = session.execute(
        text(
            "SELECT count(*) FILTER (WHERE due_on < :today OR due_at < :now), "
            "count(*) FILTER (WHERE due_on = :today AND (due_at IS NULL OR due_at >= :now)), "
            "count(*) FILTER (WHERE due_on > :today AND due_on <= :soon), "
            f"count(*) FILTER (WHERE due_on > :soon) FROM clock WHERE {column} = :owner "
            "AND stopped_at IS NULL"
        ),
        {"owner": owner, "today": today, "soon": soon_until, "now": now},
    ).one()
    return dict(zip(("overdue", "due_today", "due_soon", "on_track"), row, strict=True))


@dataclass(frozen=True, slots=True)
class OverdueClock:
    clock_id: int
    rule_id: str
    jurisdiction: str
    title: str
    due_on: date
    due_at: datetime | None
    escalation_level: int
    owner_agency_id: int
    owner_team_id: int | None
    owner_user_id: int | None
    case_id: int | None


def list_overdue_clocks(
    session: Session, *, today: date, now: datetime, below_level: int
) -> list[OverdueClock]:
    """Open clocks past their due day (or due time) not yet escalated to the top rung."""
    rows = session.execute(
        text(
            "SELECT id, rule_id, jurisdiction, title, due_on, due_at, escalation_level, owner_agency_id, "
            "owner_team_id, owner_user_id, case_id FROM clock WHERE stopped_at IS NULL "
            "AND (due_on < :today OR due_at < :now) AND escalation_level < :top ORDER BY id"
        ),
        {"today": today, "now": now, "top": below_level},
    ).all()
    return [OverdueClock(*row) for row in rows]


def list_users_with_role(
    session: Session, *, role: str, agency_ids: list[int], team_id: int | None = None
) -> list[tuple[int, str | None]]:
    """(user id, email) of active users with a role in the agencies (and team, if given)."""
    team_filter = "AND team_id = :team" if team_id is not None else ""
    rows = session.execute(
        text(
            "SELECT id, email FROM app_user WHERE active AND role = :role "
            f"AND agency_id = ANY(:agencies) {team_filter} ORDER BY id"
        ),
        {"role": role, "agencies": agency_ids, "team": team_id},
    ).all()
    return [(r[0], r[1]) for r in rows]


def list_case_agency_ids(session: Session, case_id: int) -> list[int]:
    return list(
        session.execute(
            text("SELECT agency_id FROM case_agency WHERE case_id = :c ORDER BY agency_id"),
            {"c": case_id},
        ).scalars()
    )


def list_escalation_steps(session: Session) -> list[EscalationStep]:
    """The rungs of the escalation ladder, lowest first."""
    return list(session.scalars(select(EscalationStep).order_by(EscalationStep.level)))


def list_escalation_steps_for(session: Session, recipient_role: str) -> list[EscalationStep]:
    query = select(EscalationStep).where(EscalationStep.recipient_role == recipient_role)
    return list(session.scalars(query.order_by(EscalationStep.level)))


def insert_notification(session: Session, values: dict[str, Any]) -> int | None:
    """Store a notification; None when one with its ``dedupe_key`` exists already."""
    new_id = session.execute(
        insert(Notification)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(Notification.id)
    ).scalar()
    return None if new_id is None else int(new_id)


def list_notifications_of(
    session: Session, user_id: int | None, *, unread_only: bool, limit: int
) -> list[Notification]:
    """A user's notifications, newest first."""
    query = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return list(session.scalars(query.order_by(Notification.id.desc()).limit(limit)))


def list_emails_to_send(session: Session, *, limit: int) -> list[Notification]:
    """Queued and failed emails, oldest first, locked; SKIP LOCKED so that two senders never
    send the same email and neither waits for the other."""
    query = (
        select(Notification)
        .where(Notification.email_status.in_(("queued", "failed")))
        .order_by(Notification.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(query))


def set_email_outcome(
    session: Session, note_id: int, *, status: str, sent_at: datetime | None, error: str | None
) -> None:
    session.execute(
        update(Notification)
        .where(Notification.id == note_id)
        .values(email_status=status, email_sent_at=sent_at, email_error=error)
    )


def list_clock_children(session: Session, clock_ids: list[int]) -> dict[int, list[int]]:
    """The children each clock is about (its case's children, its referral's child, or its own
    person), as people now (a merged child is the survivor)."""
    rows = session.execute(
        text(
            "SELECT c.id, coalesce(p.merged_into_id, p.id) FROM clock c "
            "JOIN case_child cc ON cc.case_id = c.case_id JOIN person p ON p.id = cc.person_id "
            "WHERE c.id = ANY(:ids) "
            "UNION SELECT c.id, coalesce(p.merged_into_id, p.id) FROM clock c "
            "JOIN referral f ON f.id = c.referral_id JOIN person p ON p.id = f.child_person_id "
            "WHERE c.id = ANY(:ids) "
            "UNION SELECT c.id, coalesce(p.merged_into_id, p.id) FROM clock c "
            "JOIN person p ON p.id = c.person_id WHERE c.id = ANY(:ids) ORDER BY 1, 2"
        ),
        {"ids": clock_ids},
    ).all()
    found: dict[int, list[int]] = {}
    for clock, child in rows:
        found.setdefault(clock, []).append(child)
    return found
