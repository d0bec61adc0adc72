"""The request's unit of work, who is acting, and the permission every staff route declares."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from safehub.access import Actor, Permission, can
from safehub.db.database import Database
from safehub.db.uow import UnitOfWork, unit_of_work
from safehub.http.errors import NotSignedInError, PermissionDeniedError, refused_by_database
from safehub.services.accounts import StaffUser, resume_session
from safehub.services.accounts.security import RefusedRequest, record_refusal
from safehub.services.errors import ForbiddenError, NotFoundError

SESSION_COOKIE = "__Host-safehub-session"
log = logging.getLogger("safehub.http")


@dataclass
class Context:
    """What a staff route works with: the unit of work of this request and who is acting.

    The unit of work acts as ``actor`` (``uow.actor``): use cases read the actor from it.
    """

    uow: UnitOfWork
    actor: Actor
    user: StaffUser
    csrf_token: str


@dataclass
class PublicContext:
    """What a route reachable without a session works with (the sign-in steps): the request's
    unit of work, acting as nobody."""

    uow: UnitOfWork


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def open_uow(request: Request, db: Annotated[Database, Depends(get_db)]) -> Iterator[UnitOfWork]:
    """One unit of work per request, acting as nobody until a sign-in says who.

    A signed-in user's refused request (not found, forbidden: they look the same) is logged as
    a security event, so that probing for another agency's people is seen."""
    source = request.client.host if request.client else None
    with unit_of_work(db, actor=Actor(label="anonymous"), source=source) as uow:
        try:
            yield uow
        except Exception as refused:
            refusal = isinstance(refused, NotFoundError | ForbiddenError | PermissionDeniedError)
            if uow.actor.user_id is not None and (refusal or refused_by_database(refused)):
                uow.session.rollback()  # nothing of the refused request is kept
                _log_refusal(db, uow.actor, source, request, refused)
            raise


def _log_refusal(
    db: Database, actor: Actor, source: str | None, request: Request, refused: Exception
) -> None:
    what = RefusedRequest(request.method, request.url.path, str(refused) or type(refused).__name__)
    try:
        with unit_of_work(db, actor=actor, source=source) as uow:
            record_refusal(uow, refused=what)
            uow.commit()
    except Exception:
        # The user still gets the refusal, not an error page; the failure is in the server log.
        log.exception("could not log a refused request as a security event")


def public_context(uow: Annotated[UnitOfWork, Depends(open_uow)]) -> PublicContext:
    """The dependency of a route reachable without a session; it checks its own state."""
    return PublicContext(uow)


REPORTER = Actor(label="public:reporter")


def reporter_context(db: Annotated[Database, Depends(get_db)]) -> Iterator[PublicContext]:
    """The public app's request: acting as a member of the public, with no source address
    (the public app keeps none, not even in the audit log)."""
    with unit_of_work(db, actor=REPORTER, source=None) as uow:
        yield PublicContext(uow)


def require(permission: Permission) -> Callable[..., Context]:
    """A dependency that signs the staff user in from the cookie and checks one permission."""

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
