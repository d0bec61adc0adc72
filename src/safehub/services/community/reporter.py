"""Coming back to a report with its reference and secret phrase: its status, the hub's
questions and updates, and adding information or an answer.

The phrase is turned into its key once (``unlock_report``); the reporter's browser then holds
the reference and key for the visit (a cookie that ends with the browser session), never the
phrase itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from safehub.db.queries import community as q
from safehub.db.queries.community import MessageRow
from safehub.db.uow import UnitOfWork
from safehub.services.community.limits import note_attempt
from safehub.services.community.phrases import normalise_reference, phrase_key
from safehub.services.errors import NotFoundError, RefusedError

MESSAGE_LIMIT = 2000
# What the reporter sees of a status: plain words, nothing of what staff decided or found.
PUBLIC_STATUS = {
    "received": "Received: it is waiting to be read",
    "in_review": "Being looked at by the safeguarding team",
    "closed": "Closed: the team has done what it can with it",
    # What it became (a referral, a note, an agency record) is the hub's, never the reporter's:
    # they read only that it is being looked at.
    "converted": "Being looked at by the safeguarding team",
}

__all__ = ["MessageRow", "ReporterKey", "ReporterView", "add_to_own_report", "unlock_report"]


@dataclass(frozen=True, slots=True)
class ReporterKey:
    reference: str
    key: bytes

    def token(self) -> str:
        return f"{self.reference}.{self.key.hex()}"

    @classmethod
    def parse(cls, token: str) -> ReporterKey | None:
        reference, _, key = token.partition(".")
        try:
            return cls(reference, bytes.fromhex(key)) if reference and key else None
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class ReporterView:
    reference: str
    status: str
    received_at: datetime
    messages: list[MessageRow]

    @property
    def waiting_question(self) -> bool:
        """The hub asked something the reporter has not answered yet."""
        return bool(self.messages) and self.messages[-1].sender == "hub"


def unlock_report(
    uow: UnitOfWork, *, reference: str, phrase: str, address: str | None = None
) -> ReporterKey:
    """The key to a report, when the reference and phrase match; otherwise one refusal for both
    (a wrong reference and a wrong phrase look the same). Each try counts towards the rate
    limit of ``address`` (not kept), so that phrases cannot be guessed quickly."""
    problems = {}
    if not reference.strip():
        problems["reference"] = "Enter your reference, for example CR-7K3M-9PQD"
    if not phrase.strip():
        problems["phrase"] = "Enter your secret phrase"
    if problems:
        raise RefusedError(problems)
    note_attempt(uow, action="return", address=address)
    wanted = ReporterKey(
        normalise_reference(reference), phrase_key(normalise_reference(reference), phrase)
    )
    if q.get_public_status(uow.session, wanted.reference, wanted.key) is None:
        raise RefusedError(
            {"reference": "The reference and secret phrase do not match a report. Check both."}
        )
    return wanted


def view_own_report(uow: UnitOfWork, *, key: ReporterKey) -> ReporterView:
    found = q.get_public_status(uow.session, key.reference, key.key)
    if found is None:
        raise NotFoundError("no report with this reference and key")
    messages = q.list_public_messages(uow.session, key.reference, key.key)
    uow.audit("consultation", "community_report", [key.reference], purpose="the reporter came back")
    return ReporterView(key.reference, found.status, found.received_at, messages)


def add_to_own_report(uow: UnitOfWork, *, key: ReporterKey, message: str) -> None:
    """More information, or an answer to the hub's question."""
    text = message.strip()
    if not text:
        raise RefusedError({"message": "Enter what you want to tell us"})
    if len(text) > MESSAGE_LIMIT:
        raise RefusedError(
            {"message": f"Your message must be {MESSAGE_LIMIT:,} characters or fewer"}
        )
    if not q.insert_reporter_message(uow.session, key.reference, key.key, text):
        raise NotFoundError("no report with this reference and key")
    uow.mark_changed()
    uow.audit(
        "collection", "community_report", [key.reference], purpose="the reporter added information"
    )
