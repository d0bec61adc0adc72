"""Inboxes: a user's own work and their team's, ordered by urgency.

Overdue first, then due today, due soon and on track: the order of the due day (and due time for
hours clocks), which the inbox index serves directly, so a page is an index walk with a limit
however much work the database holds. The state of each item shown is computed by the rule
engine for that page only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from safehub.db.models.timeliness import Clock
from safehub.db.queries import timeliness as q
from safehub.db.uow import UnitOfWork
from safehub.services.casework.people import name_people
from safehub.services.errors import NotFoundError
from safehub.services.timeliness.rules import (
    DEADLINE_RULE,
    clock_status,
    current_rulebook,
    rule_for,
    working_calendar,
)
from safehub.timescales import DEFAULT_DUE_SOON_WORKING_DAYS, Unit, local_date

SCOPES = ("mine", "team")
PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class InboxItem:
    clock_id: int
    title: str
    rule_id: str
    rule_description: str
    statutory: bool
    due: date | datetime
    state: str
    overdue_by: int
    remaining: int
    counted_in: Unit
    needs_reason: bool
    overrun_reason: str | None
    escalation_level: int
    owner: str | None
    link: str | None
    # The children the work is about, as the user may name them ("Ayesha Hussein (14)").
    children: tuple[str, ...] = ()

    @property
    def about(self) -> str:
        """Whom the work is about, for a heading or a link."""
        return ", ".join(self.children) or "No child named"


@dataclass(frozen=True, slots=True)
class Inbox:
    scope: str
    items: list[InboxItem]
    counts: dict[str, int]
    page: int
    has_team: bool

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def view_inbox(
    uow: UnitOfWork,
    *,
    scope: str = "mine",
    page: int = 1,
    now: datetime | None = None,
    page_size: int = PAGE_SIZE,
) -> Inbox:
    """The actor's own open work (``mine``) or their team's (``team``), most urgent first."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    now = now or datetime.now(UTC)
    page = max(page, 1)
    actor = uow.actor
    user_id = actor.user_id if scope == "mine" else None
    team_id = actor.team_id if scope == "team" else None
    if scope == "team" and team_id is None:
        return Inbox(scope, [], {}, page, False)
    rows = q.list_inbox_rows(
        uow.session,
        user_id=user_id,
        team_id=team_id,
        limit=page_size,
        offset=(page - 1) * page_size,
    )
    today = local_date(now)
    soon = working_calendar("england").add_working_days(today, DEFAULT_DUE_SOON_WORKING_DAYS)
    counts = q.count_inbox(
        uow.session, user_id=user_id, team_id=team_id, today=today, soon_until=soon, now=now
    )
    items = with_children(uow, _items(uow, rows, now))
    uow.audit("consultation", "inbox", [i.clock_id for i in items], purpose=f"inbox ({scope})")
    return Inbox(scope, items, counts, page, actor.team_id is not None)


def _items(uow: UnitOfWork, rows: list[q.InboxRow], now: datetime) -> list[InboxItem]:
    book = current_rulebook(uow)
    items = []
    for row in rows:
        rule = rule_for(book, row.jurisdiction, row.rule_id)
        status = clock_status(row, rule=rule, now=now)
        items.append(
            InboxItem(
                row.clock_id,
                row.title,
                row.rule_id,
                rule.description,
                rule.statutory,
                status.due,
                status.state.value,
                status.overdue_by,
                status.remaining,
                status.counted_in,
                status.needs_reason,
                row.overrun_reason,
                row.escalation_level,
                row.owner_user,
                _link(row),
            )
        )
    return items


def with_children(uow: UnitOfWork, items: list[InboxItem]) -> list[InboxItem]:
    """The items with the names (and ages) of the children they are about, as far as the
    user may know them."""
    children = q.list_clock_children(uow.session, [i.clock_id for i in items])
    labels = name_people(uow, person_ids=[p for found in children.values() for p in found])
    return [
        replace(i, children=tuple(labels[p].text for p in children.get(i.clock_id, [])))
        for i in items
    ]


def _link(row: q.InboxRow) -> str | None:
    if row.case_id is not None:
        return f"/cases/{row.case_id}"
    return None


def view_inbox_clock(uow: UnitOfWork, *, clock_id: int, now: datetime | None = None) -> InboxItem:
    """One clock of the actor's agency, with its state (for recording done or a reason)."""
    clock = uow.session.get(Clock, clock_id)
    if clock is None or clock.owner_agency_id != uow.actor.agency_id:
        raise NotFoundError(f"clock {clock_id}")
    now = now or datetime.now(UTC)
    rule = rule_for(current_rulebook(uow), clock.jurisdiction, clock.rule_id)
    status = clock_status(clock, rule=rule, now=now)
    uow.audit("consultation", "clock", [clock_id], purpose="own work")
    item = InboxItem(
        clock.id,
        clock.title,
        clock.rule_id,
        rule.description,
        rule.statutory,
        status.due,
        status.state.value,
        status.overdue_by,
        status.remaining,
        status.counted_in,
        status.needs_reason,
        clock.overrun_reason,
        clock.escalation_level,
        None,
        f"/cases/{clock.case_id}" if clock.case_id else None,
    )
    return with_children(uow, [item])[0]


def is_deadline(item: InboxItem) -> bool:
    return item.rule_id == DEADLINE_RULE
