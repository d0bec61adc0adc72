"""Network intelligence over the stored records: the network job, its alerts, and what users see.

- ``update``: the network job's use case (``update_network`` in two halves, ``check_new_records``
  then ``analyse_network``), queueing a run after an import or a merge, the demo's run;
- ``graph``: stored mentions as the engine's mentions, and the worker's graph kept in memory;
- ``alerts``: which agency and team each network alert goes to, sealed where it must be;
- ``views``: the stored analysis read as a user (groups with evidence, key people, the
  child-centred view, the job's runs), each read a consultation;
- ``chart``: the link chart around a person, record or identifier, read as the user;
- ``export``: a group or chart exported for analysis, logged as a disclosure.
"""

from safehub.db.queries.networks import TimelineEvent
from safehub.services.networks.chart import (
    NODE_KINDS,
    Chart,
    ChartEdge,
    ChartFilters,
    ChartNode,
    ChartRefusedError,
    ChartRequest,
    link_chart,
)
from safehub.services.networks.export import (
    FORMATS,
    PURPOSES,
    NetworkExportRefusedError,
    NetworkExportRequest,
    export_network,
)
from safehub.services.networks.update import (
    NETWORK_JOBS,
    REBUILD_JOB,
    UPDATE_JOB,
    NetworkUpdate,
    analyse_demo_network,
    analyse_network,
    check_new_records,
    queue_network_update,
    update_network,
)
from safehub.services.networks.views import (
    GroupSummary,
    GroupView,
    JobProgress,
    Overview,
    child_network,
    children_at_heightened_risk,
    key_people,
    list_network_runs,
    network_overview,
    request_network_analysis,
    view_group,
)

__all__ = [
    "FORMATS",
    "NETWORK_JOBS",
    "NODE_KINDS",
    "PURPOSES",
    "REBUILD_JOB",
    "UPDATE_JOB",
    "Chart",
    "ChartEdge",
    "ChartFilters",
    "ChartNode",
    "ChartRefusedError",
    "ChartRequest",
    "GroupSummary",
    "GroupView",
    "JobProgress",
    "NetworkExportRefusedError",
    "NetworkExportRequest",
    "NetworkUpdate",
    "Overview",
    "TimelineEvent",
    "analyse_demo_network",
    "analyse_network",
    "check_new_records",
    "child_network",
    "children_at_heightened_risk",
    "export_network",
    "key_people",
    "link_chart",
    "list_network_runs",
    "network_overview",
    "queue_network_update",
    "request_network_analysis",
    "update_network",
    "view_group",
]
