"""Generating a whole synthetic area: extracts per agency plus the ground truth beside them."""

from __future__ import annotations

import gc
import math
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from safehub.synthetic.geography import AREAS, PARTNERS, Agency, agencies_for
from safehub.synthetic.identifiers import Identifiers
from safehub.synthetic.model import World
from safehub.synthetic.networks import group_count, plant_groups
from safehub.synthetic.population import PopulationBuilder
from safehub.synthetic.records import generate_innocent
from safehub.synthetic.variation import Recorder
from safehub.synthetic.writer import Progress, Sinks, write_csv, write_extracts

# Fixed, so that the same arguments give the same bytes whatever day they are run.
DEFAULT_END = date(2026, 9, 30)
WINDOW_YEARS = 3
# Rows per child, measured on generated areas; used to turn --rows into a number of children.
ROWS_PER_CHILD = 5.0

PEOPLE_HEADER = ("agency_code", "person_ref", "true_person_id")
GROUPS_HEADER = ("group_id", "true_person_id", "role_in_group")
KEY_PEOPLE_HEADER = ("group_id", "true_person_id", "rank")
LINKS_HEADER = ("group_id", "adult_true_person_id", "child_true_person_id")
AGENCIES_HEADER = ("agency_code", "agency_type", "name", "area_code", "area_name")
PERSONS_HEADER = (
    "true_person_id",
    "kind",
    "given_names",
    "family_name",
    "date_of_birth",
    "sex",
    "true_ethnicity",
    "nationality",
    "household_id",
    "area_code",
)


@dataclass(frozen=True, slots=True)
class SyntheticArea:
    """What ``generate_area`` made: extracts (files or text) and the truth in memory."""

    seed: int
    area: str
    agencies: tuple[Agency, ...]
    files: dict[str, Path]  # agency code -> extract file (empty when generated in memory)
    extracts: dict[str, str]  # agency code -> CSV text (empty when written to files)
    people: tuple[tuple[str, str, str], ...]  # (agency_code, person_ref, true_person_id)
    groups: tuple[tuple[str, str, str], ...]  # (group_id, true_person_id, role_in_group)
    key_people: tuple[tuple[str, str, int], ...]  # (group_id, true_person_id, rank)
    # The planted adult-child links, each shown in at least one record: (group_id, adult, child)
    links: tuple[tuple[str, str, str], ...]
    persons: tuple[tuple[str, ...], ...]  # rows of truth/persons.csv
    children: int
    records: int
    rows: int

    def true_person(self, agency_code: str, person_ref: str) -> str:
        """The true person behind an agency's person_ref."""
        for code, ref, true_id in self.people:
            if code == agency_code and ref == person_ref:
                return true_id
        raise KeyError((agency_code, person_ref))


def children_for_rows(rows: int) -> int:
    """How many children to generate for about ``rows`` extract rows (a little over, then trim)."""
    return max(50, math.ceil(rows / ROWS_PER_CHILD * 1.08))


def generate_area(
    *,
    seed: int,
    children: int | None = None,
    rows: int | None = None,
    area: str = "bradford",
    out_dir: Path | None = None,
    groups: int | None = None,
    end: date = DEFAULT_END,
    progress: Progress | None = None,
) -> SyntheticArea:
    """Generate a synthetic area; the same arguments always give byte-identical output.

    Give ``children`` (the children known to agencies) or ``rows`` (about that many extract
    rows). With ``out_dir`` the extracts go to ``out_dir/<AGENCY>.csv`` and the truth to
    ``out_dir/truth/``; without it everything stays in memory (fine for small test areas).

    >>> small = generate_area(seed=1, children=200)
    >>> sorted(small.extracts)[:2], small.rows > 500, len(small.key_people) >= 2
    (['EDU-BRADFORD', 'LA-BRADFORD'], True, True)
    """
    if area not in PARTNERS:
        raise ValueError(f"unknown area {area!r}; choose one of {', '.join(sorted(PARTNERS))}")
    if (children is None) == (rows is None):
        raise ValueError("give exactly one of children or rows")
    n_children = children if children is not None else children_for_rows(rows or 0)
    if n_children < 1:
        raise ValueError("children must be at least 1")
    # Millions of small objects and no reference cycles: the cyclic garbage collector would only
    # rescan them again and again (a third of the run time at a million rows), so pause it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        world = _build_world(seed, n_children, area, end, progress)
        generate_innocent(world)
        plant_groups(world, group_count(n_children) if groups is None else groups)
        if rows is not None:
            _trim(world, rows)
        return _write(world, seed, area, n_children, out_dir, progress)
    finally:
        if collecting:
            gc.enable()


def _build_world(
    seed: int, children: int, area: str, end: date, progress: Progress | None
) -> World:
    start = end.replace(year=end.year - WINDOW_YEARS)
    # Separate seeded streams per stage keep one stage's draws from shifting another's.
    ids = Identifiers(random.Random(f"{seed}:identifiers"))
    builder = PopulationBuilder(random.Random(f"{seed}:population"), ids, area, start, end)
    if progress is not None:
        progress("building population", 0, 1)
    builder.build(children)
    if progress is not None:
        progress("building population", 1, 1)
    return World(
        rng=random.Random(f"{seed}:records"),
        ids=ids,
        builder=builder,
        agencies=agencies_for(area),
        primary=area,
        partner=PARTNERS[area],
    )


def _trim(world: World, rows: int) -> None:
    """Drop innocent records at random until the extracts hold at most ``rows`` rows."""
    total = sum(len(record.mentions) for record in world.records)
    innocent = [i for i, record in enumerate(world.records) if record.group < 0]
    random.Random(f"{rows}:trim").shuffle(innocent)
    dropped: set[int] = set()
    for index in innocent:
        if total <= rows:
            break
        size = len(world.records[index].mentions)
        if total - size >= rows:
            dropped.add(index)
            total -= size
    world.records = [r for i, r in enumerate(world.records) if i not in dropped]


def _write(
    world: World,
    seed: int,
    area: str,
    children: int,
    out_dir: Path | None,
    progress: Progress | None,
) -> SyntheticArea:
    if out_dir is not None:
        (out_dir / "truth").mkdir(parents=True, exist_ok=True)
    recorder = Recorder(world, random.Random(f"{seed}:variation"))
    sinks = Sinks([agency.code for agency in world.agencies], out_dir)
    written = write_extracts(world, recorder, sinks, progress)
    extracts = sinks.close()
    result = SyntheticArea(
        seed=seed,
        area=area,
        agencies=world.agencies,
        files=dict(sinks.paths),
        extracts=extracts,
        people=tuple(sorted(recorder.truth)),
        groups=_group_rows(world),
        key_people=_key_rows(world),
        links=_link_rows(world),
        persons=_person_rows(world, recorder),
        children=children,
        records=len(world.records),
        rows=written,
    )
    if out_dir is not None:
        write_truth(result, out_dir / "truth")
    return result


def _group_rows(world: World) -> tuple[tuple[str, str, str], ...]:
    people = world.pop.people
    return tuple(
        (group.group_id, people[pid].true_id, role)
        for group in world.groups
        for pid, role in group.members
    )


def _key_rows(world: World) -> tuple[tuple[str, str, int], ...]:
    people = world.pop.people
    return tuple(
        (group.group_id, people[pid].true_id, rank)
        for group in world.groups
        for rank, pid in enumerate(group.key_people, start=1)
    )


def _link_rows(world: World) -> tuple[tuple[str, str, str], ...]:
    people = world.pop.people
    return tuple(
        (group.group_id, people[adult].true_id, people[child].true_id)
        for group in world.groups
        for adult, child in group.links
    )


def _person_rows(world: World, recorder: Recorder) -> tuple[tuple[str, ...], ...]:
    seen = sorted({true_id for _, _, true_id in recorder.truth})
    people = world.pop.people
    rows = []
    for true_id in seen:
        person = people[int(true_id[2:])]
        given = f"{person.given} {person.middle}".strip()
        household = f"H{person.household:06d}" if person.household >= 0 else ""
        rows.append(
            (
                true_id,
                person.kind,
                given,
                person.family,
                person.dob.isoformat(),
                person.sex,
                person.ethnicity,
                person.nationality,
                household,
                AREAS[person.area].la_code,
            )
        )
    return tuple(rows)


def write_truth(result: SyntheticArea, truth_dir: Path) -> None:
    """Write the truth files beside the extracts."""
    write_csv(truth_dir / "people.csv", PEOPLE_HEADER, result.people)
    write_csv(truth_dir / "groups.csv", GROUPS_HEADER, result.groups)
    write_csv(truth_dir / "key_people.csv", KEY_PEOPLE_HEADER, result.key_people)
    write_csv(truth_dir / "links.csv", LINKS_HEADER, result.links)
    write_csv(
        truth_dir / "agencies.csv",
        AGENCIES_HEADER,
        ((a.code, a.agency_type, a.name, a.area_code, a.area_name) for a in result.agencies),
    )
    write_csv(truth_dir / "persons.csv", PERSONS_HEADER, result.persons)
