"""The examples in the network and alert services' docstrings hold (they document the inputs)."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from safehub.services.alerts import decisions
from safehub.services.networks import chart, export, graph, grounds, update


@pytest.mark.parametrize(
    "module", [chart, export, graph, grounds, update, decisions], ids=lambda m: m.__name__
)
def test_the_docstring_examples_hold(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
