"""Alerts: raised by the rules to the right agency, read and decided there by a person.

- ``raising``: ``NewAlert`` and ``raise_alerts``, which every rule that alerts calls (networks,
  victims treated as offenders, break-glass, disclosure requests); an alert is stored once, and a
  sealed alert's content apart from it (``alert_content``, under its own row-level security);
- ``kinds``: each kind of alert in words (all a sealed alert's own row says of it);
- ``views``: the agency's alerts and one alert inside its envelope (whom to contact), each read a
  consultation; ``Alert`` is the stored alert they return;
- ``decisions``: a person's ``AlertDecision`` (confirm or dismiss, and why), ``decide_alert``,
  ``decide_alerts`` (many at once) and ``assign_alerts``; a decided alert keeps its decision;
- ``inbox``: the team's alert inbox, folded by child or group, filtered, sorted and paged, and
  alert sentences in plain words.
"""

from safehub.services.alerts.decisions import (
    DECISIONS,
    AlertDecision,
    AlertDecisionRefusedError,
    assign_alerts,
    decide_alert,
    decide_alerts,
)
from safehub.services.alerts.inbox import (
    SORTS,
    AlertFilter,
    AlertFold,
    AlertInbox,
    parse_day,
    plain_sentences,
    read_filter,
    view_alert_inbox,
    whole_number,
)
from safehub.services.alerts.kinds import KIND_LABELS, kind_label
from safehub.services.alerts.raising import NewAlert, raise_alerts
from safehub.services.alerts.views import (
    STATUSES,
    Alert,
    AlertView,
    Holder,
    list_alerts,
    open_alert,
)

__all__ = [
    "DECISIONS",
    "KIND_LABELS",
    "SORTS",
    "STATUSES",
    "Alert",
    "AlertDecision",
    "AlertDecisionRefusedError",
    "AlertFilter",
    "AlertFold",
    "AlertInbox",
    "AlertView",
    "Holder",
    "NewAlert",
    "assign_alerts",
    "decide_alert",
    "decide_alerts",
    "kind_label",
    "list_alerts",
    "open_alert",
    "parse_day",
    "plain_sentences",
    "raise_alerts",
    "read_filter",
    "view_alert_inbox",
    "whole_number",
]
