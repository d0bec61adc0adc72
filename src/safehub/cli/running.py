"""Whether this process is the `safehub` command itself (not a test calling a command in-process).

A command that has written everything may then leave without freeing its objects one by one.
Kept apart from ``safehub.cli`` so that a command module can read it without importing the app.
"""

from __future__ import annotations

state = {"as_command": False}


def as_command() -> bool:
    return state["as_command"]
