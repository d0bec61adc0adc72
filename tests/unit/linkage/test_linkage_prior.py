"""A saved model's prior is set for the population it is applied to."""

from __future__ import annotations

from pathlib import Path

from safehub.linkage import LinkageModel, resolve_people
from safehub.synthetic.small_population import small_population


def _trained_on(records: int, probability: float = 1e-3) -> LinkageModel:
    model = LinkageModel.untrained(probability)
    model.training_notes["records"] = records
    return model


def test_five_times_the_people_expect_a_fifth_of_the_chance_that_two_records_match() -> None:
    model = _trained_on(100_001)
    scaled = model.for_population(500_001)
    assert scaled.probability_two_random_records_match == 1e-3 / 5
    assert scaled.training_notes["records"] == 500_001
    # Scaling back is where it started: the notes say what the prior is now for.
    back = scaled.for_population(100_001).probability_two_random_records_match
    assert abs(back - 1e-3) < 1e-15


def test_the_same_population_or_an_unknown_one_leaves_the_prior_as_trained() -> None:
    model = _trained_on(1_000)
    assert model.for_population(1_000) is model
    assert (
        LinkageModel.untrained(1e-3).for_population(50_000).probability_two_random_records_match
        == 1e-3
    )


def test_the_scaled_prior_is_saved_with_the_population_it_is_for(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    _trained_on(10).for_population(19).save(path)
    loaded = LinkageModel.load(path)
    assert loaded.training_notes["records"] == 19
    assert abs(loaded.probability_two_random_records_match - 1e-3 / 2) < 1e-15


def test_resolving_more_people_than_trained_on_uses_the_scaled_prior() -> None:
    small = small_population(seed=2, people=40)
    model = resolve_people(small.mentions).model
    larger = small_population(seed=3, people=160)
    used = resolve_people(larger.mentions, model=model).model
    trained = model.training_notes["records"]
    assert used.training_notes["records"] > trained
    expected = (
        model.probability_two_random_records_match
        * (trained - 1)
        / (used.training_notes["records"] - 1)
    )
    assert abs(used.probability_two_random_records_match - expected) < 1e-15
