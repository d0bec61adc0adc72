"""What happens to people over the window: identifiers, moves, new phones, new names, care,
jobs, schools, and the people who share a name with someone nearby or elsewhere."""

from __future__ import annotations

import random
from datetime import date, timedelta

from bench.hardgen import names
from bench.hardgen.idgen import ascii_fold
from bench.hardgen.people import Address, HardPair, Person
from bench.hardgen.places import AREAS
from bench.hardgen.population import adult, home_address, new_household, person
from bench.hardgen.world import World

EVER = date(1900, 1, 1)
# A licensing authority that licenses drivers who work elsewhere (Rossendale's pattern).
OUTSIDE_LICENSING = ("LIC-ROSSENDALE", "E07000125")
_JOBS_PER_HOUSEHOLDS = {"social_worker": 150, "officer": 150, "nurse": 300, "carer": 250}


def equip(world: World, rng: random.Random) -> None:
    """Identifiers people hold: NHS number, mobile, email, car, online handles, a known-as."""
    end = world.settings.end
    for p in world.people.values():
        age = p.age_on(end)
        if rng.random() < (0.97 if p.nationality == "GB" else 0.8):
            p.nhs = world.pool.nhs()
        if age >= 11 and rng.random() < (0.9 if age >= 18 else 0.75):
            since = max(EVER, _birthday(p, 11))
            p.phones.append((since, world.pool.mobile()))
        if age >= 18 and rng.random() < 0.55:
            p.email = world.pool.email(p.given[-1], p.family)
        if 12 <= age < 35 and rng.random() < 0.5:
            p.handles.append(world.pool.handle(p.given[-1]))
        if age >= 19 and rng.random() < (0.55 if p.sex == "M" else 0.35):
            p.vehicles.append((EVER, world.pool.vehicle()))
        p.goes_by = _known_as(p, rng)


def _birthday(p: Person, years: int) -> date:
    return date(p.dob.year + years, p.dob.month, min(p.dob.day, 28))


def _known_as(p: Person, rng: random.Random) -> str | None:
    if names.is_devotional(p.given[0]) and len(p.given) > 1 and rng.random() < 0.8:
        return p.given[1]
    short = names.nicknames(p.given[0])
    if short and rng.random() < 0.3:
        return rng.choice(short)
    return None


def change_over_time(world: World, rng: random.Random) -> None:
    """Households move, people change phones and names, children come into care."""
    s = world.settings
    for household in world.households.values():
        if rng.random() < s.mover_rate and household.members:
            _move(world, household.members, rng)
    adults = [p for p in world.people.values() if p.age_on(s.start) >= 18]
    for p in world.people.values():
        if p.phones and rng.random() < s.phone_change_rate:
            _new_phone(world, p, rng, adults)
        # Marriage renames women; a step-parent or a mother's new name renames children.
        renamed = p.sex == "F" or p.age_on(s.start) < 16
        if renamed and rng.random() < s.surname_change_rate and p.age_on(s.start) >= 2:
            new = names.feminine(p.community, names.surname(rng, p.community))
            p.families.append((world.any_day(rng), new))
            p.aliases.append(f"{p.given[0]} {p.family}")
        if p.vehicles and rng.random() < 0.3:
            p.vehicles.append((_after(world, rng, p.vehicles[-1][0]), world.pool.vehicle()))
        if 10 <= p.age_on(s.end) <= 19 and rng.random() < s.in_care_rate:
            take_into_care(world, p, rng)


def _after(world: World, rng: random.Random, since: date) -> date:
    return world.day_between(rng, max(world.settings.start, since), world.settings.end)


def _new_phone(world: World, p: Person, rng: random.Random, adults: list[Person]) -> None:
    """A new number; networks recycle some old ones to a stranger about a year later."""
    day = _after(world, rng, p.phones[-1][0])
    old = p.phones[-1][1]
    p.phones.append((day, world.pool.mobile()))
    reissued = day + timedelta(days=rng.randint(300, 600))
    if rng.random() < 0.15 and reissued < world.settings.end and adults:
        stranger = rng.choice(adults)
        stranger.phones = sorted([*stranger.phones, (reissued, old)])


def _move(world: World, members: list[str], rng: random.Random) -> None:
    s = world.settings
    area = (
        rng.choice(s.areas) if rng.random() < 0.2 else world.people[members[0]].addresses[0][1].area
    )
    day = world.any_day(rng)
    address = home_address(rng, world.places[area])
    for pid in members:
        world.people[pid].moved(day, address)


def take_into_care(world: World, p: Person, rng: random.Random, day: date | None = None) -> None:
    """From ``day`` the child lives in a children's home: an address many children share."""
    area = p.addresses[-1][1].area
    home, code = rng.choice(world.places[area].care_homes)
    start = max(world.settings.start, _birthday(p, 10))
    day = day or world.day_between(rng, start, world.settings.end - timedelta(days=200))
    p.moved(day, Address(home, code, area))
    p.in_care = day


def same_names(world: World, rng: random.Random) -> None:
    """People who share a name: a neighbour a few doors away, someone in another place."""
    s = world.settings
    originals = list(world.people.values())
    for p in originals:
        if p.job or p.twin_of:
            continue
        if p.age_on(s.end) >= 18 and rng.random() < s.same_name_neighbour_rate:
            _clone(world, p, rng, nearby=True)
        elif rng.random() < s.same_name_elsewhere_rate:
            _clone(world, p, rng, nearby=False)


def _clone(world: World, p: Person, rng: random.Random, nearby: bool) -> None:
    s = world.settings
    home = p.addresses[0][1]
    area = home.area if nearby or len(s.areas) == 1 else rng.choice(s.areas)
    household = new_household(world, area)
    address = home_address(rng, world.places[area])
    if nearby:  # the same street: "12 Oak Street" or "Flat 3, 12 Oak Street" → "57 Oak Street"
        street = home.line.split(", ")[-1].split(" ", 1)[-1]
        address.line, address.postcode = f"{rng.randint(1, 140)} {street}", home.postcode
    same_day = not nearby and rng.random() < s.same_name_same_dob_share
    shift = rng.choice((-1, 1)) * rng.randint(400, 365 * (15 if nearby else 4))
    dob = p.dob if same_day else p.dob + timedelta(days=shift)
    dob = min(dob, s.end - timedelta(days=200))
    given = [p.given[0]] + (
        [] if rng.random() < 0.5 else [names.given_name(rng, p.community, p.sex, False)]
    )
    namesake = person(world, household, address, p.community, p.sex, given, p.family_on(s.end), dob)
    if namesake.is_child_on(s.end):
        adult(world, household, address, p.community, "F", rng, (25, 50), family=namesake.family)
    kind = (
        "same_name_neighbours"
        if nearby
        else "same_name_same_dob"
        if same_day
        else "same_name_different_area"
    )
    world.pairs.append(HardPair(p.pid, namesake.pid, kind))


def assign_jobs(world: World, area: str, rng: random.Random) -> None:
    """Professionals who name children in their work: safeguarding leads, social workers,
    officers, nurses, foster carers, care staff, a youth worker, and taxi drivers."""
    s = world.settings
    adults = [
        p
        for p in world.people.values()
        if p.addresses[0][1].area == area and 23 <= p.age_on(s.end) <= 62 and p.job is None
    ]
    rng.shuffle(adults)
    staff: dict[str, list[str]] = {}
    for school in world.places[area].schools:
        world.dsl[school] = _hire(
            world, adults, "dsl", staff, rng, "".join(school.lower().split()[:2]) + ".sch.uk"
        )
    domain = f"{area}.gov.uk"
    for job, per in _JOBS_PER_HOUSEHOLDS.items():
        for _ in range(max(3, int(s.households_per_area * (1 + s.busy) / per))):
            _hire(world, adults, job, staff, rng, domain if job != "nurse" else "nhs.net")
    for _ in range(2 * len(world.places[area].care_homes)):
        _hire(world, adults, "care_staff", staff, rng, domain)
    _hire(world, adults, "youth_worker", staff, rng, f"youth{area}.org.uk")
    men = [p for p in adults if p.sex == "M" and p.job is None]
    for _ in range(int(len(men) * 0.03 * (1 + s.busy))):
        driver(world, men.pop(), area, rng, staff)
    world.staff[area] = staff


def _hire(
    world: World,
    adults: list[Person],
    job: str,
    staff: dict[str, list[str]],
    rng: random.Random,
    domain: str,
) -> str:
    p = next(a for a in adults if a.job is None)
    p.job = job
    p.work_phone = world.pool.landline(AREAS[p.addresses[0][1].area].landline)
    first, family = ascii_fold(p.given[-1]), ascii_fold(p.family).replace(" ", "")
    p.work_email = f"{first}.{family}@{domain}".lower()
    staff.setdefault(job, []).append(p.pid)
    return p.pid


def driver(
    world: World, p: Person, area: str, rng: random.Random, staff: dict[str, list[str]]
) -> None:
    """A licensed private-hire driver; some hold their licence from another authority."""
    p.job = "driver"
    authority = AREAS[area].licensing
    if rng.random() < 0.15:
        others = [AREAS[a].licensing for a in world.settings.areas if a != area]
        authority = rng.choice([*others, OUTSIDE_LICENSING[0]])
    p.licences[authority] = world.pool.licence(authority, rng.randint(2012, 2024))
    if not p.vehicles or rng.random() < 0.5:
        p.vehicles.insert(0, (EVER, world.pool.vehicle()))
    if not p.phones:
        p.phones.append((EVER, world.pool.mobile()))
    drivers = staff.setdefault("driver", [])
    if drivers and rng.random() < 0.2:
        # Drivers of one firm share its cars: a registration is not a person.
        p.vehicles[0] = world.people[rng.choice(drivers)].vehicles[0]
    drivers.append(p.pid)


def assign_schools(world: World, area: str, rng: random.Random) -> None:
    schools = world.places[area].schools
    middle = world.settings.start + (world.settings.end - world.settings.start) / 2
    for p in world.people.values():
        if p.addresses[0][1].area == area and 4 <= p.age_on(middle) <= 17:
            world.school_of[p.pid] = rng.choice(schools)
