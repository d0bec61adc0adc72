"""Security events: refused look-ups and failed sign-ins, logged in the audit chain and listed
for the data protection officer.

A refusal ("there is nothing here that you can see") looks the same to the user whether the
thing does not exist or is another agency's; the log tells them apart for the DPO, so that
someone probing for children they have no reason to know about is seen. The refusal is written
in a transaction of its own (the refused request's own work is rolled back), by the entry point
that answered it.
"""

from __future__ import annotations

from dataclasses import dataclass

from safehub.access import Permission, can
from safehub.db.queries import audit as q
from safehub.db.queries.audit import SecurityEvent
from safehub.db.uow import UnitOfWork
from safehub.services.errors import ForbiddenError

__all__ = [
    "REFUSAL",
    "SECURITY_EVENT_ACTIONS",
    "SIGN_IN_FAILED",
    "RefusedRequest",
    "SecurityEvent",
    "list_security_events",
    "record_refusal",
]

REFUSAL = "refusal"
SIGN_IN_FAILED = "sign_in_failed"  # written by ``signin`` with the attempt
SECURITY_EVENT_ACTIONS = (REFUSAL, SIGN_IN_FAILED)
_REASON_LIMIT = 200


@dataclass(frozen=True, slots=True)
class RefusedRequest:
    """What a signed-in user asked for and was refused: the method and path (which name the
    person, record or case by id), and the refusal's own reason."""

    method: str
    path: str
    reason: str
    status: int = 404


def record_refusal(uow: UnitOfWork, *, refused: RefusedRequest) -> None:
    """Log one refusal as a security event of whoever the unit of work acts as (``who``), with
    what they asked (``object_ids``); the chain records when."""
    uow.audit(
        REFUSAL,
        "request",
        [f"{refused.method} {refused.path}"],
        purpose="refused look-up",
        detail={"status": refused.status, "reason": refused.reason[:_REASON_LIMIT]},
    )


def list_security_events(uow: UnitOfWork, *, limit: int = 100) -> list[SecurityEvent]:
    """The latest refused look-ups and failed sign-ins, newest first (the DPO's view)."""
    if not uow.actor.is_system and not can(uow.actor, Permission.VIEW_AUDIT):
        raise ForbiddenError("only the data protection officer sees security events")
    events = q.list_security_events(uow.session, SECURITY_EVENT_ACTIONS, limit)
    uow.audit(
        "consultation",
        "audit_log",
        ["security_events"],
        purpose="data protection oversight",
        detail={"events": len(events)},
    )
    return events
