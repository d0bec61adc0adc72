"""Seeded and deterministic: the same arguments give byte-identical files."""

from __future__ import annotations

from pathlib import Path

from safehub.synthetic import generate_area


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.csv"))}


def test_same_seed_writes_byte_identical_extracts_and_truth(tmp_path: Path) -> None:
    generate_area(seed=5, children=250, out_dir=tmp_path / "a")
    generate_area(seed=5, children=250, out_dir=tmp_path / "b")
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert "truth/people.csv" in first and "POL-WY.csv" in first
    assert first == second


def test_a_different_seed_gives_different_data() -> None:
    one = generate_area(seed=5, children=250)
    two = generate_area(seed=6, children=250)
    assert one.extracts["POL-WY"] != two.extracts["POL-WY"]


def test_files_on_disk_match_the_in_memory_extracts(tmp_path: Path) -> None:
    on_disk = generate_area(seed=8, children=150, out_dir=tmp_path)
    in_memory = generate_area(seed=8, children=150)
    for code, path in on_disk.files.items():
        assert path.read_bytes().decode("utf-8") == in_memory.extracts[code]


def test_rows_target_is_met_without_going_over() -> None:
    area = generate_area(seed=3, rows=3000)
    assert 0.98 * 3000 <= area.rows <= 3000
    assert sum(text.count("\r\n") - 1 for text in area.extracts.values()) == area.rows
