"""Staff accounts and signed-in sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update

from safehub.db.models import Agency, User, WebSession
from safehub.db.uow import Actor, UnitOfWork

IDLE_TIMEOUT = timedelta(minutes=15)
ABSOLUTE_TIMEOUT = timedelta(hours=10)
_hasher = PasswordHasher()
# Verifying against a dummy hash when the username is unknown keeps the timing the same, so the
# response does not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


@dataclass(frozen=True, slots=True)
class SignedIn:
    token: str
    csrf_token: str
    actor: Actor


@dataclass(frozen=True, slots=True)
class StaffUser:
    """The signed-in user as pages need them: plain values, safe to use after the request."""

    id: int
    username: str
    display_name: str
    role: str
    agency_id: int
    team_id: int | None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_user(
    uow: UnitOfWork, *, username: str, display_name: str, password: str, role: str,
    agency_id: int, team_id: int | None = None, email: str | None = None,
) -> User:  # fmt: skip
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


def sign_in(
    uow: UnitOfWork, *, username: str, password: str, now: datetime | None = None
) -> SignedIn | None:
    """A new session for the right password, else None (the same answer for any failure)."""
    user = uow.session.scalars(select(User).where(User.username == username)).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    now = now or datetime.now(UTC)
    token = secrets.token_urlsafe(32)  # 256 bits
    csrf = secrets.token_urlsafe(32)
    uow.session.add(
        WebSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            csrf_token=csrf,
        )
    )
    uow.audit("sign_in", "user", [user.id], purpose="signed in")
    return SignedIn(token, csrf, actor_for(user))


def resume_session(
    uow: UnitOfWork, *, token: str, now: datetime | None = None
) -> tuple[Actor, StaffUser, str] | None:
    """The actor behind a session token, or None when it is unknown or has timed out."""
    now = now or datetime.now(UTC)
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


def agency_name(uow: UnitOfWork, agency_id: int) -> str:
    agency = uow.session.get(Agency, agency_id)
    return agency.name if agency else ""


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
