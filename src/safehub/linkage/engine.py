"""The two Splink backends: DuckDB in process (default) and Spark for national-scale jobs.

Both receive the same input table (a pyarrow table with a fixed schema, so that an all-empty
column still has a type) and the same model, rebuilt in their SQL dialect.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from splink import DuckDBAPI
from splink.internals.database_api import DatabaseAPI
from splink.internals.splink_dataframe import SplinkDataFrame

from safehub.linkage.comparisons import ARRAY_COLUMNS, INPUT_COLUMNS, INT_COLUMNS
from safehub.linkage.people import assert_no_protected

ENGINES = ("duckdb", "spark")


def input_schema() -> pa.Schema:
    fields = [pa.field("unique_id", pa.int64())]
    for column in INPUT_COLUMNS:
        if column in ARRAY_COLUMNS:
            kind: pa.DataType = pa.list_(pa.string())
        elif column in INT_COLUMNS:
            kind = pa.int64()
        else:
            kind = pa.string()
        fields.append(pa.field(column, kind))
    return pa.schema(fields)


def input_table(unique_ids: Sequence[int], rows: Sequence[dict[str, Any]]) -> pa.Table:
    """The Splink input frame: one row per agency person, columns in ``INPUT_COLUMNS`` only."""
    schema = input_schema()
    columns: dict[str, Sequence[Any]] = {"unique_id": list(unique_ids)}
    columns.update(zip(INPUT_COLUMNS, _transposed(rows), strict=True))
    table = pa.Table.from_pydict(columns, schema=schema)
    assert_no_protected(table.column_names)
    return table


def _transposed(rows: Sequence[dict[str, Any]]) -> list[Sequence[Any]]:
    """The rows' values column by column; transposed in C when every row has every column
    (``person_features`` rows do), which at a million people saves seconds."""
    if rows:
        try:
            return list(zip(*map(itemgetter(*INPUT_COLUMNS), rows), strict=True))
        except KeyError:
            pass
    return [[row.get(column) for row in rows] for column in INPUT_COLUMNS]


def make_db_api(engine: str, *, threads: int = 2) -> DatabaseAPI[Any]:
    """A fresh backend. DuckDB is in memory; Spark reuses the session of this process."""
    if engine == "duckdb":
        con = duckdb.connect()
        con.execute(f"SET threads = {int(threads)}")
        return DuckDBAPI(connection=con)
    if engine == "spark":
        from splink import SparkAPI

        return SparkAPI(spark_session=spark_session(), break_lineage_method="parquet")  # type: ignore[no-untyped-call,no-any-return]
    raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")


def close(db_api: DatabaseAPI[Any]) -> None:
    """Free an in-memory DuckDB database now, not when a garbage collection finds its linker
    (Splink's objects hold cycles): at scale the training database holds half a gigabyte of
    comparison vectors that would otherwise still be there while pairs are scored."""
    if isinstance(db_api, DuckDBAPI):
        db_api.duckdb_con.close()


def register(db_api: DatabaseAPI[Any], table: pa.Table, name: str) -> SplinkDataFrame:
    """Register ``table`` with the backend under a name unique to that backend."""
    if type(db_api).__name__ == "SparkAPI":
        # Through parquet: Spark reads it in parallel and keeps the schema (arrays, nulls).
        path = os.path.join(tempfile.mkdtemp(prefix="safehub-linkage-"), f"{name}.parquet")
        pq.write_table(table, path)
        frame = spark_session().read.schema(_spark_schema()).parquet(path)
        return db_api.register(frame, table_name=name)
    return db_api.register(table, table_name=name)


def spark_session() -> Any:
    """The process's Spark session, created for local mode the first time it is needed.

    docs/architecture.md: Splink's similarity functions need the jar shipped in its wheel, and
    Spark jobs need a checkpoint folder; the UI is off and shuffles use two partitions.
    """
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("safehub-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="safehub-spark-checkpoint-"))
    return spark


def _spark_schema() -> Any:
    from pyspark.sql import types as T

    fields = [T.StructField("unique_id", T.LongType())]
    for column in INPUT_COLUMNS:
        if column in ARRAY_COLUMNS:
            kind: Any = T.ArrayType(T.StringType())
        elif column in INT_COLUMNS:
            kind = T.LongType()
        else:
            kind = T.StringType()
        fields.append(T.StructField(column, kind))
    return T.StructType(fields)


class quiet_splink:
    """Splink logs every step at INFO; keep its errors (which go to stderr)."""

    def __enter__(self) -> None:
        self._logger = logging.getLogger("splink")
        self._level = self._logger.level
        self._logger.setLevel(logging.ERROR)

    def __exit__(self, *_exc: object) -> None:
        self._logger.setLevel(self._level)


SPLINK_LOG_LEVEL = logging.ERROR
