"""Building an app: the same security headers, static files, templating and error handling for
the staff app and the public app, so that neither copies the other."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from safehub.db.database import Database as Database
from safehub.http.assets import mount_static
from safehub.http.errors import ErrorPage, busy, install_error_handlers, request_id
from safehub.http.health import add_health_routes
from safehub.http.pages import renderer
from safehub.http.security import SecurityHeaders
from safehub.http.shedding import LoadShedder, SheddingMiddleware
from safehub.http.templating import PageContext, Renderer, build_environment


def build_app(
    db: Database,
    *,
    title: str,
    templates: Path,
    static: Path | None,
    pages: Iterable[APIRouter],
    api: APIRouter | None = None,
    page_context: PageContext | None = None,
    sign_in_url: str | None = None,
    error_page: ErrorPage | None = None,
    shedder: LoadShedder | None = None,
) -> FastAPI:
    """An app over ``db`` serving HTML ``pages`` (and a JSON ``api``, documented by OpenAPI under
    its prefix); its error page is ``templates/error.html`` (or ``error_page``'s, for an app
    whose pages speak more than one language), JSON under the API's prefix. With a ``shedder``,
    requests past its limit are refused with 503 (``safehub.http.shedding``)."""
    prefix = api.prefix if api is not None else None
    app = FastAPI(
        title=title,
        version="1",
        docs_url=None,  # our own page below: FastAPI's loads Swagger UI from a CDN
        redoc_url=None,
        openapi_url=f"{prefix}/openapi.json" if prefix else None,
    )
    app.state.db = db
    app.state.renderer = Renderer(build_environment(templates), page_context)
    if shedder is not None:
        app.state.load_shedder = shedder

        def refuse(request: Request) -> Response:
            api_call = prefix is not None and request.url.path.startswith(f"{prefix}/")
            return busy(request, page=error_page or _error_page, api=api_call)

        # Inside the security headers (added later, so outside): a refusal carries them too,
        # and its request id.
        app.add_middleware(SheddingMiddleware, shedder=shedder, refuse=refuse)
    app.add_middleware(SecurityHeaders)
    mount_static(app, static)
    add_health_routes(app)
    for router in pages:
        app.include_router(router, include_in_schema=False)
    if api is not None:
        app.include_router(api)
        _add_docs(app, f"{prefix}")
    install_error_handlers(
        app,
        page=error_page or _error_page,
        api_prefix=f"{prefix}/" if prefix else None,
        sign_in_url=sign_in_url,
    )
    return app


def _error_page(request: Request, status: int, title: str, message: str) -> Response:
    return renderer(request).page(
        request,
        "error.html",
        status_code=status,
        title=title,
        message=message,
        request_id=request_id(request),
    )


# Swagger UI from the project's own assets (npm, copied by ``scripts/install-assets.sh``), started
# by a script file rather than an inline one, so that the content security policy allows it.
_DOCS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} API documentation</title>
  <link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
  <main id="swagger-ui" data-openapi="{openapi}"></main>
  <script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
  <script src="{prefix}/docs/start.js"></script>
</body>
</html>
"""
_DOCS_START = """const target = document.getElementById("swagger-ui");
window.SwaggerUIBundle({ url: target.dataset.openapi, domNode: target, deepLinking: true });
"""


def _add_docs(app: FastAPI, prefix: str) -> None:
    """The docs page and its start script, public like the OpenAPI document they show (plain
    routes, as FastAPI's own docs route is: no user, no database)."""
    page = _DOCS_PAGE.format(title=app.title, openapi=f"{prefix}/openapi.json", prefix=prefix)

    async def docs(request: Request) -> Response:
        return HTMLResponse(page)

    async def docs_start(request: Request) -> Response:
        return Response(_DOCS_START, media_type="text/javascript")

    app.add_route(f"{prefix}/docs", docs, include_in_schema=False)
    app.add_route(f"{prefix}/docs/start.js", docs_start, include_in_schema=False)
