"""Disclosure requests: opening a sealed envelope on a recorded lawful basis.

A user who may see a child asks the agency holding sealed records to disclose them, stating the
purpose and the lawful basis (DPA 2018 Sch. 1 para 18 or Sch. 8 para 4, safeguarding of
children; or consent, rarely the right basis). The owning agency decides; a grant opens its
records about that child to the requesting agency. The decision, with its recipients, is logged
as a disclosure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from safehub.access import DisclosureSubject, Permission, can
from safehub.access.actor import Actor
from safehub.db.models.sharing import DisclosureRequest
from safehub.db.queries import access as aq
from safehub.db.queries import sharing as sq
from safehub.db.queries.sharing import RequestRow as RequestRow
from safehub.db.rls import system_step
from safehub.db.uow import UnitOfWork
from safehub.services.alerts import NewAlert, raise_alerts
from safehub.services.errors import ForbiddenError, NotFoundError, RefusedError
from safehub.services.sharing.agreements import load_access

DISCLOSURE_BASES = {
    "dpa_2018_sch1_para18": "DPA 2018 Schedule 1 paragraph 18: safeguarding of children",
    "dpa_2018_sch8_para4": "DPA 2018 Schedule 8 paragraph 4: safeguarding of children "
    "(law enforcement)",
    "consent": "Consent of the person (or of a parent for a young child)",
}
DECISIONS = {"grant": "granted", "refuse": "refused"}


@dataclass(frozen=True, slots=True)
class DisclosureInput:
    """A request to open another agency's sealed records about a person."""

    person_id: int
    owning_agency_id: int
    purpose: str
    lawful_basis: str

    def problems(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        if len(self.purpose.strip()) < 10:
            errors["purpose"] = "Say why you need the records (at least 10 characters)"
        if self.lawful_basis not in DISCLOSURE_BASES:
            errors["lawful_basis"] = "Select the lawful basis for the disclosure"
        return errors


def request_disclosure(uow: UnitOfWork, *, request: DisclosureInput) -> DisclosureRequest:
    """Ask the owning agency to open its records about a person the user may see."""
    actor = uow.actor
    errors = request.problems()
    if errors:
        raise RefusedError(errors)
    access = load_access(uow, person_ids=[request.person_id])
    subject = access.people.get(request.person_id)
    held = aq.sealed_holders(uow.session, request.person_id) | (
        subject.holders if subject else frozenset()
    )
    if (
        not can(actor, Permission.REQUEST_DISCLOSURE)
        or not access.sees_person(request.person_id)
        or request.owning_agency_id not in held
        or request.owning_agency_id == actor.agency_id
    ):
        raise NotFoundError(f"person {request.person_id}")
    row = DisclosureRequest(
        person_id=request.person_id,
        owning_agency_id=request.owning_agency_id,
        requesting_agency_id=actor.agency_id,
        requested_by_user_id=actor.user_id,
        purpose=request.purpose.strip(),
        lawful_basis=request.lawful_basis,
        status="requested",
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit(
        "collection",
        "disclosure_request",
        [row.id],
        purpose=row.purpose,
        detail={
            "person": row.person_id,
            "owning_agency": row.owning_agency_id,
            "lawful_basis": row.lawful_basis,
        },
    )
    _tell_owning_agency(uow, row)
    return row


def _tell_owning_agency(uow: UnitOfWork, row: DisclosureRequest) -> None:
    """The owning agency hears of the request as an alert (raised by the system on the user's
    behalf: the requester may not read alerts addressed to another agency)."""
    basis = DISCLOSURE_BASES[row.lawful_basis]
    alert = NewAlert(
        kind="disclosure_request",
        title="A partner agency asks you to disclose records",
        reasons=[
            f"Disclosure request {row.id} asks for your records about person "
            f"{row.person_id}, on the basis of {basis}.",
            f"Purpose given: {row.purpose}",
        ],
        rule="disclosure_request",
        target_agency_id=row.owning_agency_id,
        dedupe_key=f"disclosure_request:{row.id}",
        evidence={"disclosure_request": row.id},
        person_id=row.person_id,
        owning_agency_id=row.owning_agency_id,
        severity="medium",
    )
    with system_step(uow):
        raise_alerts(uow, alerts=[alert], purpose="disclosure request to the owning agency")


def disclosure_lists(
    uow: UnitOfWork,
) -> tuple[list[RequestRow], list[RequestRow]]:
    """(requests to the actor's agency, requests the actor's agency made), newest first."""
    actor = uow.actor
    if actor.agency_id is None:
        return [], []
    incoming = sq.list_incoming_requests(uow.session, actor.agency_id)
    outgoing = sq.list_outgoing_requests(uow.session, actor.agency_id)
    uow.audit(
        "consultation",
        "disclosure_request_list",
        [r.request_id for r in incoming + outgoing],
        purpose="disclosure requests",
    )
    return incoming, outgoing


def view_request(uow: UnitOfWork, *, request_id: int) -> RequestRow:
    """One request, for the agency that made it or the one that decides it."""
    actor = uow.actor
    row = sq.get_request(uow.session, request_id)
    if row is None or not _party(actor, row):
        raise NotFoundError(f"disclosure request {request_id}")
    uow.audit("consultation", "disclosure_request", [request_id], purpose="disclosure request")
    return row


def _party(actor: Actor, row: RequestRow) -> bool:
    subject = DisclosureSubject(row.request_id, row.owning_agency_id, row.requesting_agency_id)
    return can(actor, Permission.REQUEST_DISCLOSURE, subject) or can(
        actor, Permission.DECIDE_DISCLOSURE, subject
    )


@dataclass(frozen=True, slots=True)
class DisclosureDecision:
    """The owning agency's answer: grant or refuse, and why."""

    decision: str
    reason: str

    def problems(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        if self.decision not in DECISIONS:
            errors["decision"] = "Select grant or refuse"
        if len(self.reason.strip()) < 5:
            errors["reason"] = "Give the reason for your decision"
        return errors


def decide_disclosure(
    uow: UnitOfWork, *, request_id: int, decision: DisclosureDecision
) -> DisclosureRequest:
    """The owning agency grants or refuses, and says why; logged as a disclosure to recipients."""
    actor = uow.actor
    errors = decision.problems()
    if errors:
        raise RefusedError(errors)
    row = uow.session.get(DisclosureRequest, request_id)
    if row is None or not can(
        actor,
        Permission.DECIDE_DISCLOSURE,
        DisclosureSubject(row.id, row.owning_agency_id, row.requesting_agency_id),
    ):
        raise NotFoundError(f"disclosure request {request_id}")
    if row.owning_agency_id != actor.agency_id and not actor.is_system:
        raise ForbiddenError("only the agency holding the records decides")
    if row.status != "requested":
        raise RefusedError({"decision": "This request has already been decided"})
    row.status = DECISIONS[decision.decision]
    row.decided_by_user_id = actor.user_id
    row.decided_at = datetime.now(UTC)
    row.decision_reason = decision.reason.strip()
    action = "disclosure" if row.status == "granted" else "alteration"
    uow.audit(
        action,
        "disclosure_request",
        [row.id],
        purpose=f"disclosure {row.status}",
        detail={
            "person": row.person_id,
            "owning_agency": row.owning_agency_id,
            "recipients": {
                "agency": row.requesting_agency_id,
                "requested_by": row.requested_by_user_id,
            },
            "lawful_basis": row.lawful_basis,
        },
    )
    return row
