"""Flagged text is saved only with its author's reason: the check before saving, and what is kept.

Every free text a practitioner writes into the record (a case note, a referral's concern) is
checked as it is saved. A flag of severity "error" holds the text back until its author either
revises it or saves it anyway and says why; the reason is kept with the flags, for a manager to
read. Advice (words in quotation marks, often the child's own) is shown and kept, but never
holds the text: the child's words are recorded as they were said.

>>> reason_problems([{"text": "promiscuous", "severity": "error"}], "  ", what="note")
{'reason': 'Say why you are saving the note with “promiscuous” as it is, or revise it and check again'}
>>> reason_problems([{"text": "chose to go", "severity": "advice"}], "", what="note")
{}
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from safehub.db.models.practice import ReferralLanguageCheck
from safehub.db.queries.practice.notes import SavedAnywayRow, list_saved_anyway
from safehub.db.uow import UnitOfWork
from safehub.services.practice.language_rules import active_rules
from safehub.services.practice.refusals import PracticeRefusedError

__all__ = [
    "MAX_REASON",
    "LanguageHeldError",
    "SavedAnywayRow",
    "TextCheck",
    "check_for_saving",
    "checked_or_held",
    "hold_unless_explained",
    "keep_referral_check",
    "reason_problems",
    "texts_saved_anyway",
]

MAX_REASON = 2_000


@dataclass(frozen=True, slots=True)
class TextCheck:
    """What the checker found in a text about to be saved, and whether it may be saved now."""

    flags: list[dict[str, object]]
    reason: str | None
    rules_digest: str
    problems: dict[str, str]

    @property
    def holds(self) -> bool:
        """True when the text has flags that need a decision before it is saved."""
        return any(f.get("severity") == "error" for f in self.flags)


class LanguageHeldError(PracticeRefusedError):
    """Text held back for its flags: ``flags`` to show; ``errors`` names the reason's field
    when the author asked to save anyway without one (empty when simply held)."""

    def __init__(self, check: TextCheck, *, asked_to_save: bool) -> None:
        super().__init__(check.problems if asked_to_save else {})
        self.flags = check.flags


def hold_unless_explained(check: TextCheck, *, save_anyway: bool) -> None:
    """Raise ``LanguageHeldError`` unless the text may be saved now: it has no flags that hold
    it, or its author chose to save it anyway and gave a reason."""
    if check.holds and (not save_anyway or check.problems):
        raise LanguageHeldError(check, asked_to_save=save_anyway)


def blocking(flags: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The flags that hold a text back (severity "error")."""
    return [f for f in flags if f.get("severity") == "error"]


def reason_problems(
    flags: Sequence[dict[str, Any]], reason: str, *, what: str, field: str = "reason"
) -> dict[str, str]:
    """The problem with the reason given for saving flagged text (empty when it may be saved)."""
    held = blocking(flags)
    if not held:
        return {}
    if not reason.strip():
        phrases = ", ".join(f"“{f['text']}”" for f in held[:3]) + (", …" if len(held) > 3 else "")
        return {
            field: f"Say why you are saving the {what} with {phrases} as it is, "
            "or revise it and check again"
        }
    if len(reason.strip()) > MAX_REASON:
        return {field: f"The reason can be at most {MAX_REASON:,} characters: shorten it"}
    return {}


def check_for_saving(
    uow: UnitOfWork, *, text: str, reason: str, what: str, field: str = "reason"
) -> TextCheck:
    """Check a text about to be saved with the rules in force. ``problems`` names ``field``
    when the text has flags that hold it and no reason was given."""
    rules = active_rules(uow)
    flags = [rules.flag(f) for f in rules.checker.check_text(text)]
    problems = reason_problems(flags, reason, what=what, field=field)
    kept = reason.strip() if blocking(flags) and reason.strip() else None
    return TextCheck(flags, kept, rules.digest, problems)


def checked_or_held(
    uow: UnitOfWork, *, text: str, reason: str, save_anyway: bool, what: str
) -> TextCheck:
    """The check of a text about to be saved from a form whose keep-reason field is
    ``language_reason``; ``LanguageHeldError`` unless it may be saved now."""
    check = check_for_saving(uow, text=text, reason=reason, what=what, field="language_reason")
    hold_unless_explained(check, save_anyway=save_anyway)
    return check


def keep_referral_check(uow: UnitOfWork, *, referral_id: int, check: TextCheck) -> None:
    """Keep the flags of a referral's concern, and the reason it was sent as written, with it.
    A referral with no flags keeps nothing: there is nothing to review."""
    if not check.flags:
        return
    uow.session.add(
        ReferralLanguageCheck(
            referral_id=referral_id,
            flags=check.flags,
            flag_count=len(check.flags),
            reason=check.reason,
            rules_digest=check.rules_digest,
        )
    )


def texts_saved_anyway(uow: UnitOfWork, *, limit: int = 50) -> list[SavedAnywayRow]:
    """For a manager: the acting user's agency's notes and referrals saved despite their flags,
    newest first, with each author's reason (what they may see of them)."""
    rows = list_saved_anyway(uow.session, agency_id=uow.actor.agency_id, limit=limit)
    uow.audit(
        "consultation",
        "language_check",
        [f"{r.kind} {r.object_id}" for r in rows],
        purpose="language audit",
        detail={"agency": uow.actor.agency_id},
    )
    return rows
