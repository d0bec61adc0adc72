"""The privacy notice, in English (``/privacy``) and Welsh (``/cy/privacy``): what is kept, what
is not, and why."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from safehub.http.pages import renderer
from safehub.public.texts import page_words, texts

router = APIRouter()


@router.get("/privacy", response_class=HTMLResponse)
def privacy(request: Request) -> Response:
    return _privacy(request, "en")


@router.get("/cy/privacy", response_class=HTMLResponse)
def privacy_welsh(request: Request) -> Response:
    return _privacy(request, "cy")


def _privacy(request: Request, language: str) -> Response:
    return renderer(request).page(
        request,
        "privacy.html",
        title=texts(language)["privacy_title"],
        **page_words(language, "/privacy"),
    )
