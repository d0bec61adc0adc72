"""The clocks job: every open clock's state, escalation of overdue work, notification emails.

States are computed set-wise by ``recompute_clock_states`` (COPY out, the vectorised engine in
chunks so that progress can be reported); only the states that changed are written back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.timeliness.escalation import escalate_overdue
from safehub.services.timeliness.notifications import EmailSender, send_pending_emails
from safehub.services.timeliness.recompute import recompute_clock_states

JOB_ACTOR = Actor(label="system:job:clocks")
CHUNK = 200_000

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class ClocksOutcome:
    evaluated: int
    changed: int
    escalated: int
    notifications: int
    emails_sent: int
    emails_failed: int

    def summary(self) -> str:
        return (
            f"{self.evaluated:,} open clocks evaluated, {self.changed:,} changed state, "
            f"{self.escalated:,} escalated, {self.notifications:,} notifications, "
            f"{self.emails_sent:,} emails sent, {self.emails_failed:,} failed"
        )


def run_clocks(
    db: Database,
    *,
    now: datetime,
    sender: EmailSender | None,
    progress: Progress,
    base_url: str = "",
    **_: Any,
) -> ClocksOutcome:
    with unit_of_work(db, actor=JOB_ACTOR) as uow:
        total, changed = recompute_clock_states(uow, now=now, progress=progress, chunk=CHUNK)
        progress(total, total, "escalating overdue work")
        escalation = escalate_overdue(uow, now=now, base_url=base_url)
        uow.commit()
    sent = failed = 0
    if sender is not None:
        progress(total, total, "sending emails")
        with unit_of_work(db, actor=JOB_ACTOR) as uow:
            result = send_pending_emails(uow, sender=sender)
            uow.commit()
        sent, failed = result.sent, result.failed
    return ClocksOutcome(
        total, changed, escalation.clocks_escalated, escalation.notifications, sent, failed
    )
