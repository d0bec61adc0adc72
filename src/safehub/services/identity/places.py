"""Where each queued pair stands in the review queue: the rules ``safehub resolve`` uses.

The rules live in one place, ``linkage.queue`` (``place_pairs``): completing an adult of concern
in records with children first, then an adult of concern or a child recorded as a victim, then
joining agencies, then probability; pairs the records contradict last; pairs with nothing at
stake and name-only pairs left out unless protected. This module gathers from the database the
facts those rules read, as ``Resolution._people`` and ``_candidates`` gather them from the files:
for every agency person of the people on either side (after this run's merges) and everyone
their current records name, their agency, whether they are an adult of concern, a child recorded
as a victim or only a name (``PersonFacts``). A pair the rules leave out is still stored,
pending; it is only listed apart.

``place_unplaced_pairs`` places the pending pairs stored before the queue had places (revision
0031), which otherwise read "not yet placed" until a resolution run queues them again:
``safehub people place-queue``, and the resolution job before it resolves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from safehub.db.queries.identity.pairs import (
    UnplacedPair,
    count_unplaced_pairs,
    list_unplaced_pairs,
    set_pair_places,
)
from safehub.db.queries.identity.resolution import get_person_ids, list_members, list_named_with
from safehub.db.uow import UnitOfWork
from safehub.linkage import AgencyPerson
from safehub.linkage.decide import (
    APART_REASON,
    CONFLICT_REASON,
    GIVEN_NAMES_REASON,
    SEXES_REASON,
    PersonFacts,
)
from safehub.linkage.progress import ProgressLike
from safehub.linkage.queue import Candidates, People, place_pairs, with_children
from safehub.services.identity.index import ScoredLink, agency_people_of

# Two people per batch of the backfill: every pair between them is placed together.
PLACING_BATCH = 500
PLACING_PURPOSE = "placing review pairs stored before the queue had places"
# The stored reasons of pairs the records contradict (``linkage.decide``'s ``held``: different
# given names, dates of birth apart, named apart, sexes that differ). A stored pair keeps only
# its reason, so a pair held for one of these but stored under an earlier rule's reason (one
# side only a name) is placed as not contradicted until a resolution run queues it again.
HELD_REASONS = frozenset({APART_REASON, GIVEN_NAMES_REASON, SEXES_REASON, CONFLICT_REASON})


@dataclass(frozen=True, slots=True)
class QueuePlace:
    """A pair's place: its usefulness tier, whether a reviewer should see it, and why."""

    priority: int
    worth_review: bool
    reason: str

    def row(self) -> dict[str, object]:
        """The columns ``upsert_pending_pairs`` stores it in."""
        return {"pr": self.priority, "wr": self.worth_review, "why": self.reason}


def place_links(
    session: Session,
    links: Sequence[ScoredLink],
    person_of: Mapping[int, int],
    known: Mapping[int, AgencyPerson],
) -> list[QueuePlace]:
    """Each link's place in the review queue, in order.

    ``person_of`` maps every agency person of the people involved to their person after this
    run's merges; ``known`` holds agency people already read (the rest are read here).
    """
    if not links:
        return []
    persons = {person_of[n] for link in links for n in (link.left, link.right)}
    members = sorted(ap for ap, person in person_of.items() if person in persons)
    nodes = sorted(set(members) | set(list_named_with(session, members)))
    people = {n: known[n] for n in nodes if n in known}
    people.update(agency_people_of(session, [n for n in nodes if n not in known]))
    nodes = [n for n in nodes if n in people]  # one with no current record counts for nothing
    index = {n: i for i, n in enumerate(nodes)}
    facts = PersonFacts.of([people[n] for n in nodes])
    # Someone only named beside them is a person of their own (a cluster no person id takes).
    cluster = np.array([person_of.get(n, -1 - i) for i, n in enumerate(nodes)], dtype=np.int64)
    left = np.array([index[link.left] for link in links], dtype=np.int64)
    right = np.array([index[link.right] for link in links], dtype=np.int64)
    places = place_pairs(
        Candidates(
            left,
            right,
            np.array([link.match_probability for link in links]),
            np.array([link.match_weight for link in links]),
            np.array([link.held for link in links], dtype=bool),
            facts.apart(left, right),
        ),
        People(
            cluster,
            facts.agency,
            facts.of_concern,
            with_children(len(nodes), facts.together, facts.at_risk),
            facts.at_risk,
            facts.thin,
        ),
    )
    return [
        QueuePlace(int(u), bool(w), r)
        for u, w, r in zip(
            places.usefulness.tolist(), places.worth.tolist(), places.reasons, strict=True
        )
    ]


@dataclass(frozen=True, slots=True)
class QueuePlacing:
    """What ``place_unplaced_pairs`` did: pairs placed, of them worth a reviewer's time, and in
    how many batches (each committed with its audit entry)."""

    placed: int
    worth_review: int
    batches: int


def place_unplaced_pairs(
    uow: UnitOfWork,
    *,
    purpose: str,
    batch: int = PLACING_BATCH,
    progress: ProgressLike | None = None,
) -> QueuePlacing:
    """Give every pending pair with no place its place in the review queue, by the rules
    resolution places the pairs it queues with (``place_links``), people as they are now.

    In batches of ``batch`` two people; each batch is audited as an alteration of its pairs and
    committed, so a long backfill keeps what it has done if stopped, and a second run carries
    on. A pair already placed, or decided by a person, is never touched."""
    session = uow.session
    total = count_unplaced_pairs(session)
    if total == 0:
        return QueuePlacing(0, 0, 0)
    task = None
    if progress is not None:
        task = progress.add_task("placing pending pairs in the review queue", total=total)
    placed = worth = batches = 0
    while pairs := list_unplaced_pairs(session, batch):
        places = _places_of(session, pairs)
        rows = [{"id": p.pair_id} | q.row() for p, q in zip(pairs, places, strict=True)]
        stored = set_pair_places(session, rows)
        uow.mark_changed()
        uow.audit(
            "alteration",
            "match_pair",
            [p.pair_id for p in pairs],
            purpose=purpose,
            detail={"placed_in_review_queue": stored},
        )
        uow.commit()
        placed += stored
        worth += sum(q.worth_review for q in places)
        batches += 1
        if progress is not None:
            progress.update(task, completed=placed)
        if stored == 0:
            break  # nothing listed could be stored: never loop on the same pairs
    return QueuePlacing(placed, worth, batches)


def _places_of(session: Session, pairs: Sequence[UnplacedPair]) -> list[QueuePlace]:
    """The pairs' places, read as resolution reads the pairs it queues, with every agency
    person of the people on either side."""
    person_of = get_person_ids(session, {n for p in pairs for n in (p.left, p.right)})
    members = list_members(session, person_of.values())
    now = {ap: person for person, aps in members.items() for ap in aps}
    links = [
        ScoredLink(
            p.left,
            p.right,
            p.match_probability,
            p.match_weight,
            p.prior_weight,
            tuple(p.evidence),
            accepted=False,
            needs_review=True,
            reason=p.reason,
            held=p.reason in HELD_REASONS,
        )
        for p in pairs
    ]
    return place_links(session, links, now, {})
