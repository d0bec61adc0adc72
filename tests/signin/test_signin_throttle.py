"""Throttling (ASVS 5.0): guesses slow down, progressively, but nobody can lock a named person or
an office out. The guesser's own address is held; the owner's usual places are not; the owner
is told; an unknown username is held exactly like a real one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pyotp
import pytest
from sqlalchemy import text

from safehub.db.database import Database
from safehub.services.accounts.signin import PasswordAccepted, SignedIn
from safehub.services.accounts.throttle import ACCOUNT_LIMIT, PAIR_LIMIT, SOURCE_LIMIT, lock_for
from tests.signin.flows import SECRET, T0, code_step, give_totp, password_step, user_id

OFFICE, GUESSER, ELSEWHERE = "192.0.2.10", "203.0.113.9", "198.51.100.7"


@pytest.fixture
def enrolled(app_db: Database, make_user: Callable[..., str]) -> str:
    username = make_user("social_worker")
    give_totp(app_db, username)
    return username


def _fail(
    db: Database, username: str, times: int, *, source: str = GUESSER, start: datetime = T0
) -> list[object]:
    return [
        password_step(
            db,
            username,
            password="wrong password!",
            now=start + timedelta(seconds=i),
            source=source,
        )
        for i in range(times)
    ]


def _sign_in_fully(db: Database, username: str, *, source: str, now: datetime) -> None:
    step = password_step(db, username, now=now, source=source)
    assert isinstance(step, PasswordAccepted), step
    signed = code_step(db, step.token, pyotp.TOTP(SECRET).at(now), now=now, source=source)
    assert isinstance(signed, SignedIn), signed


def test_holds_grow_from_one_minute_and_never_pass_their_cap() -> None:
    pair = [lock_for(PAIR_LIMIT, n) for n in range(4, 12)]
    assert pair == [None] + [timedelta(minutes=m) for m in (1, 2, 4, 8, 15, 15, 15)]
    assert lock_for(ACCOUNT_LIMIT, 9) is None and lock_for(ACCOUNT_LIMIT, 10) == timedelta(
        seconds=30
    )
    assert lock_for(SOURCE_LIMIT, 1000) == SOURCE_LIMIT.cap


def test_five_wrong_passwords_hold_the_guessers_address_not_the_owner(
    app_db: Database, enrolled: str
) -> None:
    assert _fail(app_db, enrolled, 5) == ["refused"] * 5
    soon = T0 + timedelta(seconds=30)
    assert password_step(app_db, enrolled, now=soon, source=GUESSER) == "locked"
    assert isinstance(password_step(app_db, enrolled, now=soon, source=OFFICE), PasswordAccepted)


def test_the_guessers_hold_doubles_with_each_further_failure(
    app_db: Database, enrolled: str
) -> None:
    _fail(app_db, enrolled, 5)  # held for a minute from the fifth, at T0+4s
    after_first = T0 + timedelta(seconds=4, minutes=1, milliseconds=1)
    again = password_step(
        app_db, enrolled, password="wrong again!", now=after_first, source=GUESSER
    )
    assert again == "refused"
    # The sixth failure holds the pair for two minutes.
    held = after_first + timedelta(minutes=1, seconds=59)
    assert password_step(app_db, enrolled, now=held, source=GUESSER) == "locked"
    free = after_first + timedelta(minutes=2, milliseconds=1)
    assert isinstance(password_step(app_db, enrolled, now=free, source=GUESSER), PasswordAccepted)


def test_guessing_from_many_addresses_holds_new_places_but_never_the_owners_usual_one(
    app_db: Database, enrolled: str
) -> None:
    _sign_in_fully(app_db, enrolled, source=OFFICE, now=T0 - timedelta(days=3))
    for n in range(ACCOUNT_LIMIT.free):  # two from each of five addresses: no pair is held
        _fail(app_db, enrolled, 1, source=f"203.0.113.{n // 2}", start=T0 + timedelta(seconds=n))
    soon = T0 + timedelta(seconds=20)
    assert password_step(app_db, enrolled, now=soon, source=ELSEWHERE) == "locked"
    assert isinstance(password_step(app_db, enrolled, now=soon, source=OFFICE), PasswordAccepted)


def test_the_owner_is_told_once_when_their_account_trips(app_db: Database, enrolled: str) -> None:
    for n in range(ACCOUNT_LIMIT.free + 3):
        _fail(app_db, enrolled, 1, source=f"203.0.113.{n}", start=T0 + timedelta(seconds=n))
    with app_db.owner_engine.connect() as conn:
        told = conn.execute(
            text("SELECT subject, body FROM notification WHERE user_id = :u"),
            {"u": user_id(app_db, enrolled)},
        ).all()
    assert len(told) == 1
    assert told[0][0] == "Failed sign-ins to your account"
    assert f"{ACCOUNT_LIMIT.free} failed attempts" in told[0][1]


def test_an_unknown_username_is_held_exactly_like_a_real_one(app_db: Database) -> None:
    assert _fail(app_db, "nobody@la-bradford", 5) == ["refused"] * 5
    soon = T0 + timedelta(seconds=30)
    assert password_step(app_db, "nobody@la-bradford", now=soon, source=GUESSER) == "locked"


def test_an_address_guessing_many_accounts_is_held_only_for_accounts_new_to_it(
    app_db: Database, enrolled: str, make_user: Callable[..., str]
) -> None:
    colleague = make_user("team_manager")
    give_totp(app_db, colleague)
    _sign_in_fully(app_db, colleague, source=GUESSER, now=T0 - timedelta(days=1))
    for n in range(SOURCE_LIMIT.free):
        _fail(app_db, f"guess{n}@la-bradford", 1, start=T0 + timedelta(seconds=n))
    soon = T0 + timedelta(seconds=SOURCE_LIMIT.free + 5)
    assert password_step(app_db, enrolled, now=soon, source=GUESSER) == "locked"
    # The colleague who signs in from that office every day is not held by it.
    assert isinstance(password_step(app_db, colleague, now=soon, source=GUESSER), PasswordAccepted)
    assert isinstance(password_step(app_db, enrolled, now=soon, source=ELSEWHERE), PasswordAccepted)


def test_wrong_codes_count_towards_the_hold(app_db: Database, enrolled: str) -> None:
    step = password_step(app_db, enrolled, source=OFFICE)
    assert isinstance(step, PasswordAccepted)
    codes = [code_step(app_db, step.token, "000000", source=OFFICE) for _ in range(5)]
    assert codes == ["refused"] * 5
    # Even the right code is refused while held: guessing codes cannot go on.
    assert code_step(app_db, step.token, pyotp.TOTP(SECRET).at(T0), source=OFFICE) == "locked"


def test_a_full_sign_in_clears_the_count_of_that_place(app_db: Database, enrolled: str) -> None:
    _fail(app_db, enrolled, 4, source=OFFICE)
    _sign_in_fully(app_db, enrolled, source=OFFICE, now=T0 + timedelta(seconds=10))
    later = T0 + timedelta(minutes=1)
    assert _fail(app_db, enrolled, 4, source=OFFICE, start=later) == ["refused"] * 4
    after = later + timedelta(seconds=10)
    assert isinstance(password_step(app_db, enrolled, now=after, source=OFFICE), PasswordAccepted)
