"""Structure check on the 9/11 hijackers' network (Krebs 2002): where does the ringleader rank?

    .venv/bin/python bench/network_krebs.py [--data DIR] [--leader Atta]

Reads ``../shared/data/krebs_911/`` (relative to the repository) or ``--data``; says so and stops
when it is absent. Any one of these is read, the first found: GraphML or GML, Pajek (.net), an
adjacency matrix (CSV whose first row and first column name the same people) or an edge list (CSV,
TSV or whitespace; columns named source/target, from/to, or the first two). Each tie becomes an
intelligence record naming both people under neutral pseudonyms (``covert.py``); everyone is named
as a suspect, as the network's sources do not tell the hijackers' supporters apart consistently.
Nobody is a child, so the check is the key-people ranking alone, against plain degree and
betweenness on the same ties. The leader is found by a case-insensitive match on the node label.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Hashable
from datetime import date
from pathlib import Path

import networkx as nx
from covert import Tie, analyse_ties, baseline_ranks, pseudonyms

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "krebs_911"
GRAPH_SUFFIXES = (".graphml", ".gml", ".net", ".paj")
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".edges", ".edgelist", ".dat")
PAIR_NAMES = (("source", "target"), ("from", "to"), ("node1", "node2"), ("a", "b"))


def read_ties(folder: Path) -> tuple[nx.Graph, Path]:
    files = sorted(
        p for p in folder.iterdir() if p.suffix.lower() in (*GRAPH_SUFFIXES, *TABLE_SUFFIXES)
    )
    for path in files:
        graph = _read(path)
        if graph is not None and graph.number_of_edges():
            return _labelled(graph), path
    raise SystemExit(
        f"no network file found in {folder} (looked for {', '.join(GRAPH_SUFFIXES + TABLE_SUFFIXES)})"
    )


def _read(path: Path) -> nx.Graph | None:
    suffix = path.suffix.lower()
    if suffix == ".graphml":
        return nx.Graph(nx.read_graphml(path))
    if suffix == ".gml":
        return nx.Graph(nx.read_gml(path, label=None))
    if suffix in (".net", ".paj"):
        return nx.Graph(nx.read_pajek(path))
    return _read_table(path)


def _read_table(path: Path) -> nx.Graph | None:
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if not lines:
        return None
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(lines[0], ",;\t ")
    except csv.Error:
        dialect = csv.excel
    rows = [[c.strip() for c in r] for r in csv.reader(lines, dialect) if r]
    graph = nx.Graph()
    header = [c.lower() for c in rows[0]]
    if len(rows) > 2 and [r[0] for r in rows[1:]] == rows[0][1:]:  # adjacency matrix
        for line in rows[1:]:
            for other, cell in zip(rows[0][1:], line[1:], strict=False):
                if other != line[0] and cell not in ("", "0", "0.0"):
                    graph.add_edge(line[0], other)
        return graph
    columns, body = (0, 1), rows
    for a, b in PAIR_NAMES:
        if a in header and b in header:
            columns, body = (header.index(a), header.index(b)), rows[1:]
            break
    for line in body:
        if len(line) > max(columns) and line[columns[0]] != line[columns[1]]:
            graph.add_edge(line[columns[0]], line[columns[1]])
    return graph


def _labelled(graph: nx.Graph) -> nx.Graph:
    """Nodes renamed to their label or name attribute where the file gives one."""
    labels = {
        node: str(data.get("label") or data.get("name") or node)
        for node, data in graph.nodes(data=True)
    }
    return nx.relabel_nodes(graph, labels)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--leader", default="Atta")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"9/11 network not found at {args.data} (needs ../shared/data/krebs_911); skipped.")
        sys.exit(0)
    graph, path = read_ties(args.data)
    leaders = [n for n in graph.nodes if args.leader.lower() in str(n).lower()]
    if len(leaders) != 1:
        raise SystemExit(f"--leader {args.leader!r} matches {len(leaders)} people: {leaders[:5]}")
    leader: Hashable = leaders[0]
    names = pseudonyms(graph.nodes, "KR")
    day = date(2001, 1, 1)
    ties = [Tie(a, b, day) for a, b in sorted(graph.edges, key=lambda e: (str(e[0]), str(e[1])))]
    found = analyse_ties(ties, names, "POL-KR")
    ours = found.ranks(names)
    base = baseline_ranks(graph.edges)
    print(
        f"9/11 network ({path.name}): {graph.number_of_nodes()} people, "
        f"{graph.number_of_edges()} ties, {found.rows} rows; analysis {found.seconds:.2f}s"
    )
    for label, ranks in (("safehub", ours), *base.items()):
        print(f"{label:12s} {leader} ranks {ranks[leader]} of {len(ranks)}")
    print("\nsafehub top 10 (rank, person, reasons)")
    for node, rank in sorted(ours.items(), key=lambda kv: kv[1])[:10]:
        print(f"{rank:4d} {node!s:28s} {found.reasons(names[node])}")


if __name__ == "__main__":
    main()
