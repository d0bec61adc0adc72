"""Queries for exports: the names a subject access request must hide."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class MentionedName:
    """A name as one record gives it, and whose it is."""

    person_id: int
    given_names: str | None
    family_name: str | None
    aliases: list[str]


def names_in_records_of(session: Session, person_ids: list[int]) -> list[MentionedName]:
    """Every name (the people's own included) in the current records that mention these people."""
    rows = session.execute(
        text(
            """
            SELECT DISTINCT ap.person_id, m.given_names, m.family_name, coalesce(m.aliases, '{}')
            FROM person_mention m
            JOIN agency_person ap ON ap.id = m.agency_person_id
            WHERE m.current AND m.record_id IN (
              SELECT s.record_id FROM person_mention s
              JOIN agency_person sp ON sp.id = s.agency_person_id
              WHERE s.current AND sp.person_id = ANY(:ids))
            ORDER BY 1, 2, 3
            """
        ),
        {"ids": person_ids},
    ).all()
    return [MentionedName(r[0], r[1], r[2], list(r[3])) for r in rows]
