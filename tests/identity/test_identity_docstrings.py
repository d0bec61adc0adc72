"""The examples in the identity modules' docstrings hold (they show how each piece is used)."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from safehub.services.identity import index, intake, plan, review


@pytest.mark.parametrize("module", [index, intake, plan, review], ids=lambda m: m.__name__)
def test_the_docstring_examples_hold(module: ModuleType) -> None:
    assert doctest.testmod(module).failed == 0
