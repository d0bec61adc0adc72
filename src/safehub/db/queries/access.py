"""The facts the access policy decides on: who holds a person, who is on a case, what is shared.

Read as the acting user, so row-level security already trims them; the policy (``can``) then
decides again in the application, the first of the two walls.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

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


# A case and who it is open to, in one statement (it was four).
_CASE_SUBJECT = """
SELECT c.id, c.lead_user_id,
  array(SELECT user_id FROM case_member WHERE case_id = c.id),
  array(SELECT agency_id FROM case_agency WHERE case_id = c.id),
  EXISTS (SELECT 1 FROM break_glass_grant WHERE case_id = c.id AND user_id = :u
          AND expires_at > now())
FROM safeguarding_case c WHERE c.id = :c
"""
# The case page's own: the same, with what the page names the case by, its children as people
# now (a child merged by identity resolution is the survivor: ``merged_into_id`` points straight
# at it) and the agencies involved, (code, name) by code. Six statements before.
_CASE_PAGE = """
SELECT c.id, c.lead_user_id,
  array(SELECT user_id FROM case_member WHERE case_id = c.id),
  array(SELECT agency_id FROM case_agency WHERE case_id = c.id),
  EXISTS (SELECT 1 FROM break_glass_grant WHERE case_id = c.id AND user_id = :u
          AND expires_at > now()),
  c.reference, c.title, c.status,
  array(SELECT DISTINCT coalesce(p.merged_into_id, p.id) FROM case_child cc
          JOIN person p ON p.id = cc.person_id WHERE cc.case_id = c.id ORDER BY 1),
  (SELECT coalesce(json_agg(json_build_array(a.code, a.name) ORDER BY a.code), '[]'::json)
     FROM case_agency ca JOIN agency a ON a.id = ca.agency_id WHERE ca.case_id = c.id)
FROM safeguarding_case c WHERE c.id = :c
"""


@dataclass(frozen=True, slots=True)
class CaseHeader:
    """What a case page shows of a case before its chronology."""

    case_id: int
    reference: str
    title: str
    status: str
    children: list[int]
    agencies: list[tuple[str, str]]


def case_subject(session: Session, case_id: int, *, user_id: int | None) -> CaseSubject | None:
    """None when the case does not exist (or row-level security hides it)."""
    row = session.execute(text(_CASE_SUBJECT), {"c": case_id, "u": user_id}).first()
    if row is None:
        return None
    _, lead, members, agencies, glass = row
    return CaseSubject(case_id, frozenset(members), frozenset(agencies), lead, bool(glass))


def case_header_and_subject(
    session: Session, case_id: int, *, user_id: int | None
) -> tuple[CaseHeader, CaseSubject] | None:
    """The case as its page heads it (reference, title, status, children, agencies involved)
    and the policy's view of it (``case_subject``). None when the case does not exist (or
    row-level security hides it)."""
    row = session.execute(text(_CASE_PAGE), {"c": case_id, "u": user_id}).first()
    if row is None:
        return None
    _, lead, members, agency_ids, glass, reference, title, status, children, agencies = row
    header = CaseHeader(
        case_id,
        str(reference),
        str(title),
        str(status),
        [int(c) for c in children],
        [(str(code), str(name)) for code, name in agencies],
    )
    subject = CaseSubject(case_id, frozenset(members), frozenset(agency_ids), lead, bool(glass))
    return header, subject


# Everything the policy decides on about a few people, in one statement (a page asks for it at
# least once, the case page twice: six statements each before, most of a page's round trips).
# Each subquery reads its table as the acting user, row-level security trimming it as before.
_ACCESS_FACTS = f"""
SELECT
  (SELECT coalesce(json_agg(json_build_array(person_id, agency_id, restricted)), '[]'::json)
     FROM agency_person WHERE person_id = ANY(:p)),
  array(SELECT DISTINCT cc.person_id FROM case_child cc JOIN safeguarding_case c
          ON c.id = cc.case_id WHERE cc.person_id = ANY(:p) AND {_VISIBLE_CASE}),
  array(SELECT person_id FROM break_glass_grant WHERE user_id = :u
          AND person_id = ANY(:p) AND expires_at > now()),
  (SELECT coalesce(json_agg(json_build_array(provider_agency_id, record_types)), '[]'::json)
     FROM sharing_agreement WHERE recipient_agency_id = :a AND starts_on <= current_date
     AND (ends_on IS NULL OR ends_on >= current_date)),
  (SELECT coalesce(json_agg(json_build_array(owning_agency_id, person_id)), '[]'::json)
     FROM disclosure_request WHERE requesting_agency_id = :a AND status = 'granted'
     AND person_id = ANY(:p))
"""


def access_facts(
    session: Session, person_ids: list[int], *, user_id: int | None, agency_id: int | None
) -> tuple[dict[int, PersonSubject], SharingFacts]:
    """The policy's view of each person (holders, restrictions, cases, break-glass) and what
    opens other agencies' content to the actor's agency: agreements into the agency, granted
    disclosures and break-glass grants for these people."""
    row = session.execute(
        text(_ACCESS_FACTS), {"p": person_ids, "u": user_id, "a": agency_id}
    ).one()
    held, on_case_ids, glass_ids, agreements, disclosures = row
    holders: dict[int, set[int]] = defaultdict(set)
    restricted: dict[int, set[int]] = defaultdict(set)
    for pid, agency, is_restricted in held:
        (restricted if is_restricted else holders)[int(pid)].add(int(agency))
    on_case = {int(p) for p in on_case_ids}
    glass = frozenset(int(p) for p in glass_ids)
    people = {
        p: PersonSubject(
            p, frozenset(holders[p]), frozenset(restricted[p]), p in on_case, p in glass
        )
        for p in person_ids
    }
    agreed: dict[int, set[str]] = defaultdict(set)
    for provider, types in agreements:
        agreed[int(provider)].update(types)
    facts = SharingFacts(
        {k: frozenset(v) for k, v in agreed.items()},
        frozenset((int(o), int(p)) for o, p in disclosures),
        glass,
    )
    return people, facts


def sealed_holders(session: Session, person_id: int) -> set[int]:
    """Agencies holding records about a person that the user may not read (row-level security's
    own answer: a security-definer function that reveals holders, never content)."""
    return set(
        session.execute(text("SELECT safehub_sealed_holders(:p)"), {"p": person_id}).scalars()
    )


def sealed_holders_of(session: Session, person_ids: list[int]) -> dict[int, set[int]]:
    """``sealed_holders`` of several people in one statement, by person."""
    found: dict[int, set[int]] = defaultdict(set)
    for pid, agency in session.execute(
        text(
            "SELECT p.id, h.agency FROM unnest(CAST(:p AS bigint[])) AS p(id) "
            "CROSS JOIN LATERAL safehub_sealed_holders(p.id) AS h(agency)"
        ),
        {"p": person_ids},
    ).all():
        found[int(pid)].add(int(agency))
    return found


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
