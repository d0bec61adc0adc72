"""The network rules as Spark jobs, for national scale (PySpark local mode or a cluster).

Same rules as the in-process engine (``links.py``, ``groups.py``), written with Spark DataFrames:
connected components by iterative min-label propagation (GraphFrames is not available), pairs
through contexts, strong links, adult bonds and the exploitation rule. Leiden splitting of
oversized components is not done here (networkit runs in process): a component is a unit.

Input: the concern rows as a DataFrame with columns ``person`` (string id), ``context`` (string),
``kind`` (context kind name), ``degree`` (people touching the context), ``cls`` (1 adult of
concern, 2 child victim), ``day`` (int) and ``w`` (record weight); see ``concern_rows_frame``.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

from safehub.network import weights
from safehub.network.concern import CONTEXT_KINDS, ConcernTable
from safehub.network.groups import MAX_ADULTS_PER_SHARED_CHILD
from safehub.network.links import IDENTIFIER_KINDS, RECORD_HUB_FREE_DEGREE, SUMMED_KINDS
from safehub.network.people import CHILD_VICTIM, CONCERN

DataFrame = Any  # pyspark.sql.DataFrame; pyspark is an optional dependency
MAX_ITERATIONS = 100


def spark_session() -> Any:
    """The process's Spark session: the linkage one (it carries Splink's jar) if available."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    try:
        from safehub.linkage.engine import spark_session as linkage_session

        return linkage_session()
    except ImportError:
        pass
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("safehub-network")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="safehub-network-spark-"))
    return spark


def concern_rows_frame(spark: Any, table: ConcernTable) -> DataFrame:
    """A concern table as the Spark input frame (for tests and small jobs)."""
    rows = [
        (
            table.person_ids[int(p)],
            table.contexts[int(c)],
            CONTEXT_KINDS[int(table.context_kind[int(c)])],
            int(table.context_degree[int(c)]),
            int(k),
            int(d),
            float(w),
        )
        for p, c, k, d, w in zip(
            table.row_person,
            table.row_context,
            table.row_class,
            table.row_day,
            table.row_weight,
            strict=True,
        )
    ]
    schema = "person string, context string, kind string, degree long, cls long, day long, w double"
    return spark.createDataFrame(rows, schema)


def connected_components(edges: DataFrame, max_iterations: int = MAX_ITERATIONS) -> DataFrame:
    """``node, component`` for an edge frame ``a, b``: the component is its smallest node id.

    Min-label propagation: every node takes the smallest label among itself and its neighbours
    until nothing changes (at most the graph's diameter rounds). Lineage is cut each round.
    """
    from pyspark.sql import functions as F

    both = edges.select("a", "b").union(edges.select(F.col("b").alias("a"), F.col("a").alias("b")))
    both = both.distinct().localCheckpoint()
    labels = both.select(F.col("a").alias("node")).distinct().withColumn("label", F.col("node"))
    for _ in range(max_iterations):
        offered = both.join(labels, both["a"] == labels["node"]).select(
            F.col("b").alias("node"), F.col("label")
        )
        updated = (
            labels.union(offered)
            .groupBy("node")
            .agg(F.min("label").alias("label"))
            .localCheckpoint()
        )
        changed = (
            updated.join(labels.withColumnRenamed("label", "old"), "node")
            .where(F.col("label") != F.col("old"))
            .limit(1)
            .count()
        )
        labels = updated
        if changed == 0:
            break
    return labels.withColumnRenamed("label", "component")


def person_links(rows: DataFrame) -> tuple[DataFrame, DataFrame]:
    """(pairs, strong) as in ``links.person_links``, with person ids instead of indices."""
    from pyspark.sql import functions as F

    usable = rows.where((F.col("degree") >= 2) & (F.col("degree") <= weights.HUB_CUTOFF_DEGREE))
    adults = usable.where(F.col("cls") == CONCERN)
    children = usable.where(F.col("cls") == CHILD_VICTIM)
    pairs = _pairs(adults, children, "AC").union(_pairs(adults, adults, "AA"))
    summed = F.when(F.col("kind").isin(*SUMMED_KINDS), F.sum("weight")).otherwise(F.max("weight"))
    by_kind = pairs.groupBy("a", "b", "combo", "kind").agg(summed.alias("weight"))
    strong = (
        by_kind.groupBy("a", "b", "combo")
        .agg(F.least(F.sum("weight"), F.lit(weights.MAX_LINK_WEIGHT)).alias("weight"))
        .where(F.col("weight") >= weights.LINK_THRESHOLD)
    )
    return pairs, strong


def _pairs(left: DataFrame, right: DataFrame, combo: str) -> DataFrame:
    from pyspark.sql import functions as F

    x = left.alias("x")
    y = right.alias("y")
    joined = x.join(y, F.col("x.context") == F.col("y.context"))
    order = (
        F.col("x.person") < F.col("y.person")
        if combo == "AA"
        else (F.col("x.person") != F.col("y.person"))
    )
    in_window = (F.col("x.kind") != "place") | (
        F.abs(F.col("x.day") - F.col("y.day")) <= weights.PLACE_WINDOW_DAYS
    )
    base = F.lit(0.0)
    for (kind, pair_combo), value in weights.PAIR_WEIGHT.items():
        if pair_combo == combo:
            base = F.when(F.col("x.kind") == kind, F.lit(value)).otherwise(base)
    free = F.when(F.col("x.kind") == "record", F.lit(RECORD_HUB_FREE_DEGREE)).otherwise(
        F.lit(weights.HUB_FREE_DEGREE)
    )
    hub = F.when(F.col("x.degree") <= free, F.lit(1.0)).otherwise(
        F.least(F.lit(1.0), F.lit(2.0) / F.log2(F.greatest(F.col("x.degree"), F.lit(2))))
    )
    strength = F.least(F.col("x.w"), F.col("y.w"))
    strength = F.when(F.col("x.kind") == "record", strength).otherwise(
        F.least(strength, F.lit(1.0))
    )
    weighted = joined.where(order & in_window).select(
        F.col("x.person").alias("a"),
        F.col("y.person").alias("b"),
        F.col("x.context").alias("context"),
        F.col("x.kind").alias("kind"),
        F.lit(combo).alias("combo"),
        (base * strength * hub).alias("weight"),
        F.col("y.day").alias("day"),
    )
    # Several sightings of two people at one context count once, at their strongest.
    return weighted.groupBy("a", "b", "context", "kind", "combo").agg(
        F.max("weight").alias("weight"), F.min("day").alias("day")
    )


def rule_groups(rows: DataFrame) -> DataFrame:
    """``unit, person, role`` (``adult`` or ``child``) of the units that meet the group rule."""
    from pyspark.sql import functions as F

    pairs, strong = person_links(rows)
    # Materialised once: every later step reads them, and lineage would recompute the joins.
    pairs = pairs.localCheckpoint()
    strong = strong.localCheckpoint()
    ac = strong.where(F.col("combo") == "AC").select("a", "b")
    seen = pairs.where(F.col("combo") == "AC").join(ac, ["a", "b"])
    spans = seen.groupBy("a", "b").agg(F.min("day").alias("first"), F.max("day").alias("last"))
    crowded = spans.groupBy("b").count().where(F.col("count") > MAX_ADULTS_PER_SHARED_CHILD)
    spans = spans.join(crowded.select("b"), "b", "left_anti")
    s1, s2 = spans.alias("s1"), spans.alias("s2")
    gap = F.greatest(F.col("s1.first"), F.col("s2.first")) - F.least(
        F.col("s1.last"), F.col("s2.last")
    )
    shared = (
        s1.join(s2, F.col("s1.b") == F.col("s2.b"))
        .where((F.col("s1.a") < F.col("s2.a")) & (gap <= weights.SHARED_CHILD_WINDOW_DAYS))
        .select(F.col("s1.a").alias("a"), F.col("s2.a").alias("b"))
    )
    ident = pairs.where(
        (F.col("combo") == "AA")
        & F.col("kind").isin(*IDENTIFIER_KINDS)
        & (F.col("weight") >= weights.LINK_THRESHOLD)
    ).select("a", "b")
    bonds = shared.union(ident).distinct()
    aa = strong.where(F.col("combo") == "AA").select("a", "b")
    loners = ac.select(F.col("a"), F.col("a").alias("b"))  # adults linked only to children
    units = connected_components(aa.union(shared).union(loners).distinct())
    return _qualifying(units, ac, bonds)


def _qualifying(units: DataFrame, ac: DataFrame, bonds: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F

    unit_of = units.select(F.col("node").alias("a"), F.col("component").alias("unit"))
    linked = ac.join(unit_of, "a")
    counts = linked.groupBy("unit").agg(F.countDistinct("a").alias("adults"))
    bonded = (
        bonds.join(unit_of, "a")
        .join(unit_of.select(F.col("a").alias("b"), F.col("unit").alias("unit_b")), "b")
        .where(F.col("unit") == F.col("unit_b"))
        .select("unit")
        .distinct()
    )
    good = counts.where(F.col("adults") >= 2).select("unit").join(bonded, "unit")
    adults = unit_of.join(good, "unit").select(
        "unit", F.col("a").alias("person"), F.lit("adult").alias("role")
    )
    kids = linked.join(good, "unit").select(
        "unit", F.col("b").alias("person"), F.lit("child").alias("role")
    )
    # A person both adult of concern and child victim in one unit is listed as the adult.
    return adults.union(kids.join(adults.select("unit", "person"), ["unit", "person"], "left_anti"))
