"""Network intelligence in the API: the link chart's data, groups, key people, queueing a run.

The same services as the pages; the chart endpoint is what ``link-chart.js`` calls to expand a
point. Everything is read as the caller (row-level security), restricted people left out.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, Field

from safehub.access import Permission
from safehub.extracts.codes import PERSON_ROLES
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfHeader, check_csrf
from safehub.services.networks import (
    NODE_KINDS,
    ChartFilters,
    ChartRefusedError,
    ChartRequest,
    draw_link_chart,
    list_key_people,
    list_key_people_pairs,
    request_network_analysis,
    view_network_overview,
)

router = APIRouter(tags=["networks"])
Viewer = Annotated[Context, Depends(require(Permission.VIEW_NETWORK))]
_ROLES = ", ".join(sorted(PERSON_ROLES))
_KINDS = ", ".join(NODE_KINDS)
# The entity types a chart may keep, as the document's enum: an unknown one is refused with 422
# rather than silently keeping nothing (the full-size fuzz run sent "25.0" and got a chart).
# The same names as NODE_KINDS (a test holds them equal).
ChartKind = Literal[
    "person", "record", "place", "address", "phone", "vehicle", "email", "handle", "licence"
]


class ChartElementPublic(BaseModel):
    data: dict[str, str]


class ChartPublic(BaseModel):
    """Nodes and edges in cytoscape.js's element format, and the timeline of records."""

    seed: str
    truncated: bool
    nodes: list[ChartElementPublic]
    edges: list[ChartElementPublic]
    events: list[dict[str, str]]


class GroundPublic(BaseModel):
    """One reason the group is one, as the analysis says it."""

    text: str = Field(
        description="The sentence, people named by person id: the rule the group meets, a child "
        "linked to two or more of its adults, an identifier two or more of them share (or 'an "
        "identifier in records your agency cannot read'), an adult in it only through ties to "
        "its bound members."
    )
    person_ids: list[int] = Field(
        description="The people the sentence names, in its order (each a member of the group "
        "the caller is shown)."
    )


class GroupPublic(BaseModel):
    code: str
    adults: int
    children: int
    records: int
    shared_identifiers: list[str]
    agencies: list[str]
    areas: list[str]
    first_date: date
    last_date: date
    possible_match_pairs: list[int] = Field(
        default_factory=list,
        description="Review pairs (GET /review/{id} on the pages) the group rests on: people "
        "possibly the same person, not yet confirmed. Empty for a group on resolved people.",
    )
    grounds: list[GroundPublic] = Field(
        default_factory=list,
        description="Why this is a group, to check against its records. A person the caller "
        "is not shown is left out (with a reason that no longer stands without them, and the "
        "rule's counts). Empty for a group stored before reasons were kept.",
    )


class KeyPersonPublic(BaseModel):
    rank: int
    person_id: int
    score: float
    reasons: str
    group: str
    possible_match_pairs: list[int] = Field(
        default_factory=list,
        description="Review pairs the rank rests on (the person counted with people possibly "
        "the same person), not yet confirmed.",
    )


class QueuedRunPublic(BaseModel):
    job_run_id: int | None
    queued: bool


@router.get("/network/chart", operation_id="get_link_chart", response_model=ChartPublic)
def api_link_chart(
    ctx: Viewer,
    seed: Annotated[str, Query(min_length=1, max_length=200)],
    hops: Annotated[int, Query(ge=1, le=3)] = 2,
    date_from: date | None = None,
    date_to: date | None = None,
    agency: Annotated[str, Query(description="Only records held by this agency (its code)")] = "",
    role: Annotated[str, Query(description=f"Only mentions in this role: {_ROLES}")] = "",
    kind: Annotated[
        list[ChartKind] | None, Query(description=f"Keep these entity types: {_KINDS}")
    ] = None,
) -> Any:
    filters = ChartFilters.of(date_from, date_to, agency, role, kind or ())
    try:
        chart = draw_link_chart(ctx.uow, request=ChartRequest(seed, hops, filters))
    except ChartRefusedError as refused:
        raise HTTPException(status_code=422, detail=str(refused)) from None
    ctx.uow.commit()
    return chart.as_json()


@router.get("/network/groups", operation_id="list_network_groups", response_model=list[GroupPublic])
def api_groups(ctx: Viewer) -> list[GroupPublic]:
    overview = view_network_overview(ctx.uow)
    ctx.uow.commit()
    return [
        GroupPublic(
            code=g.code,
            adults=g.adults,
            children=g.children,
            records=g.records,
            shared_identifiers=list(g.shared_identifiers),
            agencies=list(g.agencies),
            areas=list(g.areas),
            first_date=g.first_date,
            last_date=g.last_date,
            possible_match_pairs=list(g.possible_pairs),
            grounds=[GroundPublic(text=r.text, person_ids=list(r.people)) for r in g.grounds],
        )
        for g in overview.groups
    ]


@router.get(
    "/network/key-people", operation_id="list_key_people", response_model=list[KeyPersonPublic]
)
def api_key_people(
    ctx: Viewer, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[KeyPersonPublic]:
    ranked = list_key_people(ctx.uow, limit=limit)
    pairs = list_key_people_pairs(ctx.uow, ranked=ranked)
    ctx.uow.commit()
    return [
        KeyPersonPublic(
            rank=k.rank,
            person_id=k.person_id,
            score=k.score,
            reasons=k.reasons,
            group=k.group_code,
            possible_match_pairs=pairs.get(k.person_id, []),
        )
        for k in ranked
    ]


@router.post(
    "/network/runs",
    operation_id="queue_network_run",
    response_model=QueuedRunPublic,
    status_code=202,
)
def api_queue_run(
    ctx: Viewer, x_csrf_token: CsrfHeader = None, full: bool = False
) -> QueuedRunPublic:
    check_csrf(ctx, x_csrf_token)
    queued = request_network_analysis(ctx.uow, full=full)
    ctx.uow.commit()
    return QueuedRunPublic(job_run_id=queued, queued=queued is not None)
