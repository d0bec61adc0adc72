"""The `safehub` command line. The app is assembled in ``safehub.cli.main``; importing one command
module (``safehub.cli.language``…) does not import the others."""

from __future__ import annotations


def main() -> None:
    from safehub.cli import running
    from safehub.cli.main import app

    running.state["as_command"] = True
    app()


def __getattr__(name: str) -> object:
    # `from safehub.cli import app` keeps working, without importing every command on import.
    if name == "app":
        from safehub.cli.main import app

        return app
    raise AttributeError(name)
