"""`safehub networks FILE... --out DIR`: files, headers, exit codes, byte-identical reruns."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safehub.cli.main import app
from safehub.synthetic import generate_area

runner = CliRunner()


@pytest.fixture(scope="module")
def area(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], Path]:
    folder = tmp_path_factory.mktemp("area")
    result = generate_area(seed=11, children=400, groups=3, out_dir=folder)
    ids = folder / "resolved.csv"
    with ids.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["agency_code", "person_ref", "person_id"])
        writer.writerows(sorted(result.people))
    return sorted(result.files.values()), ids


def _run(files: list[Path], ids: Path, out: Path) -> tuple[int, str, str]:
    args = ["networks", *map(str, files), "--out", str(out), "--person-ids", str(ids)]
    result = runner.invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


def test_writes_the_contracted_files_with_headers_and_nothing_on_stdout(
    area: tuple[list[Path], Path], tmp_path: Path
) -> None:
    code, stdout, _ = _run(*area, tmp_path / "out")
    assert (code, stdout) == (0, "")
    headers = {
        name: (tmp_path / "out" / name).read_text().splitlines()[0]
        for name in ("people.csv", "groups.csv", "key_people.csv")
    }
    assert headers == {
        "people.csv": "agency_code,person_ref,person_id,possibly_same_as",
        "groups.csv": "group_id,person_id,role_in_group",
        "key_people.csv": "rank,person_id,score,reasons",
    }


def test_groups_hold_allowed_roles_and_key_people_are_ranked_1_to_n(
    area: tuple[list[Path], Path], tmp_path: Path
) -> None:
    _run(*area, tmp_path / "out")
    with (tmp_path / "out" / "groups.csv").open() as handle:
        groups = list(csv.DictReader(handle))
    with (tmp_path / "out" / "key_people.csv").open() as handle:
        ranks = [int(r["rank"]) for r in csv.DictReader(handle)]
    assert groups and {g["role_in_group"] for g in groups} <= {
        "organiser",
        "suspect",
        "associate",
        "victim",
    }
    assert ranks == list(range(1, len(ranks) + 1))


def test_same_input_gives_byte_identical_files(
    area: tuple[list[Path], Path], tmp_path: Path
) -> None:
    _run(*area, tmp_path / "a")
    _run(*area, tmp_path / "b")
    for name in ("people.csv", "groups.csv", "key_people.csv", "group_evidence.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_invalid_extract_exits_2_naming_row_and_column(
    area: tuple[list[Path], Path], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "agency_code,agency_type,record_id,record_type,record_date,person_ref,"
        "person_role\nPOL-A,police,R1,crime_report,2025-13-01,P1,suspect\n"
    )
    code, stdout, stderr = _run([bad], area[1], tmp_path / "out")
    assert (code, stdout) == (2, "")
    assert "bad.csv: row 2, column record_date" in stderr
    assert not (tmp_path / "out").exists()


def test_person_ids_missing_a_mention_exits_2(
    area: tuple[list[Path], Path], tmp_path: Path
) -> None:
    ids = tmp_path / "ids.csv"
    ids.write_text("agency_code,person_ref,person_id\n")
    code, _, stderr = _run(area[0], ids, tmp_path / "out")
    assert code == 2 and "no person_id for" in stderr


@pytest.mark.skipif(
    importlib.util.find_spec("safehub.linkage") is None
    or not hasattr(importlib.import_module("safehub.linkage"), "resolve_people"),
    reason="person linkage not built yet",
)
def test_without_person_ids_people_are_resolved_by_linkage(
    area: tuple[list[Path], Path], tmp_path: Path
) -> None:
    result = runner.invoke(app, ["networks", *map(str, area[0]), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "o" / "people.csv").read_text().startswith("agency_code,person_ref,")


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_sparse_records_without_dates_of_birth_give_a_ranking_not_a_traceback(
    tmp_path: Path,
) -> None:
    # Wiretap-style intelligence: names only, no date of birth or identifier anywhere.
    header = [
        "agency_code",
        "agency_type",
        "record_id",
        "record_type",
        "record_date",
        "person_ref",
        "person_role",
        "family_name",
    ]
    ties = [("HUB", f"S{n}") for n in range(6)] + [("S0", "S1"), ("S2", "S3")]
    rows = [
        ["POL-X", "police", f"T{n}", "intelligence", "2025-01-01", ref, "suspect", f"Name{ref}"]
        for n, tie in enumerate(ties)
        for ref in tie
    ]
    extract = _write(tmp_path / "ties.csv", header, rows)
    result = runner.invoke(app, ["networks", str(extract), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.stderr
    with (tmp_path / "o" / "key_people.csv").open() as handle:
        ranking = list(csv.DictReader(handle))
    with (tmp_path / "o" / "people.csv").open() as handle:
        person_of = {r["person_ref"]: r["person_id"] for r in csv.DictReader(handle)}
    assert ranking[0]["person_id"] == person_of["HUB"]
    assert len(ranking) == 7


def test_possible_matches_fill_possibly_same_as_and_are_named_in_the_reasons(
    area: tuple[list[Path], Path], tmp_path: Path
) -> None:
    files, ids = area
    with ids.open() as handle:
        people = list(csv.DictReader(handle))
    # Two agency people of different persons, given as possibly the same.
    first, second = people[0], next(p for p in people if p["person_id"] != people[0]["person_id"])
    possible = _write(
        tmp_path / "possible.csv",
        ["agency_code_l", "person_ref_l", "agency_code_r", "person_ref_r"],
        [[first["agency_code"], first["person_ref"], second["agency_code"], second["person_ref"]]],
    )
    args = ["networks", *map(str, files), "--out", str(tmp_path / "o"), "--person-ids", str(ids)]
    result = runner.invoke(app, [*args, "--possible-matches", str(possible)])
    assert result.exit_code == 0, result.stderr
    with (tmp_path / "o" / "people.csv").open() as handle:
        partner = {r["person_id"]: r["possibly_same_as"] for r in csv.DictReader(handle)}
    low, high = sorted((first["person_id"], second["person_id"]))
    assert (partner[low], partner[high]) == (high, low)
    assert {p for p, q in partner.items() if q} == {low, high}
