"""The unit of work: one transaction, as the application role, audited by construction."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from safehub.access.actor import Actor
from safehub.audit import AuditEntry, append_entries
from safehub.audit.anchors import AnchorStore
from safehub.db.database import Database
from safehub.db.secrets_at_rest import SecretBox
from safehub.events import Event, EventHandlers, UnhandledEventError


class UnauditedChangeError(RuntimeError):
    """A change reached commit without an audit entry: refused, so nothing goes unlogged."""


@dataclass
class UnitOfWork:
    session: Session
    actor: Actor
    source: str | None = None
    anchors: AnchorStore | None = None
    # Seals and opens secrets kept at rest (the TOTP secret): see ``safehub.db.secrets_at_rest``.
    secrets: SecretBox = field(kw_only=True)
    # The handlers of the events this unit of work emits (``safehub.events``); None refuses any.
    handlers: EventHandlers | None = field(default=None, kw_only=True)
    # The database this unit of work runs on: it says which role an actor works as.
    db: Database | None = field(default=None, kw_only=True)
    _entries: list[AuditEntry] = field(default_factory=list)
    _events: list[Event] = field(default_factory=list)
    _changed: bool = False

    def audit(
        self,
        action: str,
        object_type: str,
        object_ids: Sequence[object],
        *,
        purpose: str,
        detail: dict[str, Any] | None = None,
    ) -> None:
        self._entries.append(
            AuditEntry(
                self.actor.label,
                action,
                object_type,
                [str(i) for i in object_ids],
                purpose,
                self.source,
                detail or {},
            )
        )

    def act_as(self, actor: Actor) -> None:
        """Once the session cookie has said who is acting, the rest of the request acts as them,
        in the role they work as (an oversight inspector's reads no case: ``Database.role_for``)."""
        before = self.actor
        self.actor = actor
        if self.db is not None and self.db.role_for(actor.role) != self.db.role_for(before.role):
            self.db.enter_role(self.session, self.db.role_for(actor.role))
        # The user, agency and role too, for row-level security; later transactions of this unit
        # of work get them from ``unit_of_work``'s context callback.
        values = {"safehub.actor": actor.label, **actor.rls_settings()}
        self.session.execute(
            text(
                "SELECT set_config(k, v, true) FROM unnest(CAST(:k AS text[]), "
                "CAST(:v AS text[])) AS s(k, v)"
            ),
            {"k": list(values), "v": list(values.values())},
        )

    def emit(self, event: Event) -> None:
        """Tell the handlers of ``event`` at commit, in this transaction (``safehub.events``)."""
        self._events.append(event)

    def _dispatch(self) -> None:
        # Handlers may emit events of their own: run until none are left, in order.
        while self._events:
            event = self._events.pop(0)
            if self.handlers is None:
                raise UnhandledEventError(
                    f"no event handlers were given for {type(event).__name__}"
                )
            for handler in self.handlers.for_event(event):
                handler(self, event)

    def mark_changed(self) -> None:
        """For writes made with SQL statements that the ORM does not see."""
        self._changed = True

    def commit(self) -> None:
        self._dispatch()
        self.session.flush()
        if self._changed and not any(e.action != "consultation" for e in self._entries):
            raise UnauditedChangeError("a change was made without an audit entry")
        # The chain lock is the last step before commit, so that a long import does not block
        # every page view while it runs.
        head = append_entries(self.session, self._entries)
        self._entries.clear()
        self.session.commit()
        self._changed = False
        if head is not None and self.anchors is not None:
            # After commit: the signed head moves forward on every logged commit, to the entry
            # this commit appended; a counted archive anchor is added at most once a minute (in a
            # transaction of its own: only then does this step query the database).
            self.anchors.after_commit(self.session, head)
            if self.session.in_transaction():
                self.session.commit()


@contextmanager
def unit_of_work(db: Database, *, actor: Actor, source: str | None = None) -> Iterator[UnitOfWork]:
    """Rolls back unless ``commit()`` was called."""
    holder: list[UnitOfWork] = []

    def context() -> dict[str, str]:  # whoever acts now, for row-level security
        current = holder[0].actor if holder else actor
        return {"safehub.actor": current.label, **current.rls_settings()}

    def role() -> str:  # the role whoever acts now works as
        return db.role_for((holder[0].actor if holder else actor).role)

    with db.app_session(actor=actor.label, context=context, role=role) as session:
        uow = UnitOfWork(
            session, actor, source, db.anchors, secrets=db.secrets, handlers=db.handlers, db=db
        )
        holder.append(uow)

        @event.listens_for(session, "after_flush")
        def _track(s: Session, _ctx: object) -> None:
            if s.new or s.dirty or s.deleted:
                uow._changed = True

        try:
            yield uow
        finally:
            if session.in_transaction():
                session.rollback()
