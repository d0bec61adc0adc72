"""/api/v1 identity endpoints: the intake check, the review queue and a person's linked records.

The intake check is a POST: it is audited and rate-limited, and names stay out of URLs and logs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import JSONResponse

from safehub.access import Permission
from safehub.api.v1.identity_schemas import (
    FieldEvidencePublic,
    IntakeCheckPublic,
    IntakeCheckRequest,
    MatchDecisionPublic,
    MatchDecisionRequest,
    MatchPairPublic,
    MatchPairSummaryPublic,
    PersonLinksPublic,
)
from safehub.api.v1.schemas import PathId, refusal
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfHeader, check_csrf
from safehub.services.identity import (
    DECISIONS,
    AlreadyDecidedError,
    IntakeCheckRefusedError,
    RateLimitedError,
    ReviewRefusedError,
    check_intake,
    decide_review_pair,
    list_review_pairs,
    view_person_links,
    view_review_pair,
)

router = APIRouter(tags=["identity"])


@router.post(
    "/intake-checks",
    operation_id="check_intake",
    response_model=IntakeCheckPublic,
    responses={
        400: refusal("Not enough to check on (no fishing)"),
        429: refusal("Too many checks"),
    },
)
def api_check_intake(
    body: IntakeCheckRequest,
    ctx: Annotated[Context, Depends(require(Permission.INTAKE_CHECK))],
    csrf: CsrfHeader = None,
) -> IntakeCheckPublic | JSONResponse:
    check_csrf(ctx, csrf)
    try:
        result = check_intake(ctx.uow, query=body.query())
    except IntakeCheckRefusedError as refused:
        status = 429 if isinstance(refused, RateLimitedError) else 400
        detail = [f"{field}: {message}" for field, message in refused.errors.items()]
        return JSONResponse({"error": "Check not run", "detail": detail}, status)
    ctx.uow.commit()
    return IntakeCheckPublic.model_validate(result)


@router.get(
    "/match-pairs", operation_id="list_match_pairs", response_model=list[MatchPairSummaryPublic]
)
def api_list_match_pairs(
    ctx: Annotated[Context, Depends(require(Permission.REVIEW_MATCHES))],
    others: Annotated[
        bool,
        Query(description="The pairs the queue leaves out (nothing at stake), still waiting"),
    ] = False,
) -> list[MatchPairSummaryPublic]:
    """The review queue, most useful first: what a confirmation would change, then probability."""
    pairs = list_review_pairs(ctx.uow, others=others)
    ctx.uow.commit()
    return [
        MatchPairSummaryPublic(
            pair_id=p.pair_id,
            match_probability=p.match_probability,
            reason=p.reason,
            agencies=[p.left_agency, p.right_agency],
            names=[p.left_name, p.right_name],
            priority=p.priority,
            priority_reason=p.priority_reason,
        )
        for p in pairs
    ]


@router.get("/match-pairs/{pair_id}", operation_id="get_match_pair", response_model=MatchPairPublic)
def api_get_match_pair(
    pair_id: PathId, ctx: Annotated[Context, Depends(require(Permission.REVIEW_MATCHES))]
) -> MatchPairPublic:
    review = view_review_pair(ctx.uow, pair_id=pair_id)
    ctx.uow.commit()
    evidence = [
        FieldEvidencePublic(field=s.label, level=s.level, match_weight=s.weight)
        for s in review.steps[1:]
    ]
    return MatchPairPublic(
        pair_id=review.pair_id,
        status=review.status,
        match_probability=review.match_probability,
        match_weight=review.match_weight,
        reason=review.reason,
        evidence=evidence,
        agency_person_ids=[review.left.agency_person_id, review.right.agency_person_id],
    )


@router.post(
    "/match-pairs/{pair_id}/decision",
    operation_id="decide_match_pair",
    response_model=MatchDecisionPublic,
    responses={
        409: refusal("Already decided"),
        422: refusal("Neither confirm nor reject"),
    },
)
def api_decide_match_pair(
    pair_id: PathId,
    body: MatchDecisionRequest,
    ctx: Annotated[Context, Depends(require(Permission.REVIEW_MATCHES))],
    csrf: CsrfHeader = None,
) -> MatchDecisionPublic | JSONResponse:
    check_csrf(ctx, csrf)
    try:
        person = decide_review_pair(ctx.uow, pair_id=pair_id, decision=body.answer())
    except ReviewRefusedError as exc:
        raise HTTPException(422, str(exc)) from exc
    except AlreadyDecidedError as exc:
        return JSONResponse({"error": "Not decided", "detail": [str(exc)]}, 409)
    ctx.uow.commit()
    return MatchDecisionPublic(pair_id=pair_id, status=DECISIONS[body.decision], person_id=person)


@router.get(
    "/people/{person_id}/links", operation_id="get_person_links", response_model=PersonLinksPublic
)
def api_person_links(
    person_id: PathId, ctx: Annotated[Context, Depends(require(Permission.VIEW_PERSON))]
) -> PersonLinksPublic:
    links = view_person_links(ctx.uow, person_id=person_id)
    ctx.uow.commit()
    return PersonLinksPublic.model_validate(links)
