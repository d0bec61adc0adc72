"""Need to know for practice records: a case's notes and a child's records are for those who
may see the case or the child, and do not exist for anyone else (not found, never forbidden).

Each check returns the acting user's id: practice records are written by a member of staff,
never by a process, so a system actor is refused too.
"""

from __future__ import annotations

from safehub.db.queries.practice.children import can_see_child
from safehub.db.queries.practice.notes import can_see_case
from safehub.db.uow import UnitOfWork
from safehub.services.errors import NotFoundError


def require_case(uow: UnitOfWork, case_id: int) -> int:
    """A member of the case team, or staff of an agency involved in the case."""
    actor = uow.actor
    if actor.user_id is None or not can_see_case(
        uow.session, case_id=case_id, user_id=actor.user_id, agency_id=actor.agency_id
    ):
        raise NotFoundError(f"case {case_id}")
    return actor.user_id


def require_child(uow: UnitOfWork, person_id: int) -> int:
    """The child is on the actor's case work or known to their agency."""
    actor = uow.actor
    if actor.user_id is None or not can_see_child(
        uow.session, person_id=person_id, user_id=actor.user_id, agency_id=actor.agency_id
    ):
        raise NotFoundError(f"child {person_id}")
    return actor.user_id
