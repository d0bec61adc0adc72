"""A new batch against held people: held ids never change; known people keep their ids."""

from __future__ import annotations

import csv
from pathlib import Path

from safehub.extracts import read_extracts
from safehub.linkage import Resolution, resolve_incremental, resolve_people
from safehub.synthetic.small_population import SmallPopulation


def _split(population: SmallPopulation) -> tuple[list, list]:  # type: ignore[type-arg]
    ordered = sorted(population.mentions, key=lambda m: (m.record_date, m.file, m.row))
    cut = len(ordered) * 2 // 3
    return ordered[:cut], ordered[cut:]


def test_new_batch_leaves_held_ids_unchanged(
    population: SmallPopulation, resolution: Resolution
) -> None:
    old, new = _split(population)
    held = resolve_people(old, model=resolution.model)
    after = resolve_incremental(held, new, resolution.model)
    assert all(after.person_ids[key] == pid for key, pid in held.person_ids.items())
    assert set(after.person_ids) == {m.person_key for m in population.mentions}


def test_a_new_mention_of_a_known_person_gets_that_persons_id(
    population: SmallPopulation, resolution: Resolution
) -> None:
    old, new = _split(population)
    held = resolve_people(old, model=resolution.model)
    after = resolve_incremental(held, new, resolution.model)
    held_true = {population.truth[k]: pid for k, pid in held.person_ids.items()}
    new_keys = {m.person_key for m in new} - set(held.person_ids)
    found = [k for k in new_keys if population.truth[k] in held_true]
    matched = [k for k in found if after.person_ids[k] == held_true[population.truth[k]]]
    assert found and len(matched) >= 0.8 * len(found)


def test_new_people_get_new_ids_after_the_highest_held_one(
    population: SmallPopulation, resolution: Resolution
) -> None:
    old, new = _split(population)
    held = resolve_people(old, model=resolution.model)
    after = resolve_incremental(held, new, resolution.model)
    highest = max(int(pid[1:]) for pid in held.person_ids.values())
    fresh = set(after.person_ids.values()) - set(held.person_ids.values())
    assert fresh and min(int(pid[1:]) for pid in fresh) == highest + 1


def _extract(path: Path, rows: list[dict[str, str]]) -> list:  # type: ignore[type-arg]
    header = sorted({column for row in rows for column in row})
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return list(read_extracts([path]).mentions)


_TWINS = {
    "family_name": "Jackson",
    "date_of_birth": "2012-03-04",
    "address": "14 Marsh Lane",
    "postcode": "BD5 8QT",
    "record_date": "2024-05-01",
    "record_type": "referral",
}


def _row(agency: str, kind: str, ref: str, given: str, **extra: str) -> dict[str, str]:
    row = {"agency_code": agency, "agency_type": kind, "record_id": f"{agency}-{ref}"}
    return {
        **row,
        "person_ref": ref,
        "person_role": "subject",
        "given_names": given,
        **_TWINS,
        **extra,
    }


def test_a_new_batch_knows_the_twins_the_held_records_show(
    tmp_path: Path, population: SmallPopulation, resolution: Resolution
) -> None:
    # The trust holds Harvey and Henry Jackson, twins told apart by their NHS numbers. A police
    # record of "Harvy Jackson" arriving later is as much a slip for either: it waits, as it
    # would in a bulk run, instead of joining Harvey.
    twins = [
        _row("NHS", "health", "T1", "Harvey", nhs_number="5864125334"),
        _row("NHS", "health", "T2", "Henry", nhs_number="5218058181"),
    ]
    held = resolve_people(
        population.mentions + _extract(tmp_path / "NHS-T.csv", twins), model=resolution.model
    )
    later = _extract(tmp_path / "POL-T.csv", [_row("POL", "police", "P1", "Harvy")])
    after = resolve_incremental(held, later, resolution.model)
    harvey, henry = after.person_ids[("NHS", "T1")], after.person_ids[("NHS", "T2")]
    assert after.person_ids[("POL", "P1")] not in {harvey, henry}
    waiting = [p for p in after.pairs if {p.left, p.right} >= {("POL", "P1"), ("NHS", "T1")}]
    assert waiting and waiting[0].needs_review
