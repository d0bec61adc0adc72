"""The ordinary business of agencies: the records that are not exploitation.

Most records name one child and a parent, or an adult in an everyday crime; many name a
professional in their work. This is the haystack the planted groups hide in, and some of it is
hard on purpose: two adults who rob a teenager, a father and an uncle charged with neglect.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from bench.hardgen.agencies import HABITS, kind_of
from bench.hardgen.people import Person
from bench.hardgen.places import AREAS
from bench.hardgen.world import Record, World

# Home Office offence classification codes (a selection), for crime reports.
ADULT_OFFENCES = ("105A", "8N", "46", "49", "58A", "92D", "28E", "8L", "34B", "195")
CHILD_OFFENCES = ("105A", "8N", "34B", "49", "195", "8L")
SEXUAL_OFFENCES = ("20B", "19D", "22B", "17B", "88A")
_SUSPECT_OUTCOMES = ("arrested", "released", "nfa", "charged", "cautioned", "summonsed")
_REFERRAL_OUTCOMES = ("early_help", "cin_plan", "cp_plan", "closed", "nfa", "looked_after")
_CRIME_OUTCOMES = ("ongoing", "nfa", "charged", "cautioned", "nfa", "summonsed", "convicted")


@dataclass(slots=True)
class Census:
    """Who lives where mid-window, by kind, for choosing the people of a record.

    Offending is concentrated (a few adults are in many crime reports), so adults are drawn with
    a heavy-tailed weight each: the same men come back, under the same or a duplicate police ref.
    """

    adults: dict[str, list[Person]] = field(default_factory=dict)
    men: dict[str, list[Person]] = field(default_factory=dict)
    teens: dict[str, list[Person]] = field(default_factory=dict)
    weight: dict[str, float] = field(default_factory=dict)
    _cumulative: dict[tuple[str, str], list[float]] = field(default_factory=dict)

    def draw(self, rng: random.Random, kind: str, area: str, day: date) -> Person:
        """An adult (``kind`` "adults") or a man ("men") of ``area``, 18 or over on ``day``,
        repeat offenders favoured."""
        pool = self.adults[area] if kind == "adults" else self.men[area]
        key = (kind, area)
        if key not in self._cumulative:
            self._cumulative[key] = list(accumulate(self.weight[p.pid] for p in pool))
        return _adult_of(lambda: rng.choices(pool, cum_weights=self._cumulative[key])[0], day)

    def anyone(self, rng: random.Random, area: str, day: date) -> Person:
        """Any adult of ``area`` who is 18 or over on ``day`` (a victim, a witness)."""
        return _adult_of(lambda: rng.choice(self.adults[area]), day)


def _adult_of(draw: Callable[[], Person], day: date) -> Person:
    """Ages are counted mid-window, so someone 18 then may be 15 on the day: draw again."""
    chosen = draw()
    for _ in range(20):
        if chosen.age_on(day) >= 18:
            break
        chosen = draw()
    return chosen


def census(world: World) -> Census:
    s = world.settings
    rng = world.rng("census")
    middle = s.start + (s.end - s.start) / 2
    c = Census()
    for p in world.people.values():
        address = p.address_on(middle)
        if address is None or p.job in ("dsl", "social_worker", "officer", "nurse"):
            continue
        age = p.age_on(middle)
        c.weight[p.pid] = min(20.0, rng.paretovariate(1.4))
        if age >= 18:
            c.adults.setdefault(address.area, []).append(p)
            if p.sex == "M" and age < 60:
                c.men.setdefault(address.area, []).append(p)
        elif age >= 11:
            c.teens.setdefault(address.area, []).append(p)
    return c


def new_record(
    world: World, agency: str, record_type: str, day: date, area: str, **kw: object
) -> Record:
    record = Record(agency, HABITS[kind_of(agency)].agency_type, record_type, day, area, **kw)  # type: ignore[arg-type]
    world.records.append(record)
    return record


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: small means only, which is all we need."""
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def area_on(p: Person, day: date) -> str:
    address = p.address_on(day)
    assert address is not None
    return address.area


def childhood_day(world: World, p: Person, rng: random.Random, low: int = 0) -> date | None:
    """A day in the window when ``p`` was aged ``low`` to 17, or None."""
    s = world.settings
    start = max(s.start, p.dob + timedelta(days=365 * low + 1))
    end = min(s.end, p.dob + timedelta(days=365 * 18 - 2))
    return world.day_between(rng, start, end) if start <= end else None


def adult_day(world: World, p: Person, rng: random.Random) -> date | None:
    s = world.settings
    start = max(s.start, p.dob + timedelta(days=365 * 18 + 5))
    return world.day_between(rng, start, s.end) if start <= s.end else None


def parent_of(world: World, child: Person, rng: random.Random) -> Person | None:
    options = [world.people[x] for x in (child.mother, child.mother, child.father) if x]
    return rng.choice(options) if options and rng.random() < 0.85 else None


def reporter(world: World, area: str, rng: random.Random, jobs: tuple[str, ...]) -> str | None:
    staff = world.staff.get(area, {})
    pool = [pid for job in jobs for pid in staff.get(job, [])]
    return rng.choice(pool) if pool else None


def children_records(world: World, rng: random.Random) -> None:
    """Health attendances, school concerns, referrals and assessments of children.

    A child known to one safeguarding agency is usually known to the others too (the referral
    came from the school, the school nurse saw them, the police found them missing), so the
    records of a known child are drawn together; other children leave a one-off trace or none.
    """
    s = world.settings
    known_rate = 0.1 * s.activity_scale * (1 + s.busy)
    for p in list(world.people.values()):
        if p.job or childhood_day(world, p, rng) is None:
            continue
        if p.in_care is not None or rng.random() < known_rate:
            _known_child(world, p, rng)
        else:
            if rng.random() < 0.3 * s.activity_scale:
                _health(world, p, rng)
            if p.pid in world.school_of and rng.random() < 0.04 * s.activity_scale:
                _school_concern(world, p, rng)


def _known_child(world: World, p: Person, rng: random.Random) -> None:
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        _referral(world, p, rng)
    if p.pid in world.school_of and rng.random() < 0.7:
        for _ in range(rng.randint(1, 3)):
            _school_concern(world, p, rng)
    for _ in range(poisson(rng, 0.9)):
        _health(world, p, rng)
    if p.in_care is not None:
        for _ in range(poisson(rng, 2.5)):
            _missing(world, p, rng, after=p.in_care)
    elif rng.random() < 0.15:
        _missing(world, p, rng)


def _health(world: World, p: Person, rng: random.Random) -> None:
    day = childhood_day(world, p, rng)
    if day is None:
        return
    indicators: tuple[str, ...] = ()
    if p.age_on(day) >= 13 and rng.random() < 0.05:
        indicators = (rng.choice(("self_harm", "substance_misuse", "self_harm")),)
    record = new_record(
        world, AREAS[area_on(p, day)].nhs, "health_attendance", day, area_on(p, day)
    )
    record.add(p.pid, "subject", indicators=indicators)
    if (parent := parent_of(world, p, rng)) is not None:
        record.add(parent.pid, "parent_carer")


def _school_concern(world: World, p: Person, rng: random.Random) -> None:
    day = childhood_day(world, p, rng, low=5)
    if day is None or day.year < world.settings.start.year:
        return
    school = world.school_of[p.pid]
    area = area_on(p, day)
    record = new_record(world, AREAS[area].education, "school_concern", day, area)
    indicators = rng.sample(
        ("school_disengagement", "self_harm", "online_contact", "bereavement"), rng.randint(0, 1)
    )
    record.add(p.pid, "subject", indicators=tuple(indicators))
    if rng.random() < 0.85 and school in world.dsl:
        record.add(world.dsl[school], "reporter", professional=True)
    if rng.random() < 0.5 and (parent := parent_of(world, p, rng)) is not None:
        record.add(parent.pid, "parent_carer")


def _referral(
    world: World, p: Person, rng: random.Random, day: date | None = None
) -> Record | None:
    day = day or childhood_day(world, p, rng)
    if day is None:
        return None
    area = area_on(p, day)
    outcome = rng.choice(_REFERRAL_OUTCOMES)
    record = new_record(world, AREAS[area].council, "referral", day, area, outcome=outcome)
    record.add(p.pid, "subject")
    for sibling in _siblings(world, p, day):
        if rng.random() < 0.35:
            record.add(sibling.pid, "subject")
    for parent in (p.mother, p.father):
        if parent and rng.random() < 0.8:
            record.add(parent, "parent_carer")
    source = reporter(world, area, rng, ("dsl", "officer", "nurse", "social_worker"))
    if source:
        record.add(source, "reporter", professional=True)
    if rng.random() < 0.35:
        later = min(day + timedelta(days=rng.randint(10, 45)), world.settings.end)
        assessment = new_record(
            world,
            AREAS[area].council,
            "assessment",
            later,
            area,
            outcome=rng.choice(_REFERRAL_OUTCOMES),
        )
        for m in record.mentions:
            if m.role != "reporter":
                assessment.add(m.pid, m.role)
    return record


def _siblings(world: World, p: Person, day: date) -> list[Person]:
    household = world.households[p.household]
    return [
        world.people[x]
        for x in household.members
        if x != p.pid and world.people[x].mother == p.mother and world.people[x].is_child_on(day)
    ]


def _missing(
    world: World, p: Person, rng: random.Random, after: date | None = None
) -> Record | None:
    day = childhood_day(world, p, rng, low=10)
    if day is None:
        return None
    if after is not None:
        day = max(day, after)
    area = area_on(p, day)
    places = world.places[area]
    location = (
        rng.choice(places.parks + places.takeaways + places.others) if rng.random() < 0.5 else None
    )
    record = new_record(world, AREAS[area].police, "missing_episode", day, area, location=location)
    record.add(p.pid, "subject", indicators=("missing", "in_care") if p.in_care else ("missing",))
    jobs = ("care_staff",) if p.in_care and day >= p.in_care else ()
    source = (
        reporter(world, area, rng, jobs) if jobs else (p.mother if rng.random() < 0.7 else None)
    )
    if source:
        record.add(source, "reporter", professional=bool(jobs))
    return record


def adult_records(world: World, who: Census, rng: random.Random) -> None:
    """Everyday crime, domestic incidents, intelligence and adults' health attendances."""
    s = world.settings
    for area in s.areas:
        adults, men = who.adults.get(area, []), who.men.get(area, [])
        if not adults or not men:
            continue
        incidents = int(s.households_per_area * 0.3 * s.activity_scale * (1 + s.busy))
        for _ in range(incidents):
            _adult_crime(world, area, who, rng)
        for _ in range(int(incidents * 0.15)):
            _child_victim(world, area, who, rng)
    for p in world.people.values():
        if p.is_adult_on(s.end) and p.job is None:
            for _ in range(poisson(rng, 0.25 * s.activity_scale)):
                if (day := adult_day(world, p, rng)) is not None:
                    area = area_on(p, day)
                    new_record(world, AREAS[area].nhs, "health_attendance", day, area).add(
                        p.pid, "subject"
                    )
    for household in world.households.values():
        if rng.random() < 0.05 * s.activity_scale:
            _domestic(world, household.members, rng)


def _outcome_for(rng: random.Random) -> str:
    return rng.choice(_SUSPECT_OUTCOMES)


def _adult_crime(world: World, area: str, who: Census, rng: random.Random) -> None:
    s = world.settings
    day = world.any_day(rng)
    places = world.places[area]
    location = (
        rng.choice(places.takeaways + places.others + places.parks) if rng.random() < 0.3 else None
    )
    record = new_record(
        world,
        AREAS[area].police,
        "crime_report",
        day,
        area,
        offence=rng.choice(ADULT_OFFENCES),
        outcome=rng.choice(_CRIME_OUTCOMES),
        location=location,
    )
    suspect = who.draw(rng, "men" if rng.random() < 0.8 else "adults", area, day)
    record.add(suspect.pid, "suspect", person_outcome=_outcome_for(rng))
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        suspect_too = rng.random() < s.suspect_share * 0.5
        # Co-offenders share the offenders' propensity; victims and witnesses are anyone.
        other = who.draw(rng, "adults", area, day) if suspect_too else who.anyone(rng, area, day)
        role = "suspect" if suspect_too else rng.choice(("victim", "witness", "witness"))
        record.add(other.pid, role, person_outcome=_outcome_for(rng) if role == "suspect" else "")
    if rng.random() < 0.1:
        _intelligence(
            world, area, [m.pid for m in record.mentions if m.role == "suspect"], who, rng, day
        )


def _intelligence(
    world: World, area: str, subjects: list[str], who: Census, rng: random.Random, day: date
) -> None:
    later = min(day + timedelta(days=rng.randint(5, 200)), world.settings.end)
    grading = f"{rng.randint(1, 3)}{rng.choice('ABCDE')}{rng.choice('PC')}"
    record = new_record(world, AREAS[area].police, "intelligence", later, area, grading=grading)
    record.add(subjects[0], "subject")
    for pid in subjects[1:]:
        record.add(pid, "associate")
    if rng.random() < 0.5:
        record.add(who.draw(rng, "men", area, later).pid, "associate")


def _child_victim(world: World, area: str, who: Census, rng: random.Random) -> None:
    """A teenager harmed in an everyday crime: sometimes by two adults (not exploitation)."""
    teens = who.teens.get(area, [])
    if not teens:
        return
    child = rng.choice(teens)
    day = childhood_day(world, child, rng, low=11)
    if day is None:
        return
    sexual = rng.random() < 0.08
    offence = rng.choice(SEXUAL_OFFENCES if sexual else CHILD_OFFENCES)
    record = new_record(
        world,
        AREAS[area].police,
        "crime_report",
        day,
        area,
        offence=offence,
        outcome=rng.choice(_CRIME_OUTCOMES),
    )
    record.add(child.pid, "victim")
    suspects = 1 if sexual or rng.random() < 0.9 else 2
    for _ in range(suspects):
        record.add(who.draw(rng, "men", area, day).pid, "suspect", person_outcome=_outcome_for(rng))
    if rng.random() < 0.4:
        record.add(rng.choice(teens).pid, "witness")
    if (parent := parent_of(world, child, rng)) is not None and rng.random() < 0.5:
        record.add(parent.pid, "reporter")


def _domestic(world: World, members: list[str], rng: random.Random) -> None:
    people = [world.people[x] for x in members]
    day = world.any_day(rng)
    adults = [p for p in people if p.is_adult_on(day)]
    if len(adults) < 2:
        return
    suspect, victim = (adults[0], adults[1]) if rng.random() < 0.8 else (adults[1], adults[0])
    area = area_on(suspect, day)
    record = new_record(
        world,
        AREAS[area].police,
        "crime_report",
        day,
        area,
        offence=rng.choice(("8N", "105A", "8L")),
        outcome=rng.choice(_CRIME_OUTCOMES),
    )
    record.add(suspect.pid, "suspect", person_outcome=_outcome_for(rng))
    record.add(victim.pid, "victim")
    for child in people:
        if child.is_child_on(day) and child.age_on(day) >= 3 and rng.random() < 0.6:
            record.add(child.pid, "witness")


def licensing_records(world: World, rng: random.Random) -> None:
    """Drivers renew their licences every one to three years; the record holds everything."""
    s = world.settings
    for p in world.people.values():
        for authority, _number in sorted(p.licences.items()):
            first = max(s.start, p.dob + timedelta(days=365 * 21 + 6))  # drivers are 21 or over
            day = world.day_between(rng, first, first + timedelta(days=700))
            while day <= s.end:
                area = _authority_area(world, authority, p, day)
                new_record(world, authority, "licence", day, area).add(p.pid, "licence_holder")
                day += timedelta(days=365 * rng.randint(1, 3))


def _authority_area(world: World, authority: str, p: Person, day: date) -> str:
    for key in world.settings.areas:
        if AREAS[key].licensing == authority:
            return key
    return "outside"


def voluntary_records(world: World, rng: random.Random) -> None:
    """A youth project that writes down first names and roles, and little else."""
    s = world.settings
    if not s.sparse_agencies:
        return
    for area in s.areas:
        youth = world.staff.get(area, {}).get("youth_worker", [])
        teens = [
            p
            for p in world.people.values()
            if p.addresses[0][1].area == area and 11 <= p.age_on(s.end) <= 19
        ]
        for _ in range(int(len(teens) * 0.3 * s.sparse_agencies)):
            child = rng.choice(teens)
            day = childhood_day(world, child, rng, low=11)
            if day is None:
                continue
            record = new_record(world, AREAS[area].voluntary, "referral", day, area)
            record.add(child.pid, "subject")
            if youth:
                record.add(rng.choice(youth), "reporter", professional=True)
            if (parent := parent_of(world, child, rng)) is not None and rng.random() < 0.3:
                record.add(parent.pid, "parent_carer")
