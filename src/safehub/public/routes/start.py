"""The start page, in English (``/``) and Welsh (``/cy``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from safehub.http.pages import renderer
from safehub.public.texts import page_words

router = APIRouter()

TITLES = {"en": "Tell us about a concern about a child", "cy": "Rhoi gwybod am bryder am blentyn"}


@router.get("/", response_class=HTMLResponse)
def start_english(request: Request) -> Response:
    return _start(request, "en")


@router.get("/cy", response_class=HTMLResponse)
def start_welsh(request: Request) -> Response:
    return _start(request, "cy")


def _start(request: Request, language: str) -> Response:
    return renderer(request).page(
        request, f"start.{language}.html", title=TITLES[language], **page_words(language, "")
    )
