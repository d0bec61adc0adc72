"""u by random sampling in one query for every comparison instead of eleven per comparison.

For each comparison Splink counts the comparison levels of its random sample in a probe (a
hundredth of the pairs) and, unless every level has been seen often enough there, in ten chunks
of the right-hand records, stopping after the chunk where they have. Each probe and chunk is a
query of its own that joins the whole sample to itself: over half the training time of a small
run. ``one_query_for_every_comparison`` counts the pairs of every comparison at once, the first
time Splink asks for one, grouped by the hundredth of the pairs they fall in (Splink's probe is
one hundredth, each chunk ten), and answers every probe and chunk from those counts. Splink
still decides when to stop, in the same order, so the u probabilities are the same to the bit:
each level's count is a whole number however it is added up.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any

from splink.internals import estimate_u
from splink.internals.pipeline import CTEPipeline
from splink.internals.unique_id_concat import _composite_unique_id_from_edges_sql

_splink_chunk = estimate_u._accumulate_u_counts_from_chunk_and_check_min_count
# The pairs are counted by the hundredth they fall in: Splink's probe is the first of a hundred
# chunks, its chunks are ten, and a pair's chunk of ten is its hundredth's modulo ten.
_HUNDREDTHS = 100
# Where a run's counts are kept: on its sample, so they live exactly as long as the run and two
# runs never share them. Keyed by each comparison's CASE statement, exactly as Splink's query
# has it, so a count is only ever used for the expression it counted.
_COUNTS = "_safehub_u_counts"

# A comparison's counts: by hundredth, its (comparison vector value, pair count) rows.
Counts = dict[int, list[tuple[int, int]]]


@contextmanager
def one_query_for_every_comparison(comparisons: Sequence[Any] = ()) -> Iterator[None]:
    """Within this block Splink's u estimation counts ``comparisons`` (the linker's) in one
    query; a comparison that is not among them is counted on its own, in one query."""
    known = list(comparisons)
    estimate_u._accumulate_u_counts_from_chunk_and_check_min_count = partial(_from_counts, known)
    try:
        yield
    finally:
        estimate_u._accumulate_u_counts_from_chunk_and_check_min_count = _splink_chunk


def _from_counts(known: list[Any], **kwargs: Any) -> bool:
    """Splink's probe or chunk step, answered from the run's counts."""
    chunk, chunks = kwargs["rhs_chunk_num"], kwargs["rhs_num_chunks"]
    if _HUNDREDTHS % chunks:  # not made of hundredths: Splink counts it itself
        return bool(_splink_chunk(**kwargs))
    comparison = kwargs["comparison"]
    counts = _counts_of(comparison, known, kwargs)
    accumulator = kwargs["counts_accumulator"]
    accumulator.update_from_chunk_counts(
        [
            {"comparison_vector_value": value, "u_count": float(pairs)}
            for hundredth in range(chunk - 1, _HUNDREDTHS, chunks)
            for value, pairs in counts.get(hundredth, [])
        ]
    )
    wanted = kwargs["min_count_per_level"]
    return wanted is not None and bool(accumulator.all_levels_meet_min_u_count(wanted))


def _counts_of(comparison: Any, known: list[Any], kwargs: dict[str, Any]) -> Counts:
    """This comparison's counts, counting it with every known comparison not yet counted."""
    sample = kwargs["df_sample"]
    counted: dict[str, Counts] = getattr(sample, _COUNTS, None) or {}
    setattr(sample, _COUNTS, counted)
    key = comparison._case_statement  # built afresh each time it is read: read it once
    if key not in counted:
        name = comparison._gamma_column_name
        others = [(c._case_statement, c) for c in known if c._gamma_column_name != name]
        fresh = [(key, comparison), *((s, c) for s, c in others if s not in counted)]
        counted.update(_count(comparisons=fresh, **kwargs))
    return counted[key]


def _count(
    *,
    comparisons: list[tuple[str, Any]],
    db_api: Any,
    df_sample: Any,
    split_sqls: list[dict[str, str]],
    input_tablename_sample_l: str,
    input_tablename_sample_r: str,
    link_type: Any,
    source_dataset_input_column: Any,
    unique_id_input_column: Any,
    **_ignored: Any,
) -> dict[str, Counts]:
    """Each comparison's counts (``comparisons`` are its CASE statement and itself, the counts are
    by its CASE statement), from one join of the sample to itself.

    A pair's hundredth is Splink's chunk arithmetic (``splink.internals.chunking``) with a
    hundred chunks, less one: the hash of the right-hand record's unique id, modulo 100."""
    ids = [unique_id_input_column]
    if source_dataset_input_column is not None:
        ids = [source_dataset_input_column, *ids]
    pipeline = CTEPipeline(input_dataframes=[df_sample])
    if split_sqls:
        pipeline.enqueue_list_of_sqls(split_sqls)
    pipeline.enqueue_list_of_sqls(
        estimate_u._estimate_u_comparison_vector_sqls(
            db_api=db_api,
            input_tablename_l=input_tablename_sample_l,
            input_tablename_r=input_tablename_sample_r,
            link_type=link_type,
            source_dataset_input_column=source_dataset_input_column,
            unique_id_input_column=unique_id_input_column,
            blocking_cols=_deduped(
                [*(name for uid in ids for name in uid.l_r_names_as_l_r)]
                + [name for _, c in comparisons for name in _columns(c)]
            ),
            cv_cols=[
                *(name for uid in ids for name in uid.names_l_r),
                *(statement for statement, _ in comparisons),
                "match_key",
            ],
            rhs_chunk_num=1,
            rhs_num_chunks=1,  # every pair: the hundredth is a column below, not a filter
        )
    )
    right = _composite_unique_id_from_edges_sql(ids, "r")  # type: ignore[no-untyped-call]
    hundredth = f"ABS({db_api.sql_dialect.hash_function_expression(right)}) % {_HUNDREDTHS}"
    gammas = [c._gamma_column_name for _, c in comparisons]
    sets = ", ".join(f"(hundredth, {gamma})" for gamma in gammas)
    pipeline.enqueue_sql(
        f"""
        select hundredth, {", ".join(gammas)},
            {", ".join(f"grouping({gamma}) as grouped_{i}" for i, gamma in enumerate(gammas))},
            count(*) as u_count
        from (select {hundredth} as hundredth, * from __splink__df_comparison_vectors)
        group by grouping sets ({sets})
        """,
        "__safehub_u_counts_by_hundredth",
    )
    found = db_api.sql_pipeline_to_splink_dataframe(pipeline)
    try:
        rows = found.as_record_list()
    finally:
        found.drop_table_from_database_and_remove_from_cache()
    return _by_comparison(comparisons, rows)


def _by_comparison(
    comparisons: list[tuple[str, Any]], rows: list[dict[str, Any]]
) -> dict[str, Counts]:
    """The grouped rows split by comparison: a row counts the comparison its set grouped by."""
    gammas = [c._gamma_column_name for _, c in comparisons]
    counts: list[Counts] = [{} for _ in comparisons]
    for row in rows:
        i = next(i for i in range(len(gammas)) if row[f"grouped_{i}"] == 0)
        counts[i].setdefault(int(row["hundredth"]), []).append(
            (int(row[gammas[i]]), int(row["u_count"]))
        )
    return {statement: found for (statement, _), found in zip(comparisons, counts, strict=True)}


def _columns(comparison: Any) -> list[str]:
    """The columns a comparison's levels read, from both records: Splink's columns for blocking
    without the term frequencies, which u estimation does not use (``estimate_u_values`` drops
    them on its copy of the settings; the linker's comparisons may still have them)."""
    return [
        name
        for level in comparison.comparison_levels
        for column in level._input_columns_used_by_sql_condition
        for name in column.l_r_names_as_l_r
    ]


def _deduped(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))
