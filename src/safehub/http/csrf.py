"""The anti-forgery token: a form field on pages, a header on the API, checked the same way."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Form, Header

from safehub.http.context import Context
from safehub.http.errors import CsrfError

CsrfField = Annotated[str | None, Form(alias="csrf_token")]
CsrfHeader = Annotated[str | None, Header(alias="X-CSRF-Token")]


def check_csrf(ctx: Context, submitted: str | None) -> None:
    """Refuse an unsafe request whose token is not the session's."""
    if not submitted or not hmac.compare_digest(submitted, ctx.csrf_token):
        raise CsrfError
