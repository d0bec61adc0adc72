"""Raising alerts to the right team, and a person confirming or dismissing each one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from safehub.access.actor import Actor
from safehub.db.models.alerts import Alert
from safehub.db.queries import alerts as q
from safehub.db.uow import UnitOfWork
from safehub.services.errors import NotFoundError

DECISIONS = {"confirm": "confirmed", "dismiss": "dismissed"}


@dataclass(frozen=True, slots=True)
class NewAlert:
    """An alert as an engine proposes it: its reasons, the evidence, and the rule that fired."""

    kind: str
    title: str
    reasons: list[str]
    rule: str
    target_agency_id: int
    dedupe_key: str
    evidence: dict[str, object] = field(default_factory=dict)
    person_id: int | None = None
    case_id: int | None = None
    target_team_id: int | None = None
    owning_agency_id: int | None = None
    sealed: bool = False
    severity: str = "high"


def raise_alerts(uow: UnitOfWork, *, alerts: list[NewAlert], purpose: str) -> list[int]:
    """Store new alerts; one already raised (same dedupe key) is not raised again."""
    ids: list[int] = []
    for alert in alerts:
        inserted = q.insert_alert(uow.session, {k: getattr(alert, k) for k in NewAlert.__slots__})
        if inserted is not None:
            ids.append(inserted)
    if ids:
        uow.mark_changed()
        uow.audit("collection", "alert", ids, purpose=purpose)
    return ids


def alerts_for(uow: UnitOfWork, *, actor: Actor, status: str | None = "new") -> list[Alert]:
    """The alerts addressed to the actor's agency, newest first."""
    alerts = q.list_alerts_for_agency(uow.session, actor.agency_id, status)
    uow.audit("consultation", "alert_list", [a.id for a in alerts], purpose="own alerts")
    return alerts


def view_alert(uow: UnitOfWork, *, actor: Actor, alert_id: int) -> Alert:
    alert = uow.session.get(Alert, alert_id)
    if alert is None or alert.target_agency_id != actor.agency_id:
        raise NotFoundError(f"alert {alert_id}")
    uow.audit("consultation", "alert", [alert_id], purpose="acting on an alert")
    return alert


def decide_alert(
    uow: UnitOfWork, *, actor: Actor, alert_id: int, decision: str, reason: str
) -> Alert:
    """A person confirms or dismisses an alert, and says why."""
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}")
    if not reason.strip():
        raise ValueError("a reason is needed for the decision")
    alert = view_alert(uow, actor=actor, alert_id=alert_id)
    alert.status = DECISIONS[decision]
    alert.decided_by_user_id = actor.user_id
    alert.decided_at = datetime.now(UTC)
    alert.decision_reason = reason.strip()
    uow.audit("alteration", "alert", [alert_id], purpose=f"alert {alert.status}")
    return alert
