"""What the data protection officer sees: who looked at a child, a user's accesses, unusual access."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta

from safehub.db.queries import agencies as aq
from safehub.db.queries import audit as q
from safehub.db.queries.audit import AccessEntry as AccessEntry
from safehub.db.queries.audit import UnusualAccess as UnusualAccess
from safehub.db.uow import UnitOfWork
from safehub.services.exports.documents import ExportFile, csv_bytes

# Viewing more than this many people in a day is worth a second look (tunable per deployment).
UNUSUAL_PEOPLE_PER_DAY = 40


def who_looked_at(
    uow: UnitOfWork, *, person_id: int, purpose: str = "data protection oversight"
) -> list[AccessEntry]:
    """Every access to a child's records and to the cases they are on."""
    cases = q.list_cases_of_child(uow.session, person_id)
    entries = q.list_accesses_to_person(uow.session, person_id, cases)
    uow.audit("consultation", "audit_log", [f"person:{person_id}"], purpose=purpose)
    return entries


def access_report(
    uow: UnitOfWork, *, staff_user_id: int, purpose: str = "data protection oversight"
) -> list[AccessEntry]:
    """What one member of staff has looked at (the DPO's view of another user)."""
    entries = q.list_accesses_by_actor(uow.session, f"user:{staff_user_id}:")
    uow.audit("consultation", "audit_log", [f"user:{staff_user_id}"], purpose=purpose)
    return entries


def unusual_access(
    uow: UnitOfWork, *, days: int = 7, now: datetime | None = None
) -> list[UnusualAccess]:
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    found = q.list_unusual_access(uow.session, since=since, people_per_day=UNUSUAL_PEOPLE_PER_DAY)
    uow.audit("consultation", "audit_log", ["unusual_access"], purpose="data protection oversight")
    return found


# -- the audit log, browsed and exported -------------------------------------------------------

AUDIT_PAGE_SIZE = 50
AUDIT_EXPORT_LIMIT = 100_000  # a larger export is narrowed with the filters first
# What each logged action means, in the words the DPO's page uses.
AUDIT_ACTIONS = {
    "consultation": "Looked at",
    "collection": "Recorded",
    "alteration": "Changed",
    "combination": "Linked or merged",
    "disclosure": "Shared or exported",
    "erasure": "Erased",
}


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """The DPO's filters, already parsed (the form names any field it could not read)."""

    person: int | None = None
    user: int | None = None
    agency: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def described(self) -> dict[str, str]:
        """The filters that are set, for the audit entry of the look itself."""
        return {k: str(v) for k, v in asdict(self).items() if v not in (None, "")}


@dataclass(frozen=True, slots=True)
class AuditPage:
    rows: list[q.AuditRow]
    total: int
    page: int
    pages: int


def _filters(uow: UnitOfWork, query: AuditQuery) -> q.AuditFilters:
    cases = q.list_cases_of_child(uow.session, query.person) if query.person is not None else []
    return q.AuditFilters(
        query.person,
        tuple(cases),
        query.user,
        query.agency,
        query.action,
        query.date_from,
        query.date_to,
    )


def browse_audit_log(
    uow: UnitOfWork, *, query: AuditQuery, page: int = 1, per_page: int = AUDIT_PAGE_SIZE
) -> AuditPage:
    """One page of the audit log, newest first, filtered; the look is itself logged."""
    filters = _filters(uow, query)
    total = q.count_audit_events(uow.session, filters)
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = q.list_audit_events(uow.session, filters, limit=per_page, offset=(page - 1) * per_page)
    uow.audit(
        "consultation",
        "audit_log",
        [f"person:{query.person}"] if query.person is not None else ["audit_log"],
        purpose="data protection oversight",
        detail={"filters": query.described(), "page": page, "results": total},
    )
    return AuditPage(rows, total, page, pages)


def export_audit_log(uow: UnitOfWork, *, query: AuditQuery) -> ExportFile:
    """The filtered audit log as CSV (newest first). Taking a copy out is a disclosure, logged
    with the filters it was made with before the file leaves."""
    rows = q.list_audit_events(uow.session, _filters(uow, query), limit=AUDIT_EXPORT_LIMIT)
    header = ["when", "who", "user_label", "agency", "action", "what", "ids", "why", "from"]
    body = [
        [
            r.at.isoformat(),
            r.user_name or "",
            r.actor,
            r.agency_name or "",
            AUDIT_ACTIONS.get(r.action, r.action),
            r.object_type.replace("_", " "),
            " ".join(str(i) for i in r.object_ids),
            r.purpose,
            r.source or "",
        ]
        for r in rows
    ]
    uow.audit(
        "disclosure",
        "audit_log",
        [f"person:{query.person}"] if query.person is not None else ["audit_log"],
        purpose="audit log export",
        detail={"filters": query.described(), "rows": len(rows)},
    )
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return ExportFile(f"safehub-audit-{stamp}.csv", "text/csv", csv_bytes([header, *body]))


def list_agency_choices(uow: UnitOfWork) -> list[tuple[str, str]]:
    """(code, name) of every agency, by name: the agency filter's choices."""
    return [(a.code, a.name) for a in aq.list_agencies(uow.session, order_by="name")]
