"""People on network pages by name, age and role, as far as the user may see them.

The network analysis is the partnership's, computed from every agency's records; a name shown on a
network page must pass the same checks as the person page: the user sees the person at all, and the
name and date of birth come only from records whose content is open to the user. A person the user
may not see keeps their number and says so, so that the analyst knows whom to ask about.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from safehub.db.queries import people as pq
from safehub.db.uow import UnitOfWork
from safehub.services.sharing.agreements import load_access

ADULT_AGE = 18

# What a role in a record or a group means, in the words the pages use.
ROLE_WORDS = {
    "victim": "child victim",
    "suspect": "suspect",
    "subject": "subject",
    "witness": "witness",
    "reporter": "reporter",
    "parent_carer": "parent or carer",
    "licence_holder": "licence holder",
    "associate": "associate",
    "adult": "adult of concern",
    "child": "child",
}


@dataclass(frozen=True, slots=True)
class PersonLabel:
    """How a network page names one person.

    >>> PersonLabel(7, "Olivia Smith", 14).text
    'Olivia Smith (14)'
    >>> PersonLabel(7, None, None).text
    'Person 7 (not open to you)'
    >>> PersonLabel(7, "Sam Dale", None).group, PersonLabel(7, "Sam Dale", 40).group
    ('unknown', 'adult')
    """

    person_id: int
    name: str | None  # None: the user may not see this person
    age: int | None

    @property
    def visible(self) -> bool:
        return self.name is not None

    @property
    def text(self) -> str:
        if self.name is None:
            return f"Person {self.person_id} (not open to you)"
        return f"{self.name} ({self.age})" if self.age is not None else self.name

    @property
    def group(self) -> str:
        """child, adult, or unknown (no date of birth the user may read)."""
        if self.age is None:
            return "unknown"
        return "child" if self.age < ADULT_AGE else "adult"


def role_words(role: str) -> str:
    """A role code in words (``parent_carer`` is "parent or carer").

    >>> role_words("parent_carer"), role_words("licence_holder")
    ('parent or carer', 'licence holder')
    """
    return ROLE_WORDS.get(role, role.replace("_", " "))


def age_on(date_of_birth: str, today: date) -> int | None:
    """Age in whole years from a full or partial date of birth (a year alone gives the age the
    person turns this year; nothing usable gives None).

    >>> age_on("2011-07-03", date(2024, 7, 2)), age_on("2011-07-03", date(2024, 7, 3))
    (12, 13)
    >>> age_on("2011", date(2024, 1, 1)), age_on("", date(2024, 1, 1))
    (13, None)
    """
    parts = date_of_birth.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2]) if len(parts) > 2 else 1
    except ValueError:
        return None
    if len(parts) == 1:
        return today.year - year
    return today.year - year - ((today.month, today.day) < (month, day))


def label_people(
    uow: UnitOfWork, person_ids: list[int], *, today: date | None = None
) -> dict[int, PersonLabel]:
    """Each person's label: the name and date of birth most often given in records open to the
    user; the number alone for a person the user may not see. Not audited here: the page that
    shows the labels records the consultation of the people it lists."""
    wanted = sorted(set(person_ids))
    if not wanted:
        return {}
    access = load_access(uow, person_ids=wanted)
    names: dict[int, Counter[str]] = defaultdict(Counter)
    dobs: dict[int, Counter[str]] = defaultdict(Counter)
    for fact in pq.mention_facts(uow.session, wanted):
        readable = access.reads(
            agency_id=fact.agency_id,
            record_type=fact.record_type,
            person_id=fact.person_id,
            restricted=fact.restricted,
        )
        if readable and fact.name:
            names[fact.person_id][fact.name] += 1
            if fact.date_of_birth:
                dobs[fact.person_id][fact.date_of_birth] += 1
    on = today or date.today()
    labels = {}
    for p in wanted:
        name = _commonest(names[p]) if access.sees_person(p) else None
        dob = _commonest(dobs[p]) if name else None
        labels[p] = PersonLabel(p, name, age_on(dob, on) if dob else None)
    return labels


def _commonest(counts: Counter[str]) -> str | None:
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None


def describe_node(node: str) -> str:
    """A node key in words: places and addresses by name and postcode, identifiers by kind.

    >>> describe_node("place:city park|BD53UG")
    'City Park (BD5 3UG)'
    >>> describe_node("address:12 mill lane|")
    '12 Mill Lane'
    >>> describe_node("vehicle:YX19ABC"), describe_node("record:POL-WY/CR-1")
    ('Vehicle YX19ABC', 'Record POL-WY/CR-1')
    """
    kind, _, value = node.partition(":")
    if kind in ("place", "address"):
        name, _, postcode = value.partition("|")
        words = name.title() if name else "Postcode"
        return f"{words} ({_postcode(postcode)})" if postcode else words
    named = _KIND_WORDS.get(kind, kind.capitalize())
    return f"{named} {value}" if value else node


_KIND_WORDS = {"handle": "Online handle", "nhs_number": "NHS number"}


def _postcode(code: str) -> str:
    """A normalised postcode with its space back (``BD53UG`` is ``BD5 3UG``)."""
    return f"{code[:-3]} {code[-3:]}" if len(code) > 3 else code
