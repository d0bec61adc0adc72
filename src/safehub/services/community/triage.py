"""Staff triage of community reports: the queue, one report, a question to the reporter.

Only safeguarding leads (``Permission.TRIAGE_COMMUNITY_REPORTS``) see reports, and row-level
security says the same. Where and when are blurred (the postcode district, the week) unless the
reporter agreed that staff may see the exact place and day: a neighbour's exact time and
doorstep can say who reported. A match of a report's identifiers against agency records is
for a later step; it never goes back to the reporter.

>>> postcode_district("LS1 4AB"), postcode_district("BD74AB")
('LS1', 'BD7')
>>> week_of(date(2026, 3, 5))
'the week of 2 March 2026'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from safehub.access import Permission, can
from safehub.db.queries import community as q
from safehub.db.queries.community import MessageRow, ReportRow
from safehub.db.uow import UnitOfWork
from safehub.services.community.reporter import MESSAGE_LIMIT
from safehub.services.community.reports import ABOUT, SEEN_TIMES, SIGNS
from safehub.services.errors import ForbiddenError, NotFoundError, RefusedError

STATUSES = {"received": "Received", "in_review": "Being looked at", "closed": "Closed"}
URGENCY = {"urgent": "Urgent", "high": "High", "routine": "Routine"}


def postcode_district(postcode: str) -> str:
    """The outward code: the part before the space (the inward code is always 3 characters)."""
    compact = postcode.replace(" ", "").upper()
    return compact[:-3] if len(compact) > 3 else compact


def week_of(day: date) -> str:
    monday = day - timedelta(days=day.weekday())
    return f"the week of {monday.day} {monday.strftime('%B %Y')}"


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """A row of the queue."""

    report_id: int
    reference: str
    about: str
    urgency: str
    status: str
    received_on: date
    area: str | None
    messages: int
    waiting_reply: bool


@dataclass(frozen=True, slots=True)
class StaffReportView:
    summary: ReportSummary
    what_seen: str
    signs: list[str]
    seen: str | None  # exact day and time of day, or the week
    place_description: str | None
    identifiers: dict[str, str]
    reporter: str  # "Anonymous", or what they told us
    exact: bool  # the reporter agreed staff may see the exact place and day
    messages: list[MessageRow]


def _require(uow: UnitOfWork) -> None:
    if not can(uow.actor, Permission.TRIAGE_COMMUNITY_REPORTS):
        raise ForbiddenError("only safeguarding leads triage community reports")


def _area(row: ReportRow) -> str | None:
    if not row.place_postcode:
        return None
    return row.place_postcode if row.share_exact else postcode_district(row.place_postcode)


def _seen(row: ReportRow) -> str | None:
    if row.seen_on is None:
        return SEEN_TIMES.get(row.seen_time or "") if row.share_exact else None
    if not row.share_exact:
        return week_of(row.seen_on)
    time = f", {SEEN_TIMES[row.seen_time].lower()}" if row.seen_time in SEEN_TIMES else ""
    return f"{row.seen_on.day} {row.seen_on.strftime('%B %Y')}{time}"


def _summary(row: ReportRow) -> ReportSummary:
    return ReportSummary(
        row.report_id,
        row.reference,
        ABOUT[row.about],
        row.urgency,
        row.status,
        _received_on(row.received_at),
        _area(row),
        row.messages,
        row.waiting_reply,
    )


def _received_on(at: datetime) -> date:
    return at.date()  # the day only: the minute a report arrived can say who sent it


def list_community_reports(uow: UnitOfWork, *, status: str | None = None) -> list[ReportSummary]:
    """The queue: open reports first, urgent first, oldest first."""
    _require(uow)
    if status is not None and status not in STATUSES:
        raise RefusedError({"status": f"Choose a status from: {', '.join(STATUSES)}"})
    rows = q.list_reports(uow.session, status=status)
    uow.audit(
        "consultation",
        "community_report",
        [r.report_id for r in rows],
        purpose="triage of community reports",
    )
    return [_summary(r) for r in rows]


def view_community_report(uow: UnitOfWork, *, report_id: int) -> StaffReportView:
    _require(uow)
    row = q.get_report(uow.session, report_id)
    if row is None:
        raise NotFoundError(f"no community report {report_id}")
    uow.audit(
        "consultation", "community_report", [report_id], purpose="triage of a community report"
    )
    return StaffReportView(
        summary=_summary(row),
        what_seen=row.what_seen,
        signs=[SIGNS[s] for s in row.signs if s in SIGNS],
        seen=_seen(row),
        place_description=row.place_description,
        identifiers=_identifiers(row),
        reporter=_reporter(row),
        exact=row.share_exact,
        messages=q.list_report_messages(uow.session, report_id),
    )


def _identifiers(row: ReportRow) -> dict[str, str]:
    named = {
        "Vehicle registration": row.vehicle_registration,
        "Phone number": row.phone,
        "Username or profile": row.online_handle,
        "Anything else": row.other_identifier,
    }
    return {label: value for label, value in named.items() if value}


def _reporter(row: ReportRow) -> str:
    told = [v for v in (row.reporter_name, row.reporter_contact) if v]
    return ", ".join(told) if told else "Anonymous"


def ask_reporter(uow: UnitOfWork, *, report_id: int, question: str) -> None:
    """A question the reporter reads when they come back with their reference and phrase. The
    report is then being looked at."""
    _require(uow)
    text = question.strip()
    if not text:
        raise RefusedError({"question": "Enter the question for the reporter"})
    if len(text) > MESSAGE_LIMIT:
        raise RefusedError(
            {"question": f"The question must be {MESSAGE_LIMIT:,} characters or fewer"}
        )
    row = q.get_report(uow.session, report_id)
    if row is None:
        raise NotFoundError(f"no community report {report_id}")
    q.insert_hub_message(uow.session, report_id, text, uow.actor.user_id)
    if row.status == "received":
        q.set_report_status(uow.session, report_id, "in_review")
    uow.mark_changed()
    uow.audit("alteration", "community_report", [report_id], purpose="question to the reporter")


def set_community_report_status(uow: UnitOfWork, *, report_id: int, status: str) -> None:
    """Being looked at, or closed: the reporter sees it in plain words when they come back."""
    _require(uow)
    if status not in STATUSES:
        raise RefusedError({"status": "Select what is happening with the report"})
    if q.get_report(uow.session, report_id) is None:
        raise NotFoundError(f"no community report {report_id}")
    q.set_report_status(uow.session, report_id, status)
    uow.mark_changed()
    uow.audit("alteration", "community_report", [report_id], purpose=f"report {status}")
