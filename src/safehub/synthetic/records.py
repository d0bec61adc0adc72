"""Ordinary safeguarding work: the innocent records that make up most of every extract.

Dense innocent structure is deliberate: large families appear together in referrals, each
school's safeguarding lead reports hundreds of children, and a few busy places (a takeaway, a
park, the bus station) are named in many unrelated records. Network analysis must not mistake any
of these hubs for an exploitation group.
"""

from __future__ import annotations

from datetime import date

from safehub.synthetic.geography import AREAS
from safehub.synthetic.model import Mention, Record, World
from safehub.synthetic.narratives import narrative

INNOCENT_BLAME_RATE = 0.01
_ASSESSMENT_OUTCOMES = ("closed", "early_help", "cin_plan", "cp_plan", "looked_after")
_ASSESSMENT_WEIGHTS = (40, 25, 20, 10, 5)
_CRIME_OUTCOMES = ("nfa", "ongoing", "charged", "cautioned", "summonsed")
_CRIME_WEIGHTS = (50, 15, 15, 12, 8)
# Home Office classes: assault with injury, assault without injury, theft from the person,
# robbery of personal property, harassment.
_CHILD_VICTIM_OFFENCES = ("8N", "105A", "39", "34B", "8L")


def generate_innocent(world: World) -> None:
    """Add the ordinary records of every household, child, adult and driver."""
    for household in world.pop.households:
        _family_referrals(world, household.hid)
        _domestic_incident(world, household.hid)
    for pid in world.pop.children:
        before = len(world.records)
        _health(world, pid)
        _school(world, pid)
        _missing(world, pid)
        _child_crime(world, pid)
        if len(world.records) == before:
            _health(world, pid, at_least_one=True)
    for pid in world.pop.adults:
        _intelligence(world, pid)
    for pid in world.pop.drivers:
        licence_records(world, pid)
    for _ in range(max(1, len(world.pop.children) // 250)):
        _community_report(world)


def _area_code(world: World, pid: int) -> str:
    return AREAS[world.pop.people[pid].area].la_code


def _born_by(world: World, pid: int, day: int) -> bool:
    return world.pop.people[pid].dob.toordinal() <= day


def _parent(world: World, pid: int) -> int | None:
    household = world.pop.people[pid].household
    if household < 0:
        return None
    parents = world.pop.households[household].parents
    return world.rng.choice(parents) if parents else None


def busy_place(world: World, area_key: str) -> tuple[str, str]:
    """A place named in many unrelated records: the first takeaway and park weigh most."""
    rng = world.rng
    area = AREAS[area_key]
    roll = rng.random()
    if roll < 0.3:
        name = area.takeaways[0]
    elif roll < 0.5:
        name = area.parks[0]
    elif roll < 0.8:
        name = rng.choice(area.busy_places + area.parks)
    else:
        name = rng.choice(area.takeaways)
    district = rng.choice(area.districts)[0]
    return name, world.ids.postcode(district) if rng.random() < 0.4 else ""


def _health(world: World, pid: int, at_least_one: bool = False) -> None:
    rng = world.rng
    person = world.pop.people[pid]
    if not world.has_agency("health", person.area):
        if at_least_one:
            _return_home_or_referral(world, pid)
        return
    count = 1 if at_least_one else rng.choices((0, 1, 2, 3, 4), (35, 40, 15, 7, 3))[0]
    for _ in range(count):
        day = world.day_for(pid)
        if day is None:
            return
        mentions = [Mention(pid, "subject")]
        parent = _parent(world, pid)
        if parent is not None and rng.random() < 0.8:
            mentions.append(Mention(parent, "parent_carer"))
        world.add(
            Record(
                world.agency("health", person.area),
                "health_attendance",
                day,
                mentions,
                area_code=_area_code(world, pid),
                narrative=narrative(
                    rng, "health_attendance", exploitation=False, sex=person.sex, blame_rate=0.0
                ),
            )
        )


def _return_home_or_referral(world: World, pid: int) -> None:
    """Children outside the primary area are known to social care only."""
    day = world.day_for(pid)
    if day is None:
        return
    person = world.pop.people[pid]
    mentions = [Mention(pid, "subject")]
    parent = _parent(world, pid)
    if parent is not None:
        mentions.append(Mention(parent, "parent_carer"))
    world.add(
        Record(
            world.agency("social_care", person.area),
            "referral",
            day,
            mentions,
            area_code=_area_code(world, pid),
            outcome="closed",
            narrative=narrative(
                world.rng, "referral", exploitation=False, sex=person.sex, blame_rate=0.0
            ),
        )
    )


def _school(world: World, pid: int) -> None:
    rng = world.rng
    person = world.pop.people[pid]
    if person.school < 0 or not world.has_agency("education", person.area):
        return
    if rng.random() >= 0.35:
        return
    lead = world.pop.school_leads[person.school % len(world.pop.school_leads)]
    for _ in range(1 + min(4, int(rng.expovariate(1.5)))):
        day = world.day_for(pid, min_age=5)
        if day is None:
            return
        mentions = [Mention(pid, "subject"), Mention(lead, "reporter")]
        parent = _parent(world, pid)
        if parent is not None and rng.random() < 0.3:
            mentions.append(Mention(parent, "parent_carer"))
        if rng.random() < 0.08 and person.age_on(world.pop.end) >= 12:
            mentions[0].indicators = "school_disengagement"
        world.add(
            Record(
                world.agency("education", person.area),
                "school_concern",
                day,
                mentions,
                area_code=_area_code(world, pid),
                narrative=narrative(
                    rng,
                    "school_concern",
                    exploitation=False,
                    sex=person.sex,
                    blame_rate=INNOCENT_BLAME_RATE,
                    child=person.given,
                ),
            )
        )


def _family_referrals(world: World, hid: int) -> None:
    """Referrals about a whole family: every child and parent appears together, again and again."""
    rng = world.rng
    household = world.pop.households[hid]
    if rng.random() >= 0.35:
        return
    agency = world.agency("social_care", household.area)
    for _ in range(1 + rng.choices((0, 1, 2, 3), (60, 25, 10, 5))[0]):
        day = rng.randint(world.start_day, world.end_day - 1)
        kids = [k for k in household.children if world.pop.people[k].dob.toordinal() <= day]
        if not kids:
            continue
        mentions = [Mention(k, "subject") for k in kids]
        mentions += [Mention(p, "parent_carer") for p in household.parents]
        reporter, source = _reporter(world, household.area, kids)
        if reporter is not None:
            mentions.append(Mention(reporter, "reporter"))
        assessed = rng.random() < 0.55
        world.add(
            Record(
                agency,
                "referral",
                day,
                mentions,
                area_code=_area_code(world, kids[0]),
                outcome="ongoing" if assessed else rng.choice(("closed", "early_help")),
                narrative=narrative(
                    rng, "referral", exploitation=False, sex="X", blame_rate=0.0, source=source
                ),
            )
        )
        if assessed:
            later = min(world.end_day, day + rng.randint(5, 60))
            outcome = rng.choices(_ASSESSMENT_OUTCOMES, _ASSESSMENT_WEIGHTS)[0]
            world.add(
                Record(
                    agency,
                    "assessment",
                    later,
                    [Mention(m.pid, m.role) for m in mentions if m.role != "reporter"],
                    area_code=_area_code(world, kids[0]),
                    outcome=outcome,
                    narrative=narrative(
                        rng, "assessment", exploitation=False, sex="X", blame_rate=0.0
                    ),
                )
            )


def _reporter(world: World, area: str, kids: list[int]) -> tuple[int | None, str]:
    """Who made a referral: mostly professionals, sometimes the public, sometimes anonymous."""
    rng = world.rng
    roll = rng.random()
    schooled = [k for k in kids if world.pop.people[k].school >= 0]
    if roll < 0.35 and schooled:
        school = world.pop.people[schooled[0]].school
        return world.pop.school_leads[school % len(world.pop.school_leads)], "school"
    if roll < 0.55:
        return rng.choice(world.pop.health_staff), "health visitor"
    if roll < 0.8:
        return rng.choice(world.pop.officers[area]), "police"
    if roll < 0.9:
        return world.builder.new_public(area), "neighbour"
    return None, "anonymous caller"


def _domestic_incident(world: World, hid: int) -> None:
    rng = world.rng
    household = world.pop.households[hid]
    if rng.random() >= 0.12 or len(household.parents) < 2:
        return
    day = rng.randint(world.start_day, world.end_day)
    victim, suspect = household.parents[0], household.parents[1]
    outcome = rng.choices(_CRIME_OUTCOMES, _CRIME_WEIGHTS)[0]
    mentions = [
        Mention(victim, "victim"),
        Mention(suspect, "suspect", outcome=_suspect_outcome(world, outcome)),
    ]
    mentions += [
        Mention(k, "witness")
        for k in household.children
        if world.pop.people[k].dob.toordinal() <= day
    ]
    world.add(
        Record(
            world.agency("police", household.area),
            "crime_report",
            day,
            mentions,
            area_code=_area_code(world, victim),
            outcome=outcome,
            offence_code=rng.choice(("8N", "105A", "8L")),
            narrative="Domestic incident at the home address; children present.",
        )
    )


def _suspect_outcome(world: World, outcome: str) -> str:
    if outcome in ("charged", "cautioned", "summonsed"):
        return outcome
    return world.rng.choice(("arrested", "released", "nfa", ""))


def _missing(world: World, pid: int) -> None:
    rng = world.rng
    if rng.random() >= 0.07:
        return
    person = world.pop.people[pid]
    for _ in range(1 + min(7, int(rng.expovariate(0.8)))):
        day = world.day_for(pid, min_age=10)
        if day is None:
            return
        place, postcode = busy_place(world, person.area) if rng.random() < 0.4 else ("", "")
        mentions = [Mention(pid, "subject", indicators="missing")]
        parent = _parent(world, pid)
        if parent is not None:
            mentions.append(Mention(parent, "parent_carer"))
        text = narrative(
            rng,
            "missing_episode",
            exploitation=False,
            sex=person.sex,
            blame_rate=INNOCENT_BLAME_RATE,
            place=place,
        )
        world.add(
            Record(
                world.agency("police", person.area),
                "missing_episode",
                day,
                mentions,
                area_code=_area_code(world, pid),
                location_name=place,
                location_postcode=postcode,
                narrative=text,
            )
        )
        if rng.random() < 0.6:
            world.add(
                Record(
                    world.agency("social_care", person.area),
                    "missing_episode",
                    min(world.end_day, day + rng.randint(1, 4)),
                    [Mention(pid, "subject", indicators="missing")],
                    area_code=_area_code(world, pid),
                    outcome="closed",
                    narrative="Return home interview completed.",
                )
            )


def _child_crime(world: World, pid: int) -> None:
    rng = world.rng
    roll = rng.random()
    if roll < 0.08:
        _child_victim(world, pid)
    elif roll < 0.12:
        _child_suspect(world, pid)


def _child_victim(world: World, pid: int) -> None:
    rng = world.rng
    day = world.day_for(pid, min_age=6)
    if day is None:
        return
    person = world.pop.people[pid]
    suspect = rng.choice(world.pop.children)
    # Most suspects are adults; a child suspect must be old enough to be one (10, in England).
    if rng.random() < 0.7 or world.pop.people[suspect].age_on(date.fromordinal(day)) < 10:
        suspect = rng.choice(world.pop.single_adults)
    outcome = rng.choices(_CRIME_OUTCOMES, _CRIME_WEIGHTS)[0]
    mentions = [
        Mention(pid, "victim"),
        Mention(suspect, "suspect", outcome=_suspect_outcome(world, outcome)),
    ]
    if suspect == pid:
        mentions.pop()
    if rng.random() < 0.2:
        witness = rng.choice(world.pop.children)
        if witness not in (pid, suspect) and _born_by(world, witness, day):
            mentions.append(Mention(witness, "witness"))
    place, postcode = busy_place(world, person.area) if rng.random() < 0.5 else ("", "")
    world.add(
        Record(
            world.agency("police", person.area),
            "crime_report",
            day,
            mentions,
            area_code=_area_code(world, pid),
            location_name=place,
            location_postcode=postcode,
            outcome=outcome,
            offence_code=rng.choice(_CHILD_VICTIM_OFFENCES),
            narrative=narrative(
                rng, "crime_report", exploitation=False, sex=person.sex, blame_rate=0.0, place=place
            ),
        )
    )


def _child_suspect(world: World, pid: int) -> None:
    rng = world.rng
    day = world.day_for(pid, min_age=10)
    if day is None:
        return
    person = world.pop.people[pid]
    outcome = rng.choice(("nfa", "cautioned", "ongoing"))
    place, postcode = busy_place(world, person.area)
    world.add(
        Record(
            world.agency("police", person.area),
            "crime_report",
            day,
            [Mention(pid, "suspect", outcome=_suspect_outcome(world, outcome))],
            area_code=_area_code(world, pid),
            location_name=place,
            location_postcode=postcode,
            outcome=outcome,
            offence_code="46",
            narrative=f"Shoplifting at {place}; items recovered.",
        )
    )


def _intelligence(world: World, pid: int) -> None:
    rng = world.rng
    person = world.pop.people[pid]
    if rng.random() >= (0.12 if person.household < 0 else 0.02):
        return
    for _ in range(rng.choice((1, 1, 2))):
        day = rng.randint(world.start_day, world.end_day)
        mentions = [Mention(pid, "subject")]
        for other in rng.sample(world.pop.single_adults, rng.choice((0, 0, 1, 2))):
            if other != pid:
                mentions.append(Mention(other, "associate"))
        place, postcode = busy_place(world, person.area) if rng.random() < 0.5 else ("", "")
        world.add(
            Record(
                world.agency("police", person.area),
                "intelligence",
                day,
                mentions,
                area_code=_area_code(world, pid),
                location_name=place,
                location_postcode=postcode,
                intel_grading=intel_grading(world),
                narrative=narrative(
                    rng, "intelligence", exploitation=False, sex="X", blame_rate=0.0, place=place
                ),
            )
        )


def intel_grading(world: World) -> str:
    """A 3x5x2 grading: source 1-3, intelligence A-E, handling P or C (e.g. ``2BP``)."""
    rng = world.rng
    return (
        f"{rng.choices('123', (25, 60, 15))[0]}{rng.choices('ABCDE', (10, 35, 35, 10, 10))[0]}"
        f"{'P' if rng.random() < 0.9 else 'C'}"
    )


def licence_records(world: World, pid: int) -> None:
    """A driver's grant and renewals with the council that licensed them."""
    rng = world.rng
    person = world.pop.people[pid]
    licensing_area = person.licence.split("/")[0]
    area = next((key for key in AREAS if key[:3].upper() == licensing_area), person.area)
    agency = world.agency("licensing", area)
    day = rng.randint(world.start_day, world.start_day + 400)
    while day <= world.end_day:
        world.add(
            Record(
                agency,
                "licence",
                day,
                [Mention(pid, "licence_holder")],
                area_code=AREAS[area].la_code,
                narrative=narrative(
                    rng, "licence", exploitation=False, sex=person.sex, blame_rate=0.0
                ),
            )
        )
        day += rng.randint(330, 1100)


def _community_report(world: World) -> None:
    rng = world.rng
    area = world.primary if rng.random() < 0.8 else world.partner
    day = rng.randint(world.start_day, world.end_day)
    place, postcode = busy_place(world, area)
    mentions = [Mention(world.builder.new_public(area), "reporter")]
    child = rng.choice(world.pop.children)
    if rng.random() < 0.4 and _born_by(world, child, day):
        mentions.append(Mention(child, "subject"))
    agency_type = "police" if rng.random() < 0.6 else "social_care"
    world.add(
        Record(
            world.agency(agency_type, area),
            "community_report",
            day,
            mentions,
            area_code=AREAS[area].la_code,
            location_name=place,
            location_postcode=postcode,
            narrative=narrative(
                rng, "community_report", exploitation=False, sex="X", blame_rate=0.0, place=place
            ),
        )
    )
