"""The examples in the timeliness docstrings hold (they document the rules)."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "safehub.services.timeliness.rules",
        "safehub.services.timeliness.clocks",
        "safehub.services.timeliness.recompute",
        "safehub.services.timeliness.escalation",
        "safehub.services.timeliness.notifications",
        "safehub.services.timeliness.workforce",
        "safehub.services.timeliness.meeting_drafts",
    ],
)
def test_docstring_examples_hold(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
