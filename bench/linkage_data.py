"""Benchmark inputs for identity resolution: FEBRL3, FEBRL4, Splink's historical_50k and synthetic
areas as format-v1 extracts."""

from __future__ import annotations

import csv
import os
from datetime import date
from pathlib import Path


def _shared_data() -> Path:
    """``../shared/data`` beside the repository (``SAFEHUB_SHARED_DATA`` overrides); from a git
    worktree one level deeper, the nearest ``shared/data`` above the repository."""
    if os.environ.get("SAFEHUB_SHARED_DATA"):
        return Path(os.environ["SAFEHUB_SHARED_DATA"])
    root = Path(__file__).resolve().parent.parent
    for parent in root.parents:
        if (parent / "shared" / "data").is_dir():
            return parent / "shared" / "data"
    return root.parent / "shared" / "data"


SHARED = _shared_data()
FEBRL = SHARED / "splink_datasets" / "febrl"
HEADER = (
    "agency_code",
    "agency_type",
    "record_id",
    "record_type",
    "record_date",
    "person_ref",
    "person_role",
    "given_names",
    "family_name",
    "date_of_birth",
    "address",
    "licence_number",
)


def febrl_extracts(out_dir: Path) -> tuple[list[Path], dict[tuple[str, str], str]]:
    """FEBRL4 a and b as two agencies; truth from ``rec-N-org`` / ``rec-N-dup-k``.

    The Australian postcode fails the UK check, so it travels in the address text; the social
    security number travels as a licence number (a per-person official number). Impossible dates
    of birth are left empty (the reader would reject the file).
    """
    files, truth = [], {}
    for part, agency, kind in (("a", "LA-FEBRLA", "social_care"), ("b", "POL-FEBRLB", "police")):
        path = out_dir / f"{agency}.csv"
        with (FEBRL / f"dataset4{part}.csv").open(encoding="utf-8") as source:
            reader = csv.DictReader(source, skipinitialspace=True)
            rows = [
                _febrl_row({k.strip(): (v or "").strip() for k, v in r.items()}, agency, kind)
                for r in reader
            ]
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=HEADER)
            writer.writeheader()
            writer.writerows(rows)
        for row in rows:
            truth[(agency, row["person_ref"])] = row["person_ref"].split("-")[1]
        files.append(path)
    return files, truth


def _febrl_row(r: dict[str, str], agency: str, kind: str) -> dict[str, str]:
    address = " ".join(
        r[k]
        for k in ("street_number", "address_1", "address_2", "suburb", "state", "postcode")
        if r[k]
    )
    return {
        "agency_code": agency,
        "agency_type": kind,
        "record_id": r["rec_id"],
        "record_type": "referral",
        "record_date": "2024-01-01",
        "person_ref": r["rec_id"],
        "person_role": "subject",
        "given_names": r["given_name"],
        "family_name": r["surname"],
        "date_of_birth": _iso(r["date_of_birth"]),
        "address": address,
        "licence_number": r["soc_sec_id"],
    }


def _iso(raw: str) -> str:
    if len(raw) != 8 or not raw.isdigit():
        return ""
    try:
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:])).isoformat()
    except ValueError:
        return ""


def synthetic_truth(directory: Path) -> dict[tuple[str, str], str]:
    with (directory / "truth" / "people.csv").open(encoding="utf-8") as handle:
        return {
            (r["agency_code"], r["person_ref"]): r["true_person_id"] for r in csv.DictReader(handle)
        }


HISTORICAL = SHARED / "splink_datasets" / "historical_figures_with_errors_50k.parquet"
FEBRL3 = FEBRL / "dataset3.csv"
_PUBLIC_HEADER = (*HEADER[:-1], "sex", "postcode")


def historical_extracts(out_dir: Path) -> tuple[list[Path], dict[tuple[str, str], str]]:
    """Splink's ``historical_50k`` (50,578 rows of Wikidata people with injected errors) as one agency's extract.

    Truth: the ``cluster`` column. First name, surname, date of birth, the fake UK postcode and
    sex travel in their columns; occupation and place of birth have no column in format v1 and
    are left out (so is the full name: it repeats the first name and surname with titles).
    Dates the reader would reject (none expected) are left empty.
    """
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    table = pq.read_table(HISTORICAL).to_pylist()
    agency = "LA-HIST"
    rows = [
        {
            "agency_code": agency,
            "agency_type": "social_care",
            "record_id": r["unique_id"],
            "record_type": "referral",
            "record_date": "2024-01-01",
            "person_ref": r["unique_id"],
            "person_role": "subject",
            "given_names": r["first_name"] or "",
            "family_name": r["surname"] or "",
            "date_of_birth": _checked_iso(r["dob"] or ""),
            "address": "",
            "sex": {"male": "M", "female": "F"}.get(r["gender"] or "", ""),
            "postcode": r["postcode_fake"] or "",
        }
        for r in table
    ]
    path = out_dir / f"{agency}.csv"
    _write(path, rows, _PUBLIC_HEADER)
    truth = {(agency, r["unique_id"]): r["cluster"] for r in table}
    return [path], truth


def febrl3_extracts(out_dir: Path) -> tuple[list[Path], dict[tuple[str, str], str]]:
    """FEBRL3 (5,000 records of 2,000 people) as one agency's extract; truth from ``rec-N``."""
    agency = "LA-FEBRL3"
    with FEBRL3.open(encoding="utf-8") as source:
        reader = csv.DictReader(source, skipinitialspace=True)
        rows = [
            _febrl_row({k.strip(): (v or "").strip() for k, v in r.items()}, agency, "social_care")
            for r in reader
        ]
    path = out_dir / f"{agency}.csv"
    _write(path, rows, HEADER)
    truth = {(agency, r["person_ref"]): r["person_ref"].split("-")[1] for r in rows}
    return [path], truth


def _checked_iso(raw: str) -> str:
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        return ""


def _write(path: Path, rows: list[dict[str, str]], header: tuple[str, ...]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
