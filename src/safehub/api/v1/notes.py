"""Case notes over the API. Every note saved is checked: the response carries the flags, kept
with the note. As in the editor, a note with flags to change is saved only with a reason (the
professional decides, and says why); without one the answer is 422 naming the phrases."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Response
from pydantic import BaseModel, Field

from safehub.access import Permission
from safehub.api.v1.language import LanguageFlagPublic
from safehub.api.v1.schemas import PathId, RowId
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfHeader, check_csrf
from safehub.services.errors import ForbiddenError
from safehub.services.practice import (
    MAX_NOTE,
    NoteAmendedError,
    NoteRequest,
    NoteVersion,
    PracticeRefusedError,
    case_notes,
    note_history,
    save_note_draft,
    write_note,
)

router = APIRouter(tags=["notes"])
Reader = Annotated[Context, Depends(require(Permission.VIEW_CASE))]
Writer = Annotated[Context, Depends(require(Permission.WRITE_NOTE))]


class NoteCreate(BaseModel):
    """A note to save; the service checks it (one validation, the editor's)."""

    body: str = Field(description=f"The note: not empty, at most {MAX_NOTE:,} characters")
    supersedes_id: RowId | None = Field(
        default=None, description="To amend a note: the id of its newest version"
    )
    reason: str = Field(
        default="",
        description="Why the note is saved with language the checker flags (needed only then; "
        "kept with the note). POST /api/v1/language/check shows the flags first.",
    )

    def request(self) -> NoteRequest:
        return NoteRequest(self.body, self.supersedes_id, save_anyway=True, reason=self.reason)


class NoteDraft(BaseModel):
    body: str = Field(max_length=MAX_NOTE)


class NotePublic(BaseModel):
    note_id: int
    case_id: int
    version: int
    supersedes_id: int | None
    body: str
    author: str
    agency: str
    written_at: datetime
    flags: list[LanguageFlagPublic]


def _public(note: NoteVersion) -> NotePublic:
    return NotePublic(
        note_id=note.note_id,
        case_id=note.case_id,
        version=note.version,
        supersedes_id=note.supersedes_id,
        body=note.body,
        author=note.author,
        agency=note.agency,
        written_at=note.written_at,
        flags=[LanguageFlagPublic.model_validate(f) for f in note.flags],
    )


@router.post(
    "/cases/{case_id}/notes", operation_id="write_note", response_model=NotePublic, status_code=201
)
def api_write_note(
    case_id: PathId, body: NoteCreate, ctx: Writer, csrf: CsrfHeader = None
) -> NotePublic:
    check_csrf(ctx, csrf)
    try:
        outcome = write_note(ctx.uow, case_id=case_id, note=body.request())
    except ForbiddenError as exc:
        raise HTTPException(403, str(exc)) from exc
    except PracticeRefusedError as exc:
        raise HTTPException(422, str(exc)) from exc
    except NoteAmendedError as exc:
        raise HTTPException(409, str(exc)) from exc
    assert outcome.note_id is not None
    note = note_history(ctx.uow, note_id=outcome.note_id)[0]
    ctx.uow.commit()
    return _public(note)


@router.get(
    "/cases/{case_id}/notes", operation_id="list_case_notes", response_model=list[NotePublic]
)
def api_case_notes(case_id: PathId, ctx: Reader) -> list[NotePublic]:
    _, notes = case_notes(ctx.uow, case_id=case_id)
    ctx.uow.commit()
    return [_public(n) for n in notes]


@router.get("/notes/{note_id}", operation_id="get_note_versions", response_model=list[NotePublic])
def api_note_versions(note_id: PathId, ctx: Reader) -> list[NotePublic]:
    """Every version of a note, newest first."""
    versions = note_history(ctx.uow, note_id=note_id)
    ctx.uow.commit()
    return [_public(v) for v in versions]


@router.put("/cases/{case_id}/note-draft", operation_id="save_note_draft", status_code=204)
def api_save_note_draft(
    case_id: PathId, body: NoteDraft, ctx: Writer, csrf: CsrfHeader = None
) -> Response:
    """Keep the note being typed on the server, so a session timeout never loses it."""
    check_csrf(ctx, csrf)
    save_note_draft(ctx.uow, case_id=case_id, body=body.body)
    ctx.uow.commit()
    return Response(status_code=204)
