"""Request dependencies: the database, the signed-in user, and the permission every route declares."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form, Request

from safehub.access import Permission, can
from safehub.db.database import Database
from safehub.db.uow import Actor, UnitOfWork, unit_of_work
from safehub.services.users import StaffUser, resume_session

SESSION_COOKIE = "__Host-safehub-session"


class NotSignedInError(Exception):
    """No valid session: pages redirect to sign-in, the API answers 401."""


class PermissionDeniedError(Exception):
    """Signed in, but the role does not allow this."""


class CsrfError(Exception):
    """A form or API call without the session's anti-forgery token."""


@dataclass
class Context:
    """What a route works with: the unit of work of this request and who is acting."""

    uow: UnitOfWork
    actor: Actor
    user: StaffUser
    csrf_token: str


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def open_uow(request: Request, db: Annotated[Database, Depends(get_db)]) -> Iterator[UnitOfWork]:
    source = request.client.host if request.client else None
    with unit_of_work(db, actor=Actor(label="anonymous"), source=source) as uow:
        yield uow


def require(permission: Permission) -> Callable[..., Context]:
    """A dependency that signs the user in from the cookie and checks one permission."""

    def dependency(request: Request, uow: Annotated[UnitOfWork, Depends(open_uow)]) -> Context:
        token = request.cookies.get(SESSION_COOKIE)
        resumed = resume_session(uow, token=token) if token else None
        if resumed is None:
            raise NotSignedInError
        actor, user, csrf = resumed
        uow.act_as(actor)
        request.state.user = user
        request.state.actor = actor
        request.state.csrf_token = csrf
        if not can(actor, permission):
            raise PermissionDeniedError
        return Context(uow, actor, user, csrf)

    dependency.permission = permission  # type: ignore[attr-defined]  # read by the route guard test
    return dependency


def check_csrf(ctx: Context, submitted: str | None) -> None:
    if not submitted or not hmac.compare_digest(submitted, ctx.csrf_token):
        raise CsrfError


CsrfField = Annotated[str | None, Form(alias="csrf_token")]
