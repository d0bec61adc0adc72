"""The signed-in user's own account: their second factors, recovery codes and password.

Every use case here acts on the account of whoever the unit of work acts as (``uow.actor``), so
no request can name another user's account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from safehub.db.models import User
from safehub.db.queries import accounts as q
from safehub.db.uow import UnitOfWork
from safehub.services.accounts import mfa, passkeys, throttle
from safehub.services.accounts.passkeys import Ceremony, PasskeySummary
from safehub.services.accounts.passwords import check_new_password, hash_password, verify_password
from safehub.services.accounts.signin import token_hash
from safehub.services.accounts.users import end_sign_ins
from safehub.services.errors import ForbiddenError


@dataclass(frozen=True, slots=True)
class AccountSecurity:
    """What the account page shows: the factors and the passkeys by name."""

    factors: mfa.Factors
    passkeys: list[PasskeySummary]


def view_account_security(uow: UnitOfWork) -> AccountSecurity:
    """The actor's second factors and passkeys."""
    user = _own_account(uow)
    return AccountSecurity(
        mfa.factors_of(uow, user_id=user.id), passkeys.list_passkeys(uow, user_id=user.id)
    )


def start_adding_passkey(uow: UnitOfWork, *, ceremony: Ceremony, now: datetime) -> str:
    """The JSON options for ``navigator.credentials.create`` for a new passkey of the actor."""
    user = _own_account(uow)
    return passkeys.registration_options(
        uow,
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        ceremony=ceremony,
        now=now,
    )


def add_passkey(
    uow: UnitOfWork, *, ceremony: Ceremony, credential: str, name: str, now: datetime
) -> int:
    """Keep the actor's new passkey once the browser's answer verifies; raises ``PasskeyError``."""
    user = _own_account(uow)
    return passkeys.register_passkey(
        uow, user_id=user.id, ceremony=ceremony, credential=credential, name=name, now=now
    )


def remove_passkey(uow: UnitOfWork, *, passkey_id: int) -> bool:
    """Remove one of the actor's own passkeys; False when they have no such passkey."""
    user = _own_account(uow)
    if not q.delete_passkey(uow.session, user.id, passkey_id):
        return False
    uow.mark_changed()
    uow.audit(
        "erasure", "user", [user.id], purpose="passkey removed", detail={"passkey_id": passkey_id}
    )
    return True


def issue_new_recovery_codes(uow: UnitOfWork) -> list[str]:
    """Ten new recovery codes for the actor, replacing their old ones."""
    return mfa.issue_recovery_codes(uow, user_id=_own_account(uow).id)


def change_password(uow: UnitOfWork, *, current: str, new: str, keep_token: str) -> bool:
    """Set a new password for the actor; False when ``current`` is wrong. Raises
    ``PasswordRejectedError`` for a weak new one. Every other session of theirs ends."""
    user = _own_account(uow)
    # Throttled like signing in: a session left open must not become a way to guess passwords.
    keys = throttle.throttle_keys(username=user.username, source=uow.source)
    now = datetime.now(UTC)
    if throttle.is_locked(uow, keys=keys, now=now) or not verify_password(
        user.password_hash, current
    ):
        throttle.record_failure(uow, keys=keys, now=now, owner_id=user.id)
        uow.audit("sign_in_failed", "user", [user.id], purpose="wrong password when changing it")
        return False
    check_new_password(new, username=user.username)
    user.password_hash = hash_password(new)
    ended = end_sign_ins(uow, user.id, keep_token_hash=token_hash(keep_token))
    uow.audit(
        "alteration",
        "user",
        [user.id],
        purpose="password changed",
        detail={"sessions_ended": ended},
    )
    return True


def _own_account(uow: UnitOfWork) -> User:
    """The account of the signed-in user acting; a system process has none."""
    user_id = uow.actor.user_id
    user = uow.session.get(User, user_id) if user_id is not None else None
    if user is None:
        raise ForbiddenError("only a signed-in user has an account")
    return user
