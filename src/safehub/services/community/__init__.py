"""Community reporting: a member of the public tells the partnership about a concern.

- ``limits``: slowing down floods from one address (hashed, kept a day) without locking out;
- ``phrases``: a report's reference and secret phrase, and the key kept instead of the phrase;
- ``reports``: writing a report one question at a time, as a draft, and sending it
  (``ReportDraft``, ``send_report``), and how long one not converted is kept before review
  (``report_retention_years``);
- ``reporter``: coming back with the reference and phrase (``unlock_report``,
  ``view_own_report``, ``add_to_own_report``);
- ``triage``: the staff queue and a report, blurred where the reporter did not agree otherwise
  (``list_community_reports``, ``view_community_report``, ``ask_reporter``,
  ``set_community_report_status``, ``assign_community_report``);
- ``matching``: what a report names matched against agency holdings, as evidence for the lead
  (``find_matches``);
- ``stored_matches``: the matches stored by the match job when a report arrives and after every
  network run, read by the triage pages (``store_report_matches``, ``read_stored_matches``);
- ``priority``: the queue's order by rules that say why (``order``);
- ``convert``: a report added to the shared record as a ``community_report`` record, through
  the extract import (``convert_to_record``), or converted into a referral or a case note
  (``convert_to_referral``, ``convert_to_case_note``).
"""

from safehub.services.community.limits import SlowDownError
from safehub.services.community.reporter import (
    PUBLIC_STATUS,
    ReporterKey,
    ReporterView,
    add_to_own_report,
    unlock_report,
    view_own_report,
)
from safehub.services.community.reports import (
    ABOUT,
    SEEN_TIMES,
    SIGNS,
    STEPS,
    Receipt,
    ReportDraft,
    read_draft,
    report_retention_years,
    save_draft,
    send_report,
)
from safehub.services.community.triage import (
    STATUSES,
    URGENCY,
    ReportSummary,
    StaffReportView,
    ask_reporter,
    list_community_reports,
    set_community_report_status,
    view_community_report,
)

__all__ = [
    "ABOUT",
    "PUBLIC_STATUS",
    "SEEN_TIMES",
    "SIGNS",
    "STATUSES",
    "STEPS",
    "URGENCY",
    "Receipt",
    "ReportDraft",
    "ReportSummary",
    "ReporterKey",
    "ReporterView",
    "SlowDownError",
    "StaffReportView",
    "add_to_own_report",
    "ask_reporter",
    "list_community_reports",
    "read_draft",
    "report_retention_years",
    "save_draft",
    "send_report",
    "set_community_report_status",
    "unlock_report",
    "view_community_report",
    "view_own_report",
]
