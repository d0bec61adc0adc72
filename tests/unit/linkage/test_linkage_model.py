"""The saved model: JSON round trip, and a clear refusal of anything else."""

from __future__ import annotations

from pathlib import Path

import pytest

from safehub.linkage.comparisons import COMPARISONS, PERSONAL_ODDS
from safehub.linkage.model import LevelParameters, LinkageModel, with_personal_u


def _model() -> LinkageModel:
    parameters = {
        spec.name: {
            level.label: LevelParameters(0.5, 0.1) for level in spec.levels if not level.is_null
        }
        for spec in COMPARISONS
    }
    return LinkageModel(2e-4, parameters, {"given_name": {"robert": 0.01}})


def test_model_survives_a_save_and_load(tmp_path: Path) -> None:
    model = _model()
    model.save(tmp_path / "model.json")
    loaded = LinkageModel.load(tmp_path / "model.json")
    assert loaded.to_dict() == model.to_dict()


def test_saved_model_carries_splink_settings_with_its_probabilities(tmp_path: Path) -> None:
    settings = _model().settings_for("spark")
    level = settings["comparisons"][0]["comparison_levels"][1]
    assert (level["m_probability"], level["u_probability"]) == (0.5, 0.1)


def test_loading_something_else_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(ValueError, match="not a Safehub linkage model"):
        LinkageModel.load(path)


@pytest.mark.parametrize("probability", [1e-4, 1e-8])
def test_an_agreeing_personal_number_alone_is_a_match_at_the_set_odds(probability: float) -> None:
    # Random pairs among licence holders are often one driver: u is set from the odds instead.
    model = LinkageModel(probability, with_personal_u(_model().parameters, probability))
    for comparison in ("nhs", "licence"):
        odds = 2.0 ** (model.prior_weight + model.level(comparison, "same").match_weight)
        assert odds == pytest.approx(1.0 / PERSONAL_ODDS)
    # A phone is shared in families: its u stays as sampled.
    assert model.level("phone", "same") == LevelParameters(0.5, 0.1)
