"""What the policy needs to know about the thing being accessed (loaded by the services).

Each subject carries facts, not rows: who holds a person, who is on a case, whether another
agency's record is open to the actor's agency. ``safehub.db.queries.access`` loads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class PersonSubject:
    """A resolved person: which agencies hold records about them, restricted or not."""

    person_id: int
    holders: frozenset[int] = frozenset()
    restricted_by: frozenset[int] = frozenset()
    on_visible_case: bool = False
    break_glass: bool = False


@dataclass(frozen=True, slots=True)
class HolderSubject:
    """That an agency holds records about a person (not what they say): the sealed envelope."""

    agency_id: int
    restricted: bool


@dataclass(frozen=True, slots=True)
class CaseSubject:
    case_id: int
    members: frozenset[int] = frozenset()
    agencies: frozenset[int] = frozenset()
    lead_user_id: int | None = None
    break_glass: bool = False


@dataclass(frozen=True, slots=True)
class RecordSubject:
    """The content of one agency's record about a person (the sealed envelope's contents)."""

    owning_agency_id: int
    record_type: str
    person_id: int
    restricted: bool = False
    # Record types the owning agency shares with the actor's agency under a live agreement.
    agreed_types: frozenset[str] = frozenset()
    disclosed: bool = False
    break_glass: bool = False


@dataclass(frozen=True, slots=True)
class AlertSubject:
    alert_id: int
    kind: str
    target_agency_id: int
    person_known: bool = True


@dataclass(frozen=True, slots=True)
class DisclosureSubject:
    request_id: int
    owning_agency_id: int
    requesting_agency_id: int


@dataclass(frozen=True, slots=True)
class SharingFacts:
    """What opens other agencies' content to the actor's agency, for one or more people."""

    agreed_types: dict[int, frozenset[str]] = field(default_factory=dict)  # by owning agency
    disclosed: frozenset[tuple[int, int]] = frozenset()  # (owning agency, person)
    break_glass_people: frozenset[int] = frozenset()

    def record(
        self, *, owning_agency_id: int, record_type: str, person_id: int, restricted: bool
    ) -> RecordSubject:
        return RecordSubject(
            owning_agency_id,
            record_type,
            person_id,
            restricted,
            self.agreed_types.get(owning_agency_id, frozenset()),
            (owning_agency_id, person_id) in self.disclosed,
            person_id in self.break_glass_people,
        )
