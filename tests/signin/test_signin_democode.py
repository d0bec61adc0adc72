"""`safehub demo-code USERNAME` prints a demo user's current code, and only in development."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pyotp
import typer
from typer.testing import CliRunner

from safehub.cli.democode import demo_code
from safehub.db.database import Database
from safehub.services.demo import DEMO_TOTP_SECRET
from tests.signin.flows import give_totp


def _run(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    app = typer.Typer()
    app.command()(demo_code)
    result = CliRunner().invoke(app, args, env=env)
    return result.exit_code, result.stdout, result.stderr


def test_it_refuses_outside_development() -> None:
    code, out, err = _run(
        ["someone@la"], {"SAFEHUB_ENV": "production", "SAFEHUB_SECRET_KEY": "x" * 40}
    )
    assert code == 2 and out == ""
    assert "SAFEHUB_ENV is development or demo" in err


def test_it_prints_the_code_the_users_app_shows(
    app_db: Database, make_user: Callable[..., str], database_url: str, tmp_path: Path
) -> None:
    username = make_user("social_worker")
    give_totp(app_db, username, DEMO_TOTP_SECRET)
    # The data folder of ``app_db``: without SAFEHUB_SECRET_KEY, the key that sealed the secret
    # is kept there, as it is for `safehub demo` and `safehub demo-code` on one machine.
    data = str(tmp_path / "data")
    env = {"SAFEHUB_ENV": "demo", "DATABASE_URL": database_url, "SAFEHUB_DATA_DIR": data}
    before = datetime.now(UTC)
    code, out, _ = _run([username], env)
    totp = pyotp.TOTP(DEMO_TOTP_SECRET)
    assert code == 0
    assert out.strip() in {totp.at(before), totp.at(datetime.now(UTC))}


def test_an_unknown_user_is_named_on_stderr(
    database_url: str, app_db: Database, tmp_path: Path
) -> None:
    env = {"SAFEHUB_ENV": "demo", "DATABASE_URL": database_url, "SAFEHUB_DATA_DIR": str(tmp_path)}
    code, out, err = _run(["nobody@la"], env)
    assert code == 2 and out == "" and "No user 'nobody@la'" in err
