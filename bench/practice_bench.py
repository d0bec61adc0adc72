"""Benchmark: victim-centred practice on a real database.

Measures, through the real services with row-level security on (a signed-in social worker):
- the live language check the note editor calls as the professional types (p50 / p95), with
  one local rule in force; goal p95 <= 100 ms, so that flags keep up with typing;
- saving a note (checked, saved with its flags, audited) p50 / p95; goal p95 <= 200 ms;
- the batch language audit of saved notes (notes per second): bound by the checker's own speed
  (see "Language checker" above), so it is reported with the notes' length, without a goal;
- the victim-treated-as-offender scan over a whole synthetic area after its import.

Run from the repository root:

    .venv/bin/python bench/practice_bench.py            # writes its section of bench/results.md
    .venv/bin/python bench/practice_bench.py --notes 2000 --children 500 --no-write

A throwaway embedded PostgreSQL is started in a temporary folder and migrated. Generated data
only (the synthetic area generator and the phrases below): nothing is read from ../shared/data.
Timing: time.perf_counter; peak memory: resource.getrusage.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.inbox_bench import start_database
from bench.results_file import machine, replace_section

HEADING = "Victim-centred practice: live language check, notes, audit, victim alerts"
SENTENCES = (
    "Adults have been collecting her from school in cars.",
    "She keeps putting herself at risk by going to the takeaway.",
    "She was found at a hotel with an adult male aged 31.",
    "Mum says she is in a relationship with a 24-year-old.",
    "She absconded from her placement on Saturday night.",
    "A strategy discussion has been requested with the police.",
    'She said "I chose to go with them" and would not say more.',
    "The school reports that her attendance has fallen since September.",
)


def draft(rng: random.Random) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 25)))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def set_up(db: object, folder: Path, children: int) -> tuple[float, float, int]:
    """Import a synthetic area (the import raises the victim alerts), then time a full rescan."""
    from safehub.access.actor import Actor
    from safehub.db.uow import unit_of_work
    from safehub.extracts import read_extracts
    from safehub.services.imports import import_extracts
    from safehub.services.practice import raise_victim_offender_alerts
    from safehub.synthetic import generate_area

    area = generate_area(seed=2026, children=children, out_dir=folder)
    files = [str(p) for p in sorted(area.files.values())]
    batch = read_extracts(files)
    system = Actor(label="system:bench")
    started = time.perf_counter()
    with unit_of_work(db, actor=system) as uow:  # type: ignore[arg-type]
        import_extracts(uow, batch=batch, files=files)
        uow.commit()
    imported = time.perf_counter() - started
    started = time.perf_counter()
    with unit_of_work(db, actor=system) as uow:  # type: ignore[arg-type]
        raise_victim_offender_alerts(uow, purpose="benchmark rescan")
        uow.commit()
    rescan = time.perf_counter() - started
    with db.owner_engine.connect() as conn:  # type: ignore[attr-defined]
        alerts = conn.execute(
            text("SELECT count(*) FROM alert WHERE kind = 'victim_treated_as_offender'")
        ).scalar_one()
    return imported, rescan, int(alerts)


def worker_and_case(db: object) -> tuple[object, int]:
    from safehub.access.actor import Actor
    from safehub.db.uow import unit_of_work
    from safehub.services.accounts.users import actor_for, create_user
    from safehub.services.casework.cases import open_case
    from safehub.services.practice import RuleDraft, add_language_rule

    with unit_of_work(db, actor=Actor(label="system:bench")) as uow:  # type: ignore[arg-type]
        agency = uow.session.execute(
            text("SELECT id FROM agency WHERE agency_type = 'social_care' ORDER BY id LIMIT 1")
        ).scalar_one()
        child = uow.session.execute(text("SELECT min(id) FROM person")).scalar_one()
        user = create_user(
            uow,
            username="bench-worker",
            display_name="Bench worker",
            password="a long bench-only passphrase 7391",
            role="social_worker",
            agency_id=agency,
        )
        case = open_case(
            uow, title="Bench case", children=[child], agency_ids=[agency], member_ids=[user.id]
        )
        actor = actor_for(user)
        uow.act_as(actor)  # a lead adds the rule: a member of staff, not the system
        add_language_rule(
            uow,
            draft=RuleDraft(
                "Party girl",
                ("party girl",),
                "Labels the child instead of the adults' actions.",
                "Describe what the adults did.",
                "error",
            ),
        )
        uow.commit()
        return actor, case.id


def time_live_checks(db: object, actor: object, rng: random.Random, n: int) -> list[float]:
    from safehub.db.uow import unit_of_work
    from safehub.services.practice import check_language

    timings = []
    for _ in range(n):
        body = draft(rng)
        started = time.perf_counter()
        with unit_of_work(db, actor=actor) as uow:  # type: ignore[arg-type]
            check_language(uow, text=body)
            uow.commit()
        timings.append(time.perf_counter() - started)
    return timings


def time_saves(db: object, actor: object, case_id: int, rng: random.Random, n: int) -> list[float]:
    from safehub.db.uow import unit_of_work
    from safehub.services.practice import NoteRequest, write_note

    timings = []
    for _ in range(n):
        body = draft(rng)
        started = time.perf_counter()
        with unit_of_work(db, actor=actor) as uow:  # type: ignore[arg-type]
            write_note(
                uow, case_id=case_id, note=NoteRequest(body, save_anyway=True, reason="bench")
            )
            uow.commit()
        timings.append(time.perf_counter() - started)
    return timings


def time_audit(
    db: object, actor: object, case_id: int, notes: int, rng: random.Random
) -> tuple[int, float, float]:
    from safehub.db.uow import unit_of_work
    from safehub.services.practice import audit_notes

    author = actor.user_id  # type: ignore[attr-defined]
    bodies = [draft(rng) for _ in range(notes)]
    with db.owner_engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(
            text(
                "INSERT INTO case_note (case_id, author_user_id, body, version) "
                "SELECT :c, :a, b, 1 FROM unnest(CAST(:b AS text[])) AS b"
            ),
            {"c": case_id, "a": author, "b": bodies},
        )
    started = time.perf_counter()
    with unit_of_work(db, actor=actor) as uow:  # type: ignore[arg-type]
        audit = audit_notes(uow, limit=notes + 1000)
        uow.commit()
    elapsed = time.perf_counter() - started
    return audit.checked, elapsed, sum(map(len, bodies)) / len(bodies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=3_000, help="notes for the batch audit")
    parser.add_argument(
        "--children", type=int, default=1_500, help="children in the synthetic area"
    )
    parser.add_argument("--samples", type=int, default=200, help="live checks and saves timed")
    parser.add_argument("--no-write", action="store_true", help="print only; leave results.md")
    args = parser.parse_args()
    rng = random.Random(2026)
    db = start_database()
    with tempfile.TemporaryDirectory() as folder:
        imported, rescan, alerts = set_up(db, Path(folder), args.children)
    actor, case_id = worker_and_case(db)
    time_live_checks(db, actor, rng, 5)  # warm: the checker with the local rule is built once
    checks = time_live_checks(db, actor, rng, args.samples)
    saves = time_saves(db, actor, case_id, rng, args.samples)
    checked, audit_s, mean_chars = time_audit(db, actor, case_id, args.notes, rng)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ms = lambda v: f"{1000 * v:.1f} ms"  # noqa: E731
    body = f"""
`.venv/bin/python bench/practice_bench.py --notes {args.notes} --children {args.children}` on {machine()}.

| measure | value | goal |
|---|---|---|
| live language check, service + database, 1 local rule ({args.samples} drafts of 1-25 sentences) | p50 {ms(statistics.median(checks))}, p95 {ms(percentile(checks, 0.95))} | p95 <= 100 ms |
| save a note (checked, flags stored, audited, row-level security on) | p50 {ms(statistics.median(saves))}, p95 {ms(percentile(saves, 0.95))} | p95 <= 200 ms |
| batch language audit of saved notes (mean {mean_chars:.0f} characters, about 13 sentences) | {checked:,} notes in {audit_s:.2f} s = {checked / audit_s:,.0f} notes/s | bound by the checker |
| import of a synthetic area of {args.children:,} children, victim alerts included | {imported:.1f} s | |
| victim-treated-as-offender rescan of everyone | {rescan:.2f} s, {alerts} alerts in the area | |
| peak memory of the process | {peak:.0f} MB | |

The alerts come from the generator's planted records (victims recorded with an offender outcome),
joined on the resolved person; the import raises them for the people it touched, the rescan is
what identity resolution would run after merging people.
"""
    print(body)
    if not args.no_write:
        replace_section(HEADING, body)


if __name__ == "__main__":
    main()
