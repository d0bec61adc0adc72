"""API requests sign in with the same session; unsafe methods carry the CSRF token in a header."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header

from safehub.web.deps import Context, check_csrf

CsrfHeader = Annotated[str | None, Header(alias="X-CSRF-Token")]


def check_api_csrf(ctx: Context, token: str | None) -> None:
    check_csrf(ctx, token)
