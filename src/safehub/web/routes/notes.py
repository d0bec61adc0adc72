"""Case notes: the editor with its language check, the notes of a case, and a note's versions.

Without scripts the form posts normally: the server checks the language before saving, shows
the flags, and asks the author to revise, or to save anyway and say why (the reason is kept with
the note). With scripts, note-editor.js shows the same flags as the author types. Nothing typed
is lost either way.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import error_list, redirect, renderer
from safehub.services.errors import ForbiddenError
from safehub.services.practice import (
    NoteRequest,
    NoteVersion,
    PracticeRefusedError,
    case_notes,
    check_language,
    load_note_draft,
    note_history,
    write_note,
)

router = APIRouter()
Reader = Annotated[Context, Depends(require(Permission.VIEW_CASE))]
Writer = Annotated[Context, Depends(require(Permission.WRITE_NOTE))]
Body = Annotated[str, Form()]
Reason = Annotated[str, Form()]


@router.get("/cases/{case_id}/notes", response_class=HTMLResponse)
def notes_page(request: Request, case_id: int, ctx: Reader) -> Response:
    reference, notes = case_notes(ctx.uow, case_id=case_id)
    ctx.uow.commit()
    rows = [
        [
            {"text": f"{n.written_at:%-d %b %Y %H:%M}"},
            {"text": n.author},
            {"text": n.agency},
            {"html": _note_link(n)},
            {"text": _flag_summary(n)},
        ]
        for n in notes
    ]
    return renderer(request).page(
        request, "practice/notes.html", title=f"Case notes: {reference}", case_id=case_id, rows=rows
    )


def _note_link(note: NoteVersion) -> str:
    first_line = note.body.splitlines()[0][:80] if note.body else ""
    suffix = f" (version {note.version})" if note.version > 1 else ""
    return f'<a class="govuk-link" href="/notes/{note.note_id}">{escape(first_line)}</a>{escape(suffix)}'


def _flag_summary(note: NoteVersion) -> str:
    if not note.flags:
        return "None"
    count = len(note.flags)
    why = f": “{note.reason}”" if note.reason else ""
    return f"{count} flag{'s' if count != 1 else ''}, saved after review{why}"


@router.get("/cases/{case_id}/notes/new", response_class=HTMLResponse)
def new_note_page(request: Request, case_id: int, ctx: Writer) -> Response:
    body = load_note_draft(ctx.uow, case_id=case_id)
    ctx.uow.commit()
    return _editor(request, case_id=case_id, body=body)


@router.post("/cases/{case_id}/notes/new", response_class=HTMLResponse)
def new_note_submit(
    request: Request,
    case_id: int,
    ctx: Writer,
    csrf_token: CsrfField = None,
    body: Body = "",
    action: Annotated[str, Form()] = "save",
    reason: Reason = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    note = _request(body, action, reason)
    return _submit(request, ctx, case_id=case_id, note=note)


@router.get("/notes/{note_id}", response_class=HTMLResponse)
def note_page(request: Request, note_id: int, ctx: Reader) -> Response:
    versions = note_history(ctx.uow, note_id=note_id)
    ctx.uow.commit()
    current = versions[0]
    return renderer(request).page(
        request,
        "practice/note.html",
        title=f"Case note, version {current.version}",
        current=current,
        versions=versions,
        can_amend=current.author_user_id == ctx.user.id,
    )


@router.get("/notes/{note_id}/amend", response_class=HTMLResponse)
def amend_page(request: Request, note_id: int, ctx: Writer) -> Response:
    current = note_history(ctx.uow, note_id=note_id)[0]
    ctx.uow.commit()
    if current.note_id != note_id:
        return redirect(f"/notes/{current.note_id}/amend")
    return _editor(request, case_id=current.case_id, body=current.body, supersedes=current)


@router.post("/notes/{note_id}/amend", response_class=HTMLResponse)
def amend_submit(
    request: Request,
    note_id: int,
    ctx: Writer,
    csrf_token: CsrfField = None,
    body: Body = "",
    action: Annotated[str, Form()] = "save",
    reason: Reason = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    # The version the author was looking at, not the newest: amending an outdated version is
    # refused by the service rather than silently superseding a newer one.
    versions = note_history(ctx.uow, note_id=note_id)
    shown = next(v for v in versions if v.note_id == note_id)
    note = _request(body, action, reason, supersedes=shown)
    return _submit(request, ctx, case_id=shown.case_id, note=note, supersedes=shown)


def _request(
    body: str, action: str, reason: str, supersedes: NoteVersion | None = None
) -> NoteRequest:
    return NoteRequest(
        body,
        supersedes_id=supersedes.note_id if supersedes else None,
        save_anyway=action == "save_anyway",
        reason=reason,
    )


def _submit(
    request: Request,
    ctx: Context,
    *,
    case_id: int,
    note: NoteRequest,
    supersedes: NoteVersion | None = None,
) -> Response:
    editor = partial(
        _editor,
        request,
        case_id=case_id,
        body=note.body,
        supersedes=supersedes,
        reason=note.reason,
    )
    try:
        outcome = write_note(ctx.uow, case_id=case_id, note=note)
    except PracticeRefusedError as refused:
        # Asked to save anyway without a reason: show the flags again beside the question.
        flags = check_language(ctx.uow, text=note.text) if "reason" in refused.errors else []
        return editor(errors=refused.errors, flags=flags)
    except (ValueError, ForbiddenError) as exc:
        return editor(errors={"body": str(exc)})
    ctx.uow.commit()
    if outcome.saved:
        return redirect(f"/notes/{outcome.note_id}")
    return editor(flags=outcome.flags, checked=True)


def _editor(
    request: Request,
    *,
    case_id: int,
    body: str,
    supersedes: NoteVersion | None = None,
    errors: dict[str, str] | None = None,
    flags: list[dict[str, object]] | None = None,
    checked: bool = False,
    reason: str = "",
) -> Response:
    errors = errors or {}
    title = f"Amend the note (version {supersedes.version})" if supersedes else "Write a case note"
    action = f"/notes/{supersedes.note_id}/amend" if supersedes else f"/cases/{case_id}/notes/new"
    context: dict[str, Any] = {
        "title": title,
        "case_id": case_id,
        "action": action,
        "body": body,
        "flags": flags or [],
        "checked": checked or bool(flags),
        "reason": reason,
        "supersedes": supersedes,
        "errors": errors,
        "error_list": error_list(errors),
    }
    return renderer(request).page(
        request, "practice/note_editor.html", status_code=400 if errors else 200, **context
    )
