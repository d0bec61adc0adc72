"""Notifications in the app and by email.

An email never carries a child's details (a mailbox is a weaker wall than Safehub): it says that
work needs attention, gives a reference, and links back to Safehub. The in-app notification,
read after signing in, carries the title of the work.

Sending is an adapter given to :func:`send_pending_emails` (SMTP or GOV.UK Notify, in
``safehub.jobs.email``); the notification rows record what was sent, when, and any failure, so
nothing is silently dropped: a failed email stays ``failed`` with its error, and is retried.

>>> EmailMessage(to="tm@example.org", subject="s", body="b", reference="n-1").to
'tm@example.org'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from safehub.db.models.timeliness import Notification
from safehub.db.queries import timeliness as q
from safehub.db.uow import UnitOfWork
from safehub.services.errors import NotFoundError

MAX_ATTEMPTS_ERROR_LENGTH = 500


@dataclass(frozen=True, slots=True)
class EmailMessage:
    to: str
    subject: str
    body: str
    reference: str


class EmailSender(Protocol):
    """An email adapter: raises on failure (the error is recorded on the notification)."""

    def send(self, message: EmailMessage) -> None: ...


@dataclass(frozen=True, slots=True)
class Recipient:
    user_id: int | None
    email: str | None


@dataclass(frozen=True, slots=True)
class NewNotification:
    subject: str
    body: str
    email_body: str
    link: str | None
    clock_id: int | None
    dedupe_key: str


def notify(
    uow: UnitOfWork, *, recipients: list[Recipient], note: NewNotification, purpose: str
) -> list[int]:
    """Store one notification per recipient (each once per ``dedupe_key``), emails queued."""
    ids = []
    for who in recipients:
        row = {
            "user_id": who.user_id,
            "email": who.email,
            "subject": note.subject,
            "body": note.body if who.user_id else note.email_body,
            "link": note.link,
            "clock_id": note.clock_id,
            "email_status": "queued" if who.email else "none",
            "dedupe_key": f"{note.dedupe_key}:{who.user_id or who.email}",
        }
        new_id = q.insert_notification(uow.session, row)
        if new_id is not None:
            ids.append(new_id)
    if ids:
        uow.mark_changed()
        uow.audit("collection", "notification", ids, purpose=purpose)
    return ids


def notifications_for(
    uow: UnitOfWork, *, unread_only: bool = True, limit: int = 20
) -> list[Notification]:
    """The actor's own notifications, newest first."""
    found = q.list_notifications_of(
        uow.session, uow.actor.user_id, unread_only=unread_only, limit=limit
    )
    uow.audit("consultation", "notification_list", [n.id for n in found], purpose="own inbox")
    return found


def mark_read(uow: UnitOfWork, *, notification_id: int) -> None:
    """The actor has read one of their own notifications."""
    note = uow.session.get(Notification, notification_id)
    if note is None or note.user_id != uow.actor.user_id:
        raise NotFoundError(f"notification {notification_id}")
    note.read_at = datetime.now(UTC)
    uow.audit("alteration", "notification", [note.id], purpose="notification read")


@dataclass(frozen=True, slots=True)
class SendResult:
    sent: int
    failed: int


def send_pending_emails(uow: UnitOfWork, *, sender: EmailSender, limit: int = 500) -> SendResult:
    """Send queued (and previously failed) emails; record each outcome on its notification."""
    pending = q.list_emails_to_send(uow.session, limit=limit)
    sent = failed = 0
    for note in pending:
        message = EmailMessage(note.email or "", note.subject, _email_text(note), f"n-{note.id}")
        try:
            sender.send(message)
        except Exception as error:  # any adapter failure is recorded and retried, never lost
            _record_email(uow, note.id, "failed", None, f"{type(error).__name__}: {error}")
            failed += 1
        else:
            _record_email(uow, note.id, "sent", datetime.now(UTC), None)
            sent += 1
    if pending:
        uow.audit(
            "disclosure",
            "notification",
            [n.id for n in pending],
            purpose="notification emails sent",
            detail={"sent": sent, "failed": failed},
        )
    return SendResult(sent, failed)


def _email_text(note: Notification) -> str:
    # Email text is the safe body stored for email-only recipients, or a reference for users.
    if note.user_id is None:
        return note.body
    return (
        "Work you are responsible for, or oversee, needs attention in Safehub.\n\n"
        f"Reference: N-{note.id}\nSign in to Safehub to see it: {note.link or '/inbox'}\n"
    )


def _record_email(
    uow: UnitOfWork, note_id: int, status: str, sent_at: datetime | None, error: str | None
) -> None:
    cut = error[:MAX_ATTEMPTS_ERROR_LENGTH] if error else None
    q.set_email_outcome(uow.session, note_id, status=status, sent_at=sent_at, error=cut)
    uow.mark_changed()
