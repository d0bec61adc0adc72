from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from safehub.access import Permission
from safehub.api.v1.schemas import (
    IdentifierPublic,
    PathId,
    PersonHitPublic,
    PersonPublic,
    RecordPublic,
)
from safehub.http.context import Context, require
from safehub.services.casework.people import search_people, view_person

router = APIRouter(tags=["people"])


@router.get("/people", operation_id="search_people", response_model=list[PersonHitPublic])
def api_search_people(
    ctx: Annotated[Context, Depends(require(Permission.SEARCH_PEOPLE))],
    name: Annotated[str, Query(min_length=2)],
    date_of_birth: Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] = None,
) -> list[PersonHitPublic]:
    hits = search_people(ctx.uow, name=name, date_of_birth=date_of_birth)
    ctx.uow.commit()
    return [PersonHitPublic.model_validate(h) for h in hits]


@router.get("/people/{person_id}", operation_id="get_person", response_model=PersonPublic)
def api_get_person(
    person_id: PathId, ctx: Annotated[Context, Depends(require(Permission.VIEW_PERSON))]
) -> PersonPublic:
    person = view_person(ctx.uow, person_id=person_id)
    ctx.uow.commit()
    identifiers = [
        IdentifierPublic(kind=i.kind, as_recorded=i.raw, normalised=i.normalised, agency_code=code)
        for i in person.identifiers
        for code, _ in i.holders
    ]
    records = [
        RecordPublic.model_validate(r).model_copy(update={"outcome": r.person_outcome or r.outcome})
        for rows in person.records_by_agency.values()
        for r in rows
    ]
    return PersonPublic(
        person_id=person.person_id,
        names=person.names,
        dates_of_birth=person.dates_of_birth,
        identifiers=identifiers,
        records=records,
    )
