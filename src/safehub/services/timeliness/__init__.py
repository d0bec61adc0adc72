"""Timeliness and coordination: statutory and local clocks, inboxes, escalation, notifications,
meetings with their actions, and workforce figures.

- ``clocks``: clocks started and stopped by events, as data (Working Together 2023 and local
  rules), a clock's state, work recorded as done;
- ``escalation``: overdue work climbing the ladder, each rung notified once;
- ``inbox``: a user's and a team's open work, most urgent first;
- ``notifications``: in the app and by email (never a child's details in an email);
- ``meetings``: strategy discussions and multi-agency meetings, actions tracked to done;
- ``workforce``: caseloads, backlog, throughput and training.
"""
