"""Case notes, checked for language that blames children before they are saved.

A saved note is a record: never rewritten. An amendment is a new version that supersedes it,
and the language flags found when each version was saved are kept with that version. The
professional decides: flags never stop a note being saved, but a note with flags is saved only
when its author chooses to save it anyway and says why (``saved_anyway``); the reason is kept.

>>> NoteRequest("  ").problems()
{'body': 'Write the note before saving it'}
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from safehub.db.models import CaseNote, FormDraft, SafeguardingCase
from safehub.db.models.practice import NoteLanguageCheck
from safehub.db.queries.practice.notes import (
    get_latest_note_id,
    get_user_agency_names,
    list_current_note_ids,
    list_note_versions,
)
from safehub.db.uow import UnitOfWork
from safehub.services.errors import ForbiddenError, NotFoundError
from safehub.services.practice.language_rules import active_rules
from safehub.services.practice.need_to_know import require_case
from safehub.services.practice.refusals import refuse_if
from safehub.services.practice.saved_anyway import check_for_saving

MAX_NOTE = 20_000


class NoteAmendedError(ValueError):
    """The version being amended is no longer the newest: amend the newest instead."""


@dataclass(frozen=True, slots=True)
class NoteRequest:
    """A note as its author sends it: the text, the version it amends (if any), whether they
    chose to save it despite its flags, and why."""

    body: str
    supersedes_id: int | None = None
    save_anyway: bool = False
    reason: str = ""

    @property
    def text(self) -> str:
        """The text as it is kept: line endings made one, spaces at either end dropped."""
        return self.body.replace("\r\n", "\n").strip()

    def problems(self) -> dict[str, str]:
        """Problems by field, each saying how to put it right (empty when it can be saved)."""
        if not self.text:
            return {"body": "Write the note before saving it"}
        if len(self.text) > MAX_NOTE:
            return {
                "body": f"A note can be at most {MAX_NOTE:,} characters: split it into two notes"
            }
        return {}


@dataclass(frozen=True, slots=True)
class NoteOutcome:
    """What happened to a note that was sent: saved (with its id), or held back for a decision."""

    saved: bool
    flags: list[dict[str, object]]
    note_id: int | None = None
    version: int | None = None


@dataclass(frozen=True, slots=True)
class NoteVersion:
    note_id: int
    case_id: int
    version: int
    body: str
    author_user_id: int
    author: str
    agency: str
    written_at: datetime
    supersedes_id: int | None
    flags: list[dict[str, Any]]
    saved_despite_flags: bool
    reason: str | None = None


def check_language(uow: UnitOfWork, *, text: str) -> list[dict[str, object]]:
    """Flags for a draft. The draft itself is neither stored nor logged here."""
    rules = active_rules(uow)
    return [rules.flag(f) for f in rules.checker.check_text(text)]


def write_note(uow: UnitOfWork, *, case_id: int, note: NoteRequest) -> NoteOutcome:
    """Check a note and save it, unless it has flags and the author has not yet chosen to save
    anyway (then nothing is written and the flags come back).

    Raises ``PracticeRefusedError`` for an empty or too long note, ``NoteAmendedError`` when the
    version amended is not the newest, ``ForbiddenError`` for someone else's note.
    """
    author = require_case(uow, case_id)
    refuse_if(note.problems())
    check = check_for_saving(uow, text=note.text, reason=note.reason, what="note")
    flags = check.flags
    if check.holds and not note.save_anyway:
        return NoteOutcome(False, flags)
    refuse_if(check.problems)
    version = _next_version(uow, author, case_id, note.supersedes_id)
    row = CaseNote(
        case_id=case_id,
        author_user_id=author,
        body=note.text,
        version=version,
        supersedes_id=note.supersedes_id,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.session.add(
        NoteLanguageCheck(
            note_id=row.id,
            flags=flags,
            flag_count=len(flags),
            saved_despite_flags=check.holds,
            rules_digest=check.rules_digest,
            reason=check.reason,
        )
    )
    _clear_draft(uow, author, case_id)
    amended = note.supersedes_id is not None
    uow.audit(
        "alteration" if amended else "collection",
        "case_note",
        [row.id],
        purpose="case note amended" if amended else "case note written",
        detail={
            "case": case_id,
            "version": version,
            "flags": len(flags),
            "reason": bool(check.reason),
        },
    )
    return NoteOutcome(True, flags, row.id, version)


def _next_version(uow: UnitOfWork, author: int, case_id: int, supersedes_id: int | None) -> int:
    """Only the newest version of one's own note can be amended: versions form a line, not a
    tree, so there is always one current text."""
    if supersedes_id is None:
        return 1
    old = uow.session.get(CaseNote, supersedes_id)
    if old is None or old.case_id != case_id:
        raise NotFoundError(f"note {supersedes_id}")
    if old.author_user_id != author:
        raise ForbiddenError("only the author can amend a note; write a new note instead")
    if get_latest_note_id(uow.session, supersedes_id) != supersedes_id:
        raise NoteAmendedError("This note has already been amended: amend the newest version")
    return old.version + 1


def case_notes(uow: UnitOfWork, *, case_id: int) -> tuple[str, list[NoteVersion]]:
    """(case reference, the current version of every note on the case, newest first)."""
    require_case(uow, case_id)
    case = uow.session.get(SafeguardingCase, case_id)
    assert case is not None
    current = list_current_note_ids(uow.session, case_id)
    notes = sorted(_versions(uow, current), key=lambda n: -n.note_id)
    uow.audit(
        "consultation",
        "case_note",
        [n.note_id for n in notes],
        purpose="case work",
        detail={"case": case_id},
    )
    return case.reference, notes


def note_history(uow: UnitOfWork, *, note_id: int) -> list[NoteVersion]:
    """Every version of a note, newest first: what was written, by whom, and its flags."""
    note = uow.session.get(CaseNote, note_id)
    if note is None:
        raise NotFoundError(f"note {note_id}")
    require_case(uow, note.case_id)
    chain = [get_latest_note_id(uow.session, note_id)]
    while True:
        older = uow.session.get(CaseNote, chain[-1])
        if older is None or older.supersedes_id is None:
            break
        chain.append(older.supersedes_id)
    versions = _versions(uow, chain)
    uow.audit("consultation", "case_note", chain, purpose="case work")
    return sorted(versions, key=lambda v: -v.version)


def _versions(uow: UnitOfWork, ids: list[int]) -> list[NoteVersion]:
    if not ids:
        return []
    rows = list_note_versions(uow.session, ids)
    agencies = get_user_agency_names(uow.session, [n.author_user_id for n, _, _ in rows])
    return [
        NoteVersion(
            n.id,
            n.case_id,
            n.version,
            n.body,
            n.author_user_id,
            name,
            agencies.get(n.author_user_id, ""),
            n.created_at,
            n.supersedes_id,
            list(c.flags) if c else [],
            bool(c and c.saved_despite_flags),
            c.reason if c else None,
        )
        for n, name, c in rows
    ]


def _draft_key(case_id: int) -> str:
    return f"note:{case_id}"


def save_note_draft(uow: UnitOfWork, *, case_id: int, body: str) -> None:
    """Keep what is being typed on the server, so a session timeout never loses it."""
    author = require_case(uow, case_id)
    draft = uow.session.get(FormDraft, (author, _draft_key(case_id)))
    now = datetime.now(UTC)
    if draft is None:
        draft = FormDraft(user_id=author, form=_draft_key(case_id), data={}, updated_at=now)
        uow.session.add(draft)
    draft.data = {"body": body[:MAX_NOTE]}
    draft.updated_at = now
    uow.audit(
        "collection",
        "form_draft",
        [author],
        purpose="case note being written",
        detail={"case": case_id},
    )


def load_note_draft(uow: UnitOfWork, *, case_id: int) -> str:
    author = require_case(uow, case_id)
    draft = uow.session.get(FormDraft, (author, _draft_key(case_id)))
    return str(draft.data.get("body", "")) if draft else ""


def _clear_draft(uow: UnitOfWork, author: int, case_id: int) -> None:
    draft = uow.session.get(FormDraft, (author, _draft_key(case_id)))
    if draft is not None:
        uow.session.delete(draft)
