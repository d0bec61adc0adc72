"""Planted exploitation groups, as agencies would come across them piece by piece.

A group is 2 to 6 adults of concern and 2 to 8 children. The organiser is not the man with most
direct contact with the children: he holds the shared phone, the car, the flat and the hotel
booking, links the other men (intelligence names them together) and shows up in several areas
and agencies, but is rarely named with a child. Drivers, some licensed in another area, do the
collecting. The children come to notice one agency at a time: a school sees a car at the gates,
the police find a child missing at a hotel, a referral names an "older boyfriend" with a phone.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from bench.hardgen.activity import (
    SEXUAL_OFFENCES,
    Census,
    new_record,
    parent_of,
    reporter,
)
from bench.hardgen.lifecycle import driver, take_into_care
from bench.hardgen.people import Address, Person
from bench.hardgen.places import AREAS
from bench.hardgen.public import public_sighting
from bench.hardgen.world import Mention, PlantedGroup, Record, World

_GROUP_INDICATORS = (
    "older_boyfriend",
    "gifts",
    "new_phone",
    "unexplained_money",
    "online_contact",
    "substance_misuse",
)


def plant_groups(world: World, who: Census, rng: random.Random) -> None:
    s = world.settings
    for index in range(s.groups):
        areas = _group_areas(world, index)
        span = rng.randint(300, 1000)
        start = world.day_between(rng, s.start, max(s.start, s.end - timedelta(days=span)))
        end = min(s.end, start + timedelta(days=span))
        group = _recruit(world, who, rng, f"G{index + 1:02d}", areas, (start, end))
        if group is not None:
            world.groups.append(group)
            _offend(world, group, start, end, rng)


def _group_areas(world: World, index: int) -> tuple[str, ...]:
    """One area each, in turn; roaming groups take three areas in a row."""
    areas = world.settings.areas
    if world.settings.roaming and len(areas) >= 3:
        return tuple(areas[(index + k) % len(areas)] for k in range(3))
    return (areas[index % len(areas)],)


def _recruit(
    world: World,
    who: Census,
    rng: random.Random,
    gid: str,
    areas: tuple[str, ...],
    period: tuple[date, date],
) -> PlantedGroup | None:
    s = world.settings
    taken = {pid for g in world.groups for pid in (*g.adults, *g.victims)}
    men = [
        p
        for a in areas
        for p in who.men.get(a, [])
        if p.pid not in taken and p.job in (None, "driver") and 19 <= p.age_on(s.start) <= 55
    ]
    teens = [
        p
        for a in areas
        for p in who.teens.get(a, [])
        if p.pid not in taken and _overlap(p, period) >= 120
    ]
    size, count = rng.randint(*s.group_adults), rng.randint(*s.group_children)
    if len(men) < size or len(teens) < count:
        return None
    girls = [p for p in teens if p.sex == "F"]
    victims = rng.sample(girls, min(len(girls), count - count // 5))
    victims += rng.sample([p for p in teens if p not in victims], count - len(victims))
    men.sort(key=lambda p: -p.age_on(s.end))
    organiser = rng.choice(men[: max(1, len(men) // 3)])
    rest = rng.sample([p for p in men if p is not organiser], size - 1)
    associates = rest[: len(rest) // 3]
    suspects = rest[len(associates) :]
    group = PlantedGroup(
        gid,
        areas,
        organiser.pid,
        [p.pid for p in suspects],
        [p.pid for p in associates],
        [p.pid for p in victims],
    )
    _equip(world, group, areas, rng)
    return group


def _overlap(child: Person, period: tuple[date, date]) -> int:
    """Days of ``period`` when ``child`` is 12 to 17: the ages groups target."""
    low = max(period[0], child.dob + timedelta(days=365 * 12))
    high = min(period[1], child.dob + timedelta(days=365 * 18 - 3))
    return (high - low).days


def _equip(world: World, group: PlantedGroup, areas: tuple[str, ...], rng: random.Random) -> None:
    """The group's shared means: a phone, a car, a flat above a takeaway; drivers licensed."""
    s = world.settings
    group.phone, group.vehicle = world.pool.mobile(), world.pool.vehicle()
    takeaway, code = rng.choice(world.places[areas[0]].takeaways)
    group.flat = Address(f"Flat 1, above {takeaway}", code, areas[0])
    group.premises = (takeaway, code)
    for pid in group.adults:
        p = world.people[pid]
        p.groups.add(group.gid)
        if rng.random() < s.alias_rate:
            p.aliases.append(_alias(p, rng))
    drivers = [world.people[p] for p in group.suspects if world.people[p].job == "driver"]
    while len(drivers) < min(2, len(group.suspects)):
        candidate = world.people[rng.choice(group.suspects)]
        if candidate.job != "driver":
            home = areas[-1] if len(areas) > 1 else areas[0]
            driver(world, candidate, home, rng, world.staff.setdefault(home, {}))
        drivers.append(candidate)
    for pid in group.victims:
        world.people[pid].groups.add(group.gid)
        if world.people[pid].in_care is None and rng.random() < 0.35:
            take_into_care(world, world.people[pid], rng)


def _alias(p: Person, rng: random.Random) -> str:
    street = rng.choice(("Mo", "Bossman", "Kaz", "Sunny", "Jay", "Ricky", "Ace", "Tiger", "Shaz"))
    return (
        street
        if rng.random() < 0.6
        else f"{p.given[-1]} {rng.choice(('Khan', 'Smith', 'Ali', 'Brown', 'Ahmed'))}"
    )


def _offend(world: World, group: PlantedGroup, start: date, end: date, rng: random.Random) -> None:
    if rng.random() < 0.5:  # the organiser holds the premises licence of the takeaway
        area = group.areas[0]
        day = world.day_between(rng, world.settings.start, start)
        licence = new_record(
            world, AREAS[area].licensing, "licence", day, area, location=group.premises
        )
        licence.add(group.organiser, "licence_holder")
    for pid in group.victims:
        _victim_story(world, group, world.people[pid], start, end, rng)
    for _ in range(rng.randint(3, 8)):
        _intel(world, group, world.day_between(rng, start, end), rng)
    for _ in range(rng.choice((0, 1, 1, 2))):
        public_sighting(world, group, world.day_between(rng, start, end), rng)


def _in_window(
    world: World, child: Person, start: date, end: date, rng: random.Random
) -> date | None:
    """A day of the group's activity when ``child`` is 11 to 17."""
    low = max(start, child.dob + timedelta(days=365 * 11 + 3))
    high = min(end, child.dob + timedelta(days=365 * 18 - 3))
    return world.day_between(rng, low, high) if low <= high else None


def _contact(group: PlantedGroup, rng: random.Random, world: World) -> str:
    """The adult a child is seen with: mostly the drivers and suspects, rarely the organiser."""
    if rng.random() < 0.08:
        return group.organiser
    drivers = [p for p in group.suspects if world.people[p].job == "driver"]
    pool = drivers * 2 + group.suspects + group.associates
    return rng.choice(pool or [group.organiser])


def _area_for(group: PlantedGroup, child: Person, day: date, rng: random.Random) -> str:
    home = child.address_on(day)
    assert home is not None
    if home.area in group.areas and rng.random() < 0.6:
        return home.area
    return rng.choice(group.areas)


def _victim_story(
    world: World, group: PlantedGroup, child: Person, start: date, end: date, rng: random.Random
) -> None:
    for _ in range(rng.randint(1, 4)):
        if (day := _in_window(world, child, start, end, rng)) is not None:
            _missing_with_adult(world, group, child, day, rng)
    if (
        day := _in_window(world, child, start, end, rng)
    ) is not None and child.pid in world.school_of:
        _school_sees_car(world, group, child, day, rng)
    if (day := _in_window(world, child, start, end, rng)) is not None:
        _referral_boyfriend(world, group, child, day, rng)
    if rng.random() < 0.45 and (day := _in_window(world, child, start, end, rng)) is not None:
        _health_signs(world, group, child, day, rng)
    if rng.random() < 0.5 and (day := _in_window(world, child, start, end, rng)) is not None:
        _crime(world, group, child, day, rng)


def _named(
    world: World,
    record: Record,
    pid: str,
    role: str,
    rng: random.Random,
    unnamed_rate: float | None = None,
    **extra: object,
) -> None:
    """An adult named in a record, or seen and not named ("unknown male in a silver car")."""
    if any(m.pid == pid for m in record.mentions):
        return
    rate = world.settings.unnamed_rate if unnamed_rate is None else unnamed_rate
    record.mentions.append(Mention(pid, role, unnamed=rng.random() < rate, **extra))  # type: ignore[arg-type]


def _missing_with_adult(
    world: World, group: PlantedGroup, child: Person, day: date, rng: random.Random
) -> None:
    area = _area_for(group, child, day, rng)
    places = world.places[area]
    flat = group.flat
    assert flat is not None
    where = rng.choice([*places.hotels[:2], (flat.line, flat.postcode), *places.takeaways[:1]])
    note = f"Reported missing overnight; found at {where[0]} with an adult. Return home interview offered."
    record = new_record(
        world, AREAS[area].police, "missing_episode", day, area, location=where, narrative=note
    )
    record.add(
        child.pid,
        "subject",
        indicators=_pick_indicators(rng, ("missing", "hotels", "taxis_cars", "substance_misuse")),
    )
    adult = world.people[_contact(group, rng, world)]
    car = group.vehicle if rng.random() < 0.5 else adult.vehicle_on(day)
    _named(world, record, adult.pid, "associate", rng, vehicle=car)
    if rng.random() < 0.3:
        _named(world, record, _contact(group, rng, world), "associate", rng)
    if (
        source := reporter(world, area, rng, ("care_staff",) if child.in_care else ("officer",))
    ) is not None:
        record.add(source, "reporter", professional=True)


def _school_sees_car(
    world: World, group: PlantedGroup, child: Person, day: date, rng: random.Random
) -> None:
    area = child.addresses[0][1].area
    record = new_record(world, AREAS[area].education, "school_concern", day, area)
    record.add(
        child.pid,
        "subject",
        indicators=_pick_indicators(
            rng, ("collected_by_unknown_adults", "taxis_cars", "school_disengagement", "gifts")
        ),
    )
    driver = world.people[_contact(group, rng, world)]
    _named(world, record, driver.pid, "associate", rng, 0.7, vehicle=driver.vehicle_on(day))
    school = world.school_of[child.pid]
    if school in world.dsl:
        record.add(world.dsl[school], "reporter", professional=True)


def _referral_boyfriend(
    world: World, group: PlantedGroup, child: Person, day: date, rng: random.Random
) -> None:
    area = _area_for(group, child, day, rng)
    record = new_record(
        world,
        AREAS[area].council,
        "referral",
        day,
        area,
        outcome=rng.choice(("cin_plan", "cp_plan", "ongoing", "early_help")),
    )
    record.add(child.pid, "subject", indicators=_pick_indicators(rng, _GROUP_INDICATORS))
    boyfriend = rng.choice(group.suspects or [group.organiser])
    phone = group.phone if rng.random() < 0.5 else None
    _named(world, record, boyfriend, "associate", rng, phone=phone)
    if (parent := parent_of(world, child, rng)) is not None:
        record.add(parent.pid, "parent_carer")
    if (source := reporter(world, area, rng, ("dsl", "officer", "nurse"))) is not None:
        record.add(source, "reporter", professional=True)


def _health_signs(
    world: World, group: PlantedGroup, child: Person, day: date, rng: random.Random
) -> None:
    area = child.addresses[0][1].area
    record = new_record(world, AREAS[area].nhs, "health_attendance", day, area)
    record.add(
        child.pid,
        "subject",
        indicators=_pick_indicators(rng, ("sti", "pregnancy", "substance_misuse", "self_harm")),
    )
    if rng.random() < 0.15:
        record.add(rng.choice(group.suspects or [group.organiser]), "associate")


def _crime(world: World, group: PlantedGroup, child: Person, day: date, rng: random.Random) -> None:
    area = _area_for(group, child, day, rng)
    flagged = rng.random() < world.settings.group_based_flag_rate
    record = new_record(
        world,
        AREAS[area].police,
        "crime_report",
        day,
        area,
        offence=rng.choice((*SEXUAL_OFFENCES, "71")),
        outcome=rng.choice(("nfa", "ongoing", "charged", "nfa")),
        group_based=flagged,
    )
    record.add(
        child.pid,
        "victim",
        indicators=_pick_indicators(rng, ("older_boyfriend", "hotels", "taxis_cars", "gifts")),
    )
    for _ in range(rng.randint(1, 3)):
        record.add(
            _contact(group, rng, world),
            "suspect",
            person_outcome=rng.choice(("arrested", "released", "nfa")),
        )


def _intel(world: World, group: PlantedGroup, day: date, rng: random.Random) -> None:
    """Intelligence ties the men together, usually around the organiser and his phone and car."""
    area = rng.choice(group.areas)
    organiser = world.people[group.organiser]
    grading = f"{rng.randint(1, 3)}{rng.choice('BCD')}{rng.choice('PC')}"
    places = world.places[area]
    where = rng.choice(places.hotels + places.takeaways[:2])
    record = new_record(
        world, AREAS[area].police, "intelligence", day, area, location=where, grading=grading
    )
    if rng.random() < 0.65:
        record.add(
            organiser.pid, "subject", phone=group.phone, vehicle=group.vehicle, address=group.flat
        )
    others = [*group.suspects, *group.associates]
    for pid in rng.sample(others, min(len(others), rng.randint(1, 3))):
        record.add(pid, "associate" if record.mentions else "subject")
    if rng.random() < 0.3 and group.organiser not in {m.pid for m in record.mentions}:
        record.add(organiser.pid, "associate", phone=group.phone)


def _pick_indicators(rng: random.Random, options: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(rng.sample(options, rng.randint(1, min(3, len(options))))))
