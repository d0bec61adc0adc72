"""Community reports: what members of the public tell the partnership's reporting form.

A caller rarely knows names: "girls of school age getting into a silver car outside the
takeaway", a registration, sometimes a first name. Most reports about busy places are about
nothing more than a busy place (taxis waiting outside a takeaway at closing time).
"""

from __future__ import annotations

import random
from datetime import date

from bench.hardgen.activity import Census, new_record
from bench.hardgen.places import AREAS
from bench.hardgen.world import Mention, PlantedGroup, World

_GROUP_NOTES = (
    "Caller saw girls of school age getting into a car outside {place} late at night.",
    "Neighbour reports young people coming and going at {place} at all hours.",
    "Anonymous report of men giving lifts to teenagers near {place}.",
)
_BUSY_NOTES = (
    "Caller reports cars parked outside {place} with engines running.",
    "Report of young people gathering at {place} in the evening.",
    "Complaint about noise and litter at {place}.",
)


def public_sighting(world: World, group: PlantedGroup, day: date, rng: random.Random) -> None:
    """A caller reports the group's car at the flat or a takeaway; nobody is named."""
    area = rng.choice(group.areas)
    flat = group.flat
    assert flat is not None
    place = rng.choice([(flat.line, flat.postcode), world.places[area].takeaways[0]])
    note = rng.choice(_GROUP_NOTES).format(place=place[0])
    record = new_record(
        world, AREAS[area].community, "community_report", day, area, location=place, narrative=note
    )
    driver = rng.choice(group.suspects or [group.organiser])
    record.mentions.append(Mention(driver, "associate", unnamed=True, vehicle=group.vehicle))


def busy_place_reports(
    world: World, area: str, who: Census, rng: random.Random, count: int
) -> None:
    """Reports about the busiest takeaway and park: cars outside are taxis and customers."""
    drivers = world.staff.get(area, {}).get("driver", [])
    places = world.places[area]
    if not drivers or not who.adults.get(area):
        return
    for _ in range(count):
        day = world.any_day(rng)
        place = rng.choice((places.takeaways[0], places.parks[0]))
        note = rng.choice(_BUSY_NOTES).format(place=place[0])
        record = new_record(
            world,
            AREAS[area].community,
            "community_report",
            day,
            area,
            location=place,
            narrative=note,
        )
        driver = world.people[rng.choice(drivers)]
        record.mentions.append(
            Mention(driver.pid, "associate", unnamed=True, vehicle=driver.vehicle_on(day))
        )
        if rng.random() < 0.5:
            record.add(who.anyone(rng, area, day).pid, "reporter")
