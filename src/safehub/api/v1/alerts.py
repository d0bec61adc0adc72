"""Alerts over the API: the agency's inbox folded by child or group (the same filters, sorting
and paging as the page), one decision or many with a reason, and who works them. A reason the
language checker flags is kept only with ``language_reason``; without it the answer is 422
naming the phrases, as for notes, referrals and meeting records."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, Field

from safehub.access import Permission
from safehub.api.v1.schemas import Page, RowId
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfHeader, check_csrf
from safehub.services.alerts import (
    SORTS,
    AlertDecision,
    AlertDecisionRefusedError,
    assign_alerts,
    decide_alerts,
    kind_label,
    read_filter,
    view_alert_inbox,
)
from safehub.services.practice import LanguageHeldError

router = APIRouter(tags=["alerts"])
Viewer = Annotated[Context, Depends(require(Permission.VIEW_ALERTS))]
Decider = Annotated[Context, Depends(require(Permission.ACT_ON_ALERTS))]


class AlertFoldPublic(BaseModel):
    """The alerts of one kind about one child or group, newest first."""

    kind: str
    about_kind: str = Field(description="What this kind of alert is about, in words")
    subject: str = Field(description="The child (name and age, as far as open to you) or group")
    person_id: int | None
    group: str | None
    alert_ids: list[int]
    count: int
    statuses: list[str]
    rests_on: list[str] = Field(description="Agencies whose records the alerts rest on")
    areas: list[str]
    assigned_to: list[str]
    latest: datetime


class AlertInboxPublic(BaseModel):
    folds: list[AlertFoldPublic]
    total: int
    page: int
    pages: int


class AlertDecisionsIn(BaseModel):
    alert_ids: list[RowId]
    decision: str = Field(description="confirm or dismiss")
    reason: str
    language_reason: str = Field(
        default="",
        description="Why the reason is kept with language the checker flags (needed only then; "
        "kept with each alert). POST /api/v1/language/check shows the flags first.",
    )

    def chosen(self) -> AlertDecision:
        # Over the API there is no second screen: sending language_reason is saving anyway.
        return AlertDecision(
            self.decision, self.reason, save_anyway=True, language_reason=self.language_reason
        )


class AlertAssignmentIn(BaseModel):
    alert_ids: list[RowId]
    user_id: RowId | None = Field(default=None, description="None: back to the team")


class AlertIdsPublic(BaseModel):
    alert_ids: list[int] = Field(description="The alerts changed (already decided ones are not)")


@router.get("/alerts", operation_id="list_alerts", response_model=AlertInboxPublic)
def api_alerts(
    ctx: Viewer,
    status: str = "new",
    kind: str = "",
    source: str = "",
    area: str = "",
    raised_from: str = "",
    raised_to: str = "",
    assigned: str = "",
    person: str = "",
    sort: Annotated[str, Query(pattern="|".join(SORTS))] = "newest",
    page: Page = 1,
) -> AlertInboxPublic:
    query = {
        "status": status,
        "kind": kind,
        "source": source,
        "area": area,
        "raised_from": raised_from,
        "raised_to": raised_to,
        "assigned": assigned,
        "person": person,
    }
    inbox = view_alert_inbox(
        ctx.uow, wanted=read_filter(query, ctx.actor.user_id), sort=sort, page=page
    )
    ctx.uow.commit()
    return AlertInboxPublic(
        folds=[
            AlertFoldPublic(
                kind=f.kind,
                about_kind=kind_label(f.kind),
                subject=f.subject,
                person_id=f.person_id,
                group=f.group,
                alert_ids=f.ids,
                count=f.count,
                statuses=f.statuses,
                rests_on=f.sources,
                areas=f.areas,
                assigned_to=f.assignees,
                latest=f.newest.created_at,
            )
            for f in inbox.folds
        ],
        total=inbox.total,
        page=inbox.page,
        pages=inbox.pages,
    )


@router.post("/alerts/decisions", operation_id="decide_alerts", response_model=AlertIdsPublic)
def api_decide_alerts(
    body: AlertDecisionsIn, ctx: Decider, csrf: CsrfHeader = None
) -> AlertIdsPublic:
    check_csrf(ctx, csrf)
    try:
        decided = decide_alerts(ctx.uow, alert_ids=body.alert_ids, decision=body.chosen())
    except (AlertDecisionRefusedError, LanguageHeldError) as refused:
        raise HTTPException(422, refused.errors) from refused
    ctx.uow.commit()
    return AlertIdsPublic(alert_ids=decided)


@router.post("/alerts/assignments", operation_id="assign_alerts", response_model=AlertIdsPublic)
def api_assign_alerts(
    body: AlertAssignmentIn, ctx: Decider, csrf: CsrfHeader = None
) -> AlertIdsPublic:
    check_csrf(ctx, csrf)
    try:
        given = assign_alerts(ctx.uow, alert_ids=body.alert_ids, user_id=body.user_id)
    except AlertDecisionRefusedError as refused:
        raise HTTPException(422, refused.errors) from refused
    ctx.uow.commit()
    return AlertIdsPublic(alert_ids=given)
