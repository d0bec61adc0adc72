"""Stated defaults: every comparison level has one, so sparse input never lacks a parameter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safehub.linkage.comparisons import COMPARISONS
from safehub.linkage.defaults import default_model
from safehub.linkage.model import LinkageModel


def test_the_stated_defaults_cover_every_comparison_level() -> None:
    # Fails when the comparisons change: run bench/linkage_default_model.py again.
    model = default_model()
    for spec in COMPARISONS:
        for level in spec.levels:
            if not level.is_null:
                params = model.level(spec.name, level.label)
                assert 0 < params.m <= 1 and 0 < params.u <= 1


def test_the_defaults_carry_no_name_frequencies_of_the_data_they_came_from() -> None:
    assert not default_model().term_frequencies


def test_a_saved_model_missing_a_level_is_refused_on_load(tmp_path: Path) -> None:
    data = default_model().to_dict()
    del data["parameters"]["given_name"]["one letter differs (a slip)"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="train it again"):
        LinkageModel.load(path)
