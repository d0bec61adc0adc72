"""The examples in the accounts docstrings hold (they document the rules)."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "safehub.services.accounts.passwords",
        "safehub.services.accounts.throttle",
        "safehub.services.accounts.mfa",
    ],
)
def test_docstring_examples_hold(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
