"""A person's decision on an alert: confirm it (it needs action) or dismiss it, saying why; and
who in the agency works it.

A decision stands: an alert already confirmed or dismissed is not decided again, by the same
person or another (the first decision and its reason stay on the record).

The reason is free text about a child, so the language checker reads it as it is saved: a
reason it flags ("she is consenting, it's her boyfriend") is held back until its author revises
it, or keeps it as written and says why in ``language_reason``; the flags and that reason are
kept with the alert, for a manager to read on the language audit page.

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
from safehub.services.practice.saved_anyway import TextCheck, checked_or_held

# The decision a person takes -> the status it gives the alert.
DECISIONS = {"confirm": "confirmed", "dismiss": "dismissed"}


class AlertDecisionRefusedError(ValueError):
    """The decision cannot be recorded as given: ``errors`` says what to fix, by field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class AlertDecision:
    """What a person decides (one of ``DECISIONS``) and why; ``save_anyway`` and
    ``language_reason``: the author keeps a reason the language checker flags, and says why."""

    decision: str
    reason: str
    save_anyway: bool = False
    language_reason: str = ""

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
    alert already decided; ``LanguageHeldError`` (with the flags) for a reason the language
    checker holds back, naming ``language_reason`` when its author chose to keep it without
    saying why; ``ForbiddenError`` for a role that may not act on alerts; ``NotFoundError``
    for an alert addressed to another agency.
    """
    _may_act(uow)
    errors = decision.problems()
    if errors:
        raise AlertDecisionRefusedError(errors)
    alert = read_alert(uow, alert_id=alert_id)
    decided: list[int] = []
    if alert.status == "new":  # a decision that cannot be taken is not held for its words
        decided = _decide(uow, [alert_id], decision, _checked_language(uow, decision))
        uow.session.refresh(alert)
    if not decided:
        raise AlertDecisionRefusedError(
            {"decision": f"This alert was already {alert.status}: its decision stands"}
        )
    return alert


def decide_alerts(uow: UnitOfWork, *, alert_ids: list[int], decision: AlertDecision) -> list[int]:
    """One decision, with one reason, on many alerts at once (a team clearing repeats): the
    ids decided now. Alerts already decided keep their decision; an alert addressed to another
    agency is not touched. The reason is checked once, as for one alert (``decide_alert``)."""
    _may_act(uow)
    errors = decision.problems()
    if not alert_ids:
        errors["alerts"] = "Select at least one alert"
    if errors:
        raise AlertDecisionRefusedError(errors)
    return _decide(uow, alert_ids, decision, _checked_language(uow, decision))


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


def _checked_language(uow: UnitOfWork, decision: AlertDecision) -> TextCheck:
    """The language check of the decision's reason; ``LanguageHeldError`` unless it may be
    saved now (no flag that holds it, or kept as written with a reason)."""
    return checked_or_held(
        uow,
        text=decision.reason,
        reason=decision.language_reason,
        save_anyway=decision.save_anyway,
        what="reason for the decision",
    )


def _decide(
    uow: UnitOfWork, alert_ids: list[int], decision: AlertDecision, language: TextCheck
) -> list[int]:
    status = DECISIONS[decision.decision]
    decided = q.update_new_alerts_decision(
        uow.session,
        ids=alert_ids,
        agency_id=uow.actor.agency_id,
        status=status,
        user_id=uow.actor.user_id,
        reason=decision.reason.strip(),
        at=datetime.now(UTC),
        language_flags=language.flags or None,
        language_reason=language.reason,
    )
    if decided:
        uow.mark_changed()
        uow.audit("alteration", "alert", decided, purpose=f"alert {status}")
    return decided
