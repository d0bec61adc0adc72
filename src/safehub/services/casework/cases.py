"""A case: its children, the agencies involved, and one merged multi-agency chronology.

A case is open to its team, to the staff of the agencies involved, to its lead, and to a user who
broke the glass for it. Its chronology shows the case's own notes and decisions, and the agency
records about its children that are open to the user; the rest are sealed envelopes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from safehub.access import Permission, can
from safehub.db.models import CaseAgency, CaseChild, CaseMember, SafeguardingCase
from safehub.db.queries import access as aq
from safehub.db.queries import cases as q
from safehub.db.uow import UnitOfWork
from safehub.services.casework.people import name_people
from safehub.services.errors import NotFoundError
from safehub.services.sharing.agreements import (
    AccessView,
    SealedEnvelope,
    load_access,
    sealed_envelopes_of,
)


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
    sealed: list[SealedEnvelope] = field(default_factory=list)


def view_case(
    uow: UnitOfWork,
    *,
    case_id: int,
    agency: str | None = None,
    kind: str | None = None,
    purpose: str = "case work",
) -> CaseView:
    """The case as the user may see it. ``NotFoundError`` alike for a missing or closed-to-them case."""
    actor = uow.actor
    found = aq.case_header_and_subject(uow.session, case_id, user_id=actor.user_id)
    if found is None or not can(actor, Permission.VIEW_CASE, found[1]):
        raise NotFoundError(f"case {case_id}")
    case = found[0]
    all_children = case.children
    access = load_access(uow, person_ids=all_children)
    children = [c for c in all_children if access.sees_person(c)]
    everything, denied = _open_entries(
        access, q.list_chronology(uow.session, case_id=case_id, children=children)
    )
    shown = [
        e
        for e in everything
        if (agency is None or e.agency_code == agency) and (kind is None or e.kind == kind)
    ]
    agencies = case.agencies
    sealed = sealed_envelopes_of(uow, person_ids=children, denied=denied)
    uow.audit(
        "consultation",
        "case",
        [case_id],
        purpose=purpose,
        detail={
            "children": children,
            "chronology_entries": len(shown),
            "sealed_agencies": sorted({s.agency_id for s in sealed}),
        },
    )
    return CaseView(
        case.case_id,
        case.reference,
        case.title,
        case.status,
        _child_names(uow, children, access),
        agencies,
        shown,
        sorted({e.agency_code for e in everything}),
        sorted({e.kind for e in everything}),
        sealed,
    )


def _open_entries(
    access: AccessView, entries: list[q.ChronologyEntry]
) -> tuple[list[q.ChronologyEntry], dict[int, set[int]]]:
    """The entries open to the user, and by child the agencies whose entries were withheld."""
    shown: list[q.ChronologyEntry] = []
    denied: dict[int, set[int]] = {}
    for e in entries:
        if (
            e.case_own
            or e.person_id is None
            or access.reads(
                agency_id=e.agency_id,
                record_type=e.record_type,
                person_id=e.person_id,
                restricted=e.restricted,
            )
        ):
            shown.append(e)
        elif access.shows_holder(agency_id=e.agency_id, restricted=e.restricted):
            denied.setdefault(e.person_id, set()).add(e.agency_id)
    return shown, denied


def _child_names(uow: UnitOfWork, children: list[int], access: AccessView) -> list[tuple[int, str]]:
    """Each child's name and age, as the records open to the user give them (decided on the
    access facts the page has already loaded in this transaction)."""
    labels = name_people(uow, person_ids=children, access=access)
    return [(child, labels[child].text) for child in children]


@dataclass(frozen=True, slots=True)
class CaseLine:
    """A case as a list shows it: whom it is about first."""

    case_id: int
    reference: str
    title: str
    status: str
    children: tuple[str, ...]

    @property
    def about(self) -> str:
        return ", ".join(self.children) or "No child named"


def my_cases(uow: UnitOfWork) -> list[CaseLine]:
    """The cases the acting user is on the team of (the home page's own work list), each with
    the names and ages of its children."""
    cases = q.list_cases_for_user(uow.session, uow.actor.user_id)
    uow.audit("consultation", "case_list", [c[0] for c in cases], purpose="own work list")
    return _lines(uow, cases)


def cases_of_person(uow: UnitOfWork, *, person_id: int) -> list[CaseLine]:
    """The cases open to the user that a person is a child of (for their page)."""
    cases = [c for c in q.list_cases_of_person(uow.session, person_id) if _may_view(uow, c[0])]
    return _lines(uow, cases)


def _may_view(uow: UnitOfWork, case_id: int) -> bool:
    subject = aq.case_subject(uow.session, case_id, user_id=uow.actor.user_id)
    return subject is not None and can(uow.actor, Permission.VIEW_CASE, subject)


def _lines(uow: UnitOfWork, cases: list[tuple[int, str, str, str]]) -> list[CaseLine]:
    children = q.list_children_of_cases(uow.session, [c[0] for c in cases])
    labels = name_people(uow, person_ids=[p for found in children.values() for p in found])
    return [
        CaseLine(cid, ref, title, status, tuple(labels[p].text for p in children.get(cid, [])))
        for cid, ref, title, status in cases
    ]


def open_case(
    uow: UnitOfWork,
    *,
    title: str,
    children: list[int],
    agency_ids: list[int],
    member_ids: list[int],
    lead_user_id: int | None = None,
) -> SafeguardingCase:
    """Open a case for children, with the agencies involved and the staff on its team.

    A user who opens a case leads it unless a lead is named (row-level security lets a user
    create only a case they lead, and add to it only children they may see)."""
    if lead_user_id is None and not uow.actor.is_system:
        lead_user_id = uow.actor.user_id
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
