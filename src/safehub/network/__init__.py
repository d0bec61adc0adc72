"""Network intelligence: groups of adults of concern around child victims, key people, alerts.

Build the graph from format-v1 mentions and a person resolution, analyse it, act on the results::

    graph = build_graph(batch.mentions, resolution.person_ids)
    analysis = analyse(graph)                      # groups, key people, communities, k-cores
    view = child_view(graph, analysis, "P123")     # for a child's case team
    alerts = alerts_for_record(graph, analysis, new_mentions, person_ids)
    graph.add_mentions(new_mentions, person_ids)   # incremental; equals a full rebuild

The rules weigh what an edge means, not how many there are, so that a large family, a school's
safeguarding lead or a busy takeaway does not become a group or a key person.
"""

from safehub.network.alerts import alerts_for_record
from safehub.network.analysis import NetworkAnalysis, analyse
from safehub.network.childview import child_view
from safehub.network.export import subgraph, write_csv, write_graphml
from safehub.network.graph import NetworkGraph, build_graph
from safehub.network.model import Alert, ChildView, Group, GroupMember, KeyPerson
from safehub.network.output import write_outputs

__all__ = [
    "Alert",
    "ChildView",
    "Group",
    "GroupMember",
    "KeyPerson",
    "NetworkAnalysis",
    "NetworkGraph",
    "alerts_for_record",
    "analyse",
    "build_graph",
    "child_view",
    "subgraph",
    "write_csv",
    "write_graphml",
    "write_outputs",
]
