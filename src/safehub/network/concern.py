"""From the graph to the compact table the analysis runs on: who touches which context, as what.

A *context* is anything two people can share: a record, a place named in records, a vehicle,
phone, email, handle, licence or home address. Each row says that an adult of concern (class
CONCERN) or a child victim (class CHILD_VICTIM) touches a context on a day, with the weight of the
record it came from. Everyone else (parents, reporters, witnesses) only counts towards how many
people a context touches, which is what down-weights hubs. The same table can be generated directly
at national scale (see ``bench/network_bench.py``), so the analysis has one code path. The rules
for one mention live here; ``concern_index.py`` keeps the table of a graph up to date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from safehub.network import keys
from safehub.network.model import MentionFact, RecordFact
from safehub.network.people import (
    CHILD_VICTIM,
    CONCERN,
    OTHER,
    PersonClass,
    is_sexual_offence,
    mention_class,
    points_to_exploitation,
)
from safehub.network.weights import record_weight

EPOCH = date(1970, 1, 1)
CHILD_IDENTIFIER_KINDS = frozenset({"vehicle", "handle"})
CONTEXT_KINDS = ("record", "place", "vehicle", "phone", "licence", "handle", "email", "address")
KIND_CODE = {kind: code for code, kind in enumerate(CONTEXT_KINDS)}

ConcernRow = tuple[str, int, int, float]  # (context node key, class, day, weight)
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
    intelligence_subject: BoolArray  # per person: of concern only as the subject of intelligence
    named: BoolArray  # per person: some row of theirs gives a name (``MentionFact.named``)
    contexts: list[str]  # node keys, sorted
    context_kind: IntArray  # KIND_CODE per context
    context_degree: IntArray  # distinct people touching the context, any role
    context_agency: list[str]  # agency code of a record context, "" otherwise
    context_area: list[str]  # area code of a record context, "" otherwise
    # A record context that documents contact between the adults and children in it: a crime
    # report (an offence against the child alleged) or a missing episode (found with the child).
    context_contact: BoolArray
    # Per context: distinct people a licensing authority licenses to drive it (a car on their
    # taxi licence). Two or more: a taxi firm's car, which its drivers share (``links.py``).
    context_licensed: IntArray
    row_person: IntArray
    row_context: IntArray
    row_class: IntArray  # CONCERN or CHILD_VICTIM
    row_day: IntArray  # days since 1970-01-01
    row_weight: FloatArray  # how much the record behind the row points to exploitation


def contexts_of(fact: MentionFact, record: RecordFact) -> list[str]:
    """Every context a row touches, whatever the person's role: what makes a context busy."""
    found = [keys.record_node(*fact.record_key), *fact.identifiers]
    if record.place:
        found.append(record.place)
    if fact.address:
        found.append(fact.address)
    if premises := licensed_premises(fact, record):
        found.append(premises)
    return found


def licensed_premises(fact: MentionFact, record: RecordFact) -> str:
    """The premises a licence record licenses its holder for (the takeaway), as an address key:
    the holder has them as he has his home, so children found there are found at his premises
    (``ranking._holds_place``); "" for a licence with no named place (a taxi driver's).

    >>> from datetime import date
    >>> day = date(2020, 1, 1)
    >>> fact = MentionFact(("LIC", "L1", "D1"), "P9", "licence_holder", day, None, (), "", (), True)
    >>> record = RecordFact(("LIC", "L1"), "licensing", "licence", day, place="place:best kebab|S34HL")
    >>> licensed_premises(fact, record)
    'address:best kebab|S34HL'
    """
    if record.record_type != "licence" or fact.role != "licence_holder" or not record.place:
        return ""
    words = keys.node_value(record.place).split("|", 1)[0]
    return f"{keys.ADDRESS_KIND}:{keys.node_value(record.place)}" if words else ""


def rows_of(fact: MentionFact, person: PersonClass, record: RecordFact) -> list[ConcernRow]:
    """The concern rows one mention makes: (context, class, day, weight)."""
    day = (fact.record_date - EPOCH).days
    weight = record_weight(
        record.record_type,
        bool(record.indicators),
        record.group_based,
        is_sexual_offence(record.offence_code),
    )
    rows: list[ConcernRow] = []
    exploitation = record_points_to_exploitation(record)
    cls = mention_class(fact, fact.date_of_birth or person.date_of_birth, exploitation)
    if cls == CHILD_VICTIM and is_everyday_crime(record):
        cls = OTHER  # a child harmed in an everyday crime: not a link to an exploiter
    if cls == OTHER and person.concern and is_intelligence_subject(fact, record):
        # The man an intelligence report is about, already of concern elsewhere: the report
        # ties him to the others it names (it does not make anyone of concern on its own).
        cls = CONCERN
    if cls in (CONCERN, CHILD_VICTIM):
        rows.append((keys.record_node(*fact.record_key), cls, day, weight))
        if record.place:
            rows.append((record.place, cls, day, weight))
    # Identifiers and addresses belong to the person, whatever their role in this record.
    owned = [*fact.identifiers, *(a for a in (fact.address, licensed_premises(fact, record)) if a)]
    if person.concern:
        rows.extend((node, CONCERN, day, 1.0) for node in owned)
    if person.child_victim and not fact.licence_holder:
        # A child's home links the child to the family, carers and housemates, not to a group;
        # the phone or email on a child's school or health record is often a parent's. The car
        # a child was seen in and the child's own online handle can tie them to an adult. A row
        # that holds a licence is a driver's (no child holds one): its car is his, not a car a
        # child was seen in, even when linkage has put it under a child (a father and son).
        rows.extend(
            (node, CHILD_VICTIM, day, 1.0)
            for node in fact.identifiers
            if keys.node_kind(node) in CHILD_IDENTIFIER_KINDS
        )
    return rows


def licensed_cars(fact: MentionFact, record: RecordFact) -> list[str]:
    """The cars a licence record licenses its holder to drive (none from any other record).

    >>> from datetime import date
    >>> day = date(2020, 1, 1)
    >>> fact = MentionFact(("LIC", "L1", "D1"), "P9", "licence_holder", day, None,
    ...                    ("vehicle:KV56KWO", "phone:+447700900123"), "", (), True)
    >>> licensed_cars(fact, RecordFact(("LIC", "L1"), "licensing", "licence", day))
    ['vehicle:KV56KWO']
    """
    if record.record_type != "licence" or not fact.licence_holder:
        return []
    return [node for node in fact.identifiers if keys.node_kind(node) == "vehicle"]


def record_agency(context: str) -> str:
    if keys.node_kind(context) != keys.RECORD_KIND:
        return ""
    return keys.node_value(context).split("/", 1)[0]


# Records that document contact between the adults and children named in them.
CONTACT_RECORD_TYPES = frozenset({"crime_report", "missing_episode"})


def is_intelligence_subject(fact: MentionFact, record: RecordFact) -> bool:
    return fact.role == "subject" and record.record_type == "intelligence"


def is_everyday_crime(record: RecordFact) -> bool:
    """A crime report with no sign of exploitation (a robbery, a fight, damage)."""
    return record.record_type == "crime_report" and not record_points_to_exploitation(record)


def record_points_to_exploitation(record: RecordFact) -> bool:
    return points_to_exploitation(
        record.record_type, bool(record.indicators), record.group_based, record.offence_code
    )
