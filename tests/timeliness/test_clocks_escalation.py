"""Escalation up the ladder with a controllable clock, notified in the app and by email through a
real local SMTP server; the GOV.UK Notify adapter builds the right call."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import datetime
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from safehub.db.database import Database
from safehub.db.models.timeliness import Clock, Notification
from safehub.db.uow import unit_of_work
from safehub.jobs.email import NotifyEmailSender, SmtpEmailSender, sender_from_env
from safehub.jobs.worker import run_once
from safehub.services.timeliness.clocks import ClockOwner, ClockSubject, record_clock_event
from safehub.services.timeliness.escalation import set_partnership_mailbox
from safehub.services.timeliness.notifications import EmailMessage
from tests.timeliness.conftest import SYSTEM, World, at


class Mailbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, SmtpEmailSender]]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield (
            mailbox,
            SmtpEmailSender(host="127.0.0.1", port=controller.port, sender="safehub@example.org"),
        )
    finally:
        controller.stop()


def _overdue_decision(db: Database, world: World) -> int:
    """A referral decision owned by the worker, due Tuesday 22 April 2025."""
    with unit_of_work(db, actor=SYSTEM) as uow:
        _, started = record_clock_event(
            uow,
            event="referral_received",
            at=at("2025-04-17 10:00"),
            subject=ClockSubject(case_id=world.case_id),
            owner=ClockOwner(world.social_care, world.team, world.worker),
            title="Referral REF-1",
        )
        uow.commit()
    return next(c.id for c in started if c.rule_id == "referral_decision")


def _notified(db: Database, clock_id: int) -> list[tuple[int | None, str | None, str]]:
    with unit_of_work(db, actor=SYSTEM) as uow:
        rows = uow.session.execute(
            select(Notification.user_id, Notification.email, Notification.email_status)
            .where(Notification.clock_id == clock_id)
            .order_by(Notification.id)
        ).all()
        return list(rows)


def _run(db: Database, sender: SmtpEmailSender, now: datetime) -> None:
    (result,) = run_once(db, requested_by="system:test", sender=sender, now=now)
    assert result.status == "succeeded", result.error


def _wait_for(mailbox: Mailbox, count: int) -> None:
    deadline = time.monotonic() + 5
    while len(mailbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.02)


def test_overdue_work_climbs_the_ladder_one_rung_at_a_time_by_email_and_in_the_app(
    app_db: Database, world: World, smtp: tuple[Mailbox, SmtpEmailSender]
) -> None:
    mailbox, sender = smtp
    clock_id = _overdue_decision(app_db, world)
    _run(app_db, sender, at("2025-04-22 12:00"))  # due today: nobody is chased
    assert _notified(app_db, clock_id) == []

    _run(app_db, sender, at("2025-04-23 09:00"))  # one working day late: the worker hears
    _wait_for(mailbox, 1)
    assert [m["To"] for m in mailbox.messages] == ["sam-worker@example.org"]
    assert _notified(app_db, clock_id) == [(world.worker, "sam-worker@example.org", "sent")]

    _run(app_db, sender, at("2025-04-24 09:00"))  # two working days late: the team manager
    _wait_for(mailbox, 2)
    assert mailbox.to("tara-manager@example.org")
    assert len(mailbox.messages) == 2

    _run(app_db, sender, at("2025-04-24 15:00"))  # run again: nobody is told twice
    assert len(mailbox.messages) == 2

    _run(app_db, sender, at("2025-05-08 09:00"))  # ten working days: head of service, partnership
    _wait_for(mailbox, 5)
    recipients = sorted(m["To"] for m in mailbox.messages)
    assert recipients == sorted(
        [
            "sam-worker@example.org",
            "tara-manager@example.org",
            "hana-head@example.org",
            "priya-head@example.org",
            "hana-head@example.org",
        ]
    )
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        clock = uow.session.get(Clock, clock_id)
        assert clock is not None and clock.escalation_level == 4 and clock.state == "overdue"


def test_escalation_emails_name_no_child_and_link_back(
    app_db: Database, world: World, smtp: tuple[Mailbox, SmtpEmailSender]
) -> None:
    mailbox, sender = smtp
    _overdue_decision(app_db, world)
    _run(app_db, sender, at("2025-04-23 09:00"))
    _wait_for(mailbox, 1)
    body = mailbox.messages[0].get_payload()
    assert "Referral REF-1" not in str(body) and "Aisha" not in str(body)
    assert "Sign in to Safehub" in str(body)


def test_a_failed_email_is_recorded_and_sent_on_the_next_run(
    app_db: Database, world: World, smtp: tuple[Mailbox, SmtpEmailSender]
) -> None:
    mailbox, sender = smtp
    clock_id = _overdue_decision(app_db, world)
    nowhere = SmtpEmailSender(host="127.0.0.1", port=_free_port(), timeout=2)
    _run(app_db, nowhere, at("2025-04-23 09:00"))
    assert _notified(app_db, clock_id) == [(world.worker, "sam-worker@example.org", "failed")]
    _run(app_db, sender, at("2025-04-23 10:00"))
    _wait_for(mailbox, 1)
    assert _notified(app_db, clock_id)[0][2] == "sent"
    assert len(mailbox.messages) == 1


def test_a_partnership_mailbox_gets_the_top_rung_without_the_title(
    app_db: Database, world: World, smtp: tuple[Mailbox, SmtpEmailSender]
) -> None:
    mailbox, sender = smtp
    with unit_of_work(app_db, actor=SYSTEM) as uow:  # as the Timescales page sets it
        assert set_partnership_mailbox(uow, email=" LSCP@example.org ") == "lscp@example.org"
        uow.commit()
    _overdue_decision(app_db, world)
    _run(app_db, sender, at("2025-05-08 09:00"))
    _wait_for(mailbox, 6)
    (partnership,) = mailbox.to("lscp@example.org")
    assert "CLOCK-" in str(partnership.get_payload())
    assert "Referral REF-1" not in str(partnership.get_payload())


FAKE_NOTIFY_KEY = (
    "test-" + "1" * 8 + "-1111-1111-1111-111111111111-" + "2" * 8 + "-2222-2222-2222-222222222222"
)


def test_the_notify_adapter_builds_a_call_with_the_template_and_a_reference() -> None:
    sender = NotifyEmailSender(FAKE_NOTIFY_KEY, "template-123")
    call = sender.build_call(EmailMessage("tm@example.org", "Overdue work", "Sign in", "n-7"))
    assert call == {
        "email_address": "tm@example.org",
        "template_id": "template-123",
        "personalisation": {"subject": "Overdue work", "body": "Sign in"},
        "reference": "n-7",
    }
    assert sender.client.service_id == "11111111-1111-1111-1111-111111111111"


def test_the_environment_chooses_the_email_adapter() -> None:
    assert sender_from_env({}) is None
    smtp = sender_from_env({"SAFEHUB_SMTP_HOST": "mail.example.org", "SAFEHUB_SMTP_PORT": "2525"})
    assert isinstance(smtp, SmtpEmailSender) and smtp.port == 2525
    notify = sender_from_env(
        {"SAFEHUB_NOTIFY_API_KEY": FAKE_NOTIFY_KEY, "SAFEHUB_NOTIFY_TEMPLATE_ID": "t-1"}
    )
    assert isinstance(notify, NotifyEmailSender) and notify.template_id == "t-1"
