"""Raising alerts to the right team: what every rule that alerts hands over, stored once."""

from __future__ import annotations

from dataclasses import dataclass, field

from safehub.db.queries import alerts as q
from safehub.db.uow import UnitOfWork


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
