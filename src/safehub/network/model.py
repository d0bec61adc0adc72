"""The shapes the network engine works with: facts kept from mentions, and the results it returns.

Every result carries its explanation (which records, which identifiers, which agencies), because an
analyst must be able to check why a group or a key person was surfaced before acting on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from safehub.extracts.identifiers import PartialDate

RecordKey = tuple[str, str]  # (agency_code, record_id)
MentionKey = tuple[str, str, str]  # (agency_code, record_id, person_ref)


@dataclass(frozen=True, slots=True)
class RecordFact:
    """The record-level columns the network needs, merged over the record's rows."""

    key: RecordKey
    agency_type: str
    record_type: str
    record_date: date
    area_code: str = ""
    place: str = ""  # node key of the place named in the record, "" when none
    place_label: str = ""
    group_based: bool = False
    indicators: tuple[str, ...] = ()  # union of the indicators on the record's rows
    offence_code: str = ""  # Home Office offence code of a crime report, "" when none

    @property
    def agency_code(self) -> str:
        return self.key[0]


@dataclass(frozen=True, slots=True)
class MentionFact:
    """One person in one record, reduced to what the graph uses. Never holds a protected trait."""

    key: MentionKey
    person_id: str
    role: str
    record_date: date
    date_of_birth: PartialDate | None
    identifiers: tuple[str, ...]  # node keys, e.g. ("phone:+447700900123", "vehicle:AB12CDE")
    address: str  # node key, "" when none
    indicators: tuple[str, ...]
    licence_holder: bool  # role licence_holder or a valid licence number on the row
    restricted: bool = False  # refuge, protected address: never shown outside the agency
    # The row gives a given or family name (a nameless row: a car at the school gates). Rows
    # built without saying count as named: only a row known to be nameless is a sighting.
    named: bool = True

    @property
    def record_key(self) -> RecordKey:
        return (self.key[0], self.key[1])

    @property
    def agency_code(self) -> str:
        return self.key[0]


@dataclass(slots=True)
class Edge:
    """An undirected edge between two node keys and the mentions (or records) that make it."""

    kind: str  # "in_record", "carries", "lives_at", "at_place"
    evidence: set[MentionKey] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class GroupMember:
    person_id: str
    role_in_group: str  # organiser, suspect, associate, victim


@dataclass(frozen=True, slots=True)
class Group:
    """A candidate exploitation group and the evidence an analyst needs to check it.

    ``members`` holds the adults of concern and the children; ``shared_identifiers`` the vehicles,
    phones, handles and places that link two or more of its members.
    """

    group_id: str
    members: tuple[GroupMember, ...]
    records: tuple[RecordKey, ...]
    shared_identifiers: tuple[str, ...]
    agencies: tuple[str, ...]
    areas: tuple[str, ...]
    first_date: date
    last_date: date
    # Pairs of member ids counted as one person on an unconfirmed "possibly the same person"
    # link: the group rests on them until someone confirms each pair.
    possibly_same: tuple[tuple[str, str], ...] = ()
    # Why it is a group, in words (``analysis.group_grounds``): the rule it meets, the children
    # its adults share, the phones, cars, licences, handles or emails they share, and any adult
    # who is in it only through direct ties to two or more of its bound members.
    grounds: tuple[str, ...] = ()

    @property
    def adults(self) -> tuple[str, ...]:
        return tuple(m.person_id for m in self.members if m.role_in_group != "victim")

    @property
    def children(self) -> tuple[str, ...]:
        return tuple(m.person_id for m in self.members if m.role_in_group == "victim")

    @property
    def person_ids(self) -> tuple[str, ...]:
        return tuple(m.person_id for m in self.members)


@dataclass(frozen=True, slots=True)
class KeyPerson:
    """One adult of concern in the ranking, with the measures behind the score and a sentence."""

    rank: int
    person_id: str
    score: float
    reasons: str
    children: int
    agencies: int
    shared_identifier_adults: int
    co_accused: int
    betweenness: float
    groups_bridged: int
    group_id: str


@dataclass(frozen=True, slots=True)
class Alert:
    """An alert for a person to act on; ``recipient`` says which decision it goes to.

    Alerts name records by key and agency only: showing another agency's content is decided by the
    information-sharing rules when the alert is delivered (sealed envelope), not here.
    """

    kind: str  # "known_group", "adult_linked_to_other_children", "licence_holder_of_concern"
    recipient: str  # "group_analyst", "child_case_team", "police_disclosure_decision"
    record: RecordKey
    person_ids: tuple[str, ...]
    group_id: str
    reasons: tuple[str, ...]
    # The earlier records the alert rests on besides ``record`` (its reasons cite them): the
    # envelope is sealed unless every owning agency may share them with the recipient.
    rests_on: tuple[RecordKey, ...] = ()
    # The "possibly the same person" pairs the alert rests on, as a person would confirm them
    # ("POL-WY/S-1 and LA-BRAD/P-9"): such an alert stays with the owning agency until confirmed.
    possibly_same: tuple[str, ...] = ()
    # With ``possibly_same``: the reasons as they read once a person has confirmed every pair
    # (the same finding, without the caveat), for the alert then sent to its usual recipient.
    if_confirmed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LinkedAdult:
    person_id: str
    roles: tuple[str, ...]
    records: tuple[RecordKey, ...]
    other_children: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ChildView:
    """A child-centred view: who and what is linked to this child, for their case team."""

    person_id: str
    adults: tuple[LinkedAdult, ...]
    places: tuple[str, ...]
    vehicles: tuple[str, ...]
    other_children: tuple[str, ...]
    groups: tuple[str, ...]
    heightened_risk: bool
    reasons: tuple[str, ...]
