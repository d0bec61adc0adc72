"""Finding a person, and the person page."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from safehub.access import Permission, can
from safehub.extracts.codes import INDICATOR_NAMES, label
from safehub.http.context import Context, require
from safehub.http.pages import error_list, renderer
from safehub.http.templating import govuk_date
from safehub.services.casework.cases import cases_of_person
from safehub.services.casework.people import (
    SORTS,
    PeoplePage,
    PersonHit,
    PersonView,
    find_people,
    view_person,
)
from safehub.services.sharing.agreements import SealedEnvelope
from safehub.web.navigation import NavItem

NAV = [NavItem("/people", "Find a person", Permission.SEARCH_PEOPLE, 20)]
router = APIRouter()
_DOB = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_WRITTEN = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
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
    sort: str = "name",
    page: int = 1,
) -> Response:
    values = {"name": name or "", "dob": dob or "", "sort": sort}
    born = _dob(dob)
    errors: dict[str, str] = {}
    searching = name is not None or bool(dob)
    exact = born is not None and len(born) == 10
    if searching and len((name or "").strip()) < 2 and not exact:
        errors["name"] = "Enter at least 2 letters of a name, or a full date of birth"
    if dob and born is None:
        errors["dob"] = (
            "Enter the date of birth as 3/7/2011 or 2011-07-03, or a year and month as 2011-07"
        )
    found = None
    if searching and not errors:
        found = find_people(
            ctx.uow,
            name=(name or "").strip(),
            date_of_birth=born,
            sort=sort if sort in SORTS else "name",
            page=page,
        )
    ctx.uow.commit()
    return renderer(request).page(
        request,
        "people_search.html",
        status_code=400 if errors else 200,
        title="Find a person",
        values=values,
        errors=errors,
        error_list=error_list(errors),
        found=found,
        hit_rows=[_hit_row(h) for h in found.hits] if found else [],
        sorts=[{"value": k, "text": v, "selected": k == sort} for k, v in SORTS.items()],
        page_links=_pages(found, values) if found else None,
        searched=found is not None,
    )


def _dob(typed: str | None) -> str | None:
    """A date of birth as the records hold it (YYYY, YYYY-MM or YYYY-MM-DD), from that form
    or as people write a date (3/7/2011, 03-07-2011); None when it is neither."""
    if not typed or not typed.strip():
        return None
    typed = typed.strip()
    if _DOB.match(typed):
        return typed
    written = _WRITTEN.match(typed)
    if written is None:
        return None
    day, month, year = (int(p) for p in written.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _hit_row(hit: PersonHit) -> list[dict[str, Any]]:
    names = escape(", ".join(hit.names[:3]) or f"Person {hit.person_id}")
    return [
        {"html": f'<a class="govuk-link" href="/people/{hit.person_id}">{names}</a>'},
        {"text": hit.age or "Not known"},
        {"text": ", ".join(govuk_date(d) for d in hit.dates_of_birth) or "Not known"},
        {"text": ", ".join(hit.areas) or "Not known"},
        {"text": ", ".join(hit.agency_names)},
        {"text": "Yes" if hit.open_cases else "No"},
    ]


def _pages(found: PeoplePage, values: dict[str, str]) -> dict[str, Any] | None:
    if found.pages < 2:
        return None

    def href(n: int) -> str:
        return "/people?" + urlencode({**values, "page": n})

    return {
        "previous": {"href": href(found.page - 1)} if found.page > 1 else None,
        "next": {"href": href(found.page + 1)} if found.page < found.pages else None,
        "items": [
            {"number": n, "href": href(n), "current": n == found.page}
            for n in range(1, found.pages + 1)
        ],
    }


@router.get("/people/{person_id}", response_class=HTMLResponse)
def person_page(
    request: Request,
    person_id: int,
    ctx: Annotated[Context, Depends(require(Permission.VIEW_PERSON))],
) -> Response:
    person = view_person(ctx.uow, person_id=person_id)
    cases = cases_of_person(ctx.uow, person_id=person_id)
    ctx.uow.commit()
    return renderer(request).page(
        request,
        "person.html",
        title=person.display_name,
        person=person,
        cases=cases,
        sealed=[_envelope(person, s) for s in person.sealed],
        can_request=can(ctx.actor, Permission.REQUEST_DISCLOSURE),
        **_person_tables(person),
    )


def _envelope(person: PersonView, envelope: SealedEnvelope) -> dict[str, Any]:
    """What to say about an agency's records that are not open to the user: how many, and
    whether others of theirs are shown above."""
    count = person.withheld.get(envelope.agency_id)
    shown = envelope.agency_name in person.records_by_agency
    records = "record" if count == 1 else "records"
    if count and shown:
        said = f"{count} more {records} held by {envelope.agency_name} {'is' if count == 1 else 'are'} not open to you."
    elif count:
        said = f"{count} {records} held by {envelope.agency_name} {'is' if count == 1 else 'are'} not open to you."
    elif shown:
        said = (
            f"{envelope.agency_name} holds more records about this person that are not open to you."
        )
    else:
        said = f"{envelope.agency_name} holds records about this person that are not open to you."
    return {"envelope": envelope, "said": said}


def _person_tables(person: PersonView) -> dict[str, Any]:
    born = [govuk_date(d) for d in person.dates_of_birth]
    summary = [
        {"key": {"text": "Names recorded"}, "value": {"text": ", ".join(person.names) or "None"}},
        {
            "key": {"text": "Dates of birth recorded"},
            "value": {"text": ", ".join(born) or "Not known"},
        },
        {"key": {"text": "Age"}, "value": {"text": person.age or "Not known"}},
        {
            "key": {"text": "Known to"},
            "value": {
                "text": ", ".join(
                    sorted({*person.records_by_agency, *(s.agency_name for s in person.sealed)})
                )
            },
        },
    ]
    identifiers = [
        [
            {"text": _KINDS.get(i.kind, i.kind)},
            {"text": i.raw},
            {"text": i.normalised or "Failed its check: not used for matching"},
            {"text": ", ".join(i.agencies)},
        ]
        for i in person.identifiers
    ]
    tables = [
        (
            agency,
            [
                [
                    {"text": govuk_date(r.record_date)},
                    {"text": f"{label(r.record_type)} {r.record_ref}"},
                    {"text": label(r.person_role)},
                    {
                        "text": ", ".join(INDICATOR_NAMES.get(i, label(i)) for i in r.indicators)
                        or "None"
                    },
                    {"text": label(r.person_outcome or r.outcome) or "Not recorded"},
                ]
                for r in records
            ],
        )
        for agency, records in sorted(person.records_by_agency.items())
    ]
    return {"summary_rows": summary, "identifier_rows": identifiers, "record_tables": tables}
