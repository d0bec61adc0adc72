"""The clocks job's side of clocks: every open clock's state computed set-wise, and the runs.

Open clocks are read as columns (one binary COPY), evaluated by the vectorised engine in chunks
so that progress can be reported, and only the states that changed are written back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from safehub.db.models.timeliness import JobRun
from safehub.db.queries import jobs
from safehub.db.queries import timeliness_batch as batch
from safehub.db.uow import UnitOfWork
from safehub.services.timeliness.rules import (
    DEADLINE,
    DEADLINE_RULE,
    DEFAULT_JURISDICTION,
    current_rulebook,
    rule_for,
    working_calendar,
)
from safehub.timescales import STATE_ORDER, RuleBook, evaluate_clocks


@dataclass(frozen=True)
class BatchStates:
    """States of many clocks, row for row: codes into ``STATE_ORDER`` and the overrun."""

    state: npt.NDArray[np.int8]
    overdue_by: npt.NDArray[np.int64]

    def names(self, rows: npt.NDArray[np.intp] | None = None) -> list[str]:
        codes = self.state if rows is None else self.state[rows]
        return [STATE_ORDER[int(c)].value for c in codes]


def evaluate_open_clocks(
    book: RuleBook,
    *,
    rule_names: Sequence[str],
    jurisdictions: Sequence[str],
    rule_code: npt.NDArray[np.int64],
    jurisdiction_code: npt.NDArray[np.int64],
    started_us: npt.NDArray[np.int64],
    due_day: npt.NDArray[np.int64],
    now: datetime,
) -> BatchStates:
    """States at ``now`` of open clocks given as columns, with the vectorised engine.

    Clocks are grouped by jurisdiction (one working calendar each); a deadline clock is
    evaluated from its stored due day, every other clock from its rule and start. Only the
    rules some clock follows are looked up (an unknown one raises ``UnknownRuleError``).
    """
    state = np.zeros(rule_code.size, dtype=np.int8)
    overdue = np.zeros(rule_code.size, dtype=np.int64)
    for j_code, jurisdiction in enumerate(jurisdictions):
        rows = np.flatnonzero(jurisdiction_code == j_code)
        if rows.size == 0:
            continue
        used = set(np.unique(rule_code[rows]).tolist())
        # A rule no clock of this jurisdiction follows is never indexed: any rule holds its place.
        rules = [
            rule_for(book, jurisdiction, name) if code in used else DEADLINE
            for code, name in enumerate(rule_names)
        ]
        starts = started_us[rows].astype("datetime64[us]")
        deadline = rule_code[rows] == _index_of(rule_names, DEADLINE_RULE)
        # Deadlines start the day before they are due (noon UTC is that UK day all year round).
        day_before = (due_day[rows] - 1).astype("datetime64[D]").astype("datetime64[us]")
        starts = np.where(deadline, day_before + np.timedelta64(12, "h"), starts)
        batch = evaluate_clocks(
            rules, rule_code[rows], starts, now=now, calendar=working_calendar(jurisdiction)
        )
        state[rows], overdue[rows] = batch.state, batch.overdue_by
    return BatchStates(state, overdue)


def _index_of(names: Sequence[str], wanted: str) -> int:
    return list(names).index(wanted) if wanted in names else -1


def rule_and_jurisdiction_names(book: RuleBook) -> tuple[list[str], list[str]]:
    """Every rule id and jurisdiction a clock may carry: the book's, and the deadline rule.

    >>> from safehub.timescales import default_rulebook
    >>> rules, places = rule_and_jurisdiction_names(default_rulebook())
    >>> DEADLINE_RULE in rules and DEFAULT_JURISDICTION in places
    True
    """
    rules = sorted({rule.id for rule in book} | {DEADLINE_RULE})
    places = sorted({rule.jurisdiction.value for rule in book} | {DEFAULT_JURISDICTION})
    return rules, places


def read_open_clocks(uow: UnitOfWork, book: RuleBook) -> batch.OpenClockArrays:
    """Every open clock as columns (one binary COPY); a clock whose rule or jurisdiction is in
    no rule book raises ``UnknownRuleError`` / ``NoRulesError`` as ``rule_for`` does."""
    rule_names, jurisdictions = rule_and_jurisdiction_names(book)
    arrays = batch.get_open_clock_arrays(
        uow.session, rule_names=rule_names, jurisdictions=jurisdictions
    )
    unknown = np.flatnonzero((arrays.rule_code < 0) | (arrays.jurisdiction_code < 0))
    if unknown.size:
        jurisdiction, rule_id = batch.get_clock_rule(uow.session, int(arrays.ids[unknown[0]]))
        rule_for(book, jurisdiction, rule_id)  # raises, naming the valid ids
        raise ValueError(f"clock {int(arrays.ids[unknown[0]])} has an unknown rule {rule_id}")
    return arrays


Progress = Callable[[int, int, str], None]


def recompute_clock_states(
    uow: UnitOfWork, *, now: datetime, progress: Progress | None = None, chunk: int = 200_000
) -> tuple[int, int]:
    """Every open clock's state at ``now``, set-wise; store those that changed.

    Returns ``(evaluated, changed)``. ``progress(done, total, stage)`` is called per chunk.
    """
    book = current_rulebook(uow)
    arrays = read_open_clocks(uow, book)
    total = len(arrays)
    states = np.empty(total, dtype=np.int8)
    for begin in range(0, total, chunk):
        rows = slice(begin, min(begin + chunk, total))
        states[rows] = evaluate_open_clocks(
            book,
            rule_names=arrays.rule_names,
            jurisdictions=arrays.jurisdictions,
            rule_code=arrays.rule_code[rows],
            jurisdiction_code=arrays.jurisdiction_code[rows],
            started_us=arrays.started_us[rows],
            due_day=arrays.due_day[rows],
            now=now,
        ).state
        if progress:
            progress(rows.stop, total, "evaluating clocks")
    changed = np.flatnonzero(states != arrays.state)
    _store_states(uow, arrays.ids[changed], states[changed])
    return total, int(changed.size)


def _store_states(uow: UnitOfWork, ids: npt.NDArray[np.int64], codes: npt.NDArray[np.int8]) -> None:
    if not ids.size:
        return
    batch.set_clock_states(uow.session, ids, codes)
    uow.mark_changed()
    # A bulk change is one audit entry with a digest of what it touched: an entry per clock
    # would add a million entries to the chain in one run, and the digest still proves which.
    digest = hashlib.sha256(ids.astype(np.int64).tobytes()).hexdigest()
    uow.audit(
        "alteration",
        "clock",
        [],
        purpose="clock states recomputed",
        detail={"clocks": int(ids.size), "sha256_of_ids": digest},
    )


def request_clock_run(uow: UnitOfWork) -> int:
    """Queue a run of the clocks job now (the worker picks it up), requested by the actor."""
    run_id = jobs.enqueue_job(uow.session, job="clocks", params={}, requested_by=uow.actor.label)
    uow.audit("collection", "job_run", [run_id], purpose="clocks job requested")
    return run_id


def recent_job_runs(uow: UnitOfWork, *, limit: int = 20) -> list[JobRun]:
    """The latest job runs with their progress, newest first (operational, not personal)."""
    return jobs.list_recent_job_runs(uow.session, limit=limit)
