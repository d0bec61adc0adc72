"""What every database command needs: settings, a migrated database, the CLI's actor, stderr."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console

from safehub.access.actor import Actor
from safehub.config import SettingsError, load_settings

if TYPE_CHECKING:
    from safehub.db.database import Database

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
    """Connect (starting the embedded server when no DATABASE_URL is set) and migrate to head.

    The database, its migrations and the services' handlers are imported here, not with the
    module: every command imports this module, and the file commands (``resolve``,
    ``networks``) need none of them (a second of start-up on a small extract)."""
    from safehub.db.database import connect
    from safehub.db.migrate import upgrade
    from safehub.services.handlers import HANDLERS

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
