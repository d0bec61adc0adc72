"""The `safehub` command line. The app is assembled in ``safehub.cli.main``; importing one command
module (``safehub.cli.language``…) does not import the others."""

from __future__ import annotations


def main() -> None:
    import sys

    from safehub.cli import running

    running.state["as_command"] = True
    if sys.argv[1:2] == ["resolve"]:
        # `safehub resolve` runs without a database: assembling every command would import the
        # database, web and audit stack too (seconds, and 130 MB it never frees).
        from safehub.cli.resolve import standalone

        standalone()(sys.argv[2:], prog_name="safehub resolve")
        return
    from safehub.cli.main import app

    app()


def __getattr__(name: str) -> object:
    # `from safehub.cli import app` keeps working, without importing every command on import.
    if name == "app":
        from safehub.cli.main import app

        return app
    raise AttributeError(name)
