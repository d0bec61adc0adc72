"""Planted exploitation networks: the signal the network and linkage engines must find.

Each group is 2-8 adults of concern (an organiser, suspects, associates; some licensed taxi
drivers, some licensed or living in the other area) linked to 2-6 children aged 11-17 through
records over months: repeated missing episodes, crime reports and intelligence naming adults and
children together, a shared phone, cars, a flat, a hotel and a takeaway. The organiser is linked
to most victims; every planned adult-child link shows in at least one record. Members are
chosen by age, sex, household and kind: ethnicity is never read, so victims and suspects share
the area's ethnicity mix.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import date

from safehub.synthetic.geography import AREAS
from safehub.synthetic.group_records import GroupPlan, write_group_records
from safehub.synthetic.model import PlantedGroup, World
from safehub.synthetic.population import Population
from safehub.synthetic.records import licence_records

_ALIASES = ("Boss", "Kaz", "Tiger", "Slim", "Ace", "Rocky", "Jay", "Smiley", "Taz", "Dex", "Bigman")


def group_count(children: int) -> int:
    """About one planted group per 2,000 children, and at least two."""
    return max(2, round(children / 2000))


def pick_group_members(
    rng: random.Random, pop: Population, *, start: date, victims: int, adults: int, used: set[int]
) -> tuple[list[int], list[int]]:
    """Choose a group's child victims and adults of concern.

    Reads age, sex, household and kind only, never ethnicity (the no-stereotype rule): the
    ethnicity mix of victims and of adults of concern is the area's. Most victims are girls and
    most perpetrators men, as in the inquiries' findings.
    """
    people = pop.people
    taken = set(used)

    def child_ok(pid: int) -> bool:
        return 11 <= people[pid].age_on(start) <= 16

    chosen_victims = _sample(rng, pop, pop.children, victims, 0.8, taken, child_ok)
    homes = {people[pid].household for pid in chosen_victims}

    def adult_ok(pid: int) -> bool:
        return people[pid].household not in homes and 18 <= people[pid].age_on(start) <= 60

    return chosen_victims, _sample(rng, pop, pop.adults, adults, 0.1, taken, adult_ok)


def _sample(
    rng: random.Random,
    pop: Population,
    pool: list[int],
    count: int,
    female_share: float,
    taken: set[int],
    eligible: Callable[[int], bool],
) -> list[int]:
    """Draw ``count`` eligible people, each slot a woman or girl with ``female_share``.

    Rejection sampling keeps this fast on large populations; a slot gives up after many misses
    (a tiny population may not have enough eligible people).
    """
    chosen: list[int] = []
    for _ in range(count):
        sex = "F" if rng.random() < female_share else "M"
        for attempt in range(4000):
            pid = pool[rng.randrange(len(pool))]
            wanted_sex = sex if attempt < 2000 else pop.people[pid].sex
            if pid not in taken and pop.people[pid].sex == wanted_sex and eligible(pid):
                chosen.append(pid)
                taken.add(pid)
                break
    return chosen


def plant_groups(world: World, count: int) -> None:
    used: set[int] = set()
    for index in range(count):
        group = _new_group(world, index, used)
        if group is None:
            continue
        used.update(group.victims, group.adults)
        _link(world, group)
        write_group_records(world, group)
        world.groups.append(_truth(group))


def _new_group(world: World, index: int, used: set[int]) -> GroupPlan | None:
    rng = world.rng
    length = rng.randint(180, 540)
    start = rng.randint(world.start_day, world.end_day - length)
    victims, adults = pick_group_members(
        rng,
        world.pop,
        start=date.fromordinal(start),
        victims=rng.randint(2, 6),
        adults=rng.randint(2, 8),
        used=used,
    )
    if len(victims) < 2 or len(adults) < 2:
        return None
    n_suspects = max(1, round((len(adults) - 1) * 0.6))
    area = world.pop.people[victims[0]].area
    group = GroupPlan(
        index=index,
        start=start,
        end=start + length,
        area=area,
        organiser=adults[0],
        suspects=adults[1 : 1 + n_suspects],
        associates=adults[1 + n_suspects :],
        victims=victims,
        phone=world.ids.phone(),
        vehicle="",
        places=_places(world, area),
    )
    _equip(world, group)
    return group


def _places(world: World, area_key: str) -> list[tuple[str, str]]:
    """The group's flat, hotel and takeaway (sometimes the busy takeaway everyone uses)."""
    rng = world.rng
    area = AREAS[area_key]
    district = rng.choice(area.districts)[0]
    takeaway = area.takeaways[0] if rng.random() < 0.3 else rng.choice(area.takeaways)
    flat = f"Flat {rng.randint(1, 9)}, {rng.randint(1, 200)} {rng.choice(area.streets)}"
    return [
        (flat, world.ids.postcode(district)),
        (rng.choice(area.hotels), world.ids.postcode(district)),
        (takeaway, ""),
    ]


def _equip(world: World, group: GroupPlan) -> None:
    """Cars, licences and street names of the adults; some licensed in the other area."""
    rng = world.rng
    people = world.pop.people
    for pid in group.adults:
        if rng.random() < 0.35:
            cross = rng.random() < 0.5
            world.builder.make_driver(pid, world.partner if cross else people[pid].area)
            licence_records(world, pid)
        if rng.random() < 0.5:
            people[pid].alias = rng.choice(_ALIASES)
    organiser = people[group.organiser]
    if not organiser.vehicle:
        organiser.vehicle = world.ids.vehicle(AREAS[organiser.area].vehicle_tags)
    group.vehicle = organiser.vehicle


def _link(world: World, group: GroupPlan) -> None:
    """Who is linked to which child: the organiser to most, each suspect to some."""
    rng = world.rng
    victims = group.victims
    organiser_victims = rng.sample(victims, math.ceil(0.7 * len(victims)))
    for victim in victims:
        group.links[victim] = [group.organiser] if victim in organiser_victims else []
    for suspect in group.suspects:
        for victim in rng.sample(victims, rng.randint(1, len(victims))):
            group.links[victim].append(suspect)
    for associate in group.associates:
        if rng.random() < 0.5:
            group.links[rng.choice(victims)].append(associate)
    for victim in victims:
        if not group.links[victim]:
            group.links[victim].append(rng.choice(group.suspects))


def _truth(group: GroupPlan) -> PlantedGroup:
    """The group's members, its planned links and its key people.

    Key people are the organiser and the suspects planned as linked to at least half of the
    group's children. Every planned link is written into at least one record
    (``group_records._show_every_link``), so each key person is named in the records with at
    least that many children. Reach is counted over the plan, not over every co-mention written:
    intelligence also names adults and children of a group together at random (noise, as in real
    intelligence), and counted over the records, an associate named in one such report with one
    child of a group of two children would be as "key" as the organiser; on seeds 1-6 (5,000 children, 20
    groups) that made 466 key people instead of 332, 83 of them associates, 51 never in a
    record other than intelligence with a child, and 18 of 120 groups with more than 5 key
    people (so "key people in the top 5" could not be met). The cost: a few key suspects are
    named with fewer children than an associate whom that noise names often.
    """
    members = [(group.organiser, "organiser")]
    members += [(pid, "suspect") for pid in group.suspects]
    members += [(pid, "associate") for pid in group.associates]
    members += [(pid, "victim") for pid in group.victims]
    reach = {a: sum(a in links for links in group.links.values()) for a in group.adults}
    half = len(group.victims) / 2
    key = sorted((a for a in group.suspects if reach[a] >= half), key=lambda a: (-reach[a], a))
    links = tuple((adult, victim) for victim in group.victims for adult in group.links[victim])
    return PlantedGroup(
        group_id=f"G{group.index + 1:04d}",
        members=tuple(members),
        key_people=(group.organiser, *key),
        links=links,
    )
