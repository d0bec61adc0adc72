"""How language is used in case notes: a batch audit of saved notes for managers, and flags per
100 notes by team and agency for managers and oversight (aggregates only)."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from safehub.db.queries.practice.notes import list_current_notes, list_flag_rates
from safehub.db.rls import system_step
from safehub.db.uow import UnitOfWork
from safehub.services.practice.language_rules import active_rules

# Oversight sees rates, never a note; a rate over very few notes says little, so it is marked.
FEW_NOTES = 10


@dataclass(frozen=True, slots=True)
class FlaggedNote:
    note_id: int
    case_id: int
    phrases: list[str]
    rules: list[str]


@dataclass
class NotesAudit:
    """The current version of each note checked with the rules in force now."""

    checked: int = 0
    flagged: int = 0
    flags: int = 0
    rule_counts: dict[str, int] = field(default_factory=dict)
    examples: list[FlaggedNote] = field(default_factory=list)

    @property
    def per_100(self) -> float:
        return round(100 * self.flags / self.checked, 1) if self.checked else 0.0


def audit_notes(uow: UnitOfWork, *, limit: int = 5000, max_examples: int = 25) -> NotesAudit:
    """Check the current versions of the acting user's agency's notes (newest first, up to
    ``limit``) with the rules in force, including rules added since they were saved. Nothing
    is changed."""
    agency_id = uow.actor.agency_id
    notes = list_current_notes(uow.session, agency_id=agency_id, limit=limit)
    rules = active_rules(uow)
    audit, counts = NotesAudit(), Counter[str]()
    for (note_id, case_id, _), flags in zip(
        notes, rules.checker.iter_many(n[2] for n in notes), strict=True
    ):
        audit.checked += 1
        if not flags:
            continue
        audit.flagged += 1
        audit.flags += len(flags)
        counts.update(f.rule_id for f in flags)
        if len(audit.examples) < max_examples:
            audit.examples.append(
                FlaggedNote(
                    note_id, case_id, [f.text for f in flags], sorted({f.rule_id for f in flags})
                )
            )
    audit.rule_counts = dict(counts.most_common())
    # A bulk read is one audit entry with a digest of what it touched: an entry per note would
    # bury the log, and the digest still lets anyone check which notes were read.
    digest = hashlib.sha256(",".join(str(n[0]) for n in notes).encode()).hexdigest()
    uow.audit(
        "consultation",
        "case_note",
        [f"{len(notes)} notes"],
        purpose="language audit",
        detail={"digest": digest, "agency": agency_id},
    )
    return audit


@dataclass(frozen=True, slots=True)
class Rate:
    group: str
    notes: int
    flagged_notes: int
    flags: int
    saved_despite_flags: int

    @property
    def per_100(self) -> float:
        return round(100 * self.flags / self.notes, 1) if self.notes else 0.0

    @property
    def few(self) -> bool:
        return self.notes < FEW_NOTES


def flag_rates(
    uow: UnitOfWork,
    *,
    by: Literal["team", "agency"],
    start: date,
    end: date,
    own_agency_only: bool,
) -> list[Rate]:
    """Flags per 100 notes saved in the period, by the author's team or agency, from the flags
    kept with each note when it was saved (``own_agency_only``: the acting user's agency)."""
    # Counted as the partnership: row-level security would otherwise count only the notes the
    # viewer may read, and oversight may read none. Only counts leave this step.
    with system_step(uow):
        rows = list_flag_rates(
            uow.session,
            by=by,
            start=start,
            end=end,
            agency_id=uow.actor.agency_id if own_agency_only else None,
        )
    uow.audit(
        "consultation",
        "statistic",
        [f"language_flags_by_{by}"],
        purpose="practice oversight",
        detail={"start": start.isoformat(), "end": end.isoformat()},
    )
    return [Rate(r.group, r.notes, r.flagged_notes, r.flags, r.saved_despite_flags) for r in rows]


def rates_chart(rates: list[Rate], *, title: str) -> dict[str, object]:
    """A Vega-Lite bar chart of flags per 100 notes (a table is always shown beside it)."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": title,
        "width": "container",
        "data": {
            "values": [{"group": r.group, "per_100": r.per_100, "notes": r.notes} for r in rates]
        },
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "y": {"field": "group", "type": "nominal", "title": None, "sort": "-x"},
            "x": {"field": "per_100", "type": "quantitative", "title": "Flags per 100 notes"},
        },
    }
