"""Crash test at the suite's size (issue 15): referrals written through the API while the
database server and the web workers are killed with SIGKILL 10 times at random moments and
restarted; every acknowledged referral is then present exactly once, none is half-written, and
the audit chain verifies, with PostgreSQL's durability settings as in production (fsync on).
The full size (200 kills, three web workers) is ``bench/crash_bench.py``.

Two web workers here, not three: a web worker's start is a few seconds of CPU, which on a
loaded two-core machine is most of this test's time, and two are enough for a kill to land
while the client fails over to the other."""

from __future__ import annotations

import os

from tests.operations.crash import check, cluster_in_temp, run_chaos

KILLS = int(os.environ.get("SAFEHUB_CRASH_KILLS", "10"))
WEB_WORKERS = 2


def test_acknowledged_referrals_survive_sigkills_of_the_database_and_the_web_worker() -> None:
    with cluster_in_temp(web_workers=WEB_WORKERS) as cluster:
        outcome = run_chaos(cluster, kills=KILLS, seed=15)
        verdict = check(cluster, outcome)
    assert outcome.db_kills + outcome.web_kills >= KILLS
    assert outcome.db_kills >= 1 and outcome.web_kills >= 1  # both kinds of process died
    assert verdict.acknowledged > KILLS  # not vacuous: referrals were written between kills
    assert (verdict.missing, verdict.duplicated, verdict.wrong_id) == ([], [], [])
    assert verdict.present_once == verdict.acknowledged
    assert (verdict.without_clocks, verdict.without_audit) == ([], [])
    assert verdict.audit_ok, verdict.audit_verify
    assert verdict.durable, verdict.durability  # proved with fsync on, as in production
