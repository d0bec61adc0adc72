"""SQL for workforce figures: caseloads per worker and team, the backlog by age, throughput by
week and training, each for one agency; and the staff who may own work.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from safehub.db.models import User


def list_caseload_by_worker(
    session: Session, *, agency_id: int, today: date
) -> list[tuple[Any, ...]]:
    """(user id, name, team, open cases, open clocks, overdue clocks) for an agency's staff."""
    return list(
        session.execute(
            text(
                """
                SELECT u.id, u.display_name, coalesce(t.name, 'No team'),
                  (SELECT count(*) FROM case_member m JOIN safeguarding_case s ON s.id = m.case_id
                   WHERE m.user_id = u.id AND s.status = 'open'),
                  (SELECT count(*) FROM clock c WHERE c.owner_user_id = u.id AND c.stopped_at IS NULL),
                  (SELECT count(*) FROM clock c WHERE c.owner_user_id = u.id AND c.stopped_at IS NULL
                   AND c.due_on < :today)
                FROM app_user u LEFT JOIN team t ON t.id = u.team_id
                WHERE u.agency_id = :agency AND u.active ORDER BY u.display_name, u.id
                """
            ),
            {"agency": agency_id, "today": today},
        ).all()
    )


def list_caseload_by_team(
    session: Session, *, agency_id: int, today: date
) -> list[tuple[Any, ...]]:
    """(team, open clocks, overdue clocks) for an agency's teams."""
    return list(
        session.execute(
            text(
                """
                SELECT t.name, count(c.id), count(c.id) FILTER (WHERE c.due_on < :today)
                FROM team t LEFT JOIN clock c ON c.owner_team_id = t.id AND c.stopped_at IS NULL
                WHERE t.agency_id = :agency GROUP BY t.id, t.name ORDER BY t.name
                """
            ),
            {"agency": agency_id, "today": today},
        ).all()
    )


def count_backlog_by_age(session: Session, *, agency_id: int, today: date) -> list[tuple[str, int]]:
    """Open clocks of an agency by how long ago they started, in calendar-day bands."""
    rows = session.execute(
        text(
            """
            SELECT band, count(*) FROM (
              SELECT CASE WHEN age <= 7 THEN 1 WHEN age <= 14 THEN 2 WHEN age <= 30 THEN 3
                          WHEN age <= 60 THEN 4 ELSE 5 END AS band
              FROM (SELECT :today - (started_at AT TIME ZONE 'Europe/London')::date AS age
                    FROM clock WHERE owner_agency_id = :agency AND stopped_at IS NULL) a
            ) b GROUP BY band ORDER BY band
            """
        ),
        {"agency": agency_id, "today": today},
    ).all()
    found: dict[int, int] = {int(r[0]): int(r[1]) for r in rows}
    return [(label, int(found.get(i, 0))) for i, label in enumerate(AGE_BANDS, start=1)]


AGE_BANDS = ("0 to 7 days", "8 to 14 days", "15 to 30 days", "31 to 60 days", "Over 60 days")


def count_throughput_by_week(
    session: Session, *, agency_id: int, since: date
) -> list[tuple[date, int, int]]:
    """(week starting, met on time, met late) of clocks stopped since ``since``, by ISO week."""
    rows = session.execute(
        text(
            """
            SELECT date_trunc('week', stopped_at AT TIME ZONE 'Europe/London')::date AS week,
              count(*) FILTER (WHERE state = 'met'), count(*) FILTER (WHERE state = 'met_late')
            FROM clock WHERE owner_agency_id = :agency AND stopped_at IS NOT NULL
              AND (stopped_at AT TIME ZONE 'Europe/London')::date >= :since
            GROUP BY week ORDER BY week
            """
        ),
        {"agency": agency_id, "since": since},
    ).all()
    return [(r[0], int(r[1]), int(r[2])) for r in rows]


def list_training_by_worker(session: Session, *, agency_id: int) -> list[tuple[Any, ...]]:
    """(user id, name, course, completed, expires) of the latest record per user and course;
    users without any record appear once with no course."""
    return list(
        session.execute(
            text(
                """
                SELECT u.id, u.display_name, r.course, r.completed_on, r.expires_on
                FROM app_user u LEFT JOIN LATERAL (
                  SELECT DISTINCT ON (course) course, completed_on, expires_on
                  FROM training_record WHERE user_id = u.id
                  ORDER BY course, completed_on DESC, id DESC) r ON true
                WHERE u.agency_id = :agency AND u.active ORDER BY u.display_name, u.id, r.course
                """
            ),
            {"agency": agency_id},
        ).all()
    )


def list_active_staff(session: Session, agency_ids: list[int]) -> list[tuple[int, str, int]]:
    """(user id, name, agency id) of the active staff of these agencies, by name."""
    rows = session.execute(
        select(User.id, User.display_name, User.agency_id)
        .where(User.agency_id.in_(agency_ids), User.active)
        .order_by(User.display_name)
    ).all()
    return [(user_id, name, agency_id) for user_id, name, agency_id in rows]
