"""Restricted people (refuge, protected address, witness protection) never leave their agency.

formats.md: "never shown, matched on or revealed outside the owning agency, not even as
existence". The files of ``safehub networks`` and the partnership's analysis leave every agency,
so a restricted person is in none of their rows, counts, alert reasons or group evidence; the
owning agency's own analysis still holds them.
"""

from __future__ import annotations

import csv
from pathlib import Path

from safehub.network import alerts_for_record, analyse, build_graph, write_outputs
from tests.unit.network.network_records import read_rows, row, same_person_everywhere
from tests.unit.network.test_network_groups import ADULT, CHILD, planted_group

SECRET_PHONE = "07700 900999"


def _restrict(rows: list[dict[str, str]], person: str) -> list[dict[str, str]]:
    return [{**r, "restricted": "Y"} if r["person_ref"] == person else r for r in rows]


def _with_witness(restricted: bool) -> list[dict[str, str]]:
    """The planted group, and an adult sharing a phone with the organiser in intelligence."""
    extra = [
        row("INT2", "ORG", "suspect", dob=ADULT, record_type="intelligence", phone=SECRET_PHONE),
        row("INT2", "WIT", "associate", dob=ADULT, record_type="intelligence", phone=SECRET_PHONE),
    ]
    rows = planted_group() + extra
    return _restrict(rows, "WIT") if restricted else rows


def _files(tmp_path: Path, rows: list[dict[str, str]]) -> dict[str, str]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    mentions = read_rows(tmp_path, rows)
    ids = same_person_everywhere(mentions)
    write_outputs(tmp_path / "out", ids, analyse(build_graph(mentions, ids)))
    return {p.name: p.read_text() for p in sorted((tmp_path / "out").iterdir())}


def test_a_restricted_child_is_in_no_output_file(tmp_path: Path) -> None:
    files = _files(tmp_path, _restrict(planted_group(), "G3"))
    assert files["groups.csv"].count("\n") > 1  # the group is still found
    assert not [name for name, text in files.items() if "G3" in text]


def test_an_unrestricted_child_is_in_the_files(tmp_path: Path) -> None:
    files = _files(tmp_path, planted_group())
    assert "G3" in files["groups.csv"] and "G3" in files["people.csv"]


def test_a_restricted_adult_is_not_ranked_and_their_phone_is_no_group_evidence(
    tmp_path: Path,
) -> None:
    shown = _files(tmp_path / "shown", _with_witness(restricted=False))
    hidden = _files(tmp_path / "hidden", _with_witness(restricted=True))
    assert "WIT" in shown["key_people.csv"] and "+447700900999" in shown["group_evidence.csv"]
    assert not [name for name, text in hidden.items() if "WIT" in text or "900999" in text]


def test_a_restricted_adult_is_not_counted_in_anyones_reasons(tmp_path: Path) -> None:
    files = _files(tmp_path, _with_witness(restricted=True))
    with (tmp_path / "out" / "key_people.csv").open() as handle:
        organiser = next(r for r in csv.DictReader(handle) if r["person_id"] == "ORG")
    assert "shares a phone" not in organiser["reasons"], files["key_people.csv"]


def test_a_restricted_child_is_not_counted_in_an_alert_reason(tmp_path: Path) -> None:
    # M2 is linked to one child only, G3, who is in refuge: a new child with M2 must not be told
    # "already linked to 1 other child victim", which would reveal that G3 exists.
    known = read_rows(tmp_path, _restrict(planted_group(), "G3"), "old.csv")
    new = read_rows(
        tmp_path,
        [
            row("CR60", "M2", "suspect", dob=ADULT, date="2025-09-01"),
            row("CR60", "NEWGIRL", "victim", dob=CHILD, date="2025-09-01"),
        ],
        "new.csv",
    )
    ids = same_person_everywhere(known + new)
    graph = build_graph(known, ids)
    alerts = alerts_for_record(graph, analyse(graph), new, ids)
    # M2 is an adult of the group whose other girls (G1, G2) may be counted; G3's record is not.
    linked = [a for a in alerts if a.kind == "adult_linked_to_other_children"]
    assert all(a.rests_on == () for a in linked)
    assert all(
        "2 other child victims as an adult of candidate group" in a.reasons[0] for a in linked
    )
    assert not [a for a in alerts if "G3" in " ".join((*a.person_ids, *a.reasons))]


def test_the_owning_agency_still_sees_its_restricted_child_in_the_group(tmp_path: Path) -> None:
    mentions = read_rows(tmp_path, _restrict(planted_group(), "G3"))
    graph = build_graph(mentions, same_person_everywhere(mentions))
    own = analyse(graph, viewer="POL-A")
    other = analyse(graph, viewer="LA-A")
    assert "G3" in own.groups[0].children and "G3" in own.children_of["M2"]
    assert "G3" not in other.groups[0].children and "M2" not in other.children_of
