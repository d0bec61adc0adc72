"""What a pair's comparison levels say, beyond its score: the evidence the decision rules read.

docs/architecture.md, "False merges fall on common names, twins and siblings; missed merges hide
perpetrators". Every rule here reads only the level each comparison reached (and the
name-frequency part of the weight), so the same rule holds for pairs Splink scored in bulk
(``PairLevels.of_weights``), for pairs the in-process scorer scored (the intake check builds the
same table) and for two members of one cluster (``PairLevels.of_rows``: ``clusters.py``).

>>> from safehub.linkage.people import AgencyPerson, person_features
>>> twin_a = person_features(AgencyPerson("LA", "1", "Amelia", "Khan"))
>>> twin_b = person_features(AgencyPerson("LA", "2", "Olivia", "Khan"))
>>> PairLevels.of_rows([(twin_a, twin_b)]).given_names_differ().tolist()
[True]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

from safehub.linkage.comparisons import (
    COMPARISON_BY_NAME,
    COMPARISONS,
    CROSSED,
    INITIAL,
    KNOWN_APART,
    MIDDLE_DIFFERS,
    ONE_SLIP,
    OTHER_GIVEN,
    PERSONAL_COMPARISONS,
    SEXES_DIFFER,
    TRANSLITERATION,
    TYPING_SLIP,
)
from safehub.linkage.levels import ELSE
from safehub.linkage.model import LinkageModel

_SAME = "same name or known variant"
SAME_GIVEN = _SAME
_SWAPPED = ("swapped with the other name", "swapped, close spelling")
# Given names that are one name: the same or a listed variant (nickname, transliteration), one
# slip of the keyboard, names written the other way round, or names alike in spelling or
# consonants of which at most one is a listed name (Rebecca and Rebekah, Katie and Katey, a typo).
GIVEN_AGREES = (
    "same first and middle names",
    _SAME,
    ONE_SLIP,
    OTHER_GIVEN,
    INITIAL,
    *_SWAPPED,
    TRANSLITERATION,
    "close spelling (Jaro-Winkler >= 0.92)",
    "similar spelling (Jaro-Winkler >= 0.8)",
)
# Given names that are one name only loosely: an initial, a slip, alike spelling, one name of
# the other's, names written the other way round. Twins are often named so (Ava and Eva, Rhys
# and an "R.").
GIVEN_LOOSE = tuple(label for label in GIVEN_AGREES if label not in (GIVEN_AGREES[0], _SAME))
# Given names that differ outright: alike names recorded as different sexes (Daniel, Daniela),
# two listed names of different groups (Harry, Harvey; Hassan, Hussain), and names too far apart
# in spelling to be one name.
GIVEN_DIFFERS = (MIDDLE_DIFFERS, SEXES_DIFFER, KNOWN_APART, CROSSED, ELSE)
# Given names that only look alike: one letter apart, an initial, the same consonants, a close
# or similar spelling. Twins are named so (Jack and Jake, Mia and Maya, Louis and Louise, Kacper
# and Kamil, both "K.", Hassan and Hussain) and share a family name, a date of birth and an
# address: alike names with those agreeing are what twins look like as much as a typo does.
GIVEN_LOOK_ALIKE = (
    ONE_SLIP,
    INITIAL,
    TRANSLITERATION,
    "close spelling (Jaro-Winkler >= 0.92)",
    "similar spelling (Jaro-Winkler >= 0.8)",
)
FAMILY_AGREES = (_SAME, TRANSLITERATION, "close spelling (Jaro-Winkler >= 0.92)")
# Family names near enough for twins: as above, or only similar in spelling (one half of a
# double-barrelled name, "Standen" for "Standen-Evans"). The twins rules must hold wherever the
# family name agrees at all: a pair whose family names agree less is no less a twin.
FAMILY_ALIKE = (*FAMILY_AGREES, "similar spelling (Jaro-Winkler >= 0.8)")
ALIAS_AGREES = "an alias or other name of one is a name of the other"
# Dates of birth that agree: the same day, as far as both are known, or day and month swapped.
DOB_AGREES = ("same date", "agrees as far as known (partial date)", "day and month swapped")
DOB_APART = (ELSE, "within a year")
# Dates of birth that neither agree nor contradict: one side unknown, or one part keyed wrong.
DOB_UNSURE = ("missing", "one of day, month, year differs")
# Where someone lives agreeing: the same postcode or the same address written alike.
ADDRESS_AGREES = (
    "same postcode and address",
    "same postcode",
    "close address text (Jaro-Winkler >= 0.9)",
    "most address words the same",
)
# Identifiers a person holds that can corroborate a name and a date of birth. A household shares
# some of them (a family phone, an address), which is why they corroborate a name and a date
# of birth rather than stand on their own; values held under many names are already left out
# (``people.shared_identifiers``).
CORROBORATING = ("phone", "email", "vehicle", "handle")
# Identifiers a person holds as their own, which a twin does not share: a household shares an
# address and often a landline, rarely a mobile, an email, a handle or a vehicle.
OWN_IDENTIFIERS = ("phone", "email", "vehicle", "handle")
# A name at least this many bits more common than an average name (its two term-frequency
# adjustments added) is among the commonest: Mohammed Khan, Olivia Smith. Name, date of birth and
# a postcode are not enough for an adult of concern with such a name: namesakes share them.
COMMON_NAME_BITS = -2.0


@cache
def _index(comparison: str, labels: tuple[str, ...]) -> np.ndarray:
    levels = [level.label for level in COMPARISON_BY_NAME[comparison].levels]
    return np.array([levels.index(label) for label in labels if label in levels], dtype=np.int8)


@dataclass(frozen=True, slots=True)
class PairLevels:
    """For each comparison, the index of the level each pair reached (``-1``: not known)."""

    levels: Mapping[str, np.ndarray]
    name_tf_bits: np.ndarray

    @classmethod
    def of_weights(cls, pairs: pa.Table, model: LinkageModel) -> PairLevels:
        """Levels read back from Splink's per-comparison match weights (``mw_<comparison>``)."""
        levels = {spec.name: _levels_from_weights(pairs, model, spec.name) for spec in COMPARISONS}
        tf = np.zeros(pairs.num_rows)
        for column in ("mw_tf_adj_given_name", "mw_tf_adj_family_name"):
            if column in pairs.column_names:
                tf = tf + np.nan_to_num(pairs.column(column).to_numpy(zero_copy_only=False))
        return cls(levels, tf)

    @classmethod
    def of_rows(
        cls,
        pairs: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]],
        comparisons: Sequence[str] | None = None,
    ) -> PairLevels:
        """Levels of feature rows (``people.person_features``) compared in Python; only
        ``comparisons`` when given (the others count as not known)."""
        wanted = comparisons or [spec.name for spec in COMPARISONS]
        levels = {
            spec.name: np.array([spec.level_of(a, b) for a, b in pairs], dtype=np.int8)
            if spec.name in wanted
            else np.full(len(pairs), -1, dtype=np.int8)
            for spec in COMPARISONS
        }
        return cls(levels, np.zeros(len(pairs)))

    def at(self, comparison: str, *labels: str) -> np.ndarray:
        """Pairs whose ``comparison`` reached one of ``labels``."""
        return _mask(np.isin(self.levels[comparison], _index(comparison, labels)))

    def given_names_differ(self) -> np.ndarray:
        """Given names that differ outright, and no alias of one is the other's name, nor the
        names one person's written the other way round (``numbered_swap``)."""
        differ = self.at("given_name", *GIVEN_DIFFERS) & ~self.at("other_names", ALIAS_AGREES)
        return _mask(differ & ~self.numbered_swap())

    def numbered_swap(self) -> np.ndarray:
        """One record's given name is the other's family name ("Taylor Meah" and "Mia
        Taylor"), the other name differing (a slip in it), with the same NHS number and the same
        date of birth: one child's names written the other way round, not two children; the
        number names the child."""
        crossed = self.at("given_name", CROSSED) & self.at("nhs", "same")
        return _mask(crossed & self.at("dob", "same date"))

    def name_agrees(self) -> np.ndarray:
        swapped = self.at("given_name", *_SWAPPED)
        family = self.at("family_name", *FAMILY_AGREES) | swapped
        return _mask(self.at("given_name", *GIVEN_AGREES) & family)

    def dob_agrees(self) -> np.ndarray:
        return self.at("dob", *DOB_AGREES)

    def dob_apart(self) -> np.ndarray:
        """Dates of birth two of day, month and year apart (siblings, a parent and child)."""
        return self.at("dob", *DOB_APART)

    def relative(self) -> np.ndarray:
        """Given name and date of birth both different: a relative, whatever number they share.
        Names only alike (a mother Emma and her daughter Ella) do not count: FEBRL4's records of
        one person often carry a slip in the name and a wrong date at once (counting them cost
        0.0064 of its recall for one false merge saved on the generator's worlds)."""
        given = self.at("given_name", ELSE, CROSSED)
        return _mask(self.dob_apart() & given)

    def personal(self) -> np.ndarray:
        """An NHS or licence number agrees (a licence number even with one typing slip), and
        the pair does not look like relatives sharing a number keyed on the wrong record."""
        found = self.at("licence", TYPING_SLIP)
        for name in PERSONAL_COMPARISONS:
            found |= self.at(name, "same")
        return _mask(found & ~self.relative())

    def nhs_differs(self) -> np.ndarray:
        return self.at("nhs", "different")

    def conflict(self) -> np.ndarray:
        """Records that contradict each other: different NHS numbers, or dates of birth apart
        with no personal number agreeing (a typed date is often wrong, a number rarely)."""
        return _mask(self.nhs_differs() | (self.dob_apart() & ~self.personal()))

    def corroborated(self) -> np.ndarray:
        """An identifier besides the name and date of birth agrees."""
        found = self.at("address", *ADDRESS_AGREES)
        for name in CORROBORATING:
            found |= self.at(name, "same")
        return found

    def corroborations(self) -> np.ndarray:
        """How many independent identifiers agree: the address (or postcode) counts once, and
        each of phone, email, vehicle and handle once."""
        count = self.at("address", *ADDRESS_AGREES).astype(np.int8)
        for name in CORROBORATING:
            count = count + self.at(name, "same")
        return count

    def twin_like(self) -> np.ndarray:
        """How twins look: the family name and the date of birth the same (or one part of it
        keyed differently), the given names alike but not one name, and a phone or email of their own that differs, with no
        personal number agreeing."""
        # A date keyed wrong in one part does not make a twin less likely.
        born = self.at("dob", "same date", "one of day, month, year differs")
        shared = self.at("family_name", *FAMILY_ALIKE) & born
        loose = self.at("given_name", *GIVEN_LOOSE)
        own = self.at("phone", "different") | self.at("email", "different")
        return _mask(shared & loose & own & ~self.personal())

    def own_identifier(self) -> np.ndarray:
        """A personal number (NHS, licence) or an identifier of the person's own agrees."""
        found = self.personal()
        for name in OWN_IDENTIFIERS:
            found = found | self.at(name, "same")
        return _mask(found)

    def contacts_differ(self) -> np.ndarray:
        """A phone and an email recorded on both records, neither the same, and no NHS or
        licence number agreeing: an adult's own contacts both say someone else (a namesake
        born the same day, a same-named neighbour). One changed contact is everyday; both
        changed and nothing personal agreeing is a contradiction a person should weigh."""
        both = self.at("phone", "different") & self.at("email", "different")
        return _mask(both & ~self.personal())

    def look_alike(self) -> np.ndarray:
        """Given names only alike and the family name the same: a typo or a twin (a family
        name, a date of birth and an address are a household's). Such a pair waits for a person
        when the names are two names or the family has a multiple birth, unless an identifier
        of the person's own agrees (``decide.PersonFacts.twins_apart``)."""
        family = self.at("family_name", *FAMILY_ALIKE)
        alike = self.at("given_name", *GIVEN_LOOK_ALIKE) & family
        return _mask((alike | self.swapped_alike()) & ~self.at("other_names", ALIAS_AGREES))

    def renamed_alike(self) -> np.ndarray:
        """Given names only alike (``GIVEN_LOOK_ALIKE``: a letter apart, an initial, the same
        consonants, a close spelling) and family names that differ outright (``renamed``): two
        of a person's names differ, and what agrees besides (a date of birth, an address) is a
        household's. A twin recorded under a new family name (in care, a step-parent's) looks
        so: Ava Smith and Eva Pickles, Nora Butt and "N Bitt"."""
        return _mask(self.at("given_name", *GIVEN_LOOK_ALIKE) & self.renamed())

    def renamed(self) -> np.ndarray:
        """Family names that differ outright, and no alias of one is the other's name."""
        return _mask(self.at("family_name", ELSE) & ~self.at("other_names", ALIAS_AGREES))

    def initial_only(self) -> np.ndarray:
        """One given name is only an initial of the other's ("K Ashley", "Kacper Ashley"): with
        the family name, the date of birth and the address a household's, an initial cannot tell
        a person from their twin, whom the records may not show at all."""
        return _mask(self.at("given_name", INITIAL))

    def swapped_alike(self) -> np.ndarray:
        """Names written the other way round on one record, and only alike (Leonard Osei and
        "Osei Leon")."""
        return self.at("given_name", _SWAPPED[1])

    def common_name(self) -> np.ndarray:
        return _mask(self.name_tf_bits <= COMMON_NAME_BITS)

    def concern_evidence(self, near_years: np.ndarray | None = None) -> np.ndarray:
        """Enough to merge an adult of concern without a person: a personal number, or name
        and date of birth with an independent identifier, the name not among the commonest.

        A date of birth keyed differently in one part (a slip of day, month or year) vouches as
        a whole date does when the years are ``near_years`` (less than a generation apart: a
        father and son of one name may share a birthday, never a year). When the date is
        unknown on one side, two independent identifiers must agree instead of one: a father
        and son of one name share an address, rarely also a phone or an email."""
        name = self.name_agrees() & ~self.common_name()
        return _mask(self.personal() | (name & self.corroborates_name(near_years)))

    def corroborates_name(self, near_years: np.ndarray | None = None) -> np.ndarray:
        """What must agree besides a name for an adult of concern (``concern_evidence``)."""
        slip = self.at("dob", DOB_UNSURE[1])
        if near_years is not None:
            slip = slip & near_years
        dated = self.dob_agrees() | slip
        unsure = self.at("dob", *DOB_UNSURE)
        return _mask((dated & self.corroborated()) | (unsure & (self.corroborations() >= 2)))


def _mask(values: Any) -> np.ndarray:
    return np.asarray(values, dtype=bool)


def level_weights(model: LinkageModel, comparison: str) -> dict[float, str]:
    """Match weight → level label (Splink returns weights, not levels; first label wins a tie)."""
    spec = COMPARISON_BY_NAME[comparison]
    null_label = next(level.label for level in spec.levels if level.is_null)
    weights: dict[float, str] = {0.0: null_label}
    for level in spec.levels:
        if not level.is_null and model.parameters:
            weights.setdefault(model.level(comparison, level.label).match_weight, level.label)
    return weights


def _levels_from_weights(pairs: pa.Table, model: LinkageModel, comparison: str) -> np.ndarray:
    """Splink returns a weight per comparison, not a level: map each weight back to its level."""
    weights = pairs.column(f"mw_{comparison}").to_numpy(zero_copy_only=False)
    labels = [level.label for level in COMPARISON_BY_NAME[comparison].levels]
    found = np.full(len(weights), -1, dtype=np.int8)
    for weight, label in level_weights(model, comparison).items():
        found[weights == weight] = labels.index(label)
    return found
