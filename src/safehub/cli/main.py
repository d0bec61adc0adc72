"""The `safehub` command line: one module per command group, wired together here.

Command modules import heavy engines (Splink, spaCy, networkit), the database, the services and
the audit log inside their commands, so that `safehub --help` and the contract commands start
quickly (``tests/guards/test_cli_startup.py`` holds it).
"""

from __future__ import annotations

import typer

from safehub.cli import (
    audit,
    backup,
    database,
    demo,
    democode,
    imports,
    jobs,
    language,
    networks,
    networks_db,
    oversight,
    people,
    resolve,
    retention,
    serve,
    synth,
    timescales,
)

app = typer.Typer(
    name="safehub",
    help="Safehub: one multi-agency record against child sexual exploitation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("demo")(demo.demo)
app.command("demo-code")(democode.demo_code)
app.command("serve")(serve.serve)
app.command("serve-public")(serve.serve_public)
app.command("migrate")(database.migrate)
app.command("stats")(database.stats)
app.command("backup")(backup.backup)
app.command("restore")(backup.restore)
app.command("import")(imports.import_files)
app.add_typer(language.app, name="language")
app.add_typer(audit.app, name="audit")
app.add_typer(jobs.app, name="jobs")
app.add_typer(people.app, name="people")
app.add_typer(networks_db.app, name="network-analysis")
app.add_typer(timescales.app, name="timescales")
app.add_typer(oversight.app, name="oversight")
app.add_typer(retention.app, name="retention")
app.command("synth")(synth.synth)
app.command("resolve")(resolve.resolve)
app.command("networks")(networks.networks)
