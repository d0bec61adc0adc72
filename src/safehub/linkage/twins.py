"""Twins and other children born the same day to one family: what the records show of them.

Twins share a family name, a date of birth and an address, and are often given alike names
(Jack and Jake, Ava and Eva, Louis and Louise) or recorded by an initial ("K. Ashley"). A pair
of records agreeing on all that but a look-alike given name is as much two twins as one person
with a typo. Two facts tell them apart, and each is a rule a practitioner would state:

- two different listed names (``names.known_name``: Ava and Eva, Jan and Jana, Leon and
  Leonard) are two names, however alike their spelling: a typing slip rarely makes another
  real name;
- when the records show two different people of one family name born on one day (different NHS
  numbers, different listed given names, one recorded as female and one as male, or both named
  in one record), that family has a multiple birth, and a record that fits one of them only by
  a look-alike name or an initial could be the other.

Either way the pair waits for a person (``decide.py``) unless an identifier of the person's own
(NHS or licence number, phone, email, handle, vehicle) agrees.

>>> from safehub.extracts import PartialDate
>>> born = PartialDate(2010, 3, 4)
>>> people = [
...     AgencyPerson("NHS", "1", "Harvey", "Jackson", date_of_birth=born,
...                  identifiers={"nhs_number": ("5864125334",)}),
...     AgencyPerson("NHS", "2", "Henry", "Jackson", date_of_birth=born,
...                  identifiers={"nhs_number": ("5218058181",)}),
...     AgencyPerson("POL", "3", "H", "Jackson", date_of_birth=born),
...     AgencyPerson("POL", "4", "Ava", "Clarke", date_of_birth=born),
... ]
>>> birth_sets(people, known_names(people)).tolist()
[0, 0, 0, -1]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations

import numpy as np

from safehub.linkage.names import (
    canonical_given,
    canonical_name,
    girls_form_of,
    known_name,
    one_slip_from,
    one_slip_index,
    typo_of,
)
from safehub.linkage.people import AgencyPerson

NO_SET = -1
ATTESTED_FAMILIES = 10
_SEXES = frozenset({"F", "M"})


def known_names(people: Sequence[AgencyPerson]) -> np.ndarray:
    """Per person, a code of their first given name when it is known to be a name (0: not).

    Known: listed (``names.known_name``), or given to people of at least ``ATTESTED_FAMILIES``
    family names in the records: a typing slip seldom repeats in several families, a name does
    (the lists cannot hold every name of every community: Hania, Amira). A spelling one slip
    from the names of one group only is read as that name (``names.typo_of``: "Husasin" is
    Hussain, so it and "Hassan" are two names, though their consonants agree).
    """
    return name_codes(people)[0]


def name_codes(people: Sequence[AgencyPerson]) -> tuple[np.ndarray, np.ndarray]:
    """``known_names`` of the first given name, and the same codes for the first word of the
    family name (read as a given name: for records with the names written the other way round,
    "Osei Leon")."""
    # Each distinct spelling read once (a quarter of a million records hold far fewer names);
    # the caches live for this call only.
    read_first = cache(_first)
    firsts = [read_first(person.given, person.sex == "F") for person in people]
    lasts = [read_first(person.family) for person in people]
    families: dict[str, set[str]] = {}
    for first, person in zip(firsts, people, strict=True):
        if first:
            families.setdefault(first, set()).add(canonical_name(person.family))
    attested = {name for name, seen in families.items() if len(seen) >= ATTESTED_FAMILIES}
    near_attested = one_slip_index(attested)
    codes: dict[str, int] = {}

    @cache
    def code(word: str) -> int:
        name = known_name(word) or (word if word in attested and len(word) > 1 else "")
        name = name or girls_form_of(word)
        if not name and not one_slip_from(word, near_attested):  # a slip of an attested name
            name = typo_of(word)
        return codes.setdefault(name, len(codes) + 1) if name else 0

    return (
        np.array([code(word) for word in firsts], dtype=np.int32),
        np.array([code(word) for word in lasts], dtype=np.int32),
    )


def birth_sets(
    people: Sequence[AgencyPerson],
    names: np.ndarray,
    together: np.ndarray | None = None,
) -> np.ndarray:
    """Per person, the number of the multiple birth the records show they belong to, else
    ``NO_SET``: people of one family name and whole date of birth, two of whom the records tell
    apart. ``names`` are ``known_names(people)``; ``together`` holds the codes ``i * len(people) + j`` of people named in one record."""
    return birth_sets_and_firm(people, names, together).sets


@dataclass(frozen=True, slots=True)
class Births:
    """What the records show of multiple births, per person (``birth_sets_and_firm``)."""

    # The multiple birth each person belongs to (``NO_SET``: none), as ``birth_sets``.
    sets: np.ndarray
    # The same, counting two first names only when neither is among the other's given names.
    firm: np.ndarray
    # A record whose given names hold the first names of two of its firm set ("Mohamed Hossain
    # Tanvir Miah" where the records show a Mohammed Miah and a Hussain Miah born that day).
    both_names: np.ndarray
    # A member of a multiple birth whose first given name the records give both a girl and a
    # boy of that birth ("Jan Johnson" recorded as male and as female beside a Jana): the name
    # alone does not say which twin a record of it is.
    either_sex: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # A member of a firm set recorded under one given name alone, the first given name of a
    # member holding two of the set's first names ("Muhammad Khan" beside "Muhammad Adam Hamza
    # Khan" and "Adam Khan"): the twin who goes by his second name and the other twin of that
    # first name are both recorded so.
    first_of_both: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))


def birth_sets_and_firm(
    people: Sequence[AgencyPerson],
    names: np.ndarray,
    together: np.ndarray | None = None,
) -> Births:
    """``birth_sets``, the *firm* sets, where two different first names count only when
    neither is among the other's given names ("Ryan Pham" and "Rhys Ryan Pham" can be one man
    going by his second name, so they alone show no twins), and the records of a firm set
    whose given names hold two of the set's first names: by name such a record could be either
    twin (``decide.PersonFacts.twin_names_apart``). The look-alike rules keep the wider sets
    they were measured with."""
    size = len(people)
    named_together = set((together if together is not None else np.zeros(0)).tolist())
    found = np.full(size, NO_SET, dtype=np.int64)
    firm = np.full(size, NO_SET, dtype=np.int64)
    both = np.zeros(size, dtype=bool)
    either_sex = np.zeros(size, dtype=bool)
    first_of_both = np.zeros(size, dtype=bool)
    number = 0
    for members in _by_birth(people).values():
        if len(members) < 2:
            continue
        told = any(
            _told_apart(people[a], people[b]) or a * size + b in named_together
            for a, b in combinations(members, 2)
        )
        named = [
            (a, b)
            for a, b in combinations(members, 2)
            if names[a] > 0 and names[b] > 0 and names[a] != names[b]
        ]
        if told or named:
            found[members] = number
            if told or any(_two_names(people[a], people[b]) for a, b in named):
                firm[members] = number
                both[members] = _holding_two_firsts(people, members)
                first_of_both[members] = _first_alone(people, members, both[members])
            if _numbered_apart(people, members):
                either_sex[members] = _names_of_both_sexes(people, members)
            number += 1
    return Births(found, firm, both, either_sex, first_of_both)


def shown_backwards(people: Sequence[AgencyPerson]) -> np.ndarray:
    """Per person, whether the records show their names written the other way round: another
    record of the same whole date of birth holds this record's family field as its first
    given name and this record's first given name as its family name ("Ahmad Alia" at the
    council beside "Alia Ahmad" at the health trust, both born 2006-07-14). Which of the two
    is written backwards the records do not say, so both are marked; a name written the same
    in both fields ("Hussain Hussain") shows nothing."""
    keys: list[tuple[str, str, int, int, int] | None] = []
    for person in people:
        dob = person.date_of_birth
        given, family = _given_words(person.given)[0], canonical_name(person.family)
        if (
            dob is None
            or dob.day is None
            or dob.month is None
            or len(given) < 2
            or len(family) < 2
            or given == family
        ):
            keys.append(None)
        else:
            keys.append((given, family, dob.year, dob.month, dob.day))
    written = {key for key in keys if key is not None}
    return np.array(
        [key is not None and (key[1], key[0], *key[2:]) in written for key in keys], dtype=bool
    )


def _by_birth(people: Sequence[AgencyPerson]) -> dict[tuple[str, int, int, int], list[int]]:
    """People by family name and whole date of birth."""
    # Keyed by the date's parts, not its ISO text: the same groups (a whole date), no string
    # made for each of a quarter million people.
    by_birth: dict[tuple[str, int, int, int], list[int]] = {}
    for index, person in enumerate(people):
        dob, family = person.date_of_birth, canonical_name(person.family)
        if dob is not None and dob.day is not None and dob.month is not None and family:
            by_birth.setdefault((family, dob.year, dob.month, dob.day), []).append(index)
    return by_birth


def _holding_two_firsts(people: Sequence[AgencyPerson], members: list[int]) -> list[bool]:
    """Per member, whether their given names hold two different first names of the set's
    members (initials do not count)."""
    words = [_given_words(people[m].given) for m in members]
    firsts = {w[0] for w in words if len(w[0]) > 1}
    return [len(firsts.intersection(w)) >= 2 for w in words]


def _first_alone(
    people: Sequence[AgencyPerson], members: list[int], both: np.ndarray
) -> list[bool]:
    """Per member, whether their given names are one word, the first given name of a member
    holding two of the set's first names (``both``)."""
    words = [_given_words(people[m].given) for m in members]
    firsts = {w[0] for w, two in zip(words, both, strict=True) if two}
    return [len(w) == 1 and len(w[0]) > 1 and w[0] in firsts for w in words]


def _names_of_both_sexes(people: Sequence[AgencyPerson], members: list[int]) -> list[bool]:
    """Per member, whether their first given name is recorded for a female and for a male
    member (initials do not count)."""
    firsts = [_given_words(people[m].given)[0] for m in members]
    sexes: dict[str, set[str]] = {}
    for first, member in zip(firsts, members, strict=True):
        if len(first) > 1 and people[member].sex in _SEXES:
            sexes.setdefault(first, set()).add(people[member].sex)
    return [len(sexes.get(first, ())) == 2 for first in firsts]


def _numbered_apart(people: Sequence[AgencyPerson], members: list[int]) -> bool:
    """Two of ``members`` hold different NHS numbers: the records show two children of that
    birth. Sexes alone do not: one person's records often disagree on sex (historical_50k:
    reading a name recorded for both sexes as twins there cost 0.026 of recall)."""
    numbers = [set(people[m].identifiers.get("nhs_number", ())) for m in members]
    return any(a and b and not a & b for a, b in combinations(numbers, 2))


def _told_apart(a: AgencyPerson, b: AgencyPerson) -> bool:
    """Two records that cannot be one person: different NHS numbers, or recorded as female
    and male."""
    nhs_a, nhs_b = (
        set(a.identifiers.get("nhs_number", ())),
        set(b.identifiers.get("nhs_number", ())),
    )
    if nhs_a and nhs_b and not nhs_a & nhs_b:
        return True
    return a.sex in _SEXES and b.sex in _SEXES and a.sex != b.sex


def _two_names(a: AgencyPerson, b: AgencyPerson) -> bool:
    """Two first names (already known to differ) neither of which is among the other's given
    names."""
    words_a, words_b = _given_words(a.given), _given_words(b.given)
    return words_a[0] not in words_b and words_b[0] not in words_a


def _given_words(names: str) -> list[str]:
    return [canonical_name(word) for word in names.split()] or [""]


def _first(names: str, female: bool = False) -> str:
    words = names.split()
    return canonical_given(words[0], female) if words else ""
