"""The link chart: a person's (or a record's, a phone's, a car's) neighbourhood, as nodes and edges.

The neighbourhood is read *as the user*: row-level security returns only the mentions their agency
may read, so the chart never shows another agency's content without an agreement. Restricted
people are left out by the engine's ``subgraph`` (and another agency's restricted people are not
even returned by the database). Filters (time, agency, role, entity type) apply to the evidence
before the chart is drawn, so an edge exists only if a mention that passes them makes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from safehub.db.queries import networks as q
from safehub.db.queries.networks import MentionRow
from safehub.db.uow import UnitOfWork
from safehub.services.networks.graph import restricted_people, to_mentions

if TYPE_CHECKING:
    from safehub.network import NetworkGraph

IDENTIFIER_KINDS = ("phone", "vehicle", "email", "handle", "licence")
NODE_KINDS = ("person", "record", "place", "address", *IDENTIFIER_KINDS)
MAX_NODES = 400  # a chart beyond this is unreadable: narrow it with the filters


@dataclass(frozen=True, slots=True)
class ChartFilters:
    """What to keep. Empty means everything.

    >>> ChartFilters(kinds=("person", "vehicle")).keeps_kind("phone")
    False
    """

    date_from: date | None = None
    date_to: date | None = None
    agency: str = ""
    role: str = ""
    kinds: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        date_from: date | None,
        date_to: date | None,
        agency: str,
        role: str,
        kinds: Iterable[str],
    ) -> ChartFilters:
        """From a form or a query string: an entity type that is not one of ``NODE_KINDS`` is
        left out, as if it had not been asked for.

        >>> ChartFilters.of(None, None, "", "", ["person", "spaceship"]).kinds
        ('person',)
        """
        return cls(date_from, date_to, agency, role, tuple(k for k in kinds if k in NODE_KINDS))

    def keeps_row(self, row: MentionRow) -> bool:
        return (
            (self.date_from is None or row.record_date >= self.date_from)
            and (self.date_to is None or row.record_date <= self.date_to)
            and (not self.agency or row.agency_code == self.agency)
            and (not self.role or row.person_role == self.role)
        )

    def keeps_kind(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


@dataclass(frozen=True, slots=True)
class ChartNode:
    id: str
    kind: str
    label: str
    # For people: child, adult or unknown (no date of birth the user may read); else the kind.
    group: str = ""


@dataclass(frozen=True, slots=True)
class ChartEdge:
    source: str
    target: str
    kind: str
    roles: str
    agencies: str
    first_date: str
    last_date: str


@dataclass(frozen=True, slots=True)
class Chart:
    seed: str
    nodes: list[ChartNode]
    edges: list[ChartEdge]
    events: list[dict[str, str]]  # the timeline: one per record, in date order
    truncated: bool = False
    agencies: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The shape ``link-chart.js`` and the API give cytoscape.js."""
        return {
            "seed": self.seed,
            "truncated": self.truncated,
            "nodes": [
                {"data": {"id": n.id, "kind": n.kind, "label": n.label, "group": n.group or n.kind}}
                for n in self.nodes
            ],
            "edges": [
                {
                    "data": {
                        "id": f"{e.source}|{e.target}",
                        "source": e.source,
                        "target": e.target,
                        "kind": e.kind,
                        "roles": e.roles,
                        "agencies": e.agencies,
                        "first_date": e.first_date,
                        "last_date": e.last_date,
                    }
                }
                for e in self.edges
            ],
            "events": self.events,
        }


class ChartRefusedError(ValueError):
    """The chart cannot be drawn as asked: ``errors`` says what to fix, by field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class ChartRequest:
    """Where the chart starts (a person number, or ``kind:value``), how many steps it reaches
    (1 to 3; more is unreadable) and what it keeps.

    >>> ChartRequest("42").problems()
    {}
    >>> ChartRequest("YX19ABC").problems()
    {'seed': 'start from a person number, or kind:value (e.g. vehicle:YX19ABC)'}
    """

    seed: str
    hops: int = 2
    filters: ChartFilters = ChartFilters()

    def problems(self) -> dict[str, str]:
        """Problems by field, each saying how to put it right (empty when the chart can be drawn)."""
        try:
            parse_seed(self.seed)
        except ValueError as problem:
            return {"seed": str(problem)}
        return {}

    def start(self) -> str:
        """The node the chart starts from; ``ChartRefusedError`` naming what to fix."""
        errors = self.problems()
        if errors:
            raise ChartRefusedError(errors)
        return parse_seed(self.seed)


def parse_seed(seed: str) -> str:
    """A node key from what a user typed: a person id, or ``kind:value``.

    >>> parse_seed("42"), parse_seed("vehicle:YX19ABC")
    ('person:42', 'vehicle:YX19ABC')
    """
    seed = seed.strip()
    if seed.isdigit():
        return f"person:{seed}"
    kind, _, value = seed.partition(":")
    if kind not in ("person", "record", *IDENTIFIER_KINDS) or not value:
        raise ValueError("start from a person number, or kind:value (e.g. vehicle:YX19ABC)")
    if kind == "person" and not value.isdigit():
        raise ValueError("a person is given by their number")
    return seed


def draw_link_chart(uow: UnitOfWork, *, request: ChartRequest) -> Chart:
    """The chart around the request's seed (``person:42``, ``record:POL/CR-1``,
    ``vehicle:YX19ABC``), as the actor may see it. Raises ``ChartRefusedError`` for a seed that
    names nothing."""
    node = request.start()
    hops, wanted = request.hops, request.filters
    rows = _neighbourhood(uow, node, max(1, min(hops, 3)))
    graph = _graph([r for r in rows if wanted.keeps_row(r)])
    chart = _named(uow, _chart(graph, [node], max(1, min(hops, 3)), wanted))
    chart.agencies.extend(sorted({r.agency_code for r in rows}))
    chart.roles.extend(sorted({r.person_role for r in rows}))
    people = [n.id.split(":", 1)[1] for n in chart.nodes if n.kind == "person"]
    uow.audit(
        "consultation", "person", people, purpose="link chart", detail={"seed": node, "hops": hops}
    )
    return chart


def draw_group_chart(
    uow: UnitOfWork, *, people: list[int], records: list[str], identifiers: list[str]
) -> Chart:
    """A group's chart: its members, its records (``AGENCY/REF``) and the identifiers and places
    they share, as the actor may see them (the caller audits the group consultation)."""
    seeds = [f"person:{p}" for p in people]
    keep = set(seeds) | {f"record:{r}" for r in records} | set(identifiers)
    graph = _graph(_neighbourhood(uow, seeds, 1))
    chart = _chart(graph, seeds, 1, ChartFilters(), keep=keep)
    return _named(uow, chart)


def _named(uow: UnitOfWork, chart: Chart) -> Chart:
    """The chart with people by name and age (as far as the user may see them) and every other
    point in words."""
    from safehub.services.networks.people import label_people

    ids = [int(n.id.split(":", 1)[1]) for n in chart.nodes if n.kind == "person"]
    labels = label_people(uow, ids)
    nodes = [
        ChartNode(n.id, n.kind, labels[int(n.label)].text, labels[int(n.label)].group)
        if n.kind == "person"
        else ChartNode(n.id, n.kind, _words(n), n.kind)
        for n in chart.nodes
    ]
    events = [
        {**e, "people": ", ".join(labels[int(p)].text for p in e["people"].split(", ") if p)}
        for e in chart.events
    ]
    return Chart(
        chart.seed, nodes, chart.edges, events, chart.truncated, chart.agencies, chart.roles
    )


def _words(node: ChartNode) -> str:
    """Places and addresses by name and postcode; a record or an identifier as it is written
    (the kind says what it is)."""
    from safehub.services.networks.people import describe_node

    return describe_node(node.id) if node.kind in ("place", "address") else node.label


def _neighbourhood(uow: UnitOfWork, seeds: str | list[str], hops: int) -> list[MentionRow]:
    """Mentions reachable in ``hops`` steps, one query per step (people, records, identifiers)."""
    rows: dict[int, MentionRow] = {}
    start = {seeds} if isinstance(seeds, str) else set(seeds)
    frontier, seen = set(start), set(start)
    for _ in range(hops):
        people = [int(n.split(":", 1)[1]) for n in frontier if n.startswith("person:")]
        records = [n.split(":", 1)[1] for n in frontier if n.startswith("record:")]
        idents = [n for n in frontier if n.split(":", 1)[0] in IDENTIFIER_KINDS]
        found = q.list_neighbourhood_mentions(
            uow.session, person_ids=people, records=records, identifiers=idents
        )
        rows.update((r.mention_id, r) for r in found)
        graph = _graph(list(rows.values()))
        frontier = {n for f in frontier for n in graph.neighbours(f)} - seen
        seen |= frontier
        if len(seen) > MAX_NODES * 4:
            break
    return sorted(rows.values(), key=lambda r: r.mention_id)


def _graph(rows: list[MentionRow]) -> NetworkGraph:
    from safehub.network import build_graph

    mentions, person_ids = to_mentions(rows)
    return build_graph(mentions, person_ids)


def _chart(
    graph: NetworkGraph,
    seeds: list[str],
    hops: int,
    wanted: ChartFilters,
    *,
    keep: set[str] | None = None,
) -> Chart:
    from safehub.network import keys, subgraph
    from safehub.network.export import to_networkx

    chosen = [
        n
        for n in subgraph(graph, seeds, hops)
        if (n in seeds or wanted.keeps_kind(keys.node_kind(n))) and (keep is None or n in keep)
    ]
    truncated = len(chosen) > MAX_NODES
    chosen = chosen[:MAX_NODES] if truncated else chosen
    drawn = to_networkx(graph, chosen)
    nodes = [
        ChartNode(n, str(a["kind"]), str(a["label"])) for n, a in sorted(drawn.nodes(data=True))
    ]
    edges = [
        ChartEdge(
            a,
            b,
            str(d["kind"]),
            str(d["roles"]),
            str(d["agencies"]),
            str(d["first_date"]),
            str(d["last_date"]),
        )
        for a, b, d in sorted(drawn.edges(data=True))
    ]
    return Chart(seeds[0] if seeds else "", nodes, edges, _events(graph, set(chosen)), truncated)


def _events(graph: NetworkGraph, chosen: set[str]) -> list[dict[str, str]]:
    from safehub.network import keys

    hidden = restricted_people(graph)
    events = []
    for key, fact in graph.records.items():
        node = keys.record_node(*key)
        if node not in chosen:
            continue
        people = sorted({m.person_id for m in graph.record_mentions(key)} - hidden, key=int)
        events.append(
            {
                "date": fact.record_date.isoformat(),
                "record": f"{key[0]}/{key[1]}",
                "record_type": fact.record_type,
                "agency": key[0],
                "people": ", ".join(str(p) for p in people),
            }
        )
    return sorted(events, key=lambda e: (e["date"], e["record"]))
