"""From the graph to the compact table the analysis runs on: who touches which context, as what.

A *context* is anything two people can share: a record, a place named in records, a vehicle,
phone, email, handle, licence or home address. Each row says that an adult of concern (class
CONCERN) or a child victim (class CHILD_VICTIM) touches a context on a day, with the weight of the
record it came from. Everyone else (parents, reporters, witnesses) only counts towards how many
people a context touches, which is what down-weights hubs. The same table can be generated directly
at national scale (see ``bench/network_bench.py``), so the analysis has one code path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from safehub.network import keys
from safehub.network.graph import NetworkGraph
from safehub.network.model import MentionFact, RecordFact
from safehub.network.people import (
    CHILD_VICTIM,
    CONCERN,
    PersonClass,
    classify_person,
    mention_class,
    points_to_exploitation,
)
from safehub.network.weights import record_weight

EPOCH = date(1970, 1, 1)
CONTEXT_KINDS = ("record", "place", "vehicle", "phone", "licence", "handle", "email", "address")
KIND_CODE = {kind: code for code, kind in enumerate(CONTEXT_KINDS)}

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class ConcernTable:
    """People, contexts and the concern rows linking them; indices point into the lists."""

    person_ids: list[str]  # sorted
    concern: BoolArray  # per person: adult of concern (rankable)
    child_victim: BoolArray  # per person
    suspect: BoolArray  # per person: an adult of concern recorded as suspect (else associate)
    contexts: list[str]  # node keys, sorted
    context_kind: IntArray  # KIND_CODE per context
    context_degree: IntArray  # distinct people touching the context, any role
    context_agency: list[str]  # agency code of a record context, "" otherwise
    context_area: list[str]  # area code of a record context, "" otherwise
    # A record context that documents contact between the adults and children in it: a crime
    # report (an offence against the child alleged) or a missing episode (found with the child).
    context_contact: BoolArray
    row_person: IntArray
    row_context: IntArray
    row_class: IntArray  # CONCERN or CHILD_VICTIM
    row_day: IntArray  # days since 1970-01-01
    row_weight: FloatArray  # how much the record behind the row points to exploitation


def classify_people(
    graph: NetworkGraph, viewer: str = "", shown: list[MentionFact] | None = None
) -> dict[str, PersonClass]:
    """Every person's class, as of the latest record date in the graph (not today: reproducible).

    Rows restricted from ``viewer`` (``NetworkGraph.shown_mentions``) play no part: nothing of
    them, not even a count, may reach an analysis that leaves their agency. ``shown``: those
    mentions, when the caller already has them (they are sorted once per analysis).
    """
    as_of = max((r.record_date for r in graph.records.values()), default=EPOCH)
    exploitation = {k for k, r in graph.records.items() if record_points_to_exploitation(r)}
    by_person: dict[str, list[MentionFact]] = {}
    for fact in graph.shown_mentions(viewer) if shown is None else shown:
        by_person.setdefault(fact.person_id, []).append(fact)
    return {
        pid: classify_person(pid, facts, as_of, exploitation)
        for pid, facts in sorted(by_person.items())
    }


def concern_table(
    graph: NetworkGraph,
    people: dict[str, PersonClass],
    viewer: str = "",
    shown: list[MentionFact] | None = None,
) -> ConcernTable:
    """The concern rows of a graph (see the module docstring), from the rows ``viewer`` may see:
    a restricted row makes no concern row and does not count towards a context's degree."""
    person_ids = sorted(people)
    person_index = {pid: i for i, pid in enumerate(person_ids)}
    rows: list[tuple[int, str, int, int, float]] = []
    touching: dict[str, set[int]] = {}
    for fact in graph.shown_mentions(viewer) if shown is None else shown:
        index = person_index[fact.person_id]
        record = graph.records[fact.record_key]
        rows.extend(_rows_of(index, fact, people[fact.person_id], record))
        for context in _contexts_of(fact, record):
            touching.setdefault(context, set()).add(index)
    contexts = sorted({r[1] for r in rows})
    return ConcernTable(
        person_ids=person_ids,
        concern=np.array([people[p].concern for p in person_ids], dtype=np.bool_),
        child_victim=np.array([people[p].child_victim for p in person_ids], dtype=np.bool_),
        suspect=np.array([people[p].suspect for p in person_ids], dtype=np.bool_),
        contexts=contexts,
        context_kind=np.array([KIND_CODE[keys.node_kind(c)] for c in contexts], dtype=np.int64),
        context_degree=np.array([len(touching[c]) for c in contexts], dtype=np.int64),
        context_agency=[_record_agency(c) for c in contexts],
        context_area=[_record_area(graph, c) for c in contexts],
        context_contact=np.array([_records_contact(graph, c) for c in contexts], dtype=np.bool_),
        **_row_arrays(rows, {c: i for i, c in enumerate(contexts)}),  # type: ignore[arg-type]
    )


def _contexts_of(fact: MentionFact, record: RecordFact) -> list[str]:
    """Every context a row touches, whatever the person's role: what makes a context busy."""
    found = [keys.record_node(*fact.record_key), *fact.identifiers]
    if record.place:
        found.append(record.place)
    if fact.address:
        found.append(fact.address)
    return found


def _rows_of(
    index: int, fact: MentionFact, person: PersonClass, record: RecordFact
) -> list[tuple[int, str, int, int, float]]:
    day = (fact.record_date - EPOCH).days
    weight = record_weight(record.record_type, bool(record.indicators), record.group_based)
    rows: list[tuple[int, str, int, int, float]] = []
    exploitation = record_points_to_exploitation(record)
    cls = mention_class(fact, fact.date_of_birth or person.date_of_birth, exploitation)
    if cls in (CONCERN, CHILD_VICTIM):
        rows.append((index, keys.record_node(*fact.record_key), cls, day, weight))
        if record.place:
            rows.append((index, record.place, cls, day, weight))
    # Identifiers and addresses belong to the person, whatever their role in this record.
    owned = [*fact.identifiers, fact.address] if fact.address else list(fact.identifiers)
    for cls_owned, flag in ((CONCERN, person.concern), (CHILD_VICTIM, person.child_victim)):
        if flag:
            rows.extend((index, node, cls_owned, day, 1.0) for node in owned)
    return rows


def _row_arrays(
    rows: list[tuple[int, str, int, int, float]], context_index: dict[str, int]
) -> dict[str, npt.NDArray[np.int64] | npt.NDArray[np.float64]]:
    return {
        "row_person": np.array([r[0] for r in rows], dtype=np.int64),
        "row_context": np.array([context_index[r[1]] for r in rows], dtype=np.int64),
        "row_class": np.array([r[2] for r in rows], dtype=np.int64),
        "row_day": np.array([r[3] for r in rows], dtype=np.int64),
        "row_weight": np.array([r[4] for r in rows], dtype=np.float64),
    }


def _record_agency(context: str) -> str:
    if keys.node_kind(context) != keys.RECORD_KIND:
        return ""
    return keys.node_value(context).split("/", 1)[0]


def _record_area(graph: NetworkGraph, context: str) -> str:
    if keys.node_kind(context) != keys.RECORD_KIND:
        return ""
    agency, record_id = keys.node_value(context).split("/", 1)
    return graph.records[(agency, record_id)].area_code


CONTACT_RECORD_TYPES = frozenset({"crime_report", "missing_episode"})


def _records_contact(graph: NetworkGraph, context: str) -> bool:
    if keys.node_kind(context) != keys.RECORD_KIND:
        return False
    agency, record_id = keys.node_value(context).split("/", 1)
    return graph.records[(agency, record_id)].record_type in CONTACT_RECORD_TYPES


def record_points_to_exploitation(record: RecordFact) -> bool:
    return points_to_exploitation(record.record_type, bool(record.indicators), record.group_based)
