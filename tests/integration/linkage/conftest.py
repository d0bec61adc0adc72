"""Shared fixtures: one small resolved population, and one Spark session for the whole run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from safehub.linkage import Resolution, resolve_people
from safehub.synthetic.small_population import SmallPopulation, small_population


@pytest.fixture(scope="session")
def population(tmp_path_factory: pytest.TempPathFactory) -> SmallPopulation:
    return small_population(seed=11, people=150, out_dir=tmp_path_factory.mktemp("extracts"))


@pytest.fixture(scope="session")
def resolution(population: SmallPopulation) -> Resolution:
    return resolve_people(population.mentions)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """architecture.md: one Spark session per test run (UI off, two shuffle partitions)."""
    pytest.importorskip("pyspark")
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from safehub.linkage.engine import spark_session

    session = spark_session()
    yield session
    session.stop()


@pytest.fixture
def extract_dir(population: SmallPopulation) -> Path:
    return population.files[0].parent
