"""Slowing down floods from one address without locking honest reporters out.

A few reports in ten minutes from one connection is someone with a lot to tell (or a shared
connection: a school, a library); more is a flood. Beyond the limits the reporter is asked to
wait a few minutes, with their answers kept; nothing is refused for longer than an hour. The
address is never stored: the database keeps the SHA-256 of it with a random salt of the day, in
ten-minute buckets, for at most 24 hours (migration 0019).
"""

from __future__ import annotations

from dataclasses import dataclass

from safehub.db.queries import community as q
from safehub.db.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Limit:
    per_10_minutes: int
    per_hour: int


# Sending a report; trying a reference and phrase (each try costs a guesser one attempt).
LIMITS = {"send": Limit(per_10_minutes=3, per_hour=20), "return": Limit(10, 30)}


class SlowDownError(Exception):
    """Too many attempts from this connection for now; try again in a few minutes."""

    def __init__(self, action: str) -> None:
        super().__init__(f"too many {action} attempts from one connection")
        self.action = action


def note_attempt(uow: UnitOfWork, *, action: str, address: str | None) -> None:
    """Count an attempt, and refuse it if the connection is over a limit. Without an address
    (a test client, a misconfigured proxy) nothing is counted."""
    if not address:
        return
    limit = LIMITS[action]
    recent, hour = q.note_attempt(uow.session, action, address)
    # Committed at once: the attempt counts whatever follows (a wrong phrase, a refusal, this
    # very limit), so neither guessing nor a flood is forgotten with a rollback. Called first
    # in a use case, so nothing else is committed with it.
    uow.commit()
    if recent > limit.per_10_minutes or hour > limit.per_hour:
        raise SlowDownError(action)
