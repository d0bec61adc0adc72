"""Throttling of failed sign-ins (ASVS 5.0, V6.3): slowing guesses down without letting anyone
lock a named person, or an office, out.

Every attempt is charged to three counters, each a hash (a mistyped username may be a
password, so none is stored):

- **account and source together**: five free failures, then each further one holds that pair for
  1, 2, 4, 8, then 15 minutes at most. Only the guesser's own address is held: the owner signing
  in from anywhere else is not.
- **the account, from every source**: ten free failures, then 30 seconds, doubling to 5 minutes.
  It holds back only sources the account has never signed in from fully (password and second
  factor) in the last 90 days: the owner's usual office or device is never held by it. When it
  first trips, the owner is told (a notification waiting at their next sign-in).
- **the source, for every account**: fifty free failures an hour (an office behind one address
  makes typing mistakes), then 30 seconds, doubling to 5 minutes; it too holds back only
  accounts that have not signed in from that source before.

A lock is never longer than its cap, a full sign-in clears the pair and account counters, and an
unknown username is counted exactly like a real one, so that a hold reveals nothing about which
accounts exist. Every refused attempt is audited (``sign_in_failed``).

>>> keys = throttle_keys(username="Sam@LA", source="192.0.2.1")
>>> [(k.scope, k.limit.free) for k in keys]
[('pair', 5), ('account', 10), ('source', 50)]
>>> lock_for(ACCOUNT_LIMIT, 12)
datetime.timedelta(seconds=120)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from safehub.db.queries import accounts as q
from safehub.db.queries import timeliness as tq
from safehub.db.rls import system_step
from safehub.db.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Limit:
    free: int  # failures in the window before any hold
    window: timedelta  # how long failures are remembered (a full sign-in forgets them sooner)
    first: timedelta  # the first hold ...
    cap: timedelta  # ... doubling with each further failure, up to this


PAIR_LIMIT = Limit(5, timedelta(hours=24), timedelta(minutes=1), timedelta(minutes=15))
ACCOUNT_LIMIT = Limit(10, timedelta(hours=24), timedelta(seconds=30), timedelta(minutes=5))
SOURCE_LIMIT = Limit(50, timedelta(hours=1), timedelta(seconds=30), timedelta(minutes=5))
FAMILIAR_FOR = timedelta(days=90)


@dataclass(frozen=True, slots=True)
class ThrottleKey:
    key_hash: str
    limit: Limit
    scope: str  # "pair", "account" or "source"
    familiar_hash: str  # the marker of a full sign-in by this account from this source


def throttle_keys(*, username: str, source: str | None) -> list[ThrottleKey]:
    """The counters an attempt is charged to: the pair first, then the account, then the source
    when it is known."""
    account = username.strip().casefold()
    where = source or "-"
    familiar = _hash("familiar", f"{account}\n{where}")
    keys = [
        ThrottleKey(_hash("pair", f"{account}\n{where}"), PAIR_LIMIT, "pair", familiar),
        ThrottleKey(_hash("account", account), ACCOUNT_LIMIT, "account", familiar),
    ]
    if source:
        keys.append(ThrottleKey(_hash("source", source), SOURCE_LIMIT, "source", familiar))
    return keys


def lock_for(limit: Limit, failures: int) -> timedelta | None:
    """How long a counter is held after its ``failures``-th failure in the window."""
    if failures < limit.free:
        return None
    doublings = min(failures - limit.free, 16)  # 2**16 times any first hold is past any cap
    hold: timedelta = limit.first * (1 << doublings)
    return min(hold, limit.cap)


def is_locked(uow: UnitOfWork, *, keys: list[ThrottleKey], now: datetime) -> bool:
    """True while a counter that applies to this attempt holds it: the pair's always, the
    account's and the source's only for a source the account has not signed in from."""
    familiar = _familiar(uow, keys, now)
    applies = [k for k in keys if k.scope == "pair" or not familiar]
    rows = q.list_locked_until(uow.session, [k.key_hash for k in applies])
    return any(until is not None and until > now for until in rows)


def record_failure(
    uow: UnitOfWork, *, keys: list[ThrottleKey], now: datetime, owner_id: int | None = None
) -> None:
    """Count one failure against every counter, holding those past their free failures; tell
    the owner (when the username is a real account) the first time their account trips."""
    for key in keys:
        failures = q.upsert_failure(uow.session, key.key_hash, now=now, window=key.limit.window)
        hold = lock_for(key.limit, failures)
        if hold is not None:
            q.set_throttle_until(uow.session, key.key_hash, until=now + hold)
        if key.scope == "account" and failures == key.limit.free and owner_id is not None:
            _tell_owner(uow, owner_id, failures, now)
    uow.mark_changed()


def record_success(uow: UnitOfWork, *, keys: list[ThrottleKey], now: datetime) -> None:
    """After a full sign-in: the pair and the account start afresh and the source becomes
    familiar (a source's own count is kept: one good account must not reset the count of an
    address that is guessing others)."""
    for key in keys:
        if key.scope in ("pair", "account"):
            q.delete_throttle(uow.session, key.key_hash)
    q.upsert_familiar(uow.session, keys[0].familiar_hash, now=now)
    uow.mark_changed()


def _familiar(uow: UnitOfWork, keys: list[ThrottleKey], now: datetime) -> bool:
    since = q.get_familiar_since(uow.session, keys[0].familiar_hash)
    return since is not None and since > now - FAMILIAR_FOR


def _tell_owner(uow: UnitOfWork, user_id: int, failures: int, now: datetime) -> None:
    body = (
        f"There have been {failures} failed attempts to sign in to your account, the latest at "
        f"{now:%H:%M} on {now:%d %B %Y} (UTC). If they were not you, tell your administrator. "
        "Your account stays open to you from the places you usually sign in from."
    )
    row = {
        "user_id": user_id,
        "subject": "Failed sign-ins to your account",
        "body": body,
        "email_status": "none",
        "dedupe_key": f"sign-in-failures:{user_id}:{now:%Y-%m-%d}",
    }
    # Notifications are written by the system (row-level security): the user is not signed in.
    with system_step(uow):
        new_id = tq.insert_notification(uow.session, row)
    if new_id is not None:
        uow.audit("collection", "notification", [new_id], purpose="failed sign-ins told")


def _hash(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()
