"""Stated defaults for what the input cannot train: a model trained once on a generated area.

Training estimates each parameter from the input (``training.py``). Where the input has too
little for one (no dates of birth at all, no identifiers, a handful of people), the parameter
falls back to this model's value and the training notes say so (``training_notes["defaults"]``);
``safehub resolve`` prints them as warnings on stderr.

The defaults are the model ``bench/linkage_default_model.py`` trains on a synthetic area
(``safehub.synthetic``, seed 1, 3,000 children): m and u of every comparison level, and its
prior. A test checks that they cover every level, so a change of the comparisons cannot leave
them behind unnoticed.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from safehub.linkage.model import LinkageModel

DEFAULT_MODEL = "data/default_model.json"


@cache
def default_model() -> LinkageModel:
    """The shipped model whose parameters stand in for those the input cannot train."""
    with resources.as_file(resources.files("safehub.linkage").joinpath(DEFAULT_MODEL)) as path:
        return LinkageModel.load(path)
