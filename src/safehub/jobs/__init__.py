"""Background jobs as rows in PostgreSQL: queued in ``job_run``, claimed by workers with
``SELECT … FOR UPDATE SKIP LOCKED`` (no second broker), every run recorded with its progress,
counts, outcome and error.

The clocks job evaluates every open clock with the vectorised rule engine, stores the states
that changed, escalates overdue work up the ladder and sends the notification emails. The
resolution job places newly imported records among the people held and queues the network
update, which raises the network's alerts: the live chain from an import to an alert.

>>> from safehub.jobs.worker import JOBS
>>> sorted(JOBS)  # doctest: +NORMALIZE_WHITESPACE
['clocks', 'community_match', 'community_match_all', 'networks', 'networks_full', 'resolve',
 'retention_review']
"""
