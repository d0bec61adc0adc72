"""Signing in and sessions: a password, then a second factor, then a session.

Signing in has two steps. The right password gives a short-lived "password ok" state (five
minutes, server-side, its own token); only a second factor (authenticator app code, passkey or
recovery code) turns it into a session, with a new token. A user with no second factor yet sets
up an authenticator app in that state and is given recovery codes.

Until the session exists nobody is acting (the unit of work's actor is anonymous): the steps
after the password act on the user of the ``Pending`` sign-in, never on an id from a form.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from safehub.access.actor import Actor
from safehub.db.models import User, WebSession
from safehub.db.models.auth import PendingSignIn
from safehub.db.queries import accounts as q
from safehub.db.uow import UnitOfWork
from safehub.services.accounts import mfa, passkeys, throttle
from safehub.services.accounts.passwords import verify_password
from safehub.services.accounts.users import actor_for

IDLE_TIMEOUT = timedelta(minutes=15)
ABSOLUTE_TIMEOUT = timedelta(hours=10)
PENDING_TIMEOUT = timedelta(minutes=5)

Refusal = Literal["refused", "locked"]
_Check = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class SignedIn:
    token: str
    csrf_token: str
    actor: Actor


@dataclass(frozen=True, slots=True)
class PasswordAccepted:
    """The first step done: the token of the "password ok" state and what must come next."""

    token: str
    needs_enrolment: bool


@dataclass(frozen=True, slots=True)
class Pending:
    """A sign-in waiting for its second factor."""

    token: str
    user_id: int
    username: str
    display_name: str
    csrf_token: str


@dataclass(frozen=True, slots=True)
class Enrolled:
    """A sign-in completed by setting up an authenticator app, with the new recovery codes."""

    signed_in: SignedIn
    recovery_codes: list[str]


@dataclass(frozen=True, slots=True)
class StaffUser:
    """The signed-in user as pages need them: plain values, safe to use after the request."""

    id: int
    username: str
    display_name: str
    role: str
    agency_id: int
    team_id: int | None


def check_password(
    uow: UnitOfWork, *, username: str, password: str, now: datetime | None = None
) -> PasswordAccepted | Refusal:
    """The first step. Any failure answers "refused", after the same work whether or not the
    user exists or is active; repeated failures answer "locked" (see ``throttle``)."""
    now = now or _now()
    keys = throttle.throttle_keys(username=username, source=uow.source)
    user = q.get_user_by_username(uow.session, username)
    if throttle.is_locked(uow, keys=keys, now=now):
        verify_password(None, password)  # the same work as any other answer
        return "locked"
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        throttle.record_failure(uow, keys=keys, now=now, owner_id=user.id if user else None)
        uow.audit(
            "sign_in_failed",
            "user",
            [user.id] if user else [],
            purpose="sign-in refused at the password",
        )
        return "refused"
    token = secrets.token_urlsafe(32)
    uow.session.add(
        PendingSignIn(
            token_hash=token_hash(token),
            user_id=user.id,
            created_at=now,
            csrf_token=secrets.token_urlsafe(32),
        )
    )
    uow.audit("sign_in_password", "user", [user.id], purpose="password accepted, second factor due")
    needs_enrolment = not mfa.factors_of(uow, user_id=user.id).any
    if needs_enrolment:
        # A fresh secret at every attempt: a secret seen by whoever typed the password before
        # (perhaps not the account's owner) is never the one that gets confirmed later.
        mfa.start_totp_enrolment(uow, user_id=user.id, username=user.username)
    return PasswordAccepted(token, needs_enrolment=needs_enrolment)


def pending_sign_in(uow: UnitOfWork, *, token: str, now: datetime | None = None) -> Pending | None:
    """The sign-in waiting for a second factor behind this token, or None (unknown, expired)."""
    now = now or _now()
    row = uow.session.get(PendingSignIn, token_hash(token))
    if row is None:
        return None
    user = uow.session.get(User, row.user_id)
    if now - row.created_at > PENDING_TIMEOUT or user is None or not user.active:
        uow.session.delete(row)
        uow.audit("sign_out", "user", [row.user_id], purpose="sign-in not finished in time")
        return None
    return Pending(token, user.id, user.username, user.display_name, row.csrf_token)


def second_factors(uow: UnitOfWork, *, pending: Pending) -> mfa.Factors:
    """Which second factors the user signing in may use."""
    return mfa.factors_of(uow, user_id=pending.user_id)


def pending_enrolment(uow: UnitOfWork, *, pending: Pending) -> mfa.TotpEnrolment | None:
    """The authenticator app the user signing in is setting up, or None when they have one."""
    return mfa.pending_totp_enrolment(uow, user_id=pending.user_id, username=pending.username)


def passkey_challenge(
    uow: UnitOfWork, *, pending: Pending, rp_id: str, origin: str, now: datetime
) -> str | None:
    """The options for ``navigator.credentials.get`` for the user signing in, or None when they
    have no passkey made on this host."""
    ceremony = passkeys.Ceremony(pending.token, rp_id, origin)
    return passkeys.authentication_options(uow, user_id=pending.user_id, ceremony=ceremony, now=now)


def sign_in_with_code(
    uow: UnitOfWork, *, pending: Pending, code: str, now: datetime | None = None
) -> SignedIn | Refusal:
    """The second step with an authenticator app code (each code works once)."""
    now = now or _now()
    return _second_factor(
        uow,
        pending,
        "totp",
        now,
        lambda: mfa.verify_totp(uow, user_id=pending.user_id, code=code, now=now),
    )


def sign_in_with_recovery_code(
    uow: UnitOfWork, *, pending: Pending, code: str, now: datetime | None = None
) -> SignedIn | Refusal:
    """The second step with a recovery code (each code works once)."""
    now = now or _now()
    return _second_factor(
        uow,
        pending,
        "recovery_code",
        now,
        lambda: mfa.use_recovery_code(uow, user_id=pending.user_id, code=code, now=now),
    )


def sign_in_with_passkey(
    uow: UnitOfWork,
    *,
    pending: Pending,
    credential: str,
    rp_id: str,
    origin: str,
    now: datetime | None = None,
) -> SignedIn | Refusal:
    """The second step with a passkey's signed answer to the challenge it was given."""
    now = now or _now()
    ceremony = passkeys.Ceremony(pending.token, rp_id, origin)
    return _second_factor(
        uow,
        pending,
        "passkey",
        now,
        lambda: passkeys.verify_passkey(
            uow, user_id=pending.user_id, ceremony=ceremony, credential=credential, now=now
        ),
    )


def enrol_and_sign_in(
    uow: UnitOfWork, *, pending: Pending, code: str, now: datetime | None = None
) -> Enrolled | Refusal:
    """The second step for a user with no factor yet: confirm the new authenticator app with a
    first code; the sign-in completes and ten recovery codes are issued."""
    now = now or _now()
    if mfa.factors_of(uow, user_id=pending.user_id).any:
        return "refused"  # a factor exists: it must be used, not replaced from a password alone
    signed = _second_factor(
        uow,
        pending,
        "totp_enrolment",
        now,
        lambda: mfa.confirm_totp_enrolment(uow, user_id=pending.user_id, code=code, now=now),
    )
    if isinstance(signed, str):
        return signed
    return Enrolled(signed, mfa.issue_recovery_codes(uow, user_id=pending.user_id))


def resume_session(
    uow: UnitOfWork, *, token: str, now: datetime | None = None
) -> tuple[Actor, StaffUser, str] | None:
    """The actor behind a session token, or None when it is unknown or has timed out."""
    now = now or _now()
    found = q.session_and_user(uow.session, token_hash(token))
    if found is None:
        return None
    row, user = found
    if now - row.last_seen_at > IDLE_TIMEOUT or now - row.created_at > ABSOLUTE_TIMEOUT:
        uow.session.delete(row)
        uow.audit("sign_out", "user", [row.user_id], purpose="session timed out")
        return None
    if user is None or not user.active:
        return None
    # A technical timestamp, not personal data: written without an audit entry on purpose.
    q.set_session_seen(uow.session, row.token_hash, now)
    staff = StaffUser(
        user.id, user.username, user.display_name, user.role, user.agency_id, user.team_id
    )
    return actor_for(user), staff, row.csrf_token


def sign_out(uow: UnitOfWork, *, token: str) -> None:
    if q.delete_session(uow.session, token_hash(token)):
        uow.audit("sign_out", "session", [], purpose="signed out")


def cancel_sign_in(uow: UnitOfWork, *, token: str) -> None:
    """Forget a half-finished sign-in (the user chose to start again)."""
    if q.delete_pending_sign_in(uow.session, token_hash(token)):
        uow.audit("sign_out", "session", [], purpose="sign-in abandoned")


def _second_factor(
    uow: UnitOfWork, pending: Pending, factor: str, now: datetime, verify: _Check
) -> SignedIn | Refusal:
    keys = throttle.throttle_keys(username=pending.username, source=uow.source)
    if throttle.is_locked(uow, keys=keys, now=now):
        return "locked"
    if not verify():
        throttle.record_failure(uow, keys=keys, now=now, owner_id=pending.user_id)
        uow.audit(
            "sign_in_failed",
            "user",
            [pending.user_id],
            purpose="sign-in refused at the second factor",
            detail={"factor": factor},
        )
        return "refused"
    throttle.record_success(uow, keys=keys, now=now)
    return _start_session(uow, pending, factor, now)


def _start_session(uow: UnitOfWork, pending: Pending, factor: str, now: datetime) -> SignedIn:
    # A new token: nothing known before the second factor (the pending token) carries over.
    q.delete_pending_sign_in(uow.session, token_hash(pending.token))
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)  # 256 bits each
    uow.session.add(
        WebSession(
            token_hash=token_hash(token),
            user_id=pending.user_id,
            created_at=now,
            last_seen_at=now,
            csrf_token=csrf,
        )
    )
    uow.audit("sign_in", "user", [pending.user_id], purpose="signed in", detail={"factor": factor})
    user = uow.session.get(User, pending.user_id)
    assert user is not None  # pending_sign_in checked it
    return SignedIn(token, csrf, actor_for(user))


def token_hash(token: str) -> str:
    """What is stored of a session or sign-in token: its SHA-256, so a database dump holds no
    token that could be replayed."""
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)
