"""The anti-forgery token: a form field on pages, a header on the API, checked the same way."""

from __future__ import annotations

import hashlib
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


def visitor_csrf_token(visit_token: str) -> str:
    """The anti-forgery token of a visitor with no session (the public app): derived from the
    random token in their HttpOnly cookie, which another site can neither read nor guess."""
    return hashlib.sha256(f"safehub csrf {visit_token}".encode()).hexdigest()


def check_visitor_csrf(visit_token: str | None, submitted: str | None) -> None:
    """Refuse an unsafe request whose token does not belong to the visitor's cookie."""
    if not visit_token or not submitted:
        raise CsrfError
    if not hmac.compare_digest(submitted, visitor_csrf_token(visit_token)):
        raise CsrfError
