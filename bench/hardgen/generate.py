"""``generate(settings, seed, out_dir)``: one world, one CSV per agency, and the truth.

Truth files (``out_dir/truth/``):

- ``people.csv``: ``agency_code,person_ref,true_person_id,named`` — every agency person; ``named``
  is ``N`` when no row of that person_ref gives a name (an "unknown male" seen in a car).
- ``persons.csv``: the true people behind them: kind (child/adult at the end of the window),
  sex, registered names, date of birth, household, twin_of, junior_of, the roles they were
  recorded in, areas, job, care, the name key and how many people share it, ``common_name``
  (``Y`` for the commonest 1% of distinct names), planted group ids.
- ``groups.csv``: ``group_id,true_person_id,role_in_group`` (organiser/suspect/associate/victim).
- ``classes.csv``: ``person_a,person_b,class``: pairs of different people who are easy to merge
  wrongly (twins, siblings_1y, father_son, same_name_neighbours, same_name_different_area,
  same_name_same_dob).
- ``summary.json``: the settings, the seed and the counts.
"""

from __future__ import annotations

import csv
import json
import math
import random
from collections import Counter
from dataclasses import asdict
from datetime import date
from pathlib import Path

from bench.hardgen.activity import (
    adult_records,
    census,
    children_records,
    licensing_records,
    voluntary_records,
)
from bench.hardgen.busy import busy_records
from bench.hardgen.extract import Extracts, build_extracts
from bench.hardgen.groups import plant_groups
from bench.hardgen.idgen import Pool
from bench.hardgen.lifecycle import assign_jobs, assign_schools, change_over_time, equip, same_names
from bench.hardgen.names import full_name_key
from bench.hardgen.places import AREAS, make_places
from bench.hardgen.population import build_households
from bench.hardgen.settings import Settings
from bench.hardgen.world import PlantedGroup, World

COMMON_SHARE = 0.01  # the commonest 1% of distinct names count as common


def build_world(settings: Settings, seed: int) -> World:
    """The people, their lives and every agency record, before anything is written down."""
    world = World(settings, seed, Pool(random.Random(f"{seed}:{settings.name}:ids")))
    for area in settings.areas:
        world.places[area] = make_places(
            AREAS[area], world.rng(f"places:{area}"), settings.households_per_area
        )
    for area in settings.areas:
        build_households(world, area, world.rng(f"households:{area}"))
    same_names(world, world.rng("same_names"))
    equip(world, world.rng("equip"))
    change_over_time(world, world.rng("change"))
    for area in settings.areas:
        assign_jobs(world, area, world.rng(f"jobs:{area}"))
        assign_schools(world, area, world.rng(f"schools:{area}"))
    _restrict(world, world.rng("restricted"))
    who = census(world)
    plant_groups(world, who, world.rng("groups"))
    children_records(world, world.rng("children"))
    adult_records(world, who, world.rng("adults"))
    busy_records(world, who, world.rng("busy"))
    licensing_records(world, world.rng("licensing"))
    voluntary_records(world, world.rng("voluntary"))
    return world


def _restrict(world: World, rng: random.Random) -> None:
    """A few people live at a refuge or a protected address (never matched outside their agency)."""
    for p in world.people.values():
        if p.job is None and rng.random() < 0.002:
            p.restricted = True


def generate(settings: Settings, seed: int, out_dir: Path) -> dict[str, int]:
    """Write one extract per agency and the truth into ``out_dir``; return the counts."""
    world = build_world(settings, seed)
    extracts = build_extracts(world)
    out_dir.mkdir(parents=True, exist_ok=True)
    truth_dir = out_dir / "truth"
    truth_dir.mkdir(exist_ok=True)
    rows = _write_extracts(extracts, out_dir)
    persons = _write_truth(world, extracts, truth_dir)
    counts = {
        "files": len(extracts.rows),
        "rows": rows,
        "agency_people": len(extracts.truth.refs),
        "true_people": persons,
        "groups": len(world.groups),
    }
    summary = {"seed": seed, "settings": asdict(settings), "counts": counts}
    (truth_dir / "summary.json").write_text(
        json.dumps(summary, indent=1, sort_keys=True, default=_iso) + "\n"
    )
    return counts


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _write_extracts(extracts: Extracts, out_dir: Path) -> int:
    total = 0
    for agency in sorted(extracts.rows):
        columns = extracts.columns[agency]
        rows = sorted(
            extracts.rows[agency], key=lambda r: (r["record_date"], r["record_id"], r["person_ref"])
        )
        with (out_dir / f"{agency}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            for row in rows:
                writer.writerow([row.get(c, "") for c in columns])
        total += len(rows)
    return total


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(sorted(rows))


def _write_truth(world: World, extracts: Extracts, truth_dir: Path) -> int:
    truth = extracts.truth
    people = [
        [a, r, pid, "Y" if truth.named[(a, r)] else "N"] for (a, r), pid in truth.refs.items()
    ]
    _write_csv(
        truth_dir / "people.csv", ["agency_code", "person_ref", "true_person_id", "named"], people
    )
    seen = set(truth.refs.values())
    _write_persons(world, seen, truth_dir / "persons.csv")
    groups = [[g.gid, pid, role] for g in world.groups for pid, role in _group_roles(g)]
    _write_csv(truth_dir / "groups.csv", ["group_id", "true_person_id", "role_in_group"], groups)
    pairs = [
        [min(p.a, p.b), max(p.a, p.b), p.kind] for p in world.pairs if p.a in seen and p.b in seen
    ]
    _write_csv(truth_dir / "classes.csv", ["person_a", "person_b", "class"], pairs)
    return len(seen)


def _group_roles(g: PlantedGroup) -> list[tuple[str, str]]:
    roles = [(g.organiser, "organiser")]
    roles += [(p, "suspect") for p in g.suspects]
    roles += [(p, "associate") for p in g.associates]
    return roles + [(p, "victim") for p in g.victims]


_PERSON_COLUMNS = [
    "true_person_id",
    "kind",
    "sex",
    "given_names",
    "family_name",
    "date_of_birth",
    "household_id",
    "twin_of",
    "junior_of",
    "roles",
    "areas",
    "job",
    "in_care",
    "name_key",
    "name_count",
    "common_name",
    "groups",
]


def _write_persons(world: World, seen: set[str], path: Path) -> None:
    end = world.settings.end
    keys = {
        pid: full_name_key(world.people[pid].given[0], world.people[pid].family_on(end))
        for pid in seen
    }
    counts = Counter(keys.values())
    ranked = sorted(counts, key=lambda k: (-counts[k], k))
    common = set(ranked[: max(1, math.ceil(len(ranked) * COMMON_SHARE))])
    rows = []
    for pid in sorted(seen):
        p = world.people[pid]
        rows.append(
            [
                pid,
                "adult" if p.is_adult_on(end) else "child",
                p.sex,
                " ".join(p.given),
                p.family_on(end),
                p.dob.isoformat(),
                p.household,
                p.twin_of or "",
                p.junior_of or "",
                ";".join(sorted(p.roles)),
                ";".join(sorted(p.areas)),
                p.job or "",
                p.in_care.isoformat() if p.in_care else "",
                keys[pid],
                str(counts[keys[pid]]),
                "Y" if keys[pid] in common else "N",
                ";".join(sorted(p.groups)),
            ]
        )
    _write_csv(path, _PERSON_COLUMNS, rows)
