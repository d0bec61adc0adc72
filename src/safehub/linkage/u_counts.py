"""u by random sampling in one query per comparison instead of one per chunk.

Splink counts the comparison levels of its random sample in ten chunks of the right-hand
records, stopping after the chunk where every level has been seen often enough. Each chunk is
a query of its own that joins the whole sample to itself and keeps a tenth of the pairs: ten
queries, ten joins and ten rounds of SQL generation per comparison, over half the training
time. ``one_query_per_comparison`` counts every chunk of a comparison at once (grouped by
chunk) the first time Splink asks for one, and answers the other nine from those counts. Splink
still decides when to stop, in the same order, so the u probabilities are the same to the bit:
each level's count is a whole number however it is added up.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from splink.internals import estimate_u
from splink.internals.pipeline import CTEPipeline
from splink.internals.unique_id_concat import _composite_unique_id_from_edges_sql

_splink_chunk = estimate_u._accumulate_u_counts_from_chunk_and_check_min_count
# Where the counts of every chunk are kept: on the accumulator of that comparison's run, so
# they live exactly as long as the run and two runs never share them.
_CHUNKS = "_safehub_chunk_counts"


@contextmanager
def one_query_per_comparison() -> Iterator[None]:
    """Within this block Splink's u estimation counts all the chunks of a comparison at once."""
    estimate_u._accumulate_u_counts_from_chunk_and_check_min_count = _all_chunks_at_once
    try:
        yield
    finally:
        estimate_u._accumulate_u_counts_from_chunk_and_check_min_count = _splink_chunk


def _all_chunks_at_once(**kwargs: Any) -> bool:
    """Splink's chunk step, answered from one grouped query (the probe, a hundredth of the
    pairs, stays Splink's own: it is cheap and often enough on its own)."""
    if kwargs.get("probe_percent_of_max_pairs") is not None:
        return bool(_splink_chunk(**kwargs))
    accumulator = kwargs["counts_accumulator"]
    chunks: dict[int, list[dict[str, Any]]] | None = getattr(accumulator, _CHUNKS, None)
    if chunks is None:
        chunks = _count_every_chunk(**kwargs)
        setattr(accumulator, _CHUNKS, chunks)
    accumulator.update_from_chunk_counts(chunks.get(kwargs["rhs_chunk_num"], []))
    wanted = kwargs["min_count_per_level"]
    return wanted is not None and bool(accumulator.all_levels_meet_min_u_count(wanted))


def _count_every_chunk(
    *,
    db_api: Any,
    df_sample: Any,
    split_sqls: list[dict[str, str]],
    input_tablename_sample_l: str,
    input_tablename_sample_r: str,
    link_type: Any,
    source_dataset_input_column: Any,
    unique_id_input_column: Any,
    comparison: Any,
    blocking_cols: list[str],
    cv_cols: list[str],
    rhs_num_chunks: int,
    **_ignored: Any,
) -> dict[int, list[dict[str, Any]]]:
    """Each chunk's count of pairs at each level of ``comparison``, by chunk number (from 1).

    The chunk of a pair is Splink's: the hash of the right-hand record's unique id, modulo the
    number of chunks, plus one (``splink.internals.chunking``)."""
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
            blocking_cols=blocking_cols,
            cv_cols=cv_cols,
            rhs_chunk_num=1,
            rhs_num_chunks=1,  # every pair: the chunk is a column below, not a filter
        )
    )
    ids = [unique_id_input_column]
    if source_dataset_input_column is not None:
        ids = [source_dataset_input_column, *ids]
    right = _composite_unique_id_from_edges_sql(ids, "r")  # type: ignore[no-untyped-call]
    chunk = f"(ABS({db_api.sql_dialect.hash_function_expression(right)}) % {rhs_num_chunks}) + 1"
    gamma = comparison._gamma_column_name
    pipeline.enqueue_sql(
        f"""
        select {chunk} as chunk, {gamma} as comparison_vector_value, count(*) as u_count
        from __splink__df_comparison_vectors
        group by 1, 2
        """,
        "__safehub_u_counts_by_chunk",
    )
    found = db_api.sql_pipeline_to_splink_dataframe(pipeline)
    try:
        rows = found.as_record_list()
    finally:
        found.drop_table_from_database_and_remove_from_cache()
    chunks: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        chunks.setdefault(int(row["chunk"]), []).append(
            {
                "comparison_vector_value": row["comparison_vector_value"],
                "u_count": float(row["u_count"]),
                "output_column_name": comparison.output_column_name,
            }
        )
    return chunks
