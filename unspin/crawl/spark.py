"""The Spark engine of ``unspin cluster``: the same stages as :mod:`unspin.crawl.cluster`, as Spark jobs.

Every function that decides anything (reading, picking one document per id, folding
verbatim duplicates, fingerprints, alignment and judgement, grouping) is the one the local
engine calls; Spark only moves data between them. The exception is the candidate stage,
the one that handles every pair vote: it runs as Spark SQL in the JVM
(:func:`candidate_frame`), with the local engine's cap and rule (the same constants), and
a test holds the two to the same pairs:

====================  ==========================================================  =============
stage                 Spark                                                       shared code
====================  ==========================================================  =============
read                  ``binaryFiles`` -> ``flatMap`` (one file per task)           reader registry
one per id            ``reduceByKey``                                             :func:`pick`
duplicates            ``groupByKey`` on the text digest                           :func:`fold`
fingerprint           ``map``                                                     :func:`profile`
candidates            DataFrame: ``explode`` (doc, feature) -> ``groupBy`` count  the cap and rule of
                      (cap) -> self-join on feature -> ``groupBy`` pair count     :func:`candidate_pairs`
                      -> ``join`` informative sizes -> rule
align + judge         two ``join`` s with the texts -> ``mapPartitions``           :func:`judge_pair`
groups                union-find on the driver (edges are few)                    :func:`build_groups`
====================  ==========================================================  =============

Paths that Spark reads (``hdfs://``, ``s3a://``, globs) pass through; local files and
folders are expanded here so that ids (a text file's id is its name, :func:`unspin.read.expand_inputs`) match the local
engine's.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from unspin.crawl.cluster import (
    MAX_DF,
    MIN_SHARED,
    MIN_SHARED_SHARE,
    ClusterStats,
    Edge,
    Meta,
    build_groups,
    finish,
    judge_against,
    judge_pair,
    missing_judgements,
    pick,
    precedence,
    profile,
    text_digest,
)
from unspin.document import Document, ReadError
from unspin.read import READERS, Limits, Selection, _guarded, _read_sniffed, expand_inputs, file_kind


def session(master: str = "local[*]", app: str = "unspin cluster") -> Any:
    """A Spark session; quiet, without the web UI."""
    import sys

    from pyspark.sql import SparkSession

    # Local workers run this interpreter (where unspin is installed) unless told otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(master).appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", os.environ.get("UNSPIN_SPARK_DRIVER_MEMORY", "4g"))
        .config("spark.python.worker.reuse", "true")
    )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _is_local(path: str) -> bool:
    scheme = urlsplit(path).scheme
    return scheme in ("", "file") or len(scheme) == 1  # a Windows drive letter


def spark_inputs(paths: list[str], selection: Selection | None = None) -> tuple[list[str], dict[str, str], list[ReadError]]:
    """Spark input URIs, the name each local file is known by (as the local engine names it), errors."""
    uris, names, errors = [], {}, []
    for path in paths:
        if not _is_local(path):
            uris.append(path)
            continue
        for found in expand_inputs(path.removeprefix("file://"), selection):
            if isinstance(found, ReadError):
                errors.append(found)
            else:
                absolute = os.path.abspath(found.path)
                uris.append("file://" + absolute)
                names[absolute] = found.name
    return uris, names, errors


def _read_bytes(name: str, data: bytes, limits: Limits) -> Iterator[Document | ReadError]:
    """The documents of one file's bytes, with the reader its name selects."""
    read = READERS.get(file_kind(name), _read_sniffed)
    yield from _guarded(name, read(name, lambda: io.BytesIO(data), limits))


def cluster_paths(
    paths: list[str],
    master: str = "local[*]",
    max_df: int = MAX_DF,
    limits: Limits = Limits(),
    partitions: int = 0,
    on_error: Callable[[ReadError], None] | None = None,
    stats: ClusterStats | None = None,
    spark: Any = None,
    selection: Selection | None = None,
) -> list[dict[str, Any]]:
    """Cluster the collection under ``paths`` on Spark; the same groups as the local engine."""
    stats = stats if stats is not None else ClusterStats()
    own_session = spark is None
    spark = spark or session(master)
    try:
        return _cluster(spark, paths, max_df, limits, partitions, on_error, stats, selection)
    finally:
        if own_session:
            spark.stop()


def _cluster(spark: Any, paths: list[str], max_df: int, limits: Limits, partitions: int,
             on_error: Callable[[ReadError], None] | None, stats: ClusterStats,
             selection: Selection | None = None) -> list[dict[str, Any]]:
    sc = spark.sparkContext
    parts = partitions or sc.defaultParallelism * 4
    spark.conf.set("spark.sql.shuffle.partitions", str(parts))
    clock = time.perf_counter()
    uris, names, errors = spark_inputs(paths, selection)
    names_b = sc.broadcast(names)
    items = sc.parallelize([], 1)
    if uris:
        files = sc.binaryFiles(",".join(uris), minPartitions=parts)
        items = files.flatMap(lambda f: _read_bytes(_local_name(f[0], names_b.value), f[1], limits))
    items = items.persist()
    errors += items.filter(lambda i: isinstance(i, ReadError)).collect()
    stats.errors = len(errors)
    for error in errors:
        if on_error:
            on_error(error)

    # One document per id, then fingerprints and metadata.
    documents = (
        items.filter(lambda i: isinstance(i, Document))
        .map(lambda d: (d.id, d))
        .reduceByKey(pick, numPartitions=parts)
    )
    profiled = documents.mapValues(lambda d: (d, *profile(d))).persist()  # id -> (doc, features, meta)
    metas: dict[str, Meta] = dict(profiled.mapValues(lambda v: v[2]).collect())
    stats.documents = len(metas)
    items.unpersist()
    stats.seconds["read+fingerprint"] = time.perf_counter() - clock
    clock = time.perf_counter()

    # Verbatim duplicates fold into one representative per text.
    metas_b = sc.broadcast(metas)
    folded = (
        profiled.map(lambda kv: (text_digest(kv[1][0].text), kv[0]))
        .groupByKey()
        .map(lambda kv: sorted(kv[1], key=lambda i: precedence(i, metas_b.value[i])))
    )
    duplicates = dict(folded.filter(lambda ids: len(ids) > 1).map(lambda ids: (ids[0], sorted(ids[1:]))).collect())
    dropped = {d for ids in duplicates.values() for d in ids}
    dropped_b = sc.broadcast(dropped)
    stats.duplicates = len(dropped)
    stats.seconds["duplicates"] = time.perf_counter() - clock
    clock = time.perf_counter()
    representatives = profiled.filter(lambda kv: kv[0] not in dropped_b.value)

    # Candidate pairs, in the JVM: (document, feature) rows, features in more than max_df
    # documents dropped, a self-join on the feature, shared features counted per pair.
    # Documents are numbered in id order (so a < b is the local engine's order).
    numbers = {doc_id: n for n, doc_id in enumerate(sorted(set(metas) - dropped))}
    numbers_b = sc.broadcast(numbers)
    numbered = representatives.map(lambda kv: (numbers_b.value[kv[0]], kv[1]))  # n -> (doc, features, meta)
    frame = spark.createDataFrame(
        numbered.map(lambda kv: (kv[0], kv[1][1].view("int64").tolist())), "doc long, features array<long>"
    )
    candidates = candidate_frame(frame, max_df).rdd.map(lambda row: (row.a, row.b)).persist()
    stats.candidates = candidates.count()
    stats.seconds["candidates"] = time.perf_counter() - clock
    clock = time.perf_counter()

    # Align and judge each pair where its texts meet, with the core's functions.
    texts = numbered.mapValues(lambda v: v[0])
    with_a = candidates.join(texts, numPartitions=parts).map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
    with_both = with_a.join(texts, numPartitions=parts).values()  # ((a, doc_a), doc_b)
    edges: list[Edge] = with_both.mapPartitions(
        lambda rows: (judge_pair(da, db, metas_b.value[da.id], metas_b.value[db.id]) for (_, da), db in rows)
    ).collect()
    groups = build_groups(edges, metas)
    needed = missing_judgements(groups)
    extra: list[Edge] = []
    if needed:
        pairs = sc.parallelize(needed, max(1, min(parts, len(needed))))
        by_id = representatives.mapValues(lambda v: v[0])
        joined = pairs.join(by_id).map(lambda kv: (kv[1][0], kv[1][1])).join(by_id).values()
        extra = joined.mapPartitions(lambda rows: (judge_against(s, o) for s, o in rows)).collect()
    stats.aligned = len(edges) + len(extra)
    stats.seconds["align"] = time.perf_counter() - clock
    profiled.unpersist()
    candidates.unpersist()
    result = finish(groups, extra, duplicates, metas)
    stats.groups = len(result)
    return result


def _local_name(uri: str, names: dict[str, str]) -> str:
    """The name the local engine knows a file by (Spark spells local files file:/path)."""
    if uri.startswith("file:"):
        return names.get(urlsplit(uri).path, uri)
    return uri


def candidate_frame(profiles: Any, max_df: int = MAX_DF) -> Any:
    """Pairs ``a < b`` worth aligning, with their shared-feature counts, as a DataFrame.

    ``profiles`` has one row per document: ``doc`` (a number below 2**31) and ``features``
    (an array of distinct longs). The same cap and rule as
    :func:`unspin.crawl.cluster.candidate_pairs`, in Spark SQL, so that every step runs in the
    JVM: (doc, feature) rows; each feature's document count; the rows of features in at
    most ``max_df`` documents give each document its informative size, and those in two
    or more meet in a self-join on the feature (``a < b``); the votes are counted per pair
    (packed into one long, which Spark aggregates fastest) and the rule
    (:func:`unspin.crawl.cluster.is_candidate`) is applied.
    """
    from pyspark.sql import functions as F

    rows = profiles.select("doc", F.explode("features").alias("feature"))
    frequencies = rows.groupBy("feature").count().where(F.col("count") <= max_df)
    kept = rows.join(frequencies, "feature")
    sizes = kept.groupBy("doc").count()
    voting = kept.where(F.col("count") >= 2).select("feature", "doc")
    x, y = voting.alias("x"), voting.alias("y")
    votes = x.join(y, (F.col("x.feature") == F.col("y.feature")) & (F.col("x.doc") < F.col("y.doc")))
    shared = (
        votes.select((F.shiftleft(F.col("x.doc"), 32) + F.col("y.doc")).alias("pair"))
        .groupBy("pair").count()
        .where(F.col("count") >= MIN_SHARED)
        .select(
            F.shiftright("pair", 32).alias("a"),
            F.col("pair").bitwiseAND(F.lit(0xFFFFFFFF)).alias("b"),
            F.col("count").alias("shared"),
        )
    )
    size_a = sizes.select(F.col("doc").alias("a"), F.col("count").alias("size_a"))
    size_b = sizes.select(F.col("doc").alias("b"), F.col("count").alias("size_b"))
    smaller = F.greatest(F.lit(1), F.least("size_a", "size_b"))
    return (
        shared.join(size_a, "a").join(size_b, "b")
        .where(F.col("shared") >= F.lit(MIN_SHARED_SHARE) * smaller)  # is_candidate, as Spark SQL
        .select("a", "b", "shared")
    )
