"""SQL for alerts: storing one once, an agency's alerts, and whom an alert's records are held by.

A sealed alert's content is in ``alert_content``. Every read of it asks
``safehub_alert_content_open`` in the query itself, the application's own check, and row-level
security asks the same function again: the content of a sealed alert appears once the records it
rests on are shared with the reader's agency, and not before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from safehub.db.models.alerts import Alert, AlertContent


@dataclass(frozen=True, slots=True)
class AgencyContact:
    """An agency and its contact for information sharing (any part may be missing)."""

    agency: str
    name: str | None
    email: str | None
    phone: str | None


def insert_alert(session: Session, values: dict[str, Any]) -> int | None:
    """A new alert's id; None when one with the same ``dedupe_key`` was already raised."""
    inserted = session.execute(
        insert(Alert)
        .values(**values, status="new")
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(Alert.id)
    ).scalar()
    return None if inserted is None else int(inserted)


def insert_alert_content(session: Session, values: dict[str, Any]) -> None:
    """A sealed alert's content, stored once with its alert."""
    session.execute(insert(AlertContent).values(**values))


def get_alert_content(session: Session, alert_id: int) -> AlertContent | None:
    """A sealed alert's content, if open to the user's agency (None: still sealed to them)."""
    return session.scalars(
        select(AlertContent)
        .from_statement(
            text(
                "SELECT c.* FROM alert_content c WHERE c.alert_id = :a AND "
                "safehub_alert_content_open(c.owning_agency_id, c.target_agency_id, c.person_id, "
                "c.sources)"
            )
        )
        .params(a=alert_id)
    ).one_or_none()


def list_alerts_for_agency(
    session: Session, agency_id: int | None, status: str | None
) -> list[Alert]:
    """The alerts addressed to an agency (of one status, or all when None), newest first."""
    query = select(Alert).where(Alert.target_agency_id == agency_id)
    if status:
        query = query.where(Alert.status == status)
    return list(session.scalars(query.order_by(Alert.created_at.desc(), Alert.id.desc())))


def get_agency_contact(session: Session, agency_id: int) -> AgencyContact:
    row = session.execute(
        text(
            "SELECT a.name, c.name, c.email, c.phone FROM agency a "
            "LEFT JOIN sharing_contact c ON c.agency_id = a.id WHERE a.id = :a"
        ),
        {"a": agency_id},
    ).one()
    return AgencyContact(str(row[0]), row[1], row[2], row[3])


@dataclass(frozen=True, slots=True)
class AlertFilter:
    """What an alert list is narrowed to (None: any)."""

    status: str | None = None
    kind: str | None = None
    owning_agency_id: int | None = None
    area_code: str | None = None
    raised_from: date | None = None
    raised_to: date | None = None
    assigned_user_id: int | None = None
    unassigned: bool = False
    person_id: int | None = None


@dataclass(frozen=True, slots=True)
class AlertRow:
    """An alert as the inbox lists it, with the names of where it came from and who has it.
    ``sealed``: sealed to the reader (its content is not open to them yet)."""

    id: int
    kind: str
    title: str
    status: str
    sealed: bool
    person_id: int | None
    group: str | None
    created_at: datetime
    owning_agency: str | None
    area_code: str | None
    area_name: str | None
    assigned_user_id: int | None
    assigned_to: str | None


_ROWS = """
SELECT al.id, al.kind, coalesce(c.title, al.title), al.status, al.sealed AND c.alert_id IS NULL,
  al.person_id, coalesce(c.evidence, al.evidence) ->> 'group',
  al.created_at, o.name, o.area_code, o.area_name, al.assigned_user_id, u.display_name
FROM alert al
LEFT JOIN alert_content c ON c.alert_id = al.id
  AND safehub_alert_content_open(c.owning_agency_id, c.target_agency_id, c.person_id, c.sources)
LEFT JOIN agency o ON o.id = al.owning_agency_id
LEFT JOIN app_user u ON u.id = al.assigned_user_id
WHERE al.target_agency_id = :agency
  AND (CAST(:status AS text) IS NULL OR al.status = :status)
  AND (CAST(:kind AS text) IS NULL OR al.kind = :kind)
  AND (CAST(:owner AS integer) IS NULL OR al.owning_agency_id = :owner)
  AND (CAST(:area AS text) IS NULL OR o.area_code = :area)
  AND (CAST(:raised_from AS date) IS NULL OR al.created_at >= CAST(:raised_from AS date))
  AND (CAST(:raised_to AS date) IS NULL OR al.created_at < CAST(:raised_to AS date) + 1)
  AND (CAST(:assignee AS integer) IS NULL OR al.assigned_user_id = :assignee)
  AND (NOT :unassigned OR al.assigned_user_id IS NULL)
  AND (CAST(:person AS bigint) IS NULL OR al.person_id = :person)
ORDER BY al.created_at DESC, al.id DESC
LIMIT :limit
"""


def list_alert_rows(
    session: Session, agency_id: int | None, wanted: AlertFilter, limit: int = 5000
) -> list[AlertRow]:
    """The alerts addressed to an agency that pass the filter, newest first."""
    rows = session.execute(
        text(_ROWS),
        {
            "agency": agency_id,
            "status": wanted.status,
            "kind": wanted.kind,
            "owner": wanted.owning_agency_id,
            "area": wanted.area_code,
            "raised_from": wanted.raised_from,
            "raised_to": wanted.raised_to,
            "assignee": wanted.assigned_user_id,
            "unassigned": wanted.unassigned,
            "person": wanted.person_id,
            "limit": limit,
        },
    ).all()
    return [AlertRow(*r) for r in rows]


def list_alert_sources(
    session: Session, agency_id: int | None
) -> list[tuple[int, str, str | None, str | None]]:
    """(id, name, area code, area name) of the agencies whose records the agency's alerts rest on."""
    rows = session.execute(
        text(
            "SELECT DISTINCT o.id, o.name, o.area_code, o.area_name FROM alert al "
            "JOIN agency o ON o.id = al.owning_agency_id WHERE al.target_agency_id = :a "
            "ORDER BY o.name"
        ),
        {"a": agency_id},
    ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def list_alert_kinds(session: Session, agency_id: int | None) -> list[str]:
    """The kinds of alert addressed to the agency."""
    return list(
        session.execute(
            text("SELECT DISTINCT kind FROM alert WHERE target_agency_id = :a ORDER BY kind"),
            {"a": agency_id},
        ).scalars()
    )


def get_agency_vocabulary(session: Session) -> dict[str, str]:
    """Every agency code and area code with the name a sentence should say instead."""
    words: dict[str, str] = {}
    for code, name, area_code, area_name in session.execute(
        text("SELECT code, name, area_code, area_name FROM agency")
    ).all():
        words[code] = name
        if area_code and area_name:
            words[area_code] = area_name
    return words


def update_new_alerts_decision(
    session: Session,
    *,
    ids: list[int],
    agency_id: int | None,
    status: str,
    user_id: int | None,
    reason: str,
    at: datetime,
    language_flags: list[dict[str, object]] | None = None,
    language_reason: str | None = None,
) -> list[int]:
    """Decide those of the alerts that are still new (a decided alert keeps its decision), with
    the language flags on the reason and why it was kept as written: the ids decided now."""
    return list(
        session.execute(
            text(
                "UPDATE alert SET status = :s, decided_by_user_id = :u, decided_at = :at, "
                "decision_reason = :r, decision_language_flags = CAST(:f AS jsonb), "
                "decision_language_reason = :lr WHERE id = ANY(:ids) AND target_agency_id = :a "
                "AND status = 'new' RETURNING id"
            ),
            {
                "s": status,
                "u": user_id,
                "at": at,
                "r": reason,
                "f": json.dumps(language_flags) if language_flags else None,
                "lr": language_reason,
                "ids": ids,
                "a": agency_id,
            },
        ).scalars()
    )


def update_alerts_assignee(
    session: Session, *, ids: list[int], agency_id: int | None, user_id: int | None
) -> list[int]:
    """Give the agency's alerts to a person (None: back to the team): the ids changed."""
    return list(
        session.execute(
            text(
                "UPDATE alert SET assigned_user_id = :u WHERE id = ANY(:ids) "
                "AND target_agency_id = :a RETURNING id"
            ),
            {"u": user_id, "ids": ids, "a": agency_id},
        ).scalars()
    )


def list_agency_staff(session: Session, agency_id: int | None) -> list[tuple[int, str]]:
    """(id, name) of the agency's active staff, to give an alert to."""
    rows = session.execute(
        text(
            "SELECT id, display_name FROM app_user WHERE agency_id = :a AND active "
            "ORDER BY display_name, id"
        ),
        {"a": agency_id},
    ).all()
    return [(r[0], r[1]) for r in rows]
