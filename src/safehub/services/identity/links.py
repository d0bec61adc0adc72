"""A person's links: the agency records that make one person, and undoing a wrong link.

Undoing a merge restores the absorbed person with the records it brought; splitting moves one
agency's record out into a new person. Either way the records are then kept apart: the pairs
across the two sides are recorded as rejected by the person who decided (``uow.actor``), so the
model never joins them again on its own. Each is a ``person_link_event``, audited as
"combination".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from safehub.db.models.identity import PersonLinkEvent
from safehub.db.queries.identity.links import (
    LinkedAgencyPerson,
    list_linked_agency_people,
    list_merge_events,
)
from safehub.db.queries.identity.pairs import upsert_rejected_pairs
from safehub.db.queries.identity.resolution import (
    get_current_person,
    insert_person,
    list_members,
    set_link_confidence,
    set_merged_into,
    set_person_of_agency_people,
)
from safehub.db.queries.people import person_exists
from safehub.db.rls import system_step
from safehub.db.uow import UnitOfWork
from safehub.services.errors import NotFoundError


def undo_merge(uow: UnitOfWork, *, event_id: int, reason: str) -> int:
    """Restore the absorbed person with the records it brought; returns the restored person's id.

    The records are then kept apart: the model never joins them again on its own.
    """
    event = uow.session.get(PersonLinkEvent, event_id)  # visible only if the person is
    if event is None or event.kind != "merge" or event.undone_by_id is not None:
        raise NotFoundError(f"merge {event_id}")
    # Moving other agencies' records is a step the partnership takes on the user's decision.
    with system_step(uow):
        return _undo(uow, event, reason)


def _undo(uow: UnitOfWork, event: PersonLinkEvent, reason: str) -> int:
    survivor = get_current_person(uow.session, event.person_id)
    holding = list_members(uow.session, [survivor]).get(survivor, [])
    moving = [ap for ap in event.agency_person_ids if ap in holding]
    staying = [ap for ap in holding if ap not in moving]
    set_person_of_agency_people(uow.session, moving, event.other_person_id)
    set_merged_into(uow.session, event.other_person_id, None)
    upsert_rejected_pairs(uow.session, moving, staying, user_id=uow.actor.user_id, note=reason)
    undo = _event(uow, "unmerge", survivor, event.other_person_id, moving, reason)
    event.undone_by_id = undo.id
    uow.session.flush()
    uow.audit(
        "combination",
        "person",
        [survivor, event.other_person_id],
        purpose=reason,
        detail={"kind": "unmerge", "merge_event": event.id},
    )
    return event.other_person_id


def split_agency_person(
    uow: UnitOfWork,
    *,
    person_id: int,
    agency_person_id: int,
    reason: str,
) -> int:
    """Move one agency's record of a person out into a new person; returns the new person's id."""
    visible = {r.agency_person_id for r in list_linked_agency_people(uow.session, person_id)}
    if agency_person_id not in visible:
        raise NotFoundError(f"agency person {agency_person_id} of person {person_id}")
    with system_step(uow):
        holding = list_members(uow.session, [person_id]).get(person_id, [])
        if len(holding) == 1:
            raise ValueError("this is the person's only record: there is nothing to split it from")
        new = insert_person(uow.session)
        set_person_of_agency_people(uow.session, [agency_person_id], new)
        staying = [ap for ap in holding if ap != agency_person_id]
        upsert_rejected_pairs(
            uow.session, [agency_person_id], staying, user_id=uow.actor.user_id, note=reason
        )
        set_link_confidence(uow.session, {agency_person_id: None})
        _event(uow, "split", person_id, new, [agency_person_id], reason)
    uow.audit(
        "combination",
        "person",
        [person_id, new],
        purpose=reason,
        detail={"kind": "split", "agency_person": agency_person_id},
    )
    return new


def _event(
    uow: UnitOfWork, kind: str, person_id: int, other: int, moved: Sequence[int], reason: str
) -> PersonLinkEvent:
    event = PersonLinkEvent(
        kind=kind,
        person_id=person_id,
        other_person_id=other,
        agency_person_ids=list(moved),
        decided_by="person",
        actor=uow.actor.label,
        evidence=[],
        reason=reason,
    )
    uow.session.add(event)
    uow.session.flush()
    return event


@dataclass(frozen=True, slots=True)
class MergeView:
    event_id: int
    absorbed_person_id: int
    agency_person_ids: list[int]
    decided_by: str
    confidence: float | None
    reason: str


@dataclass(frozen=True, slots=True)
class PersonLinks:
    """Every agency record linked to a person, and the merges that made it one person."""

    person_id: int
    records: list[LinkedAgencyPerson]
    merges: list[MergeView]

    @property
    def rests_on_unconfirmed_merge(self) -> bool:
        return any(m.decided_by == "model" for m in self.merges)


def view_person_links(
    uow: UnitOfWork, *, person_id: int, purpose: str = "case work"
) -> PersonLinks:
    if not person_exists(uow.session, person_id):
        raise NotFoundError(f"person {person_id}")
    records = list_linked_agency_people(uow.session, person_id)
    visible = {r.agency_person_id for r in records}
    merges = [
        MergeView(
            e.id, e.other_person_id, e.agency_person_ids, e.decided_by, e.confidence, e.reason
        )
        for e in list_merge_events(uow.session, person_id)
        # A merge that brought only restricted records is not shown: not even as existence.
        if set(e.agency_person_ids) & visible
    ]
    uow.audit(
        "consultation",
        "person_links",
        [person_id],
        purpose=purpose,
        detail={"records": len(records)},
    )
    return PersonLinks(person_id, records, merges)
