"""Who is a child victim and who is an adult of concern, from dates of birth at record dates.

The rules lean towards protection: a victim whose age is unknown is treated as a child, and a
suspect or associate whose age is unknown counts as an adult of concern (docs/contracts.md). A date of
birth known only to the year or month is read both ways: the youngest possible age decides whether
a victim was a child, the oldest possible age whether a suspect was an adult.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from safehub.extracts.codes import CONCERN_ROLES
from safehub.extracts.identifiers import PartialDate
from safehub.network.model import MentionFact, RecordKey

ADULT_AGE = 18
CONCERN = 1  # an adult of concern in this record (suspect or associate, adult or age unknown)
CHILD_VICTIM = 2  # a child victim in this record (victim, under 18 or age unknown)
OTHER = 0


@dataclass(frozen=True, slots=True)
class PersonClass:
    """What the records say about one person, across all their mentions."""

    person_id: str
    concern: bool  # recorded as suspect/associate while adult (or of unknown age)
    suspect: bool  # of those, recorded as a suspect at least once (else an associate)
    intelligence_subject: bool  # of concern only as the subject of police intelligence
    child_victim: bool  # recorded as victim while a child (or of unknown age)
    child_now: bool  # under 18 at the latest record date: never ranked as a key person
    licence_holder: bool
    date_of_birth: PartialDate | None


def age_bounds(dob: PartialDate, on: date) -> tuple[int, int]:
    """(youngest, oldest) possible age in whole years on a date.

    >>> age_bounds(PartialDate(2008), date(2025, 6, 1))
    (16, 17)
    """
    earliest = date(dob.year, dob.month or 1, dob.day or 1)
    last_month = dob.month or 12
    latest = date(dob.year, last_month, dob.day or calendar.monthrange(dob.year, last_month)[1])
    return _age(latest, on), _age(earliest, on)


def adult_from(dob: PartialDate) -> date:
    """The first day on which the oldest possible age is 18: from then on, not a child now.

    >>> adult_from(PartialDate(2008)), adult_from(PartialDate(2008, 2, 29))
    (datetime.date(2026, 1, 1), datetime.date(2026, 3, 1))
    """
    earliest = date(dob.year, dob.month or 1, dob.day or 1)
    try:
        return earliest.replace(year=earliest.year + ADULT_AGE)
    except ValueError:  # born on 29 February: 18 on 1 March in a common year
        return date(earliest.year + ADULT_AGE, 3, 1)


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# Home Office offence classification: the sexual offences (17-25, 70-74, 88 and their
# sub-codes such as 19D or 88A). A sexual offence against a child points to exploitation even
# when the agency recorded no indicator.
_SEXUAL_OFFENCE_CLASSES = frozenset({17, 18, 19, 20, 21, 22, 23, 24, 25, 70, 71, 72, 73, 74, 88})


def is_sexual_offence(offence_code: str) -> bool:
    """Whether a Home Office offence code is a sexual offence.

    >>> is_sexual_offence("19D"), is_sexual_offence("71"), is_sexual_offence("105A")
    (True, True, False)
    """
    digits = "".join(c for c in offence_code.strip()[:3] if c.isdigit())
    return bool(digits) and int(digits) in _SEXUAL_OFFENCE_CLASSES


def points_to_exploitation(
    record_type: str, indicators: bool, group_based: bool, offence_code: str = ""
) -> bool:
    """A record whose subject child is treated as a victim: a missing episode, a sexual offence,
    or a record carrying exploitation indicators or the agency's group-based flag."""
    return (
        record_type == "missing_episode"
        or indicators
        or group_based
        or is_sexual_offence(offence_code)
    )


def mention_class(fact: MentionFact, dob: PartialDate | None, exploitation: bool) -> int:
    """CONCERN, CHILD_VICTIM or OTHER for one person in one record.

    A child who is the *subject* of a record that points to exploitation (a missing episode with
    an adult named, a referral with indicators) is a child victim for the network: agencies record
    the child at risk as the subject, not as a victim of a crime.
    """
    if fact.role in CONCERN_ROLES:
        return (
            CONCERN if dob is None or age_bounds(dob, fact.record_date)[1] >= ADULT_AGE else OTHER
        )
    if fact.role == "victim" or (fact.role == "subject" and exploitation):
        child = dob is None or age_bounds(dob, fact.record_date)[0] < ADULT_AGE
        return CHILD_VICTIM if child else OTHER
    return OTHER


def best_date_of_birth(facts: Iterable[MentionFact]) -> PartialDate | None:
    """The most precise date of birth recorded (ties: the earliest), for rows that have none."""
    known = [f.date_of_birth for f in facts if f.date_of_birth is not None]
    if not known:
        return None
    return min(known, key=lambda d: (d.day is None, d.month is None, d.iso()))


def _adult_intelligence_subject(
    fact: MentionFact, dob: PartialDate | None, intelligence: Collection[RecordKey]
) -> bool:
    """The subject of a police intelligence report, known to be an adult at the time."""
    known = fact.date_of_birth or dob
    return (
        fact.role == "subject"
        and fact.record_key in intelligence
        and known is not None
        and age_bounds(known, fact.record_date)[0] >= ADULT_AGE
    )


def classify_person(
    person_id: str,
    facts: list[MentionFact],
    as_of: date,
    exploitation: Collection[RecordKey],
    everyday: Collection[RecordKey] = (),
    intelligence: Collection[RecordKey] = (),
) -> PersonClass:
    """One person's class; ``exploitation`` holds the records that point to exploitation,
    ``everyday`` the crime reports that do not (whose child victims are not the network's),
    ``intelligence`` the police intelligence reports among the person's records."""
    dob = best_date_of_birth(facts)
    mention_classes = [
        (mention_class(f, f.date_of_birth or dob, f.record_key in exploitation), f.role)
        for f in facts
    ]
    # The adult a police intelligence report is about is a person of concern, like the
    # associates it names: the man who runs a group is often only ever its subject, the men he
    # runs its associates. Only a subject known to be an adult at the time: a child at risk is
    # the subject of intelligence too, and must never be turned into an adult of concern.
    mention_classes = [
        (CONCERN, r) if _adult_intelligence_subject(f, dob, intelligence) else (c, r)
        for f, (c, r) in zip(facts, mention_classes, strict=True)
    ]
    classes = set(mention_classes)
    child_now = dob is not None and age_bounds(dob, as_of)[1] < ADULT_AGE
    # A child harmed in an everyday crime (a robbery, a fight) is a victim, but not of the
    # exploitation the network looks for.
    child_victim = any(
        c == CHILD_VICTIM and f.record_key not in everyday
        for f, (c, _) in zip(facts, mention_classes, strict=True)
    )
    # A victim whose age is never recorded is not turned into an adult of concern by a row that
    # names them as a suspect: victims are arrested while being exploited (mission).
    victim = any(c == CHILD_VICTIM for c, _ in classes)
    concern = any(c == CONCERN for c, _ in classes) and not child_now
    concern = concern and not (victim and dob is None)
    return PersonClass(
        person_id=person_id,
        concern=concern,
        suspect=concern and (CONCERN, "suspect") in classes,
        intelligence_subject=concern and not classes & {(CONCERN, r) for r in CONCERN_ROLES},
        child_victim=child_victim,
        child_now=child_now,
        licence_holder=any(f.licence_holder for f in facts),
        date_of_birth=dob,
    )
