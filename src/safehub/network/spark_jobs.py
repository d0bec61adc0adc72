"""The network rules as Spark jobs, for national scale (PySpark local mode or a cluster).

Same rules as the in-process engine (``links.py``, ``groups.py``), written with Spark DataFrames:
connected components by iterative min-label propagation (GraphFrames is not available), pairs
through contexts, strong links, adult bonds and the exploitation rule with its members of
substance (bound sets that more than one child holds together, their core, adults tied to two
of it), all as joins and aggregations, sightings of one phone or car counted once among adults linked to
children (``groups.sighting_alias``): nothing is collected to the driver. Leiden splitting is
not done here (networkit runs in process): a component of the adults' graph is a unit, where the
engine cuts one larger than ``MAX_GROUP_SIZE`` or holding two communities that each meet the
rule, so the two agree on the groups of a graph the engine does not cut.

Input: the concern rows as a DataFrame with columns ``person`` (string id), ``context`` (string),
``kind`` (context kind name), ``degree`` (people touching the context), ``licensed`` (people a
licensing authority licenses to drive the context, a car; 0 for the rest), ``named`` (whether
the person has a name on some row: ``ConcernTable.named``), ``cls`` (1 adult of concern, 2 child
victim), ``day`` (int) and ``w`` (record weight); see ``concern_rows_frame``. The
rows are a ``ConcernTable``'s: a licence puts no driver in a firm's car there already
(``concern_index._own_rows``); here a firm's car links people only within the time window, as a
place does (``links.person_links``).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from typing import Any

from safehub.network import weights
from safehub.network.concern import CONTEXT_KINDS, ConcernTable
from safehub.network.groups import MAX_ADULTS_PER_SHARED_CHILD, MIN_ADULTS
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
            int(table.context_licensed[int(c)]),
            bool(table.named[int(p)]),
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
    schema = (
        "person string, context string, kind string, degree long, licensed long,"
        " named boolean, cls long, day long, w double"
    )
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
    usable = _strongest_rows(usable.withColumn("windowed", _windowed()))
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


def _strongest_rows(rows: DataFrame) -> DataFrame:
    """Each person's strongest row for a context, or for a place or firm's car in each time
    window, as ``links.person_links`` thins them: a child seen at one hotel in forty missing
    episodes is one presence per window, and a pair's day is that of its strongest sighting
    (ties: the earliest)."""
    from pyspark.sql import functions as F

    bucket = F.when(F.col("windowed"), F.floor(F.col("day") / weights.PLACE_WINDOW_DAYS)).otherwise(
        F.lit(0)
    )
    by = ("person", "context", "kind", "degree", "windowed", "cls")
    return _strongest(rows.withColumn("bucket", bucket), (*by, "bucket"), "w").select(
        *by, "day", "w"
    )


def _windowed() -> Any:
    """Whether a row's context links people only within ``PLACE_WINDOW_DAYS``: a place, or a
    taxi firm's car (licensed to ``FIRM_CAR_DRIVERS`` or more), shared by whoever drives it that
    day; one man's own car ties whoever is recorded with it, years apart or not."""
    from pyspark.sql import functions as F

    firm_car = (F.col("kind") == "vehicle") & (F.col("licensed") >= weights.FIRM_CAR_DRIVERS)
    return (F.col("kind") == "place") | firm_car


def _strongest(frame: DataFrame, by: tuple[str, ...], weight: str) -> DataFrame:
    """Per ``by``, the greatest ``weight`` and the day of the row that has it (ties: the
    earliest day), as ``by``, ``weight``, ``day``."""
    from pyspark.sql import functions as F

    best = F.max(F.struct(F.col(weight), (-F.col("day")).alias("early")))
    return (
        frame.groupBy(*by)
        .agg(best.alias("best"))
        .select(*by, F.col(f"best.{weight}").alias(weight), (-F.col("best.early")).alias("day"))
    )


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
    in_window = ~F.col("x.windowed") | (
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
    # Several sightings of two people at one place count once, at their strongest, with its day.
    return _strongest(weighted, ("a", "b", "context", "kind", "combo"), "weight")


def rule_groups(rows: DataFrame) -> DataFrame:
    """``unit, person, role`` (``adult`` or ``child``) of the units that meet the group rule.

    The rule of ``groups.rule_groups``: a unit (a component of the adults tied directly or bound
    by a shared child in the window) is a group when its members (``_members``) hold two or more
    adults linked to child victims and a core of two or more."""
    from pyspark.sql import functions as F

    pairs, strong = person_links(rows)
    # Materialised once: every later step reads them, and lineage would recompute the joins.
    pairs = pairs.localCheckpoint()
    strong = strong.localCheckpoint()
    ac = strong.where(F.col("combo") == "AC").select("a", "b")
    child_bonds = _child_bonds(pairs, ac).localCheckpoint()
    shared = child_bonds.select("a", "b").distinct()
    ident = pairs.where(
        (F.col("combo") == "AA")
        & F.col("kind").isin(*IDENTIFIER_KINDS)
        & (F.col("weight") >= weights.LINK_THRESHOLD)
    ).select("a", "b")
    bonds = shared.union(ident).distinct()
    aa = strong.where(F.col("combo") == "AA").select("a", "b", "weight")
    # As ``groups._adult_edges``: a shared-child pair weighs LINK_THRESHOLD, added to any tie.
    adult_edges = (
        aa.union(shared.withColumn("weight", F.lit(weights.LINK_THRESHOLD)))
        .groupBy("a", "b")
        .agg(F.sum("weight").alias("weight"))
        .localCheckpoint()
    )
    loners = ac.select(F.col("a"), F.col("a").alias("b"))  # adults linked only to children
    units = connected_components(adult_edges.select("a", "b").union(loners).distinct())
    unit_of = units.select(F.col("node").alias("person"), F.col("component").alias("unit"))
    bound = _Bonds(bonds, child_bonds, shared, adult_edges, sighting_alias(rows))
    return _qualifying(unit_of, ac, bound)


def sighting_alias(rows: DataFrame) -> DataFrame:
    """``person, alias``: who each person counts as among adults linked to children
    (``groups.sighting_alias``): themselves, except that sightings sharing a phone, car, licence,
    handle or email, directly or through one another, count as one (the smallest of them).

    A sighting is an adult of concern with no name, known from one record alone and at no home
    address (a nameless row with a car at the school gates): three such rows of one car are that
    car seen three times, not three adults; a named man seen once is himself. Only people with a
    concern row of an identifier can share one as adults of concern, so those rows stand for
    ``ConcernTable.concern`` here."""
    from pyspark.sql import functions as F

    records = (
        rows.where(F.col("kind") == "record")
        .groupBy("person")
        .agg(F.countDistinct("context").alias("records"))
    )
    # Himself: at a home address, or with a name on some row.
    himself = rows.where((F.col("kind") == "address") | F.col("named")).select("person").distinct()
    sightings = (
        records.where(F.col("records") == 1).join(himself, "person", "left_anti").select("person")
    )
    held = (
        rows.where(F.col("kind").isin(*IDENTIFIER_KINDS) & (F.col("cls") == CONCERN))
        .join(sightings, "person")
        .select("person", "context")
        .distinct()
    )
    # People and identifiers in one graph: prefixed so a person id never meets a context name.
    edges = held.select(
        F.concat(F.lit("p:"), F.col("person")).alias("a"),
        F.concat(F.lit("c:"), F.col("context")).alias("b"),
    )
    seen = (
        connected_components(edges)
        .where(F.col("node").startswith("p:"))
        .select(F.expr("substring(node, 3)").alias("person"), "component")
    )
    smallest = seen.groupBy("component").agg(F.min("person").alias("alias"))
    aliased = seen.join(smallest, "component").select("person", "alias")
    everyone = rows.select("person").distinct()
    return (
        everyone.join(aliased, "person", "left")
        .select("person", F.coalesce(F.col("alias"), F.col("person")).alias("alias"))
        .localCheckpoint()
    )


def _child_bonds(pairs: DataFrame, ac: DataFrame) -> DataFrame:
    """``a, b, child``: adults a < b linked to the same child within the time window (a child
    linked to more than ``MAX_ADULTS_PER_SHARED_CHILD`` adults bonds none of them)."""
    from pyspark.sql import functions as F

    seen = pairs.where(F.col("combo") == "AC").join(ac, ["a", "b"])
    spans = seen.groupBy("a", "b").agg(F.min("day").alias("first"), F.max("day").alias("last"))
    crowded = spans.groupBy("b").count().where(F.col("count") > MAX_ADULTS_PER_SHARED_CHILD)
    spans = spans.join(crowded.select("b"), "b", "left_anti")
    s1, s2 = spans.alias("s1"), spans.alias("s2")
    gap = F.greatest(F.col("s1.first"), F.col("s2.first")) - F.least(
        F.col("s1.last"), F.col("s2.last")
    )
    return (
        s1.join(s2, F.col("s1.b") == F.col("s2.b"))
        .where((F.col("s1.a") < F.col("s2.a")) & (gap <= weights.SHARED_CHILD_WINDOW_DAYS))
        .select(F.col("s1.a").alias("a"), F.col("s2.a").alias("b"), F.col("s1.b").alias("child"))
        .distinct()
    )


@dataclass(frozen=True)
class _Bonds:
    """What binds adults (pairs a < b): ``bonds`` (a shared child in the window or a shared
    identifier), ``child_bonds`` (a, b, child), ``shared`` (their pairs) and ``adult_edges``
    (direct ties and shared-child pairs, with summed weight: ``Structure.adult_edges``); and
    ``alias`` (person, alias: ``sighting_alias``), who each adult counts as when bound adults
    linked to children are counted."""

    bonds: DataFrame
    child_bonds: DataFrame
    shared: DataFrame
    adult_edges: DataFrame
    alias: DataFrame


def _qualifying(unit_of: DataFrame, ac: DataFrame, bound: _Bonds) -> DataFrame:
    from pyspark.sql import functions as F

    links = ac.join(unit_of.withColumnRenamed("person", "a"), "a")  # a, b, unit
    # A person who is both an adult of concern and a child victim of his own unit is one of its
    # children, not one of its adults (``groups.rule_groups``).
    kids = links.select("unit", F.col("b").alias("person")).distinct()
    inside = unit_of.join(kids, ["unit", "person"], "left_anti").localCheckpoint()
    held = links.join(inside.withColumnRenamed("person", "a"), ["unit", "a"])  # children_of
    kept, core = _members(inside, held, bound)
    mine = held.join(kept.withColumnRenamed("person", "a"), ["unit", "a"])
    # Sightings of one car count once (``groups.distinct_adults``).
    linked = (
        mine.join(bound.alias.withColumnRenamed("person", "a"), "a")
        .groupBy("unit")
        .agg(F.countDistinct("alias").alias("adults"))
    )
    cored = core.groupBy("unit").agg(F.count("person").alias("core"))
    good = (
        linked.join(cored, "unit")
        .where((F.col("adults") >= MIN_ADULTS) & (F.col("core") >= MIN_ADULTS))
        .select("unit")
    )
    adults = kept.join(good, "unit").select("unit", "person", F.lit("adult").alias("role"))
    children = (
        mine.join(good, "unit")
        .select("unit", F.col("b").alias("person"), F.lit("child").alias("role"))
        .distinct()
    )
    return adults.union(children)


def _members(inside: DataFrame, held: DataFrame, bound: _Bonds) -> tuple[DataFrame, DataFrame]:
    """``(unit, person)`` of each unit's members and of its core: ``groups.members_of_substance``.

    The core: the bound sets (``_bound_sets``) where two or more adults are linked to child
    victims (sightings of one car counted once) and more than one child holds them together (``_held_sets``), and the adults linked
    to a child of those sets. Beyond the core, an adult of the unit is a member only when tied
    directly (adult_edges) to two or more core members."""
    from pyspark.sql import functions as F

    sets = _bound_sets(inside, bound.bonds)  # unit, person, set
    with_child = held.select(F.col("a").alias("person")).distinct()
    two_linked = (
        sets.join(with_child, "person")
        .join(bound.alias, "person")
        .groupBy("set")
        .agg(F.countDistinct("alias").alias("adults"))
        .where(F.col("adults") >= MIN_ADULTS)
        .select("set")
    )
    counted = two_linked.join(_held_sets(sets, bound), "set")
    bound_adults = sets.join(counted, "set").select("unit", "person")
    children = held.join(bound_adults.withColumnRenamed("person", "a"), ["unit", "a"])
    by_child = held.join(children.select("unit", "b").distinct(), ["unit", "b"])
    core = (
        bound_adults.union(by_child.select("unit", F.col("a").alias("person")))
        .distinct()
        .localCheckpoint()
    )
    ties = _inner(bound.adult_edges, inside, "unit")
    either = ties.select("unit", F.col("a").alias("person"), F.col("b").alias("partner")).union(
        ties.select("unit", F.col("b").alias("person"), F.col("a").alias("partner"))
    )
    joined = (
        either.join(core.withColumnRenamed("person", "partner"), ["unit", "partner"])
        .groupBy("unit", "person")
        .agg(F.countDistinct("partner").alias("partners"))
        .where(F.col("partners") >= 2)
        .select("unit", "person")
    )
    return core.union(joined).distinct().localCheckpoint(), core


def _inner(pairs: DataFrame, groups: DataFrame, key: str) -> DataFrame:
    """The pairs ``a, b`` whose two people are in the same ``key`` of ``groups`` (``person``,
    ``key``), with that key."""
    a = groups.select(groups["person"].alias("a"), groups[key])
    b = groups.select(groups["person"].alias("b"), groups[key])
    return pairs.join(a, "a").join(b, ["b", key])


def _bound_sets(inside: DataFrame, bonds: DataFrame) -> DataFrame:
    """``unit, person, set``: the adults of a unit bound to one another, directly or through
    others (``groups._bond_sets``); the set is named by its smallest member."""
    from pyspark.sql import functions as F

    inner = _inner(bonds, inside, "unit").select("a", "b")
    sets = connected_components(inner).select(
        F.col("node").alias("person"), F.col("component").alias("set")
    )
    return sets.join(inside, "person").localCheckpoint()


def _held_sets(sets: DataFrame, bound: _Bonds) -> DataFrame:
    """``set``: the bound sets that more than one child holds together (``groups._holds_together``):
    two or more children in the child bonds between their members, a bond that is not through a
    child (an identifier), a direct tie beyond the shared-child pairs, or a shared-child pair
    whose tie weighs more than LINK_THRESHOLD (a record naming both as well)."""
    from pyspark.sql import functions as F

    members = sets.select("person", "set")
    children = (
        _inner(bound.child_bonds, members, "set")
        .groupBy("set")
        .agg(F.countDistinct("child").alias("children"))
        .where(F.col("children") >= 2)
        .select("set")
    )
    identifier = _inner(bound.bonds, members, "set").join(bound.shared, ["a", "b"], "left_anti")
    through_child = bound.shared.withColumn("through_child", F.lit(True))
    ties = _inner(bound.adult_edges, members, "set").join(through_child, ["a", "b"], "left")
    tied = ties.where(F.col("through_child").isNull() | (F.col("weight") > weights.LINK_THRESHOLD))
    return children.union(identifier.select("set")).union(tied.select("set")).distinct()
