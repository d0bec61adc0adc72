"""Guard: protected characteristics are never read by the network engine (architecture.md)."""

from __future__ import annotations

import re
from pathlib import Path

import safehub.network
from safehub.network import analyse, build_graph
from tests.unit.network.network_records import read_rows, same_person_everywhere
from tests.unit.network.test_network_groups import planted_group

PROTECTED = re.compile(
    r"ethnicit|nationality|religio|sexual_orientation|gender_identity|"
    r"immigration|first_language|interpreter",
    re.IGNORECASE,
)


def test_network_source_never_names_a_protected_characteristic() -> None:
    package = Path(safehub.network.__file__).parent
    offending = [
        f"{path.name}:{n}"
        for path in sorted(package.rglob("*.py"))
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if PROTECTED.search(line)
    ]
    assert offending == []


def test_changing_ethnicity_and_nationality_changes_no_result(tmp_path: Path) -> None:
    plain = read_rows(tmp_path, planted_group(), "a.csv")
    marked = read_rows(
        tmp_path,
        [
            {
                **r,
                "ethnicity_self_defined": ("A1", "W1", "B2")[i % 3],
                "nationality": ("GB", "PK")[i % 2],
            }
            for i, r in enumerate(planted_group())
        ],
        "b.csv",
    )
    ids = same_person_everywhere(plain)
    first, second = analyse(build_graph(plain, ids)), analyse(build_graph(marked, ids))
    assert (first.groups, first.key_people) == (second.groups, second.key_people)
