"""`safehub serve`: the staff web UI on the existing database."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from safehub.cli.context import err, open_database
from safehub.config import load_settings
from safehub.logs import configure_logging

if TYPE_CHECKING:
    from safehub.db.database import Database


def serve(
    host: str = typer.Option(
        None, help="Address to listen on (default SAFEHUB_HOST or 127.0.0.1)."
    ),
    port: int = typer.Option(None, help="Port (default SAFEHUB_PORT or 8000)."),
) -> None:
    """Serve the staff web UI and the /api/v1 JSON API."""
    settings = load_settings()
    with open_database() as db:
        run_server(db, host or settings.host, port or settings.port)


def run_server(db: Database, host: str, port: int, *, public_port: int | None = None) -> None:
    """The staff app; with ``public_port``, the public reporting app beside it (``make demo``)."""
    import uvicorn

    from safehub.web.app import create_app  # the web app imports every page's engine: only here

    if public_port is not None:
        _serve_public_in_background(db, host, public_port)
    err.print(f"Safehub is at http://{host}:{port}/ (API docs at /api/v1/docs). Ctrl+C stops it.")
    settings = load_settings()
    configure_logging(settings.log_format)
    app = create_app(
        db,
        metrics_token=settings.metrics_token,
        max_in_flight=settings.max_in_flight,
        queue_wait_ms=settings.queue_wait_ms,
    )
    # Uvicorn's own lines go through our handler (log_config=None), in the same format; its
    # access log is off: ours names the route template and the request id (http.requestlog).
    uvicorn.run(app, host=host, port=port, log_config=None, access_log=False)


def _serve_public_in_background(db: Database, host: str, port: int) -> None:
    """In a daemon thread: uvicorn leaves signals to the main thread's server, so Ctrl+C stops
    the staff app and the process, and this one with it."""
    import threading

    import uvicorn

    from safehub.public.app import create_public_app

    config = uvicorn.Config(create_public_app(db), host=host, port=port, log_level="warning")
    threading.Thread(target=uvicorn.Server(config).run, daemon=True).start()
    err.print(f"The public reporting app is at http://{host}:{port}/.")


def serve_public(
    host: str = typer.Option(
        None, help="Address to listen on (default SAFEHUB_HOST or 127.0.0.1)."
    ),
    port: int = typer.Option(None, help="Port (default SAFEHUB_PUBLIC_PORT or 8001)."),
    workers: int = typer.Option(
        1, min=1, max=64, help="Processes serving requests (the secret phrase's key is CPU work)."
    ),
) -> None:
    """Serve the public reporting app (no staff page is served by it)."""
    import uvicorn

    from safehub.public.app import create_public_app

    settings = load_settings()
    with open_database() as db:  # migrated here, once, before any worker starts
        address, port = host or settings.host, port or settings.public_port
        err.print(f"The public app is at http://{address}:{port}/. Ctrl+C stops it.")
        configure_logging(settings.log_format)
        if workers == 1:
            uvicorn.run(
                create_public_app(db), host=address, port=port, log_config=None, access_log=False
            )
            return
        # Each worker process connects on its own (a pool cannot cross a fork): uvicorn calls
        # the factory in each. Without DATABASE_URL they join the same embedded server.
        uvicorn.run(
            "safehub.cli.serve:public_app_in_worker",
            factory=True,
            workers=workers,
            host=address,
            port=port,
            log_config=None,
            access_log=False,
        )


def public_app_in_worker() -> object:
    """The public app in one of ``serve-public --workers``'s processes, on its own connections
    to the database the parent migrated."""
    from safehub.db.database import connect
    from safehub.public.app import create_public_app
    from safehub.services.handlers import HANDLERS

    settings = load_settings()
    configure_logging(settings.log_format)
    return create_public_app(connect(settings, handlers=HANDLERS))
