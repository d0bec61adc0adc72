"""Reading the truth files and the engines' outputs, for the scorers."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

AgencyPerson = tuple[str, str]  # (agency_code, person_ref)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(slots=True)
class TruthSet:
    """What the generator knows: who each agency person is, the people, groups and hard pairs."""

    person_of: dict[AgencyPerson, str] = field(default_factory=dict)
    named: set[AgencyPerson] = field(default_factory=set)
    persons: dict[str, dict[str, str]] = field(default_factory=dict)
    groups: dict[str, dict[str, str]] = field(default_factory=dict)  # group → person → role
    classes: list[tuple[str, str, str]] = field(default_factory=list)

    def planted(self, *roles: str) -> set[str]:
        return {pid for members in self.groups.values() for pid, r in members.items() if r in roles}

    def group_of(self, pid: str) -> set[str]:
        return {g for g, members in self.groups.items() if pid in members}


def read_truth(folder: Path) -> TruthSet:
    truth = TruthSet()
    for row in read_rows(folder / "people.csv"):
        key = (row["agency_code"], row["person_ref"])
        truth.person_of[key] = row["true_person_id"]
        if row.get("named", "Y") == "Y":
            truth.named.add(key)
    truth.persons = {row["true_person_id"]: row for row in read_rows(folder / "persons.csv")}
    for row in read_rows(folder / "groups.csv"):
        truth.groups.setdefault(row["group_id"], {})[row["true_person_id"]] = row["role_in_group"]
    if (folder / "classes.csv").exists():
        truth.classes = [
            (r["person_a"], r["person_b"], r["class"]) for r in read_rows(folder / "classes.csv")
        ]
    return truth


def read_resolved(path: Path) -> dict[AgencyPerson, str]:
    """``agency_code,person_ref,person_id`` (resolve's output, or networks' people.csv)."""
    return {(r["agency_code"], r["person_ref"]): r["person_id"] for r in read_rows(path)}


def read_review(path: Path) -> list[tuple[AgencyPerson, AgencyPerson]]:
    rows = read_rows(path)
    return [
        ((r["agency_code_l"], r["person_ref_l"]), (r["agency_code_r"], r["person_ref_r"]))
        for r in rows
    ]
