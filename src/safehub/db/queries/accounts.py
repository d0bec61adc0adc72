"""SQL for staff accounts, sign-in sessions, second factors and the sign-in throttle.

Tokens and codes are looked up by their hashes only (``services.accounts``): nothing here sees a
token, a code or a password.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from safehub.db.models import User, WebSession
from safehub.db.models.auth import (
    Passkey,
    PendingSignIn,
    RecoveryCode,
    SignInThrottle,
    TotpFactor,
)


def get_user_by_username(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).first()


def session_and_user(session: Session, token_hash: str) -> tuple[WebSession, User | None] | None:
    """A sign-in session and its user, in one statement (every staff page asks: it was two)."""
    found = session.execute(
        select(WebSession, User)
        .outerjoin(User, User.id == WebSession.user_id)
        .where(WebSession.token_hash == token_hash)
    ).first()
    return (found[0], found[1]) if found else None


def set_session_seen(session: Session, token_hash: str, at: datetime) -> None:
    session.execute(
        update(WebSession).where(WebSession.token_hash == token_hash).values(last_seen_at=at)
    )


def delete_session(session: Session, token_hash: str) -> int:
    """Remove one session; how many were removed (0 or 1)."""
    result = session.execute(delete(WebSession).where(WebSession.token_hash == token_hash))
    return int(getattr(result, "rowcount", 0) or 0)


def delete_pending_sign_in(session: Session, token_hash: str) -> int:
    """Remove one half-finished sign-in; how many were removed (0 or 1)."""
    result = session.execute(delete(PendingSignIn).where(PendingSignIn.token_hash == token_hash))
    return int(getattr(result, "rowcount", 0) or 0)


def delete_sign_ins_of(session: Session, user_id: int, *, keep: str | None = None) -> int:
    """End every session of a user but ``keep`` (a token hash), and every half-finished
    sign-in; how many sessions ended."""
    sessions = delete(WebSession).where(WebSession.user_id == user_id)
    if keep is not None:
        sessions = sessions.where(WebSession.token_hash != keep)
    ended = getattr(session.execute(sessions), "rowcount", 0)
    session.execute(delete(PendingSignIn).where(PendingSignIn.user_id == user_id))
    return int(ended or 0)


def list_locked_until(session: Session, key_hashes: list[str]) -> list[datetime | None]:
    """When each of these throttle counters that exists is locked until (None: not locked)."""
    query = select(SignInThrottle.locked_until).where(SignInThrottle.key_hash.in_(key_hashes))
    return list(session.scalars(query))


def upsert_failure(session: Session, key_hash: str, *, now: datetime, window: timedelta) -> int:
    """Count one failure against a counter; the failures in its current window."""
    # One atomic upsert, so that parallel guesses cannot slip past the count.
    row = SignInThrottle
    stale = row.window_started_at <= now - window
    upsert = (
        insert(row)
        .values(key_hash=key_hash, failures=1, window_started_at=now)
        .on_conflict_do_update(
            index_elements=[row.key_hash],
            set_={
                "failures": case((stale, 1), else_=row.failures + 1),
                "window_started_at": case((stale, now), else_=row.window_started_at),
            },
        )
        .returning(row.failures)
    )
    return int(session.execute(upsert).scalar_one())


def delete_throttle(session: Session, key_hash: str) -> None:
    session.execute(delete(SignInThrottle).where(SignInThrottle.key_hash == key_hash))


def count_passkeys(session: Session, user_id: int) -> int:
    query = select(func.count()).select_from(Passkey).where(Passkey.user_id == user_id)
    return int(session.scalar(query) or 0)


def count_unused_recovery_codes(session: Session, user_id: int) -> int:
    query = (
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    )
    return int(session.scalar(query) or 0)


def get_totp_for_update(session: Session, user_id: int) -> TotpFactor | None:
    """The user's authenticator app, locked for the rest of the transaction: two requests racing
    with the same code cannot both see it unused."""
    query = select(TotpFactor).where(TotpFactor.user_id == user_id).with_for_update()
    return session.scalars(query).first()


def get_confirmed_totp_by_username(session: Session, username: str) -> TotpFactor | None:
    query = (
        select(TotpFactor)
        .join(User, User.id == TotpFactor.user_id)
        .where(User.username == username, TotpFactor.confirmed_at.is_not(None))
    )
    return session.scalars(query).first()


def delete_recovery_codes(session: Session, user_id: int) -> None:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))


def set_recovery_code_used(session: Session, user_id: int, code_hash: str, at: datetime) -> bool:
    """Mark an unused code of the user as used; False when there is no such unused code."""
    used = session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.used_at.is_(None),
            RecoveryCode.code_hash == code_hash,
        )
        .values(used_at=at)
        .returning(RecoveryCode.id)
    ).first()
    return used is not None


def list_passkeys(session: Session, user_id: int, *, rp_id: str | None = None) -> list[Passkey]:
    """The user's passkeys (those made on ``rp_id`` when given), oldest first."""
    query = select(Passkey).where(Passkey.user_id == user_id)
    if rp_id is not None:
        query = query.where(Passkey.rp_id == rp_id)
    return list(session.scalars(query.order_by(Passkey.id)))


def get_passkey_for_update(
    session: Session, user_id: int, *, rp_id: str, credential_id: bytes
) -> Passkey | None:
    """One of the user's passkeys on ``rp_id``, locked: two answers racing cannot both count."""
    query = (
        select(Passkey)
        .where(
            Passkey.user_id == user_id,
            Passkey.rp_id == rp_id,
            Passkey.credential_id == credential_id,
        )
        .with_for_update()
    )
    return session.scalars(query).first()


def delete_passkey(session: Session, user_id: int, passkey_id: int) -> bool:
    """Remove one of the user's passkeys; False when the user has no such passkey."""
    removed = session.execute(
        delete(Passkey)
        .where(Passkey.id == passkey_id, Passkey.user_id == user_id)
        .returning(Passkey.id)
    ).first()
    return removed is not None


def set_user_agency_and_role(session: Session, user_id: int, *, agency_id: int, role: str) -> None:
    """Move a user to another agency or role. The application role holds no UPDATE privilege on
    these two columns: the change goes through the database function that checks the caller is
    the system or an administrator."""
    session.execute(
        text("SELECT safehub_reassign_user(:u, :a, :r)"),
        {"u": user_id, "a": agency_id, "r": role},
    )


def set_throttle_until(session: Session, key_hash: str, *, until: datetime) -> None:
    """Hold a counter until ``until``, keeping its count (the next delay grows from it)."""
    session.execute(
        update(SignInThrottle).where(SignInThrottle.key_hash == key_hash).values(locked_until=until)
    )


def upsert_familiar(session: Session, key_hash: str, *, now: datetime) -> None:
    """Remember that an account signed in fully from a source (the marker row's window start is
    when it last did)."""
    row = SignInThrottle
    session.execute(
        insert(row)
        .values(key_hash=key_hash, failures=0, window_started_at=now)
        .on_conflict_do_update(index_elements=[row.key_hash], set_={"window_started_at": now})
    )


def get_familiar_since(session: Session, key_hash: str) -> datetime | None:
    """When the account last signed in fully from this source (None: never, or forgotten)."""
    query = select(SignInThrottle.window_started_at).where(SignInThrottle.key_hash == key_hash)
    return session.scalar(query)
