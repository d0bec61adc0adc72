"""The public app: GOV.UK pages in English and Welsh, found in ``public/routes/``."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

from fastapi import FastAPI

from safehub.http.app import Database, build_app
from safehub.public import routes

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
    )
