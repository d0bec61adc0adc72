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
    row_person: IntArray
    row_context: IntArray
    row_class: IntArray  # CONCERN or CHILD_VICTIM
    row_day: IntArray  # days since 1970-01-01
    row_weight: FloatArray  # how much the record behind the row points to exploitation


def classify_people(graph: NetworkGraph) -> dict[str, PersonClass]:
    """Every person's class, as of the latest record date in the graph (not today: reproducible)."""
    as_of = max((r.record_date for r in graph.records.values()), default=EPOCH)
    exploitation = {k for k, r in graph.records.items() if record_points_to_exploitation(r)}
    by_person: dict[str, list[MentionFact]] = {}
    for fact in graph.mentions.values():
        by_person.setdefault(fact.person_id, []).append(fact)
    return {
        pid: classify_person(pid, sorted(facts, key=lambda f: f.key), as_of, exploitation)
        for pid, facts in sorted(by_person.items())
    }


def concern_table(graph: NetworkGraph, people: dict[str, PersonClass]) -> ConcernTable:
    """The concern rows of a graph (see the module docstring)."""
    person_ids = sorted(people)
    person_index = {pid: i for i, pid in enumerate(person_ids)}
    rows: list[tuple[int, str, int, int, float]] = []
    for key in sorted(graph.mentions):
        fact = graph.mentions[key]
        person = people[fact.person_id]
        record = graph.records[fact.record_key]
        rows.extend(_rows_of(person_index[fact.person_id], fact, person, record))
    contexts = sorted({r[1] for r in rows})
    return ConcernTable(
        person_ids=person_ids,
        concern=np.array([people[p].concern for p in person_ids], dtype=np.bool_),
        child_victim=np.array([people[p].child_victim for p in person_ids], dtype=np.bool_),
        suspect=np.array([people[p].suspect for p in person_ids], dtype=np.bool_),
        contexts=contexts,
        context_kind=np.array([KIND_CODE[keys.node_kind(c)] for c in contexts], dtype=np.int64),
        context_degree=np.array([_people_touching(graph, c) for c in contexts], dtype=np.int64),
        context_agency=[_record_agency(c) for c in contexts],
        context_area=[_record_area(graph, c) for c in contexts],
        **_row_arrays(rows, {c: i for i, c in enumerate(contexts)}),  # type: ignore[arg-type]
    )


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


def _people_touching(graph: NetworkGraph, context: str) -> int:
    """How many distinct people a context touches: a place through the records that name it."""
    neighbours = graph.neighbours(context)
    if keys.node_kind(context) != keys.PLACE_KIND:
        return sum(1 for n in neighbours if keys.node_kind(n) == keys.PERSON_KIND)
    people: set[str] = set()
    for record in neighbours:
        people.update(n for n in graph.neighbours(record) if keys.node_kind(n) == keys.PERSON_KIND)
    return len(people)


def _record_agency(context: str) -> str:
    if keys.node_kind(context) != keys.RECORD_KIND:
        return ""
    return keys.node_value(context).split("/", 1)[0]


def _record_area(graph: NetworkGraph, context: str) -> str:
    if keys.node_kind(context) != keys.RECORD_KIND:
        return ""
    agency, record_id = keys.node_value(context).split("/", 1)
    return graph.records[(agency, record_id)].area_code


def record_points_to_exploitation(record: RecordFact) -> bool:
    return points_to_exploitation(record.record_type, bool(record.indicators), record.group_based)
