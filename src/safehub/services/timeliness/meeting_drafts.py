"""What a meeting, its record and its actions must hold: the kinds of meeting and of action,
and the typed inputs that the pages and the API both build, each validating itself once.

``problems()`` answers by field with messages that say how to put each right; the use cases in
``meetings`` add the checks that need the record (the case, the meeting's state, the owners)
and raise ``MeetingError`` with all of them.

>>> MeetingDraft("strategy_discussion", "Concerns", None, ()).problems()["when"]
'Enter the date and time of the meeting, for example 2 6 2026 and 10:00'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

MEETING_KINDS = {
    "strategy_discussion": "Strategy discussion",
    "initial_conference": "Initial child protection conference",
    "review_conference": "Review child protection conference",
    "multi_agency_meeting": "Multi-agency meeting",
}
ACTION_TYPES = {
    "task": "Task",
    "child_abduction_warning_notice": "Child abduction warning notice",
    "sexual_risk_order": "Sexual risk order",
    "sexual_harm_prevention_order": "Sexual harm prevention order",
    "closure_order": "Closure order for premises",
    "licence_review": "Licence review",
    "lado_referral": "Referral to the local authority designated officer (LADO)",
}
DISRUPTION_TYPES = frozenset(ACTION_TYPES) - {"task", "lado_referral"}


class MeetingError(ValueError):
    """Meeting input that cannot be used: ``errors`` says what to enter, by field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class MeetingDraft:
    """A meeting to plan: its kind, what it is about, when, and the agencies invited.

    ``scheduled_for`` is None when the date given was not a real date.
    """

    kind: str
    title: str
    scheduled_for: datetime | None
    agency_ids: tuple[int, ...]

    def problems(self) -> dict[str, str]:
        """Problems by field (empty when the meeting can be planned)."""
        errors: dict[str, str] = {}
        if self.kind not in MEETING_KINDS:
            errors["kind"] = "Select the type of meeting"
        if len(self.title.strip()) < 3:
            errors["title"] = "Enter what the meeting is about"
        if self.scheduled_for is None:
            errors["when"] = (
                "Enter the date and time of the meeting, for example 2 6 2026 and 10:00"
            )
        if not self.agency_ids:
            errors["agencies"] = "Select at least one agency to invite"
        return errors


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    """What happened at a meeting, as the chair records it.

    ``held_at`` is None when the date given was not a real date.
    """

    held_at: datetime | None
    attended_agency_ids: tuple[int, ...]
    information_shared: str
    decisions: str
    s47_initiated: bool | None = None
    # A person of concern discussed who works or volunteers with children (their role).
    works_with_children: str | None = None
    # Kept as written despite language flags, and why (the record's author decides).
    save_anyway: bool = False
    language_reason: str = ""

    def problems(self, *, now: datetime | None = None) -> dict[str, str]:
        """Problems by field (empty when the record can be kept); whether section 47 enquiries
        must be answered depends on the meeting, so ``meetings`` checks that."""
        errors: dict[str, str] = {}
        if self.held_at is None:
            errors["held_at"] = "Enter the date the meeting was held, for example 2 6 2026"
        elif self.held_at > (now or datetime.now(UTC)):
            errors["held_at"] = "The date the meeting was held must be today or in the past"
        if not self.attended_agency_ids:
            errors["attended"] = "Select the agencies that attended"
        if len(self.information_shared.strip()) < 5:
            errors["information_shared"] = "Enter the information each agency shared"
        if len(self.decisions.strip()) < 5:
            errors["decisions"] = "Enter the decisions the meeting made"
        return errors


@dataclass(frozen=True, slots=True)
class ActionDraft:
    """An action agreed at a meeting: its type, what it is, who owns it and when it is due.

    ``owner_agency_id`` and ``due_on`` are None when none (or no real date) was given.
    """

    action_type: str
    description: str
    owner_agency_id: int | None
    owner_user_id: int | None
    due_on: date | None
    # Kept as written despite language flags, and why (the action's author decides).
    save_anyway: bool = False
    language_reason: str = ""

    def problems(self) -> dict[str, str]:
        """Problems by field (empty when the action can be added to a meeting)."""
        errors: dict[str, str] = {}
        if self.action_type not in ACTION_TYPES:
            errors["action_type"] = "Select the type of action"
        if len(self.description.strip()) < 5:
            errors["description"] = "Describe the action"
        if self.owner_agency_id is None:
            errors["owner_agency_id"] = "Select the agency that owns the action"
        if self.due_on is None:
            errors["due_on"] = "Enter the date the action is due, for example 9 6 2026"
        return errors
