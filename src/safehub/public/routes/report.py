"""Telling us about a concern, one question per page, then checking the answers and sending.

Each answer is kept in a draft as soon as its page is sent (``services.community``), so that
going back, or changing an answer from the check page, shows what was typed. The confirmation
is the answer to the final form post, not a redirect: the secret phrase is shown once and is
never stored anywhere it could be shown again.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from safehub.http.pages import error_list, redirect
from safehub.public.visit import Posted, Visit, Visitor, slow_down
from safehub.services.community import (
    ABOUT,
    SEEN_TIMES,
    SIGNS,
    STEPS,
    ReportDraft,
    SlowDownError,
    read_draft,
    save_draft,
    send_report,
)
from safehub.services.errors import NotFoundError, RefusedError

router = APIRouter()

# The page title of each question (its <h1> or legend).
TITLES = {
    "about": "What are you worried about?",
    "what": "What did you see or hear?",
    "signs": "Do any of these apply?",
    "when": "When did you see or hear it?",
    "where": "Where did it happen?",
    "identifiers": "Do you know anything that could identify the people or vehicle?",
    "you": "Do you want to tell us who you are?",
}
_ORDER = list(STEPS)
CHECK_TITLE = "Check your answers before sending your report"
SENT_TITLE = "Report sent"


def _step_or_404(step: str) -> str:
    if step not in STEPS:
        raise NotFoundError
    return step


def _back(step: str) -> str:
    at = _ORDER.index(step)
    return "/" if at == 0 else f"/report/{_ORDER[at - 1]}"


def _question(
    request: Request, visit: Visit, step: str, draft: ReportDraft, errors: dict[str, str]
) -> Response:
    return visit.page(
        request,
        f"report_{step}.html",
        status_code=400 if errors else 200,
        title=TITLES[step],
        step=step,
        back=_back(step),
        values=draft,
        errors=errors,
        error_list=error_list(errors),
        about_choices=ABOUT,
        sign_choices=SIGNS,
        time_choices=SEEN_TIMES,
    )


# The check page first: /report/check is not a question.


def _first_unanswered(draft: ReportDraft) -> str:
    return next(s for s in _ORDER if s not in draft.answered)


@router.get("/report/check", response_class=HTMLResponse, name="check_answers")
def check_page(request: Request, visit: Visitor) -> Response:
    draft = read_draft(visit.uow, token=visit.token) if not visit.new else ReportDraft()
    if not draft.complete:
        return visit.keep(redirect(f"/report/{_first_unanswered(draft)}"))
    return _check(request, visit, draft, {})


def _check(request: Request, visit: Visit, draft: ReportDraft, errors: dict[str, str]) -> Response:
    return visit.page(
        request,
        "report_check.html",
        status_code=400 if errors else 200,
        title=CHECK_TITLE,
        back="/report/you",
        values=draft,
        errors=errors,
        error_list=[
            {"text": message, "href": f"/report/{_step_of(name)}"}
            for name, message in errors.items()
        ],
        about_choices=ABOUT,
        sign_choices=SIGNS,
        time_choices=SEEN_TIMES,
    )


def _step_of(field: str) -> str:
    return next(step for step, names in STEPS.items() if field in names)


@router.post("/report/check", response_class=HTMLResponse)
def send(request: Request, visit: Visitor, form: Posted) -> Response:
    visit.check(form.get("csrf_token"))
    draft = read_draft(visit.uow, token=visit.token)
    if not draft.complete:  # sent twice, or the draft expired: start where it stands
        return redirect(f"/report/{_first_unanswered(draft)}")
    address = request.client.host if request.client else None
    try:
        receipt = send_report(visit.uow, token=visit.token, draft=draft, address=address)
    except RefusedError as refused:
        return _check(request, visit, draft, refused.errors)
    except SlowDownError:
        return slow_down(request, visit, back="/report/check")
    visit.uow.commit()
    return visit.page(request, "report_sent.html", title=SENT_TITLE, receipt=receipt)


@router.get("/report/{step}", response_class=HTMLResponse)
def question_page(request: Request, visit: Visitor, step: str) -> Response:
    step = _step_or_404(step)
    draft = read_draft(visit.uow, token=visit.token) if not visit.new else ReportDraft()
    return _question(request, visit, step, draft, {})


@router.post("/report/{step}", response_class=HTMLResponse)
def question_answered(request: Request, visit: Visitor, step: str, form: Posted) -> Response:
    step = _step_or_404(step)
    visit.check(form.get("csrf_token"))
    draft = read_draft(visit.uow, token=visit.token).with_step(step, form)
    errors = draft.problems(step)
    if errors:
        return _question(request, visit, step, draft, errors)
    save_draft(visit.uow, token=visit.token, draft=draft)
    visit.uow.commit()
    at = _ORDER.index(step)
    last = at == len(_ORDER) - 1
    return redirect("/report/check" if draft.complete or last else f"/report/{_ORDER[at + 1]}")
