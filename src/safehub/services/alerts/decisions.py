"""A person's decision on an alert: confirm it (it needs action) or dismiss it, saying why.

>>> AlertDecision("dismiss", "  ").problems()
{'reason': 'Enter the reason for your decision'}
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from safehub.access import Permission, can
from safehub.db.models.alerts import Alert
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
    """Record the actor's decision on an alert addressed to their agency.

    Raises ``AlertDecisionRefusedError`` for a decision without a choice or a reason,
    ``ForbiddenError`` for a role that may not act on alerts, ``NotFoundError`` for an alert
    addressed to another agency.
    """
    if not can(uow.actor, Permission.ACT_ON_ALERTS):
        raise ForbiddenError("this role may not act on alerts")
    errors = decision.problems()
    if errors:
        raise AlertDecisionRefusedError(errors)
    alert = read_alert(uow, alert_id=alert_id)
    alert.status = DECISIONS[decision.decision]
    alert.decided_by_user_id = uow.actor.user_id
    alert.decided_at = datetime.now(UTC)
    alert.decision_reason = decision.reason.strip()
    uow.audit("alteration", "alert", [alert_id], purpose=f"alert {alert.status}")
    return alert
