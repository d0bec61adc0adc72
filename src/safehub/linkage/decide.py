"""From scored pairs to accepted links and a review queue, and from links to people.

Rules (docs/architecture.md "False merges fall on common names, twins and siblings"; the evidence
each rule reads is in ``rules.py``):
- a pair at or above the model's accept threshold is linked, unless the records contradict each
  other or, for an adult of concern, the evidence would not satisfy a careful analyst; then it
  waits for a person to confirm (review);
- given names that differ outright (not a variant, nickname, transliteration or one slip, and
  no alias of one is the other's name) are never linked automatically, however much else
  agrees: twins and siblings share a family name, a date of birth and an address;
- an adult of concern (suspect or associate, not known to be a child) is linked on an NHS or
  licence number, or on name and date of birth with an independent identifier that agrees too
  (phone, email, address or postcode, vehicle, handle), the name not among the commonest; a
  date of birth keyed differently in one part vouches here as a whole one when the years are
  less than a generation apart (a father and son of one name may share a birthday); when the
  date of birth is unknown on one side, two such identifiers must agree; anything less waits
  for a person;
- a pair sharing an NHS number (the national identifier for children) is linked even below the
  threshold, unless given name and date of birth both disagree (a keying error, sent for review);
- twins look like this: family name and whole date of birth the same, given names only alike
  (Ava and Eva, an initial), and a phone or email of their own that differs; such a pair waits
  for a person unless a personal number (NHS, licence) agrees;
- given names that only look alike (a letter apart, an initial, the same consonants, a close
  spelling) with the family name the same wait for a person, unless an NHS or licence number
  (or, for adults, a phone, email, handle or vehicle) agrees, when they are two names (Ava and
  Eva, Jan and Jana: ``twins.known_names``) or the records show a multiple birth in that family on that day (``twins.birth_sets``): a
  look-alike name with the same family name, date of birth and address is a twin, not a typo;
- two different initials ("C Nyalor" and "E Naylor") are given names that differ outright (the
  comparison's "one letter differs" holds only between names of two letters or more);
- a given name recorded only as an initial ("K Ashley"), or the same initial on both records
  ("J Zhang" twice), with the family name the same waits for a person on the same terms,
  whether or not the records show a twin: an initial, a family name, a date of birth and an
  address are as much a twin's as the person's own;
- given names that only look alike (a letter apart, an initial, the same consonants, a close
  spelling) under family names that differ outright wait on the same terms: a date of birth
  and an address are a household's, and a twin renamed in care or after a step-parent's name looks so (Ava Smith and
  Eva Pickles, Nora Butt and "N Bitt");
- where the records show twins (two people of one family name born one day, told apart not
  merely by one using a second given name), a record whose given names hold both twins' first
  names ("Rhys Ryan Pham" beside a Rhys and a Ryan) waits on the same terms against that
  family's records of that day: by name it could be either twin; so do two records of that
  family and day under that record's first name alone ("Muhammad Khan" twice beside "Muhammad
  Adam Hamza Khan" and "Adam Khan": one twin goes by either name, the other is a Muhammad too);
- where the records show twins and give one first name to a girl and to a boy of them ("Jan"
  recorded as male and as female beside a Jana), a record of that family and day waits against
  the others on the same terms: one record of that name has the other twin's name or sex, so
  the name says neither;
- two records both written family name first whose family fields hold two different listed
  given names (alike, or differing outright: "Davies-Brown Jake" and "Davies-Brown Joseph") and
  whose given fields hold no given name wait on the same terms: the people's given names
  differ; a given field that is a listed name ("Ahmad Alia") counts as the family name when
  another record born that day holds the two words the right way round ("Alia Ahmad":
  ``twins.shown_backwards``);
- a family name recorded only as an initial on one record ("Lily A") waits on the same terms;
- two references in one agency, a child on either side, whose given names only look alike
  (Hana and Hania, a letter apart) wait on the same terms: one school, GP or social care team
  registers both twins, each under a reference of their own;
- records of a female and a male are held apart unless an NHS or licence number agrees;
- two adults' records that each hold a phone and an email, none of them the same, and no NHS
  or licence number agreeing, wait for a person: a namesake born the same day or a same-named
  neighbour looks so, while one person's records rarely change both (a child's records hold a
  parent's contacts, so children are not read so);
- a pair between the review and accept thresholds goes to review;
- dates of birth that differ in two of day, month and year (siblings, a parent and child) are a
  conflict, as are different NHS numbers; 1 January, keyed when only the year is known,
  agrees as far as known with another date of that year (``comparisons._dob_partial``), so it
  is no conflict with one;
- a date-of-birth conflict is overridden by an agreeing personal identifier (NHS number or
  licence number: a parent and child of the same name never share one, while a typed date of
  birth is often wrong), unless the given names differ too: a number shared by two records that
  differ in given name and date of birth is a relative's number keyed on the record (a mother's
  NHS number on her baby's), and a person must confirm;
- two people the records themselves tell apart are never linked automatically: two person refs
  named in one record, or one recorded as a parent, carer or licence holder before the other was
  old enough to be one (a mother and daughter of the same name at one address; a school's
  parent was at least 18: ``people.role_min_age``): such a pair waits for a person to confirm,
  however high it scores.

Links are then clustered so that no cluster holds two people the records contradict, twins by
the rules above included (``clusters.py``): a chain through one mistyped mention or an initial
does not merge twins.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

from safehub.linkage.comparisons import COMPARISONS, INITIAL, OTHER_GIVEN
from safehub.linkage.levels import ELSE
from safehub.linkage.model import LinkageModel
from safehub.linkage.people import AgencyPerson
from safehub.linkage.rules import (
    DOB_UNSURE,
    FAMILY_ALIKE,
    GIVEN_LOOK_ALIKE,
    SAME_GIVEN,
    PairLevels,
)
from safehub.linkage.rules import level_weights as level_weights  # services import it here
from safehub.linkage.twins import NO_SET, birth_sets_and_firm, name_codes, shown_backwards

# A family name written in the given field, as the other record writes it or with a slip (an
# initial is no family name).
_FAMILY_IN_GIVEN = (SAME_GIVEN, *(label for label in GIVEN_LOOK_ALIKE if label != INITIAL))

NHS_UNION_REASON = "same NHS number"
ACCEPT_REASON = "above the match threshold"
APART_REASON = (
    "the records tell them apart (named apart in one record, or too young for a role); confirm"
)
THIN_REASON = "one of them has a name and nothing else to match on; confirm"
GIVEN_NAMES_REASON = (
    "given names differ (twins and siblings share a family name, date of birth and address); "
    "confirm"
)
TWIN_REASON = (
    "family name and date of birth the same, given names only alike and their own phones or "
    "emails differ: twins look like this; confirm"
)
TWO_NAMES_REASON = (
    "two different given names that only look alike (Ava and Eva, Jan and Jana: twins are "
    "named so), and no NHS or licence number (nor an adult's own phone or email) agrees; confirm"
)
BIRTH_SET_REASON = (
    "the records show two people of this family name born this day (twins); the given names "
    "only look alike (a letter apart, an initial) and no NHS or licence number (nor an adult's "
    "own phone or email) agrees, so this could be the other twin; confirm"
)
INITIAL_REASON = (
    "a given name is only an initial (K Ashley and Kacper Ashley, or J Zhang twice), or a family "
    "name is (Lily A), and no NHS or licence number (nor an adult's own phone or email) agrees: a "
    "twin has the same initial, family name, date of birth and address; confirm"
)
REGISTERED_REASON = (
    "one agency holds these children under two references, their given names only look alike "
    "(a letter apart, a close spelling) or share only a second given name, and no NHS number "
    "agrees: twins are registered so; confirm"
)
RENAMED_REASON = (
    "given names only alike (a letter apart, an initial) and family names that differ, and no "
    "NHS or licence number (nor an adult's own phone or email) agrees: a twin recorded under a "
    "new family name looks so (Ava Smith and Eva Pickles); confirm"
)
BOTH_TWINS_REASON = (
    "the records show twins in this family born this day and one record's given names hold "
    "both twins' first names (Rhys Ryan Pham beside a Rhys and a Ryan), so by name it could be "
    "either, and no NHS or licence number (nor an adult's own phone or email) agrees; confirm"
)
EITHER_SEX_REASON = (
    "the records show twins in this family born this day and give this given name to a girl "
    "and to a boy of them (Jan recorded as male and as female beside a Jana), so this could be "
    "either twin, and no NHS or licence number (nor an adult's own phone or email) agrees; "
    "confirm"
)
CONTACTS_REASON = (
    "adults whose phones and emails both differ, and no NHS or licence number agrees: a "
    "namesake's own contacts look so; confirm"
)
SEXES_REASON = (
    "recorded as female on one record and male on the other, and no NHS or licence number "
    "agrees; confirm"
)
CONFLICT_REASON = "conflicting NHS number or date of birth; confirm"
NAME_OR_DATE_REASON = (
    "adult of concern: name and date of birth do not both agree and no NHS or licence number "
    "does; confirm"
)
UNSURE_DOB_REASON = (
    "adult of concern: date of birth unknown and fewer than two other identifiers agree, or "
    "keyed differently and none agrees; confirm"
)
NOTHING_ELSE_REASON = "adult of concern: name and date of birth alone are not enough; confirm"
COMMON_NAME_REASON = (
    "adult of concern with one of the commonest names: a namesake could share the rest; confirm"
)
UNCERTAIN_REASON = "uncertain: between the review and match thresholds"
_SEX_CODES = {"F": 1, "M": 2}
_NO_YEAR = -1
# Years of birth this far apart are two generations' (a parent and child), not a typing slip.
GENERATION_YEARS = 12
_ANY_YEAR = 1 << 30


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """What the decision knows of each person beyond the pair's scores, indexed by unique_id.

    ``together`` holds ``i * size + j`` (``i < j``) for every two people named in one record.
    """

    of_concern: np.ndarray
    dob_year: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    born_by: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    together: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    thin: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    at_risk: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # Recorded sex: 1 female, 2 male, 0 not recorded or another value (X, U say nothing).
    sex: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    # Code of the first given name when listed (0: not listed), and the multiple birth the
    # records show each person belongs to (-1: none): ``twins.py``.
    listed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    listed_family: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    birth_set: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # A record whose given names hold the first names of two twins the records show
    # (``twins.Births.both_names``).
    twin_names: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # A first given name the records give a girl and a boy of one multiple birth
    # (``twins.Births.either_sex``).
    either_sex: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # One given name alone, the first of a record holding both twins' first names
    # (``twins.Births.first_of_both``).
    first_of_both: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # The records show this person's names written the other way round on some record
    # (``twins.shown_backwards``).
    backwards: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    child: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # The first given name is only an initial ("J Zhang"); the family name is ("Amiri L").
    initial: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    family_initial: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # The agency holding each person (a stable code of agency_code: the same in every batch).
    agency: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @classmethod
    def of(cls, people: Sequence[AgencyPerson], together: np.ndarray | None = None) -> PersonFacts:
        """Facts of ``people`` (index = unique_id); ``together`` defaults to their own records."""
        together = together_codes(enumerate(people), len(people)) if together is None else together
        names, family_names = name_codes(people)
        births = birth_sets_and_firm(people, names, together)
        return cls(
            of_concern=np.array([p.is_adult_of_concern for p in people], dtype=bool),
            dob_year=np.array(
                [p.date_of_birth.year if p.date_of_birth else _NO_YEAR for p in people],
                dtype=np.int64,
            ),
            born_by=np.array(
                [_ANY_YEAR if p.born_by is None else p.born_by for p in people], dtype=np.int64
            ),
            together=together,
            thin=np.array([p.is_insufficient for p in people], dtype=bool),
            at_risk=np.array([p.is_child_at_risk for p in people], dtype=bool),
            sex=sex_codes(people),
            listed=names,
            listed_family=family_names,
            birth_set=births.sets,
            twin_names=births.both_names,
            either_sex=births.either_sex,
            first_of_both=births.first_of_both,
            backwards=shown_backwards(people),
            child=np.array([p.is_child for p in people], dtype=bool),
            initial=np.array([_is_initial(p.given) for p in people], dtype=bool),
            family_initial=np.array([_is_initial(p.family) for p in people], dtype=bool),
            agency=agency_codes(p.agency_code for p in people),
        )

    def two_listed_names(
        self, left: np.ndarray, right: np.ndarray, swapped: np.ndarray | None = None
    ) -> np.ndarray:
        """Pairs whose first given names are two different known names; for ``swapped`` pairs
        (names written the other way round on one record) each given name is compared with the
        other's family name too."""
        if len(self.listed) == 0:
            return np.zeros(len(left), dtype=bool)
        found = _two_names(self.listed[left], self.listed[right])
        if swapped is not None and len(self.listed_family) == len(self.listed):
            crosswise = _two_names(self.listed[left], self.listed_family[right]) | _two_names(
                self.listed_family[left], self.listed[right]
            )
            found = found | (swapped & crosswise)
        return np.asarray(found, dtype=bool)

    def one_birth_set(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Pairs both of one multiple birth the records show (``twins.birth_sets``)."""
        if len(self.birth_set) == 0:
            return np.zeros(len(left), dtype=bool)
        a = self.birth_set[left]
        return np.asarray((a != NO_SET) & (a == self.birth_set[right]), dtype=bool)

    def twins_apart(self, left: np.ndarray, right: np.ndarray, levels: PairLevels) -> np.ndarray:
        """Look-alike given names (``PairLevels.look_alike``) that are two names, within a
        multiple birth the records show, an initial, or two references of one agency: twins,
        not a typo, until a person says so."""
        alike = self.unvouched(left, right, levels)
        return np.asarray(
            alike
            & (
                self.two_listed_names(left, right, levels.swapped_alike())
                | self.one_birth_set(left, right)
                | self.initials(left, right, levels)
            )
            | self.registered_apart(left, right, levels, alike)
            | self.backwards_apart(left, right, levels)
            | self.renamed_apart(left, right, levels)
            | self.family_initials(left, right, levels)
            | self.twin_names_apart(left, right, levels)
            | self.either_sex_apart(left, right, levels),
            dtype=bool,
        )

    def backwards_apart(
        self, left: np.ndarray, right: np.ndarray, levels: PairLevels, *, outright: bool = False
    ) -> np.ndarray:
        """Both records written family name first ("Thornford Daniel" and "THORNFORD
        DANIELLE", "Shah Harvey" and "SHH HARRY", "Davies-Brown Jake" and "Davies-Brown
        Joseph"): the family fields hold two different listed given names and the given fields
        none, so the people's given names differ (twins Daniel and Danielle, Jake and Joseph)
        though the fields that should hold them agree. The given fields hold the family name,
        the same or written with a slip. Waits unless a number of the person's own agrees.

        The family fields alike in spelling (Daniel, Danielle) or differing outright (Jake,
        Joseph: given names that differ outright, written the other way round); with
        ``outright`` only the latter. A given field that is itself a listed name ("Ahmad
        Alia" and "Ahmad Ali") counts as the family name when the records show either record
        written the other way round (``backwards``: "Alia Ahmad" born that day)."""
        if len(self.listed_family) != len(self.listed) or len(self.listed) == 0:
            return np.zeros(len(left), dtype=bool)
        no_given = (self.listed[left] == 0) & (self.listed[right] == 0)
        if len(self.backwards) == len(self.listed):
            no_given |= self.backwards[left] | self.backwards[right]
        names = _two_names(self.listed_family[left], self.listed_family[right]) & no_given
        family_first = levels.at("given_name", *_FAMILY_IN_GIVEN)
        differ = levels.at("family_name", ELSE)
        apart = differ if outright else differ | levels.at("family_name", *FAMILY_ALIKE)
        own = self.own_vouches(left, right, levels)
        return np.asarray(names & family_first & apart & ~own, dtype=bool)

    def renamed_apart(self, left: np.ndarray, right: np.ndarray, levels: PairLevels) -> np.ndarray:
        """Given names only alike and family names that differ outright
        (``PairLevels.renamed_alike``), nothing of the person's own agreeing: a twin under a
        new family name, until a person says otherwise."""
        renamed = levels.renamed_alike() | self._initials_renamed(left, right, levels)
        return np.asarray(renamed & ~self.own_vouches(left, right, levels), dtype=bool)

    def _initials_renamed(
        self, left: np.ndarray, right: np.ndarray, levels: PairLevels
    ) -> np.ndarray:
        """Both given names only the same initial and family names that differ outright ("H
        Rushbury" and "H Brown"): nothing of a name agrees, and a date of birth, an address
        and a household's phone are as much a twin's under a step-parent's name."""
        return np.asarray(self._same_initial(left, right, levels) & levels.renamed(), dtype=bool)

    def twin_names_apart(
        self, left: np.ndarray, right: np.ndarray, levels: PairLevels
    ) -> np.ndarray:
        """A record whose given names hold the first names of two twins the records show
        (``twins.Births.both_names``: "Rhys Ryan Pham" where a Rhys and a Ryan Pham were born
        that day), paired with a record of that family and date of birth, nothing of the
        person's own agreeing: by name it could be either twin. Two records under that
        record's first name alone ("Muhammad Khan" twice, beside "Muhammad Adam Hamza Khan"
        and an "Adam Khan": ``twins.Births.first_of_both``) wait so too: one twin goes by
        either of his first two names, and the other may share the first. Without twins in
        view a second given name is the one a person goes by (Mohammed Imran Khan known as
        Imran Khan)."""
        if len(self.twin_names) == 0:
            return np.zeros(len(left), dtype=bool)
        either = self.twin_names[left] | self.twin_names[right]
        if len(self.first_of_both) == len(self.twin_names):
            either |= self.first_of_both[left] & self.first_of_both[right]
        family = levels.at("family_name", *FAMILY_ALIKE) & levels.at("dob", "same date")
        own = self.own_vouches(left, right, levels)
        return np.asarray(either & family & ~own, dtype=bool)

    def either_sex_apart(
        self, left: np.ndarray, right: np.ndarray, levels: PairLevels
    ) -> np.ndarray:
        """Two records of one multiple birth the records show, one of them under a first
        given name the records give both a girl and a boy of that birth (``either_sex``:
        "Jan Johnson" recorded as male at the health trust and as female at the council,
        beside a Jana): one of those records has the other twin's name or sex, so a record
        of that name could be either twin. Waits unless a number of the person's own agrees."""
        if len(self.either_sex) == 0:
            return np.zeros(len(left), dtype=bool)
        either = self.either_sex[left] | self.either_sex[right]
        own = self.own_vouches(left, right, levels)
        return np.asarray(either & self.one_birth_set(left, right) & ~own, dtype=bool)

    def registered_apart(
        self, left: np.ndarray, right: np.ndarray, levels: PairLevels, alike: np.ndarray
    ) -> np.ndarray:
        """Two references of one agency, a child on either side (``siblings_registered``),
        whose given names only look alike (``alike``: ``unvouched``), or share only a second
        given name ("Maja" and "Zuzanna Maja"), with no personal number agreeing: in one agency
        that is as much twins registered each under a reference of their own as one child
        registered twice."""
        second = levels.at("given_name", OTHER_GIVEN) & levels.at("family_name", *FAMILY_ALIKE)
        loose = alike | (second & ~levels.personal())
        return np.asarray(loose & self.siblings_registered(left, right), dtype=bool)

    def initials(self, left: np.ndarray, right: np.ndarray, levels: PairLevels) -> np.ndarray:
        """One given name only an initial of the other's, or both only the same initial (two
        "J Zhang" records): no name at all to tell a person from a twin or a brother."""
        return np.asarray(
            levels.initial_only() | self._both_initials(left, right, levels), dtype=bool
        )

    def family_initials(
        self, left: np.ndarray, right: np.ndarray, levels: PairLevels
    ) -> np.ndarray:
        """A family name only an initial on one record and not the same on both ("Amiri
        Lily" and "Amiri L", the names written the other way round), nothing of the person's
        own agreeing: the given name and the initial are as much a twin's."""
        if len(self.family_initial) == 0:
            return np.zeros(len(left), dtype=bool)
        one = self.family_initial[left] ^ self.family_initial[right]
        return np.asarray(one & ~self.own_vouches(left, right, levels), dtype=bool)

    def siblings_registered(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Pairs of two references in one agency with a child on either side. One school, GP
        or social care team registers both twins, each under a reference of their own; a
        twin shares the family name, the date of birth, the address and the parents' phone,
        so only a personal number tells them from one child registered twice."""
        if len(self.child) == 0 or len(self.agency) == 0:
            return np.zeros(len(left), dtype=bool)
        child = self.child[left] | self.child[right]
        return np.asarray(child & (self.agency[left] == self.agency[right]), dtype=bool)

    def unvouched(self, left: np.ndarray, right: np.ndarray, levels: PairLevels) -> np.ndarray:
        """Look-alike given names with nothing of the person's own agreeing: no NHS or licence
        number and, unless one is a child, no phone, email, handle or vehicle (a child's school
        or council record holds a parent's phone and email, the same on both twins' records)."""
        loose = levels.look_alike() | self._both_initials(left, right, levels)
        return np.asarray(loose & ~self.own_vouches(left, right, levels), dtype=bool)

    def own_vouches(self, left: np.ndarray, right: np.ndarray, levels: PairLevels) -> np.ndarray:
        """An NHS or licence number agrees or, unless one is a child, a phone, email, handle
        or vehicle (a child's school or council record holds a parent's phone and email, the
        same on both twins' records)."""
        if len(self.child) == 0:
            return levels.own_identifier()
        child = self.child[left] | self.child[right]
        return np.asarray(levels.personal() | (~child & levels.own_identifier()), dtype=bool)

    def _both_initials(self, left: np.ndarray, right: np.ndarray, levels: PairLevels) -> np.ndarray:
        family = levels.at("family_name", *FAMILY_ALIKE)
        return np.asarray(self._same_initial(left, right, levels) & family, dtype=bool)

    def _same_initial(self, left: np.ndarray, right: np.ndarray, levels: PairLevels) -> np.ndarray:
        """Both given names only the same initial ("J" and "J")."""
        if len(self.initial) == 0:
            return np.zeros(len(left), dtype=bool)
        same = levels.at("given_name", SAME_GIVEN)
        return np.asarray(self.initial[left] & self.initial[right] & same, dtype=bool)

    def near_years(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Pairs whose years of birth are less than a generation apart, or not both known: a
        date keyed wrong in one part is a slip only then (a father and son of one name may
        share a birthday)."""
        if len(self.dob_year) == 0:
            return np.ones(len(left), dtype=bool)
        a, b = self.dob_year[left], self.dob_year[right]
        known = (a != _NO_YEAR) & (b != _NO_YEAR)
        return np.asarray(~known | (np.abs(a - b) < GENERATION_YEARS), dtype=bool)

    def contacts_apart(self, left: np.ndarray, right: np.ndarray, levels: PairLevels) -> np.ndarray:
        """Two adults' own phones and emails both differ (``PairLevels.contacts_differ``). A
        child's school or council record holds a parent's contacts, which say nothing of the
        child, so a pair with a child on either side is not read so."""
        differ = levels.contacts_differ()
        if len(self.child) == 0:
            return differ
        return np.asarray(differ & ~(self.child[left] | self.child[right]), dtype=bool)

    def sexes_differ(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Pairs recorded one as female and the other as male (unknown on either side: no)."""
        if len(self.sex) == 0:
            return np.zeros(len(left), dtype=bool)
        a, b = self.sex[left], self.sex[right]
        return np.asarray((a > 0) & (b > 0) & (a != b), dtype=bool)

    def too_thin(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Pairs where one side has a name and nothing else: a person must confirm them."""
        if len(self.thin) == 0:
            return np.zeros(len(left), dtype=bool)
        return np.asarray(self.thin[left] | self.thin[right], dtype=bool)

    def apart(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Pairs the records tell apart (see the module docstring)."""
        if len(self.dob_year) == 0:
            return np.zeros(len(left), dtype=bool)
        too_young = (self.dob_year[left] > self.born_by[right]) | (
            self.dob_year[right] > self.born_by[left]
        )
        return np.asarray(too_young | self.named_together(left, right), dtype=bool)

    def named_together(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Pairs named in one record (``together`` is sorted: a binary search per pair)."""
        if len(self.together) == 0 or len(left) == 0:
            return np.zeros(len(left), dtype=bool)
        size = len(self.dob_year)
        low, high = np.minimum(left, right), np.maximum(left, right)
        codes = low.astype(np.int64) * size + high
        found = np.minimum(np.searchsorted(self.together, codes), len(self.together) - 1)
        return np.asarray(self.together[found] == codes, dtype=bool)


def agency_codes(codes: Iterable[str]) -> np.ndarray:
    """Each agency code as ``PersonFacts.agency`` holds it."""
    return np.array([zlib.crc32(code.encode()) for code in codes], dtype=np.int64)


def _is_initial(given: str) -> bool:
    words = given.replace(".", " ").split()
    return bool(words) and len(words[0]) == 1


def _two_names(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Codes of two different known names (0: not known)."""
    return np.asarray((a > 0) & (b > 0) & (a != b), dtype=bool)


def sex_codes(people: Sequence[AgencyPerson]) -> np.ndarray:
    """Each person's recorded sex as ``PersonFacts.sex`` holds it."""
    return np.array([_SEX_CODES.get(p.sex, 0) for p in people], dtype=np.int8)


def together_codes(indexed: Iterable[tuple[int, AgencyPerson]], size: int) -> np.ndarray:
    """Sorted codes ``i * size + j`` of every two people named in one agency record."""
    by_record: dict[tuple[str, str], list[int]] = {}
    for index, person in indexed:
        for record in person.record_ids:
            by_record.setdefault((person.agency_code, record), []).append(index)
    codes = [
        min(a, b) * size + max(a, b)
        for members in by_record.values()
        if len(members) > 1
        for n, a in enumerate(members)
        for b in members[n + 1 :]
    ]
    return np.unique(np.array(codes, dtype=np.int64))


@dataclass(frozen=True, slots=True)
class Decisions:
    """Per pair: linked, waiting for a person, and why.

    ``held`` marks pairs the records contradict (different given names, dates of birth apart,
    named apart in one record): they wait for a person but are never "possibly the same
    person" to the network analysis.
    """

    accepted: np.ndarray
    needs_review: np.ndarray
    reasons: list[str]
    held: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))


def decide(
    pairs: pa.Table,
    model: LinkageModel,
    of_concern: np.ndarray,
    facts: PersonFacts | None = None,
) -> Decisions:
    """Accept, send to review, or drop each scored pair (vectorised: a million pairs is fine)."""
    probability = pairs.column("match_probability").to_numpy(zero_copy_only=False)
    left = pairs.column("unique_id_l").to_numpy(zero_copy_only=False)
    right = pairs.column("unique_id_r").to_numpy(zero_copy_only=False)
    levels = PairLevels.of_weights(pairs, model)
    facts = facts or PersonFacts(of_concern)
    apart = facts.apart(left, right)
    thin = facts.too_thin(left, right) & ~apart
    given = levels.given_names_differ()
    twins = levels.twin_like()
    alike = facts.unvouched(left, right, levels)
    two_names = alike & facts.two_listed_names(left, right, levels.swapped_alike())
    backwards_differ = facts.backwards_apart(left, right, levels, outright=True)
    two_names |= facts.backwards_apart(left, right, levels)
    birth_set = alike & facts.one_birth_set(left, right)
    initial = alike & facts.initials(left, right, levels) & ~two_names & ~birth_set
    registered = facts.registered_apart(left, right, levels, alike) & ~two_names & ~birth_set
    registered &= ~initial
    renamed = facts.renamed_apart(left, right, levels)
    initial |= facts.family_initials(left, right, levels) & ~renamed
    both_twins = facts.twin_names_apart(left, right, levels)
    either_sex = facts.either_sex_apart(left, right, levels)
    sexes = facts.sexes_differ(left, right) & ~levels.personal()
    contacts = facts.contacts_apart(left, right, levels)
    conflict = levels.conflict()
    concern = of_concern[left] | of_concern[right]
    near_years = facts.near_years(left, right)
    weak_concern = concern & ~levels.concern_evidence(near_years)
    above = probability >= model.accept_threshold
    nhs_link = levels.at("nhs", "same") & ~levels.relative()
    accepted = (
        (
            (
                above
                & ~conflict
                & ~weak_concern
                & ~twins
                & ~two_names
                & ~birth_set
                & ~initial
                & ~registered
                & ~renamed
                & ~both_twins
                & ~either_sex
                & ~contacts
            )
            | nhs_link
        )
        & ~apart
        & ~thin
        & ~given
        & ~sexes
    )
    review = ~accepted & (probability >= model.review_threshold)
    held = ~accepted & (apart | given | conflict | sexes)
    reasons = _reasons(
        levels,
        accepted,
        (apart, APART_REASON),
        (thin, THIN_REASON),
        (given, GIVEN_NAMES_REASON),
        (backwards_differ & above, GIVEN_NAMES_REASON),
        (sexes, SEXES_REASON),
        (conflict & above, CONFLICT_REASON),
        (twins & above, TWIN_REASON),
        (two_names & above, TWO_NAMES_REASON),
        (birth_set & above, BIRTH_SET_REASON),
        (initial & above, INITIAL_REASON),
        (registered & above, REGISTERED_REASON),
        (renamed & above, RENAMED_REASON),
        (both_twins & above, BOTH_TWINS_REASON),
        (either_sex & above, EITHER_SEX_REASON),
        (contacts & above, CONTACTS_REASON),
        (weak_concern & above, _concern_reasons(levels, near_years)),
        nhs_below=nhs_link & ~above,
    )
    return Decisions(accepted, review, reasons, held)


def _reasons(
    levels: PairLevels,
    accepted: np.ndarray,
    *held: tuple[np.ndarray, Any],
    nhs_below: np.ndarray,
) -> list[str]:
    """One reason per pair: the first rule in ``held`` that applies (vectorised, rule by rule)."""
    reasons = np.full(len(accepted), UNCERTAIN_REASON, dtype=object)
    # Later steps overwrite earlier ones, so the rules are applied from the last to the first.
    for mask, reason in reversed(held):
        reasons = np.where(mask, reason, reasons)
    accept = np.where(nhs_below, NHS_UNION_REASON, ACCEPT_REASON)
    return np.where(accepted, accept, reasons).tolist()  # type: ignore[no-any-return]


def _concern_reasons(levels: PairLevels, near_years: np.ndarray) -> np.ndarray:
    """Why an adult of concern waits: what of the evidence is missing (evidence enough but
    for the name: the name is among the commonest)."""
    name = levels.name_agrees()
    unsure = name & levels.at("dob", *DOB_UNSURE)
    return np.where(
        name & levels.corroborates_name(near_years),
        COMMON_NAME_REASON,
        np.where(
            name & levels.dob_agrees(),
            NOTHING_ELSE_REASON,
            np.where(unsure, UNSURE_DOB_REASON, NAME_OR_DATE_REASON),
        ),
    )


def cluster(size: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Connected components over accepted links; component labels follow the smallest member
    (the labels of scipy's ``connected_components``, without importing scipy: 0.14 s of CPU,
    a sixth of a small `safehub resolve`'s start-up).

    Each round joins every component that a link reaches to the smallest component it
    reaches, then points every member straight at its component's smallest member; a few
    rounds, each a pass over the links.

    >>> cluster(4, np.array([2]), np.array([0])).tolist()
    [0, 1, 0, 2]
    """
    smallest = np.arange(size, dtype=np.int64)
    left, right = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
    while True:
        a, b = smallest[left], smallest[right]
        apart = a != b
        if not apart.any():
            break
        # Always towards the smaller member: no member ever points at a larger one, so no loop.
        np.minimum.at(smallest, np.maximum(a, b)[apart], np.minimum(a, b)[apart])
        smallest = _flattened(smallest)
    return np.asarray(np.unique(smallest, return_inverse=True)[1], dtype=np.int64)


def _flattened(pointers: np.ndarray) -> np.ndarray:
    """Each member pointed straight at the end of its chain of pointers."""
    while True:
        further = pointers[pointers]
        if np.array_equal(further, pointers):
            return pointers
        pointers = further


def person_id(number: int) -> str:
    """``P000001`` for the first person; wider past a million people."""
    return f"P{number:06d}"


def explain_row(
    row: dict[str, Any],
    model: LinkageModel,
    labels: Mapping[str, Mapping[float, str]] | None = None,
) -> list[tuple[str, str, float, float]]:
    """(field, level label, match weight incl. TF, TF part) for one predicted pair.

    ``labels`` (``level_labels(model)``) saves looking the levels up again for every row.
    """
    labels = labels or level_labels(model)
    fields = []
    for spec in COMPARISONS:
        weight = float(row[f"mw_{spec.name}"])
        tf = float(row.get(f"mw_tf_adj_{spec.name}") or 0.0)
        fields.append((spec.name, labels[spec.name].get(weight, "?"), weight + tf, tf))
    return fields


def level_labels(model: LinkageModel) -> dict[str, dict[float, str]]:
    """Per comparison, match weight → level label (``level_weights`` for all of them)."""
    return {spec.name: level_weights(model, spec.name) for spec in COMPARISONS}


def weights_to_columns(names: Sequence[str]) -> list[str]:
    columns = ["unique_id_l", "unique_id_r", "match_weight", "match_probability"]
    for name in names:
        columns.append(f"mw_{name}")
    columns += ["mw_tf_adj_given_name", "mw_tf_adj_family_name"]
    return columns
