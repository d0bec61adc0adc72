"""`safehub serve`: the staff web UI on the existing database."""

from __future__ import annotations

import typer

from safehub.cli.context import err, open_database
from safehub.config import load_settings
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


def run_server(db: Database, host: str, port: int) -> None:
    import uvicorn

    from safehub.web.app import create_app  # the web app imports every page's engine: only here

    err.print(f"Safehub is at http://{host}:{port}/ (API docs at /api/v1/docs). Ctrl+C stops it.")
    uvicorn.run(create_app(db), host=host, port=port, log_level="warning")
