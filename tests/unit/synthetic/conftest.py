"""Small generated areas shared by the synthetic-data tests (generated once per session)."""

from __future__ import annotations

import pytest

from safehub.synthetic import generate_area
from tests.unit.synthetic.synth_helpers import Parsed, parse


@pytest.fixture(scope="session")
def small() -> Parsed:
    """About 2,000 rows: a tiny Bradford area with the default number of groups."""
    return parse(generate_area(seed=11, children=400))


@pytest.fixture(scope="session")
def dense() -> Parsed:
    """A medium area with many planted groups, for the group and fairness rules."""
    return parse(generate_area(seed=23, children=3000, groups=30, area="rochdale"))
