"""Timeliness and coordination: statutory and local clocks, inboxes, escalation, notifications,
meetings with their actions, and workforce figures.

- ``rules``: the rule book (Working Together 2023 and the local rules administrators set) and the
  state of one clock;
- ``clocks``: clocks started and stopped by events, as data; work recorded as done, and the
  reason for a delay;
- ``recompute``: the clocks job's side, every open clock's state computed set-wise, and its runs;
- ``escalation``: overdue work climbing the ladder, each rung notified once;
- ``inbox``: a user's and a team's open work, most urgent first;
- ``notifications``: in the app and by email (never a child's details in an email);
- ``meetings``: strategy discussions and multi-agency meetings, actions tracked to done;
- ``workforce``: caseloads, backlog, throughput and training;
- ``demo``: clocks and a meeting for the demo's cases.
"""
