"""SQL of case notes: who may see a case's notes, note versions with their language checks,
the notes a language audit reads, flags per 100 notes, and the notes and referrals saved
despite their flags."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from safehub.db.models import CaseNote, User
from safehub.db.models.practice import LanguageRule, NoteLanguageCheck


def can_see_case(
    session: Session, *, case_id: int, user_id: int | None, agency_id: int | None
) -> bool:
    """A member of the case team, or staff of an agency involved in the case (need to know)."""
    return bool(
        session.execute(
            text(
                "SELECT 1 FROM safeguarding_case c WHERE c.id = :c AND ("
                " EXISTS (SELECT 1 FROM case_member m WHERE m.case_id = c.id AND m.user_id = :u) OR"
                " EXISTS (SELECT 1 FROM case_agency a WHERE a.case_id = c.id AND a.agency_id = :a))"
            ),
            {"c": case_id, "u": user_id, "a": agency_id},
        ).first()
    )


def get_latest_note_id(session: Session, note_id: int) -> int:
    """The newest version in the chain that ``note_id`` belongs to."""
    current = note_id
    while True:
        newer = session.execute(
            text("SELECT id FROM case_note WHERE supersedes_id = :n ORDER BY id LIMIT 1"),
            {"n": current},
        ).scalar()
        if newer is None:
            return current
        current = int(newer)


def list_current_note_ids(session: Session, case_id: int) -> list[int]:
    """The current version of every note on a case (the versions nothing supersedes)."""
    return list(
        session.execute(
            text(
                "SELECT n.id FROM case_note n WHERE n.case_id = :c AND NOT EXISTS "
                "(SELECT 1 FROM case_note s WHERE s.supersedes_id = n.id)"
            ),
            {"c": case_id},
        ).scalars()
    )


def list_note_versions(
    session: Session, note_ids: Sequence[int]
) -> list[tuple[CaseNote, str, NoteLanguageCheck | None]]:
    """These note versions, each with its author's name and the language check kept with it."""
    rows = session.execute(
        select(CaseNote, User.display_name, NoteLanguageCheck)
        .join(User, User.id == CaseNote.author_user_id)
        .outerjoin(NoteLanguageCheck, NoteLanguageCheck.note_id == CaseNote.id)
        .where(CaseNote.id.in_(note_ids))
    ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def get_user_agency_names(session: Session, user_ids: Sequence[int]) -> dict[int, str]:
    """User → the name of their agency."""
    rows = session.execute(
        text(
            "SELECT u.id, a.name FROM app_user u JOIN agency a ON a.id = u.agency_id "
            "WHERE u.id = ANY(:u)"
        ),
        {"u": list(user_ids)},
    ).all()
    return {int(r[0]): r[1] for r in rows}


def list_current_notes(
    session: Session, *, agency_id: int | None, limit: int
) -> list[tuple[int, int, str]]:
    """(note id, case id, body) of current note versions written by the agency's staff."""
    rows = session.execute(
        text(
            "SELECT n.id, n.case_id, n.body FROM case_note n JOIN app_user u ON u.id = n.author_user_id "
            "WHERE (CAST(:a AS int) IS NULL OR u.agency_id = :a) "
            # An anti-join on a hashed list: case_note.supersedes_id has no index of its own.
            "AND n.id NOT IN (SELECT s.supersedes_id FROM case_note s WHERE s.supersedes_id IS NOT NULL) "
            "ORDER BY n.id DESC LIMIT :l"
        ),
        {"a": agency_id, "l": limit},
    ).all()
    return [(int(r[0]), int(r[1]), r[2]) for r in rows]


@dataclass(frozen=True, slots=True)
class RateRow:
    group: str
    notes: int
    flagged_notes: int
    flags: int
    saved_despite_flags: int


def list_flag_rates(
    session: Session,
    *,
    by: Literal["team", "agency"],
    start: date,
    end: date,
    agency_id: int | None = None,
) -> list[RateRow]:
    """Checked notes, flagged notes and flags by team or agency of the author, in the period."""
    group = {
        "team": "coalesce(a.code || ': ' || t.name, a.code || ': no team')",
        "agency": "a.name",
    }[by]
    rows = session.execute(
        text(
            f"SELECT {group} AS g, count(*), count(*) FILTER (WHERE k.flag_count > 0), "
            "coalesce(sum(k.flag_count), 0), count(*) FILTER (WHERE k.saved_despite_flags) "
            "FROM note_language_check k JOIN case_note n ON n.id = k.note_id "
            "JOIN app_user u ON u.id = n.author_user_id JOIN agency a ON a.id = u.agency_id "
            "LEFT JOIN team t ON t.id = u.team_id "
            "WHERE n.created_at::date BETWEEN :s AND :e AND (CAST(:ag AS int) IS NULL OR a.id = :ag) "
            "GROUP BY g ORDER BY g"
        ),
        {"s": start, "e": end, "ag": agency_id},
    ).all()
    return [RateRow(r[0], int(r[1]), int(r[2]), int(r[3]), int(r[4])) for r in rows]


def list_active_rules(session: Session) -> list[LanguageRule]:
    """The local language rules in force, in the order of their ids."""
    return list(
        session.scalars(
            select(LanguageRule).where(LanguageRule.active).order_by(LanguageRule.rule_id)
        )
    )


def list_rules(session: Session) -> list[LanguageRule]:
    """Every local language rule, retired ones included, newest first."""
    return list(session.scalars(select(LanguageRule).order_by(LanguageRule.id.desc())))


def list_rule_ids_like(session: Session, prefix: str) -> set[str]:
    """The rule ids taken that start with ``prefix``."""
    return set(
        session.scalars(select(LanguageRule.rule_id).where(LanguageRule.rule_id.like(f"{prefix}%")))
    )


@dataclass(frozen=True, slots=True)
class SavedAnywayRow:
    """A text saved with language flags, and its author's reason. ``count``: how many records
    were saved with it at once (one decision on many alerts); ``object_id`` is the first."""

    kind: Literal[
        "note",
        "referral",
        "support plan",
        "support referral",
        "meeting record",
        "alert decision",
        "indicator checklist",
        "account heard",
        "reason for a delay",
        "meeting action",
        "action outcome",
        "question to a reporter",
    ]
    object_id: int
    saved_at: datetime
    author: str
    phrases: list[str]
    reason: str | None
    count: int = 1


def list_saved_anyway(
    session: Session, *, agency_id: int | None, limit: int
) -> list[SavedAnywayRow]:
    """Notes, referrals, support plans and outcomes, meeting records, meeting actions and their
    outcomes, alert decisions, indicator checklists, accounts heard, clocks' reasons for a
    delay and questions to community reporters, of the agency, saved despite flags, newest first."""
    rows = session.execute(
        text(
            "SELECT 'note', n.id, k.created_at, u.display_name, k.flags, k.reason, 1 "
            "FROM note_language_check k JOIN case_note n ON n.id = k.note_id "
            "JOIN app_user u ON u.id = n.author_user_id "
            "WHERE k.saved_despite_flags AND (CAST(:a AS int) IS NULL OR u.agency_id = :a) "
            "UNION ALL "
            "SELECT 'referral', r.id, k.created_at, u.display_name, k.flags, k.reason, 1 "
            "FROM referral_language_check k JOIN referral r ON r.id = k.referral_id "
            "JOIN app_user u ON u.id = r.referred_by_user_id "
            "WHERE k.reason IS NOT NULL AND (CAST(:a AS int) IS NULL OR u.agency_id = :a) "
            "UNION ALL "
            "SELECT 'support plan', p.id, p.created_at, u.display_name, p.language_flags, "
            "p.language_reason, 1 FROM support_plan p "
            "JOIN app_user u ON u.id = p.created_by_user_id "
            "WHERE p.language_reason IS NOT NULL AND (CAST(:a AS int) IS NULL OR u.agency_id = :a) "
            "UNION ALL "
            "SELECT 'support referral', s.id, coalesce(s.updated_at, s.created_at), "
            "u.display_name, s.language_flags, s.language_reason, 1 FROM support_referral s "
            "JOIN app_user u ON u.id = s.created_by_user_id "
            "WHERE s.language_reason IS NOT NULL AND (CAST(:a AS int) IS NULL OR u.agency_id = :a) "
            "UNION ALL "
            # A meeting's record is kept by its organising agency; it is listed under its creator.
            "SELECT 'meeting record', m.id, m.held_at, u.display_name, m.language_flags, "
            "m.language_reason, 1 FROM meeting m JOIN app_user u ON u.id = m.created_by_user_id "
            "WHERE m.language_reason IS NOT NULL "
            "AND (CAST(:a AS int) IS NULL OR m.organising_agency_id = :a) "
            "UNION ALL "
            "SELECT 'indicator checklist', i.id, i.created_at, u.display_name, i.language_flags, "
            "i.language_reason, 1 FROM indicator_assessment i "
            "JOIN app_user u ON u.id = i.assessed_by_user_id "
            "WHERE i.language_reason IS NOT NULL AND (CAST(:a AS int) IS NULL OR u.agency_id = :a) "
            "UNION ALL "
            "SELECT 'account heard', h.id, h.created_at, u.display_name, h.language_flags, "
            "h.language_reason, 1 FROM account_heard h "
            "JOIN app_user u ON u.id = h.recorded_by_user_id "
            "WHERE h.language_reason IS NOT NULL AND (CAST(:a AS int) IS NULL OR u.agency_id = :a) "
            "UNION ALL "
            # An action is agreed at a meeting kept by its organising agency; its outcome is
            # recorded by the agency that owns the action.
            "SELECT 'meeting action', a.id, a.created_at, u.display_name, a.language_flags, "
            "a.language_reason, 1 FROM meeting_action a JOIN meeting m ON m.id = a.meeting_id "
            "JOIN app_user u ON u.id = a.created_by_user_id "
            "WHERE a.language_reason IS NOT NULL "
            "AND (CAST(:a AS int) IS NULL OR m.organising_agency_id = :a) "
            "UNION ALL "
            "SELECT 'action outcome', a.id, a.done_at, u.display_name, a.outcome_language_flags, "
            "a.outcome_language_reason, 1 FROM meeting_action a "
            "JOIN app_user u ON u.id = a.done_by_user_id "
            "WHERE a.outcome_language_reason IS NOT NULL "
            "AND (CAST(:a AS int) IS NULL OR a.owner_agency_id = :a) "
            "UNION ALL "
            # A clock's reason for a delay is kept by the agency that owns the clock.
            "SELECT 'reason for a delay', c.id, c.overrun_reason_at, u.display_name, "
            "c.overrun_language_flags, c.overrun_language_reason, 1 FROM clock c "
            "JOIN app_user u ON u.id = c.overrun_reason_by_user_id "
            "WHERE c.overrun_language_reason IS NOT NULL "
            "AND (CAST(:a AS int) IS NULL OR c.owner_agency_id = :a) "
            "UNION ALL "
            # A question to a community reporter is listed under its author's agency.
            "SELECT 'question to a reporter', q.id, q.sent_at, u.display_name, q.language_flags, "
            "q.language_reason, 1 FROM community_report_message q "
            "JOIN app_user u ON u.id = q.sent_by_user_id "
            "WHERE q.language_reason IS NOT NULL AND (CAST(:a AS int) IS NULL OR u.agency_id = :a) "
            "UNION ALL "
            # One decision on many alerts (the inbox's bulk form) is one row, with its count.
            "SELECT 'alert decision', min(a.id), a.decided_at, u.display_name, "
            "(array_agg(a.decision_language_flags))[1], a.decision_language_reason, count(*) "
            "FROM alert a JOIN app_user u ON u.id = a.decided_by_user_id "
            "WHERE a.decision_language_reason IS NOT NULL "
            "AND (CAST(:a AS int) IS NULL OR a.target_agency_id = :a) "
            "GROUP BY a.decided_at, u.id, a.decision_language_reason "
            "ORDER BY 3 DESC LIMIT :l"
        ),
        {"a": agency_id, "l": limit},
    ).all()
    return [
        SavedAnywayRow(r[0], int(r[1]), r[2], r[3], [str(f["text"]) for f in r[4]], r[5], int(r[6]))
        for r in rows
    ]
