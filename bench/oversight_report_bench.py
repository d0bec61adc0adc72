"""The published oversight report at the size of England (issue 17): 17 measures, 43 police
force areas, 150 local authorities, twelve months of facts.

    .venv/bin/python bench/oversight_report_bench.py

Runs ``tests/oversight_report/test_report_scale.py`` (a throwaway embedded PostgreSQL) and prints
how long the figures, the charts (Node) and the PDF (WeasyPrint) take.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    os.environ["SAFEHUB_REPORT_BENCH"] = "1"
    os.chdir(ROOT)
    return pytest.main(
        ["-q", "-s", "-p", "no:cacheprovider", "tests/oversight_report/test_report_scale.py"],
        plugins=[],
    )


if __name__ == "__main__":
    sys.exit(main())
