"""Alerts as the alerts pages show them: the agency's alerts, one alert inside its envelope, and a
person's decision on it (``alerts.raising`` holds the rules; this adds who holds what).

A sealed alert shows only that something exists and whom to contact: its reasons and evidence rest
on another agency's records that the recipient has no agreement to read.
"""

from __future__ import annotations

from dataclasses import dataclass

from safehub.access.actor import Actor
from safehub.db.models.alerts import Alert
from safehub.db.queries import alerts as q
from safehub.db.uow import UnitOfWork
from safehub.services.alerts.raising import alerts_for, decide_alert, view_alert

STATUSES = {"new": "New", "confirmed": "Confirmed", "dismissed": "Dismissed"}


@dataclass(frozen=True, slots=True)
class Holder:
    """The agency an alert rests on, and whom there to contact."""

    agency_id: int
    agency: str
    contact: str


@dataclass(frozen=True, slots=True)
class AlertView:
    alert: Alert
    holder: Holder | None

    @property
    def shows_content(self) -> bool:
        return not self.alert.sealed


def list_alerts(uow: UnitOfWork, *, actor: Actor, status: str | None) -> list[Alert]:
    """The alerts addressed to the actor's agency (all when ``status`` is None), newest first."""
    return alerts_for(uow, actor=actor, status=status if status in STATUSES else None)


def open_alert(uow: UnitOfWork, *, actor: Actor, alert_id: int) -> AlertView:
    alert = view_alert(uow, actor=actor, alert_id=alert_id)
    return AlertView(alert, _holder(uow, alert.owning_agency_id))


def act_on_alert(
    uow: UnitOfWork, *, actor: Actor, alert_id: int, decision: str, reason: str
) -> Alert:
    """Confirm or dismiss, with a reason (``ValueError`` names what is missing)."""
    return decide_alert(uow, actor=actor, alert_id=alert_id, decision=decision, reason=reason)


def _holder(uow: UnitOfWork, agency_id: int | None) -> Holder | None:
    if agency_id is None:
        return None
    found = q.get_agency_contact(uow.session, agency_id)
    parts = (found.name, found.email, found.phone)
    contact = ", ".join(str(v) for v in parts if v) or "the agency's safeguarding lead"
    return Holder(agency_id, found.agency, contact)
