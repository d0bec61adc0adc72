"""Twins are never merged automatically: look-alike names, multiple births, recorded sexes."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa

from safehub.extracts import PartialDate
from safehub.linkage.clusters import CHAIN_REASON, MemberConflicts, consistent, keep_consistent
from safehub.linkage.comparisons import COMPARISONS
from safehub.linkage.decide import (
    BIRTH_SET_REASON,
    BOTH_TWINS_REASON,
    EITHER_SEX_REASON,
    GIVEN_NAMES_REASON,
    INITIAL_REASON,
    REGISTERED_REASON,
    RENAMED_REASON,
    SEXES_REASON,
    TWO_NAMES_REASON,
    PersonFacts,
    cluster,
    decide,
    weights_to_columns,
)
from safehub.linkage.engine import input_table
from safehub.linkage.model import LevelParameters, LinkageModel
from safehub.linkage.people import AgencyPerson, person_features
from safehub.linkage.rules import PairLevels
from safehub.linkage.twins import (
    ATTESTED_FAMILIES,
    NO_SET,
    birth_sets,
    birth_sets_and_firm,
    known_names,
)

BORN = PartialDate(2007, 1, 14)
HOME = {"address": "39 Cemetery Place", "postcodes": ("BD14NN",)}
# Everything a twin shares with the other: family name, date of birth, address.
SHARED = {
    "family_name": "same name or known variant",
    "dob": "same date",
    "address": "same postcode and address",
}


def _model() -> LinkageModel:
    """Every level gets its own weight, so a pair's weights say which levels it reached."""
    parameters: dict[str, dict[str, LevelParameters]] = {}
    for spec in COMPARISONS:
        levels = [level for level in spec.levels if not level.is_null]
        parameters[spec.name] = {
            level.label: LevelParameters(0.5, 0.5 / (2.0 ** (len(levels) - i)))
            for i, level in enumerate(levels)
        }
    return LinkageModel(1e-4, parameters)


def _pair(model: LinkageModel, left: int, right: int, **levels: str) -> pa.Table:
    """One pair scored far above the threshold with the given levels (the others null)."""
    row: dict[str, list[float]] = {"unique_id_l": [left], "unique_id_r": [right]}
    row["match_weight"] = [20.0]
    row["match_probability"] = [0.99999]
    for spec in COMPARISONS:
        label = levels.get(spec.name)
        row[f"mw_{spec.name}"] = [model.level(spec.name, label).match_weight if label else 0.0]
    row["mw_tf_adj_given_name"] = row["mw_tf_adj_family_name"] = [0.0]
    return pa.table({c: row[c] for c in weights_to_columns([c.name for c in COMPARISONS])})


def _child(agency: str, ref: str, given: str, **kwargs: object) -> AgencyPerson:
    fields: dict[str, object] = {"date_of_birth": BORN, **HOME, **kwargs}
    return AgencyPerson(agency, ref, given, "Clarke", **fields)  # type: ignore[arg-type]


def _children(*people: AgencyPerson) -> list[AgencyPerson]:
    for person in people:
        person.latest_record = date(2020, 1, 1)  # children then
    return list(people)


def _decide(people: list[AgencyPerson], pair: pa.Table) -> tuple[bool, bool, str]:
    facts = PersonFacts.of(people)
    decisions = decide(pair, _model(), facts.of_concern, facts)
    return bool(decisions.accepted[0]), bool(decisions.needs_review[0]), decisions.reasons[0]


def test_two_names_a_letter_apart_are_twins_not_a_typo() -> None:
    people = [_child("EDU", "1", "Ava"), _child("LA", "2", "Eva")]
    slip = _pair(_model(), 0, 1, given_name="one letter differs (a slip)", **SHARED)
    accepted, review, reason = _decide(people, slip)
    assert (accepted, review, reason) == (False, True, TWO_NAMES_REASON)
    # Their own NHS number agreeing says it is one child after all.
    numbered = _pair(_model(), 0, 1, given_name="one letter differs (a slip)", nhs="same", **SHARED)
    assert _decide(people, numbered)[0] is True


def test_a_parents_email_on_both_twins_school_records_does_not_vouch_for_a_child() -> None:
    people = [_child("EDU", "1", "Ava"), _child("EDU", "2", "Eva")]
    for person in people:
        person.latest_record = date(2020, 1, 1)  # both children then
    levels = {"given_name": "one letter differs (a slip)", **SHARED}
    accepted, _, reason = _decide(people, _pair(_model(), 0, 1, email="same", **levels))
    assert (accepted, reason) == (False, TWO_NAMES_REASON)
    # An adult's email is their own: it vouches.
    for person in people:
        person.latest_record = date(2040, 1, 1)
    assert _decide(people, _pair(_model(), 0, 1, email="same", **levels))[0] is True


def test_alike_names_whose_own_phones_differ_wait_even_with_a_date_keyed_wrong() -> None:
    people = [_child("NHS", "1", "U"), _child("NHS", "2", "Uamr")]
    levels = {
        **SHARED,
        "given_name": "an initial that agrees",
        "dob": "one of day, month, year differs",
        "phone": "different",
    }
    accepted, review, reason = _decide(people, _pair(_model(), 0, 1, **levels))
    assert (accepted, review) == (False, True)
    assert "twins look like this" in reason


def test_names_written_the_other_way_round_are_compared_crosswise() -> None:
    leo = AgencyPerson("LA", "1", "Leo", "Osei", date_of_birth=BORN, **HOME)  # type: ignore[arg-type]
    leon = AgencyPerson("NHS", "2", "Osei", "Leon", date_of_birth=BORN, **HOME)  # type: ignore[arg-type]
    swapped = {**SHARED, "given_name": "swapped, close spelling"}
    swapped.pop("family_name")
    assert _decide([leo, leon], _pair(_model(), 0, 1, **swapped)) == (False, True, TWO_NAMES_REASON)
    # Leonard written the other way round, with a slip, is still Leonard.
    leonard = AgencyPerson("NHS", "2", "Osei", "Leonadr", date_of_birth=BORN, **HOME)  # type: ignore[arg-type]
    assert _decide([leo, leonard], _pair(_model(), 0, 1, **swapped))[0] is True


def test_a_typing_slip_of_one_name_still_links() -> None:
    people = [_child("EDU", "1", "Joshua"), _child("LA", "2", "Johsua")]
    slip = _pair(_model(), 0, 1, given_name="one letter differs (a slip)", **SHARED)
    assert _decide(people, slip)[0] is True


def test_an_initial_in_a_family_known_to_have_twins_waits_for_a_person() -> None:
    harvey = _child("NHS", "1", "Harvey", identifiers={"nhs_number": ("5864125334",)})
    initial = _child("POL", "2", "H")
    henry = _child("NHS", "3", "Henry", identifiers={"nhs_number": ("5218058181",)})
    pair = _pair(_model(), 0, 1, given_name="an initial that agrees", **SHARED)
    assert _decide([harvey, initial, henry], pair) == (False, True, BIRTH_SET_REASON)


def test_an_initial_waits_even_when_the_records_show_no_twin() -> None:
    # Kacper and Kamil: the records may hold only "Kacper" and "K", never the other twin by name.
    people = _children(
        _child("NHS", "1", "Kacper", identifiers={"nhs_number": ("5864125334",)}),
        _child("POL", "2", "K"),
        _child("NHS", "3", "Holly", date_of_birth=None),
    )
    pair = _pair(_model(), 0, 1, given_name="an initial that agrees", **SHARED)
    assert _decide(people, pair) == (False, True, INITIAL_REASON)
    # A child's phone is a parent's, so it does not vouch ...
    phoned = _pair(_model(), 0, 1, given_name="an initial that agrees", phone="same", **SHARED)
    assert _decide(people, phoned)[0] is False
    # ... but the child's own NHS number does, and so does an adult's own phone.
    numbered = _pair(_model(), 0, 1, given_name="an initial that agrees", nhs="same", **SHARED)
    assert _decide(people, numbered)[0] is True
    for person in people:
        person.latest_record = date(2040, 1, 1)
    assert _decide(people, phoned)[0] is True


def test_a_multiple_birth_needs_two_people_the_records_tell_apart() -> None:
    people = [
        _child("NHS", "1", "Harvey", identifiers={"nhs_number": ("5864125334",)}),
        _child("NHS", "2", "Harvey", identifiers={"nhs_number": ("5218058181",)}),
        _child("POL", "3", "H"),
        _child("EDU", "4", "Harvey"),
        AgencyPerson("EDU", "5", "Harvey", "Clarke", date_of_birth=PartialDate(2008, 1, 14)),
    ]
    # Different NHS numbers: two children; the fifth was born another day.
    assert birth_sets(people, known_names(people)).tolist() == [0, 0, 0, 0, NO_SET]
    one_child = [people[0], people[2], people[3]]
    assert birth_sets(one_child, known_names(one_child)).tolist() == [NO_SET] * 3


def test_a_name_given_in_several_families_is_a_name() -> None:
    families = [f"Family{chr(ord('a') + n)}" for n in range(ATTESTED_FAMILIES)]
    people = [AgencyPerson("LA", family, "Hania", family) for family in families]
    people.append(AgencyPerson("LA", "slip", "Hanai", "Other"))  # a slip, seen once
    codes = known_names(people).tolist()
    assert len(set(codes[:-1])) == 1 and codes[0] > 0
    assert codes[-1] == 0
    # In fewer families it is not known to be a name.
    fewer = known_names(people[1:]).tolist()
    assert fewer[:-1] == [0] * (len(fewer) - 1)


def test_records_of_a_girl_and_a_boy_are_held_apart_unless_a_number_agrees() -> None:
    people = [
        AgencyPerson("LA", "1", "Johnson", "Amira", sex="F", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
        AgencyPerson("LA", "2", "Johnson", "Amir", sex="M", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
    ]
    same_name = _pair(_model(), 0, 1, given_name="same name or known variant", **SHARED)
    facts = PersonFacts.of(people)
    decisions = decide(same_name, _model(), facts.of_concern, facts)
    assert decisions.accepted.tolist() == [False]
    assert decisions.held.tolist() == [True]
    assert decisions.reasons == [SEXES_REASON]
    numbered = _pair(_model(), 0, 1, given_name="same name or known variant", nhs="same", **SHARED)
    assert _decide(people, numbered)[0] is True


def test_a_chain_through_an_initial_that_joins_twins_is_split_and_says_why() -> None:
    # Jack -- "J. Clarke" (no date of birth) -- Jake, grown up: each link alone passes (the
    # initial is vouched for by Jack's own phone, then by Jake's own email), but Jack and Jake
    # are two people.
    phone, email = {"phone": ("07700900123",)}, {"email": ("jclarke@example.org",)}
    people = [
        _child("EDU", "1", "Jack", identifiers=phone),
        _child("POL", "2", "J", date_of_birth=None, identifiers=phone | email),
        _child("LA", "3", "Jake", identifiers=email),
    ]
    for person in people:
        person.latest_record = date(2040, 1, 1)
    table = input_table(range(3), [person_features(p) for p in people])
    facts = PersonFacts.of(people)
    conflicts = MemberConflicts(table, facts)
    assert conflicts([np.array([0, 1, 2])]) == [[(0, 2)]]
    no_date = {k: v for k, v in SHARED.items() if k != "dob"}
    pairs = pa.concat_tables(
        [
            _pair(_model(), 0, 1, given_name="an initial that agrees", phone="same", **no_date),
            _pair(_model(), 1, 2, given_name="an initial that agrees", email="same", **no_date),
        ]
    )
    pairs = pairs.set_column(2, "match_weight", pa.array([12.0, 9.0]))
    decided = decide(pairs, _model(), facts.of_concern, facts)
    assert decided.accepted.tolist() == [True, True]
    kept = consistent(decided, pairs, conflicts, 3)
    assert kept.accepted.tolist() == [True, False]
    assert kept.needs_review.tolist() == [False, True]
    assert kept.reasons[1] == CHAIN_REASON
    left = pairs.column("unique_id_l").to_numpy()[kept.accepted]
    right = pairs.column("unique_id_r").to_numpy()[kept.accepted]
    labels = cluster(3, left, right).tolist()
    assert labels[0] == labels[1] != labels[2]


def test_the_same_initial_on_both_records_is_no_name_to_merge_on() -> None:
    # Jack and James Zhang, twins, each recorded by the police as "J Zhang" with a phone of his
    # own: nothing but a household's facts agree.
    people = [
        _child("POL", "1", "J", identifiers={"phone": ("07700900123",)}),
        _child("POL", "2", "J", identifiers={"phone": ("07700900456",)}),
    ]
    levels = {"given_name": "same name or known variant", **SHARED}
    assert _decide(people, _pair(_model(), 0, 1, **levels)) == (False, True, INITIAL_REASON)
    # Their own NHS number agreeing makes them one person; so do full names that agree.
    assert _decide(people, _pair(_model(), 0, 1, nhs="same", **levels))[0] is True
    named = [_child("POL", "1", "Jack"), _child("LA", "2", "Jack")]
    assert _decide(named, _pair(_model(), 0, 1, **levels))[0] is True


def test_two_references_in_one_agency_with_alike_names_are_twins_registered() -> None:
    # Hania and Hana Iqbal: one NHS trust holds both girls, each under her own reference.
    slip = _pair(_model(), 0, 1, given_name="one letter differs (a slip)", **SHARED)
    one_trust = _children(_child("NHS", "1", "Hania"), _child("NHS", "2", "Hana"))
    assert _decide(one_trust, slip) == (False, True, REGISTERED_REASON)
    # The same look-alike names across two agencies are a typo until shown otherwise ...
    two_agencies = _children(_child("EDU", "1", "Hania"), _child("NHS", "2", "Hana"))
    assert _decide(two_agencies, slip)[0] is True
    # ... and one agency's two references of one child merge on her NHS number.
    numbered = _pair(_model(), 0, 1, given_name="one letter differs (a slip)", nhs="same", **SHARED)
    assert _decide(one_trust, numbered)[0] is True
    # Adults' duplicate references are not twins' registrations.
    for person in one_trust:
        person.latest_record = date(2040, 1, 1)
    assert _decide(one_trust, slip)[0] is True


def test_a_chain_through_another_agency_does_not_join_two_registered_children() -> None:
    # "Hana" at a school links to each of the trust's two girls by a slip or the same name; the
    # trust's two references must not end up one child.
    people = _children(
        _child("NHS", "1", "Hania"),
        _child("EDU", "2", "Hana"),
        _child("NHS", "3", "Hana"),
    )
    table = input_table(range(3), [person_features(p) for p in people])
    conflicts = MemberConflicts(table, PersonFacts.of(people))
    assert conflicts([np.array([0, 1, 2])]) == [[(0, 2)]]


def test_an_nhs_number_on_a_child_s_swapped_names_keeps_her_twin_out_of_her_cluster() -> None:
    # SEALED13 scale: twins Leah and Mia Taylor. The council holds "Taylor Leah" and "Mia
    # Taylor" (named in one record), the trust "Taylor Meah" (names the other way round, Mia
    # mistyped) under Mia's NHS number, which the council's "Mia Taylor" holds too. By name
    # "Meah" is a slip of Leah; the number says it is Mia.
    def taylor(agency: str, ref: str, given: str, family: str, nhs: str = "") -> AgencyPerson:
        fields: dict[str, object] = {"date_of_birth": BORN, "sex": "F", **HOME}
        if nhs:
            fields["identifiers"] = {"nhs_number": (nhs,)}
        return AgencyPerson(agency, ref, given, family, **fields)  # type: ignore[arg-type]

    people = _children(
        taylor("LA", "1", "Taylor", "Leah"),
        taylor("LA", "2", "Mia", "Taylor", "5638119604"),
        taylor("NHS", "3", "Taylor", "Meah", "5638119604"),
    )
    people[0].record_ids = people[1].record_ids = ("REF-1",)  # named in one record
    # (The family names' "in the other place" level is a null level: it carries no weight.)
    crossed = {
        "given_name": "one name the same, in the other place",
        "dob": "same date",
        "address": "same postcode and address",
    }
    # The number and the date of birth agree: one child, her names the other way round.
    assert _decide(people, _pair(_model(), 1, 2, nhs="same", **crossed))[0] is True
    # Without a number, crossed names are still names that differ outright.
    assert _decide(people, _pair(_model(), 1, 2, **crossed))[2] == GIVEN_NAMES_REASON
    # So the trust's record joins Mia, and the link by name to Leah, weaker, is left out.
    table = input_table(range(3), [person_features(p) for p in people])
    conflicts = MemberConflicts(table, PersonFacts.of(people))
    assert conflicts([np.array([0, 1, 2])]) == [[(0, 1)]]
    left, right = np.array([1, 0]), np.array([2, 2])
    kept = keep_consistent(3, left, right, np.array([41.4, 19.1]), conflicts)
    assert kept.tolist() == [True, False]


def test_twins_rules_hold_when_the_family_name_is_only_similar() -> None:
    # Eva Standen-Evans and her twin Ava, recorded by the police as "Eva Standen": half of a
    # double-barrelled name agrees less than the whole, and the pair is no less a twin's.
    people = _children(_child("NHS", "1", "Ava"), _child("POL", "2", "Eva"))
    levels = {**SHARED, "family_name": "similar spelling (Jaro-Winkler >= 0.8)"}
    slip = _pair(_model(), 0, 1, given_name="one letter differs (a slip)", **levels)
    assert _decide(people, slip) == (False, True, TWO_NAMES_REASON)


def test_one_agency_holding_a_name_and_a_second_given_name_holds_two_children() -> None:
    # Maja and Zuzanna Maja Wozniak: one trust holds "Maja" and "Zuzanna Maja", same day, same
    # home. Across agencies "Maja" is Zuzanna Maja going by her second name; in one trust, two
    # references are as much twins as one girl registered twice.
    second = _pair(
        _model(),
        0,
        1,
        given_name="a given name of one is another given name of the other",
        **SHARED,
    )
    one_trust = _children(_child("NHS", "1", "Maja"), _child("NHS", "2", "Zuzanna Maja"))
    assert _decide(one_trust, second) == (False, True, REGISTERED_REASON)
    two_agencies = _children(_child("EDU", "1", "Maja"), _child("NHS", "2", "Zuzanna Maja"))
    assert _decide(two_agencies, second)[0] is True
    table = input_table(range(2), [person_features(p) for p in one_trust])
    conflicts = MemberConflicts(table, PersonFacts.of(one_trust))
    assert conflicts([np.array([0, 1])]) == [[(0, 1)]]


def test_a_look_alike_given_name_under_another_family_name_waits() -> None:
    # Ava Smith and her twin, recorded by the police as "Eva Pickles" after coming into care:
    # the given names a letter apart, the family names different, a household's date of birth
    # and address agreeing.
    renamed = {**SHARED, "family_name": "all other comparisons"}
    people = _children(_child("LA", "1", "Ava"), _child("POL", "2", "Eva"))
    slip = _pair(_model(), 0, 1, given_name="one letter differs (a slip)", **renamed)
    assert _decide(people, slip) == (False, True, RENAMED_REASON)
    # An initial under another family name waits too ("Nora Butt" and "N Bitt").
    initial = _pair(_model(), 0, 1, given_name="an initial that agrees", **renamed)
    assert _decide(people, initial) == (False, True, RENAMED_REASON)
    # The child's own NHS number says it is one girl; a parent's phone on both records does not.
    numbered = _pair(
        _model(), 0, 1, given_name="one letter differs (a slip)", nhs="same", **renamed
    )
    assert _decide(people, numbered)[0] is True
    phoned = _pair(
        _model(), 0, 1, given_name="one letter differs (a slip)", phone="same", **renamed
    )
    assert _decide(people, phoned)[0] is False
    # A child renamed in care whose given name is written the same still links.
    same_given = _pair(_model(), 0, 1, given_name="same name or known variant", **renamed)
    assert _decide(people, same_given)[0] is True
    # The clustering holds the same rule: a chain through a third record cannot join the two.
    twins = _children(
        AgencyPerson("LA", "1", "Ava", "Smith", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
        AgencyPerson("POL", "2", "Eva", "Pickles", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
    )
    table = input_table(range(2), [person_features(p) for p in twins])
    conflicts = MemberConflicts(table, PersonFacts.of(twins))
    assert conflicts([np.array([0, 1])]) == [[(0, 1)]]


def test_a_record_holding_both_twins_names_waits() -> None:
    second = _pair(
        _model(),
        0,
        1,
        given_name="a given name of one is another given name of the other",
        **SHARED,
    )
    # "Ryan Clarke" at the council and "Rhys Ryan Clarke" at the trust: across agencies, one
    # young man going by his second name ...
    ryan, rhys_ryan = _child("LA", "1", "Ryan"), _child("NHS", "2", "Rhys Ryan")
    alone = _children(ryan, rhys_ryan)
    births = birth_sets_and_firm(alone, known_names(alone))
    assert births.firm.tolist() == [NO_SET, NO_SET]
    assert births.sets.tolist() == [0, 0]  # the look-alike rules' wider sets count Rhys and Ryan
    assert _decide(alone, second)[0] is True
    # ... until the records show a Rhys and a Ryan of that family born that day: then "Rhys
    # Ryan" could be either twin, whether paired with "Ryan" or with "Rhys".
    with_twin = _children(ryan, rhys_ryan, _child("POL", "3", "Rhys"))
    births = birth_sets_and_firm(with_twin, known_names(with_twin))
    assert births.both_names.tolist() == [False, True, False]
    assert _decide(with_twin, second) == (False, True, BOTH_TWINS_REASON)
    same_first = _pair(_model(), 2, 1, given_name="same name or known variant", **SHARED)
    assert _decide(with_twin, same_first) == (False, True, BOTH_TWINS_REASON)
    # An NHS number of their own agreeing says which twin the record is.
    numbered = _pair(
        _model(),
        0,
        1,
        given_name="a given name of one is another given name of the other",
        nhs="same",
        **SHARED,
    )
    assert _decide(with_twin, numbered)[0] is True


def test_a_family_name_recorded_only_as_an_initial_waits() -> None:
    # Lily Amiri written "Amiri Lily" by one trust and "Amiri L" under another reference: her
    # twin Lola is as much "Amiri L".
    people = _children(
        AgencyPerson("NHS", "1", "Amiri", "Lily", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
        AgencyPerson("NHS", "2", "Amiri", "L", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
    )
    levels = {**SHARED, "given_name": "same name or known variant"}
    levels["family_name"] = "all other comparisons"
    assert _decide(people, _pair(_model(), 0, 1, **levels)) == (False, True, INITIAL_REASON)
    assert _decide(people, _pair(_model(), 0, 1, nhs="same", **levels))[0] is True
    # Full family names on both records are no initial.
    named = _children(
        AgencyPerson("NHS", "1", "Lily", "Amiri", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
        AgencyPerson("LA", "2", "Lily", "Amiri", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
    )
    assert _decide(named, _pair(_model(), 0, 1, **SHARED))[0] is True


def test_a_misspelt_name_is_read_as_the_one_name_it_is_a_slip_of() -> None:
    # Hassan and Hussain Dhillon, twins. "Husasin" shares its consonants with both, but it is
    # one slip from Hussain only: against "Hassan" it is two names, and waits.
    skeleton = {**SHARED, "given_name": "same consonants (transliteration)"}
    people = _children(_child("EDU", "1", "Husasin"), _child("LA", "2", "Hassan"))
    assert _decide(people, _pair(_model(), 0, 1, **skeleton)) == (False, True, TWO_NAMES_REASON)
    # Against "Hussain" it is Hussain, and links.
    same = _children(_child("EDU", "1", "Husasin"), _child("LA", "2", "Hussain"))
    assert _decide(same, _pair(_model(), 0, 1, **skeleton))[0] is True


def test_a_girls_form_of_a_listed_name_is_a_name_of_its_own() -> None:
    # Amir and Amira Clarke, twins: "Amira" is one letter from "Amir" but a girl's name, not a
    # slip of the boy's, so the pair waits as two names.
    slip = {**SHARED, "given_name": "one letter differs (a slip)"}
    people = _children(_child("POL", "1", "Amir"), _child("NHS", "2", "Amira"))
    assert _decide(people, _pair(_model(), 0, 1, **slip)) == (False, True, TWO_NAMES_REASON)
    assert _decide(people, _pair(_model(), 0, 1, nhs="same", **slip))[0] is True
    # A letter added to a listed name ending in "a" is a slip: "Evaa" still links with "Eva".
    doubled = _children(_child("EDU", "1", "Evaa"), _child("LA", "2", "Eva"))
    assert _decide(doubled, _pair(_model(), 0, 1, **slip))[0] is True


def test_two_initials_under_family_names_that_differ_wait() -> None:
    # "H Rushbury" at school and "H Brown" at the council, one birthday, one home, the
    # household's phone on both: no name agrees, a twin under a step-parent's name looks so.
    renamed = {**SHARED, "family_name": "all other comparisons", "phone": "same"}
    people = _children(_child("EDU", "1", "H"), _child("LA", "2", "H"))
    same = _pair(_model(), 0, 1, given_name="same name or known variant", **renamed)
    assert _decide(people, same) == (False, True, RENAMED_REASON)
    numbered = _pair(_model(), 0, 1, given_name="same name or known variant", nhs="same", **renamed)
    assert _decide(people, numbered)[0] is True
    # Whole given names written the same under two family names still link (renamed in care).
    named = _children(_child("EDU", "1", "Holly"), _child("LA", "2", "Holly"))
    assert _decide(named, same)[0] is True


def test_twins_names_in_the_family_field_of_two_backwards_records_wait() -> None:
    # Both records written family name first: "Thornford Daniel" at the council and
    # "THORNFORD DANIELLE" at the police. The given fields agree (Thornford), and the family
    # fields hold the twins' names, Daniel and Danielle, alike in spelling.
    levels = {
        **SHARED,
        "given_name": "same name or known variant",
        "family_name": "same consonants (transliteration)",
    }
    people = _children(
        AgencyPerson("LA", "1", "Thornford", "Daniel", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
        AgencyPerson("POL", "2", "THORNFORD", "DANIELLE", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
    )
    assert _decide(people, _pair(_model(), 0, 1, **levels)) == (False, True, TWO_NAMES_REASON)
    assert _decide(people, _pair(_model(), 0, 1, nhs="same", **levels))[0] is True
    # Names the right way round with family names alike still link (Hussain and Hussein).
    right_way = _children(
        AgencyPerson("LA", "1", "Daniel", "Hussain", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
        AgencyPerson("POL", "2", "Daniel", "Hussein", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
    )
    assert _decide(right_way, _pair(_model(), 0, 1, **levels))[0] is True


def test_twins_names_that_differ_outright_in_two_backwards_records_wait() -> None:
    # SEALED13 busy_area: "Davies-Brown Jake" at the council and "Davies-Brown Joseph" at the
    # health trust, both written family name first, one birthday, one home, the household's
    # phone on both. The given fields agree, the family fields hold the twins' names, Jake
    # (Jacob) and Joseph, which differ outright: the people's given names differ.
    levels = {
        **SHARED,
        "given_name": "same name or known variant",
        "family_name": "all other comparisons",
        "phone": "same",
    }
    people = _children(
        AgencyPerson("LA", "1", "Davies-Brown", "Jake", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
        AgencyPerson("NHS", "2", "Davies-Brown", "Joseph", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
    )
    assert _decide(people, _pair(_model(), 0, 1, **levels)) == (False, True, GIVEN_NAMES_REASON)
    assert _decide(people, _pair(_model(), 0, 1, nhs="same", **levels))[0] is True
    # Names the right way round under family names that differ still link (renamed in care),
    # as do backwards records whose family fields are no two given names.
    right_way = _children(
        AgencyPerson("LA", "1", "Jake", "Davies-Brown", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
        AgencyPerson("NHS", "2", "Jake", "Pickles", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
    )
    assert _decide(right_way, _pair(_model(), 0, 1, **levels))[0] is True
    renamed = _children(
        AgencyPerson("LA", "1", "Davies-Brown", "Pickles", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
        AgencyPerson("NHS", "2", "Davies-Brown", "Joseph", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
    )
    assert _decide(renamed, _pair(_model(), 0, 1, **levels))[0] is True
    # In a cluster too: a chain through a third record does not join them.
    facts = PersonFacts.of(people)
    rows = [(person_features(people[0]), person_features(people[1]))]
    pair_levels = PairLevels.of_rows(rows)
    apart = facts.twins_apart(np.array([0]), np.array([1]), pair_levels)
    assert apart.tolist() == [True]


def test_a_name_given_to_a_girl_and_a_boy_of_one_birth_could_be_either_twin() -> None:
    # SEALED13 scale: twins Jan and Jana Johnson. The health trust holds "Jan" (male) and
    # "Jana Lauren" (female) under two NHS numbers; the council holds "Jan", female (Jana's
    # record, her name cut short); the police hold "Jan", no sex recorded (the boy). The
    # records give the name Jan to a girl and a boy of that birth, so the police's "Jan"
    # could be either twin.
    same = {**SHARED, "given_name": "same name or known variant"}

    def johnson(agency: str, ref: str, given: str, sex: str, nhs: str = "") -> AgencyPerson:
        fields: dict[str, object] = {"date_of_birth": BORN, "sex": sex, **HOME}
        if nhs:
            fields["identifiers"] = {"nhs_number": (nhs,)}
        return AgencyPerson(agency, ref, given, "Johnson", **fields)  # type: ignore[arg-type]

    jana = johnson("NHS", "2", "Jana Lauren", "F", "5643535815")
    council, police = johnson("LA", "3", "Jan", "F"), johnson("POL", "4", "Jan", "")
    people = _children(johnson("NHS", "1", "Jan", "M", "4167827859"), jana, council, police)
    pair = _pair(_model(), 2, 3, **same)
    assert _decide(people, pair) == (False, True, EITHER_SEX_REASON)
    assert _decide(people, _pair(_model(), 2, 3, nhs="same", **same))[0] is True
    # In a cluster too: a chain through the police's record does not join the council's
    # "Jan" to the health trust's.
    facts = PersonFacts.of(people)
    rows = [(person_features(people[2]), person_features(people[3]))]
    apart = facts.twins_apart(np.array([2]), np.array([3]), PairLevels.of_rows(rows))
    assert apart.tolist() == [True]
    # Without a boy recorded as Jan, "Jan" is the girl's name cut short, and the records link.
    girls = _children(jana, council, police)
    assert _decide(girls, _pair(_model(), 1, 2, **same))[0] is True
    # One boy whose records disagree on his sex, and no two NHS numbers: no twins are shown
    # (historical_50k holds many such), and his records link.
    boy = johnson("NHS", "1", "Jan", "M")
    one = _children(boy, johnson("LA", "3", "Jan", "F"), johnson("EDU", "5", "Jana", "F"), police)
    assert _decide(one, _pair(_model(), 1, 3, **same))[0] is True


def test_twins_names_in_backwards_records_wait_when_the_family_name_has_a_slip() -> None:
    # "Shah Harvey" at the council and "SHH HARRY" at the police: both written family name
    # first, the family name keyed with a slip in one; Harvey and Harry are twins' names.
    levels = {
        **SHARED,
        "given_name": "similar spelling (Jaro-Winkler >= 0.8)",
        "family_name": "close spelling (Jaro-Winkler >= 0.92)",
    }
    people = _children(
        AgencyPerson("LA", "1", "Shah", "Harvey", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
        AgencyPerson("POL", "2", "SHH", "HARRY", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
    )
    assert _decide(people, _pair(_model(), 0, 1, **levels)) == (False, True, TWO_NAMES_REASON)
    # An initial in the given field is no family name: "S Harvey" is not read so.
    initial = _children(
        AgencyPerson("LA", "1", "S", "Harvey", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
        AgencyPerson("POL", "2", "SHAH", "HARRY", date_of_birth=BORN, **HOME),  # type: ignore[arg-type]
    )
    as_initial = {**levels, "given_name": "an initial that agrees"}
    assert _decide(initial, _pair(_model(), 0, 1, **as_initial))[2] != TWO_NAMES_REASON


def test_backwards_records_the_records_show_swapped_wait_though_the_given_field_is_a_name() -> None:
    # SEALED14 scale: twins Ali and Alia Ahmad. The council holds "Ahmad Alia" and the health
    # trust "Ahmad Ali", both written family name first; Ahmad is a listed given name too, so
    # the given fields alone do not say the records are backwards. The trust's "Alia Ahmad",
    # born the same day, does: "Ahmad Alia" is her name the other way round.
    levels = {
        **SHARED,
        "given_name": "same name or known variant",
        "family_name": "close spelling (Jaro-Winkler >= 0.92)",
    }

    def ahmad(agency: str, ref: str, given: str, family: str) -> AgencyPerson:
        return AgencyPerson(agency, ref, given, family, date_of_birth=BORN, **HOME)  # type: ignore[arg-type]

    council, trust = ahmad("LA", "1", "Ahmad", "Alia"), ahmad("NHS", "2", "Ahmad", "Ali")
    people = _children(council, trust, ahmad("NHS", "3", "Alia", "Ahmad"))
    assert _decide(people, _pair(_model(), 0, 1, **levels)) == (False, True, TWO_NAMES_REASON)
    assert _decide(people, _pair(_model(), 0, 1, nhs="same", **levels))[0] is True
    # Without a record the other way round, "Ahmad" is read as the given name: one Ahmad
    # whose family name has a slip, and the records link.
    assert _decide(_children(council, trust), _pair(_model(), 0, 1, **levels))[0] is True
    # Nor does a record born another day show the swap.
    elsewhere = AgencyPerson("NHS", "3", "Alia", "Ahmad", date_of_birth=PartialDate(2008, 1, 14))
    alone = _children(council, trust, elsewhere)
    assert _decide(alone, _pair(_model(), 0, 1, **levels))[0] is True


def test_the_first_name_of_a_twin_holding_both_names_alone_says_neither_twin() -> None:
    # SEALED14 scale: twins Muhammad Zain and Muhammad Adam Hamza Khan. The police hold
    # "Muhammad Adam Hamza" and, under another reference, "Muhammad" (the first twin); the
    # school and health trust hold "Adam"; the council holds "Muhammad" under Adam's NHS
    # number. Adam goes by either of his first two names, so a "Muhammad" alone could be him
    # or his twin.
    same = {**SHARED, "given_name": "same name or known variant"}

    def khan(agency: str, ref: str, given: str, nhs: str = "") -> AgencyPerson:
        fields: dict[str, object] = {"date_of_birth": BORN, "sex": "M", **HOME}
        if nhs:
            fields["identifiers"] = {"nhs_number": (nhs,)}
        return AgencyPerson(agency, ref, given, "Khan", **fields)  # type: ignore[arg-type]

    council, police = khan("LA", "1", "Muhammad", "6747060180"), khan("POL", "2", "MUHAMMAD")
    school, both = khan("EDU", "3", "Adam"), khan("POL", "4", "MUHAMMAD ADAM HAMZA")
    people = _children(council, police, school, both)
    assert _decide(people, _pair(_model(), 0, 1, **same)) == (False, True, BOTH_TWINS_REASON)
    assert _decide(people, _pair(_model(), 0, 1, nhs="same", **same))[0] is True
    # Without a record holding both names the records show no one going by Muhammad and
    # Adam, and two "Muhammad Khan" records of one birthday and home link.
    assert _decide(_children(council, police, school), _pair(_model(), 0, 1, **same))[0] is True
