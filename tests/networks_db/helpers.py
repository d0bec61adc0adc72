"""Running the network job through the real worker, and reading what it stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from safehub.db.database import Database
from safehub.jobs.worker import RunResult, drain


def run_jobs(db: Database) -> list[RunResult]:
    """Run every queued job as a worker would: an import queues resolution, which queues the
    network update."""
    results = drain(db, sender=None)
    failed = [r for r in results if r.status != "succeeded"]
    assert not failed, failed
    return results


def resolve_people(db: Database) -> None:
    """What the resolution job does after an import (it queues the network update)."""
    from safehub.access.actor import Actor
    from safehub.db.uow import unit_of_work
    from safehub.services.identity import resolve_new_people

    with unit_of_work(db, actor=Actor(label="system:test")) as uow:
        resolve_new_people(uow, purpose="test")
        uow.commit()


def owner_rows(db: Database, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with db.owner_engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def latest_run_id(db: Database) -> int:
    rows = owner_rows(db, "SELECT max(id) FROM network_run WHERE status = 'succeeded'")
    return int(rows[0][0])


def stored_results(db: Database, run_id: int) -> dict[str, Any]:
    """A run's stored results in a form two runs can be compared by (communities as partitions)."""
    groups = owner_rows(
        db,
        """
        SELECT g.code, g.records::text, g.shared_identifiers, g.agencies, g.first_date, g.last_date,
               g.grounds,
               array_agg(m.person_id || ':' || m.role_in_group ORDER BY m.person_id)
        FROM network_group g JOIN network_group_member m ON m.group_id = g.id
        WHERE g.run_id = :r GROUP BY g.id ORDER BY g.code""",
        r=run_id,
    )
    key_people = owner_rows(
        db,
        "SELECT rank, person_id, score, reasons FROM network_key_person "
        "WHERE run_id = :r ORDER BY rank",
        r=run_id,
    )
    communities: dict[int, set[int]] = {}
    for person, community in owner_rows(
        db, "SELECT person_id, community FROM network_community WHERE run_id = :r", r=run_id
    ):
        communities.setdefault(community, set()).add(person)
    children = owner_rows(
        db,
        "SELECT person_id, heightened_risk, reasons, adults::text "
        "FROM network_child WHERE run_id = :r ORDER BY person_id",
        r=run_id,
    )
    return {
        "groups": groups,
        "key_people": key_people,
        "communities": sorted(sorted(c) for c in communities.values()),
        "children": children,
    }


def adams_pair(db: Database, *, status: str | None = None) -> int:
    """The match pair of Adam's two police records, S-A and S-A2 (``possible_data``), only
    when in ``status`` if given."""
    only = " AND mp.status = :status" if status else ""
    [(pair,)] = owner_rows(
        db,
        "SELECT mp.id FROM match_pair mp JOIN agency_person l ON l.id = mp.left_agency_person_id "
        "JOIN agency_person r ON r.id = mp.right_agency_person_id "
        "WHERE l.person_ref = 'S-A' AND r.person_ref = 'S-A2'" + only,
        **({"status": status} if status else {}),
    )
    return int(pair)
