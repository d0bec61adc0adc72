"""The review queue (uncertain matches, side by side) and the records linked to a person."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.pages import error_list, redirect, renderer
from safehub.services.identity import (
    PairDecision,
    PairReview,
    ReviewRefusedError,
    WaterfallStep,
    count_other_review_pairs,
    decide_review_pair,
    list_review_pairs,
    split_agency_person,
    undo_merge,
    view_person_links,
    view_review_pair,
)
from safehub.web.navigation import NavItem

NAV = [NavItem("/review", "Review matches", Permission.REVIEW_MATCHES, 45)]
router = APIRouter()
Reviewer = Annotated[Context, Depends(require(Permission.REVIEW_MATCHES))]
_DONE = {
    "confirmed": "Match confirmed: the records are now one person.",
    "rejected": "Marked as different people: this pair will not be suggested again.",
    "split": "The record was split out into a person of its own.",
    "undone": "The merge was undone.",
}


# How likely the matcher finds a pair, in words first; the figure follows.
_CHANCES = (
    (0.99, "almost certainly the same person"),
    (0.9, "very likely the same person"),
    (0.7, "likely the same person"),
    (0.5, "a little more likely the same person than not"),
    (0.3, "a little more likely different people than not"),
    (0.0, "probably different people"),
)


def percent(p: float) -> str:
    """A probability as a percentage that never rounds to a certainty it is not.

    >>> percent(0.9996), percent(1.0), percent(0.123), percent(0.0004)
    ('more than 99.9%', '100%', '12.3%', 'less than 0.1%')
    """
    if 0.999 < p < 1:
        return "more than 99.9%"
    if 0 < p < 0.001:
        return "less than 0.1%"
    return f"{p:.1%}".replace(".0%", "%")


def chance_in_words(p: float) -> str:
    """
    >>> chance_in_words(0.9996)
    'Almost certainly the same person (more than 99.9%)'
    >>> chance_in_words(0.62)
    'A little more likely the same person than not (62%)'
    """
    words = next(w for floor, w in _CHANCES if p >= floor)
    return f"{words[0].upper()}{words[1:]} ({percent(p)})"


@router.get("/review", response_class=HTMLResponse)
def review_list(
    request: Request, ctx: Reviewer, done: str | None = None, show: str | None = None
) -> Response:
    """The queue, most useful first; ``show=others`` lists the pairs it leaves out."""
    others = show == "others"
    pairs = list_review_pairs(ctx.uow, others=others)
    waiting = 0 if others else count_other_review_pairs(ctx.uow)
    ctx.uow.commit()
    rows = [
        [
            {
                # Bandit B704 is a false positive here: Markup.format escapes every argument
                "html": Markup('<a class="govuk-link" href="/review/{}">{} and {}</a>').format(  # nosec B704
                    p.pair_id, p.left_name or "No name", p.right_name or "No name"
                )
            },
            {"text": f"{p.left_agency} and {p.right_agency}"},
            {"text": _sentence(p.priority_reason) or "Not yet placed"},
            {"text": chance_in_words(p.match_probability)},
            {"text": p.reason},
        ]
        for p in pairs
    ]
    return renderer(request).page(
        request,
        "review_list.html",
        title=_OTHERS_TITLE if others else "Possible matches to review",
        rows=rows,
        others=others,
        waiting=waiting,
        done=_DONE.get(done or ""),
    )


_OTHERS_TITLE = "Other possible matches (nothing at stake)"


def _sentence(reason: str) -> str:
    """A stored reason as the table shows it: capital first, "left out:" said by the page.

    >>> _sentence("left out: one side is only a name"), _sentence("would complete an adult")
    ('One side is only a name', 'Would complete an adult')
    """
    reason = reason.removeprefix("left out: ")
    return reason[:1].upper() + reason[1:]


@router.get("/review/{pair_id}", response_class=HTMLResponse)
def review_pair(request: Request, pair_id: int, ctx: Reviewer) -> Response:
    review = view_review_pair(ctx.uow, pair_id=pair_id)
    ctx.uow.commit()
    return _pair_page(request, review)


def _pair_page(
    request: Request,
    review: PairReview,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    errors = errors or {}
    return renderer(request).page(
        request,
        "review_pair.html",
        status_code=400 if errors else 200,
        title="Are these the same person?",
        review=review,
        chance=chance_in_words(review.match_probability),
        compare_rows=_compare(review),
        steps=review.steps,
        step_rows=_step_rows(review.steps),
        # Bandit B704 is a false positive here: JSON with every "<" escaped cannot close its
        # <script> element
        chart_data=Markup(json.dumps(_chart(review.steps)).replace("<", "\\u003c")),  # nosec B704
        errors=errors,
        error_list=error_list(errors, {"decision": "decision"}),
        values=values or {},
    )


@router.post("/review/{pair_id}", response_class=HTMLResponse)
def review_decide(
    request: Request,
    pair_id: int,
    ctx: Reviewer,
    csrf_token: CsrfField = None,
    decision: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    try:
        decide_review_pair(ctx.uow, pair_id=pair_id, decision=PairDecision(decision, note))
    except ReviewRefusedError as refused:
        review = view_review_pair(ctx.uow, pair_id=pair_id)
        ctx.uow.commit()
        return _pair_page(request, review, refused.errors, {"note": note})
    ctx.uow.commit()
    return redirect(f"/review?done={'confirmed' if decision == 'confirm' else 'rejected'}")


def _compare(review: PairReview) -> list[list[dict[str, Any]]]:
    return [
        [{"text": label}, {"text": a}, {"text": b}]
        for (label, a), (_, b) in zip(review.left.fields, review.right.fields, strict=True)
    ]


def _step_rows(steps: list[WaterfallStep]) -> list[list[dict[str, Any]]]:
    return [
        [
            {"text": s.label},
            {"text": s.level or "Starting point"},
            {"text": f"{s.weight:+.1f}", "format": "numeric"},
            {"text": f"{s.end:+.1f}", "format": "numeric"},
        ]
        for s in steps
    ]


def _chart(steps: list[WaterfallStep]) -> dict[str, Any]:
    """A Vega-Lite waterfall: one bar per field, from the running total before to after."""
    values = [
        {
            "field": s.label,
            "order": i,
            "start": s.start,
            "end": s.end,
            "weight": round(s.weight, 2),
            "direction": "for" if s.weight >= 0 else "against",
        }
        for i, s in enumerate(steps)
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": "Match weight added by each field, from the prior to the total",
        "data": {"values": values},
        "width": "container",
        "height": 260,
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "field", "type": "nominal", "sort": {"field": "order"}, "title": None},
            "y": {
                "field": "start",
                "type": "quantitative",
                "title": "Match weight (each point doubles the odds)",
            },
            "y2": {"field": "end"},
            "color": {
                "field": "direction",
                "type": "nominal",
                "title": "Counts",
                "scale": {"domain": ["for", "against"], "range": ["#00703c", "#d4351c"]},
            },
            "tooltip": [
                {"field": "field"},
                {"field": "weight"},
                {"field": "end", "title": "total"},
            ],
        },
    }


@router.get("/people/{person_id}/links", response_class=HTMLResponse)
def person_links(
    request: Request,
    person_id: int,
    ctx: Annotated[Context, Depends(require(Permission.VIEW_PERSON))],
    done: str | None = None,
) -> Response:
    links = view_person_links(ctx.uow, person_id=person_id)
    ctx.uow.commit()
    rows = [
        [
            {"text": f"{r.agency_name} ({r.agency_code})"},
            {"text": r.person_ref},
            {"text": ", ".join(r.names) or "No name"},
            {"text": ", ".join(r.dates_of_birth) or "Not known"},
            {"text": str(r.records), "format": "numeric"},
            {
                "text": chance_in_words(r.link_confidence)
                if r.link_confidence is not None
                else "Not scored"
            },
        ]
        for r in links.records
    ]
    return renderer(request).page(
        request,
        "person_links.html",
        title="Agency records linked to this person",
        links=links,
        rows=rows,
        done=_DONE.get(done or ""),
    )


@router.post("/people/{person_id}/links/{agency_person_id}/split")
def person_split(
    person_id: int,
    agency_person_id: int,
    ctx: Reviewer,
    csrf_token: CsrfField = None,
    reason: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    split_agency_person(
        ctx.uow,
        person_id=person_id,
        agency_person_id=agency_person_id,
        reason=reason.strip() or "wrong link split out by a reviewer",
    )
    ctx.uow.commit()
    return redirect(f"/people/{person_id}/links?done=split")


@router.post("/people/{person_id}/merges/{event_id}/undo")
def person_undo_merge(
    person_id: int,
    event_id: int,
    ctx: Reviewer,
    csrf_token: CsrfField = None,
    reason: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(ctx, csrf_token)
    undo_merge(
        ctx.uow,
        event_id=event_id,
        reason=reason.strip() or "wrong merge undone by a reviewer",
    )
    ctx.uow.commit()
    return redirect(f"/people/{person_id}/links?done=undone")
