"""Analyst exports of a group or a link chart: GraphML or CSV, each logged as a disclosure.

An export leaves the system, so it is a disclosure (DPA 2018 s.62): the analyst states the purpose
(from an allowlist: a free-text purpose invites "because I was asked") and the recipient, and the
audit log keeps both with a digest of what left. The content is what the link chart shows the same
user (their agency's view, restricted people left out); a group's export carries why it is a group
too, its grounds as the group page shows them to that user (``views.GroupSummary.grounds``), people
by the chart's node ids. CSV cells that a spreadsheet would run as a formula (starting with = + - @,
a tab or a carriage return) get a leading apostrophe.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from safehub.access import Permission, can
from safehub.db.queries import networks as q
from safehub.db.uow import UnitOfWork
from safehub.services.errors import ForbiddenError, NotFoundError
from safehub.services.exports import ExportFile, escape_cell
from safehub.services.networks.chart import Chart, ChartRequest, draw_link_chart, parse_seed
from safehub.services.networks.grounds import Ground
from safehub.services.networks.views import group_summary

PURPOSES = {
    "investigation": "Criminal investigation of child sexual exploitation",
    "strategy_discussion": "Evidence for a safeguarding strategy discussion",
    "disruption": "Planning the disruption of a group (orders, notices, licence review)",
    "intelligence_product": "An intelligence product for the partnership's analysts",
}
FORMATS = {"graphml": "GraphML (for link-chart tools)", "csv": "CSV (nodes and edges, zipped)"}
MAX_RECIPIENT_LENGTH = 200


class NetworkExportRefusedError(ValueError):
    """The export cannot be made as asked: ``errors`` says what to fix, by field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class NetworkExportRequest:
    """What an analyst asks for: what to export, in which format, why, and for whom.

    >>> NetworkExportRequest("G0001", "csv", "investigation", "DS Example").problems()
    {}
    >>> sorted(NetworkExportRequest("", "xlsx", "curiosity", " ").problems())
    ['fmt', 'purpose', 'recipient', 'subject']
    """

    subject: str  # a group code (G0001) or a chart seed (person:42, vehicle:YX19ABC)
    fmt: str  # one of FORMATS
    purpose: str  # one of PURPOSES
    recipient: str

    @property
    def group(self) -> bool:
        """A group's code (G0001) rather than where a chart starts."""
        return self.subject.strip().upper().startswith("G")

    def problems(self) -> dict[str, str]:
        """Problems by field, each saying how to put it right (empty when the export may go)."""
        errors = {}
        if self.fmt not in FORMATS:
            errors["fmt"] = "Select the format of the export"
        if self.purpose not in PURPOSES:
            errors["purpose"] = "Select the purpose of the export"
        if not self.recipient.strip():
            errors["recipient"] = "Enter who will receive the export"
        elif len(self.recipient) > MAX_RECIPIENT_LENGTH:
            errors["recipient"] = (
                f"The recipient must be {MAX_RECIPIENT_LENGTH} characters or fewer"
            )
        subject = _subject_problem(self.subject, group=self.group)
        return {**errors, "subject": subject} if subject else errors


def _subject_problem(subject: str, *, group: bool) -> str | None:
    if not subject.strip():
        return "Enter a group (G0001) or where the chart starts (a person number)"
    if group:
        return None
    try:
        parse_seed(subject)
    except ValueError as problem:
        return str(problem)
    return None


def export_network(uow: UnitOfWork, *, request: NetworkExportRequest) -> ExportFile:
    """The export file, logged as a disclosure.

    Raises ``NetworkExportRefusedError`` for an invalid request, ``ForbiddenError`` for a role
    that may not export networks, ``NotFoundError`` for a group not in the latest analysis.
    """
    if not can(uow.actor, Permission.EXPORT_NETWORK):
        raise ForbiddenError("this role may not export networks")
    errors = request.problems()
    if errors:
        raise NetworkExportRefusedError(errors)
    chart, grounds = _chart_of(uow, request)
    made = _graphml(chart, grounds) if request.fmt == "graphml" else _csv_zip(chart, grounds)
    people = [n.id.split(":", 1)[1] for n in chart.nodes if n.kind == "person"]
    uow.audit(
        "disclosure",
        "network_export",
        people,
        purpose=PURPOSES[request.purpose],
        detail={
            "subject": request.subject.strip(),
            "format": request.fmt,
            "recipient": request.recipient.strip(),
            "nodes": len(chart.nodes),
            "edges": len(chart.edges),
            "grounds": len(grounds),
            "sha256": hashlib.sha256(made.content).hexdigest(),
        },
    )
    return made


def _chart_of(uow: UnitOfWork, request: NetworkExportRequest) -> tuple[Chart, tuple[Ground, ...]]:
    """The chart to export and, for a group, its grounds as the user may read them."""
    subject = request.subject.strip()
    if not request.group:
        return draw_link_chart(uow, request=ChartRequest(subject, hops=2)), ()
    run = q.get_latest_run(uow.session)
    group = q.get_group_by_code(uow.session, run.id, subject.upper()) if run else None
    if group is None:
        raise NotFoundError(f"group {subject}")
    members = q.list_group_members(uow.session, [group.id])
    charts = [
        draw_link_chart(uow, request=ChartRequest(f"person:{m.person_id}", hops=1)) for m in members
    ]
    return _merge(group.code, charts), group_summary(uow, group).grounds


def _merge(seed: str, charts: list[Chart]) -> Chart:
    nodes = {n.id: n for c in charts for n in c.nodes}
    edges = {(e.source, e.target): e for c in charts for e in c.edges}
    events = {e["record"]: e for c in charts for e in c.events}
    return Chart(
        seed,
        [nodes[k] for k in sorted(nodes)],
        [edges[k] for k in sorted(edges)],
        sorted(events.values(), key=lambda e: (e["date"], e["record"])),
    )


def _node_words(ground: Ground) -> str:
    """A ground with its people as the chart's node ids ("child person:12 linked to ...")."""
    return ground.said(lambda p: f"person:{p}")


def _graphml(chart: Chart, grounds: Sequence[Ground] = ()) -> ExportFile:
    import networkx as nx

    graph = nx.Graph()
    if grounds:
        graph.graph["grounds"] = "\n".join(_node_words(g) for g in grounds)
    for n in chart.nodes:
        graph.add_node(n.id, kind=n.kind, label=n.label)
    for e in chart.edges:
        graph.add_edge(
            e.source,
            e.target,
            kind=e.kind,
            roles=e.roles,
            agencies=e.agencies,
            first_date=e.first_date,
            last_date=e.last_date,
        )
    content = "\n".join(nx.generate_graphml(graph)).encode()
    return ExportFile(f"network-{_slug(chart.seed)}.graphml", "application/graphml+xml", content)


def _csv_zip(chart: Chart, grounds: Sequence[Ground] = ()) -> ExportFile:
    nodes = [("node", "kind", "label")] + [(n.id, n.kind, n.label) for n in chart.nodes]
    edges = [("source", "target", "kind", "roles", "agencies", "first_date", "last_date")] + [
        (e.source, e.target, e.kind, e.roles, e.agencies, e.first_date, e.last_date)
        for e in chart.edges
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("nodes.csv", _csv(nodes))
        archive.writestr("edges.csv", _csv(edges))
        if grounds:
            rows = [("ground",)] + [(_node_words(g),) for g in grounds]
            archive.writestr("grounds.csv", _csv(rows))
    return ExportFile(f"network-{_slug(chart.seed)}.zip", "application/zip", buffer.getvalue())


def _csv(rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([tuple(escape_cell(c) for c in row) for row in rows])
    return out.getvalue()


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text).strip("-").lower()
