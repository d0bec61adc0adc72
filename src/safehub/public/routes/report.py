"""Telling us about a concern, one question per page, then checking the answers and sending.

Each answer is kept in a draft as soon as its page is sent (``services.community``), so that
going back, or changing an answer from the check page, shows what was typed. The confirmation
is the answer to the final form post, not a redirect: the secret phrase is shown once and is
never stored anywhere it could be shown again.

Every page is in English (``/report/…``) and Welsh (``/cy/report/…``), its words from
``public.texts``. The draft is the same whichever language shows it: switching language keeps
the answers, and each form's "read this page in Welsh/English" button keeps even the answers
typed on the page but not yet sent.
"""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from safehub.http.pages import error_list, redirect
from safehub.public.texts import PREFIX, texts, translate
from safehub.public.visit import Posted, Visit, Visitor, slow_down
from safehub.services.community import (
    STEPS,
    ReportDraft,
    SlowDownError,
    read_draft,
    save_draft,
    send_report,
)
from safehub.services.errors import NotFoundError, RefusedError

router = APIRouter()

# The page title of each question (its <h1> or legend), in English.
TITLES: dict[str, str] = texts("en")["titles"]
_ORDER = list(STEPS)
CHECK_TITLE = TITLES["check"]
SENT_TITLE = TITLES["sent"]


def _language(request: Request) -> str:
    return "cy" if request.url.path.startswith("/cy/") else "en"


def _words(request: Request, path: str) -> dict[str, object]:
    """What every page of the form is given: its words, its language and the other's address."""
    language = _language(request)
    return {
        "t": texts(language),
        "language": language,
        "prefix": PREFIX[language],
        "english_path": path.lstrip("/"),
        "welsh_path": path,
    }


def _step_or_404(step: str) -> str:
    if step not in STEPS:
        raise NotFoundError
    return step


def _back(step: str, prefix: str) -> str:
    at = _ORDER.index(step)
    return (prefix or "/") if at == 0 else f"{prefix}/report/{_ORDER[at - 1]}"


def _question(
    request: Request, visit: Visit, step: str, draft: ReportDraft, errors: dict[str, str]
) -> Response:
    words = _words(request, f"/report/{step}")
    shown = translate(errors, str(words["language"]))
    return visit.page(
        request,
        f"report_{step}.html",
        status_code=400 if errors else 200,
        title=texts(str(words["language"]))["titles"][step],
        step=step,
        back=_back(step, str(words["prefix"])),
        values=draft,
        errors=shown,
        error_list=error_list(shown),
        **words,
    )


# The check page first: /report/check is not a question.


def _first_unanswered(draft: ReportDraft) -> str:
    return next(s for s in _ORDER if s not in draft.answered)


@router.get("/report/check", response_class=HTMLResponse, name="check_answers")
@router.get("/cy/report/check", response_class=HTMLResponse, name="check_answers_cy")
def check_page(request: Request, visit: Visitor) -> Response:
    draft = read_draft(visit.uow, token=visit.token) if not visit.new else ReportDraft()
    if not draft.complete:
        prefix = PREFIX[_language(request)]
        return visit.keep(redirect(f"{prefix}/report/{_first_unanswered(draft)}"))
    return _check(request, visit, draft, {})


def _check(request: Request, visit: Visit, draft: ReportDraft, errors: dict[str, str]) -> Response:
    words = _words(request, "/report/check")
    shown = translate(errors, str(words["language"]))
    return visit.page(
        request,
        "report_check.html",
        status_code=400 if errors else 200,
        title=texts(str(words["language"]))["titles"]["check"],
        back=f"{words['prefix']}/report/you",
        values=draft,
        errors=shown,
        error_list=[
            {"text": message, "href": f"{words['prefix']}/report/{_step_of(name)}"}
            for name, message in shown.items()
        ],
        **words,
    )


def _step_of(field: str) -> str:
    return next(step for step, names in STEPS.items() if field in names)


@router.post("/report/check", response_class=HTMLResponse)
@router.post("/cy/report/check", response_class=HTMLResponse)
def send(request: Request, visit: Visitor, form: Posted) -> Response:
    visit.check(form.get("csrf_token"))
    draft = read_draft(visit.uow, token=visit.token)
    prefix = PREFIX[_language(request)]
    if not draft.complete:  # sent twice, or the draft expired: start where it stands
        return redirect(f"{prefix}/report/{_first_unanswered(draft)}")
    address = request.client.host if request.client else None
    try:
        receipt = send_report(visit.uow, token=visit.token, draft=draft, address=address)
    except RefusedError as refused:
        return _check(request, visit, draft, refused.errors)
    except SlowDownError:
        return slow_down(request, visit, back=f"{prefix}/report/check")
    visit.uow.commit()
    words = _words(request, "/report/check")
    title = texts(str(words["language"]))["titles"]["sent"]
    # No language link on the receipt: it is the answer to a post, and is shown once.
    words.pop("language")
    return visit.page(
        request,
        "report_sent.html",
        title=title,
        receipt=receipt,
        html_language=_language(request),
        **words,
    )


@router.get("/report/{step}", response_class=HTMLResponse)
@router.get("/cy/report/{step}", response_class=HTMLResponse)
def question_page(request: Request, visit: Visitor, step: str) -> Response:
    step = _step_or_404(step)
    draft = read_draft(visit.uow, token=visit.token) if not visit.new else ReportDraft()
    return _question(request, visit, step, draft, {})


@router.post("/report/{step}", response_class=HTMLResponse)
@router.post("/cy/report/{step}", response_class=HTMLResponse)
def question_answered(request: Request, visit: Visitor, step: str, form: Posted) -> Response:
    step = _step_or_404(step)
    visit.check(form.get("csrf_token"))
    draft = read_draft(visit.uow, token=visit.token).with_step(step, form)
    errors = draft.problems(step)
    switch = str(form.get("switch_language", ""))
    if switch in PREFIX:
        # Keep what was typed, even if it needs putting right: the page asks again in the
        # other language, and the step counts as answered only once its answers are right.
        if errors:
            draft = replace(draft, answered=tuple(s for s in draft.answered if s != step))
        save_draft(visit.uow, token=visit.token, draft=draft)
        visit.uow.commit()
        return redirect(f"{PREFIX[switch]}/report/{step}")
    if errors:
        return _question(request, visit, step, draft, errors)
    save_draft(visit.uow, token=visit.token, draft=draft)
    visit.uow.commit()
    at = _ORDER.index(step)
    last = at == len(_ORDER) - 1
    prefix = PREFIX[_language(request)]
    following = "check" if draft.complete or last else _ORDER[at + 1]
    return redirect(f"{prefix}/report/{following}")
