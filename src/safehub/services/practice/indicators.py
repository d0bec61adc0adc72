"""Recording exploitation indicators and evidence of abuse for a child, and the suggested level.

The checklist is kept per child with who recorded each item and when; items are withdrawn,
never deleted. Indicators in agencies' own records (``person_mention.indicators``) are shown as
evidence with their source and count towards the suggested level. The level is only a
suggestion with its reasons: it never closes a case or lowers a response, and every change is
kept as history. The rule itself is in ``indicator_rules`` (pure, reads no protected field).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from safehub.access.actor import Actor
from safehub.db.models import Agency, User
from safehub.db.models.practice import ChildIndicator, IndicatorAssessment
from safehub.db.queries import practice as q
from safehub.db.uow import UnitOfWork
from safehub.extracts.codes import INDICATOR_NAMES
from safehub.services.errors import NotFoundError
from safehub.services.practice.indicator_rules import (
    EVIDENCE,
    LevelInputs,
    SuggestedLevel,
    level_rank,
    suggest_level,
    youngest_age,
)

KINDS = {"indicator": INDICATOR_NAMES, "evidence": EVIDENCE}


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
    imported: list[q.ImportedIndicator]
    suggested: SuggestedLevel
    history: list[Assessment]


def require_child(uow: UnitOfWork, actor: Actor, person_id: int) -> None:
    """The child is on the actor's case work or known to their agency; otherwise not found."""
    if actor.user_id is None or not q.can_see_child(
        uow.session, person_id=person_id, user_id=actor.user_id, agency_id=actor.agency_id
    ):
        raise NotFoundError(f"child {person_id}")


def child_indicators(
    uow: UnitOfWork, *, actor: Actor, person_id: int, today: date | None = None
) -> ChildIndicators:
    """The checklist as recorded, the agencies' indicators with their source, the suggested
    level with its reasons, and its history."""
    require_child(uow, actor, person_id)
    facts = q.child_facts(uow.session, person_id)
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


def _inputs(recorded: list[RecordedItem], facts: q.ChildFacts, age: int | None) -> LevelInputs:
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
    rows = uow.session.execute(
        select(ChildIndicator, User.display_name, Agency.name)
        .join(User, User.id == ChildIndicator.recorded_by_user_id)
        .join(Agency, Agency.id == ChildIndicator.recorded_by_agency_id)
        .where(ChildIndicator.person_id == person_id, ChildIndicator.withdrawn_at.is_(None))
        .order_by(ChildIndicator.kind, ChildIndicator.code, ChildIndicator.id)
    ).all()
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
        for i, name, agency in rows
    ]


def _history(uow: UnitOfWork, person_id: int) -> list[Assessment]:
    rows = list(
        uow.session.scalars(
            select(IndicatorAssessment)
            .where(IndicatorAssessment.person_id == person_id)
            .order_by(IndicatorAssessment.id)
        )
    )
    history, previous = [], None
    for row in rows:
        lower = previous is not None and level_rank(row.level) < level_rank(previous)
        name = SuggestedLevel(row.level).name
        history.append(
            Assessment(row.level, name, list(row.reasons), row.rule, row.created_at, lower)
        )
        previous = row.level
    return list(reversed(history))


def record_indicators(
    uow: UnitOfWork,
    *,
    actor: Actor,
    person_id: int,
    indicators: set[str],
    evidence: set[str],
    details: str = "",
    today: date | None = None,
) -> ChildIndicators:
    """Save the checklist as ticked: new items are recorded, items no longer ticked are
    withdrawn (kept, with who and when), and the suggested level is reassessed and kept."""
    require_child(uow, actor, person_id)
    unknown = (indicators - INDICATOR_NAMES.keys()) | (evidence - EVIDENCE.keys())
    if unknown:
        raise ValueError(f"unknown indicator or evidence: {', '.join(sorted(unknown))}")
    assert actor.user_id is not None and actor.agency_id is not None
    changed = _apply(
        uow,
        actor,
        person_id,
        {"indicator": indicators, "evidence": evidence},
        details.strip() or None,
    )
    view = child_indicators(uow, actor=actor, person_id=person_id, today=today)
    if changed or not view.history:
        uow.session.add(
            IndicatorAssessment(
                person_id=person_id,
                level=view.suggested.level,
                reasons=view.suggested.reasons,
                rule=view.suggested.rule,
                assessed_by_user_id=actor.user_id,
                inputs={
                    "indicators": sorted({i.code for i in view.recorded if i.kind == "indicator"}),
                    "evidence": sorted({i.code for i in view.recorded if i.kind == "evidence"}),
                    "imported": sorted({i.code for i in view.imported}),
                    "age_years": view.age_years,
                },
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
        view = child_indicators(uow, actor=actor, person_id=person_id, today=today)
    return view


def _apply(
    uow: UnitOfWork, actor: Actor, person_id: int, ticked: dict[str, set[str]], details: str | None
) -> int:
    assert actor.user_id is not None and actor.agency_id is not None
    current = list(
        uow.session.scalars(
            select(ChildIndicator).where(
                ChildIndicator.person_id == person_id, ChildIndicator.withdrawn_at.is_(None)
            )
        )
    )
    have = {(i.kind, i.code) for i in current}
    want = {(kind, code) for kind, codes in ticked.items() for code in codes}
    now = datetime.now(UTC)
    for item in current:
        if (item.kind, item.code) not in want:
            item.withdrawn_at, item.withdrawn_by_user_id = now, actor.user_id
            item.withdrawn_reason = details or "no longer ticked on the checklist"
    for kind, code in sorted(want - have):
        uow.session.add(
            ChildIndicator(
                person_id=person_id,
                kind=kind,
                code=code,
                details=details,
                recorded_by_user_id=actor.user_id,
                recorded_by_agency_id=actor.agency_id,
            )
        )
    uow.session.flush()
    return len(want ^ have)
