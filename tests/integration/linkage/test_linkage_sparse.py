"""Sparse input resolves (contracts.md): stated defaults and a warning, never a traceback."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

REQUIRED = ["agency_code", "agency_type", "record_id", "record_type", "record_date"]
NAMES = ["Daniel Serero", "Pierre Perlini", "Ernesto Morales", "Alain Levy", "Gerard Levy"]


def _extract(path: Path, columns: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([*REQUIRED, "person_ref", "person_role", *columns])
        writer.writerows(rows)
    return path


def _names_only(people: int, agency: str = "POL-CV") -> list[list[str]]:
    """Intelligence records naming two people each, names and nothing else (CAVIAR-like)."""
    rows = []
    for n in range(people):
        given, family = NAMES[n % len(NAMES)].split()
        for ref in (n, (n + 1) % people):
            rows.append(
                [
                    agency,
                    "police",
                    f"T{n}",
                    "intelligence",
                    "1994-01-01",
                    f"CV{ref:03d}",
                    "suspect",
                    f"{given}{ref // len(NAMES) or ''}",
                    family,
                ]
            )
    return rows


def _no_dates(people: int) -> list[list[str]]:
    """Two agencies, names, addresses and phones, no date of birth column at all."""
    rows = []
    for n in range(people):
        given, family = NAMES[n % len(NAMES)].split()
        for agency, kind in (("POL-A", "police"), ("LA-B", "social_care")):
            rows.append(
                [
                    agency,
                    kind,
                    f"R{n}",
                    "referral",
                    "2024-01-01",
                    f"P{n}",
                    "subject",
                    given,
                    f"{family}{n}",
                    f"{n} High Street",
                    f"0770090{n:04d}",
                ]
            )
    return rows


CASES = {
    "only names, one agency": (["given_names", "family_name"], _names_only(60)),
    "no date of birth column": (["given_names", "family_name", "address", "phone"], _no_dates(80)),
    "three people": (
        ["given_names", "family_name", "date_of_birth"],
        [
            [
                "LA-X",
                "social_care",
                "R1",
                "referral",
                "2024-01-01",
                "A",
                "victim",
                "Amy",
                "Jones",
                "2010-01-01",
            ],
            [
                "LA-X",
                "social_care",
                "R2",
                "referral",
                "2024-01-01",
                "B",
                "victim",
                "Amy",
                "Jones",
                "2010-01-01",
            ],
            [
                "LA-X",
                "social_care",
                "R3",
                "referral",
                "2024-01-01",
                "C",
                "subject",
                "Bob",
                "Smith",
                "",
            ],
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_sparse_input_trains_with_defaults_and_a_warning_and_exits_0(
    tmp_path: Path, case: str
) -> None:
    columns, rows = CASES[case]
    extract = _extract(tmp_path / "extract.csv", columns, rows)
    out, review = tmp_path / "resolved.csv", tmp_path / "review.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from safehub.cli import main; main()",
            "resolve",
            str(extract),
            "--out",
            str(out),
            "--review-out",
            str(review),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    assert "warning: linkage training:" in done.stderr
    assert "default" in done.stderr
    assert "agency people →" in done.stderr.strip().splitlines()[-1]
    assert out.read_text().startswith("agency_code,person_ref,person_id\n")
    assert review.read_text().startswith("agency_code_l,person_ref_l,agency_code_r,person_ref_r,")
