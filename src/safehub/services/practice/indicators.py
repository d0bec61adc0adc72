"""Recording exploitation indicators and evidence of abuse for a child, and the suggested level.

The checklist is kept per child with who recorded each item and when; items are withdrawn,
never deleted. Indicators in agencies' own records (``person_mention.indicators``) are shown as
evidence with their source and count towards the suggested level. The level is only a
suggestion with its reasons: it never closes a case or lowers a response, and every change is
kept as history. The rule itself is in ``indicator_rules`` (pure, reads no protected field).

>>> IndicatorChecklist(frozenset({"missing", "parties"})).problems()
{'indicators': 'Tick only the indicators and evidence on the checklist (not on it: parties)'}
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from safehub.db.models.practice import ChildIndicator, IndicatorAssessment
from safehub.db.queries.practice.children import (
    ChildFacts,
    ImportedIndicator,
    get_child_facts,
    list_assessments,
    list_current_indicators,
    list_recorded_indicators,
)
from safehub.db.uow import UnitOfWork
from safehub.extracts.codes import INDICATOR_NAMES, INDICATORS
from safehub.services.practice.indicator_rules import (
    EVIDENCE,
    LevelInputs,
    SuggestedLevel,
    level_rank,
    suggest_level,
    youngest_age,
)
from safehub.services.practice.need_to_know import require_child
from safehub.services.practice.refusals import refuse_if
from safehub.services.practice.saved_anyway import checked_or_held

KINDS = {"indicator": INDICATOR_NAMES, "evidence": EVIDENCE}


@dataclass(frozen=True, slots=True)
class IndicatorChecklist:
    """The checklist as ticked: indicator codes, evidence of abuse, and what was seen."""

    indicators: frozenset[str] = frozenset()
    evidence: frozenset[str] = frozenset()
    details: str = ""
    # The author keeps details the language checker flags as written, and says why.
    save_anyway: bool = False
    language_reason: str = ""

    def problems(self) -> dict[str, str]:
        """Problems by field, each saying how to put it right (empty when it can be recorded)."""
        unknown = (self.indicators - INDICATORS) | (self.evidence - EVIDENCE.keys())
        if unknown:
            return {
                "indicators": "Tick only the indicators and evidence on the checklist "
                f"(not on it: {', '.join(sorted(unknown))})"
            }
        return {}


@dataclass(frozen=True, slots=True)
class RecordedItem:
    id: int
    kind: str
    code: str
    name: str
    details: str | None
    recorded_by: str
    agency: str
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class Assessment:
    level: str | None
    name: str
    reasons: list[str]
    rule: str
    assessed_at: datetime
    lower_than_before: bool


@dataclass(frozen=True, slots=True)
class ChildIndicators:
    person_id: int
    name: str
    age_years: int | None
    recorded: list[RecordedItem]
    imported: list[ImportedIndicator]
    suggested: SuggestedLevel
    history: list[Assessment]


def child_indicators(
    uow: UnitOfWork, *, person_id: int, today: date | None = None
) -> ChildIndicators:
    """The checklist as recorded, the agencies' indicators with their source, the suggested
    level with its reasons, and its history."""
    require_child(uow, person_id)
    facts = get_child_facts(uow.session, person_id)
    recorded = _recorded(uow, person_id)
    age = youngest_age(
        facts.dates_of_birth[0] if facts.dates_of_birth else None, today or date.today()
    )
    suggested = suggest_level(_inputs(recorded, facts, age))
    uow.audit("consultation", "child_indicators", [person_id], purpose="case work")
    return ChildIndicators(
        person_id,
        facts.name,
        age,
        recorded,
        facts.imported_indicators,
        suggested,
        _history(uow, person_id),
    )


def _inputs(recorded: list[RecordedItem], facts: ChildFacts, age: int | None) -> LevelInputs:
    codes = {i.code for i in recorded if i.kind == "indicator"}
    codes |= {i.code for i in facts.imported_indicators}
    evidence = frozenset(i.code for i in recorded if i.kind == "evidence")
    return LevelInputs(
        indicators=frozenset(codes),
        evidence=evidence,
        age_years=age,
        learning_disability="learning_disability" in codes,
    )


def _recorded(uow: UnitOfWork, person_id: int) -> list[RecordedItem]:
    return [
        RecordedItem(
            i.id,
            i.kind,
            i.code,
            KINDS[i.kind].get(i.code, i.code),
            i.details,
            name,
            agency,
            i.created_at,
        )
        for i, name, agency in list_recorded_indicators(uow.session, person_id)
    ]


def _history(uow: UnitOfWork, person_id: int) -> list[Assessment]:
    history, previous = [], None
    for row in list_assessments(uow.session, person_id):
        lower = previous is not None and level_rank(row.level) < level_rank(previous)
        name = SuggestedLevel(row.level).name
        history.append(
            Assessment(row.level, name, list(row.reasons), row.rule, row.created_at, lower)
        )
        previous = row.level
    return list(reversed(history))


def record_indicators(
    uow: UnitOfWork, *, person_id: int, checklist: IndicatorChecklist, today: date | None = None
) -> ChildIndicators:
    """Save the checklist as ticked: new items are recorded, items no longer ticked are
    withdrawn (kept, with who and when), and the suggested level is reassessed and kept.

    Raises ``PracticeRefusedError`` for a code that is not on the checklist;
    ``LanguageHeldError`` for details the language checker holds back (they describe the child),
    naming ``language_reason`` when their author chose to keep them without saying why.
    """
    user_id = require_child(uow, person_id)
    refuse_if(checklist.problems())
    language = checked_or_held(
        uow,
        text=checklist.details,
        reason=checklist.language_reason,
        save_anyway=checklist.save_anyway,
        what="details",
    )
    changed = _apply(uow, person_id, checklist)
    view = child_indicators(uow, person_id=person_id, today=today)
    if changed or not view.history:
        uow.session.add(
            IndicatorAssessment(
                person_id=person_id,
                level=view.suggested.level,
                reasons=view.suggested.reasons,
                rule=view.suggested.rule,
                assessed_by_user_id=user_id,
                inputs={
                    "indicators": sorted({i.code for i in view.recorded if i.kind == "indicator"}),
                    "evidence": sorted({i.code for i in view.recorded if i.kind == "evidence"}),
                    "imported": sorted({i.code for i in view.imported}),
                    "age_years": view.age_years,
                },
                language_flags=language.flags or None,
                language_reason=language.reason,
            )
        )
        uow.session.flush()
        uow.audit(
            "collection",
            "child_indicators",
            [person_id],
            purpose="indicators recorded",
            detail={"changed": changed},
        )
        view = child_indicators(uow, person_id=person_id, today=today)
    return view


def _apply(uow: UnitOfWork, person_id: int, checklist: IndicatorChecklist) -> int:
    """Record what is newly ticked, withdraw what is no longer; returns how many changed."""
    user_id, agency_id = uow.actor.user_id, uow.actor.agency_id
    assert user_id is not None and agency_id is not None  # staff of an agency: require_child
    details = checklist.details.strip() or None
    current = list_current_indicators(uow.session, person_id)
    have = {(i.kind, i.code) for i in current}
    want = {("indicator", c) for c in checklist.indicators}
    want |= {("evidence", c) for c in checklist.evidence}
    now = datetime.now(UTC)
    for item in current:
        if (item.kind, item.code) not in want:
            item.withdrawn_at, item.withdrawn_by_user_id = now, user_id
            item.withdrawn_reason = details or "no longer ticked on the checklist"
    for kind, code in sorted(want - have):
        uow.session.add(
            ChildIndicator(
                person_id=person_id,
                kind=kind,
                code=code,
                details=details,
                recorded_by_user_id=user_id,
                recorded_by_agency_id=agency_id,
            )
        )
    uow.session.flush()
    return len(want ^ have)
