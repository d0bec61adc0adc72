"""Community reports over the API, for triage: the same queue as the page, blurred the same way.

There is no public endpoint to create a report: the public app is HTML forms only."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.services.community import STATUSES, list_community_reports
from safehub.services.errors import RefusedError

router = APIRouter(tags=["community reports"])
Lead = Annotated[Context, Depends(require(Permission.TRIAGE_COMMUNITY_REPORTS))]


class CommunityReportSummaryPublic(BaseModel):
    report_id: int
    reference: str
    about: str
    urgency: str = Field(description="urgent, high or routine")
    status: str = Field(description=", ".join((*STATUSES, "converted")))
    received_on: date
    area: str | None = Field(
        description="The postcode district, or the full postcode if the reporter agreed"
    )
    messages: int
    waiting_reply: bool = Field(description="The reporter wrote last: a reply is waiting")
    reasons: list[str] = Field(description="The priority rules that placed it in the queue")
    assigned_to: str | None = Field(description="The colleague it is assigned to, if any")
    matches: int = Field(description="How many of its identifiers match agency holdings")


@router.get(
    "/reports",
    operation_id="list_community_reports",
    response_model=list[CommunityReportSummaryPublic],
)
def api_reports(
    ctx: Lead, status: str | None = None, mine: bool = False
) -> list[CommunityReportSummaryPublic]:
    """The queue in the order of the priority rules (``services.community.priority``), each
    report with the rules that placed it; ``mine``: only those assigned to the caller."""
    try:
        reports = list_community_reports(ctx.uow, status=status, mine=mine)
    except RefusedError as refused:
        raise HTTPException(422, refused.errors) from refused
    ctx.uow.commit()
    return [CommunityReportSummaryPublic.model_validate(r, from_attributes=True) for r in reports]
