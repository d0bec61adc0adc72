"""Staff accounts: created with a password that meets the rules, disabled with every session
ended at once, and the ``Actor`` a signed-in user acts as."""

from __future__ import annotations

from dataclasses import dataclass

from safehub.access import ROLES, Permission, can
from safehub.access.actor import Actor
from safehub.db.models import User
from safehub.db.queries import accounts as q
from safehub.db.uow import UnitOfWork
from safehub.services.accounts.passwords import check_new_password, hash_password
from safehub.services.errors import ForbiddenError, NotFoundError, RefusedError


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
    """Who a signed-in user acts as: their id, agency, role and team, for ``can`` and RLS."""
    return Actor(
        label=f"user:{user.id}:{user.username}",
        user_id=user.id,
        agency_id=user.agency_id,
        role=user.role,
        team_id=user.team_id,
    )


def disable_user(uow: UnitOfWork, *, target_user_id: int, reason: str) -> None:
    """Disable another user's account and end every session it has, at once (not at their next
    timeout).

    Needs ``manage_users``, or a system actor (the command line)."""
    actor = uow.actor
    if actor.user_id is not None and not can(actor, Permission.MANAGE_USERS):
        raise ForbiddenError("only user managers may disable accounts")
    user = uow.session.get(User, target_user_id)
    if user is None:
        raise NotFoundError(f"no user {target_user_id}")
    user.active = False
    ended = end_sign_ins(uow, target_user_id)
    uow.audit(
        "alteration",
        "user",
        [target_user_id],
        purpose=reason,
        detail={"change": "disabled", "sessions_ended": ended},
    )


def end_sign_ins(uow: UnitOfWork, user_id: int, *, keep_token_hash: str | None = None) -> int:
    """End the user's sessions (but the one kept) and half-finished sign-ins; how many
    sessions ended. The caller audits why."""
    ended = q.delete_sign_ins_of(uow.session, user_id, keep=keep_token_hash)
    uow.mark_changed()
    return ended


@dataclass(frozen=True, slots=True)
class AccountChange:
    """A user moved to another agency or given another role, with the reason (audited).

    >>> AccountChange(user_id=3, agency_id=1, role="wizard", reason="").problems()
    ... # doctest: +ELLIPSIS
    {'role': 'Select a role from the list', 'reason': 'Say why ...'}
    """

    user_id: int
    agency_id: int
    role: str
    reason: str

    def problems(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        if self.role not in ROLES:
            errors["role"] = "Select a role from the list"
        if len(self.reason.strip()) < 5:
            errors["reason"] = "Say why the account changes agency or role"
        return errors


def reassign_user(uow: UnitOfWork, *, change: AccountChange) -> None:
    """Move a user to another agency or role and end every session they have, so that no page
    keeps acting with the old agency's need to know.

    Needs ``manage_users`` (an administrator), or a system actor. The database itself refuses
    anyone else: the application role may not update these two columns directly."""
    actor = uow.actor
    if actor.user_id is not None and not can(actor, Permission.MANAGE_USERS):
        raise ForbiddenError("only user managers may change an account's agency or role")
    errors = change.problems()
    if errors:
        raise RefusedError(errors)
    user = uow.session.get(User, change.user_id)
    if user is None:
        raise NotFoundError(f"no user {change.user_id}")
    before = {"agency_id": user.agency_id, "role": user.role}
    q.set_user_agency_and_role(
        uow.session, change.user_id, agency_id=change.agency_id, role=change.role
    )
    uow.session.expire(user)
    ended = end_sign_ins(uow, change.user_id)
    uow.audit(
        "alteration",
        "user",
        [change.user_id],
        purpose=change.reason,
        detail={
            "change": "reassigned",
            "before": before,
            "after": {"agency_id": change.agency_id, "role": change.role},
            "sessions_ended": ended,
        },
    )
