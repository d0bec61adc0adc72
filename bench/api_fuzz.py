"""API fuzzing at full size: schemathesis against /api/v1, as every role (issue 15, "Proofs").

    .venv/bin/python bench/api_fuzz.py --requests 100000

Runs the suite's test (``tests/web/test_api_fuzz.py``: a throwaway embedded PostgreSQL, a real
signed-in session of each of the 12 roles and one without a session, every operation of the
OpenAPI document in positive and negative generation) with as many examples per operation as
make about ``--requests`` in total, drawn anew on each run rather than the suite's fixed draw.
It passes when no answer is a 5xx, every answer is one the document describes, and no body holds
a stack trace; the failures (with a command to reproduce each) are written to ``--failures``.
At about 30 requests a second on 2 shared cores, 100,000 requests take about an hour.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Requests sent per example asked of each operation: 39 operations × 12 roles × 2 generation
# modes, less the negative cases of operations that take nothing, plus the requests without a
# session (measured: 2 examples send 1,728 requests).
REQUESTS_PER_EXAMPLE = 864


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--failures", type=Path, default=Path("api-fuzz-failures.txt"))
    args = parser.parse_args()
    examples = max(1, round(args.requests / REQUESTS_PER_EXAMPLE))
    os.environ |= {
        "SAFEHUB_FUZZ_EXAMPLES": str(examples),
        "SAFEHUB_FUZZ_RANDOM": "1",
        "SAFEHUB_FUZZ_FAILURES": str(args.failures.resolve()),
    }
    os.chdir(ROOT)
    return pytest.main(
        ["-q", "-s", "-p", "no:cacheprovider", "tests/web/test_api_fuzz.py"], plugins=[]
    )


if __name__ == "__main__":
    sys.exit(main())
