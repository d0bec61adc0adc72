"""`safehub audit verify|anchor|head`: checking the audit log against its chain and its anchors."""

from __future__ import annotations

import json

import typer
from sqlalchemy.orm import Session

from safehub.audit import check_anchors, verify_chain
from safehub.cli.context import err, open_database

app = typer.Typer(no_args_is_help=True, help="The tamper-evident audit log.")


@app.command("verify")
def verify() -> None:
    """Check every entry's hash and link, and the signed anchors kept outside the database.

    Exit 0 when intact; 1 naming the first broken entry otherwise.
    """
    with open_database() as db, db.owner_engine.connect() as conn:
        session = Session(bind=conn)
        report = verify_chain(session)
        anchored_id, anchor_problem = (None, None)
        if db.anchors is not None:
            anchored_id, anchor_problem = check_anchors(session, db.anchors)
    if not report.intact:
        err.print(
            f"Audit log broken at entry {report.first_broken_id}: {report.problem}", markup=False
        )
        raise typer.Exit(1)
    if anchor_problem is not None:
        if anchored_id is None:  # the anchors are not this database's: nothing to compare
            err.print(f"Audit log cannot be verified: {anchor_problem}", markup=False)
        else:
            err.print(f"Audit log broken at entry {anchored_id}: {anchor_problem}", markup=False)
        raise typer.Exit(1)
    err.print(f"Audit log intact: {report.entries} entries, head {report.head[:16]}…", markup=False)


@app.command("anchor")
def anchor() -> None:
    """Sign the chain's current head into a new anchor now (jobs also do this every minute)."""
    with open_database() as db, db.owner_engine.begin() as conn:
        if db.anchors is None:
            err.print("No anchor folder is configured.")
            raise typer.Exit(2)
        written = db.anchors.write(Session(bind=conn))
    err.print(f"Anchored entry {written.entry_id}." if written else "The audit log is empty.")


@app.command("head")
def head() -> None:
    """Print the chain's head (id, hash, count) as JSON, to keep somewhere else too."""
    with open_database() as db, db.owner_engine.connect() as conn:
        report = verify_chain(Session(bind=conn))
    typer.echo(
        json.dumps({"entries": report.entries, "head": report.head, "intact": report.intact})
    )
