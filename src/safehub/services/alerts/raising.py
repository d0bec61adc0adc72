"""Raising alerts to the right team: what every rule that alerts hands over, stored once.

A sealed alert is stored in two rows: the alert (its existence, kind, a title saying only the
kind, whom to contact) and its content (title, reasons, evidence), which row-level security opens
to the recipient only once every record it rests on (``sources``) is shared with them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from safehub.db.queries import alerts as q
from safehub.db.uow import UnitOfWork
from safehub.services.alerts.kinds import kind_label


@dataclass(frozen=True, slots=True)
class NewAlert:
    """An alert as an engine proposes it: its reasons, the evidence, and the rule that fired.

    ``sources`` are the records the content rests on, as (agency id, record type): an agreement
    covering each, or a disclosure by each agency, opens a sealed alert to its recipient. A
    sealed alert must name them and its ``owning_agency_id``.
    """

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
    sources: tuple[tuple[int, str], ...] = ()


def raise_alerts(uow: UnitOfWork, *, alerts: list[NewAlert], purpose: str) -> list[int]:
    """Store new alerts; one already raised (same dedupe key) is not raised again.

    Raises ``ValueError`` for a sealed alert without an owning agency or sources: its content
    could then never open, or open with nothing shared.
    """
    ids: list[int] = []
    for alert in alerts:
        inserted = q.insert_alert(uow.session, _alert_row(alert))
        if inserted is not None:
            ids.append(inserted)
            if alert.sealed:
                q.insert_alert_content(uow.session, _content_row(inserted, alert))
    if ids:
        uow.mark_changed()
        uow.audit("collection", "alert", ids, purpose=purpose)
    return ids


def stored_key(dedupe_key: str) -> str:
    """The dedupe key as stored: its digest, because the key names the records an alert rests
    on and the alert row must not (migration 0017 stored the older ones the same way).

    >>> stored_key("network:network_group:POL-WY/CR-9:12:G0001")[:15]
    'sha256:88735ed4'
    """
    return "sha256:" + hashlib.sha256(dedupe_key.encode()).hexdigest()


def _alert_row(alert: NewAlert) -> dict[str, object]:
    row: dict[str, object] = {
        "kind": alert.kind,
        "title": alert.title,
        "reasons": alert.reasons,
        "evidence": alert.evidence,
        "rule": alert.rule,
        "severity": alert.severity,
        "person_id": alert.person_id,
        "case_id": alert.case_id,
        "target_agency_id": alert.target_agency_id,
        "target_team_id": alert.target_team_id,
        "owning_agency_id": alert.owning_agency_id,
        "sealed": alert.sealed,
        "dedupe_key": stored_key(alert.dedupe_key),
    }
    if alert.sealed:
        _check_sealed(alert)
        row.update(title=kind_label(alert.kind), reasons=[], evidence={})
    return row


def _check_sealed(alert: NewAlert) -> None:
    if alert.owning_agency_id is None:
        raise ValueError(f"sealed alert {alert.dedupe_key}: owning_agency_id is required")
    if not alert.sources:
        raise ValueError(
            f"sealed alert {alert.dedupe_key}: sources must name the records it rests on "
            "(agency id, record type)"
        )


def _content_row(alert_id: int, alert: NewAlert) -> dict[str, object]:
    return {
        "alert_id": alert_id,
        "owning_agency_id": alert.owning_agency_id,
        "target_agency_id": alert.target_agency_id,
        "person_id": alert.person_id,
        "sources": [
            {"agency_id": agency, "record_type": record_type}
            for agency, record_type in sorted(set(alert.sources))
        ],
        "title": alert.title,
        "reasons": alert.reasons,
        "evidence": alert.evidence,
    }
