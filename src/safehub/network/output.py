"""The files of ``safehub networks --out DIR`` (docs/contracts.md), sorted so that runs are identical."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from safehub.network.analysis import NetworkAnalysis
from safehub.network.possible import PossiblySame

PEOPLE_HEADER = ("agency_code", "person_ref", "person_id", "possibly_same_as")
GROUPS_HEADER = ("group_id", "person_id", "role_in_group")
KEY_PEOPLE_HEADER = ("rank", "person_id", "score", "reasons")
EVIDENCE_HEADER = ("group_id", "kind", "value")


def write_outputs(
    out_dir: Path,
    person_ids: Mapping[tuple[str, str], str],
    analysis: NetworkAnalysis,
    possibly: PossiblySame | None = None,
) -> list[Path]:
    """Write people.csv, groups.csv, key_people.csv and group_evidence.csv; return their paths.

    ``people.csv`` names, for each person, one person they are possibly the same as
    (``possibly``), empty when none. The files leave every agency: a person an agency restricted is left out of people.csv too
    (the analysis already left their restricted rows out), as a row there would say that the
    agency holds them.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    hidden = analysis.hidden_refs
    partner = possibly.partner if possibly is not None else (lambda _: "")
    people = sorted(
        (a, r, p, partner(p)) for (a, r), p in person_ids.items() if (a, r) not in hidden
    )
    groups = sorted(
        (g.group_id, m.person_id, m.role_in_group) for g in analysis.groups for m in g.members
    )
    key_people = [(k.rank, k.person_id, f"{k.score:.3f}", k.reasons) for k in analysis.key_people]
    return [
        _write(out_dir / "people.csv", PEOPLE_HEADER, people),
        _write(out_dir / "groups.csv", GROUPS_HEADER, groups),
        _write(out_dir / "key_people.csv", KEY_PEOPLE_HEADER, key_people),
        _write(out_dir / "group_evidence.csv", EVIDENCE_HEADER, _evidence_rows(analysis)),
    ]


def _evidence_rows(analysis: NetworkAnalysis) -> list[tuple[str, str, str]]:
    """What binds each group, for the analyst to check before acting on it."""
    rows: list[tuple[str, str, str]] = []
    for group in analysis.groups:
        rows += [(group.group_id, "ground", g) for g in group.grounds]
        rows += [(group.group_id, "record", f"{a}/{r}") for a, r in group.records]
        rows += [(group.group_id, "shared", node) for node in group.shared_identifiers]
        rows += [(group.group_id, "agency", a) for a in group.agencies]
        rows += [(group.group_id, "area", a) for a in group.areas]
        # The group rests on these unconfirmed links: the pairs to confirm first.
        rows += [(group.group_id, "possibly_same", f"{a}={b}") for a, b in group.possibly_same]
        rows.append((group.group_id, "period", f"{group.first_date}/{group.last_date}"))
    return rows


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    # "\n" line endings on every platform: byte-identical output is part of the contract.
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path
