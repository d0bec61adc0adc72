"""Second factors: a TOTP code works once, recovery codes work once and are stored hashed,
and a first sign-in sets up an app and gives ten recovery codes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import text

from safehub.access.actor import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.services.accounts import mfa
from safehub.services.accounts.signin import (
    Enrolled,
    PasswordAccepted,
    SignedIn,
    enrol_and_sign_in,
    pending_sign_in,
    sign_in_with_recovery_code,
)
from tests.signin.flows import SECRET, T0, code_step, give_totp, password_step, user_id


@pytest.fixture
def enrolled(app_db: Database, make_user: Callable[..., str]) -> str:
    username = make_user("social_worker")
    give_totp(app_db, username)
    return username


def _accepted(db: Database, username: str, now: object = T0) -> PasswordAccepted:
    step = password_step(db, username, now=now)  # type: ignore[arg-type]
    assert isinstance(step, PasswordAccepted), step
    return step


def test_a_totp_code_is_accepted_once(app_db: Database, enrolled: str) -> None:
    code = pyotp.TOTP(SECRET).at(T0)
    assert isinstance(code_step(app_db, _accepted(app_db, enrolled).token, code), SignedIn)
    # The same code, ten seconds later and within its window, from a new sign-in: refused.
    later = T0 + timedelta(seconds=10)
    replay = code_step(app_db, _accepted(app_db, enrolled, later).token, code, now=later)
    assert replay == "refused"


def test_an_earlier_code_is_refused_after_a_later_one_was_used(
    app_db: Database, enrolled: str
) -> None:
    totp = pyotp.TOTP(SECRET)
    assert isinstance(code_step(app_db, _accepted(app_db, enrolled).token, totp.at(T0)), SignedIn)
    earlier = totp.at(T0 - timedelta(seconds=30))  # still inside the drift window
    assert code_step(app_db, _accepted(app_db, enrolled).token, earlier) == "refused"


def test_the_next_code_works_after_one_was_used(app_db: Database, enrolled: str) -> None:
    totp = pyotp.TOTP(SECRET)
    assert isinstance(code_step(app_db, _accepted(app_db, enrolled).token, totp.at(T0)), SignedIn)
    later = T0 + timedelta(seconds=30)
    result = code_step(app_db, _accepted(app_db, enrolled, later).token, totp.at(later), now=later)
    assert isinstance(result, SignedIn)


def test_a_code_from_two_minutes_ago_is_refused(app_db: Database, enrolled: str) -> None:
    stale = pyotp.TOTP(SECRET).at(T0 - timedelta(minutes=2))
    assert code_step(app_db, _accepted(app_db, enrolled).token, stale) == "refused"


def test_a_first_sign_in_sets_up_an_app_and_gives_ten_recovery_codes(
    app_db: Database, make_user: Callable[..., str]
) -> None:
    username = make_user("social_worker")
    step = _accepted(app_db, username)
    assert step.needs_enrolment
    with unit_of_work(app_db, actor=Actor(label="anonymous")) as uow:
        waiting = pending_sign_in(uow, token=step.token, now=T0)
        assert waiting is not None
        enrolment = mfa.pending_totp_enrolment(uow, user_id=waiting.user_id, username=username)
        assert enrolment is not None and enrolment.uri.startswith("otpauth://totp/Safehub:")
        result = enrol_and_sign_in(
            uow, pending=waiting, code=pyotp.TOTP(enrolment.secret).at(T0), now=T0
        )
        uow.commit()
    assert isinstance(result, Enrolled)
    assert len(result.recovery_codes) == len(set(result.recovery_codes)) == 10
    stored = _stored_hashes(app_db, username)
    assert len(stored) == 10
    assert not any(c.replace("-", "") in h for c in result.recovery_codes for h in stored)


def test_an_app_cannot_be_set_up_again_from_a_password_alone(
    app_db: Database, enrolled: str
) -> None:
    step = _accepted(app_db, enrolled)
    with unit_of_work(app_db, actor=Actor(label="anonymous")) as uow:
        waiting = pending_sign_in(uow, token=step.token, now=T0)
        assert waiting is not None
        result = enrol_and_sign_in(uow, pending=waiting, code="123456", now=T0)
    assert result == "refused"


def test_a_recovery_code_signs_in_once(app_db: Database, enrolled: str) -> None:
    with unit_of_work(app_db, actor=Actor(label="system:test")) as uow:
        codes = mfa.issue_recovery_codes(uow, user_id=user_id(app_db, enrolled))
        uow.commit()
    typed = codes[3].lower().replace("-", " ")  # case and separators do not matter
    assert isinstance(_recover(app_db, enrolled, typed), SignedIn)
    assert _recover(app_db, enrolled, codes[3]) == "refused"
    assert isinstance(_recover(app_db, enrolled, codes[4]), SignedIn)


def test_new_recovery_codes_replace_the_old_ones(app_db: Database, enrolled: str) -> None:
    uid = user_id(app_db, enrolled)
    with unit_of_work(app_db, actor=Actor(label="system:test")) as uow:
        old = mfa.issue_recovery_codes(uow, user_id=uid)
        mfa.issue_recovery_codes(uow, user_id=uid)
        uow.commit()
    assert _recover(app_db, enrolled, old[0]) == "refused"


def _recover(db: Database, username: str, code: str) -> object:
    step = _accepted(db, username)
    with unit_of_work(db, actor=Actor(label="anonymous")) as uow:
        waiting = pending_sign_in(uow, token=step.token, now=T0)
        assert waiting is not None
        result = sign_in_with_recovery_code(uow, pending=waiting, code=code, now=T0)
        uow.commit()
    return result


def _stored_hashes(db: Database, username: str) -> list[str]:
    with db.owner_engine.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT code_hash FROM mfa_recovery_code r JOIN app_user u ON u.id = r.user_id "
                    "WHERE u.username = :u"
                ),
                {"u": username},
            ).scalars()
        )
