"""The facts the access policy decides on: who holds a person, who is on a case, what is shared.

Read as the acting user, so row-level security already trims them; the policy (``can``) then
decides again in the application, the first of the two walls.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import text
from sqlalchemy.orm import Session

from safehub.access.subjects import CaseSubject, PersonSubject, SharingFacts

_VISIBLE_CASE = """
  (EXISTS (SELECT 1 FROM case_member m WHERE m.case_id = c.id AND m.user_id = :u)
   OR EXISTS (SELECT 1 FROM case_agency a WHERE a.case_id = c.id AND a.agency_id = :a)
   OR c.lead_user_id = :u
   OR EXISTS (SELECT 1 FROM break_glass_grant g WHERE g.case_id = c.id AND g.user_id = :u
              AND g.expires_at > now()))
"""


def person_subjects(
    session: Session, person_ids: list[int], *, user_id: int | None, agency_id: int | None
) -> dict[int, PersonSubject]:
    """The policy's view of each person: holders, restrictions, cases, break-glass."""
    holders: dict[int, set[int]] = defaultdict(set)
    restricted: dict[int, set[int]] = defaultdict(set)
    for pid, agency, is_restricted in session.execute(
        text(
            "SELECT person_id, agency_id, restricted FROM agency_person WHERE person_id = ANY(:p)"
        ),
        {"p": person_ids},
    ).all():
        (restricted if is_restricted else holders)[pid].add(agency)
    on_case = set(
        session.execute(
            text(
                f"SELECT DISTINCT cc.person_id FROM case_child cc JOIN safeguarding_case c "
                f"ON c.id = cc.case_id WHERE cc.person_id = ANY(:p) AND {_VISIBLE_CASE}"
            ),
            {"p": person_ids, "u": user_id, "a": agency_id},
        ).scalars()
    )
    glass = break_glass_people(session, person_ids, user_id=user_id)
    return {
        p: PersonSubject(
            p, frozenset(holders[p]), frozenset(restricted[p]), p in on_case, p in glass
        )
        for p in person_ids
    }


def break_glass_people(session: Session, person_ids: list[int], *, user_id: int | None) -> set[int]:
    return set(
        session.execute(
            text(
                "SELECT person_id FROM break_glass_grant WHERE user_id = :u "
                "AND person_id = ANY(:p) AND expires_at > now()"
            ),
            {"u": user_id, "p": person_ids},
        ).scalars()
    )


def case_subject(session: Session, case_id: int, *, user_id: int | None) -> CaseSubject | None:
    """None when the case does not exist (or row-level security hides it)."""
    lead = session.execute(
        text("SELECT id, lead_user_id FROM safeguarding_case WHERE id = :c"), {"c": case_id}
    ).first()
    if lead is None:
        return None
    members = session.execute(
        text("SELECT user_id FROM case_member WHERE case_id = :c"), {"c": case_id}
    ).scalars()
    agencies = session.execute(
        text("SELECT agency_id FROM case_agency WHERE case_id = :c"), {"c": case_id}
    ).scalars()
    glass = session.execute(
        text(
            "SELECT 1 FROM break_glass_grant WHERE case_id = :c AND user_id = :u "
            "AND expires_at > now()"
        ),
        {"c": case_id, "u": user_id},
    ).first()
    return CaseSubject(case_id, frozenset(members), frozenset(agencies), lead[1], glass is not None)


def sharing_facts(
    session: Session, *, agency_id: int | None, user_id: int | None, person_ids: list[int]
) -> SharingFacts:
    """Agreements into the agency, granted disclosures and break-glass grants for these people."""
    agreed: dict[int, set[str]] = defaultdict(set)
    for provider, types in session.execute(
        text(
            "SELECT provider_agency_id, record_types FROM sharing_agreement "
            "WHERE recipient_agency_id = :a AND starts_on <= current_date "
            "AND (ends_on IS NULL OR ends_on >= current_date)"
        ),
        {"a": agency_id},
    ).all():
        agreed[provider].update(types)
    disclosed = session.execute(
        text(
            "SELECT owning_agency_id, person_id FROM disclosure_request "
            "WHERE requesting_agency_id = :a AND status = 'granted' AND person_id = ANY(:p)"
        ),
        {"a": agency_id, "p": person_ids},
    ).all()
    return SharingFacts(
        {k: frozenset(v) for k, v in agreed.items()},
        frozenset((int(o), int(p)) for o, p in disclosed),
        frozenset(break_glass_people(session, person_ids, user_id=user_id)),
    )


def sealed_holders(session: Session, person_id: int) -> set[int]:
    """Agencies holding records about a person that the user may not read (row-level security's
    own answer: a security-definer function that reveals holders, never content)."""
    return set(
        session.execute(text("SELECT safehub_sealed_holders(:p)"), {"p": person_id}).scalars()
    )


def agency_contacts(
    session: Session, agency_ids: list[int]
) -> dict[int, tuple[str, str, str | None, str | None, str | None]]:
    """(code, name, contact name, email, phone) of each agency."""
    rows = session.execute(
        text(
            "SELECT a.id, a.code, a.name, c.name, c.email, c.phone FROM agency a "
            "LEFT JOIN sharing_contact c ON c.agency_id = a.id WHERE a.id = ANY(:a)"
        ),
        {"a": agency_ids},
    ).all()
    return {r[0]: (r[1], r[2], r[3], r[4], r[5]) for r in rows}
