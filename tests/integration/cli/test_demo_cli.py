"""`safehub demo` on a first run: every step shown as it runs, then three accounts to start with."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from safehub.cli.demo import STEPS, demo


def test_the_first_run_shows_each_step_and_ends_with_three_accounts_to_start_with(
    database_url: str, tmp_path: Path
) -> None:
    app = typer.Typer()
    app.command()(demo)
    env = {
        "SAFEHUB_ENV": "development",
        "DATABASE_URL": database_url,
        "SAFEHUB_DATA_DIR": str(tmp_path / "data"),
        "SAFEHUB_PORT": "8123",
    }
    result = CliRunner().invoke(app, ["--children", "40", "--no-serve"], env=env)
    assert result.exit_code == 0, result.output
    for step in STEPS:
        assert f"✓ {step}" in result.stderr
    out = result.stdout
    assert "http://localhost:8123" in out
    starters = [line for line in out.splitlines() if line.strip().startswith(("1.", "2.", "3."))]
    assert len(starters) == 3
    assert "social-worker@" in starters[0] and "police-analyst@" in starters[1]
    assert "data-protection-officer@" in starters[2]
    assert out.count("Try: ") == 3
    assert "SAFEHUB_PORT" in out and "--all-accounts" in out
    # Not every account with its role code.
    assert "police_investigator" not in out and "mash_triage" not in out
    # The oversight body's pages have figures from the first visit.
    engine = create_engine(database_url)
    with engine.connect() as conn:
        facts = conn.execute(text("SELECT count(*) FROM oversight_fact")).scalar_one()
    engine.dispose()
    assert facts > 0
