"""A person's decision on an alert: confirm it (it needs action) or dismiss it, saying why; and
who in the agency works it.

A decision stands: an alert already confirmed or dismissed is not decided again, by the same
person or another (the first decision and its reason stay on the record).

>>> AlertDecision("dismiss", "  ").problems()
{'reason': 'Enter the reason for your decision'}
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from safehub.access import Permission, can
from safehub.db.models.alerts import Alert
from safehub.db.queries import alerts as q
from safehub.db.uow import UnitOfWork
from safehub.services.alerts.views import read_alert
from safehub.services.errors import ForbiddenError

# The decision a person takes -> the status it gives the alert.
DECISIONS = {"confirm": "confirmed", "dismiss": "dismissed"}


class AlertDecisionRefusedError(ValueError):
    """The decision cannot be recorded as given: ``errors`` says what to fix, by field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class AlertDecision:
    """What a person decides (one of ``DECISIONS``) and why."""

    decision: str
    reason: str

    def problems(self) -> dict[str, str]:
        """Problems by field, each saying how to put it right (empty when the decision is valid)."""
        errors = {}
        if self.decision not in DECISIONS:
            errors["decision"] = "Select confirm or dismiss"
        if not self.reason.strip():
            errors["reason"] = "Enter the reason for your decision"
        return errors


def decide_alert(uow: UnitOfWork, *, alert_id: int, decision: AlertDecision) -> Alert:
    """Record the actor's decision on a new alert addressed to their agency.

    Raises ``AlertDecisionRefusedError`` for a decision without a choice or a reason, or on an
    alert already decided; ``ForbiddenError`` for a role that may not act on alerts;
    ``NotFoundError`` for an alert addressed to another agency.
    """
    _may_act(uow)
    errors = decision.problems()
    if errors:
        raise AlertDecisionRefusedError(errors)
    alert = read_alert(uow, alert_id=alert_id)
    decided = _decide(uow, [alert_id], decision)
    uow.session.refresh(alert)
    if not decided:
        raise AlertDecisionRefusedError(
            {"decision": f"This alert was already {alert.status}: its decision stands"}
        )
    return alert


def decide_alerts(uow: UnitOfWork, *, alert_ids: list[int], decision: AlertDecision) -> list[int]:
    """One decision, with one reason, on many alerts at once (a team clearing repeats): the
    ids decided now. Alerts already decided keep their decision; an alert addressed to another
    agency is not touched."""
    _may_act(uow)
    errors = decision.problems()
    if not alert_ids:
        errors["alerts"] = "Select at least one alert"
    if errors:
        raise AlertDecisionRefusedError(errors)
    return _decide(uow, alert_ids, decision)


def assign_alerts(uow: UnitOfWork, *, alert_ids: list[int], user_id: int | None) -> list[int]:
    """Give alerts to a person of the actor's agency (None: back to the team): the ids given."""
    _may_act(uow)
    staff = {u for u, _ in q.list_agency_staff(uow.session, uow.actor.agency_id)}
    if not alert_ids:
        raise AlertDecisionRefusedError({"alerts": "Select at least one alert"})
    if user_id is not None and user_id not in staff:
        raise AlertDecisionRefusedError({"assignee": "Select someone in your agency"})
    changed = q.update_alerts_assignee(
        uow.session, ids=alert_ids, agency_id=uow.actor.agency_id, user_id=user_id
    )
    if changed:
        uow.mark_changed()
        uow.audit(
            "alteration",
            "alert",
            changed,
            purpose="alert assigned",
            detail={"assigned_user_id": user_id},
        )
    return changed


def _may_act(uow: UnitOfWork) -> None:
    if not can(uow.actor, Permission.ACT_ON_ALERTS):
        raise ForbiddenError("this role may not act on alerts")


def _decide(uow: UnitOfWork, alert_ids: list[int], decision: AlertDecision) -> list[int]:
    status = DECISIONS[decision.decision]
    decided = q.update_new_alerts_decision(
        uow.session,
        ids=alert_ids,
        agency_id=uow.actor.agency_id,
        status=status,
        user_id=uow.actor.user_id,
        reason=decision.reason.strip(),
        at=datetime.now(UTC),
    )
    if decided:
        uow.mark_changed()
        uow.audit("alteration", "alert", decided, purpose=f"alert {status}")
    return decided
