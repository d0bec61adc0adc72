"""The `safehub` command line. The app is assembled in ``safehub.cli.main``; importing one command
module (``safehub.cli.language``…) does not import the others."""

from __future__ import annotations

# Set when running as the `safehub` command (not when tests call a command in-process): a
# command that has written everything may then leave without freeing its objects one by one.
RUNNING_AS_COMMAND = False


def main() -> None:
    global RUNNING_AS_COMMAND
    from safehub.cli.main import app

    RUNNING_AS_COMMAND = True
    app()


def __getattr__(name: str) -> object:
    # `from safehub.cli import app` keeps working, without importing every command on import.
    if name == "app":
        from safehub.cli.main import app

        return app
    raise AttributeError(name)
