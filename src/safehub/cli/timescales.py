"""`safehub timescales`: due dates, clock states, rules and bank holidays.

Contract (docs/contracts.md): `safehub timescales due RULE START_DATE [--jurisdiction england]`
prints only the due date as YYYY-MM-DD on stdout; invalid input exits 2 with the problem and the
fix on stderr.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from safehub.timescales import (
    UK_TIME,
    ClockRule,
    Jurisdiction,
    NoRulesError,
    RuleBook,
    RuleError,
    Unit,
    UnknownJurisdictionError,
    UnknownRuleError,
    WorkingCalendar,
    default_rulebook,
    due,
    evaluate_clock,
    load_rules_file,
    parse_jurisdiction,
)

app = typer.Typer(
    no_args_is_help=True,
    help="Working-day calendars and statutory clocks (Working Together 2023 by default).",
)

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")

JurisdictionOption = Annotated[
    str,
    typer.Option(
        "--jurisdiction",
        "-j",
        help="england, wales, scotland or northern_ireland (only england has statutory rules).",
    ),
]
RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", help="A TOML file of local rules to add (same shape as the defaults)."),
]
ClosureOption = Annotated[
    list[str] | None,
    typer.Option("--closure", help="A local closure day YYYY-MM-DD (repeat for several)."),
]


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)


def _jurisdiction(value: str) -> Jurisdiction:
    try:
        return parse_jurisdiction(value)
    except UnknownJurisdictionError as error:
        _fail(str(error))


def _rulebook(rules_file: Path | None) -> RuleBook:
    book = default_rulebook()
    if rules_file is None:
        return book
    try:
        return book.with_rules(load_rules_file(rules_file))
    except OSError as error:
        _fail(f"cannot read rules file {rules_file}: {error.strerror}")
    except RuleError as error:
        _fail(f"{error}")


def _rule(book: RuleBook, jurisdiction: Jurisdiction, rule_id: str) -> ClockRule:
    try:
        return book.get(jurisdiction, rule_id)
    except (NoRulesError, UnknownRuleError) as error:
        _fail(str(error))


def _parse_day(value: str, name: str) -> date:
    example = "expected YYYY-MM-DD, a real calendar date (e.g. 2025-02-28)"
    if not _DAY.match(value):
        _fail(f"invalid {name} {value!r}: {example}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"invalid {name} {value!r}: not a real date; {example}")


def _parse_moment(value: str, name: str, rule: ClockRule) -> date | datetime:
    """A day for date-based rules; a time (UK local unless an offset is given) for hours rules."""
    if rule.unit is not Unit.HOURS:
        return _parse_day(value, name)
    expected = "expected YYYY-MM-DDTHH:MM, UK local time unless an offset is given"
    if not _TIME.match(value):
        _fail(f"{rule.id} is counted in hours: invalid {name} {value!r}; {expected}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        _fail(f"invalid {name} {value!r}: not a real date and time; {expected}")
    return moment if moment.tzinfo else moment.replace(tzinfo=UK_TIME)


def _calendar(jurisdiction: Jurisdiction, closures: list[str] | None) -> WorkingCalendar:
    days = [_parse_day(value, "--closure") for value in closures or []]
    return WorkingCalendar(jurisdiction, days)


def _format(moment: date | datetime) -> str:
    if isinstance(moment, datetime):
        spec = "minutes" if moment.second == moment.microsecond == 0 else "seconds"
        return moment.isoformat(timespec=spec)
    return moment.isoformat()


@app.command("due")
def due_command(
    rule: Annotated[str, typer.Argument(help="Rule id, e.g. referral_decision or assessment.")],
    start_date: Annotated[str, typer.Argument(metavar="START_DATE", help="YYYY-MM-DD (day 0).")],
    jurisdiction: JurisdictionOption = "england",
    rules_file: RulesOption = None,
    closure: ClosureOption = None,
) -> None:
    """Print the due date (YYYY-MM-DD) of RULE for a clock started on START_DATE."""
    where = _jurisdiction(jurisdiction)
    clock_rule = _rule(_rulebook(rules_file), where, rule)
    start = _parse_moment(start_date, "START_DATE", clock_rule)
    typer.echo(_format(due(clock_rule, start, _calendar(where, closure))))


@app.command("state")
def state_command(
    rule: Annotated[str, typer.Argument(help="Rule id.")],
    start: Annotated[str, typer.Argument(help="YYYY-MM-DD (or YYYY-MM-DDTHH:MM for hours).")],
    now: Annotated[str | None, typer.Option(help="When to evaluate (default: now).")] = None,
    stopped: Annotated[str | None, typer.Option(help="When the clock was met.")] = None,
    due_soon_days: Annotated[int, typer.Option(min=0, help="Working days of 'due soon'.")] = 2,
    jurisdiction: JurisdictionOption = "england",
    rules_file: RulesOption = None,
    closure: ClosureOption = None,
) -> None:
    """Print a clock's state at NOW as one JSON object."""
    where = _jurisdiction(jurisdiction)
    clock_rule = _rule(_rulebook(rules_file), where, rule)
    status = evaluate_clock(
        clock_rule,
        start=_parse_moment(start, "START", clock_rule),
        now=datetime.now(UK_TIME) if now is None else _parse_moment(now, "--now", clock_rule),
        stopped=None if stopped is None else _parse_moment(stopped, "--stopped", clock_rule),
        calendar=_calendar(where, closure),
        due_soon_days=due_soon_days,
    )
    fields = {
        "rule": status.rule_id,
        "due": _format(status.due),
        "state": status.state.value,
        "remaining": status.remaining,
        "overdue_by": status.overdue_by,
        "counted_in": status.counted_in.value,
        "needs_reason": status.needs_reason,
    }
    typer.echo(json.dumps(fields))


@app.command("rules")
def rules_command(
    jurisdiction: Annotated[
        str | None, typer.Option("--jurisdiction", "-j", help="Only this jurisdiction.")
    ] = None,
    rules_file: RulesOption = None,
) -> None:
    """List the clock rules, one per line (tab-separated), with their sources."""
    book = _rulebook(rules_file)
    rules = (
        list(book) if jurisdiction is None else book.for_jurisdiction(_jurisdiction(jurisdiction))
    )
    typer.echo("jurisdiction\tid\ttimescale\tstart -> stop\tstatutory\tdescription\tsource")
    for rule in rules:
        kind = "statutory" if rule.statutory else "local"
        events = f"{rule.start_event} -> {rule.stop_event}"
        typer.echo(
            f"{rule.jurisdiction}\t{rule.id}\t{rule.amount} {rule.unit}\t{events}\t{kind}"
            f"\t{rule.description}\t{rule.source}"
        )


@app.command("holidays")
def holidays_command(
    year: Annotated[int, typer.Argument(min=1900, max=2199, help="Calendar year.")],
    jurisdiction: JurisdictionOption = "england",
    closure: ClosureOption = None,
) -> None:
    """List the bank holidays and local closure days of YEAR: date, weekday, name."""
    calendar = _calendar(_jurisdiction(jurisdiction), closure)
    for day, name in calendar.closed_days(year).items():
        typer.echo(f"{day.isoformat()}\t{day:%a}\t{name}")
