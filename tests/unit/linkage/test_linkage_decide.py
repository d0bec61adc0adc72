"""Decisions on scored pairs: what is linked, what waits for a person, what is told apart."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pyarrow as pa
import pytest  # type: ignore[import-untyped]
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from safehub.extracts import PartialDate
from safehub.linkage.comparisons import COMPARISONS
from safehub.linkage.decide import (
    CONTACTS_REASON,
    PersonFacts,
    cluster,
    decide,
    weights_to_columns,
)
from safehub.linkage.model import LevelParameters, LinkageModel
from safehub.linkage.people import AgencyPerson

ELSE = "all other comparisons"


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


def _pairs(model: LinkageModel, probability: float, tf: float = 0.0, **levels: str) -> pa.Table:
    """One pair (0, 1) at ``probability`` with the given comparison levels (others null) and
    ``tf`` bits of name-frequency adjustment (negative: a common name)."""
    row: dict[str, list[float]] = {"unique_id_l": [0], "unique_id_r": [1]}
    row["match_weight"] = [0.0]
    row["match_probability"] = [probability]
    for spec in COMPARISONS:
        label = levels.get(spec.name)
        weight = model.level(spec.name, label).match_weight if label else 0.0
        row[f"mw_{spec.name}"] = [weight]
    row["mw_tf_adj_given_name"] = row["mw_tf_adj_family_name"] = [tf / 2]
    return pa.table({c: row[c] for c in weights_to_columns([c.name for c in COMPARISONS])})


def _people(*people: AgencyPerson) -> PersonFacts:
    return PersonFacts.of(list(people))


def _child(ref: str, **kwargs: object) -> AgencyPerson:
    return AgencyPerson(
        "LA",
        ref,
        "Noor",
        "Khan",
        date_of_birth=PartialDate(2017, 5, 25),
        address="1 Green Lane",
        **kwargs,
    )  # type: ignore[arg-type]


def test_a_high_score_with_agreeing_names_and_dates_is_linked() -> None:
    model = _model()
    pairs = _pairs(model, 0.999, given_name="same name or known variant", dob="same date")
    facts = _people(_child("1"), _child("2"))
    assert decide(pairs, model, facts.of_concern, facts).accepted.tolist() == [True]


def test_two_people_named_in_one_record_are_never_linked_automatically() -> None:
    model = _model()
    pairs = _pairs(model, 0.999, given_name="same name or known variant", dob="same date")
    facts = _people(_child("1", record_ids=("R1",)), _child("2", record_ids=("R1",)))
    decisions = decide(pairs, model, facts.of_concern, facts)
    assert decisions.accepted.tolist() == [False]
    assert decisions.needs_review.tolist() == [True]


def test_someone_born_after_being_recorded_as_a_parent_is_someone_else() -> None:
    model = _model()
    mother = AgencyPerson(
        "POL",
        "1",
        "Noor",
        "Khan",
        roles=frozenset({"parent_carer"}),
        born_by=2024 - 14,
        latest_record=date(2024, 3, 1),
    )
    pairs = _pairs(model, 0.999, given_name="same name or known variant")
    facts = _people(mother, _child("2"))
    assert decide(pairs, model, facts.of_concern, facts).accepted.tolist() == [False]


def test_a_shared_licence_number_outweighs_a_conflicting_date_of_birth() -> None:
    model = _model()
    facts = _people(_child("1"), _child("2"))
    conflicting = _pairs(model, 0.9999, dob=ELSE, licence="different")
    licensed = _pairs(model, 0.9999, dob=ELSE, licence="same")
    assert decide(conflicting, model, facts.of_concern, facts).accepted.tolist() == [False]
    assert decide(licensed, model, facts.of_concern, facts).accepted.tolist() == [True]


def test_dates_of_birth_two_parts_apart_are_a_conflict_to_confirm() -> None:
    model = _model()
    facts = _people(_child("1"), _child("2"))
    pairs = _pairs(model, 0.9999, given_name="same name or known variant", dob="within a year")
    decisions = decide(pairs, model, facts.of_concern, facts)
    assert decisions.accepted.tolist() == [False]
    assert "conflicting" in decisions.reasons[0]


def test_a_name_and_nothing_else_only_ever_reaches_review() -> None:
    model = _model()
    thin = AgencyPerson("POL", "1", "Xanthe", "Quigley")
    rich = AgencyPerson("LA", "2", "Xanthe", "Quigley", date_of_birth=PartialDate(1990, 1, 1))
    pairs = _pairs(model, 0.999, given_name="same name or known variant")
    facts = _people(thin, rich)
    decisions = decide(pairs, model, facts.of_concern, facts)
    assert decisions.accepted.tolist() == [False]
    assert decisions.needs_review.tolist() == [True]
    assert np.all(facts.thin == [True, False])


def test_a_shared_number_does_not_outweigh_a_different_given_name_and_date_of_birth() -> None:
    # A relative's number keyed on the record (a mother's on her son's): a person confirms.
    model = _model()
    facts = _people(_child("1"), _child("2"))
    for given in (ELSE, "one name the same, in the other place"):
        pairs = _pairs(model, 0.9999, given_name=given, dob=ELSE, licence="same")
        decisions = decide(pairs, model, facts.of_concern, facts)
        assert decisions.accepted.tolist() == [False]
        assert decisions.needs_review.tolist() == [True]
        assert "given names differ" in decisions.reasons[0]


def test_a_shared_nhs_number_links_below_the_threshold_unless_it_looks_like_a_relative() -> None:
    model = _model()
    facts = _people(_child("1"), _child("2"))
    misspelt = _pairs(model, 0.6, nhs="same", given_name="one letter differs (a slip)")
    relative = _pairs(model, 0.6, nhs="same", given_name=ELSE, dob=ELSE)
    assert decide(misspelt, model, facts.of_concern, facts).accepted.tolist() == [True]
    decisions = decide(relative, model, facts.of_concern, facts)
    assert decisions.accepted.tolist() == [False]
    assert decisions.needs_review.tolist() == [True]


def test_a_shared_nhs_number_does_not_merge_two_given_names_that_differ_outright() -> None:
    # A twin's NHS number keyed on the other twin's record: the names tell them apart.
    model = _model()
    facts = _people(_child("1"), _child("2"))
    twins = _pairs(model, 0.9999, nhs="same", given_name=ELSE, dob="same date")
    decisions = decide(twins, model, facts.of_concern, facts)
    assert decisions.accepted.tolist() == [False]
    assert decisions.needs_review.tolist() == [True]
    assert decisions.held.tolist() == [True]


def _suspect(ref: str) -> AgencyPerson:
    return AgencyPerson(
        "POL",
        ref,
        "Tariq",
        "Mahmood",
        date_of_birth=PartialDate(1981, 7, 19),
        roles=frozenset({"suspect"}),
        latest_record=date(2024, 5, 1),
    )


_NAME_AND_DATE = {
    "given_name": "same name or known variant",
    "family_name": "same name or known variant",
    "dob": "same date",
}


def test_an_adult_of_concern_with_name_date_of_birth_and_phone_merges() -> None:
    model = _model()
    facts = _people(_suspect("1"), _suspect("2"))
    for corroboration in ({"phone": "same"}, {"address": "same postcode"}, {"handle": "same"}):
        pairs = _pairs(model, 0.9999, **_NAME_AND_DATE, **corroboration)
        assert decide(pairs, model, facts.of_concern, facts).accepted.tolist() == [True]


def test_an_adult_of_concern_with_name_and_date_of_birth_only_waits() -> None:
    model = _model()
    facts = _people(_suspect("1"), _suspect("2"))
    decisions = decide(_pairs(model, 0.9999, **_NAME_AND_DATE), model, facts.of_concern, facts)
    assert decisions.accepted.tolist() == [False]
    assert decisions.needs_review.tolist() == [True]
    assert "alone are not enough" in decisions.reasons[0]
    assert decisions.held.tolist() == [False]  # nothing contradicts: possibly the same man


def test_a_common_name_is_not_enough_for_an_adult_of_concern() -> None:
    model = _model()
    facts = _people(_suspect("1"), _suspect("2"))
    common = _pairs(model, 0.9999, tf=-3.0, **_NAME_AND_DATE, phone="same")
    decisions = decide(common, model, facts.of_concern, facts)
    assert decisions.accepted.tolist() == [False]
    assert "commonest names" in decisions.reasons[0]
    licensed = _pairs(model, 0.9999, tf=-3.0, **_NAME_AND_DATE, licence="same")
    assert decide(licensed, model, facts.of_concern, facts).accepted.tolist() == [True]


def test_a_phone_without_a_date_of_birth_does_not_merge_an_adult_of_concern() -> None:
    model = _model()
    facts = _people(_suspect("1"), _suspect("2"))
    pairs = _pairs(
        model,
        0.9999,
        given_name="same name or known variant",
        family_name="same name or known variant",
        phone="same",
    )
    assert decide(pairs, model, facts.of_concern, facts).accepted.tolist() == [False]


def test_twins_alike_in_name_with_phones_of_their_own_wait_for_a_person() -> None:
    model = _model()
    facts = _people(_child("1"), _child("2"))
    shared = {
        "given_name": "one letter differs (a slip)",
        "family_name": "same name or known variant",
        "dob": "same date",
        "address": "same postcode and address",
    }
    twins = decide(_pairs(model, 0.99999, **shared, phone="different"), model, *_of(facts))
    assert twins.accepted.tolist() == [False]
    assert "twins look like this" in twins.reasons[0]
    numbered = _pairs(model, 0.99999, **shared, phone="different", nhs="same")
    assert decide(numbered, model, *_of(facts)).accepted.tolist() == [True]
    same_name = {**shared, "given_name": "same name or known variant"}
    moved_phone = _pairs(model, 0.99999, **same_name, phone="different")
    assert decide(moved_phone, model, *_of(facts)).accepted.tolist() == [True]


def _of(facts: PersonFacts) -> tuple[np.ndarray, PersonFacts]:
    return facts.of_concern, facts


_NAME_ONLY = {
    "given_name": "same name or known variant",
    "family_name": "same name or known variant",
}


def test_without_a_date_of_birth_to_vouch_two_identifiers_merge_an_adult_of_concern() -> None:
    model = _model()
    facts = _people(_suspect("1"), _suspect("2"))
    two = _pairs(model, 0.9999, **_NAME_ONLY, phone="same", address="same postcode")
    assert decide(two, model, facts.of_concern, facts).accepted.tolist() == [True]
    one = decide(
        _pairs(model, 0.9999, **_NAME_ONLY, address="same postcode and address"),
        model,
        facts.of_concern,
        facts,
    )
    assert one.accepted.tolist() == [False]  # a father and son of one name share an address
    assert "fewer than two other identifiers" in one.reasons[0]
    common = _pairs(model, 0.9999, tf=-3.0, **_NAME_ONLY, phone="same", email="same")
    common_decision = decide(common, model, facts.of_concern, facts)
    assert common_decision.accepted.tolist() == [False]
    assert "commonest names" in common_decision.reasons[0]


def test_a_date_of_birth_keyed_wrong_in_one_part_vouches_with_one_identifier() -> None:
    """A slip of day, month or year is still the date of a person (a father and son of one
    name differ in more): name, that date and an address merge an adult of concern."""
    model = _model()
    facts = _people(_suspect("1"), _suspect("2"))
    slip = {**_NAME_ONLY, "dob": "one of day, month, year differs"}
    housed = _pairs(model, 0.9999, **slip, address="same postcode and address")
    assert decide(housed, model, facts.of_concern, facts).accepted.tolist() == [True]
    alone = decide(_pairs(model, 0.9999, **slip), model, facts.of_concern, facts)
    assert alone.accepted.tolist() == [False]
    assert "keyed differently and none agrees" in alone.reasons[0]
    common = _pairs(model, 0.9999, tf=-3.0, **slip, address="same postcode and address")
    assert decide(common, model, facts.of_concern, facts).accepted.tolist() == [False]
    apart = _pairs(model, 0.9999, **{**slip, "dob": "within a year"}, phone="same")
    assert decide(apart, model, facts.of_concern, facts).accepted.tolist() == [False]


def test_a_father_and_son_sharing_a_birthday_are_not_a_slip_of_the_year() -> None:
    """Stuart Brightworth born 23 June 1968 and his son born 23 June 2007 at one address: one
    part of the date differs, but by a generation, so the date does not vouch (dev world
    twins_heavy 2 merged them when it did)."""
    model = _model()
    father = replace(_suspect("1"), date_of_birth=PartialDate(1968, 6, 23))
    son = replace(_suspect("2"), date_of_birth=PartialDate(2007, 6, 23))
    facts = _people(father, son)
    pair = _pairs(
        model,
        0.9999,
        **_NAME_ONLY,
        dob="one of day, month, year differs",
        address="same postcode and address",
    )
    decision = decide(pair, model, facts.of_concern, facts)
    assert decision.accepted.tolist() == [False]
    assert "keyed differently and none agrees" in decision.reasons[0]
    typed = replace(son, date_of_birth=PartialDate(1969, 6, 23))  # the year keyed one out
    slipped = _people(father, typed)
    assert decide(pair, model, slipped.of_concern, slipped).accepted.tolist() == [True]


@pytest.mark.parametrize(
    "given", ["alike, recorded as different sexes", "two different listed names", ELSE]
)
def test_given_names_that_differ_outright_never_merge_however_much_else_agrees(given: str) -> None:
    model = _model()
    facts = _people(_child("1"), _child("2"))
    twins = _pairs(
        model,
        0.99999,
        given_name=given,
        family_name="same name or known variant",
        dob="same date",
        address="same postcode and address",
        phone="same",
    )
    decisions = decide(twins, model, facts.of_concern, facts)
    assert decisions.accepted.tolist() == [False]
    assert "given names differ" in decisions.reasons[0]


def test_an_alias_that_is_the_other_name_lets_different_given_names_merge() -> None:
    model = _model()
    facts = _people(_child("1"), _child("2"))
    pairs = _pairs(
        model,
        0.9999,
        given_name=ELSE,
        other_names="an alias or other name of one is a name of the other",
        dob="same date",
    )
    assert decide(pairs, model, facts.of_concern, facts).accepted.tolist() == [True]


def _scipy_labels(size: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    graph = coo_matrix((np.ones(len(left)), (left, right)), shape=(size, size))
    return np.asarray(connected_components(graph, directed=False)[1])


@pytest.mark.parametrize("seed", range(40))
def test_clusters_are_labelled_exactly_as_scipy_labels_them(seed: int) -> None:
    # Random graphs, sparse to dense, with repeated links and links to oneself; then a long
    # chain in shuffled order, the case that takes the most rounds.
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 400))
    links = int(rng.integers(0, 2 * size))
    left, right = rng.integers(0, size, links), rng.integers(0, size, links)
    assert cluster(size, left, right).tolist() == _scipy_labels(size, left, right).tolist()
    order = rng.permutation(size)
    left, right = order[:-1], order[1:]
    assert cluster(size, left, right).tolist() == _scipy_labels(size, left, right).tolist()


def test_no_people_no_clusters() -> None:
    assert cluster(0, np.array([], dtype=np.int64), np.array([], dtype=np.int64)).tolist() == []
    assert cluster(3, np.array([], dtype=np.int64), np.array([], dtype=np.int64)).tolist() == [
        0,
        1,
        2,
    ]


def _adult(agency: str, ref: str) -> AgencyPerson:
    return AgencyPerson(
        agency,
        ref,
        "Khalid",
        "Ahmad",
        date_of_birth=PartialDate(1972, 1, 31),
        latest_record=date(2024, 5, 1),
    )


def test_adults_whose_phones_and_emails_both_differ_wait_for_a_person() -> None:
    # Two Khalid Ahmads born the same day: a driver licensed in the town and a hospital
    # patient, each with a mobile and an email of his own, nothing personal agreeing.
    model = _model()
    facts = _people(_adult("LIC", "1"), _adult("NHS", "2"))
    apart = {**_NAME_AND_DATE, "phone": "different", "email": "different"}
    decisions = decide(_pairs(model, 0.9999, **apart), model, *_of(facts))
    assert decisions.accepted.tolist() == [False]
    assert decisions.needs_review.tolist() == [True]
    assert decisions.reasons[0] == CONTACTS_REASON
    assert decisions.held.tolist() == [False]  # nothing contradicts: possibly one man
    # One contact changed is everyday: a new phone, the same email.
    new_phone = _pairs(model, 0.9999, **_NAME_AND_DATE, phone="different", email="same")
    assert decide(new_phone, model, *_of(facts)).accepted.tolist() == [True]
    only_phone = _pairs(model, 0.9999, **_NAME_AND_DATE, phone="different")
    assert decide(only_phone, model, *_of(facts)).accepted.tolist() == [True]
    # An NHS number agreeing says it is one man whose contacts changed.
    numbered = _pairs(model, 0.9999, **apart, nhs="same")
    assert decide(numbered, model, *_of(facts)).accepted.tolist() == [True]


def test_a_childs_records_holding_different_parents_contacts_still_merge() -> None:
    # A school holds the mother's phone and email, the council the father's: they say nothing
    # of the child.
    model = _model()
    facts = _people(_child("1", latest_record=date(2024, 5, 1)), _child("2"))
    apart = {**_NAME_AND_DATE, "phone": "different", "email": "different"}
    assert decide(_pairs(model, 0.9999, **apart), model, *_of(facts)).accepted.tolist() == [True]
