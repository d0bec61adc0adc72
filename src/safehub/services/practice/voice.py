"""The child's voice: their own words and wishes, recorded as such and attributed, and who has
already heard their account, so that the child is not asked to tell it again.

The child's words are recorded as they were said: the language checker never reads or holds
them (docs/language.md). The details a professional adds about an account heard are their own
words about the child, and are checked like a note.

>>> sorted(VoiceDraft("words", "I want to go home", None, "").problems())
['said_on', 'said_to']
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from safehub.db.models.practice import AccountHeard, ChildVoice
from safehub.db.queries.practice.children import list_accounts_heard, list_voice
from safehub.db.uow import UnitOfWork
from safehub.services.practice.need_to_know import require_child
from safehub.services.practice.refusals import refuse_if
from safehub.services.practice.saved_anyway import checked_or_held

VOICE_KINDS = {"words": "The child's own words", "wishes": "The child's wishes and feelings"}
ACCOUNT_KINDS = {
    "abe_interview": "Achieving Best Evidence (ABE) interview",
    "police_statement": "Statement to police",
    "disclosure_teacher": "Disclosure to a teacher or school staff",
    "disclosure_social_worker": "Disclosure to a social worker",
    "disclosure_health": "Disclosure to a health professional",
    "medical_examination": "Medical or forensic examination",
    "return_home_interview": "Return home interview",
    "advocate": "Told to an independent advocate (ISVA or CHISVA)",
    "other": "Other",
}


@dataclass(frozen=True, slots=True)
class VoiceEntry:
    id: int
    kind: str
    content: str
    said_on: date
    said_to: str
    setting: str | None
    recorded_by: str


@dataclass(frozen=True, slots=True)
class HeardEntry:
    id: int
    heard_by: str
    heard_by_role: str | None
    heard_on: date
    kind: str
    kind_name: str
    details: str | None
    recorded_by: str


@dataclass(frozen=True, slots=True)
class VoiceDraft:
    """The child's words or wishes as they said them, when, to whom, and where (optional)."""

    kind: str
    content: str
    said_on: date | None
    said_to: str
    setting: str = ""

    def problems(self) -> dict[str, str]:
        """Problems by field, each saying how to put it right (empty when it can be kept)."""
        errors: dict[str, str] = {}
        if self.kind not in VOICE_KINDS:
            errors["kind"] = "Select whether these are the child's words or their wishes"
        if not self.content.strip():
            errors["content"] = "Enter what the child said, in their own words"
        if self.said_on is None:
            errors["said_on"] = "Enter the date the child said it, for example 27 3 2025"
        elif self.said_on > date.today():
            errors["said_on"] = "The date the child said it must be today or in the past"
        if not self.said_to.strip():
            errors["said_to"] = "Enter who the child said it to"
        return errors


@dataclass(frozen=True, slots=True)
class AccountHeardDraft:
    """Who heard the child's account, when and how, their role and any details (optional)."""

    heard_by: str
    heard_on: date | None
    kind: str
    heard_by_role: str = ""
    details: str = ""
    # The author keeps details the language checker flags as written, and says why.
    save_anyway: bool = False
    language_reason: str = ""

    def problems(self) -> dict[str, str]:
        """Problems by field, each saying how to put it right (empty when it can be kept)."""
        errors: dict[str, str] = {}
        if not self.heard_by.strip():
            errors["heard_by"] = "Enter who heard the child's account"
        if self.heard_on is None:
            errors["heard_on"] = "Enter the date they heard it, for example 27 3 2025"
        elif self.heard_on > date.today():
            errors["heard_on"] = "The date must be today or in the past"
        if self.kind not in ACCOUNT_KINDS:
            errors["kind"] = "Select how the account was given"
        return errors


def record_voice(uow: UnitOfWork, *, person_id: int, voice: VoiceDraft) -> ChildVoice:
    """Record the child's words or wishes as the child's, with who heard them and when.

    Raises ``PracticeRefusedError`` naming each problem of the draft.
    """
    author = require_child(uow, person_id)
    refuse_if(voice.problems())
    assert voice.said_on is not None  # problems() refuses an entry without a date
    entry = ChildVoice(
        person_id=person_id,
        kind=voice.kind,
        content=voice.content.strip(),
        said_on=voice.said_on,
        said_to=voice.said_to.strip(),
        setting=voice.setting.strip() or None,
        recorded_by_user_id=author,
    )
    uow.session.add(entry)
    uow.session.flush()
    uow.audit(
        "collection",
        "child_voice",
        [entry.id],
        purpose="the child's voice recorded",
        detail={"person": person_id},
    )
    return entry


def child_voice(uow: UnitOfWork, *, person_id: int) -> list[VoiceEntry]:
    """The child's words and wishes, newest first, each with who recorded it."""
    require_child(uow, person_id)
    rows = list_voice(uow.session, person_id)
    uow.audit("consultation", "child_voice", [v.id for v, _ in rows], purpose="case work")
    return [
        VoiceEntry(v.id, v.kind, v.content, v.said_on, v.said_to, v.setting, name)
        for v, name in rows
    ]


def record_account_heard(
    uow: UnitOfWork, *, person_id: int, account: AccountHeardDraft
) -> AccountHeard:
    """Record that a professional has heard the child's account (who, when, what kind).

    Raises ``PracticeRefusedError`` naming each problem of the draft; ``LanguageHeldError`` for
    details the language checker holds back (a professional's words about the child and their
    account), naming ``language_reason`` when kept as written without saying why.
    """
    author = require_child(uow, person_id)
    refuse_if(account.problems())
    assert account.heard_on is not None  # problems() refuses an entry without a date
    language = checked_or_held(
        uow,
        text=account.details,
        reason=account.language_reason,
        save_anyway=account.save_anyway,
        what="details",
    )
    entry = AccountHeard(
        person_id=person_id,
        heard_by=account.heard_by.strip(),
        heard_on=account.heard_on,
        kind=account.kind,
        heard_by_role=account.heard_by_role.strip() or None,
        details=account.details.strip() or None,
        recorded_by_user_id=author,
        language_flags=language.flags or None,
        language_reason=language.reason,
    )
    uow.session.add(entry)
    uow.session.flush()
    uow.audit(
        "collection",
        "account_heard",
        [entry.id],
        purpose="who has heard the account",
        detail={"person": person_id},
    )
    return entry


def accounts_heard(uow: UnitOfWork, *, person_id: int) -> list[HeardEntry]:
    """Everyone recorded as having heard the child's account, newest first. Show this before
    anyone plans another interview (the meeting and interview planning forms use it too)."""
    require_child(uow, person_id)
    rows = list_accounts_heard(uow.session, person_id)
    uow.audit("consultation", "account_heard", [a.id for a, _ in rows], purpose="case work")
    return [
        HeardEntry(
            a.id,
            a.heard_by,
            a.heard_by_role,
            a.heard_on,
            a.kind,
            ACCOUNT_KINDS.get(a.kind, a.kind),
            a.details,
            name,
        )
        for a, name in rows
    ]


def heard_warning(entries: list[HeardEntry]) -> str | None:
    """The warning to show before another interview is planned, or None if nobody has heard it.

    >>> heard_warning([])
    """
    if not entries:
        return None
    who = "; ".join(
        f"{e.heard_by}{f' ({e.heard_by_role})' if e.heard_by_role else ''}, "
        f"{e.kind_name.lower()}, {e.heard_on:%-d %B %Y}"
        for e in entries
    )
    return (
        f"The child has already told their account to {len(entries)} "
        f"{'person' if len(entries) == 1 else 'people'}: {who}. Use what they have said "
        "before asking the child to tell it again."
    )
