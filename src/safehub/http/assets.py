"""Static files: GOV.UK Frontend and the chart libraries every app shares, then the app's own.

The third-party files come from npm at install time (``scripts/install-assets.sh`` copies them
into ``http/static/``); nothing third-party is committed and nothing is loaded from another host.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

SHARED = Path(__file__).with_name("static")


def mount_static(app: FastAPI, own: Path | None = None) -> None:
    """``/static/govuk``, ``/static/vendor`` and ``/assets`` (fonts, images) for every app; the
    rest of ``/static`` from the app's own folder. Shared mounts come first: first match wins."""
    for name in ("govuk", "vendor"):
        app.mount(
            f"/static/{name}", StaticFiles(directory=SHARED / name, check_dir=False), name=name
        )
    app.mount(
        "/assets",
        StaticFiles(directory=SHARED / "govuk" / "assets", check_dir=False),
        name="assets",
    )
    if own is not None:
        app.mount("/static", StaticFiles(directory=own, check_dir=False), name="static")
