"""/api/v1 identity endpoints: the intake check, the review queue and a person's linked records.

The intake check is a POST: it is audited and rate-limited, and names stay out of URLs and logs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from safehub.access import Permission
from safehub.api.v1.identity_schemas import (
    AgencyPublic,
    FieldEvidencePublic,
    IntakeCandidatePublic,
    IntakeCheckPublic,
    IntakeCheckRequest,
    LinkedRecordPublic,
    MatchDecisionPublic,
    MatchDecisionRequest,
    MatchPairPublic,
    MatchPairSummaryPublic,
    PersonLinksPublic,
)
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfHeader, check_csrf
from safehub.services.identity import (
    IntakeCheckRefused,
    IntakeQuery,
    RateLimitedError,
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
        400: {"description": "Not enough to check on (no fishing)"},
        429: {"description": "Too many checks"},
    },
)
def api_check_intake(
    body: IntakeCheckRequest,
    ctx: Annotated[Context, Depends(require(Permission.INTAKE_CHECK))],
    csrf: CsrfHeader = None,
) -> IntakeCheckPublic | JSONResponse:
    check_csrf(ctx, csrf)
    query = IntakeQuery(**body.model_dump(exclude={"purpose"}))
    try:
        result = check_intake(ctx.uow, query=query, purpose=body.purpose)
    except IntakeCheckRefused as refused:
        status = 429 if isinstance(refused, RateLimitedError) else 400
        return JSONResponse(
            {"error": "Check not run", "detail": [f"{refused.field}: {refused.message}"]}, status
        )
    ctx.uow.commit()
    return IntakeCheckPublic(
        model_ready=result.model_ready,
        candidates=[
            IntakeCandidatePublic(
                person_id=c.person_id,
                names=c.names,
                dates_of_birth=c.dates_of_birth,
                agencies=[AgencyPublic(code=code, name=name) for code, name in c.agencies],
                match_probability=c.match_probability,
                match_weight=c.match_weight,
                prior_weight=c.prior_weight,
                reasons=c.reasons,
                fields=[
                    FieldEvidencePublic(field=f.field, level=f.level, match_weight=f.match_weight)
                    for f in c.fields
                ],
            )
            for c in result.candidates
        ],
    )


@router.get(
    "/match-pairs", operation_id="list_match_pairs", response_model=list[MatchPairSummaryPublic]
)
def api_list_match_pairs(
    ctx: Annotated[Context, Depends(require(Permission.REVIEW_MATCHES))],
) -> list[MatchPairSummaryPublic]:
    pairs = list_review_pairs(ctx.uow)
    ctx.uow.commit()
    return [
        MatchPairSummaryPublic(
            pair_id=p.pair_id,
            match_probability=p.match_probability,
            reason=p.reason,
            agencies=[p.left_agency, p.right_agency],
            names=[p.left_name, p.right_name],
        )
        for p in pairs
    ]


@router.get("/match-pairs/{pair_id}", operation_id="get_match_pair", response_model=MatchPairPublic)
def api_get_match_pair(
    pair_id: int, ctx: Annotated[Context, Depends(require(Permission.REVIEW_MATCHES))]
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
    responses={409: {"description": "Already decided"}},
)
def api_decide_match_pair(
    pair_id: int,
    body: MatchDecisionRequest,
    ctx: Annotated[Context, Depends(require(Permission.REVIEW_MATCHES))],
    csrf: CsrfHeader = None,
) -> MatchDecisionPublic | JSONResponse:
    check_csrf(ctx, csrf)
    try:
        person = decide_review_pair(
            ctx.uow, pair_id=pair_id, decision=body.decision, note=body.note, user_id=ctx.user.id
        )
    except ValueError as exc:
        return JSONResponse({"error": "Not decided", "detail": [str(exc)]}, 409)
    ctx.uow.commit()
    status = "confirmed" if body.decision == "confirm" else "rejected"
    return MatchDecisionPublic(pair_id=pair_id, status=status, person_id=person)


@router.get(
    "/people/{person_id}/links", operation_id="get_person_links", response_model=PersonLinksPublic
)
def api_person_links(
    person_id: int, ctx: Annotated[Context, Depends(require(Permission.VIEW_PERSON))]
) -> PersonLinksPublic:
    links = view_person_links(ctx.uow, person_id=person_id)
    ctx.uow.commit()
    return PersonLinksPublic(
        person_id=person_id,
        rests_on_unconfirmed_merge=links.rests_on_unconfirmed_merge,
        records=[
            LinkedRecordPublic(
                agency_code=r.agency_code,
                person_ref=r.person_ref,
                names=r.names,
                dates_of_birth=r.dates_of_birth,
                link_confidence=r.link_confidence,
            )
            for r in links.records
        ],
    )
