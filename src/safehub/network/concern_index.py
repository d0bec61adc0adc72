"""The concern table kept beside the graph, redone only for the people a change touched.

Classifying every person and turning every mention into concern rows is the Python-heavy part of
an analysis (seconds for an area's half a million rows); the graph algorithms after it run on the
compact table. The index keeps, per person, their class, their concern rows and the contexts they
touch, and on each :meth:`ConcernIndex.table` redoes only the people the graph says changed
(``NetworkGraph.changed_since``): their rows, or a record they are in. The table it gives is the
one a fresh index gives for the same graph (a test holds it to that), so an analysis kept up to
date record by record equals a rebuild.

What is decided as of the latest record date (whether someone is still a child) is redone for the
people it could change when that date moves; if it moves back (a row replaced by an older
version), everything is redone.

>>> from safehub.network.graph import NetworkGraph
>>> ConcernIndex().table(NetworkGraph()).person_ids
[]
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import chain

import numpy as np

from safehub.network import keys
from safehub.network.concern import (
    CONTACT_RECORD_TYPES,
    EPOCH,
    KIND_CODE,
    ConcernTable,
    contexts_of,
    is_everyday_crime,
    licensed_cars,
    record_agency,
    record_points_to_exploitation,
    rows_of,
)
from safehub.network.graph import NetworkGraph, shown_to
from safehub.network.model import MentionFact, RecordFact
from safehub.network.people import PersonClass, adult_from, classify_person
from safehub.network.weights import FIRM_CAR_DRIVERS

# Above this share of people changed, one pass over every mention beats a lookup per person.
_BULK_SHARE = 0.05


@dataclass(frozen=True, slots=True)
class _Entry:
    """One person's part of the table: class, concern rows (context ids) and contexts touched."""

    person: PersonClass
    rows: tuple[tuple[int, int, int, float], ...]  # (context id, class, day, weight)
    touches: frozenset[int]  # context ids, whatever the role: what makes a context busy
    licensed: frozenset[int]  # cars (context ids) a licence record licenses them to drive
    # Their concern rows of those cars from licence records: kept only while the car is one
    # man's; a firm's car on a licence does not put its driver in it on any day (``_own_rows``).
    licence_rows: tuple[tuple[int, int, int, float], ...] = ()
    named: bool = True  # some row of theirs gives a name (``MentionFact.named``)


class ConcernIndex:
    """The concern table of one viewer's rows (``NetworkGraph.shown_mentions``), kept up to date.

    One index follows one graph: it remembers the graph version it has seen.
    """

    def __init__(self, viewer: str = "") -> None:
        self.viewer = viewer
        self.redone = 0  # people redone by the last sync (what an incremental run saves)
        self._reset()

    def _reset(self) -> None:
        self._version = -1
        self._as_of = EPOCH
        self._entries: dict[str, _Entry] = {}
        # (the day they are no longer a child, person id) for people who are a child as of the
        # latest record date: a heap, so that a later date redoes only those it makes adults.
        self._coming_of_age: list[tuple[date, str]] = []
        self._context_ids: dict[str, int] = {}
        self._context_names: list[str] = []
        # Per context id: people touching it, kind, and for a record its agency, area and
        # whether it documents contact (set when someone in the record is redone).
        self._degree: list[int] = []
        self._licensed: list[int] = []  # people licensed to drive the car (0 for the rest)
        self._kind: list[int] = []
        self._agency: list[str] = []
        self._area: list[str] = []
        self._contact: list[bool] = []
        self._built: tuple[int, ConcernTable, dict[str, PersonClass]] | None = None

    def people(self, graph: NetworkGraph) -> dict[str, PersonClass]:
        """Every person with a row the viewer may see, and their class."""
        return self._build(graph)[2]

    def table(self, graph: NetworkGraph) -> ConcernTable:
        return self._build(graph)[1]

    def _build(self, graph: NetworkGraph) -> tuple[int, ConcernTable, dict[str, PersonClass]]:
        if self._built is None or self._built[0] != graph.version:
            self._sync(graph)
            self._built = (graph.version, *self._assemble())
        return self._built

    # -- keeping up -------------------------------------------------------------------------

    def _sync(self, graph: NetworkGraph) -> None:
        as_of = max((r.record_date for r in graph.records.values()), default=EPOCH)
        if as_of < self._as_of:
            self._reset()
        changed = graph.changed_since(self._version)
        while self._coming_of_age and self._coming_of_age[0][0] <= as_of:
            # 18 by the new latest date (an entry left by an earlier redo costs one more redo)
            changed.add(heapq.heappop(self._coming_of_age)[1])
        self._as_of, self._version = as_of, graph.version
        for person_id, facts in self._facts(graph, changed).items():
            self._redo(graph, person_id, facts)
        self.redone = len(changed)

    def _facts(self, graph: NetworkGraph, people: set[str]) -> dict[str, list[MentionFact]]:
        """The viewer's rows of each of ``people`` (empty for people no longer in the graph)."""
        found: dict[str, list[MentionFact]] = {p: [] for p in people}
        rows: Iterable[MentionFact]
        if len(people) > _BULK_SHARE * max(len(graph.person_versions), 1):
            rows = (f for f in graph.mentions.values() if f.person_id in found)
        else:
            rows = chain.from_iterable(graph.person_mentions(p) for p in people)
        for fact in rows:
            if shown_to(fact, self.viewer):
                found[fact.person_id].append(fact)
        for facts in found.values():
            facts.sort(key=lambda f: f.key)
        return found

    def _redo(self, graph: NetworkGraph, person_id: str, facts: list[MentionFact]) -> None:
        old = self._entries.pop(person_id, None)
        if old is not None:
            for context in old.touches:
                self._degree[context] -= 1
            for context in old.licensed:
                self._licensed[context] -= 1
        if not facts:
            return
        exploitation = {
            f.record_key
            for f in facts
            if record_points_to_exploitation(graph.records[f.record_key])
        }
        everyday = {f.record_key for f in facts if is_everyday_crime(graph.records[f.record_key])}
        intelligence = {
            f.record_key for f in facts if graph.records[f.record_key].record_type == "intelligence"
        }
        person = classify_person(
            person_id, facts, self._as_of, exploitation, everyday, intelligence
        )
        rows: list[tuple[int, int, int, float]] = []
        licence_rows: list[tuple[int, int, int, float]] = []
        touches: set[int] = set()
        licensed: set[int] = set()
        for fact in facts:
            record = graph.records[fact.record_key]
            self._record_context(record)
            cars = {self._context(c) for c in licensed_cars(fact, record)}
            for c, cls, d, w in rows_of(fact, person, record):
                row = (self._context(c), cls, d, w)
                (licence_rows if row[0] in cars else rows).append(row)
            touches.update(self._context(c) for c in contexts_of(fact, record))
            licensed |= cars
        for context in touches:
            self._degree[context] += 1
        for context in licensed:
            self._licensed[context] += 1
        self._entries[person_id] = _Entry(
            person,
            tuple(rows),
            frozenset(touches),
            frozenset(licensed),
            tuple(licence_rows),
            any(f.named for f in facts),
        )
        if person.child_now and person.date_of_birth is not None:
            heapq.heappush(self._coming_of_age, (adult_from(person.date_of_birth), person_id))

    def _context(self, name: str) -> int:
        found = self._context_ids.get(name)
        if found is None:
            found = self._context_ids[name] = len(self._context_names)
            self._context_names.append(name)
            self._degree.append(0)
            self._licensed.append(0)
            self._kind.append(KIND_CODE[keys.node_kind(name)])
            self._agency.append(record_agency(name))
            self._area.append("")
            self._contact.append(False)
        return found

    def _record_context(self, record: RecordFact) -> None:
        """A record's area and type, as of now (a changed record redoes everyone in it)."""
        context = self._context(keys.record_node(*record.key))
        self._area[context] = record.area_code
        self._contact[context] = record.record_type in CONTACT_RECORD_TYPES

    # -- the table --------------------------------------------------------------------------

    def _own_rows(self, entry: _Entry) -> tuple[tuple[int, int, int, float], ...]:
        """A person's concern rows, with the cars their taxi licences name only where the car is
        licensed to fewer than ``FIRM_CAR_DRIVERS`` people: a firm's car, which its drivers
        share, ties a driver to those seen in it only through the records that saw him in it."""
        if not entry.licence_rows:
            return entry.rows
        mine = tuple(r for r in entry.licence_rows if self._licensed[r[0]] < FIRM_CAR_DRIVERS)
        return entry.rows + mine

    def _assemble(self) -> tuple[ConcernTable, dict[str, PersonClass]]:
        person_ids = sorted(self._entries)
        entries = [self._entries[p] for p in person_ids]
        own = [self._own_rows(e) for e in entries]
        rows: list[tuple[int, int, int, float]] = list(chain.from_iterable(own))
        lengths = np.fromiter((len(r) for r in own), np.int64, len(entries))
        ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
        used = np.unique(ids)
        # Contexts are numbered in name order, as a rebuild would number them.
        names = [self._context_names[i] for i in used.tolist()]
        order = sorted(range(len(names)), key=names.__getitem__)
        chosen = used[order]
        position = np.zeros(len(self._context_names), dtype=np.int64)
        position[chosen] = np.arange(len(order), dtype=np.int64)
        picked = chosen.tolist()
        table = ConcernTable(
            person_ids=person_ids,
            concern=np.array([e.person.concern for e in entries], dtype=np.bool_),
            child_victim=np.array([e.person.child_victim for e in entries], dtype=np.bool_),
            suspect=np.array([e.person.suspect for e in entries], dtype=np.bool_),
            intelligence_subject=np.array(
                [e.person.intelligence_subject for e in entries], dtype=np.bool_
            ),
            named=np.array([e.named for e in entries], dtype=np.bool_),
            contexts=[names[i] for i in order],
            context_kind=np.array(self._kind, dtype=np.int64)[chosen],
            context_degree=np.array(self._degree, dtype=np.int64)[chosen],
            context_agency=[self._agency[i] for i in picked],
            context_area=[self._area[i] for i in picked],
            context_contact=np.array(self._contact, dtype=np.bool_)[chosen],
            context_licensed=np.array(self._licensed, dtype=np.int64)[chosen],
            row_person=np.repeat(np.arange(len(entries), dtype=np.int64), lengths),
            row_context=position[ids],
            row_class=np.fromiter((r[1] for r in rows), np.int64, len(rows)),
            row_day=np.fromiter((r[2] for r in rows), np.int64, len(rows)),
            row_weight=np.fromiter((r[3] for r in rows), np.float64, len(rows)),
        )
        return table, {p: e.person for p, e in zip(person_ids, entries, strict=True)}


def concern_table(graph: NetworkGraph, viewer: str = "") -> ConcernTable:
    """The concern table of a graph from scratch (a fresh index)."""
    return ConcernIndex(viewer).table(graph)
