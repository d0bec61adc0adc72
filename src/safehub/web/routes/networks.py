"""Network intelligence pages: groups with evidence, key people, child-centred views, the link
chart, analyst exports, and the network job's runs with their progress."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from safehub.access import Permission, can
from safehub.extracts.codes import PERSON_ROLES
from safehub.http.context import Context, require
from safehub.http.csrf import CsrfField, check_csrf
from safehub.http.files import download
from safehub.http.pages import error_list, redirect, renderer
from safehub.services.networks import (
    FORMATS,
    NODE_KINDS,
    PURPOSES,
    Chart,
    ChartFilters,
    ChartRefusedError,
    ChartRequest,
    Ground,
    NetworkExportRefusedError,
    NetworkExportRequest,
    PersonLabel,
    PossiblePair,
    describe_node,
    draw_link_chart,
    export_network,
    jobs_sentence,
    list_groups_of_person,
    request_network_analysis,
    role_words,
    view_child_network,
    view_children_at_heightened_risk,
    view_group,
    view_key_people,
    view_network_overview,
)
from safehub.web.navigation import NavItem

NAV = [NavItem("/networks", "Networks", Permission.VIEW_NETWORK, 60)]
router = APIRouter()
Viewer = Annotated[Context, Depends(require(Permission.VIEW_NETWORK))]
Exporter = Annotated[Context, Depends(require(Permission.EXPORT_NETWORK))]


def _link(href: str, text: str) -> dict[str, Markup]:
    # Bandit B704 is a false positive here: both the address and the text are escaped
    link = Markup(f'<a class="govuk-link" href="{escape(href)}">{escape(text)}</a>')  # nosec B704
    return {"html": link}


def _group_cell(code: str, possible: bool) -> dict[str, Markup]:
    """A group's code, linked, and a tag when it rests on a possible match."""
    cell = _link(f"/networks/groups/{code}", code)
    if possible:
        tag = '<strong class="govuk-tag govuk-tag--yellow">Rests on a possible match</strong>'
        cell["html"] += Markup(f" {tag}")  # nosec B704: constant markup
    return cell


def _person(label: PersonLabel, *, child: bool = False) -> dict[str, Any]:
    """A person by name and age, linked to their network view; a person the user may not see
    keeps their number, unlinked."""
    if not label.visible:
        return {"text": label.text}
    pid = label.person_id
    href = f"/networks/children/{pid}" if child else f"/networks/chart?seed={pid}"
    return _link(href, label.text)


def _period(first: date, last: date) -> str:
    return f"{first:%-d %B %Y} to {last:%-d %B %Y}"


@router.get("/networks", response_class=HTMLResponse)
def networks_page(request: Request, ctx: Viewer) -> Response:
    overview = view_network_overview(ctx.uow)
    ctx.uow.commit()
    groups = [
        [
            _group_cell(g.code, bool(g.possible_pairs)),
            {"text": str(g.adults)},
            {"text": str(g.children)},
            {"text": str(g.records)},
            {"text": ", ".join(g.agency_names)},
            {"text": ", ".join(g.area_names)},
            {"text": _period(g.first_date, g.last_date)},
        ]
        for g in overview.groups
    ]
    jobs = [
        [
            {"text": str(j.job_run_id)},
            {"text": f"{j.requested_at:%-d %B %Y %H:%M}" if j.requested_at else ""},
            {"text": j.sentence},
        ]
        for j in overview.jobs
    ]
    return renderer(request).page(
        request,
        "networks/overview.html",
        title="Network intelligence",
        run=overview.run,
        group_rows=groups,
        job_rows=jobs,
        jobs_sentence=jobs_sentence(overview.jobs),
    )


@router.post("/networks/run", response_class=HTMLResponse)
def run_analysis(
    request: Request, ctx: Viewer, full: Annotated[str, Form()] = "", csrf_token: CsrfField = None
) -> Response:
    check_csrf(ctx, csrf_token)
    request_network_analysis(ctx.uow, full=full == "yes")
    ctx.uow.commit()
    return redirect("/networks")


@router.get("/networks/groups/{code}", response_class=HTMLResponse)
def group_page(request: Request, code: str, ctx: Viewer) -> Response:
    group = view_group(ctx.uow, code=code)
    ctx.uow.commit()
    s = group.summary
    summary = [
        {"key": {"text": "Adults of concern"}, "value": {"text": str(s.adults)}},
        {"key": {"text": "Children"}, "value": {"text": str(s.children)}},
        {"key": {"text": "Records"}, "value": {"text": str(s.records)}},
        {
            "key": {"text": "Shared identifiers and places"},
            "value": {"text": _shared_text(s.shared_identifiers, s.withheld)},
        },
        {"key": {"text": "Agencies"}, "value": {"text": ", ".join(s.agency_names)}},
        {"key": {"text": "Areas"}, "value": {"text": ", ".join(s.area_names)}},
        {"key": {"text": "Period"}, "value": {"text": _period(s.first_date, s.last_date)}},
    ]
    members = [_member_row(group.people[p], role) for p, role in group.members]
    children = {p for p, role in group.members if role == "victim"}
    grounds = [_ground_html(g, group.people, children) for g in s.grounds]
    timeline = [
        [
            {"text": f"{e.on:%-d %B %Y}"},
            {"text": e.record},
            {"text": e.record_type.replace("_", " ")},
            {"text": e.agency},
            {"text": ", ".join(role_words(r) for r in e.roles)},
        ]
        for e in group.timeline
    ]
    sealed = [
        f"{count} record(s) held by {agency}" for agency, count in sorted(group.sealed.items())
    ]
    return renderer(request).page(
        request,
        "networks/group.html",
        title=f"Group {s.code}",
        code=s.code,
        possible=[_pair_html(p, _reviews(ctx)) for p in group.possible],
        summary_rows=summary,
        member_rows=members,
        grounds=grounds,
        timeline_rows=timeline,
        sealed=sealed,
        **_chart_view(group.chart),
    )


def _reviews(ctx: Context) -> bool:
    """Whether the user may open a pair to confirm it (the review page); others read it only."""
    return can(ctx.actor, Permission.REVIEW_MATCHES)


def _pair_html(pair: PossiblePair, link: bool) -> Markup:
    """ "confirm pair P123 (Adult A / Adult B)", linked to the pair's review page."""
    text = f"confirm pair P{pair.pair_id} ({pair.left.text} / {pair.right.text})"
    if not link:
        return escape(text)
    # Bandit B704 is a false positive here: both the address and the text are escaped
    return Markup(f'<a class="govuk-link" href="/review/{pair.pair_id}">{escape(text)}</a>')  # nosec B704


def _reasons(reasons: str, pairs: list[PossiblePair], link: bool) -> dict[str, Markup]:
    """A key person's reasons, and the pairs their rank rests on, each to confirm."""
    html = escape(reasons)
    if pairs:
        confirm = Markup("; ").join(_pair_html(p, link) for p in pairs)
        html += Markup("<br><strong>Rests on a possible match:</strong> ") + confirm
    return {"html": html}


def _member_row(label: PersonLabel, role: str) -> list[dict[str, Any]]:
    """Name and age, role, and whether a child or an adult (from the age the user may see)."""
    child = role == "victim"
    age = {"child": "Child", "adult": "Adult", "unknown": "Age not known"}[label.group]
    return [_person(label, child=child), {"text": role_words(role)}, {"text": age}]


def _ground_html(ground: Ground, people: dict[int, PersonLabel], children: set[int]) -> Markup:
    """One reason the group is one, its people named as the members list names them (the
    service keeps only members the user is shown) and its identifier in words."""
    parts: list[str | int] = list(ground.parts)
    if ground.kind == "shared":
        parts.insert(0, ground.subject if ground.withheld else describe_node(ground.node))
    if parts and isinstance(parts[0], str):
        # A sentence starts with a capital letter on the page ("child 12 linked to" is the
        # engine's wording).
        parts[0] = parts[0][:1].upper() + parts[0][1:]
    html = Markup("")
    for part in parts:
        if isinstance(part, int):
            cell = _person(people[part], child=part in children)
            html += cell.get("html") or escape(cell["text"])
        else:
            html += escape(part)
    return html


def _shared_text(shown: tuple[str, ...], withheld: int) -> str:
    """The identifiers the user may see, and how many others are in records they cannot read."""
    parts = [", ".join(describe_node(n) for n in shown)] if shown else []
    if withheld:
        parts.append(f"{withheld} more in records your agency cannot read")
    return "; ".join(parts) or "None"


@router.get("/networks/key-people", response_class=HTMLResponse)
def key_people_page(request: Request, ctx: Viewer) -> Response:
    view = view_key_people(ctx.uow)
    ctx.uow.commit()
    link = _reviews(ctx)
    rows = [
        [
            {"text": str(k.rank)},
            _person(view.people[k.person_id]),
            {"text": f"{k.score:.2f}"},
            _reasons(k.reasons, view.possible.get(k.person_id, []), link),
            _link(f"/networks/groups/{k.group_code}", k.group_code)
            if k.group_code
            else {"text": "None"},
        ]
        for k in view.ranked
    ]
    return renderer(request).page(
        request, "networks/key_people.html", title="Key people", rows=rows
    )


@router.get("/networks/children", response_class=HTMLResponse)
def children_page(request: Request, ctx: Viewer) -> Response:
    view = view_children_at_heightened_risk(ctx.uow)
    ctx.uow.commit()
    rows = [
        [
            _person(view.people[c.person_id], child=True),
            {"text": str(len(c.adults))},
            {"text": " ".join(c.reasons)},
        ]
        for c in view.children
    ]
    return renderer(request).page(
        request, "networks/children.html", title="Children at heightened risk", rows=rows
    )


@router.get("/networks/children/{person_id}", response_class=HTMLResponse)
def child_page(request: Request, person_id: int, ctx: Viewer) -> Response:
    view = view_child_network(ctx.uow, person_id=person_id)
    ctx.uow.commit()
    child = view.child
    adults = [_adult_row(a, view.people) for a in child.adults]
    return renderer(request).page(
        request,
        "networks/child.html",
        title=f"Network around {view.people[person_id].text}",
        child=child,
        adult_rows=adults,
        person_id=person_id,
        places=", ".join(describe_node(p) for p in child.places) or "None",
        vehicles=", ".join(describe_node(v) for v in child.vehicles) or "None",
    )


def _adult_row(adult: dict[str, Any], people: dict[int, PersonLabel]) -> list[dict[str, Any]]:
    others = ", ".join(people[int(c)].text for c in adult["other_children"]) or "None"
    return [
        _person(people[int(adult["person_id"])]),
        {"text": ", ".join(role_words(r) for r in adult["roles"])},
        {"text": ", ".join(f"{a}/{r}" for a, r in adult["records"])},
        {"text": others},
    ]


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/networks/chart", response_class=HTMLResponse)
def chart_page(
    request: Request,
    ctx: Viewer,
    seed: str = "",
    hops: Annotated[int, Query(ge=1, le=3)] = 2,
    date_from: str = "",
    date_to: str = "",
    agency: str = "",
    role: str = "",
    kind: Annotated[list[str] | None, Query()] = None,
) -> Response:
    filters = ChartFilters.of(_date(date_from), _date(date_to), agency, role, kind or ())
    values = {
        "seed": seed,
        "hops": str(hops),
        "date_from": date_from,
        "date_to": date_to,
        "agency": agency,
        "role": role,
        "kinds": list(filters.kinds),
    }
    errors: dict[str, str] = {}
    chart = None
    groups: list[str] = []
    if seed:
        try:
            chart = draw_link_chart(ctx.uow, request=ChartRequest(seed, hops, filters))
        except ChartRefusedError as refused:
            errors = refused.errors
    if chart is not None and chart.seed.startswith("person:"):
        groups = list_groups_of_person(ctx.uow, person_id=int(chart.seed.split(":", 1)[1]))
    ctx.uow.commit()
    return renderer(request).page(
        request,
        "networks/chart.html",
        status_code=400 if errors else 200,
        title="Link chart",
        chart=chart,
        groups=groups,
        values=values,
        errors=errors,
        error_list=error_list(errors),
        **_chart_view(chart),
        kind_items=[
            {"value": k, "text": k.capitalize(), "checked": k in filters.kinds} for k in NODE_KINDS
        ],
        role_items=[{"value": "", "text": "Any"}]
        + [
            {"value": r, "text": r.replace("_", " "), "selected": r == role}
            for r in sorted(PERSON_ROLES)
        ],
    )


def _json(data: dict[str, Any]) -> Markup:
    """JSON for inside <script type="application/json">: no "<", ">" or "&" at all (JSON's own
    escapes, read back the same), so that no name in the data can close the element or open a
    comment that hides its end."""
    text = json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # Bandit B704 is a false positive here: no markup character is left in it
    return Markup(text)  # nosec B704


_GROUP_WORDS = {
    "child": "Child",
    "adult": "Adult",
    "unknown": "Person, age not known",
    "record": "Record",
    "place": "Place",
    "address": "Address",
}


def _chart_view(chart: Chart | None) -> dict[str, Any]:
    """The chart's data for the drawing, and the same people, links and timeline as tables."""
    if chart is None:
        return {
            "chart_json": "",
            "node_rows": [],
            "edge_rows": [],
            "event_rows": [],
            "people_rows": [],
        }
    names = {n.id: n.label for n in chart.nodes}
    nodes = [
        [
            _link(f"/networks/chart?seed={n.id}", n.label)
            if n.kind != "place" and n.kind != "address" and "(not open to you)" not in n.label
            else {"text": n.label},
            {"text": _GROUP_WORDS.get(n.group, n.kind.capitalize())},
        ]
        for n in chart.nodes
    ]
    people = [row for n, row in zip(chart.nodes, nodes, strict=True) if n.kind == "person"]
    edges = [
        [
            {"text": names.get(e.source, e.source)},
            {"text": names.get(e.target, e.target)},
            {"text": e.kind.replace("_", " ")},
            {"text": ", ".join(role_words(r.strip()) for r in e.roles.split(",") if r.strip())},
            {"text": e.agencies},
            {"text": f"{e.first_date} to {e.last_date}"},
        ]
        for e in chart.edges
    ]
    events = [
        [
            {"text": e["date"]},
            {"text": e["record"]},
            {"text": e["record_type"]},
            {"text": e["people"]},
        ]
        for e in chart.events
    ]
    return {
        "chart_json": _json(chart.as_json()),
        "node_rows": nodes,
        "edge_rows": edges,
        "event_rows": events,
        "people_rows": people,
    }


@router.get("/networks/export", response_class=HTMLResponse)
def export_page(request: Request, ctx: Exporter, subject: str = "") -> Response:
    return _export_form(request, {"subject": subject}, {})


def _export_form(request: Request, values: dict[str, str], errors: dict[str, str]) -> Response:
    purposes = [
        {"value": k, "text": v, "checked": values.get("purpose") == k} for k, v in PURPOSES.items()
    ]
    formats = [
        {"value": k, "text": v, "checked": values.get("fmt") == k} for k, v in FORMATS.items()
    ]
    return renderer(request).page(
        request,
        "networks/export.html",
        status_code=400 if errors else 200,
        title="Export a network for analysis",
        values=values,
        errors=errors,
        error_list=error_list(errors, {"purpose": "purpose", "fmt": "fmt"}),
        purpose_items=purposes,
        format_items=formats,
    )


@router.post("/networks/export", response_model=None)
def export_submit(
    request: Request,
    ctx: Exporter,
    subject: Annotated[str, Form()] = "",
    fmt: Annotated[str, Form()] = "",
    purpose: Annotated[str, Form()] = "",
    recipient: Annotated[str, Form()] = "",
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(ctx, csrf_token)
    wanted = NetworkExportRequest(subject.strip(), fmt, purpose, recipient)
    try:
        made = export_network(ctx.uow, request=wanted)
    except NetworkExportRefusedError as refused:
        values = {"subject": subject, "fmt": fmt, "purpose": purpose, "recipient": recipient}
        return _export_form(request, values, refused.errors)
    ctx.uow.commit()
    # A download, not a page: the audit entry is committed before a byte leaves.
    return download(made)
