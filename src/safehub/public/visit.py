"""What a public page works with: a unit of work as the public role, acting as a member of the
public and keeping no address (``http.context.reporter_context``), and the visitor's random
token (an HttpOnly cookie for the browser session) that finds their draft and proves their forms
are their own (``http.csrf``)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response

from safehub.http.context import PublicContext, reporter_context
from safehub.http.csrf import check_visitor_csrf, visitor_csrf_token
from safehub.http.pages import renderer
from safehub.public.texts import language_of, texts

VISIT_COOKIE = "__Host-safehub-visit"


@dataclass
class Visit(PublicContext):
    token: str
    new: bool  # the cookie is set by the response

    @property
    def csrf_token(self) -> str:
        return visitor_csrf_token(self.token)

    def check(self, submitted: object) -> None:
        """A form post must come from a page this visitor was given."""
        check_visitor_csrf(None if self.new else self.token, str(submitted or ""))

    def page(self, request: Request, template: str, **context: Any) -> Response:
        response = renderer(request).page(request, template, csrf_token=self.csrf_token, **context)
        return self.keep(response)

    def keep(self, response: Response) -> Response:
        if self.new:
            # No max-age: the cookie ends with the browser session. Strict: never sent from
            # another site's page.
            response.set_cookie(
                VISIT_COOKIE, self.token, secure=True, httponly=True, samesite="strict", path="/"
            )
        return response


def _visit(request: Request, ctx: Annotated[PublicContext, Depends(reporter_context)]) -> Visit:
    token = request.cookies.get(VISIT_COOKIE)
    return Visit(ctx.uow, token or secrets.token_urlsafe(32), new=not token)


async def posted_form(request: Request) -> dict[str, object]:
    """The posted fields; a field sent more than once (checkboxes) as a list."""
    form = await request.form()
    return {
        key: values if len(values := form.getlist(key)) > 1 or key == "signs" else values[0]
        for key in form
    }


def slow_down(request: Request, visit: Visit, *, back: str) -> Response:
    """Many attempts came from this connection just now: wait; nothing typed is lost. In the
    language of the page that was sent; no language link, as it answers a post."""
    language = language_of(request.url.path)
    words = texts(language)
    return visit.page(
        request,
        "slow_down.html",
        status_code=429,
        title=words["slow_title"],
        back=back,
        t=words,
        html_language=language,
    )


Visitor = Annotated[Visit, Depends(_visit)]
Posted = Annotated[dict[str, object], Depends(posted_form)]
