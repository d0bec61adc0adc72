"""The alert inbox a team works: one row per child or group (repeats folded, with a count), in
plain sentences, filtered, sorted and paged.

An alert about a child folds with the others of its kind about that child; a group alert with
the others of its kind about that group; anything else stands alone. A child is named only as
far as the records open to the user name them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from safehub.db.queries import alerts as q
from safehub.db.queries.alerts import AlertFilter as AlertFilter
from safehub.db.uow import UnitOfWork
from safehub.services.alerts.kinds import KIND_LABELS as KIND_LABELS
from safehub.services.alerts.kinds import kind_label
from safehub.services.alerts.views import STATUSES
from safehub.services.casework.people import PersonLabel, name_people

PAGE_SIZE = 25
SORTS = {
    "newest": "Newest first",
    "oldest": "Oldest first",
    "most": "Most alerts first",
    "name": "Name",
}


@dataclass(frozen=True, slots=True)
class AlertFold:
    """The alerts of one kind about one child or group: the newest first."""

    key: str
    kind: str
    title: str
    subject: str
    person_id: int | None
    group: str | None
    alerts: list[q.AlertRow]

    @property
    def ids(self) -> list[int]:
        return [a.id for a in self.alerts]

    @property
    def count(self) -> int:
        return len(self.alerts)

    @property
    def newest(self) -> q.AlertRow:
        return self.alerts[0]

    @property
    def statuses(self) -> list[str]:
        return sorted({a.status for a in self.alerts})

    @property
    def sources(self) -> list[str]:
        return sorted({a.owning_agency for a in self.alerts if a.owning_agency})

    @property
    def areas(self) -> list[str]:
        return sorted({a.area_name or a.area_code for a in self.alerts if a.area_code})

    @property
    def assignees(self) -> list[str]:
        return sorted({a.assigned_to for a in self.alerts if a.assigned_to})


@dataclass(frozen=True, slots=True)
class AlertInbox:
    folds: list[AlertFold]
    total: int
    page: int
    pages: int
    kinds: list[tuple[str, str]] = field(default_factory=list)
    sources: list[tuple[int, str]] = field(default_factory=list)
    areas: list[tuple[str, str]] = field(default_factory=list)
    staff: list[tuple[int, str]] = field(default_factory=list)


def view_alert_inbox(
    uow: UnitOfWork,
    *,
    wanted: AlertFilter,
    sort: str = "newest",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> AlertInbox:
    """The actor's agency's alerts, folded by child or group, sorted and paged."""
    agency = uow.actor.agency_id
    rows = q.list_alert_rows(uow.session, agency, wanted)
    labels = name_people(uow, person_ids=[r.person_id for r in rows if r.person_id])
    folds = _sorted(_fold(rows, labels), sort)
    pages = max(1, -(-len(folds) // page_size))
    page = min(max(page, 1), pages)
    shown = folds[(page - 1) * page_size : page * page_size]
    uow.audit(
        "consultation",
        "alert_list",
        [i for f in shown for i in f.ids],
        purpose="own alerts",
        detail={"people": sorted({f.person_id for f in shown if f.person_id})},
    )
    sources = q.list_alert_sources(uow.session, agency)
    return AlertInbox(
        shown,
        len(folds),
        page,
        pages,
        [(k, kind_label(k)) for k in q.list_alert_kinds(uow.session, agency)],
        [(s[0], s[1]) for s in sources],
        sorted({(s[2], s[3] or s[2]) for s in sources if s[2]}, key=lambda a: a[1]),
        q.list_agency_staff(uow.session, agency),
    )


def _fold(rows: list[q.AlertRow], labels: dict[int, PersonLabel]) -> list[AlertFold]:
    folds: dict[str, list[q.AlertRow]] = {}
    for row in rows:
        folds.setdefault(_key(row), []).append(row)
    return [_one(key, alerts, labels) for key, alerts in folds.items()]


def _key(row: q.AlertRow) -> str:
    if row.person_id is not None:
        return f"{row.kind}:person:{row.person_id}"
    if row.group:
        return f"{row.kind}:group:{row.group}"
    return f"alert:{row.id}"


def _one(key: str, alerts: list[q.AlertRow], labels: dict[int, PersonLabel]) -> AlertFold:
    first = alerts[0]
    if first.person_id is not None:
        label = labels.get(first.person_id)
        subject = label.text if label else "A person whose name is not open to you"
        if first.sealed and not (label and label.name):
            subject = "A child known to another agency"
    elif first.group:
        subject = f"Group {first.group}"
    else:
        subject = "No one named"
    return AlertFold(key, first.kind, first.title, subject, first.person_id, first.group, alerts)


def _sorted(folds: list[AlertFold], sort: str) -> list[AlertFold]:
    if sort == "oldest":
        return sorted(folds, key=lambda f: (f.alerts[-1].created_at, f.alerts[-1].id))
    if sort == "most":
        return sorted(folds, key=lambda f: (-f.count, -f.newest.created_at.timestamp()))
    if sort == "name":
        return sorted(folds, key=lambda f: (f.subject.lower(), f.key))
    return sorted(folds, key=lambda f: (f.newest.created_at, f.newest.id), reverse=True)


def plain_sentences(uow: UnitOfWork, sentences: list[str]) -> list[str]:
    """An alert's reasons with agency and area names where the rules wrote their codes, and
    dates as GOV.UK writes them."""
    words = q.get_agency_vocabulary(uow.session)
    if not words:
        return sentences
    codes = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(c) for c in sorted(words, key=len, reverse=True))
        + r")(?:(/)|(?![\w-]))"
    )
    said = []
    for sentence in sentences:
        sentence = codes.sub(lambda m: words[m.group(1)] + (" " if m.group(2) else ""), sentence)
        said.append(re.sub(r"\b0(\d) (?=[A-Z][a-z]+ \d{4})", r"\1 ", sentence))
    return said


def whole_number(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def read_filter(query: Mapping[str, str], user_id: int | None) -> AlertFilter:
    """A filter from what a form or an API query sends: ``status``, ``kind``, ``source`` (the
    agency whose record an alert rests on), ``area`` (its area code), ``raised_from`` and
    ``raised_to`` (YYYY-MM-DD), ``assigned`` ("me" or "none") and ``person``; anything not
    understood is no filter."""
    assigned = query.get("assigned", "")
    return AlertFilter(
        status=query.get("status") if query.get("status") in STATUSES else None,
        kind=query.get("kind") or None,
        owning_agency_id=whole_number(query.get("source")),
        area_code=query.get("area") or None,
        raised_from=parse_day(query.get("raised_from")),
        raised_to=parse_day(query.get("raised_to")),
        assigned_user_id=user_id if assigned == "me" else None,
        unassigned=assigned == "none",
        person_id=whole_number(query.get("person")),
    )


def parse_day(value: str | None) -> date | None:
    """A date typed as YYYY-MM-DD (what a date filter sends), or None for nothing or nonsense."""
    if not value:
        return None
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        return None
