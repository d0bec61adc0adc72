"""A case: its children, the agencies involved, and one merged multi-agency chronology."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from safehub.db.models import Agency, CaseAgency, CaseChild, CaseMember, SafeguardingCase
from safehub.db.queries import cases as q
from safehub.db.queries import people as pq
from safehub.db.uow import UnitOfWork
from safehub.services.errors import NotFoundError


@dataclass(frozen=True, slots=True)
class CaseView:
    case_id: int
    reference: str
    title: str
    status: str
    children: list[tuple[int, str]]
    agencies: list[tuple[str, str]]
    chronology: list[q.ChronologyEntry]
    chronology_agencies: list[str]
    chronology_kinds: list[str]


def view_case(uow: UnitOfWork, *, case_id: int, agency: str | None = None, kind: str | None = None,
              purpose: str = "case work") -> CaseView:  # fmt: skip
    case = uow.session.get(SafeguardingCase, case_id)
    if case is None:
        raise NotFoundError(f"case {case_id}")
    children = q.case_children(uow.session, case_id)
    everything = q.chronology(uow.session, case_id=case_id, children=children)
    shown = [e for e in everything if (agency is None or e.agency_code == agency)
             and (kind is None or e.kind == kind)]  # fmt: skip
    agencies = uow.session.execute(
        select(Agency.code, Agency.name).join(CaseAgency, CaseAgency.agency_id == Agency.id)
        .where(CaseAgency.case_id == case_id).order_by(Agency.code)
    ).all()  # fmt: skip
    names = []
    for child in children:
        mentions = pq.records_mentioning(uow.session, [child])
        names.append((child, mentions[0].name if mentions else f"Person {child}"))
    uow.audit(
        "consultation",
        "case",
        [case_id],
        purpose=purpose,
        detail={"children": children, "chronology_entries": len(shown)},
    )
    return CaseView(
        case.id, case.reference, case.title, case.status, names,
        [(a[0], a[1]) for a in agencies], shown,
        sorted({e.agency_code for e in everything}), sorted({e.kind for e in everything}),
    )  # fmt: skip


def my_cases(uow: UnitOfWork, *, user_id: int) -> list[tuple[int, str, str, str]]:
    cases = q.cases_for_user(uow.session, user_id)
    uow.audit("consultation", "case_list", [c[0] for c in cases], purpose="own work list")
    return cases


def open_case(uow: UnitOfWork, *, title: str, children: list[int], agency_ids: list[int],
              member_ids: list[int], lead_user_id: int | None = None) -> SafeguardingCase:  # fmt: skip
    """Open a case for children, with the agencies involved and the staff on its team."""
    case = SafeguardingCase(
        reference="pending", title=title, status="open", lead_user_id=lead_user_id
    )
    uow.session.add(case)
    uow.session.flush()
    case.reference = f"CASE-{case.id:05d}"
    uow.session.add_all([CaseChild(case_id=case.id, person_id=p) for p in sorted(set(children))])
    uow.session.add_all([CaseAgency(case_id=case.id, agency_id=a) for a in sorted(set(agency_ids))])
    uow.session.add_all([CaseMember(case_id=case.id, user_id=u) for u in sorted(set(member_ids))])
    uow.session.flush()
    uow.audit("collection", "case", [case.id], purpose="case opened", detail={"children": children})
    return case
