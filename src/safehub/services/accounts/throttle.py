"""Throttling of failed sign-ins, per account and per source address, stored in PostgreSQL.

Five failures for one username within 15 minutes lock it for 15 minutes; a source address gets
more room (an agency office signs in from behind one address) before it is locked the same way.
An unknown username is counted and locked exactly like a real one, so a lock reveals nothing
about which accounts exist.

>>> keys = throttle_keys(username="Sam@LA", source="192.0.2.1")
>>> [k.limit.failures for k in keys]
[5, 20]
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from safehub.db.queries import accounts as q
from safehub.db.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Limit:
    failures: int
    window: timedelta
    lock: timedelta


ACCOUNT_LIMIT = Limit(failures=5, window=timedelta(minutes=15), lock=timedelta(minutes=15))
SOURCE_LIMIT = Limit(failures=20, window=timedelta(minutes=15), lock=timedelta(minutes=15))


@dataclass(frozen=True, slots=True)
class ThrottleKey:
    key_hash: str
    limit: Limit


def throttle_keys(*, username: str, source: str | None) -> list[ThrottleKey]:
    """The counters a sign-in attempt is charged to: the account, and the source if known."""
    keys = [ThrottleKey(_hash("account", username.strip().casefold()), ACCOUNT_LIMIT)]
    if source:
        keys.append(ThrottleKey(_hash("source", source), SOURCE_LIMIT))
    return keys


def account_key(*, username: str) -> ThrottleKey:
    return throttle_keys(username=username, source=None)[0]


def is_locked(uow: UnitOfWork, *, keys: list[ThrottleKey], now: datetime) -> bool:
    """True while any of the counters is locked."""
    rows = q.list_locked_until(uow.session, [k.key_hash for k in keys])
    return any(until is not None and until > now for until in rows)


def record_failure(uow: UnitOfWork, *, keys: list[ThrottleKey], now: datetime) -> None:
    """Count one failure against every key, locking those that reach their limit."""
    for key in keys:
        _count_failure(uow, key, now)
    uow.mark_changed()


def clear_failures(uow: UnitOfWork, *, key: ThrottleKey) -> None:
    """After a full sign-in the account starts afresh (a source address does not: one good
    account must not reset the count of an address that is guessing others)."""
    q.delete_throttle(uow.session, key.key_hash)
    uow.mark_changed()


def _count_failure(uow: UnitOfWork, key: ThrottleKey, now: datetime) -> None:
    failures = q.upsert_failure(uow.session, key.key_hash, now=now, window=key.limit.window)
    if failures >= key.limit.failures:
        # The lock starts now and the count starts again, so a locked-out user who comes
        # back after the lock gets a full set of attempts, and a guesser gets no more.
        q.set_throttle_lock(uow.session, key.key_hash, now=now, until=now + key.limit.lock)


def _hash(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()
