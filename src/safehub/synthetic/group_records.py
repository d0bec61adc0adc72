"""The records of a planted group: what agencies wrote while the children were being exploited.

Missing episodes, referrals, health and school concerns for each child; crime reports and
intelligence naming adults and children together, with the group's shared phone, car and places;
sometimes a victim later arrested (the "victim treated as offender" pattern) and a neighbour's
report that holds only a car registration.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from safehub.extracts.codes import INDICATOR_CODES as _INDICATOR_ORDER
from safehub.synthetic.geography import AREAS
from safehub.synthetic.model import Mention, Record, World
from safehub.synthetic.narratives import narrative
from safehub.synthetic.records import intel_grading

GROUP_BLAME_RATE = 0.12
_REFERRAL_INDICATORS = (
    "older_boyfriend",
    "gifts",
    "unexplained_money",
    "new_phone",
    "collected_by_unknown_adults",
    "taxis_cars",
    "hotels",
    "substance_misuse",
    "school_disengagement",
    "online_contact",
)
_HEALTH_INDICATORS = ("sti", "self_harm", "substance_misuse", "pregnancy")
# Home Office classes: rape of a girl under 16, sexual activity with a child under 16, abuse of
# children through sexual exploitation, sexual grooming.
_CSE_OFFENCES = ("19D", "22B", "71", "88A")


@dataclass(slots=True)
class GroupPlan:
    """A group being planted: its window (day ordinals), members, shared phone, car and places,
    and which adults are linked to which child."""

    index: int
    start: int
    end: int
    area: str
    organiser: int
    suspects: list[int]
    associates: list[int]
    victims: list[int]
    phone: str
    vehicle: str
    places: list[tuple[str, str]]
    links: dict[int, list[int]] = field(default_factory=dict)  # victim -> adults

    @property
    def adults(self) -> list[int]:
        return [self.organiser, *self.suspects, *self.associates]


def write_group_records(world: World, group: GroupPlan) -> None:
    """Add every record of one planted group.

    Most records are drawn at random (how often a child is found with an adult, which adults a
    crime report or an intelligence report names), so a planned link could fail to reach any
    record; ``_show_every_link`` then writes it into one. A link no record shows is a link no
    agency could know of, and the truth is what the records show.
    """
    first = len(world.records)
    _victim_records(world, group)
    _crime_reports(world, group)
    _intelligence(world, group)
    _victim_treated_as_offender(world, group)
    _community_report(world, group)
    _show_every_link(world, group, world.records[first:])


def recorded_links(group: GroupPlan, records: list[Record]) -> set[tuple[int, int]]:
    """(adult, child) pairs of the group named together in at least one of ``records``."""
    adults, victims = set(group.adults), set(group.victims)
    pairs: set[tuple[int, int]] = set()
    for record in records:
        named = {m.pid for m in record.mentions if not m.sparse}
        pairs.update((a, v) for a in named & adults for v in named & victims)
    return pairs


def _show_every_link(world: World, group: GroupPlan, records: list[Record]) -> None:
    """Write each planned adult-child link that no record shows into one record.

    First choice: one of the child's police missing episodes in which the child was found with
    no adult of the group is now the episode the child was found with that adult (the usual way
    a link shows, and the record mix stays as it is). A child with more unshown links than such
    episodes gets a graded intelligence report naming the adult with those children.
    """
    shown = recorded_links(group, records)
    adults = set(group.adults)
    free: dict[int, list[Record]] = {victim: [] for victim in group.victims}
    for record in records:
        if (
            record.record_type == "missing_episode"
            and world.agencies[record.agency].agency_type == "police"
            and record.mentions[0].pid in free
            and not any(m.pid in adults for m in record.mentions)
        ):
            free[record.mentions[0].pid].append(record)
    left: dict[int, list[int]] = {}  # adult -> children still unshown, in plan order
    for victim in group.victims:
        for adult in group.links[victim]:
            if (adult, victim) in shown:
                continue
            if free[victim]:
                episode = free[victim].pop(0)
                vehicle = world.pop.people[adult].vehicle or group.vehicle
                episode.mentions.append(Mention(adult, "associate", vehicle=vehicle))
            else:
                left.setdefault(adult, []).append(victim)
    for adult, victims in left.items():
        mentions = _adult_mentions(world.rng, group, [adult])
        mentions += [Mention(victim, "victim") for victim in victims]
        _write_intelligence(world, group, mentions)


def _day(world: World, group: GroupPlan) -> int:
    return world.rng.randint(group.start, group.end)


def _indicators(
    rng: random.Random, base: tuple[str, ...], pool: tuple[str, ...], extra: int
) -> str:
    chosen = set(base) | set(rng.sample(pool, extra))
    return ";".join(code for code in _INDICATOR_ORDER if code in chosen)


def _record(
    world: World,
    group: GroupPlan,
    agency_type: str,
    area: str,
    record_type: str,
    day: int,
    mentions: list[Mention],
    **columns: str,
) -> None:
    world.add(
        Record(
            world.agency(agency_type, area),
            record_type,
            day,
            mentions,
            area_code=AREAS[area].la_code,
            group=group.index,
            **columns,
        )
    )


def _text(world: World, record_type: str, victim: int, group: GroupPlan, place: str = "") -> str:
    person = world.pop.people[victim]
    return narrative(
        world.rng,
        record_type,
        exploitation=True,
        sex=person.sex,
        blame_rate=GROUP_BLAME_RATE,
        child=person.given,
        place=place or world.rng.choice(group.places)[0],
        vehicle=group.vehicle,
        phone=group.phone,
    )


def _victim_records(world: World, group: GroupPlan) -> None:
    for victim in group.victims:
        _missing_episodes(world, group, victim)
        _referrals(world, group, victim)
        _health_and_school(world, group, victim)


def _missing_episodes(world: World, group: GroupPlan, victim: int) -> None:
    rng = world.rng
    area = world.pop.people[victim].area
    parents = _parents(world, victim)
    for episode in range(rng.randint(2, 8)):
        day = _day(world, group)
        extra = rng.randint(0, 2)
        mentions = [
            Mention(
                victim,
                "subject",
                indicators=_indicators(
                    rng,
                    ("missing",),
                    ("taxis_cars", "hotels", "substance_misuse", "new_phone"),
                    extra,
                ),
            )
        ]
        if parents:
            mentions.append(Mention(rng.choice(parents), "parent_carer"))
        place, postcode = rng.choice(group.places) if rng.random() < 0.6 else ("", "")
        # The child is found with one of the adults linked to them; at least once with the
        # organiser, who is linked to most of the group's children.
        found_with_organiser = episode == 0 and group.organiser in group.links[victim]
        if found_with_organiser or rng.random() < 0.45:
            adult = group.organiser if found_with_organiser else rng.choice(group.links[victim])
            vehicle = world.pop.people[adult].vehicle or group.vehicle
            mentions.append(Mention(adult, "associate", vehicle=vehicle))
        _record(
            world,
            group,
            "police",
            area,
            "missing_episode",
            day,
            mentions,
            location_name=place,
            location_postcode=postcode,
            narrative=_text(world, "missing_episode", victim, group, place),
        )
        if rng.random() < 0.6:
            _record(
                world,
                group,
                "social_care",
                area,
                "missing_episode",
                min(world.end_day, day + rng.randint(1, 3)),
                [Mention(victim, "subject", indicators=mentions[0].indicators)],
                narrative="Return home interview: would not say where she had been."
                if world.pop.people[victim].sex == "F"
                else "Return home interview: would not say where he had been.",
            )


def _parents(world: World, pid: int) -> list[int]:
    household = world.pop.people[pid].household
    return list(world.pop.households[household].parents) if household >= 0 else []


def _referrals(world: World, group: GroupPlan, victim: int) -> None:
    rng = world.rng
    person = world.pop.people[victim]
    for _ in range(rng.randint(1, 2)):
        day = _day(world, group)
        indicators = _indicators(rng, (), _REFERRAL_INDICATORS, rng.randint(2, 4))
        mentions = [Mention(victim, "subject", indicators=indicators)]
        mentions += [Mention(p, "parent_carer") for p in _parents(world, victim)]
        reporter = (
            world.pop.school_leads[person.school % len(world.pop.school_leads)]
            if person.school >= 0 and rng.random() < 0.5
            else rng.choice(world.pop.officers[person.area])
        )
        mentions.append(Mention(reporter, "reporter"))
        _record(
            world,
            group,
            "social_care",
            person.area,
            "referral",
            day,
            mentions,
            outcome="ongoing",
            narrative=_text(world, "referral", victim, group),
        )
        if rng.random() < 0.8:
            outcome = rng.choices(
                ("cp_plan", "cin_plan", "looked_after", "closed"), (35, 30, 15, 20)
            )[0]
            _record(
                world,
                group,
                "social_care",
                person.area,
                "assessment",
                min(world.end_day, day + rng.randint(5, 45)),
                [
                    Mention(m.pid, m.role, indicators=m.indicators)
                    for m in mentions
                    if m.role != "reporter"
                ],
                outcome=outcome,
                narrative=_text(world, "assessment", victim, group),
            )


def _health_and_school(world: World, group: GroupPlan, victim: int) -> None:
    rng = world.rng
    person = world.pop.people[victim]
    if world.has_agency("health", person.area):
        for _ in range(rng.randint(0, 2)):
            indicators = _indicators(rng, (), _HEALTH_INDICATORS, rng.randint(1, 2))
            _record(
                world,
                group,
                "health",
                person.area,
                "health_attendance",
                _day(world, group),
                [Mention(victim, "subject", indicators=indicators)],
                narrative=_text(world, "health_attendance", victim, group),
            )
    if person.school >= 0 and world.has_agency("education", person.area):
        lead = world.pop.school_leads[person.school % len(world.pop.school_leads)]
        for _ in range(rng.randint(0, 2)):
            indicators = _indicators(
                rng, ("school_disengagement",), ("older_boyfriend", "gifts", "new_phone"), 1
            )
            _record(
                world,
                group,
                "education",
                person.area,
                "school_concern",
                _day(world, group),
                [Mention(victim, "subject", indicators=indicators), Mention(lead, "reporter")],
                narrative=_text(world, "school_concern", victim, group),
            )


def _crime_reports(world: World, group: GroupPlan) -> None:
    """Crime reports naming adults and children together; the first always has two adults."""
    rng = world.rng
    first_victim = next(v for v in group.victims if group.organiser in group.links[v])
    for report in range(rng.randint(1, 3)):
        if report == 0:
            victims = [first_victim]
            second = group.suspects[0] if group.suspects else group.adults[1]
            adults = [group.organiser, second]
        else:
            victims = rng.sample(group.victims, rng.randint(1, min(3, len(group.victims))))
            adults = list(dict.fromkeys(a for v in victims for a in group.links[v]))[:3]
        outcome = rng.choices(("nfa", "ongoing", "charged", "summonsed"), (55, 20, 20, 5))[0]
        mentions = [Mention(v, "victim") for v in victims]
        mentions += [Mention(a, "suspect", outcome=_person_outcome(rng, outcome)) for a in adults]
        place = rng.choice(group.places)[0]
        _record(
            world,
            group,
            "police",
            group.area,
            "crime_report",
            _day(world, group),
            mentions,
            location_name=place,
            outcome=outcome,
            offence_code=rng.choice(_CSE_OFFENCES),
            group_based="Y" if rng.random() < 0.5 else "",
            narrative=_text(world, "crime_report", victims[0], group, place),
        )


def _person_outcome(rng: random.Random, outcome: str) -> str:
    if outcome in ("charged", "summonsed"):
        return outcome
    return rng.choice(("arrested", "released", "nfa", ""))


def _intelligence(world: World, group: GroupPlan) -> None:
    """Intelligence naming adults, their shared phone and car, and sometimes the children."""
    rng = world.rng
    for _ in range(rng.randint(2, 5)):
        adults = rng.sample(group.adults, rng.randint(1, min(3, len(group.adults))))
        mentions = _adult_mentions(rng, group, adults)
        for victim in rng.sample(group.victims, rng.randint(0, 2)):
            mentions.append(Mention(victim, "victim"))
        _write_intelligence(world, group, mentions)


def _adult_mentions(rng: random.Random, group: GroupPlan, adults: list[int]) -> list[Mention]:
    """Adults named in intelligence: the organiser with the shared phone and car, others
    sometimes with the phone."""
    mentions = []
    for adult in adults:
        role = "associate" if adult in group.associates else "suspect"
        shared = group.phone if adult == group.organiser or rng.random() < 0.3 else ""
        mentions.append(
            Mention(
                adult,
                role,
                phone=shared,
                vehicle=group.vehicle if adult == group.organiser else "",
            )
        )
    return mentions


def _write_intelligence(world: World, group: GroupPlan, mentions: list[Mention]) -> None:
    rng = world.rng
    place, postcode = rng.choice(group.places)
    _record(
        world,
        group,
        "police",
        group.area,
        "intelligence",
        _day(world, group),
        mentions,
        location_name=place,
        location_postcode=postcode,
        intel_grading=intel_grading(world),
        group_based="Y" if rng.random() < 0.3 else "",
        narrative=_text(world, "intelligence", group.victims[0], group, place),
    )


def _victim_treated_as_offender(world: World, group: GroupPlan) -> None:
    """A victim later arrested for something that happened while being exploited."""
    rng = world.rng
    if rng.random() >= 0.45:
        return
    victim = rng.choice(group.victims)
    place = rng.choice(group.places)[0]
    offence, text = rng.choice(
        (
            ("58A", f"Criminal damage to a room at {place}; the child was arrested at the scene."),
            ("105A", f"Assault on a member of staff at {place}; child arrested."),
            ("46", "Shoplifting alcohol; child arrested and taken into custody."),
        )
    )
    _record(
        world,
        group,
        "police",
        world.pop.people[victim].area,
        "crime_report",
        rng.randint((group.start + group.end) // 2, group.end),
        [
            Mention(
                victim,
                "suspect",
                outcome=rng.choice(("arrested", "arrested", "cautioned", "charged")),
            )
        ],
        location_name=place,
        outcome=rng.choice(("nfa", "cautioned", "charged")),
        offence_code=offence,
        narrative=text,
    )


def _community_report(world: World, group: GroupPlan) -> None:
    """A neighbour reports the car; the only thing the record holds of the driver is its
    registration, which is what links this report to the group."""
    rng = world.rng
    if rng.random() >= 0.5:
        return
    place, postcode = group.places[0]
    reporter = world.builder.new_public(group.area)
    _record(
        world,
        group,
        "police",
        group.area,
        "community_report",
        _day(world, group),
        [
            Mention(reporter, "reporter"),
            Mention(group.organiser, "subject", vehicle=group.vehicle, sparse=True),
        ],
        location_name=place,
        location_postcode=postcode,
        narrative=f"Neighbour reports girls who look about 14 being dropped at {place} late "
        f"at night by a car {group.vehicle}.",
    )
