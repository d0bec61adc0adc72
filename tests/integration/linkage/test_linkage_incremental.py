"""A new batch against held people: held ids never change; known people keep their ids."""

from __future__ import annotations

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
