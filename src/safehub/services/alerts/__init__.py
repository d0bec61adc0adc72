"""Alerts: raised by the engines and services to the right team, read and decided by a person.

- ``raising``: ``NewAlert`` and ``raise_alerts``, which every rule that alerts calls (networks,
  victims treated as offenders, break-glass, disclosure requests); the agency's alerts, one
  alert, and a person's decision on it;
- ``views``: alerts as the pages show them, inside the sealed envelope (whom to contact).
"""

from safehub.services.alerts.raising import (
    DECISIONS,
    NewAlert,
    alerts_for,
    decide_alert,
    raise_alerts,
    view_alert,
)
from safehub.services.alerts.views import (
    STATUSES,
    AlertView,
    Holder,
    act_on_alert,
    list_alerts,
    open_alert,
)

__all__ = [
    "DECISIONS",
    "STATUSES",
    "AlertView",
    "Holder",
    "NewAlert",
    "act_on_alert",
    "alerts_for",
    "decide_alert",
    "list_alerts",
    "open_alert",
    "raise_alerts",
    "view_alert",
]
