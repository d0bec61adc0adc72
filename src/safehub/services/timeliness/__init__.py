"""Timeliness and coordination: statutory and local clocks, inboxes, escalation, notifications,
meetings with their actions, and workforce figures.

- ``rules``: the rule book (Working Together 2023 and the local rules administrators set, with
  the ``LocalRuleDraft`` the page builds) and the state of one clock;
- ``clocks``: clocks started and stopped by events, as data; work recorded as done, and the
  reason for a delay;
- ``recompute``: the clocks job's side, every open clock's state computed set-wise, and its runs;
- ``escalation``: overdue work climbing the ladder, each rung notified once;
- ``inbox``: a user's and a team's open work, most urgent first;
- ``notifications``: in the app and by email (never a child's details in an email);
- ``meeting_drafts``: the kinds of meeting and action, and the drafts the pages and the API
  build (``MeetingDraft``, ``MeetingRecord``, ``ActionDraft``);
- ``meetings``: strategy discussions and multi-agency meetings, actions tracked to done;
- ``workforce``: caseloads, backlog, throughput and training (``TrainingDraft``);
- ``demo``: clocks and a meeting for the demo's cases.
"""

from safehub.services.timeliness.clocks import (
    ClockOwner,
    ClockSubject,
    OverrunReasonNeededError,
    complete_clock,
    record_clock_event,
    record_overrun_reason,
    start_deadline_clock,
    start_referral_clocks,
)
from safehub.services.timeliness.escalation import (
    ladder,
    partnership_mailbox,
    set_partnership_mailbox,
)
from safehub.services.timeliness.inbox import (
    SCOPES,
    Inbox,
    InboxItem,
    view_inbox,
    view_inbox_clock,
)
from safehub.services.timeliness.meeting_drafts import (
    ACTION_TYPES,
    MEETING_KINDS,
    ActionDraft,
    MeetingDraft,
    MeetingError,
    MeetingRecord,
)
from safehub.services.timeliness.meetings import (
    ActionView,
    MeetingView,
    add_action,
    agencies_to_invite,
    complete_action,
    meetings_for,
    plan_meeting,
    record_meeting,
    staff_of,
    view_meeting,
)
from safehub.services.timeliness.notifications import (
    EmailMessage,
    EmailSender,
    mark_read,
    notifications_for,
)
from safehub.services.timeliness.recompute import recent_job_runs, request_clock_run
from safehub.services.timeliness.rules import (
    LocalRuleDraft,
    LocalRuleError,
    add_local_rule,
    list_rules,
    retire_local_rule,
    state_label,
    unit_label,
)
from safehub.services.timeliness.workforce import (
    COURSES,
    TrainingDraft,
    TrainingError,
    Workforce,
    record_training,
    staff_of_agency,
    view_workforce,
)

__all__ = [
    "ACTION_TYPES",
    "COURSES",
    "MEETING_KINDS",
    "SCOPES",
    "ActionDraft",
    "ActionView",
    "ClockOwner",
    "ClockSubject",
    "EmailMessage",
    "EmailSender",
    "Inbox",
    "InboxItem",
    "LocalRuleDraft",
    "LocalRuleError",
    "MeetingDraft",
    "MeetingError",
    "MeetingRecord",
    "MeetingView",
    "OverrunReasonNeededError",
    "TrainingDraft",
    "TrainingError",
    "Workforce",
    "add_action",
    "add_local_rule",
    "agencies_to_invite",
    "complete_action",
    "complete_clock",
    "ladder",
    "list_rules",
    "mark_read",
    "meetings_for",
    "notifications_for",
    "partnership_mailbox",
    "plan_meeting",
    "recent_job_runs",
    "record_clock_event",
    "record_meeting",
    "record_overrun_reason",
    "record_training",
    "request_clock_run",
    "retire_local_rule",
    "set_partnership_mailbox",
    "staff_of",
    "staff_of_agency",
    "start_deadline_clock",
    "start_referral_clocks",
    "state_label",
    "unit_label",
    "view_inbox",
    "view_inbox_clock",
    "view_meeting",
    "view_workforce",
]
