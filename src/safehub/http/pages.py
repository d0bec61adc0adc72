"""Helpers every page handler uses: the app's renderer, Post/Redirect/Get, the error summary."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse

from safehub.http.templating import Renderer


def renderer(request: Request) -> Renderer:
    r: Renderer = request.app.state.renderer
    return r


def redirect(url: str) -> RedirectResponse:
    """Post/Redirect/Get: a form post always ends in a redirect."""
    return RedirectResponse(url, status_code=303)


def error_list(
    errors: dict[str, str], anchors: dict[str, str] | None = None
) -> list[dict[str, str]]:
    """The error summary's links, each to the field it names."""
    anchors = anchors or {}
    return [
        {"text": message, "href": f"#{anchors.get(name, name)}"} for name, message in errors.items()
    ]
