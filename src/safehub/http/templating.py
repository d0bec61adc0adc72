"""Jinja with the GOV.UK Frontend macros, and a strict Undefined so that template typos fail."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    Undefined,
    select_autoescape,
)
from starlette.requests import Request
from starlette.responses import HTMLResponse

# What an app adds to every page it renders (the staff app: its navigation).
PageContext = Callable[[Request], dict[str, Any]]


class NearStrictUndefined(Undefined):
    """Printing an undefined name fails (a template typo shows at once); testing one with ``if``
    or ``default`` works, as the GOV.UK macros expect."""

    def __str__(self) -> str:
        self._fail_with_undefined_error()
        return ""


def build_environment(templates: Path | Sequence[Path]) -> Environment:
    """An app's templates first, then the GOV.UK macros under ``govuk_frontend_jinja/``."""
    folders = [templates] if isinstance(templates, Path) else list(templates)
    return Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(folders),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        autoescape=select_autoescape(["html"]),
        undefined=NearStrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class Renderer:
    """Render a page with what every page needs: the user, the CSP nonce, the CSRF token."""

    def __init__(self, env: Environment, extra: PageContext | None = None) -> None:
        self.env = env
        self.extra = extra

    def page(
        self, request: Request, template: str, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        state = request.state
        base: dict[str, Any] = {
            "request": request,
            "user": getattr(state, "user", None),
            "csrf_token": getattr(state, "csrf_token", ""),
            "cspNonce": getattr(state, "csp_nonce", ""),
            "errors": {},
            "values": {},
        }
        if self.extra is not None:
            base.update(self.extra(request))
        html = self.env.get_template(template).render({**base, **context})
        return HTMLResponse(html, status_code=status_code)
