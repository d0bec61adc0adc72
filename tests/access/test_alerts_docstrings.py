"""The examples in the sealed-alert docstrings hold (a sealed alert's own title, its stored
dedupe key, the demo's partnership without an agreement)."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "module",
    ["safehub.services.alerts.kinds", "safehub.services.alerts.raising", "safehub.services.demo"],
)
def test_docstring_examples_hold(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
