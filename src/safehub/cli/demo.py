"""`safehub demo`: a synthetic area in the embedded database, demo sign-ins, and the web UI."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy import text

from safehub.cli.context import cli_actor, err, open_database
from safehub.cli.serve import run_server
from safehub.config import load_settings
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.extracts import read_extracts
from safehub.services.agencies import AgencyEntry, register_agencies
from safehub.services.demo import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    open_cases_for_victims,
    person_ids_for,
    seed_users,
)
from safehub.services.imports import import_extracts


def demo(
    children: int = typer.Option(1500, help="Children in the synthetic area (first run only)."),
    seed: int = typer.Option(2026, help="Seed of the synthetic area."),
    serve: bool = typer.Option(True, help="Serve the web UI after setting up."),
) -> None:
    """Set up a demo area (first run only; later runs keep the data) and serve the web UI."""
    settings = load_settings()
    if not settings.is_development:
        err.print("The demo runs only in a development environment (SAFEHUB_ENV).")
        raise typer.Exit(2)
    with open_database() as db:
        if _is_empty(db):
            _set_up(db, settings.data_dir / "demo-extracts", children=children, seed=seed)
        _print_sign_ins(db)
        if serve:
            run_server(db, settings.host, settings.port)


def _is_empty(db: Database) -> bool:
    with db.owner_engine.connect() as conn:
        return not conn.execute(text("SELECT EXISTS (SELECT 1 FROM agency_record)")).scalar_one()


def _set_up(db: Database, folder: Path, *, children: int, seed: int) -> None:
    from safehub.services.identity import resolve_demo_people
    from safehub.services.networks.update import analyse_demo_network
    from safehub.services.practice.demo import seed_practice
    from safehub.services.sharing.agreements import seed_demo_agreements
    from safehub.services.timeliness.demo import seed_demo_timeliness
    from safehub.synthetic import generate_area

    with err.status(f"Generating a synthetic area of {children:,} children…"):
        area = generate_area(seed=seed, children=children, out_dir=folder)
    files = [str(p) for p in sorted(area.files.values())]
    with err.status("Checking the extracts…"):
        batch = read_extracts(files)
    with unit_of_work(db, actor=cli_actor()) as uow, err.status("Importing…"):
        import_extracts(uow, batch=batch, files=files, purpose="demo data")
        register_agencies(
            uow,
            entries=[
                AgencyEntry(a.code, a.agency_type, a.name, a.area_code, a.area_name)
                for a in area.agencies
            ],
        )
        register_agencies(
            uow,
            entries=[
                AgencyEntry("OVERSIGHT", "oversight", "Independent oversight body", None, None)
            ],
        )
        seed_users(uow)
        seed_demo_agreements(uow)
        uow.commit()
    with (
        unit_of_work(db, actor=cli_actor()) as uow,
        err.status("Resolving people across agencies…"),
    ):
        resolve_demo_people(uow)
        uow.commit()
    with unit_of_work(db, actor=cli_actor()) as uow, err.status("Opening cases…"):
        victims = sorted({true_id for _, true_id, role in area.groups if role == "victim"})
        keys = {true_id: [(c, r) for c, r, t in area.people if t == true_id] for true_id in victims}
        ids = person_ids_for(uow, [k for ks in keys.values() for k in ks])
        # Identity resolution has merged most of each child's records into one person; records
        # it could not link with confidence are linked to the case by the demo's case team.
        case_children = [sorted({ids[k] for k in keys[t] if k in ids}) for t in victims]
        lead = next(a.code for a in area.agencies if a.agency_type == "social_care")
        open_cases_for_victims(uow, victims=[c for c in case_children if c], lead_agency_code=lead)
        seed_demo_timeliness(uow)
        seed_practice(uow)
        uow.commit()
    # After the cases, so that children at heightened risk are reported to their case teams.
    with unit_of_work(db, actor=cli_actor()) as uow, err.status("Analysing networks…"):
        analyse_demo_network(uow)
        uow.commit()
    err.print(f"Imported {len(batch.mentions):,} rows from {len(files)} extracts.")


def _print_sign_ins(db: Database) -> None:
    with db.owner_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT u.username, u.role FROM app_user u ORDER BY u.username")
        ).all()
    typer.echo("Demo sign-ins (every account's password is the same in the demo):")
    for username, role in rows:
        typer.echo(f"  {username:<48} {role}")
    typer.echo(f"  password: {DEMO_PASSWORD}")
    typer.echo(f"  second factor: an authenticator app with the demo secret {DEMO_TOTP_SECRET},")
    typer.echo("  or the current code from `.venv/bin/safehub demo-code USERNAME` (demo only)")
