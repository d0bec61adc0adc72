"""Staff accounts and signed-in sessions: a password, then a second factor, then a session.

Signing in has two steps. The right password gives a short-lived "password ok" state (five
minutes, server-side, its own token); only a second factor (authenticator app code, passkey or
recovery code) turns it into a session, with a new token. A user with no second factor yet sets
up an authenticator app in that state and is given recovery codes.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy import delete, select, update

from safehub.access import Permission, can
from safehub.access.actor import Actor
from safehub.db.models import Agency, User, WebSession
from safehub.db.models.auth import PendingSignIn
from safehub.db.uow import UnitOfWork
from safehub.services.accounts import mfa, passkeys, throttle
from safehub.services.accounts.passwords import check_new_password, hash_password, verify_password
from safehub.services.errors import ForbiddenError, NotFoundError

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


def create_user(
    uow: UnitOfWork,
    *,
    username: str,
    display_name: str,
    password: str,
    role: str,
    agency_id: int,
    team_id: int | None = None,
    email: str | None = None,
) -> User:
    """A new account; raises ``PasswordRejectedError`` for a short or common password."""
    check_new_password(password, username=username)
    user = User(
        username=username,
        display_name=display_name,
        password_hash=hash_password(password),
        role=role,
        agency_id=agency_id,
        team_id=team_id,
        email=email,
    )
    uow.session.add(user)
    uow.session.flush()
    uow.audit("collection", "user", [user.id], purpose="staff account created")
    return user


def actor_for(user: User) -> Actor:
    return Actor(
        label=f"user:{user.id}:{user.username}",
        user_id=user.id,
        agency_id=user.agency_id,
        role=user.role,
        team_id=user.team_id,
    )


def check_password(
    uow: UnitOfWork, *, username: str, password: str, now: datetime | None = None
) -> PasswordAccepted | Refusal:
    """The first step. Any failure answers "refused", after the same work whether or not the
    user exists or is active; repeated failures answer "locked" (see ``throttle``)."""
    now = now or _now()
    keys = throttle.throttle_keys(username=username, source=uow.source)
    user = uow.session.scalars(select(User).where(User.username == username)).first()
    if throttle.is_locked(uow, keys=keys, now=now):
        verify_password(None, password)  # the same work as any other answer
        return "locked"
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        throttle.record_failure(uow, keys=keys, now=now)
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
            token_hash=_token_hash(token),
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
    row = uow.session.get(PendingSignIn, _token_hash(token))
    if row is None:
        return None
    user = uow.session.get(User, row.user_id)
    if now - row.created_at > PENDING_TIMEOUT or user is None or not user.active:
        uow.session.delete(row)
        uow.audit("sign_out", "user", [row.user_id], purpose="sign-in not finished in time")
        return None
    return Pending(token, user.id, user.username, user.display_name, row.csrf_token)


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
    row = uow.session.get(WebSession, _token_hash(token))
    if row is None:
        return None
    if now - row.last_seen_at > IDLE_TIMEOUT or now - row.created_at > ABSOLUTE_TIMEOUT:
        uow.session.delete(row)
        uow.audit("sign_out", "user", [row.user_id], purpose="session timed out")
        return None
    user = uow.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    # A technical timestamp, not personal data: written without an audit entry on purpose.
    uow.session.execute(
        update(WebSession).where(WebSession.token_hash == row.token_hash).values(last_seen_at=now)
    )
    staff = StaffUser(
        user.id, user.username, user.display_name, user.role, user.agency_id, user.team_id
    )
    return actor_for(user), staff, row.csrf_token


def sign_out(uow: UnitOfWork, *, token: str) -> None:
    result = uow.session.execute(
        delete(WebSession).where(WebSession.token_hash == _token_hash(token))
    )
    if getattr(result, "rowcount", 0):
        uow.audit("sign_out", "session", [], purpose="signed out")


def cancel_sign_in(uow: UnitOfWork, *, token: str) -> None:
    """Forget a half-finished sign-in (the user chose to start again)."""
    result = uow.session.execute(
        delete(PendingSignIn).where(PendingSignIn.token_hash == _token_hash(token))
    )
    if getattr(result, "rowcount", 0):
        uow.audit("sign_out", "session", [], purpose="sign-in abandoned")


def disable_user(uow: UnitOfWork, *, actor: Actor, user_id: int, reason: str) -> None:
    """Disable an account and end every session it has, at once (not at their next timeout).

    Needs ``manage_users``, or a system actor (the command line)."""
    if actor.user_id is not None and not can(actor, Permission.MANAGE_USERS):
        raise ForbiddenError("only user managers may disable accounts")
    user = uow.session.get(User, user_id)
    if user is None:
        raise NotFoundError(f"no user {user_id}")
    user.active = False
    ended = _end_sessions(uow, user_id)
    uow.audit(
        "alteration",
        "user",
        [user_id],
        purpose=reason,
        detail={"change": "disabled", "sessions_ended": ended},
    )


def change_password(
    uow: UnitOfWork, *, actor: Actor, current: str, new: str, keep_token: str
) -> bool:
    """Set a new password for the actor; False when ``current`` is wrong. Raises
    ``PasswordRejectedError`` for a weak new one. Every other session of theirs ends."""
    user = uow.session.get(User, actor.user_id) if actor.user_id is not None else None
    if user is None:
        return False
    # Throttled like signing in: a session left open must not become a way to guess passwords.
    key = throttle.account_key(username=user.username)
    now = _now()
    if throttle.is_locked(uow, keys=[key], now=now) or not verify_password(
        user.password_hash, current
    ):
        throttle.record_failure(uow, keys=[key], now=now)
        uow.audit("sign_in_failed", "user", [user.id], purpose="wrong password when changing it")
        return False
    check_new_password(new, username=user.username)
    user.password_hash = hash_password(new)
    ended = _end_sessions(uow, user.id, keep=_token_hash(keep_token))
    uow.audit(
        "alteration",
        "user",
        [user.id],
        purpose="password changed",
        detail={"sessions_ended": ended},
    )
    return True


def agency_name(uow: UnitOfWork, agency_id: int) -> str:
    agency = uow.session.get(Agency, agency_id)
    return agency.name if agency else ""


def _second_factor(
    uow: UnitOfWork, pending: Pending, factor: str, now: datetime, verify: _Check
) -> SignedIn | Refusal:
    keys = throttle.throttle_keys(username=pending.username, source=uow.source)
    if throttle.is_locked(uow, keys=keys, now=now):
        return "locked"
    if not verify():
        throttle.record_failure(uow, keys=keys, now=now)
        uow.audit(
            "sign_in_failed",
            "user",
            [pending.user_id],
            purpose="sign-in refused at the second factor",
            detail={"factor": factor},
        )
        return "refused"
    throttle.clear_failures(uow, key=keys[0])
    return _start_session(uow, pending, factor, now)


def _start_session(uow: UnitOfWork, pending: Pending, factor: str, now: datetime) -> SignedIn:
    # A new token: nothing known before the second factor (the pending token) carries over.
    uow.session.execute(
        delete(PendingSignIn).where(PendingSignIn.token_hash == _token_hash(pending.token))
    )
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)  # 256 bits each
    uow.session.add(
        WebSession(
            token_hash=_token_hash(token),
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


def _end_sessions(uow: UnitOfWork, user_id: int, keep: str | None = None) -> int:
    sessions = delete(WebSession).where(WebSession.user_id == user_id)
    if keep is not None:
        sessions = sessions.where(WebSession.token_hash != keep)
    ended = getattr(uow.session.execute(sessions), "rowcount", 0)
    uow.session.execute(delete(PendingSignIn).where(PendingSignIn.user_id == user_id))
    uow.mark_changed()
    return int(ended or 0)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)
