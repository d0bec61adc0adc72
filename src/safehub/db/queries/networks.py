"""SQL for network intelligence: reading mentions into the graph, storing and reading results.

Mentions are read with the columns the network engine uses and nothing else: never a name, a
narrative or a protected characteristic. The person is the *resolved* person (an absorbed person
points at the survivor through ``person.merged_into_id``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session

from safehub.db.models.networks import (
    NetworkChild,
    NetworkCommunity,
    NetworkGroup,
    NetworkGroupMember,
    NetworkKeyPerson,
    NetworkPossibleLink,
    NetworkRun,
)


@dataclass(frozen=True, slots=True)
class MentionRow:
    """One current person mention with its record's columns and its identifiers."""

    mention_id: int
    agency_id: int
    agency_code: str
    agency_type: str
    record_ref: str
    record_type: str
    record_date: date
    location_name: str | None
    location_postcode: str | None
    area_code: str | None
    group_based: bool
    person_ref: str
    person_role: str
    dob: tuple[int | None, int | None, int | None]
    address: str | None
    indicators: tuple[str, ...]
    restricted: bool
    person_id: int
    identifiers: tuple[tuple[str, str, str | None], ...]  # (kind, raw, normalised)
    # A crime report's Home Office offence code: a sexual offence marks the record as
    # exploitation-related for the network rules, as it does when files are analysed.
    offence_code: str = ""
    # The names on the row: a row with neither is nameless, which the sighting rule reads as a
    # car or phone seen, not a man (``groups.sighting_alias``), as it does when files are analysed.
    given_names: str = ""
    family_name: str = ""


_MENTIONS = """
SELECT m.id, a.id, a.code, a.agency_type, r.record_ref, r.record_type, r.record_date,
  r.location_name, r.location_postcode, r.area_code, r.group_based, ap.person_ref, m.person_role,
  m.dob_year, m.dob_month, m.dob_day, m.address, m.indicators, (m.restricted OR ap.restricted),
  coalesce(p.merged_into_id, p.id),
  (SELECT coalesce(array_agg(ARRAY[i.kind, i.raw, i.normalised]
                             ORDER BY i.id), '{{}}')
   FROM person_identifier i WHERE i.mention_id = m.id),
  r.offence_code, m.given_names, m.family_name
FROM person_mention m
JOIN agency_person ap ON ap.id = m.agency_person_id
JOIN person p ON p.id = ap.person_id
JOIN agency_record r ON r.id = m.record_id
JOIN agency a ON a.id = r.agency_id
WHERE m.current AND ({where})
ORDER BY m.id
"""


def _row(values: Sequence[Any]) -> MentionRow:
    identifiers = tuple(
        (str(k), str(raw), None if norm is None else str(norm))
        for k, raw, norm in (values[20] or [])
    )
    return MentionRow(
        int(values[0]),
        int(values[1]),
        values[2],
        values[3],
        values[4],
        values[5],
        values[6],
        values[7],
        values[8],
        values[9],
        bool(values[10]),
        values[11],
        values[12],
        (values[13], values[14], values[15]),
        values[16],
        tuple(values[17] or ()),
        bool(values[18]),
        int(values[19]),
        identifiers,
        values[21] or "",
        values[22] or "",
        values[23] or "",
    )


def _list_mentions_where(session: Session, where: str, params: dict[str, Any]) -> list[MentionRow]:
    """Current mentions matching a WHERE clause written in this module (never user text)."""
    rows = session.execute(text(_MENTIONS.format(where=where)), params)
    return [_row(r) for r in rows]


def list_mentions_upto(session: Session, *, upto: int) -> list[MentionRow]:
    return _list_mentions_where(session, "m.id <= :upto", {"upto": upto})


def list_new_mentions(session: Session, *, after: int, upto: int) -> list[MentionRow]:
    return _list_mentions_where(
        session, "m.id > :after AND m.id <= :upto", {"after": after, "upto": upto}
    )


def list_mentions_of_people(
    session: Session, *, person_ids: list[int], upto: int
) -> list[MentionRow]:
    """Every mention of these people (as resolved now, or as they were before a merge)."""
    return _list_mentions_where(
        session,
        "m.id <= :upto AND (ap.person_id = ANY(:p) OR p.merged_into_id = ANY(:p))",
        {"p": person_ids, "upto": upto},
    )


def list_neighbourhood_mentions(
    session: Session,
    *,
    person_ids: list[int],
    records: list[str],
    identifiers: list[str],
) -> list[MentionRow]:
    """Mentions of the people, in the records (``AGENCY/REF``), or carrying the identifiers
    (``kind:normalised``). Read as the caller: row-level security decides what is returned."""
    where = (
        "coalesce(p.merged_into_id, p.id) = ANY(:p) OR (a.code || '/' || r.record_ref) = ANY(:r) "
        "OR EXISTS (SELECT 1 FROM person_identifier i WHERE i.mention_id = m.id "
        "AND i.normalised IS NOT NULL AND (i.kind || ':' || i.normalised) = ANY(:i))"
    )
    return _list_mentions_where(session, where, {"p": person_ids, "r": records, "i": identifiers})


def get_watermarks(session: Session) -> tuple[int, int]:
    """The highest person mention id and person link event id now."""
    row = session.execute(
        text(
            "SELECT (SELECT coalesce(max(id), 0) FROM person_mention), "
            "(SELECT coalesce(max(id), 0) FROM person_link_event)"
        )
    ).one()
    return int(row[0]), int(row[1])


def get_resolved_watermark(session: Session, *, after: int, upto: int) -> int:
    """The highest mention id up to which identity resolution has seen every current mention
    (its agency person indexed since the mention was written): the network reads no further."""
    first = session.execute(
        text(
            "SELECT min(m.id) FROM person_mention m WHERE m.current AND m.id > :after "
            "AND m.id <= :upto AND NOT EXISTS (SELECT 1 FROM identity_candidate c "
            "WHERE c.agency_person_id = m.agency_person_id AND c.refreshed_at >= m.created_at)"
        ),
        {"after": after, "upto": upto},
    ).scalar()
    return upto if first is None else int(first) - 1


def list_people_relinked(session: Session, *, after: int, upto: int) -> list[int]:
    """People touched by merges, splits or undos since a link event watermark."""
    rows = session.execute(
        text(
            "SELECT DISTINCT unnest(ARRAY[person_id, other_person_id]) FROM person_link_event "
            "WHERE id > :after AND id <= :upto"
        ),
        {"after": after, "upto": upto},
    )
    return sorted(int(r[0]) for r in rows)


# -- runs -------------------------------------------------------------------------------------


def get_latest_run(session: Session) -> NetworkRun | None:
    query = select(NetworkRun).where(NetworkRun.status == "succeeded")
    return session.scalars(query.order_by(NetworkRun.id.desc()).limit(1)).first()


def list_recent_runs(
    session: Session, *, jobs: Sequence[str], limit: int = 10
) -> list[tuple[Any, ...]]:
    """Runs of these jobs with their progress, newest first (queued jobs have no run yet)."""
    return list(
        session.execute(
            text(
                "SELECT j.id, j.status, j.stage, j.items_processed, j.items_total, "
                "j.requested_at, j.finished_at, j.outcome, j.error, r.mode "
                "FROM job_run j LEFT JOIN network_run r ON r.job_run_id = j.id "
                "WHERE j.job = ANY(:jobs) ORDER BY j.id DESC LIMIT :l"
            ),
            {"jobs": list(jobs), "l": limit},
        ).all()
    )


def insert_run(
    session: Session, *, mode: str, token: str, seed: int, job_run_id: int | None
) -> int:
    run = NetworkRun(
        mode=mode,
        status="running",
        token=token,
        seed=seed,
        job_run_id=job_run_id,
        mention_watermark=0,
        link_watermark=0,
        rows_read=0,
        nodes=0,
        edges=0,
        groups=0,
        key_people=0,
        alerts_raised=0,
    )
    session.add(run)
    session.flush()
    return run.id


def set_run_succeeded(session: Session, run_id: int, **counts: int) -> None:
    session.execute(
        update(NetworkRun)
        .where(NetworkRun.id == run_id)
        .values(status="succeeded", finished_at=datetime.now().astimezone(), **counts)
    )


def insert_groups(session: Session, run_id: int, groups: list[dict[str, Any]]) -> None:
    """Each group dict holds the ``network_group`` columns and ``members``: [(person, role)]."""
    for group in groups:
        members = group.pop("members")
        group_id = session.execute(
            insert(NetworkGroup).values(run_id=run_id, **group).returning(NetworkGroup.id)
        ).scalar_one()
        if members:
            session.execute(
                insert(NetworkGroupMember),
                [
                    {"group_id": group_id, "person_id": p, "role_in_group": role}
                    for p, role in members
                ],
            )


def insert_rows(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(model), rows)


def delete_results_before(session: Session, *, keep_from: int) -> None:
    """Results of runs before ``keep_from`` are dropped (the runs themselves are kept)."""
    for model in (NetworkChild, NetworkCommunity, NetworkKeyPerson, NetworkPossibleLink):
        session.execute(delete(model).where(model.run_id < keep_from))
    session.execute(delete(NetworkGroup).where(NetworkGroup.run_id < keep_from))


def insert_possible_links(session: Session, run_id: int, links: list[dict[str, int]]) -> None:
    """The pairs a run counted as "possibly the same person" (``NetworkPossibleLink`` columns)."""
    insert_rows(session, NetworkPossibleLink, [{"run_id": run_id, **link} for link in links])


# -- results for the pages --------------------------------------------------------------------


def list_possible_links(
    session: Session, run_id: int, *, people: Sequence[int]
) -> list[NetworkPossibleLink]:
    """The run's possibly-same pairs of the sets these people belong to (as representative or
    either side), that row-level security lets the user read, by pair id."""
    reps = (
        select(NetworkPossibleLink.representative_id)
        .where(NetworkPossibleLink.run_id == run_id)
        .where(
            NetworkPossibleLink.representative_id.in_(people)
            | NetworkPossibleLink.person_id.in_(people)
            | NetworkPossibleLink.other_person_id.in_(people)
        )
    )
    query = select(NetworkPossibleLink).where(
        NetworkPossibleLink.run_id == run_id, NetworkPossibleLink.representative_id.in_(reps)
    )
    return list(session.scalars(query.order_by(NetworkPossibleLink.match_pair_id)))


def list_groups_of_run(session: Session, run_id: int) -> list[NetworkGroup]:
    query = select(NetworkGroup).where(NetworkGroup.run_id == run_id)
    return list(session.scalars(query.order_by(NetworkGroup.code)))


def get_group_by_code(session: Session, run_id: int, code: str) -> NetworkGroup | None:
    query = select(NetworkGroup).where(NetworkGroup.run_id == run_id, NetworkGroup.code == code)
    return session.scalars(query).first()


def list_group_members(session: Session, group_ids: list[int]) -> list[NetworkGroupMember]:
    query = select(NetworkGroupMember).where(NetworkGroupMember.group_id.in_(group_ids))
    return list(session.scalars(query.order_by(NetworkGroupMember.person_id)))


def list_agency_names(session: Session) -> tuple[dict[str, str], dict[str, str]]:
    """Agency names by code, and area names by area code (from the agency registry)."""
    rows = session.execute(text("SELECT code, name, area_code, area_name FROM agency")).all()
    agencies = {str(r[0]): str(r[1]) for r in rows}
    areas = {str(r[2]): str(r[3]) for r in rows if r[2] and r[3]}
    return agencies, areas


def list_group_codes_of_person(session: Session, run_id: int, person_id: int) -> list[str]:
    """The codes of the run's groups this person is a member of."""
    query = (
        select(NetworkGroup.code)
        .join(NetworkGroupMember, NetworkGroupMember.group_id == NetworkGroup.id)
        .where(NetworkGroup.run_id == run_id, NetworkGroupMember.person_id == person_id)
        .order_by(NetworkGroup.code)
    )
    return list(session.scalars(query))


def list_key_people_of_run(session: Session, run_id: int, limit: int) -> list[NetworkKeyPerson]:
    query = select(NetworkKeyPerson).where(NetworkKeyPerson.run_id == run_id)
    return list(session.scalars(query.order_by(NetworkKeyPerson.rank).limit(limit)))


def get_child_of_run(session: Session, run_id: int, person_id: int) -> NetworkChild | None:
    return session.get(NetworkChild, (run_id, person_id))


def get_person_visible(session: Session, person_id: int) -> bool:
    """Whether the session's user may see the person at all (row-level security's own rule:
    their case team or agency, never a person another agency restricts)."""
    return bool(
        session.execute(text("SELECT safehub_can_see_person(:p)"), {"p": person_id}).scalar()
    )


def list_children_at_risk(session: Session, run_id: int) -> list[NetworkChild]:
    query = select(NetworkChild).where(
        NetworkChild.run_id == run_id, NetworkChild.heightened_risk.is_(True)
    )
    return list(session.scalars(query.order_by(NetworkChild.person_id)))


# -- where alerts go --------------------------------------------------------------------------


def get_agency_ids_by_code(session: Session) -> dict[str, int]:
    return {str(c): int(i) for c, i in session.execute(text("SELECT code, id FROM agency"))}


def list_police_agencies(session: Session) -> list[tuple[int, str | None]]:
    rows = session.execute(
        text("SELECT id, area_code FROM agency WHERE agency_type = 'police' ORDER BY id")
    )
    return [(int(i), a) for i, a in rows]


def get_agency_areas(session: Session) -> dict[int, tuple[str, str | None]]:
    rows = session.execute(text("SELECT id, agency_type, area_code FROM agency"))
    return {int(i): (str(t), a) for i, t, a in rows}


def get_case_teams(session: Session, person_ids: list[int]) -> dict[int, tuple[int, int | None]]:
    """For each child with an open case: the agency and team of the case's lead (latest case)."""
    rows = session.execute(
        text(
            "SELECT DISTINCT ON (cc.person_id) cc.person_id, u.agency_id, "
            "coalesce(c.team_id, u.team_id) FROM case_child cc "
            "JOIN safeguarding_case c ON c.id = cc.case_id JOIN app_user u ON u.id = c.lead_user_id "
            "WHERE cc.person_id = ANY(:p) AND c.status <> 'closed' "
            "ORDER BY cc.person_id, c.id DESC"
        ),
        {"p": person_ids},
    )
    return {int(p): (int(a), None if t is None else int(t)) for p, a, t in rows}


def get_agreement_allows(
    session: Session, *, provider: int, recipient: int, record_type: str
) -> bool:
    """An information-sharing agreement in force lets ``provider`` share this record type."""
    return bool(
        session.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM sharing_agreement WHERE provider_agency_id = :p "
                "AND recipient_agency_id = :r AND :t = ANY(record_types) "
                "AND starts_on <= current_date AND (ends_on IS NULL OR ends_on >= current_date))"
            ),
            {"p": provider, "r": recipient, "t": record_type},
        ).scalar_one()
    )


# Every current mention of the given people that the user may read (row-level security filters
# the rows), with what makes identifier, address and place nodes of it.
_READABLE_MENTIONS = """
SELECT m.id, m.address, r.location_name, r.location_postcode, i.kind, i.raw, i.normalised
FROM person_mention m
JOIN agency_person ap ON ap.id = m.agency_person_id
JOIN person p ON p.id = ap.person_id
JOIN agency_record r ON r.id = m.record_id
LEFT JOIN person_identifier i ON i.mention_id = m.id
WHERE m.current AND coalesce(p.merged_into_id, p.id) = ANY(:people)
"""


def list_readable_mentions(session: Session, people: Sequence[int]) -> list[Any]:
    """(mention id, address, place name, place postcode, identifier kind, raw, normalised) of
    every current mention of ``people`` that row-level security lets the session's user read."""
    return list(session.execute(text(_READABLE_MENTIONS), {"people": list(people)}).all())


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """One record of a group's timeline that the user may read, with the roles people had in it."""

    on: date
    record: str  # AGENCY/REF
    record_type: str
    agency: str
    roles: tuple[str, ...]


def list_records_timeline(session: Session, records: Sequence[str]) -> list[TimelineEvent]:
    """The records (``AGENCY/REF``) that row-level security lets the user read, in date order."""
    rows = session.execute(
        text(
            "SELECT r.record_date, a.code || '/' || r.record_ref, r.record_type, a.code, "
            "array_remove(array_agg(DISTINCT m.person_role), NULL) FROM agency_record r "
            "JOIN agency a ON a.id = r.agency_id "
            "LEFT JOIN person_mention m ON m.record_id = r.id AND m.current "
            "WHERE (a.code || '/' || r.record_ref) = ANY(:k) "
            "GROUP BY r.id, a.code ORDER BY r.record_date, 2"
        ),
        {"k": list(records)},
    ).all()
    return [TimelineEvent(d, k, t, a, tuple(sorted(roles or ()))) for d, k, t, a, roles in rows]


@dataclass(frozen=True, slots=True)
class PossibleMatch:
    """A pending review pair as two current people, with the records a person would compare."""

    pair_id: int
    person_id: int
    other_person_id: int
    probability: float
    left: str  # AGENCY/person_ref
    right: str
    reason: str


def list_possible_matches(
    session: Session, *, min_probability: float, held_reasons: Sequence[str]
) -> list[PossibleMatch]:
    """Pending pairs at or above a probability whose reason is not one the records contradict,
    between two people who are still apart (each side as resolved now), and that the review
    queue holds (``worth_review``: as ``linkage.Resolution.possible_matches`` reads only
    queued pairs, a pair with nothing at stake is no "possibly the same person" link)."""
    rows = session.execute(
        text(
            "SELECT mp.id, coalesce(pl.merged_into_id, pl.id), coalesce(pr.merged_into_id, pr.id), "
            "mp.match_probability, al.code || '/' || l.person_ref, ar.code || '/' || r.person_ref, "
            "mp.reason FROM match_pair mp "
            "JOIN agency_person l ON l.id = mp.left_agency_person_id "
            "JOIN agency_person r ON r.id = mp.right_agency_person_id "
            "JOIN agency al ON al.id = l.agency_id JOIN agency ar ON ar.id = r.agency_id "
            "JOIN person pl ON pl.id = l.person_id JOIN person pr ON pr.id = r.person_id "
            "WHERE mp.status = 'pending' AND mp.worth_review AND mp.match_probability >= :p "
            "AND NOT (mp.reason = ANY(:held)) AND NOT l.restricted AND NOT r.restricted "
            "ORDER BY mp.id"
        ),
        {"p": min_probability, "held": list(held_reasons)},
    )
    return [
        PossibleMatch(int(i), int(a), int(b), float(p), left, right, reason)
        for i, a, b, p, left, right, reason in rows
        if a != b
    ]


@dataclass(frozen=True, slots=True)
class HeldAlert:
    """A network alert that stayed with the agency holding its record because it rests on
    possible matches, every one of which a person (or resolution) has since confirmed."""

    alert_id: int
    kind: str
    rule: str
    target_agency_id: int
    evidence: dict[str, Any]


# The evidence of an alert, sealed or not (the job reads both as the partnership).
_EVIDENCE = "coalesce(c.evidence, a.evidence)"


def list_alerts_held_for_confirmed_pairs(
    session: Session, *, rules: Sequence[str], sent_key_prefix: str
) -> list[HeldAlert]:
    """Alerts of these rules resting on review pairs (evidence ``possible_pairs``) that are all
    now one person (confirmed, or superseded by a merge), and not yet sent on: a sent one has
    the dedupe key ``sent_key_prefix`` + the alert's id, stored as its digest
    (``services.alerts.raising.stored_key``). A rejected or waiting pair keeps an alert here."""
    rows = session.execute(
        text(
            f"SELECT a.id, a.kind, a.rule, a.target_agency_id, {_EVIDENCE} FROM alert a "
            "LEFT JOIN alert_content c ON c.alert_id = a.id "
            f"WHERE a.rule = ANY(:rules) AND jsonb_typeof({_EVIDENCE} -> 'possible_pairs') = "
            f"'array' AND jsonb_array_length({_EVIDENCE} -> 'possible_pairs') > 0 "
            "AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text("
            f"{_EVIDENCE} -> 'possible_pairs') p(id) "
            "LEFT JOIN match_pair mp ON mp.id = p.id::bigint "
            "WHERE mp.id IS NULL OR mp.status NOT IN ('confirmed', 'superseded')) "
            "AND NOT EXISTS (SELECT 1 FROM alert s WHERE s.dedupe_key = 'sha256:' || "
            "encode(sha256(convert_to(:prefix || a.id::text, 'UTF8')), 'hex')) "
            "ORDER BY a.id"
        ),
        {"rules": list(rules), "prefix": sent_key_prefix},
    )
    return [HeldAlert(int(i), str(k), str(r), int(t), dict(e)) for i, k, r, t, e in rows]


def list_record_places(
    session: Session, records: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], tuple[int, str, str | None]]:
    """(agency code, record ref) -> the holding agency's id, the record type and its area."""
    rows = session.execute(
        text(
            "SELECT a.code, r.record_ref, a.id, r.record_type, r.area_code FROM agency_record r "
            "JOIN agency a ON a.id = r.agency_id "
            "JOIN unnest(CAST(:codes AS text[]), CAST(:refs AS text[])) k(code, ref) "
            "ON k.code = a.code AND k.ref = r.record_ref"
        ),
        {"codes": [c for c, _ in records], "refs": [r for _, r in records]},
    )
    return {(str(c), str(r)): (int(i), str(t), a) for c, r, i, t, a in rows}


def list_current_people(session: Session, person_ids: Sequence[int]) -> dict[int, int]:
    """Person id -> the person it is now (the survivor, when it was merged)."""
    rows = session.execute(
        text("SELECT id, coalesce(merged_into_id, id) FROM person WHERE id = ANY(:p)"),
        {"p": list(person_ids)},
    )
    return {int(p): int(c) for p, c in rows}
