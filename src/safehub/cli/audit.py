"""`safehub audit verify|anchor|head`: checking the audit log against its chain and its anchors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from safehub.cli.context import err, open_database

if TYPE_CHECKING:  # the audit log and the database are imported by the commands that read them
    from sqlalchemy.orm import Session

    from safehub.audit.witness_check import WitnessCheck
    from safehub.db.database import Database

app = typer.Typer(no_args_is_help=True, help="The tamper-evident audit log.")


WITNESS_OPTION = typer.Option(
    None,
    "--witness",
    help="A witness's file to hold the chain against (a file witness's JSON lines, a syslog "
    "collector's log, or the objects a command witness stored, one after another); repeatable. "
    "File witnesses named in SAFEHUB_AUDIT_WITNESS are checked too.",
    exists=True,
    dir_okay=False,
    readable=True,
)


@app.command("verify")
def verify(witness: list[Path] | None = WITNESS_OPTION) -> None:
    """Check every entry's hash and link, the signed anchors kept outside the database, and the
    anchors external witnesses kept.

    Exit 0 when intact; 1 naming the first broken entry (or why it cannot be verified) otherwise.
    """
    from sqlalchemy.orm import Session

    from safehub.audit import check_anchors, verify_chain

    with open_database() as db, db.owner_engine.connect() as conn:
        session = Session(bind=conn)
        report = verify_chain(session)
        anchored_id, anchor_problem = (None, None)
        if db.anchors is not None:
            anchored_id, anchor_problem = check_anchors(session, db.anchors)
        witnessed = _check_witnesses(session, db, witness or []) if report.intact else []
    if not report.intact:
        err.print(
            f"Audit log broken at entry {report.first_broken_id}: {report.problem}", markup=False
        )
        raise typer.Exit(1)
    # Every witness is reported, even when the local anchors already failed: with the anchors
    # folder deleted or rolled back, the witness is the evidence that names what was cut.
    failed = _report_witnesses(witnessed)
    if anchor_problem is not None:
        if anchored_id is None:  # the anchors are not this database's: nothing to compare
            err.print(f"Audit log cannot be verified: {anchor_problem}", markup=False)
        else:
            err.print(f"Audit log broken at entry {anchored_id}: {anchor_problem}", markup=False)
        raise typer.Exit(1)
    if failed:
        raise typer.Exit(1)
    err.print(f"Audit log intact: {report.entries} entries, head {report.head[:16]}…", markup=False)


def _check_witnesses(session: Session, db: Database, given: list[Path]) -> list[WitnessCheck]:
    """The witnesses named on the command line and the file witnesses of the setting."""
    from safehub.audit.witness_check import WitnessCheck, check_witness, read_witness

    if db.anchors is None:
        return []
    configured = [Path(w.target) for w in db.anchors.witnesses.items if w.kind == "file"]
    paths = list(dict.fromkeys([*given, *configured]))
    checks = []
    for path in paths:
        try:
            records = read_witness(path)
        except OSError as error:
            problem = f"the witness file {path} cannot be read ({error.strerror or error})"
            checks.append(WitnessCheck(str(path), 0, None, None, problem))
            continue
        checks.append(check_witness(session, db.anchors, records))
    return checks


def _report_witnesses(checks: list[WitnessCheck]) -> bool:
    """Say what each witness showed; whether any did not hold."""
    failed = False
    for check in checks:
        if check.damaged_lines:
            lines = ", ".join(map(str, check.damaged_lines[:5]))
            err.print(f"Witness {check.source}: lines {lines} do not read (skipped).", markup=False)
        if check.other_databases and check.holds:
            err.print(
                f"Witness {check.source} also holds anchors of "
                f"{', '.join(check.other_databases)} (not checked).",
                markup=False,
            )
        if check.problem is None:
            held = (
                f"{check.checked} anchors of this database match, up to entry {check.newest}"
                if check.checked
                else "holds no anchor yet (the log is empty)"
            )
            err.print(f"Witness {check.source}: {held}.", markup=False)
        elif check.broken_id is not None:
            failed = True
            err.print(f"Audit log broken at entry {check.broken_id}: {check.problem}", markup=False)
        else:
            failed = True
            err.print(f"Audit log cannot be verified: {check.problem}", markup=False)
    return failed


@app.command("anchor")
def anchor() -> None:
    """Sign the chain's current head into a new anchor now (jobs also do this every minute)."""
    from sqlalchemy.orm import Session

    with open_database() as db, db.owner_engine.begin() as conn:
        if db.anchors is None:
            err.print("No anchor folder is configured.")
            raise typer.Exit(2)
        written = db.anchors.write(Session(bind=conn))
    err.print(f"Anchored entry {written.entry_id}." if written else "The audit log is empty.")


@app.command("head")
def head() -> None:
    """Print the chain's head (id, hash, count) as JSON, to keep somewhere else too."""
    from sqlalchemy.orm import Session

    from safehub.audit import verify_chain

    with open_database() as db, db.owner_engine.connect() as conn:
        report = verify_chain(Session(bind=conn))
    typer.echo(
        json.dumps({"entries": report.entries, "head": report.head, "intact": report.intact})
    )
