"""Email adapters: SMTP (smtplib) and GOV.UK Notify (its official client), chosen by environment.

- ``SAFEHUB_SMTP_HOST`` (and ``SAFEHUB_SMTP_PORT``, ``SAFEHUB_SMTP_FROM``, optional
  ``SAFEHUB_SMTP_USERNAME``/``SAFEHUB_SMTP_PASSWORD``, ``SAFEHUB_SMTP_STARTTLS=1``) selects SMTP;
- ``SAFEHUB_NOTIFY_API_KEY`` and ``SAFEHUB_NOTIFY_TEMPLATE_ID`` select GOV.UK Notify, whose
  template has ``((subject))`` and ``((body))`` placeholders.

>>> sender_from_env({}) is None
True
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage as MimeMessage
from typing import Any

from safehub.services.timeliness.notifications import EmailMessage, EmailSender


class EmailConfigError(ValueError):
    """The email settings are incomplete; the message names the missing variable."""


@dataclass(frozen=True, slots=True)
class SmtpEmailSender:
    host: str
    port: int = 25
    sender: str = "safehub@localhost"
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0

    def send(self, message: EmailMessage) -> None:
        mime = MimeMessage()
        mime["From"], mime["To"], mime["Subject"] = self.sender, message.to, message.subject
        mime["X-Safehub-Reference"] = message.reference
        mime.set_content(message.body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username and self.password:
                smtp.login(self.username, self.password)
            smtp.send_message(mime)


class NotifyEmailSender:
    """GOV.UK Notify through ``notifications_python_client``; one template for every message."""

    def __init__(
        self, api_key: str, template_id: str, *, client_factory: Callable[[str], Any] | None = None
    ) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        self.template_id = template_id
        self.client = (client_factory or NotificationsAPIClient)(api_key)

    def build_call(self, message: EmailMessage) -> dict[str, Any]:
        """The keyword arguments of ``send_email_notification`` for this message."""
        return {
            "email_address": message.to,
            "template_id": self.template_id,
            "personalisation": {"subject": message.subject, "body": message.body},
            "reference": message.reference,
        }

    def send(self, message: EmailMessage) -> None:
        self.client.send_email_notification(**self.build_call(message))


def sender_from_env(env: Mapping[str, str]) -> EmailSender | None:
    """The configured adapter, or None when email is not configured (in-app only)."""
    if env.get("SAFEHUB_NOTIFY_API_KEY"):
        template = env.get("SAFEHUB_NOTIFY_TEMPLATE_ID")
        if not template:
            raise EmailConfigError("SAFEHUB_NOTIFY_TEMPLATE_ID is not set (the Notify template)")
        return NotifyEmailSender(env["SAFEHUB_NOTIFY_API_KEY"], template)
    if env.get("SAFEHUB_SMTP_HOST"):
        port = env.get("SAFEHUB_SMTP_PORT", "25")
        if not port.isdigit():
            raise EmailConfigError(f"SAFEHUB_SMTP_PORT must be a port number (got {port!r})")
        return SmtpEmailSender(
            host=env["SAFEHUB_SMTP_HOST"],
            port=int(port),
            sender=env.get("SAFEHUB_SMTP_FROM", "safehub@localhost"),
            username=env.get("SAFEHUB_SMTP_USERNAME") or None,
            password=env.get("SAFEHUB_SMTP_PASSWORD") or None,
            starttls=env.get("SAFEHUB_SMTP_STARTTLS", "") in ("1", "true", "yes"),
        )
    return None
