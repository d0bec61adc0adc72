"""What every database command needs: settings, a migrated database, the CLI's actor, stderr."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console

from safehub.access.actor import Actor
from safehub.config import SettingsError, load_settings
from safehub.db.database import Database, connect
from safehub.db.migrate import upgrade
from safehub.services.handlers import HANDLERS

# Contract commands print only their contracted output on stdout; everything else goes here.
err = Console(stderr=True)


def cli_actor() -> Actor:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Actor(label=f"system:cli:{user}")


@contextmanager
def open_database() -> Iterator[Database]:
    """Connect (starting the embedded server when no DATABASE_URL is set) and migrate to head."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        err.print(f"[red]{exc}[/red]")
        sys.exit(2)
    db = connect(settings, handlers=HANDLERS)
    try:
        upgrade(db.owner_engine, secrets=db.secrets)
        yield db
    finally:
        db.dispose()
