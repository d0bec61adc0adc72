"""`safehub demo`: a synthetic area in the embedded database, demo sign-ins, and the web UI."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from safehub.cli.context import cli_actor, err, open_database
from safehub.cli.serve import run_server
from safehub.config import load_settings

if TYPE_CHECKING:  # the database and the services are imported where the demo sets up
    from safehub.db.database import Database


def demo(
    children: int = typer.Option(1500, help="Children in the synthetic area (first run only)."),
    seed: int = typer.Option(2026, help="Seed of the synthetic area."),
    serve: bool = typer.Option(
        True, help="Serve the web UI (and the public reporting app) after setting up."
    ),
    all_accounts: bool = typer.Option(
        False, "--all-accounts", help="List every demo account (one per role in each agency)."
    ),
) -> None:
    """Set up a demo area (first run only; later runs keep the data) and serve the web UI."""
    settings = load_settings()
    if not settings.is_development:
        err.print("The demo runs only in a development environment (SAFEHUB_ENV).")
        raise typer.Exit(2)
    with open_database() as db:
        if _is_empty(db):
            _set_up(db, settings.data_dir / "demo-extracts", children=children, seed=seed)
        _print_sign_ins(db, port=settings.port, every=all_accounts)
        if serve:
            run_server(db, settings.host, settings.port, public_port=settings.public_port)


def _is_empty(db: Database) -> bool:
    from sqlalchemy import text

    with db.owner_engine.connect() as conn:
        return not conn.execute(text("SELECT EXISTS (SELECT 1 FROM agency_record)")).scalar_one()


# The first run's steps, in order: each is shown with its progress as it runs.
STEPS = (
    "Generating a synthetic area",
    "Checking the extracts",
    "Importing the extracts and the demo staff",
    "Resolving people across agencies",
    "Opening cases",
    "Analysing networks",
    "Building the oversight figures",
)


class _Steps:
    """The first run on a rich progress display: one line for the whole set-up (step n of N),
    one for the step running now with its own progress where the step reports it, and a line
    with the time taken as each step ends."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.overall = progress.add_task("Setting up the demo", total=len(STEPS))

    @contextmanager
    def step(self, index: int) -> Iterator[Callable[[int, int, str], None]]:
        name = STEPS[index]
        task = self.progress.add_task(f"  {name}", total=None)
        started = monotonic()

        def report(done: int, total: int, stage: str) -> None:
            words = f"  {name}: {stage}" if stage else f"  {name}"
            self.progress.update(task, description=words, completed=done, total=total or None)

        yield report
        self.progress.remove_task(task)
        self.progress.advance(self.overall)
        self.progress.console.print(f"[green]✓[/green] {name} ({monotonic() - started:,.0f} s)")


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
    )


def _set_up(db: Database, folder: Path, *, children: int, seed: int) -> None:
    from safehub.db.uow import unit_of_work
    from safehub.extracts import read_extracts
    from safehub.services.agencies import AgencyEntry, register_agencies
    from safehub.services.demo import (
        open_cases_for_victims,
        partnerships_without_agreement,
        person_ids_for,
        seed_users,
    )
    from safehub.services.identity.resolution import resolve_all_people
    from safehub.services.imports import import_extracts
    from safehub.services.networks.update import analyse_demo_network
    from safehub.services.oversight.disparities import DisparityRequest, build_disparities
    from safehub.services.oversight.facts import rebuild_facts
    from safehub.services.oversight.results import latest_year
    from safehub.services.practice.demo import seed_practice
    from safehub.services.sharing.agreements import seed_demo_agreements
    from safehub.services.timeliness.demo import seed_demo_timeliness
    from safehub.synthetic import generate_area

    err.print(f"First run: setting up a synthetic area of {children:,} children.")
    with _progress() as progress:
        steps = _Steps(progress)
        with steps.step(0):
            area = generate_area(seed=seed, children=children, out_dir=folder)
        files = [str(p) for p in sorted(area.files.values())]
        with steps.step(1):
            batch = read_extracts(files)
        with steps.step(2), unit_of_work(db, actor=cli_actor()) as uow:
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
            seed_demo_agreements(uow, without=partnerships_without_agreement(area.agencies))
            uow.commit()
        with steps.step(3), unit_of_work(db, actor=cli_actor()) as uow:
            # Resolution reports its own stages as tasks on the same display.
            resolve_all_people(uow, purpose="demo data", progress=progress)
            uow.commit()
        with steps.step(4), unit_of_work(db, actor=cli_actor()) as uow:
            victims = sorted({true_id for _, true_id, role in area.groups if role == "victim"})
            keys = {
                true_id: [(c, r) for c, r, t in area.people if t == true_id] for true_id in victims
            }
            ids = person_ids_for(uow, [k for ks in keys.values() for k in ks])
            # Identity resolution has merged most of each child's records into one person;
            # records it could not link with confidence are linked to the case by the demo's
            # case team.
            case_children = [sorted({ids[k] for k in keys[t] if k in ids}) for t in victims]
            lead = next(a.code for a in area.agencies if a.agency_type == "social_care")
            open_cases_for_victims(
                uow, victims=[c for c in case_children if c], lead_agency_code=lead
            )
            seed_demo_timeliness(uow)
            seed_practice(uow)
            uow.commit()
        # After the cases, so that children at heightened risk are reported to their case teams.
        with steps.step(5) as report, unit_of_work(db, actor=cli_actor()) as uow:
            analyse_demo_network(uow, progress=report)
            uow.commit()
        # Last, so that the oversight body's figures count everything the demo holds.
        with steps.step(6), unit_of_work(db, actor=cli_actor()) as uow:
            rebuild_facts(uow)
            build_disparities(uow, request=DisparityRequest(latest_year(uow, today=date.today())))
            uow.commit()
    err.print(f"Imported {len(batch.mentions):,} rows from {len(files)} extracts.")


def _print_sign_ins(db: Database, *, port: int, every: bool) -> None:
    """Three accounts to start with and what each can try; every account only when asked."""
    from safehub.db.uow import unit_of_work
    from safehub.services.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, starting_accounts

    with unit_of_work(db, actor=cli_actor()) as uow:
        starters = starting_accounts(uow)
        uow.commit()
    typer.echo("")
    typer.echo(f"Safehub demo: open http://localhost:{port} and sign in as one of these.")
    typer.echo("")
    for n, account in enumerate(starters, start=1):
        typer.echo(f"  {n}. {account.username}  ({account.who})")
        typer.echo(f"     Try: {account.try_this}")
    typer.echo("")
    typer.echo(f"  Password (every demo account): {DEMO_PASSWORD}")
    typer.echo(f"  Second factor: an authenticator app with the secret {DEMO_TOTP_SECRET},")
    typer.echo("  or the current code from `.venv/bin/safehub demo-code USERNAME`.")
    if every:
        _print_every_account(db)
    else:
        typer.echo(
            "  More accounts, one for each role in each agency: `safehub demo --all-accounts`."
        )
    typer.echo("  Another port: SAFEHUB_PORT=8080 make demo")
    typer.echo("")


def _print_every_account(db: Database) -> None:
    from sqlalchemy import text

    with db.owner_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT u.username, u.display_name FROM app_user u ORDER BY u.username")
        ).all()
    typer.echo("")
    typer.echo("  Every demo account:")
    for username, display_name in rows:
        typer.echo(f"    {username:<48} {display_name}")
