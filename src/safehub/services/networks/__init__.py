"""Network intelligence over the stored records: the network job, its alerts, and what users see.

- ``update``: the network job's use case (``update_network``, in two halves: ``check_new_records``
  raises the new records' alerts, ``analyse_network`` stores the whole-graph analysis), queueing
  a run after an import or a merge (``queue_network_update``), the two job names, the demo's run;
- ``graph``: stored mentions as the engine's mentions, and the worker's graph kept in memory;
- ``alerts``: which agency and team each network alert goes to, sealed where it must be;
- ``views``: the stored analysis read as a user (``view_network_overview``, ``view_group``,
  ``list_key_people``, ``view_child_network``, ``list_children_at_heightened_risk``), each read a
  consultation; the job's runs (``list_network_runs``) and asking for one;
- ``grounds``: why a stored group is one (``Ground``), the engine's sentences read back into
  words and people, without the people a user is not shown;
- ``people``: people by name, age and role as far as the user may see them (``label_people``),
  and node keys in words (``describe_node``);
- ``chart``: ``draw_link_chart`` around a person, record or identifier (a ``ChartRequest``), read
  as the user;
- ``export``: ``export_network``, a group or a chart for analysis (a ``NetworkExportRequest``),
  logged as a disclosure.
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
    draw_link_chart,
)
from safehub.services.networks.export import (
    FORMATS,
    PURPOSES,
    NetworkExportRefusedError,
    NetworkExportRequest,
    export_network,
)
from safehub.services.networks.grounds import Ground
from safehub.services.networks.people import PersonLabel, describe_node, role_words
from safehub.services.networks.update import (
    NETWORK_JOBS,
    REBUILD_JOB,
    UPDATE_JOB,
    NetworkUpdate,
    analyse_demo_network,
    analyse_network,
    check_new_records,
    find_running_job,
    queue_network_update,
    update_network,
)
from safehub.services.networks.views import (
    GroupSummary,
    GroupView,
    JobProgress,
    Overview,
    PossiblePair,
    jobs_sentence,
    list_children_at_heightened_risk,
    list_groups_of_person,
    list_key_people,
    list_key_people_pairs,
    list_network_runs,
    request_network_analysis,
    view_child_network,
    view_children_at_heightened_risk,
    view_group,
    view_key_people,
    view_network_overview,
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
    "Ground",
    "GroupSummary",
    "GroupView",
    "JobProgress",
    "NetworkExportRefusedError",
    "NetworkExportRequest",
    "NetworkUpdate",
    "Overview",
    "PersonLabel",
    "PossiblePair",
    "TimelineEvent",
    "analyse_demo_network",
    "analyse_network",
    "check_new_records",
    "describe_node",
    "draw_link_chart",
    "export_network",
    "find_running_job",
    "jobs_sentence",
    "list_children_at_heightened_risk",
    "list_groups_of_person",
    "list_key_people",
    "list_key_people_pairs",
    "list_network_runs",
    "queue_network_update",
    "request_network_analysis",
    "role_words",
    "update_network",
    "view_child_network",
    "view_children_at_heightened_risk",
    "view_group",
    "view_key_people",
    "view_network_overview",
]
