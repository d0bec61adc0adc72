"""Case notes, checked for language that blames children before they are saved.

A saved note is a record: never rewritten. An amendment is a new version that supersedes it,
and the language flags found when each version was saved are kept with that version. The
professional decides: flags never stop a note being saved, but the web form asks once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text

from safehub.access.actor import Actor
from safehub.db.models import CaseNote, FormDraft, SafeguardingCase, User
from safehub.db.models.practice import NoteLanguageCheck
from safehub.db.queries import practice as q
from safehub.db.uow import UnitOfWork
from safehub.services.errors import ForbiddenError, NotFoundError
from safehub.services.practice.language_rules import active_rules, flag_dict

MAX_NOTE = 20_000


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


def check_language(uow: UnitOfWork, *, text: str) -> list[dict[str, object]]:
    """Flags for a draft. The draft itself is neither stored nor logged here."""
    rules = active_rules(uow)
    return [flag_dict(f, rules.replacements) for f in rules.checker.check_text(text)]


def write_note(
    uow: UnitOfWork,
    *,
    actor: Actor,
    case_id: int,
    body: str,
    save_anyway: bool,
    supersedes_id: int | None = None,
) -> NoteOutcome:
    """Check a note and save it, unless it has flags and the author has not yet chosen to save
    anyway (then nothing is written and the flags come back)."""
    _require_case(uow, actor, case_id)
    body = _clean(body)
    rules = active_rules(uow)
    flags = [flag_dict(f, rules.replacements) for f in rules.checker.check_text(body)]
    if flags and not save_anyway:
        return NoteOutcome(False, flags)
    version = _next_version(uow, actor, case_id, supersedes_id)
    assert actor.user_id is not None  # _require_case refuses system actors
    note = CaseNote(
        case_id=case_id,
        author_user_id=actor.user_id,
        body=body,
        version=version,
        supersedes_id=supersedes_id,
    )
    uow.session.add(note)
    uow.session.flush()
    uow.session.add(
        NoteLanguageCheck(
            note_id=note.id,
            flags=flags,
            flag_count=len(flags),
            saved_despite_flags=bool(flags),
            rules_digest=rules.digest,
        )
    )
    _clear_draft(uow, actor, case_id)
    uow.audit(
        "alteration" if supersedes_id else "collection",
        "case_note",
        [note.id],
        purpose="case note amended" if supersedes_id else "case note written",
        detail={"case": case_id, "version": version, "flags": len(flags)},
    )
    return NoteOutcome(True, flags, note.id, version)


def _clean(body: str) -> str:
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise ValueError("Write the note before saving it")
    if len(body) > MAX_NOTE:
        raise ValueError(f"A note can be at most {MAX_NOTE:,} characters: split it into two notes")
    return body


def _next_version(uow: UnitOfWork, actor: Actor, case_id: int, supersedes_id: int | None) -> int:
    """Only the newest version of one's own note can be amended: versions form a line, not a
    tree, so there is always one current text."""
    if supersedes_id is None:
        return 1
    old = uow.session.get(CaseNote, supersedes_id)
    if old is None or old.case_id != case_id:
        raise NotFoundError(f"note {supersedes_id}")
    if old.author_user_id != actor.user_id:
        raise ForbiddenError("only the author can amend a note; write a new note instead")
    if q.latest_note_id(uow.session, supersedes_id) != supersedes_id:
        raise ValueError("This note has already been amended: amend the newest version")
    return old.version + 1


def _require_case(uow: UnitOfWork, actor: Actor, case_id: int) -> None:
    if actor.user_id is None or not q.can_see_case(
        uow.session, case_id=case_id, user_id=actor.user_id, agency_id=actor.agency_id
    ):
        raise NotFoundError(f"case {case_id}")


def case_notes(uow: UnitOfWork, *, actor: Actor, case_id: int) -> tuple[str, list[NoteVersion]]:
    """(case reference, the current version of every note on the case, newest first)."""
    _require_case(uow, actor, case_id)
    case = uow.session.get(SafeguardingCase, case_id)
    assert case is not None
    current = list(
        uow.session.execute(
            text(
                "SELECT n.id FROM case_note n WHERE n.case_id = :c AND NOT EXISTS "
                "(SELECT 1 FROM case_note s WHERE s.supersedes_id = n.id)"
            ),
            {"c": case_id},
        ).scalars()
    )
    notes = sorted(_versions(uow, current), key=lambda n: -n.note_id)
    uow.audit(
        "consultation",
        "case_note",
        [n.note_id for n in notes],
        purpose="case work",
        detail={"case": case_id},
    )
    return case.reference, notes


def note_history(uow: UnitOfWork, *, actor: Actor, note_id: int) -> list[NoteVersion]:
    """Every version of a note, newest first: what was written, by whom, and its flags."""
    note = uow.session.get(CaseNote, note_id)
    if note is None:
        raise NotFoundError(f"note {note_id}")
    _require_case(uow, actor, note.case_id)
    chain = [q.latest_note_id(uow.session, note_id)]
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
    rows = uow.session.execute(
        select(CaseNote, User.display_name, NoteLanguageCheck)
        .join(User, User.id == CaseNote.author_user_id)
        .outerjoin(NoteLanguageCheck, NoteLanguageCheck.note_id == CaseNote.id)
        .where(CaseNote.id.in_(ids))
    ).all()
    agencies = _agency_names(uow, [r[0].author_user_id for r in rows])
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
        )
        for n, name, c in rows
    ]


def _agency_names(uow: UnitOfWork, user_ids: list[int]) -> dict[int, str]:
    rows = uow.session.execute(
        text(
            "SELECT u.id, a.name FROM app_user u JOIN agency a ON a.id = u.agency_id "
            "WHERE u.id = ANY(:u)"
        ),
        {"u": user_ids},
    ).all()
    return {int(r[0]): r[1] for r in rows}


def _draft_key(case_id: int) -> str:
    return f"note:{case_id}"


def save_note_draft(uow: UnitOfWork, *, actor: Actor, case_id: int, body: str) -> None:
    """Keep what is being typed on the server, so a session timeout never loses it."""
    _require_case(uow, actor, case_id)
    assert actor.user_id is not None
    draft = uow.session.get(FormDraft, (actor.user_id, _draft_key(case_id)))
    now = datetime.now(UTC)
    if draft is None:
        draft = FormDraft(user_id=actor.user_id, form=_draft_key(case_id), data={}, updated_at=now)
        uow.session.add(draft)
    draft.data = {"body": body[:MAX_NOTE]}
    draft.updated_at = now
    uow.audit(
        "collection",
        "form_draft",
        [actor.user_id],
        purpose="case note being written",
        detail={"case": case_id},
    )


def load_note_draft(uow: UnitOfWork, *, actor: Actor, case_id: int) -> str:
    _require_case(uow, actor, case_id)
    draft = uow.session.get(FormDraft, (actor.user_id, _draft_key(case_id)))
    return str(draft.data.get("body", "")) if draft else ""


def _clear_draft(uow: UnitOfWork, actor: Actor, case_id: int) -> None:
    draft = uow.session.get(FormDraft, (actor.user_id, _draft_key(case_id)))
    if draft is not None:
        uow.session.delete(draft)
