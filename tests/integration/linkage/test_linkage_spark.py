"""The same resolution on Splink's Spark backend (tiny: Spark is slow to start on 2 cores)."""

from __future__ import annotations

from typing import Any

import pytest

from safehub.linkage import resolve_people
from safehub.synthetic.small_population import small_population


@pytest.mark.spark
def test_spark_gives_the_same_ids_as_duckdb_with_the_same_model(spark: Any) -> None:
    data = small_population(seed=21, people=30)
    duck = resolve_people(data.mentions)
    on_spark = resolve_people(data.mentions, engine="spark", model=duck.model)
    assert on_spark.person_ids == duck.person_ids
    assert len(set(duck.person_ids.values())) < len(duck.person_ids)  # duplicates were found
