"""Finding a person, and the person page."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from safehub.access import Permission, can
from safehub.http.context import Context, require
from safehub.http.pages import error_list, renderer
from safehub.services.casework.people import PersonView, search_people, view_person
from safehub.web.navigation import NavItem

NAV = [NavItem("/people", "Find a person", Permission.SEARCH_PEOPLE, 20)]
router = APIRouter()
_DOB = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_KINDS = {
    "nhs_number": "NHS number",
    "phone": "Phone",
    "email": "Email",
    "vehicle": "Vehicle",
    "licence": "Licence",
    "handle": "Online handle",
    "postcode": "Postcode",
}


@router.get("/people", response_class=HTMLResponse)
def people_search(
    request: Request,
    ctx: Annotated[Context, Depends(require(Permission.SEARCH_PEOPLE))],
    name: str | None = None,
    dob: str | None = None,
) -> Response:
    values = {"name": name or "", "dob": dob or ""}
    errors: dict[str, str] = {}
    if name is not None and len(name.strip()) < 2:
        errors["name"] = "Enter at least 2 letters of a name"
    if dob and not _DOB.match(dob.strip()):
        errors["dob"] = (
            "Enter the date of birth as YYYY, YYYY-MM or YYYY-MM-DD, for example 2011-07-03"
        )
    hits = []
    if name is not None and not errors:
        hits = search_people(ctx.uow, name=name.strip(), date_of_birth=(dob or "").strip() or None)
    ctx.uow.commit()
    rows = [
        [
            {
                "html": f'<a class="govuk-link" href="/people/{h.person_id}">{escape(", ".join(h.names[:3]))}</a>'
            },
            {"text": ", ".join(h.dates_of_birth) or "Not known"},
            {"text": ", ".join(h.agencies)},
        ]
        for h in hits
    ]
    return renderer(request).page(
        request,
        "people_search.html",
        status_code=400 if errors else 200,
        title="Find a person",
        values=values,
        errors=errors,
        error_list=error_list(errors),
        hits=hits,
        hit_rows=rows,
        searched=name is not None and not errors,
    )


@router.get("/people/{person_id}", response_class=HTMLResponse)
def person_page(
    request: Request,
    person_id: int,
    ctx: Annotated[Context, Depends(require(Permission.VIEW_PERSON))],
) -> Response:
    person = view_person(ctx.uow, person_id=person_id)
    ctx.uow.commit()
    return renderer(request).page(
        request,
        "person.html",
        title=person.display_name,
        person=person,
        sealed=person.sealed,
        can_request=can(ctx.actor, Permission.REQUEST_DISCLOSURE),
        **_person_tables(person),
    )


def _person_tables(person: PersonView) -> dict[str, Any]:
    summary = [
        {"key": {"text": "Names recorded"}, "value": {"text": ", ".join(person.names) or "None"}},
        {
            "key": {"text": "Dates of birth recorded"},
            "value": {"text": ", ".join(person.dates_of_birth) or "Not known"},
        },
        {
            "key": {"text": "Known to"},
            "value": {
                "text": ", ".join(
                    sorted({*person.records_by_agency, *(s.agency_code for s in person.sealed)})
                )
            },
        },
    ]
    identifiers = [
        [
            {"text": _KINDS.get(kind, kind)},
            {"text": raw},
            {"text": normalised or "Failed its check: not used for matching"},
            {"text": agency},
        ]
        for kind, items in sorted(person.identifiers.items())
        for raw, normalised, agency in items
    ]
    tables = [
        (
            agency,
            [
                [
                    {"text": r.record_date.isoformat()},
                    {"text": f"{r.record_type.replace('_', ' ')} {r.record_ref}"},
                    {"text": r.person_role.replace("_", " ")},
                    {"text": ", ".join(i.replace("_", " ") for i in r.indicators) or "None"},
                    {"text": (r.person_outcome or r.outcome or "Not recorded").replace("_", " ")},
                ]
                for r in records
            ],
        )
        for agency, records in sorted(person.records_by_agency.items())
    ]
    return {"summary_rows": summary, "identifier_rows": identifiers, "record_tables": tables}
