"""The public app: GOV.UK pages in English and Welsh, found in ``public/routes/``."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

from fastapi import FastAPI, Request
from fastapi.responses import Response

from safehub.http.app import Database, build_app
from safehub.http.errors import request_id
from safehub.http.pages import renderer
from safehub.public import routes
from safehub.public.texts import language_of, page_words, texts

TEMPLATES = Path(__file__).with_name("templates")


def page_modules() -> list[ModuleType]:
    """Every module of ``safehub.public.routes`` that has a ``router``."""
    found = []
    for info in sorted(pkgutil.iter_modules(routes.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{routes.__name__}.{info.name}")
        if hasattr(module, "router"):
            found.append(module)
    return found


def create_public_app(db: Database) -> FastAPI:
    """No staff page, no sign-in, no JSON API: HTML forms only, nothing to abuse beyond them."""
    return build_app(
        db.as_public(),  # every request works as safehub_public: reports in, nothing out
        title="Tell us about a concern",
        templates=TEMPLATES,
        static=None,
        pages=[m.router for m in page_modules()],
        error_page=error_page,
    )


# The http layer names an error in English; the public pages say it in the page's language.
_WORDS_BY_STATUS = {404: "not_found", 403: "expired", 500: "broken"}


def error_page(request: Request, status: int, title: str, message: str) -> Response:
    """The shared error page in the language of the address asked for (Welsh under ``/cy``),
    with the link to the same address in the other language. A 400's English detail (which
    field could not be read) is kept in an English page only: a Welsh one says it generally."""
    language = language_of(request.url.path)
    words = texts(language)
    kind = _WORDS_BY_STATUS.get(status, "broken" if status >= 500 else "problem")
    title = words[f"{kind}_title"]
    if not (kind == "problem" and language == "en"):
        message = words[f"{kind}_body"]
    # The same address in English: "/cy/x" is "/x"; the start pages are "/" and "/cy".
    english = request.url.path.removeprefix("/cy") if language == "cy" else request.url.path
    return renderer(request).page(
        request,
        "error.html",
        status_code=status,
        title=title,
        message=message,
        request_id=request_id(request),
        **page_words(language, "" if english in ("", "/") else english),
    )
