"""The home page: what is overdue and due today first, then the user's cases, each naming the
child; and a way to find out about a child that the user's role can follow."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from safehub.access import Permission, aggregates_only, can
from safehub.extracts.codes import label
from safehub.http.context import Context, require
from safehub.http.pages import redirect, renderer
from safehub.http.templating import govuk_date
from safehub.services.casework.cases import CaseLine, my_cases
from safehub.services.casework.people import age_on
from safehub.services.casework.referrals import CONCERN_TYPES, ReferralLine, my_referrals
from safehub.services.statistics import estimate_everything
from safehub.services.timeliness import InboxItem, view_inbox
from safehub.web.navigation import NavItem

NAV = [NavItem("/", "Home", Permission.VIEW_HOME, 10)]
router = APIRouter()
# How many of the most urgent items the home page lists before pointing to the deadlines page.
URGENT_SHOWN = 10

_STAT_LABELS = {
    "agencies": "Agencies",
    "records": "Agency records",
    "person_mentions": "People in records",
    "people": "People",
}


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request, ctx: Annotated[Context, Depends(require(Permission.VIEW_HOME))]
) -> Response:
    if aggregates_only(ctx.actor):
        # The oversight body has no case work: its home is the portal (its database role could
        # not read the cases, referrals and counts of people this page shows).
        ctx.uow.commit()
        return redirect("/oversight")
    urgent, counts_due = _urgent(ctx)
    cases = my_cases(ctx.uow)
    refers = can(ctx.actor, Permission.MAKE_REFERRAL)
    referrals = my_referrals(ctx.uow) if refers else []
    counts = estimate_everything(ctx.uow)
    ctx.uow.commit()
    stats_rows = [
        {"key": {"text": _STAT_LABELS[k]}, "value": {"text": _about(k, v)}}
        for k, v in counts.items()
    ]
    return renderer(request).page(
        request,
        "home.html",
        title=f"Your work, {ctx.user.display_name}",
        urgent_rows=[_urgent_row(i) for i in urgent],
        overdue=counts_due.get("overdue", 0),
        due_today=counts_due.get("due_today", 0),
        has_inbox=can(ctx.actor, Permission.VIEW_INBOX),
        cases=cases,
        case_rows=[_case_row(c) for c in cases],
        stats_rows=stats_rows,
        searches=can(ctx.actor, Permission.SEARCH_PEOPLE),
        refers=refers,
        referral_rows=[_referral_row(r) for r in referrals],
    )


def _about(key: str, value: int) -> str:
    """The agencies are counted; the rest are the database's estimates, said to be such."""
    return f"{value:,}" if key == "agencies" else f"about {value:,}"


def _urgent(ctx: Context) -> tuple[list[InboxItem], dict[str, int]]:
    """The user's own overdue and due-today work, most urgent first (the inbox's order)."""
    if not can(ctx.actor, Permission.VIEW_INBOX):
        return [], {}
    inbox = view_inbox(ctx.uow, scope="mine", page_size=URGENT_SHOWN)
    items = [i for i in inbox.items if i.state in ("overdue", "due_today")]
    return items, inbox.counts


def _urgent_row(item: InboxItem) -> list[dict[str, Any]]:
    target = item.link or f"/inbox/clocks/{item.clock_id}"
    state = "Overdue" if item.state == "overdue" else "Due today"
    colour = "govuk-tag--red" if item.state == "overdue" else "govuk-tag--orange"
    return [
        {
            "html": f'<a class="govuk-link" href="{escape(target)}">{escape(item.about)}</a>'
            f'<br><span class="govuk-body-s">{escape(item.title)}</span>'
        },
        {"html": f'<strong class="govuk-tag {colour}">{state}</strong>'},
        {"text": govuk_date(item.due)},
        {
            "html": f'<a class="govuk-link" href="/inbox/clocks/{item.clock_id}">Record it done'
            f'<span class="govuk-visually-hidden"> for {escape(item.about)}: '
            f"{escape(item.title)}</span></a>"
        },
    ]


def _case_row(case: CaseLine) -> list[dict[str, Any]]:
    return [
        {"html": f'<a class="govuk-link" href="/cases/{case.case_id}">{escape(case.about)}</a>'},
        {"text": case.title},
        {"text": case.reference},
        {"text": label(case.status)},
    ]


def _referral_row(referral: ReferralLine) -> list[dict[str, Any]]:
    born = referral.date_of_birth
    age = age_on(born.isoformat(), date.today()) if born else None
    child = f"{referral.given_names} {referral.family_name}" + (f" ({age})" if age else "")
    if referral.case_id is not None:
        happened = (
            f'A case was opened: <a class="govuk-link" href="/cases/{referral.case_id}">'
            f"{escape(referral.case_reference or 'the case')}</a>"
        )
    elif referral.decided_at is not None:
        happened = f"{escape(label(referral.status))}: decided on {govuk_date(referral.decided_at, time=False)}"
    else:
        due = f" (due by {govuk_date(referral.decision_due)})" if referral.decision_due else ""
        happened = f"{escape(label(referral.status))}{due}"
    return [
        {"text": child},
        {"text": CONCERN_TYPES.get(referral.concern_type, label(referral.concern_type))},
        {"text": govuk_date(referral.received_at, time=False)},
        {"text": referral.went_to or "Not yet sent on"},
        {"html": happened},
    ]
