"""Break-glass: opening a record one cannot otherwise see, in an emergency, with a stated reason.

The grant is the user's alone, lapses after ``GRANT_HOURS``, is logged with its reason, and
raises an alert to the data protection officer. It never reaches a person restricted by another
agency (refuge, protected address, witness protection): for the user that person does not exist,
and the answer is the same as for a number that matches nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import DBAPIError

from safehub.access import Permission, can
from safehub.access.checks import app_checks_enabled
from safehub.db.models import SafeguardingCase
from safehub.db.models.sharing import BreakGlassGrant
from safehub.db.queries import people as pq
from safehub.db.queries import sharing as sq
from safehub.db.rls import system_step
from safehub.db.uow import UnitOfWork
from safehub.events import GlassBroken
from safehub.services.alerts import NewAlert, raise_alerts
from safehub.services.errors import ForbiddenError, NotFoundError, RefusedError

GRANT_HOURS = 4
MIN_REASON = 20
SUBJECTS = ("person", "case")


@dataclass(frozen=True, slots=True)
class BreakGlassRequest:
    """What a user asks to open in an emergency, and why (``subject_id`` as typed)."""

    subject: str
    subject_id: str
    reason: str

    def problems(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        if self.subject not in SUBJECTS:
            errors["subject"] = "Select whether you need a person or a case"
        if not self.subject_id.strip().isdigit():
            errors["subject_id"] = "Enter the number of the person or case, for example 1042"
        if len(self.reason.strip()) < MIN_REASON:
            errors["reason"] = (
                f"Say why you need this record now (at least {MIN_REASON} characters): "
                "the data protection officer will read it"
            )
        return errors


def break_glass(
    uow: UnitOfWork, *, request: BreakGlassRequest, now: datetime | None = None
) -> BreakGlassGrant:
    """Open a person or case to the user for ``GRANT_HOURS``; log it; the DPO is alerted.

    Raises ``NotFoundError`` when there is no such person or case *for the user* (which includes
    a person restricted by another agency), ``RefusedError`` naming what to put right, and
    ``ForbiddenError`` for a role that may not break the glass.
    """
    actor = uow.actor
    if not can(actor, Permission.BREAK_GLASS):
        raise ForbiddenError("break-glass is not open to this role")
    errors = request.problems()
    if errors:
        raise RefusedError(errors)
    subject, subject_id, reason = request.subject, int(request.subject_id), request.reason
    if app_checks_enabled() and not _exists_for(uow, subject, subject_id):
        raise NotFoundError(f"{subject} {subject_id}")
    now = now or datetime.now(UTC)
    grant = BreakGlassGrant(
        user_id=actor.user_id,
        agency_id=actor.agency_id,
        reason=reason.strip(),
        person_id=subject_id if subject == "person" else None,
        case_id=subject_id if subject == "case" else None,
        expires_at=now + timedelta(hours=GRANT_HOURS),
    )
    uow.session.add(grant)
    try:
        uow.session.flush()
    except DBAPIError as exc:
        # Row-level security refused the grant (a person restricted by another agency): the
        # same answer as for no such person, whichever wall stopped it.
        if getattr(exc.orig, "sqlstate", None) == "42501":
            raise NotFoundError(f"{subject} {subject_id}") from None
        raise
    uow.audit(
        "consultation",
        "break_glass",
        [grant.id],
        purpose=grant.reason,
        detail={subject: subject_id, "expires_at": grant.expires_at.isoformat()},
    )
    # A grant is a change: the audit needs a non-consultation entry for the unit of work to commit.
    uow.audit("collection", "break_glass_grant", [grant.id], purpose="break-glass access")
    uow.emit(GlassBroken(grant_id=grant.id, subject=subject, subject_id=subject_id))
    return grant


def _exists_for(uow: UnitOfWork, subject: str, subject_id: int) -> bool:
    """Whether the person or case exists for this user (nothing restricted elsewhere). Read as
    the system: the user cannot see it yet, which is the point of breaking the glass."""
    actor = uow.actor
    with system_step(uow):
        if subject == "case":
            return uow.session.get(SafeguardingCase, subject_id) is not None
        return pq.person_exists(uow.session, subject_id, actor.agency_id)


def alert_dpo(uow: UnitOfWork, *, event: GlassBroken) -> None:
    """The data protection officer of the user's agency is told of every grant, with its reason."""
    grant = uow.session.get(BreakGlassGrant, event.grant_id)
    if grant is None:
        raise NotFoundError(f"break-glass grant {event.grant_id}")
    actor, subject, subject_id = uow.actor, event.subject, event.subject_id
    target = sq.get_dpo_agency(uow.session, actor.agency_id) or actor.agency_id
    assert target is not None  # a signed-in user always has an agency
    alert = NewAlert(
        kind="break_glass",
        title=f"Break-glass access to a {subject} record",
        reasons=[
            f"{actor.label} opened {subject} {subject_id}, which they could not otherwise "
            f"see, until {grant.expires_at:%Y-%m-%d %H:%M} UTC.",
            f"Reason given: {grant.reason}",
        ],
        rule="break_glass",
        target_agency_id=target,
        dedupe_key=f"break_glass:{grant.id}",
        evidence={"grant": grant.id, subject: subject_id, "user": actor.user_id},
        person_id=grant.person_id,
        case_id=grant.case_id,
        owning_agency_id=actor.agency_id,
    )
    with system_step(uow):
        raise_alerts(
            uow, alerts=[alert], purpose="break-glass: the data protection officer is told"
        )
