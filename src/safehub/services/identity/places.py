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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from safehub.db.queries.identity.resolution import list_named_with
from safehub.linkage import AgencyPerson
from safehub.linkage.decide import PersonFacts
from safehub.linkage.queue import Candidates, People, place_pairs, with_children
from safehub.services.identity.index import ScoredLink, agency_people_of


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
