"""Sessions: only after the second factor, a new token each step, idle and absolute timeouts,
and every session ended when an account is disabled. The clock is passed in, never patched."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.accounts.signin import PasswordAccepted, resume_session
from safehub.services.accounts.users import disable_user
from safehub.services.errors import ForbiddenError
from tests.signin.flows import SYSTEM, T0, full_sign_in, give_totp, password_step, pending, user_id


@pytest.fixture
def enrolled(app_db: Database, make_user: Callable[..., str]) -> str:
    username = make_user("social_worker")
    give_totp(app_db, username)
    return username


def _resume(db: Database, token: str, at: timedelta) -> object:
    with unit_of_work(db, actor=SYSTEM) as uow:
        found = resume_session(uow, token=token, now=T0 + at)
        uow.commit()
    return found


def test_a_right_password_alone_gives_no_session(app_db: Database, enrolled: str) -> None:
    step = password_step(app_db, enrolled)
    assert isinstance(step, PasswordAccepted) and not step.needs_enrolment
    assert _resume(app_db, step.token, timedelta(0)) is None


def test_the_password_ok_state_lasts_five_minutes(app_db: Database, enrolled: str) -> None:
    step = password_step(app_db, enrolled)
    assert isinstance(step, PasswordAccepted)
    assert pending(app_db, step.token, T0 + timedelta(minutes=4, seconds=59)) is not None
    assert pending(app_db, step.token, T0 + timedelta(minutes=5, seconds=1)) is None
    # Expired means removed, not merely refused.
    assert pending(app_db, step.token, T0) is None


def test_the_session_token_is_new_after_the_second_factor(app_db: Database, enrolled: str) -> None:
    step = password_step(app_db, enrolled)
    assert isinstance(step, PasswordAccepted)
    signed = full_sign_in(app_db, enrolled, T0 + timedelta(minutes=1))
    assert signed.token != step.token and len(signed.token) >= 43  # 256 bits, base64url
    assert _resume(app_db, signed.token, timedelta(minutes=1)) is not None


def test_a_session_ends_after_15_minutes_idle(app_db: Database, enrolled: str) -> None:
    signed = full_sign_in(app_db, enrolled)
    assert _resume(app_db, signed.token, timedelta(minutes=14, seconds=59)) is not None
    # Each use moves the idle timer on: 14:59 after that use is still fine...
    assert _resume(app_db, signed.token, timedelta(minutes=29, seconds=58)) is not None
    # ...but 15 minutes and a second of silence is not.
    assert _resume(app_db, signed.token, timedelta(minutes=44, seconds=59)) is None


def test_a_session_ends_after_10_hours_however_busy(app_db: Database, enrolled: str) -> None:
    signed = full_sign_in(app_db, enrolled)
    for minutes in range(10, 600, 10):
        assert _resume(app_db, signed.token, timedelta(minutes=minutes)) is not None
    assert _resume(app_db, signed.token, timedelta(hours=10, seconds=1)) is None


def test_disabling_an_account_ends_every_session_at_once(app_db: Database, enrolled: str) -> None:
    first = full_sign_in(app_db, enrolled)
    second = full_sign_in(app_db, enrolled, T0 + timedelta(seconds=30))
    waiting = password_step(app_db, enrolled, now=T0 + timedelta(seconds=40))
    assert isinstance(waiting, PasswordAccepted)
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        disable_user(uow, target_user_id=user_id(app_db, enrolled), reason="left the service")
        uow.commit()
    assert _resume(app_db, first.token, timedelta(minutes=1)) is None
    assert _resume(app_db, second.token, timedelta(minutes=1)) is None
    assert pending(app_db, waiting.token, T0 + timedelta(minutes=1)) is None
    with app_db.owner_engine.connect() as conn:
        from sqlalchemy import text

        left = conn.execute(text("SELECT count(*) FROM web_session")).scalar_one()
    assert left == 0
    assert password_step(app_db, enrolled, now=T0 + timedelta(minutes=2)) == "refused"


def test_only_user_managers_may_disable_accounts(
    app_db: Database, enrolled: str, make_user: Callable[..., str]
) -> None:
    worker = Actor(label="user:9:x", user_id=9, agency_id=1, role="social_worker")
    with unit_of_work(app_db, actor=worker) as uow, pytest.raises(ForbiddenError):
        disable_user(uow, target_user_id=user_id(app_db, enrolled), reason="no")
