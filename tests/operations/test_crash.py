"""Crash test at the suite's size (issue 15): referrals written through the API while the
database server and the web worker are killed with SIGKILL 10 times at random moments and
restarted; every acknowledged referral is then present exactly once, none is half-written, and
the audit chain verifies. The full size (200 kills) is ``bench/crash_bench.py``."""

from __future__ import annotations

import os

from tests.operations.crash import check, cluster_in_temp, run_chaos

KILLS = int(os.environ.get("SAFEHUB_CRASH_KILLS", "10"))


def test_acknowledged_referrals_survive_sigkills_of_the_database_and_the_web_worker() -> None:
    with cluster_in_temp() as cluster:
        outcome = run_chaos(cluster, kills=KILLS, seed=15)
        verdict = check(cluster, outcome)
    assert outcome.db_kills + outcome.web_kills >= KILLS
    assert outcome.db_kills >= 1 and outcome.web_kills >= 1  # both kinds of process died
    assert verdict.acknowledged > KILLS  # not vacuous: referrals were written between kills
    assert (verdict.missing, verdict.duplicated, verdict.wrong_id) == ([], [], [])
    assert verdict.present_once == verdict.acknowledged
    assert (verdict.without_clocks, verdict.without_audit) == ([], [])
    assert verdict.audit_ok, verdict.audit_verify
