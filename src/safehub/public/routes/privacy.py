"""The privacy notice: what is kept, what is not, and why."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from safehub.http.pages import renderer

router = APIRouter()


@router.get("/privacy", response_class=HTMLResponse)
def privacy(request: Request) -> Response:
    return renderer(request).page(request, "privacy.html", title="How we use what you tell us")
