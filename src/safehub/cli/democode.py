"""`safehub demo-code USERNAME`: the code a demo user's authenticator app would show now.

The demo's users share one known TOTP secret (printed by ``safehub demo``); this saves typing it
into an app. It refuses to run outside a development or demo environment.
"""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from safehub.cli.context import cli_actor, err, open_database
from safehub.config import SettingsError, load_settings

ALLOWED_ENVIRONMENTS = frozenset({"development", "demo"})


def demo_code(username: str = typer.Argument(..., help="A demo user's username.")) -> None:
    """Print the current sign-in code of a demo user (development and demo only)."""
    try:
        environment = load_settings().environment
    except SettingsError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    if environment not in ALLOWED_ENVIRONMENTS:
        err.print(
            f"demo-code runs only when SAFEHUB_ENV is development or demo (it is "
            f"{environment!r}): real users' codes come from their own apps."
        )
        raise typer.Exit(2)
    from safehub.db.uow import unit_of_work
    from safehub.services.accounts.mfa import demo_code as code_for

    with open_database() as db, unit_of_work(db, actor=cli_actor()) as uow:
        code = code_for(uow, username=username, now=datetime.now(UTC))
        uow.commit()
    if code is None:
        err.print(
            f"No user {username!r} with an authenticator app: run `safehub demo` and use "
            "one of the usernames it prints."
        )
        raise typer.Exit(2)
    typer.echo(code)
