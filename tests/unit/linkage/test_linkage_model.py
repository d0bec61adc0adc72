"""The saved model: JSON round trip, and a clear refusal of anything else."""

from __future__ import annotations

from pathlib import Path

import pytest

from safehub.linkage.comparisons import COMPARISONS
from safehub.linkage.model import LevelParameters, LinkageModel


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
