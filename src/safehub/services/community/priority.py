"""The order of the community reports queue, by rules that say why.

A report is placed by the first rule that tells it apart from another, in this order:

1. the reporter said a child is in danger now;
2. it names someone agencies hold as an adult of concern, or someone in a group of the latest
   network analysis (``matching``);
3. the reporter said a child is missing from home or care;
4. more independent reports name the same vehicle, phone number, username or postcode (the
   more, the higher). Independent means another report from another reporter: a reporter coming
   back adds to their own report and never counts, and reports whose reporter gave the same
   name or contact details count once. Two anonymous reports cannot be told apart and count as
   two;
5. something it names matches what an agency holds;
6. the reporter said it keeps happening, or that adults give a child gifts or lifts;
7. then the oldest first.

Closed and converted reports come after every open one. Each row shows the rules that placed
it (``reasons``): the lead reads why, and can disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from safehub.db.queries.community import NamingRow, ReportRow
from safehub.extracts.identifiers import normalise_phone, normalise_postcode, normalise_vehicle
from safehub.services.community.matching import MatchEvidence

CLOSED = frozenset({"closed", "converted"})


@dataclass(frozen=True, slots=True)
class Priority:
    key: tuple[bool, bool, bool, bool, int, bool, bool, datetime, int]
    reasons: tuple[str, ...]


def namings(row: NamingRow | ReportRow) -> set[str]:
    """What a report names, normalised, as ``kind|value``."""
    found = set()
    for kind, value, normalise in (
        ("vehicle", row.vehicle_registration, normalise_vehicle),
        ("phone", row.phone, normalise_phone),
        ("postcode", row.place_postcode, normalise_postcode),
    ):
        normalised = normalise(value) if value else None
        if normalised:
            found.add(f"{kind}|{normalised}")
    if row.online_handle:
        found.add(f"handle|{row.online_handle.strip().lower().lstrip('@')}")
    return found


def reporter_key(row: NamingRow | ReportRow) -> str:
    """Who sent a report, as far as anyone can tell: the contact or name they gave, or the
    report itself (an anonymous reporter cannot be told from another)."""
    told = (row.reporter_contact or row.reporter_name or "").strip().lower()
    return f"told|{' '.join(told.split())}" if told else f"report|{row.report_id}"


def independent_reports(row: ReportRow, others: Sequence[NamingRow]) -> int:
    """How many other reporters' reports name something this report names."""
    mine = namings(row)
    if not mine:
        return 0
    own = reporter_key(row)
    reporters = {
        reporter_key(o)
        for o in others
        if o.report_id != row.report_id and namings(o) & mine and reporter_key(o) != own
    }
    return len(reporters)


def prioritise(row: ReportRow, matches: Sequence[MatchEvidence], independent: int) -> Priority:
    signs = set(row.signs)
    danger = "danger_now" in signs
    concern = any(m.of_concern or m.groups for m in matches)
    missing = "missing" in signs
    other_signs = bool(signs & {"regular", "gifts"})
    reasons = []
    if danger:
        reasons.append("A child is in danger now, the reporter said")
    if concern:
        reasons.append("Names someone held as of concern or in a network group")
    if missing:
        reasons.append("A child is missing from home or care, the reporter said")
    if independent:
        word = "report" if independent == 1 else "reports"
        reasons.append(f"{independent} other {word} from other reporters name the same")
    if matches and not concern:
        reasons.append("Names something agencies hold")
    if other_signs:
        reasons.append("It keeps happening, or a child is given gifts or lifts")
    key = (
        row.status in CLOSED,
        not danger,
        not concern,
        not missing,
        -independent,
        not matches,
        not other_signs,
        row.received_at,
        row.report_id,
    )
    return Priority(key, tuple(reasons) or ("No rule applies: in the order received",))


def order(
    rows: Sequence[ReportRow],
    matches: Mapping[int, Sequence[MatchEvidence]],
    others: Sequence[NamingRow],
) -> list[tuple[ReportRow, Priority]]:
    placed = [
        (r, prioritise(r, matches.get(r.report_id, ()), independent_reports(r, others)))
        for r in rows
    ]
    return sorted(placed, key=lambda pair: pair[1].key)
