"""Throttling: five failures lock an account for 15 minutes (known or unknown username alike),
a source address is locked after twenty, and the lock lifts by itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pyotp
import pytest

from safehub.db.database import Database
from safehub.services.accounts.signin import PasswordAccepted, SignedIn
from tests.signin.flows import SECRET, T0, code_step, give_totp, password_step


@pytest.fixture
def enrolled(app_db: Database, make_user: Callable[..., str]) -> str:
    username = make_user("social_worker")
    give_totp(app_db, username)
    return username


def _fail(db: Database, username: str, times: int, *, source: str = "192.0.2.10") -> list[object]:
    return [
        password_step(
            db, username, password="wrong password!", now=T0 + timedelta(seconds=i), source=source
        )
        for i in range(times)
    ]


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(
    app_db: Database, enrolled: str
) -> None:
    assert _fail(app_db, enrolled, 5) == ["refused"] * 5
    later = T0 + timedelta(minutes=14)
    assert password_step(app_db, enrolled, now=later, source="198.51.100.7") == "locked"


def test_the_lock_lifts_after_15_minutes(app_db: Database, enrolled: str) -> None:
    _fail(app_db, enrolled, 5)
    after = T0 + timedelta(seconds=4, minutes=15, milliseconds=1)
    assert isinstance(password_step(app_db, enrolled, now=after), PasswordAccepted)


def test_four_failures_do_not_lock(app_db: Database, enrolled: str) -> None:
    _fail(app_db, enrolled, 4)
    assert isinstance(
        password_step(app_db, enrolled, now=T0 + timedelta(minutes=1)), PasswordAccepted
    )


def test_failures_older_than_the_window_are_forgotten(app_db: Database, enrolled: str) -> None:
    _fail(app_db, enrolled, 4)
    late = T0 + timedelta(minutes=16)
    assert password_step(app_db, enrolled, password="wrong again!", now=late) == "refused"
    assert isinstance(password_step(app_db, enrolled, now=late), PasswordAccepted)


def test_an_unknown_username_is_locked_exactly_like_a_real_one(app_db: Database) -> None:
    assert _fail(app_db, "nobody@la-bradford", 5) == ["refused"] * 5
    assert password_step(app_db, "nobody@la-bradford", now=T0 + timedelta(minutes=1)) == "locked"


def test_a_source_address_guessing_many_accounts_is_locked(app_db: Database, enrolled: str) -> None:
    for n in range(20):
        assert _fail(app_db, f"guess{n}@la-bradford", 1, source="203.0.113.9") == ["refused"]
    assert password_step(app_db, enrolled, source="203.0.113.9") == "locked"
    assert isinstance(password_step(app_db, enrolled, source="198.51.100.7"), PasswordAccepted)


def test_wrong_codes_count_towards_the_lock(app_db: Database, enrolled: str) -> None:
    step = password_step(app_db, enrolled)
    assert isinstance(step, PasswordAccepted)
    assert [code_step(app_db, step.token, "000000") for _ in range(5)] == ["refused"] * 5
    # Even the right code is refused while locked: guessing codes cannot go on.
    assert code_step(app_db, step.token, pyotp.TOTP(SECRET).at(T0)) == "locked"


def test_a_full_sign_in_clears_the_account_count(app_db: Database, enrolled: str) -> None:
    _fail(app_db, enrolled, 4)
    step = password_step(app_db, enrolled, now=T0 + timedelta(seconds=10))
    assert isinstance(step, PasswordAccepted)
    now = T0 + timedelta(seconds=10)
    assert isinstance(code_step(app_db, step.token, pyotp.TOTP(SECRET).at(now), now=now), SignedIn)
    assert _fail(app_db, enrolled, 4) == ["refused"] * 4
    assert isinstance(
        password_step(app_db, enrolled, now=T0 + timedelta(seconds=20)), PasswordAccepted
    )
