"""API fuzzing at full size: schemathesis against /api/v1, as every role (issue 15, "Proofs").

    .venv/bin/python bench/api_fuzz.py --requests 100000 --failures /tmp/fuzz-failures.txt

Runs the suite's test (``tests/web/test_api_fuzz.py``: a throwaway embedded PostgreSQL, a real
signed-in session of each of the 12 roles and one without a session, every operation of the
OpenAPI document in positive and negative generation), going round every operation again and
again with ``--examples`` per operation, role and mode each round, drawn anew each round, until
``--requests`` have been sent (or ``--minutes`` have passed: the figures then say how far it got).
A role whose session the app ends on the way (15 minutes idle) is signed in again and the request
resent; the renewals are counted. It passes when no answer is a 5xx, every answer is one the
document describes, no body holds a stack trace, and no signed-in role was answered 401; the
failures (with a curl command for each) are written to ``--failures``. At about 20 requests a
second on 2 shared cores, 100,000 requests take about 80 minutes.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Requests sent per example asked of each operation, for the 12 signed-in roles in both generation
# modes (less the negative cases of operations that take nothing), and per round for the requests
# without a session (measured: 2 examples send 2,064 and 90 requests, 49 operations).
REQUESTS_PER_EXAMPLE = 1032
REQUESTS_WITHOUT_SESSION = 90


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--examples", type=int, default=10, help="per operation, role and mode")
    parser.add_argument("--minutes", type=float, default=None, help="stop after this long")
    parser.add_argument("--failures", type=Path, default=Path("api-fuzz-failures.txt"))
    args = parser.parse_args()
    per_round = args.examples * REQUESTS_PER_EXAMPLE + REQUESTS_WITHOUT_SESSION
    os.environ |= {
        "SAFEHUB_FUZZ_EXAMPLES": str(args.examples),
        # Rounds to spare: the request budget ends the run (a round sends fewer than estimated).
        "SAFEHUB_FUZZ_ROUNDS": str(2 * math.ceil(args.requests / per_round) + 1),
        "SAFEHUB_FUZZ_REQUESTS": str(args.requests),
        "SAFEHUB_FUZZ_RANDOM": "1",
        "SAFEHUB_FUZZ_PROGRESS": "1",
        "SAFEHUB_FUZZ_FAILURES": str(args.failures.resolve()),
    }
    if args.minutes is not None:
        os.environ["SAFEHUB_FUZZ_DEADLINE"] = str(time.time() + args.minutes * 60)
    os.chdir(ROOT)
    return pytest.main(
        ["-q", "-s", "-p", "no:cacheprovider", "tests/web/test_api_fuzz.py", "-k", "every_role"],
        plugins=[],
    )


if __name__ == "__main__":
    sys.exit(main())
