"""Signing in through the services, with the clock in the test's hands."""

from __future__ import annotations

from datetime import UTC, datetime

import pyotp
from sqlalchemy import text

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.accounts import mfa
from safehub.services.accounts.signin import (
    PasswordAccepted,
    Pending,
    SignedIn,
    check_password,
    pending_sign_in,
    sign_in_with_code,
)
from tests.conftest import PASSWORD

SYSTEM = Actor(label="system:test")
SOURCE = "192.0.2.10"
SECRET = pyotp.random_base32()
T0 = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


def user_id(db: Database, username: str) -> int:
    with db.owner_engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT id FROM app_user WHERE username = :u"), {"u": username}
            ).scalar_one()
        )


def give_totp(db: Database, username: str, secret: str = SECRET) -> None:
    with unit_of_work(db, actor=SYSTEM) as uow:
        mfa.set_up_totp(uow, user_id=user_id(db, username), secret=secret, now=T0)
        uow.commit()


def password_step(
    db: Database,
    username: str,
    *,
    password: str = PASSWORD,
    now: datetime = T0,
    source: str = SOURCE,
) -> PasswordAccepted | str:
    with unit_of_work(db, actor=Actor(label="anonymous"), source=source) as uow:
        result = check_password(uow, username=username, password=password, now=now)
        uow.commit()
    return result


def pending(db: Database, token: str, now: datetime = T0) -> Pending | None:
    with unit_of_work(db, actor=Actor(label="anonymous")) as uow:
        found = pending_sign_in(uow, token=token, now=now)
        uow.commit()
    return found


def code_step(
    db: Database, token: str, code: str, *, now: datetime = T0, source: str = SOURCE
) -> SignedIn | str:
    with unit_of_work(db, actor=Actor(label="anonymous"), source=source) as uow:
        waiting = pending_sign_in(uow, token=token, now=now)
        assert waiting is not None, "the pending sign-in has gone"
        result = sign_in_with_code(uow, pending=waiting, code=code, now=now)
        uow.commit()
    return result


def full_sign_in(db: Database, username: str, now: datetime = T0) -> SignedIn:
    """Both steps, with the code the app shows at ``now``."""
    step = password_step(db, username, now=now)
    assert isinstance(step, PasswordAccepted), step
    signed = code_step(db, step.token, pyotp.TOTP(SECRET).at(now), now=now)
    assert isinstance(signed, SignedIn), signed
    return signed
