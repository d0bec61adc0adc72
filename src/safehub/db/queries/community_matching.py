"""SQL of matching community reports against what agencies hold.

Every query here is run as a system step (the match looks across the partnership, as the intake
check does) and so filters what row-level security would otherwise hide: restricted people and
restricted mentions never count, and community report records themselves (a report added to
the shared record) are not an agency's holding. Only the existence of a holding comes back, with
the agency to contact: never a record's content.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class Holding:
    """One agency's holding that a probe (a report's identifier) matched."""

    probe: int
    person_id: int | None  # None for a place (the postcode of a record)
    agency_id: int
    agency_name: str
    of_concern: bool  # an adult of concern (suspect or associate) in the candidate index
    group_code: str | None  # the person's group in the latest network analysis


@dataclass(frozen=True, slots=True)
class NamedCandidate:
    person_id: int
    agency_id: int
    agency_name: str
    features: dict[str, Any]
    of_concern: bool


# Each person's group in the latest finished network analysis.
_LATEST = """
latest AS (SELECT gm.person_id, min(g.code) AS code FROM network_group_member gm
           JOIN network_group g ON g.id = gm.group_id
           WHERE g.run_id = (SELECT max(id) FROM network_run WHERE status = 'succeeded')
           GROUP BY gm.person_id)
"""
_HELD = """
  JOIN person_mention m ON m.id = pi.mention_id AND m.current AND NOT m.restricted
  JOIN agency_record r ON r.id = m.record_id AND r.record_type <> 'community_report'
  JOIN agency_person ap ON ap.id = m.agency_person_id AND NOT ap.restricted
  JOIN agency a ON a.id = ap.agency_id
  LEFT JOIN identity_candidate c ON c.agency_person_id = ap.id
  LEFT JOIN latest l ON l.person_id = ap.person_id
"""
_SELECT = "SELECT q.probe, ap.person_id, a.id, a.name, coalesce(c.of_concern, false), l.code"

_IDENTIFIERS = f"""
WITH q AS (SELECT * FROM unnest(CAST(:probes AS int[]), CAST(:kinds AS text[]),
                                CAST(:vals AS text[])) AS q(probe, kind, value)),
{_LATEST}
{_SELECT}
FROM q JOIN person_identifier pi ON pi.kind = q.kind AND pi.normalised = q.value
{_HELD}
UNION
{_SELECT}
FROM q JOIN person_identifier pi ON pi.kind = 'handle' AND q.kind = 'handle'
  AND strpos(q.value, ':') = 0 AND split_part(pi.normalised, ':', 2) = q.value
{_HELD}
"""

_PLACES = f"""
WITH q AS (SELECT * FROM unnest(CAST(:probes AS int[]), CAST(:vals AS text[])) AS q(probe, value)),
{_LATEST}
SELECT q.probe, CAST(NULL AS bigint), a.id, a.name,
  coalesce(bool_or(c.of_concern), false), min(l.code)
FROM q JOIN agency_record r ON r.location_postcode = q.value
  AND r.record_type <> 'community_report'
JOIN agency a ON a.id = r.agency_id
LEFT JOIN person_mention m ON m.record_id = r.id AND m.current AND NOT m.restricted
LEFT JOIN agency_person ap ON ap.id = m.agency_person_id AND NOT ap.restricted
LEFT JOIN identity_candidate c ON c.agency_person_id = ap.id
LEFT JOIN latest l ON l.person_id = ap.person_id
-- A record about anyone restricted is left out whole: its place may be their refuge.
WHERE NOT EXISTS (SELECT 1 FROM person_mention x JOIN agency_person xp ON xp.id = x.agency_person_id
                  WHERE x.record_id = r.id AND (x.restricted OR xp.restricted))
GROUP BY q.probe, a.id, a.name
"""


def list_identifier_holdings(
    session: Session, probes: Sequence[tuple[int, str, str]]
) -> list[Holding]:
    """Holdings of people whose records carry one of these (probe, kind, normalised value);
    a handle given without its platform matches that handle on any platform."""
    if not probes:
        return []
    rows = session.execute(
        text(_IDENTIFIERS),
        {
            "probes": [p for p, _, _ in probes],
            "kinds": [k for _, k, _ in probes],
            "vals": [v for _, _, v in probes],
        },
    ).all()
    return [Holding(*r) for r in rows]


def list_place_holdings(session: Session, probes: Sequence[tuple[int, str]]) -> list[Holding]:
    """Agencies holding records whose place has one of these (probe, normalised postcode)."""
    if not probes:
        return []
    rows = session.execute(
        text(_PLACES),
        {"probes": [p for p, _ in probes], "vals": [v for _, v in probes]},
    ).all()
    return [Holding(*r) for r in rows]


def list_named_candidates(
    session: Session, keys: Sequence[str], *, cap: int, limit: int
) -> list[NamedCandidate]:
    """People sharing blocking keys with a name and date of birth, from the candidate index:
    adults of concern included (a report is often about one), restricted people never."""
    rows = session.execute(
        text(
            """
            WITH hits AS (
              SELECT k.ap, count(*) AS n FROM unnest(CAST(:keys AS text[])) AS q(key)
              CROSS JOIN LATERAL (
                SELECT b.agency_person_id AS ap FROM identity_block_key b
                WHERE b.key = q.key ORDER BY b.agency_person_id LIMIT :cap) k
              GROUP BY k.ap ORDER BY n DESC, k.ap LIMIT :limit)
            SELECT ap.person_id, a.id, a.name, c.features, c.of_concern
            FROM hits h JOIN identity_candidate c ON c.agency_person_id = h.ap
            JOIN agency_person ap ON ap.id = c.agency_person_id AND NOT ap.restricted
            JOIN agency a ON a.id = ap.agency_id
            WHERE c.matchable
              AND EXISTS (SELECT 1 FROM person_mention m JOIN agency_record r ON r.id = m.record_id
                          WHERE m.agency_person_id = ap.id AND m.current AND NOT m.restricted
                            AND r.record_type <> 'community_report')
            ORDER BY h.n DESC, ap.person_id
            """
        ),
        {"keys": list(keys), "cap": cap, "limit": limit},
    ).all()
    return [NamedCandidate(*r) for r in rows]


def list_group_codes(session: Session, person_ids: Sequence[int]) -> dict[int, str]:
    """The group of each person in the latest finished network analysis, if any."""
    rows = session.execute(
        text(
            "SELECT gm.person_id, min(g.code) FROM network_group_member gm "
            "JOIN network_group g ON g.id = gm.group_id "
            "WHERE gm.person_id = ANY(:ids) AND g.run_id = "
            "(SELECT max(id) FROM network_run WHERE status = 'succeeded') GROUP BY gm.person_id"
        ),
        {"ids": list(person_ids)},
    ).all()
    return {int(r[0]): str(r[1]) for r in rows}


# -- stored matches (migration 0028): the match job writes, the triage pages read ------------


def count_reports_unmatched(session: Session) -> int:
    """Reports whose matches were never stored (new since the match job last ran)."""
    return int(
        session.execute(
            text(
                "SELECT count(*) FROM community_report r WHERE NOT EXISTS "
                "(SELECT 1 FROM community_report_match x WHERE x.report_id = r.id)"
            )
        ).scalar_one()
    )


def has_open_reports(session: Session) -> bool:
    """Is any report open (not closed or converted): something a rematch would look at?"""
    return bool(
        session.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM community_report "
                "WHERE status NOT IN ('closed', 'converted'))"
            )
        ).scalar_one()
    )


def upsert_report_matches(
    session: Session, found: Sequence[tuple[int, list[dict[str, Any]]]], *, at: datetime
) -> None:
    """Store each report's evidence (an empty list: matched, nothing held), replacing the last."""
    if not found:
        return
    session.execute(
        text(
            "INSERT INTO community_report_match (report_id, matched_at, evidence) "
            "SELECT i, :at, CAST(e AS jsonb) FROM unnest(CAST(:ids AS bigint[]), "
            "CAST(:evidence AS text[])) AS f(i, e) "
            "ON CONFLICT (report_id) DO UPDATE SET matched_at = excluded.matched_at, "
            "evidence = excluded.evidence"
        ),
        {
            "ids": [report_id for report_id, _ in found],
            "evidence": [json.dumps(evidence) for _, evidence in found],
            "at": at,
        },
    )


def list_stored_matches(
    session: Session, report_ids: Sequence[int]
) -> dict[int, tuple[datetime, list[dict[str, Any]]]]:
    """When each report was matched and what it matched, for those that have been."""
    if not report_ids:
        return {}
    rows = session.execute(
        text(
            "SELECT report_id, matched_at, evidence FROM community_report_match "
            "WHERE report_id = ANY(:ids)"
        ),
        {"ids": list(report_ids)},
    ).all()
    return {int(r[0]): (r[1], list(r[2])) for r in rows}
