"""Finding a person and seeing what every agency holds about them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from safehub.db.queries import people as q
from safehub.db.uow import UnitOfWork
from safehub.services.errors import NotFoundError


@dataclass(frozen=True, slots=True)
class PersonView:
    person_id: int
    names: list[str]
    dates_of_birth: list[str]
    identifiers: dict[str, list[tuple[str, str | None, str]]]
    records_by_agency: dict[str, list[q.RecordMention]]

    @property
    def display_name(self) -> str:
        return self.names[0] if self.names else f"Person {self.person_id}"


def search_people(uow: UnitOfWork, *, name: str, date_of_birth: str | None = None,
                  purpose: str = "case work") -> list[q.PersonHit]:  # fmt: skip
    hits = q.search_people(uow.session, name=name, date_of_birth=date_of_birth)
    uow.audit(
        "consultation",
        "person_search",
        [h.person_id for h in hits],
        purpose=purpose,
        detail={"results": len(hits)},
    )
    return hits


def view_person(uow: UnitOfWork, *, person_id: int, purpose: str = "case work") -> PersonView:
    if not q.person_exists(uow.session, person_id):
        raise NotFoundError(f"person {person_id}")
    records = q.records_mentioning(uow.session, [person_id])
    by_agency: dict[str, list[q.RecordMention]] = defaultdict(list)
    for record in records:
        by_agency[record.agency_code].append(record)
    identifiers: dict[str, list[tuple[str, str | None, str]]] = defaultdict(list)
    for kind, raw, normalised, agency in q.identifiers_of(uow.session, person_id):
        identifiers[kind].append((raw, normalised, agency))
    names = _most_common([r.name for r in records if r.name])
    dobs = _most_common([r.date_of_birth for r in records if r.date_of_birth])
    uow.audit(
        "consultation", "person", [person_id], purpose=purpose, detail={"records": len(records)}
    )
    return PersonView(person_id, names, dobs, dict(identifiers), dict(by_agency))


def _most_common(values: list[str]) -> list[str]:
    counts: dict[str, int] = defaultdict(int)
    for value in values:
        counts[value] += 1
    return sorted(counts, key=lambda v: (-counts[v], v))
