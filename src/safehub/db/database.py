"""Connecting to PostgreSQL: the embedded server by default, any server through DATABASE_URL."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from safehub.access.policy import AGGREGATES_ONLY_ROLES
from safehub.audit.anchors import AnchorStore
from safehub.audit.witness import Witnesses
from safehub.config import Settings
from safehub.db.embedded import start_embedded
from safehub.db.secrets_at_rest import SecretBox
from safehub.events import EventHandlers

APP_ROLE = "safehub_app"
PUBLIC_ROLE = "safehub_public"
OVERSIGHT_ROLE = "safehub_oversight"
# Owns the row-level security helpers (SECURITY DEFINER), so that they need not run as the owner.
ACCESS_ROLE = "safehub_access"
# Owns the public app's SECURITY DEFINER functions (migration 0019): it may touch only the
# community-report tables.
REPORTING_ROLE = "safehub_reporting"
# Owns the one function that carries out a retention decision (migration 0024).
RETENTION_ROLE = "safehub_retention"
# Every role the migrations create: roles belong to the server, so a restore onto a fresh server
# must create them first (``safehub.db.backup``); a guard test holds this list to the catalogue.
SERVER_ROLES = (APP_ROLE, PUBLIC_ROLE, OVERSIGHT_ROLE, ACCESS_ROLE, REPORTING_ROLE, RETENTION_ROLE)
# The database role a staff role works as when it is not the application's: the oversight body
# sees aggregates only, so an inspector's every transaction runs as a role that cannot read a case.
STAFF_DB_ROLES = dict.fromkeys(AGGREGATES_ONLY_ROLES, OVERSIGHT_ROLE)
# A role name cannot be a bind parameter: one statement per role this module names.
_RESET_ROLE = text("SET LOCAL ROLE NONE")
_SET_ROLE = {
    role: text(f"SET LOCAL ROLE {role}") for role in (APP_ROLE, PUBLIC_ROLE, OVERSIGHT_ROLE)
}


@dataclass
class Database:
    """The owner engine (migrations) and the engine the application works through."""

    owner_engine: Engine
    app_engine: Engine
    # With a separate login for the app role there is no need to SET ROLE in each transaction.
    app_login: bool
    # Signed anchors of the audit chain, kept outside the database (None: not anchored here).
    anchors: AnchorStore | None = None
    # Opens the secrets sealed at rest (TOTP secrets), with a key the database does not hold.
    secrets: SecretBox = field(kw_only=True)
    # The handlers of domain events (``services/handlers.py``), given by whoever connects.
    handlers: EventHandlers | None = field(default=None, kw_only=True)
    # The role every transaction runs as: the staff app's, or the public app's (``as_public``).
    app_role: str = field(default=APP_ROLE, kw_only=True)

    def as_public(self) -> Database:
        """The same server, worked through as ``safehub_public``: it may create community reports
        and read their public status, nothing else (migration ``0019``). It holds no audit anchor
        signing key: the staff side's next commit moves the signed head past its entries."""
        return replace(self, app_role=PUBLIC_ROLE, anchors=None)

    def role_for(self, staff_role: str | None) -> str:
        """The role a transaction acting for ``staff_role`` runs as: ``safehub_oversight`` for an
        oversight inspector on the staff side, else this database's (app or public) role."""
        if self.app_role != APP_ROLE:
            return self.app_role
        return STAFF_DB_ROLES.get(staff_role or "", APP_ROLE)

    def enter_role(self, connection: Connection | Session, role: str) -> None:
        """Step into ``role`` for the rest of this transaction. With a login of its own the app
        is already its role; every other role is always stepped into (a deployment grants it to
        the login the app uses)."""
        if not self.app_login or role != APP_ROLE:
            connection.execute(_SET_ROLE[role])
        else:
            # Back to the app's own login (after stepping into another role in this transaction).
            connection.execute(_RESET_ROLE)

    @contextmanager
    def app_session(
        self,
        *,
        actor: str,
        context: Callable[[], Mapping[str, str]] | None = None,
        role: Callable[[], str] | None = None,
    ) -> Iterator[Session]:
        """A session whose every transaction runs as the application role with the user context
        set (``context`` gives the row-level security settings, see ``safehub.db.rls``; ``role``
        the role of whoever acts now, see ``role_for``)."""
        session = sessionmaker(self.app_engine, expire_on_commit=False)()

        # On every transaction, not only the first: after a commit the session
        # begins a new one, which must not run as the owner or without the user's context.
        def _begin(_s: Session, _t: object, connection: Connection) -> None:
            current = role() if role else self.app_role
            if not self.app_login or current != APP_ROLE:
                self.enter_role(connection, current)
            # Per transaction (is_local=true), never per connection: pooled connections must not
            # carry one user's context into another's request.
            values = {"safehub.actor": actor, **(context() if context else {})}
            connection.execute(
                text(
                    "SELECT set_config(k, v, true) FROM unnest(CAST(:k AS text[]), "
                    "CAST(:v AS text[])) AS s(k, v)"
                ),
                {"k": list(values), "v": list(values.values())},
            )

        event.listen(session, "after_begin", _begin)
        try:
            session.connection()  # begin now, so that the role and context are set from the start
            yield session
        finally:
            session.close()

    def dispose(self) -> None:
        self.owner_engine.dispose()
        self.app_engine.dispose()


def database_url(settings: Settings) -> str:
    if settings.database_url:
        return _psycopg_url(settings.database_url)
    return start_embedded(settings.data_dir)


def connect(
    settings: Settings, *, url: str | None = None, handlers: EventHandlers | None = None
) -> Database:
    """``handlers`` are the domain events' (``services.handlers.HANDLERS``); without them a unit
    of work that emits an event refuses to commit (``safehub.events``)."""
    owner_url = url or database_url(settings)
    owner = create_engine(owner_url, pool_pre_ping=True)
    witnesses = Witnesses.configured(settings.audit_witnesses)
    anchors = AnchorStore(settings.data_dir / "audit-anchors", witnesses=witnesses)
    box = SecretBox.for_settings(settings)
    # As many connections kept open as requests are answered at once (``max_in_flight``): with
    # SQLAlchemy's default of five, the rest were opened and closed per request under load, a
    # new PostgreSQL backend each time (fork, sign-in, empty catalogue caches, 70 in 30 s at 50
    # users). The overflow is for the few requests that open a second unit of work.
    pool = {"pool_size": settings.max_in_flight, "max_overflow": 10}
    if settings.app_database_url:
        app = create_engine(_psycopg_url(settings.app_database_url), **pool)
        return Database(owner, app, True, anchors, secrets=box, handlers=handlers)
    app = create_engine(owner_url, pool_pre_ping=True, **pool)
    return Database(owner, app, False, anchors, secrets=box, handlers=handlers)


def _psycopg_url(url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def migrations_path() -> Path:
    return Path(__file__).with_name("migrations")
