"""The privacy notice, in English (``/privacy``) and Welsh (``/cy/privacy``): what is kept, what
is not, how long, and why. The review period of a report that was not converted is read from
the retention class the data protection officer sets, so the notice never states a stale one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from safehub.http.context import PublicContext, reporter_context
from safehub.http.pages import renderer
from safehub.public.texts import page_words, say_years, texts
from safehub.services.community import report_retention_years

router = APIRouter()
Public = Annotated[PublicContext, Depends(reporter_context)]


@router.get("/privacy", response_class=HTMLResponse)
def privacy(request: Request, ctx: Public) -> Response:
    return _privacy(request, ctx, "en")


@router.get("/cy/privacy", response_class=HTMLResponse)
def privacy_welsh(request: Request, ctx: Public) -> Response:
    return _privacy(request, ctx, "cy")


def _privacy(request: Request, ctx: PublicContext, language: str) -> Response:
    words = texts(language)
    period = say_years(report_retention_years(ctx.uow), language)
    how_long = [line.format(period=period) for line in words["privacy_how_long"]]
    return renderer(request).page(
        request,
        "privacy.html",
        title=words["privacy_title"],
        how_long=how_long,
        **page_words(language, "/privacy"),
    )
