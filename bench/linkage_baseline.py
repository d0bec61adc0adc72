"""Plain Splink with its default name, date and postcode comparisons, for comparison."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from safehub.extracts import Mention


def plain_splink(mentions: list[Mention]) -> dict[tuple[str, str], str]:
    """One row per agency person (first mention), default comparisons, threshold 0.95."""
    first: dict[tuple[str, str], Mention] = {}
    for m in mentions:
        first.setdefault(m.person_key, m)
    keys = sorted(first)
    frame = pd.DataFrame(
        {
            "unique_id": range(len(keys)),
            "first_name": [_lower(first[k].get("given_names").split(" ")[0]) for k in keys],
            "surname": [_lower(first[k].get("family_name")) for k in keys],
            "dob": [_full_date(first[k]) for k in keys],
            "postcode": [first[k].get("postcode").upper() or None for k in keys],
        }
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("dob"),
            block_on("surname", "postcode"),
        ],
    )
    con = duckdb.connect()
    con.execute("SET threads = 1")
    linker = Linker(DuckDBAPI(connection=con).register(frame), settings, log_level=40)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname")
    )
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.95)
    found: Any = clusters.as_pandas_dataframe()  # type: ignore[no-untyped-call]
    return {
        keys[int(u)]: str(c) for u, c in zip(found["unique_id"], found["cluster_id"], strict=True)
    }


def _full_date(mention: Mention) -> str | None:
    """Plain Splink's date comparison needs a whole date; a partial one is left out."""
    dob = mention.date_of_birth
    return dob.iso() if dob and dob.day else None


def _lower(value: str) -> str | None:
    return value.lower() or None
