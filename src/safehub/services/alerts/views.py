"""Alerts as the alerts pages show them: the agency's alerts, and one alert inside its envelope.

A sealed alert shows only that something exists and whom to contact: its reasons and evidence rest
on another agency's records that the recipient has no agreement to read, and are kept apart from
the alert (``alert_content``). Once an agreement or a granted disclosure covers those records,
the content is open and the alert shows it. An alert is addressed to one agency: any other user is
told it does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from safehub.db.models.alerts import Alert, AlertContent
from safehub.db.queries import alerts as q
from safehub.db.uow import UnitOfWork
from safehub.services.errors import NotFoundError

__all__ = ["STATUSES", "Alert", "AlertView", "Holder", "list_alerts", "open_alert", "read_alert"]

# The statuses an alert moves through (a new alert is confirmed or dismissed by a person).
STATUSES = {"new": "New", "confirmed": "Confirmed", "dismissed": "Dismissed"}


@dataclass(frozen=True, slots=True)
class Holder:
    """The agency an alert rests on, and whom there to contact."""

    agency_id: int
    agency: str
    contact: str


@dataclass(frozen=True, slots=True)
class AlertView:
    """An alert, its content where open to the user (``content``: a sealed alert's, once its
    records are shared), and whom to contact."""

    alert: Alert
    holder: Holder | None
    content: AlertContent | None = None

    @property
    def shows_content(self) -> bool:
        return not self.alert.sealed or self.content is not None

    @property
    def opened(self) -> bool:
        """Sealed when raised, open now: an agreement or a disclosure covers its records."""
        return self.alert.sealed and self.content is not None

    @property
    def title(self) -> str:
        return self.content.title if self.content else self.alert.title

    @property
    def reasons(self) -> list[str]:
        if self.content is not None:
            return list(self.content.reasons)
        return [] if self.alert.sealed else list(self.alert.reasons)

    @property
    def evidence(self) -> dict[str, object]:
        if self.content is not None:
            return dict(self.content.evidence)
        return {} if self.alert.sealed else dict(self.alert.evidence)

    @property
    def awaits_decision(self) -> bool:
        """New: no one has confirmed or dismissed it yet."""
        return self.alert.status == "new"


def list_alerts(uow: UnitOfWork, *, status: str | None = "new") -> list[Alert]:
    """The alerts addressed to the actor's agency, newest first: of one of ``STATUSES``, or all
    (``status`` None or not a status). Each as its row holds it: a sealed alert's content only
    through ``open_alert``."""
    wanted = status if status in STATUSES else None
    alerts = q.list_alerts_for_agency(uow.session, uow.actor.agency_id, wanted)
    uow.audit("consultation", "alert_list", [a.id for a in alerts], purpose="own alerts")
    return alerts


def open_alert(uow: UnitOfWork, *, alert_id: int) -> AlertView:
    """One alert addressed to the actor's agency, with whom to contact about its records, and
    its content where open to the actor's agency."""
    alert = read_alert(uow, alert_id=alert_id)
    content = q.get_alert_content(uow.session, alert_id) if alert.sealed else None
    if content is not None:
        # Another agency's information, opened by an agreement or disclosure: its own entry.
        uow.audit(
            "consultation",
            "alert_content",
            [alert_id],
            purpose="acting on an alert",
            detail={"owning_agency": content.owning_agency_id},
        )
    return AlertView(alert, _holder(uow, alert.owning_agency_id), content)


def read_alert(uow: UnitOfWork, *, alert_id: int) -> Alert:
    """The alert, if addressed to the actor's agency (``NotFoundError`` otherwise); a
    consultation in the audit log."""
    alert = uow.session.get(Alert, alert_id)
    if alert is None or alert.target_agency_id != uow.actor.agency_id:
        raise NotFoundError(f"alert {alert_id}")
    uow.audit("consultation", "alert", [alert_id], purpose="acting on an alert")
    return alert


def _holder(uow: UnitOfWork, agency_id: int | None) -> Holder | None:
    if agency_id is None:
        return None
    found = q.get_agency_contact(uow.session, agency_id)
    parts = (found.name, found.email, found.phone)
    contact = ", ".join(str(v) for v in parts if v) or "the agency's safeguarding lead"
    return Holder(agency_id, found.agency, contact)
