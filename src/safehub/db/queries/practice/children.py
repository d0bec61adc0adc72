"""SQL of a child's practice record: who may see the child, what agencies' records say about
them, the indicator checklist and its assessments, the child's voice, and support."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from safehub.db.models import Agency, User
from safehub.db.models.practice import (
    AccountHeard,
    ChildIndicator,
    ChildVoice,
    IndicatorAssessment,
    SupportPlan,
    SupportReferral,
)


def can_see_child(
    session: Session, *, person_id: int, user_id: int | None, agency_id: int | None
) -> bool:
    """On a case the user works on (as a member or through their agency), or known to their
    agency's own records. Restricted people are never seen outside their agency."""
    return bool(
        session.execute(
            text(
                "SELECT 1 FROM person p WHERE p.id = :p AND p.merged_into_id IS NULL AND ("
                " EXISTS (SELECT 1 FROM case_child cc WHERE cc.person_id = p.id AND ("
                "   EXISTS (SELECT 1 FROM case_member m WHERE m.case_id = cc.case_id AND m.user_id = :u) OR"
                "   EXISTS (SELECT 1 FROM case_agency a WHERE a.case_id = cc.case_id AND a.agency_id = :a)))"
                " OR EXISTS (SELECT 1 FROM agency_person ap WHERE ap.person_id = p.id AND ap.agency_id = :a))"
                " AND NOT EXISTS (SELECT 1 FROM agency_person r WHERE r.person_id = p.id AND r.restricted"
                "   AND r.agency_id IS DISTINCT FROM :a)"
            ),
            {"p": person_id, "u": user_id, "a": agency_id},
        ).first()
    )


@dataclass(frozen=True, slots=True)
class ChildFacts:
    """What agencies' records say about a child that the practice pages need."""

    name: str
    dates_of_birth: list[str]
    imported_indicators: list[ImportedIndicator]


@dataclass(frozen=True, slots=True)
class ImportedIndicator:
    code: str
    agency_code: str
    agency_name: str
    record_type: str
    record_ref: str
    record_date: date


def get_child_facts(session: Session, person_id: int) -> ChildFacts:
    names = session.execute(
        text(
            "SELECT trim(coalesce(m.given_names,'') || ' ' || coalesce(m.family_name,'')) AS n, "
            "count(*) FROM person_mention m JOIN agency_person ap ON ap.id = m.agency_person_id "
            "WHERE m.current AND NOT ap.restricted AND ap.person_id = :p GROUP BY n "
            "ORDER BY count(*) DESC, n"
        ),
        {"p": person_id},
    ).all()
    dobs = session.execute(
        text(
            "SELECT m.date_of_birth, count(*) FROM person_mention m "
            "JOIN agency_person ap ON ap.id = m.agency_person_id WHERE m.current AND NOT ap.restricted "
            "AND ap.person_id = :p AND m.date_of_birth IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1"
        ),
        {"p": person_id},
    ).all()
    found = session.execute(
        text(
            "SELECT i.code, a.code, a.name, r.record_type, r.record_ref, r.record_date "
            "FROM person_mention m JOIN agency_person ap ON ap.id = m.agency_person_id "
            "JOIN agency_record r ON r.id = m.record_id JOIN agency a ON a.id = r.agency_id "
            "CROSS JOIN LATERAL unnest(m.indicators) AS i(code) "
            "WHERE m.current AND NOT ap.restricted AND ap.person_id = :p "
            "ORDER BY r.record_date DESC, a.code, r.record_ref, i.code"
        ),
        {"p": person_id},
    ).all()
    name = next((n[0] for n in names if n[0]), f"Person {person_id}")
    return ChildFacts(name, [d[0] for d in dobs], [ImportedIndicator(*r) for r in found])


def list_recorded_indicators(
    session: Session, person_id: int
) -> list[tuple[ChildIndicator, str, str]]:
    """The checklist items in force (not withdrawn), with who recorded each and their agency."""
    rows = session.execute(
        select(ChildIndicator, User.display_name, Agency.name)
        .join(User, User.id == ChildIndicator.recorded_by_user_id)
        .join(Agency, Agency.id == ChildIndicator.recorded_by_agency_id)
        .where(ChildIndicator.person_id == person_id, ChildIndicator.withdrawn_at.is_(None))
        .order_by(ChildIndicator.kind, ChildIndicator.code, ChildIndicator.id)
    ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def list_current_indicators(session: Session, person_id: int) -> list[ChildIndicator]:
    """The checklist items in force, as rows to withdraw."""
    return list(
        session.scalars(
            select(ChildIndicator).where(
                ChildIndicator.person_id == person_id, ChildIndicator.withdrawn_at.is_(None)
            )
        )
    )


def list_assessments(session: Session, person_id: int) -> list[IndicatorAssessment]:
    """Every suggested level kept for a child, oldest first."""
    return list(
        session.scalars(
            select(IndicatorAssessment)
            .where(IndicatorAssessment.person_id == person_id)
            .order_by(IndicatorAssessment.id)
        )
    )


def list_voice(session: Session, person_id: int) -> list[tuple[ChildVoice, str]]:
    """The child's words and wishes, newest first, with who recorded each."""
    rows = session.execute(
        select(ChildVoice, User.display_name)
        .join(User, User.id == ChildVoice.recorded_by_user_id)
        .where(ChildVoice.person_id == person_id)
        .order_by(ChildVoice.said_on.desc(), ChildVoice.id.desc())
    ).all()
    return [(r[0], r[1]) for r in rows]


def list_accounts_heard(session: Session, person_id: int) -> list[tuple[AccountHeard, str]]:
    """Who has heard the child's account, newest first, with who recorded each."""
    rows = session.execute(
        select(AccountHeard, User.display_name)
        .join(User, User.id == AccountHeard.recorded_by_user_id)
        .where(AccountHeard.person_id == person_id)
        .order_by(AccountHeard.heard_on.desc(), AccountHeard.id.desc())
    ).all()
    return [(r[0], r[1]) for r in rows]


def get_current_plan(session: Session, person_id: int) -> tuple[SupportPlan, str] | None:
    """The child's newest support plan (it supersedes the others) and who wrote it."""
    row = session.execute(
        select(SupportPlan, User.display_name)
        .join(User, User.id == SupportPlan.created_by_user_id)
        .where(SupportPlan.person_id == person_id)
        .order_by(SupportPlan.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def list_support_referrals(session: Session, person_id: int) -> list[SupportReferral]:
    """The child's referrals to support, newest first."""
    return list(
        session.scalars(
            select(SupportReferral)
            .where(SupportReferral.person_id == person_id)
            .order_by(SupportReferral.referred_on.desc(), SupportReferral.id.desc())
        )
    )


def list_cases_with_social_worker(session: Session, limit: int) -> list[tuple[int, int, int]]:
    """``(case, child, social worker)``: the first child and social worker of the first cases
    that have a social worker on their team (the demo writes practice records for them)."""
    rows = session.execute(
        text(
            "SELECT DISTINCT ON (c.id) c.id, cc.person_id, m.user_id FROM safeguarding_case c "
            "JOIN case_child cc ON cc.case_id = c.id JOIN case_member m ON m.case_id = c.id "
            "JOIN app_user u ON u.id = m.user_id AND u.role = 'social_worker' "
            "ORDER BY c.id, cc.person_id, m.user_id LIMIT :n"
        ),
        {"n": limit},
    ).all()
    return [(int(r[0]), int(r[1]), int(r[2])) for r in rows]
