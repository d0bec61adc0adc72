"""Staff triage of community reports: the queue, one report, a question to the reporter.

Only safeguarding leads (``Permission.TRIAGE_COMMUNITY_REPORTS``) see reports, and row-level
security says the same. Where and when are blurred (the postcode district, the week) unless the
reporter agreed that staff may see the exact place and day: a neighbour's exact time and
doorstep can say who reported. What a report names is matched against what agencies hold
(``matching``) by the match job and read as stored (``stored_matches``); the queue is ordered
by rules that say why (``priority``); neither ever goes back to the reporter. A lead may give a report to a colleague who triages too.

>>> postcode_district("LS1 4AB"), postcode_district("BD74AB")
('LS1', 'BD7')
>>> week_of(date(2026, 3, 5))
'the week of 2 March 2026'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from safehub.access import Permission, can
from safehub.access.policy import roles_with
from safehub.db.queries import community as q
from safehub.db.queries.community import MessageRow, ReportRow
from safehub.db.uow import UnitOfWork
from safehub.services.community.matching import MatchEvidence
from safehub.services.community.priority import order
from safehub.services.community.reporter import MESSAGE_LIMIT
from safehub.services.community.reports import ABOUT, SEEN_TIMES, SIGNS
from safehub.services.community.stored_matches import read_stored_matches
from safehub.services.errors import ForbiddenError, NotFoundError, RefusedError
from safehub.services.practice.saved_anyway import checked_or_held

STATUSES = {"received": "Received", "in_review": "Being looked at", "closed": "Closed"}
# Set by a conversion only, never chosen as a status.
CONVERTED = "Converted"
CONVERTED_INTO = {
    "record": "the shared record as a community report",
    "referral": "a referral",
    "case_note": "a case note",
}
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
    reasons: tuple[str, ...] = ()  # the priority rules that placed it
    assigned_to: str | None = None
    assigned_to_user_id: int | None = None
    converted: Conversion | None = None
    matches: int = 0

    @property
    def status_words(self) -> str:
        return CONVERTED if self.status == "converted" else STATUSES[self.status]


@dataclass(frozen=True, slots=True)
class Conversion:
    """What a report became, and where to see it."""

    kind: str
    ref: str
    href: str | None

    @property
    def words(self) -> str:
        return CONVERTED_INTO[self.kind]


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
    matches: list[MatchEvidence]
    # When the match job last matched the report (None: not yet, it is new).
    matched_at: datetime | None = None


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


def _summary(row: ReportRow, reasons: tuple[str, ...] = (), matches: int = 0) -> ReportSummary:
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
        reasons,
        row.assigned_to,
        row.assigned_to_user_id,
        _conversion(row),
        matches,
    )


_CONVERTED_HREF = {
    "referral": "/referrals/{id}/sent",
    "case_note": "/notes/{id}",
}


def _conversion(row: ReportRow) -> Conversion | None:
    if row.converted_kind is None or row.converted_ref is None:
        return None
    href = _CONVERTED_HREF.get(row.converted_kind)
    return Conversion(
        row.converted_kind,
        row.converted_ref,
        href.format(id=row.converted_id) if href and row.converted_id else None,
    )


def _received_on(at: datetime) -> date:
    return at.date()  # the day only: the minute a report arrived can say who sent it


def list_community_reports(
    uow: UnitOfWork, *, status: str | None = None, mine: bool = False
) -> list[ReportSummary]:
    """The queue in the order of the priority rules, each row with the rules that placed it;
    ``mine``: only the reports assigned to the acting lead."""
    _require(uow)
    if status is not None and status not in (*STATUSES, "converted"):
        raise RefusedError({"status": f"Choose a status from: {', '.join(STATUSES)}, converted"})
    rows = q.list_reports(
        uow.session, status=status, assigned_to=uow.actor.user_id if mine else None
    )
    uow.audit(
        "consultation",
        "community_report",
        [r.report_id for r in rows],
        purpose="triage of community reports",
    )
    stored = read_stored_matches(
        uow, [r.report_id for r in rows if r.status not in ("closed", "converted")]
    )
    matches = {report_id: s.evidence for report_id, s in stored.items() if s.evidence}
    placed = order(rows, matches, q.list_report_namings(uow.session))
    return [_summary(r, p.reasons, len(matches.get(r.report_id, []))) for r, p in placed]


def view_community_report(uow: UnitOfWork, *, report_id: int) -> StaffReportView:
    _require(uow)
    row = q.get_report(uow.session, report_id)
    if row is None:
        raise NotFoundError(f"no community report {report_id}")
    uow.audit(
        "consultation", "community_report", [report_id], purpose="triage of a community report"
    )
    stored = read_stored_matches(uow, [report_id]).get(report_id)
    matches = stored.evidence if stored else []
    ((_, placed),) = order([row], {report_id: matches}, q.list_report_namings(uow.session))
    return StaffReportView(
        summary=_summary(row, placed.reasons, len(matches)),
        what_seen=row.what_seen,
        signs=[SIGNS[s] for s in row.signs if s in SIGNS],
        seen=_seen(row),
        place_description=row.place_description,
        identifiers=_identifiers(row),
        reporter=_reporter(row),
        exact=row.share_exact,
        messages=q.list_report_messages(uow.session, report_id),
        matches=matches,
        matched_at=stored.matched_at if stored else None,
    )


def _identifiers(row: ReportRow) -> dict[str, str]:
    named = {
        "Vehicle registration": row.vehicle_registration,
        "Phone number": row.phone,
        "Username or profile": row.online_handle,
        "Their name": row.subject_name,
        "Their age or date of birth": row.subject_age,
        "Anything else": row.other_identifier,
    }
    return {label: value for label, value in named.items() if value}


def _reporter(row: ReportRow) -> str:
    told = [v for v in (row.reporter_name, row.reporter_contact) if v]
    return ", ".join(told) if told else "Anonymous"


def ask_reporter(
    uow: UnitOfWork,
    *,
    report_id: int,
    question: str,
    save_anyway: bool = False,
    language_reason: str = "",
) -> None:
    """A question the reporter reads when they come back with their reference and phrase. The
    report is then being looked at. The question is about a child and is read by a member of the
    public, so the language checker holds blaming words back (``LanguageHeldError``) unless its
    author saves it anyway with ``language_reason``, kept with the question."""
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
    check = checked_or_held(
        uow, text=text, reason=language_reason, save_anyway=save_anyway, what="question"
    )
    q.insert_hub_message(
        uow.session,
        report_id,
        text,
        uow.actor.user_id,
        flags=check.flags or None,
        reason=check.reason,
    )
    if row.status == "received":
        q.set_report_status(uow.session, report_id, "in_review")
    uow.mark_changed()
    uow.audit("alteration", "community_report", [report_id], purpose="question to the reporter")


def set_community_report_status(uow: UnitOfWork, *, report_id: int, status: str) -> None:
    """Being looked at, or closed: the reporter sees it in plain words when they come back."""
    _require(uow)
    if status not in STATUSES:
        raise RefusedError({"status": "Select what is happening with the report"})
    row = q.get_report(uow.session, report_id)
    if row is None:
        raise NotFoundError(f"no community report {report_id}")
    if row.status == "converted":
        raise RefusedError({"status": "The report has been converted: its status stays converted"})
    q.set_report_status(uow.session, report_id, status)
    uow.mark_changed()
    uow.audit("alteration", "community_report", [report_id], purpose=f"report {status}")


def triage_colleagues(uow: UnitOfWork) -> list[tuple[int, str]]:
    """The active staff a report can be given to: those who triage community reports."""
    _require(uow)
    roles = sorted(roles_with(Permission.TRIAGE_COMMUNITY_REPORTS))
    return [
        (user_id, f"{name} ({agency})" if agency else name)
        for user_id, name, agency in q.list_triage_colleagues(uow.session, roles)
    ]


def assign_community_report(uow: UnitOfWork, *, report_id: int, user_id: int | None) -> None:
    """Give a report to a colleague who triages too (``None``: to nobody)."""
    _require(uow)
    if user_id is not None and user_id not in {u for u, _ in triage_colleagues(uow)}:
        raise RefusedError({"assign": "Select a colleague who triages community reports"})
    row = q.get_report(uow.session, report_id)
    if row is None:
        raise NotFoundError(f"no community report {report_id}")
    q.set_assignment(uow.session, report_id, user_id)
    if row.status == "received" and user_id is not None:
        q.set_report_status(uow.session, report_id, "in_review")
    uow.mark_changed()
    uow.audit(
        "alteration",
        "community_report",
        [report_id],
        purpose="report assigned" if user_id else "report unassigned",
        detail={"assigned_to_user_id": user_id},
    )
