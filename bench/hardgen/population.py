"""Households and the people in them: families with twins, close siblings and juniors.

Ages are set against the end of the window, so that children are the right age for the records
the window holds (a 15-year-old at the end was 9 at the start).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from bench.hardgen import names
from bench.hardgen.names_data import COMMUNITIES, FEMALE_LOOKALIKES, LOOKALIKE_PAIRS
from bench.hardgen.people import Address, HardPair, Household, Person
from bench.hardgen.places import AREAS, AreaPlaces
from bench.hardgen.world import World

_CHILD_COUNTS = (1, 2, 3, 4)
_CHILD_WEIGHTS = (0.35, 0.38, 0.18, 0.09)
_TAKES_HUSBANDS_NAME = {"white_british": 0.8, "pakistani": 0.35, "bangladeshi": 0.3}


def build_households(world: World, area: str, rng: random.Random) -> None:
    """The households of one area, with their people."""
    places = world.places[area]
    mix = AREAS[area].communities
    keys, weights = [k for k, _ in mix], [w for _, w in mix]
    for _ in range(world.settings.households_per_area):
        community = rng.choices(keys, weights)[0]
        make_household(world, places, community, rng)


def new_household(world: World, area: str, large: bool = False) -> Household:
    household = Household(f"H{len(world.households) + 1:06d}", area, large=large)
    world.households[household.hid] = household
    return household


def home_address(rng: random.Random, places: AreaPlaces) -> Address:
    street = rng.choice(places.streets)
    number = rng.randint(1, street.houses)
    line = f"{number} {street.name}"
    if rng.random() < 0.12:
        line = f"Flat {rng.randint(1, 8)}, {line}"
    return Address(line, street.postcode, places.area.key)


def make_household(world: World, places: AreaPlaces, community: str, rng: random.Random) -> None:
    s = world.settings
    large = rng.random() < s.large_family_rate
    household = new_household(world, places.area.key, large)
    address = home_address(rng, places)
    if rng.random() < 0.3:
        household.landline = world.pool.landline(places.area.landline)
    shape = rng.random()
    if large or shape < 0.42:
        _family(world, household, address, community, rng, couple=True)
    elif shape < 0.64:
        _family(world, household, address, community, rng, couple=False)
    elif shape < 0.88:
        sex = "M" if rng.random() < 0.6 else "F"
        adult(world, household, address, community, sex, rng, age=(18, 75))
    else:
        man = adult(world, household, address, community, "M", rng, age=(22, 80))
        partner(world, household, address, community, man, rng)


def adult(
    world: World,
    household: Household,
    address: Address,
    community: str,
    sex: str,
    rng: random.Random,
    age: tuple[int, int],
    family: str | None = None,
) -> Person:
    given = [names.given_name(rng, community, sex, child=False)]
    c = COMMUNITIES[community]
    if sex == "M" and rng.random() < c.devotional_first_name:
        given.insert(0, "Mohammed")
    elif rng.random() < 0.3:
        given.append(names.given_name(rng, community, sex, child=False))
    family = family or names.surname(rng, community)
    return person(world, household, address, community, sex, given, family, _born(world, rng, age))


def partner(
    world: World,
    household: Household,
    address: Address,
    community: str,
    man: Person,
    rng: random.Random,
) -> Person:
    age = man.age_on(world.settings.end)
    woman = adult(world, household, address, community, "F", rng, (max(18, age - 8), age + 2))
    c = COMMUNITIES[community]
    if c.female_surnames and rng.random() < 0.4:
        woman.family = rng.choice(c.female_surnames)
    married = names.feminine(community, man.family)
    if rng.random() < _TAKES_HUSBANDS_NAME.get(community, 0.6) and woman.family != married:
        wedding = man.dob + timedelta(days=365 * rng.randint(20, 30))
        woman.families.append((min(wedding, world.settings.end), married))
        woman.aliases.append(f"{woman.given[0]} {woman.family}")
    return woman


def person(
    world: World,
    household: Household,
    address: Address,
    community: str,
    sex: str,
    given: list[str],
    family: str,
    dob: date,
) -> Person:
    rng = world.rng(f"codes:{len(world.people)}")
    c = COMMUNITIES[community]
    born_here = dob.year > 1995 or rng.random() < 0.6
    nationality = "GB" if born_here else rng.choice(c.nationality)
    p = Person(
        world.new_pid(),
        sex,
        given,
        names.feminine(community, family) if sex == "F" else family,
        dob,
        community,
        household.hid,
        rng.choice(c.ethnicity),
        nationality,
    )
    p.addresses.append((date(1900, 1, 1), address))
    p.areas.add(address.area)
    return world.add_person(p)


def _born(world: World, rng: random.Random, age: tuple[int, int]) -> date:
    end = world.settings.end
    years = rng.randint(*age)
    return end - timedelta(days=365 * years + rng.randint(0, 364))


def _family(
    world: World,
    household: Household,
    address: Address,
    community: str,
    rng: random.Random,
    couple: bool,
) -> None:
    if couple:
        father = adult(world, household, address, community, "M", rng, age=(26, 58))
        mother = partner(world, household, address, community, father, rng)
        family = father.family
        if community == "white_british" and rng.random() < 0.06:
            family = f"{mother.family}-{father.family}"  # a double-barrelled name for the children
    else:
        father = None
        mother = adult(world, household, address, community, "F", rng, age=(22, 50))
        family = mother.family if rng.random() < 0.5 else names.surname(rng, community)
    count = rng.randint(7, 11) if household.large else rng.choices(_CHILD_COUNTS, _CHILD_WEIGHTS)[0]
    _children(world, household, address, community, mother, father, family, count, rng)


def _children(
    world: World,
    household: Household,
    address: Address,
    community: str,
    mother: Person,
    father: Person | None,
    family: str,
    count: int,
    rng: random.Random,
) -> None:
    s = world.settings
    birth = mother.dob + timedelta(days=365 * rng.randint(18, 28) + rng.randint(0, 364))
    previous: Person | None = None
    made: list[Person] = []
    while len(made) < count and birth <= s.end:
        if birth >= s.end - timedelta(days=365 * 25):
            if rng.random() < s.twin_rate:
                made.extend(_twins(world, household, address, community, family, birth, rng))
            else:
                child = _child(world, household, address, community, family, birth, rng, made)
                if previous is not None and (birth - previous.dob).days < 430:
                    world.pairs.append(HardPair(previous.pid, child.pid, "siblings_1y"))
                made.append(child)
            previous = made[-1] if made else None
        gap = (
            rng.randint(300, 430) if rng.random() < s.close_sibling_rate else rng.randint(480, 1800)
        )
        birth += timedelta(days=gap)
    for child in made:
        child.mother = mother.pid
        child.father = father.pid if father else None
    if father is not None:
        _maybe_junior(world, father, made, rng)


def _child(
    world: World,
    household: Household,
    address: Address,
    community: str,
    family: str,
    birth: date,
    rng: random.Random,
    siblings: list[Person],
    given: str | None = None,
    sex: str | None = None,
) -> Person:
    sex = sex or rng.choice("FM")
    taken = {s.given[-1] for s in siblings} | {s.given[0] for s in siblings}
    first = given
    for _ in range(40):  # a large family in a small naming pool may repeat a name at last
        if first is not None and first not in taken:
            break
        first = names.given_name(rng, community, sex, child=True)
    assert first is not None
    parts = [first]
    if rng.random() < 0.4:
        parts.append(names.given_name(rng, community, sex, child=True))
    if sex == "M" and rng.random() < COMMUNITIES[community].devotional_first_name / 2:
        parts.insert(0, "Muhammad")
    return person(world, household, address, community, sex, parts, family, birth)


def _twins(
    world: World,
    household: Household,
    address: Address,
    community: str,
    family: str,
    birth: date,
    rng: random.Random,
) -> list[Person]:
    if rng.random() < world.settings.similar_twin_names:
        pair = rng.choice(LOOKALIKE_PAIRS)
        sexes = ["F" if n in FEMALE_LOOKALIKES else "M" for n in pair]
        one = _child(
            world, household, address, community, family, birth, rng, [], pair[0], sexes[0]
        )
        two = _child(
            world, household, address, community, family, birth, rng, [one], pair[1], sexes[1]
        )
    else:
        one = _child(world, household, address, community, family, birth, rng, [])
        two = _child(world, household, address, community, family, birth, rng, [one])
    one.twin_of, two.twin_of = two.pid, one.pid
    world.pairs.append(HardPair(one.pid, two.pid, "twins"))
    return [one, two]


def _maybe_junior(world: World, father: Person, children: list[Person], rng: random.Random) -> None:
    sons = [c for c in children if c.sex == "M"]
    if not sons or rng.random() >= world.settings.junior_rate:
        return
    son = sons[0]
    son.given = list(father.given) if rng.random() < 0.5 else [father.given[-1]]
    son.junior_of = father.pid
    world.pairs.append(HardPair(father.pid, son.pid, "father_son"))
