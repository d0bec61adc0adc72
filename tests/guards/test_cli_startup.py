"""The command line starts without the database, the services or the audit log: every command
is registered at start-up, and ``safehub networks`` (a file command) and ``--help`` use none of
them. Command modules import them inside the commands that do: assembling the app took 1.85 s
with them, 0.72 s without (``hyperfine -N ".venv/bin/python -c 'import safehub.cli.main'"``).
``safehub resolve`` skips the assembly altogether (``safehub.cli.main``'s caller)."""

from __future__ import annotations

import json
import subprocess
import sys

NOT_AT_START = ("sqlalchemy", "safehub.db.database", "safehub.services", "safehub.audit")


def test_importing_the_command_line_loads_no_database_service_or_audit_module() -> None:
    probe = (
        "import json, sys\n"
        "import safehub.cli.main\n"
        f"print(json.dumps([m for m in {NOT_AT_START!r} if m in sys.modules]))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert json.loads(found.stdout) == []
