"""The TOTP secret is stored sealed: a database dump alone gives no one's second factor."""

from __future__ import annotations

import importlib.util
import stat
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pyotp
import pytest
from alembic import command
from sqlalchemy import text

from safehub.config import load_settings
from safehub.db.database import Database, migrations_path
from safehub.db.migrate import alembic_config
from safehub.db.secrets_at_rest import DEV_SECRET_FILE, SecretBox, UnsealError
from safehub.db.uow import unit_of_work
from safehub.services.accounts import mfa
from tests.signin.flows import SECRET, SYSTEM, T0, give_totp, user_id

KEY = "k" * 40
OTHER_KEY = "o" * 40


def _stored(db: Database, uid: int) -> str:
    with db.owner_engine.connect() as conn:
        return str(
            conn.execute(
                text("SELECT secret FROM mfa_totp WHERE user_id = :u"), {"u": uid}
            ).scalar_one()
        )


def _store(db: Database, uid: int, value: str) -> None:
    with db.owner_engine.begin() as conn:
        conn.execute(
            text("UPDATE mfa_totp SET secret = :s WHERE user_id = :u"), {"s": value, "u": uid}
        )


def test_the_stored_secret_is_sealed_not_the_secret(
    app_db: Database, make_user: Callable[..., str]
) -> None:
    username = make_user()
    give_totp(app_db, username, SECRET)
    uid = user_id(app_db, username)
    stored = _stored(app_db, uid)
    assert stored.startswith("v1:")
    assert SECRET not in stored
    assert app_db.secrets.unseal(stored, bound_to=mfa.totp_bound_to(uid)) == SECRET


def test_enrolment_shows_the_plain_secret_and_stores_it_sealed(
    app_db: Database, make_user: Callable[..., str]
) -> None:
    username = make_user()
    uid = user_id(app_db, username)
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        started = mfa.start_totp_enrolment(uow, user_id=uid, username=username)
        uow.commit()
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        pending = mfa.pending_totp_enrolment(uow, user_id=uid, username=username)
    assert pending == started
    assert f"secret={started.secret}" in started.uri
    stored = _stored(app_db, uid)
    assert stored.startswith("v1:") and started.secret not in stored


def test_a_code_from_the_app_is_accepted_with_the_secret_sealed(
    app_db: Database, make_user: Callable[..., str]
) -> None:
    username = make_user()
    give_totp(app_db, username, SECRET)
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        uid = user_id(app_db, username)
        assert mfa.verify_totp(uow, user_id=uid, code=pyotp.TOTP(SECRET).at(T0), now=T0)
        assert not mfa.verify_totp(uow, user_id=uid, code="000000", now=T0)


def test_a_value_sealed_under_another_key_does_not_open() -> None:
    sealed = SecretBox(OTHER_KEY).seal(SECRET, bound_to="mfa_totp:1")
    with pytest.raises(UnsealError, match="sealed under another SAFEHUB_SECRET_KEY"):
        SecretBox(KEY).unseal(sealed, bound_to="mfa_totp:1")


def test_a_sealed_secret_copied_into_another_users_row_does_not_open() -> None:
    box = SecretBox(KEY)
    mine = box.seal(SECRET, bound_to=mfa.totp_bound_to(1))
    with pytest.raises(UnsealError):
        box.unseal(mine, bound_to=mfa.totp_bound_to(2))


@pytest.mark.parametrize("value", ["JBSWY3DPEHPK3PXP", "v1:", "v1:not base64!", "v1:AAAA"])
def test_a_plain_or_damaged_value_raises_rather_than_returning_garbage(value: str) -> None:
    with pytest.raises(UnsealError):
        SecretBox(KEY).unseal(value, bound_to="mfa_totp:1")


def test_an_altered_sealed_value_does_not_open() -> None:
    box = SecretBox(KEY)
    sealed = box.seal(SECRET, bound_to="mfa_totp:1")
    flipped = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    with pytest.raises(UnsealError):
        box.unseal(flipped, bound_to="mfa_totp:1")


def test_signing_in_refuses_a_secret_sealed_under_another_key(
    app_db: Database, make_user: Callable[..., str]
) -> None:
    username = make_user()
    give_totp(app_db, username, SECRET)
    uid = user_id(app_db, username)
    _store(app_db, uid, SecretBox(OTHER_KEY).seal(SECRET, bound_to=mfa.totp_bound_to(uid)))
    with unit_of_work(app_db, actor=SYSTEM) as uow, pytest.raises(UnsealError):
        mfa.verify_totp(uow, user_id=uid, code=pyotp.TOTP(SECRET).at(T0), now=T0)


def test_the_key_comes_from_the_configured_secret_key(tmp_path: Path) -> None:
    settings = load_settings(
        {"SAFEHUB_ENV": "production", "SAFEHUB_SECRET_KEY": KEY, "SAFEHUB_DATA_DIR": str(tmp_path)}
    )
    sealed = SecretBox.for_settings(settings).seal(SECRET, bound_to="mfa_totp:1")
    assert SecretBox(KEY).unseal(sealed, bound_to="mfa_totp:1") == SECRET
    assert not (tmp_path / DEV_SECRET_FILE).exists()


def test_without_a_secret_key_development_keeps_one_in_the_data_folder(tmp_path: Path) -> None:
    # Each process gets its own made-up SAFEHUB_SECRET_KEY; a secret sealed by `safehub demo`
    # must still open in the server and in `safehub demo-code`.
    env = {"SAFEHUB_ENV": "development", "SAFEHUB_DATA_DIR": str(tmp_path)}
    first, second = load_settings(env), load_settings(env)
    assert first.secret_key != second.secret_key
    sealed = SecretBox.for_settings(first).seal(SECRET, bound_to="mfa_totp:1")
    assert SecretBox.for_settings(second).unseal(sealed, bound_to="mfa_totp:1") == SECRET
    assert stat.S_IMODE((tmp_path / DEV_SECRET_FILE).stat().st_mode) == 0o600


def test_the_migration_seals_plain_secrets_and_its_downgrade_opens_them(
    app_db: Database, make_user: Callable[..., str]
) -> None:
    username = make_user()
    give_totp(app_db, username, SECRET)
    uid = user_id(app_db, username)
    config = alembic_config(app_db.owner_engine, secrets=app_db.secrets)

    command.downgrade(config, "0010")
    assert _stored(app_db, uid) == SECRET
    command.upgrade(config, "0011")

    sealed = _stored(app_db, uid)
    assert sealed.startswith("v1:") and SECRET not in sealed
    assert app_db.secrets.unseal(sealed, bound_to=mfa.totp_bound_to(uid)) == SECRET
    with unit_of_work(app_db, actor=SYSTEM) as uow:
        assert mfa.verify_totp(uow, user_id=uid, code=pyotp.TOTP(SECRET).at(T0), now=T0)


def test_the_migration_leaves_sealed_secrets_as_they_are(
    app_db: Database, make_user: Callable[..., str]
) -> None:
    username = make_user()
    give_totp(app_db, username, SECRET)
    uid = user_id(app_db, username)
    before = _stored(app_db, uid)
    with app_db.owner_engine.begin() as conn:
        assert _migration_0011().seal_plain_rows(conn, app_db.secrets) == 0
    assert _stored(app_db, uid) == before


def _migration_0011() -> ModuleType:
    path = migrations_path() / "versions" / "0011_totp_sealed.py"
    spec = importlib.util.spec_from_file_location("migration_0011", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
