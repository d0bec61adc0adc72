"""Alerts: raised by the rules to the right agency, read and decided there by a person.

- ``raising``: ``NewAlert`` and ``raise_alerts``, which every rule that alerts calls (networks,
  victims treated as offenders, break-glass, disclosure requests); an alert is stored once;
- ``views``: the agency's alerts and one alert inside its envelope (whom to contact), each read a
  consultation; ``Alert`` is the stored alert they return;
- ``decisions``: a person's ``AlertDecision`` (confirm or dismiss, and why) and ``decide_alert``.
"""

from safehub.services.alerts.decisions import (
    DECISIONS,
    AlertDecision,
    AlertDecisionRefusedError,
    decide_alert,
)
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
    "STATUSES",
    "Alert",
    "AlertDecision",
    "AlertDecisionRefusedError",
    "AlertView",
    "Holder",
    "NewAlert",
    "decide_alert",
    "list_alerts",
    "open_alert",
    "raise_alerts",
]
