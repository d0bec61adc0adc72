"""Innocent dense structure that a network engine must not flag (the ``busy`` setting).

A large family seen together in every referral, with a father and an uncle once charged with
neglect; children who go missing together and get into trouble together; a takeaway, a park and a
hotel used as emergency housing that appear in hundreds of unrelated records; foster carers who
are parent or carer to many children over the years; a shop owner who witnesses every incident.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from bench.hardgen.activity import (
    CHILD_OFFENCES,
    Census,
    area_on,
    childhood_day,
    new_record,
    reporter,
)
from bench.hardgen.people import Person
from bench.hardgen.places import AREAS
from bench.hardgen.public import busy_place_reports
from bench.hardgen.world import World


def busy_records(world: World, who: Census, rng: random.Random) -> None:
    s = world.settings
    if s.busy <= 0:
        return
    for household in world.households.values():
        if household.large:
            _large_family(world, household.members, who, rng)
    for area in s.areas:
        teens = who.teens.get(area, [])
        for _ in range(int(len(teens) * 0.03 * s.busy)):
            _peer_group(world, area, teens, rng)
        _busy_places(world, area, who, rng)
        busy_place_reports(world, area, who, rng, int(20 * s.busy))
        _foster_carers(world, area, who, rng)


def _large_family(world: World, members: list[str], who: Census, rng: random.Random) -> None:
    s = world.settings
    people = [world.people[x] for x in members]
    middle = s.start + (s.end - s.start) / 2
    adults = [p for p in people if p.age_on(middle) >= 18]
    children = [p for p in people if p not in adults]
    if not children or not adults:
        return
    area = area_on(children[0], s.end)
    for _ in range(rng.randint(2, int(3 + 3 * s.busy))):
        day = world.any_day(rng)
        record = new_record(
            world,
            AREAS[area].council,
            "referral",
            day,
            area,
            outcome=rng.choice(("cin_plan", "cp_plan", "early_help")),
        )
        for member in (*children, *adults):
            if (role := family_role(member, day)) is not None:
                abuse = role == "subject" and rng.random() < 0.1
                record.add(member.pid, role, indicators=("prior_abuse",) if abuse else ())
        if (source := reporter(world, area, rng, ("dsl", "nurse", "officer"))) is not None:
            record.add(source, "reporter", professional=True)
    if rng.random() < 0.5 * s.busy and (men := who.men.get(area)):
        _neglect(world, area, adults, children, rng.choice(men).pid, rng)


def family_role(p: Person, day: date) -> str | None:
    """A family member in a referral on ``day``: a child is its subject, an adult a parent or
    carer, someone not yet born is not there."""
    if p.dob > day:
        return None
    return "subject" if p.is_child_on(day) else "parent_carer"


def _neglect(
    world: World,
    area: str,
    adults: list[Person],
    children: list[Person],
    uncle: str,
    rng: random.Random,
) -> None:
    """The father and an uncle named as suspects of neglect with all the children as victims."""
    day = world.any_day(rng)
    record = new_record(
        world,
        AREAS[area].police,
        "crime_report",
        day,
        area,
        offence="11A",
        outcome=rng.choice(("nfa", "charged", "cautioned")),
    )
    for adult in [a for a in adults if a.age_on(day) >= 18][:2]:
        record.add(adult.pid, "suspect", person_outcome=rng.choice(("arrested", "released", "nfa")))
    record.add(uncle, "suspect", person_outcome="nfa")
    for child in children:
        if child.is_child_on(day) and child.dob < day:
            record.add(child.pid, "victim")


def _peer_group(world: World, area: str, teens: list[Person], rng: random.Random) -> None:
    """Four to six friends: missing together, in trouble together, in each other's concerns."""
    anchor = rng.choice(teens)
    # Friends are within a school year or two of each other (and 10 or over when in trouble).
    peers = [t for t in teens if abs((t.dob - anchor.dob).days) < 550 and t is not anchor]
    friends = [anchor, *rng.sample(peers, min(len(peers), rng.randint(3, 5)))]
    places = world.places[area]
    for _ in range(rng.randint(1, 3)):
        day = childhood_day(world, friends[0], rng, low=12)
        if day is None:
            return
        record = new_record(
            world,
            AREAS[area].police,
            "missing_episode",
            day,
            area,
            location=rng.choice(places.parks[:2] + places.takeaways[:1]),
        )
        for friend in friends:
            if friend.is_child_on(day):
                record.add(
                    friend.pid,
                    "subject",
                    indicators=("missing", "peer_exploitation")
                    if rng.random() < 0.2
                    else ("missing",),
                )
    day = childhood_day(world, friends[0], rng, low=12)
    if day is not None:
        victim = rng.choice(teens)
        record = new_record(
            world,
            AREAS[area].police,
            "crime_report",
            day,
            area,
            offence=rng.choice(CHILD_OFFENCES),
            outcome=rng.choice(("nfa", "ongoing", "cautioned")),
        )
        record.add(victim.pid, "victim")
        for friend in friends[:3]:
            record.add(
                friend.pid, "suspect", person_outcome=rng.choice(("arrested", "released", "nfa"))
            )
        for friend in friends[3:]:
            record.add(friend.pid, "witness")


def _busy_places(world: World, area: str, who: Census, rng: random.Random) -> None:
    """The busiest takeaway and park are named in many unrelated records; the shop owner is a
    witness in most of them; a hotel houses homeless families."""
    s = world.settings
    places = world.places[area]
    if not who.adults.get(area) or not who.teens.get(area):
        return
    owner = who.anyone(rng, area, s.start)
    takeaway = places.takeaways[0]
    licence = new_record(
        world,
        AREAS[area].licensing,
        "licence",
        s.start + timedelta(days=40),
        area,
        location=takeaway,
    )
    licence.add(owner.pid, "licence_holder")
    for _ in range(int(60 * s.busy)):
        _incident_at(world, area, who, owner.pid, rng.choice((takeaway, places.parks[0])), rng)
    families = [h for h in world.households.values() if h.area == area and len(h.members) >= 3]
    for household in rng.sample(families, min(len(families), int(15 * s.busy))):
        _housed_in_hotel(world, area, household.members, places.hotels[0], rng)


def _incident_at(
    world: World, area: str, who: Census, owner: str, place: tuple[str, str], rng: random.Random
) -> None:
    """A scuffle, a theft or damage at a busy place; a teenager is sometimes there too."""
    day = world.any_day(rng)
    offence = rng.choice(("105A", "46", "58A", "49"))
    record = new_record(
        world,
        AREAS[area].police,
        "crime_report",
        day,
        area,
        location=place,
        offence=offence,
        outcome="nfa",
    )
    record.add(who.anyone(rng, area, day).pid, rng.choice(("suspect", "victim")))
    child = rng.choice(who.teens[area])
    if rng.random() < 0.4 and child.is_child_on(day):
        record.add(child.pid, rng.choice(("witness", "victim", "suspect")))
    record.add(owner, "witness")


def _housed_in_hotel(
    world: World, area: str, members: list[str], hotel: tuple[str, str], rng: random.Random
) -> None:
    """A homeless family placed in a hotel: the same hotel groups use, for innocent reasons."""
    day = world.any_day(rng)
    record = new_record(
        world, AREAS[area].council, "referral", day, area, location=hotel, outcome="early_help"
    )
    for pid in members:
        if (role := family_role(world.people[pid], day)) is not None:
            record.add(pid, role, indicators=("homeless",) if role == "subject" else ())


def _foster_carers(world: World, area: str, who: Census, rng: random.Random) -> None:
    """A foster carer is parent or carer to many children over the years, all of them known."""
    carers = world.staff.get(area, {}).get("carer", [])
    teens = who.teens.get(area, [])
    for carer in carers:
        for child in rng.sample(teens, min(len(teens), rng.randint(3, 8))):
            day = childhood_day(world, child, rng, low=11)
            if day is None:
                continue
            kind = rng.choice(("referral", "health_attendance"))
            agency = AREAS[area].council if kind == "referral" else AREAS[area].nhs
            record = new_record(
                world, agency, kind, day, area, outcome="looked_after" if kind == "referral" else ""
            )
            record.add(child.pid, "subject", indicators=("in_care",) if kind == "referral" else ())
            record.add(carer, "parent_carer")
