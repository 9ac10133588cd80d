"""unspin cluster --engine spark: Spark in local mode finds the same groups as the local engine.

Skipped when PySpark (``pip install -e '.[spark]'``) or Java is missing. Kept small: Spark's
start-up dominates its time.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java (java is not on PATH)", allow_module_level=True)

from tests.collection import generate  # noqa: E402
from tests.conftest import FERRY, swap_words  # noqa: E402
from unspin.crawl import cluster as local  # noqa: E402
from unspin.crawl import spark as engine  # noqa: E402


@pytest.fixture(scope="module")
def collection(tmp_path_factory):
    folder = tmp_path_factory.mktemp("collection")
    records, truth = generate(150, seed=3)
    with open(folder / "docs.jsonl", "w") as stream:
        for record in records:
            stream.write(json.dumps(record) + "\n")
    # Local files too: their ids are their paths, which both engines must spell alike.
    pages = folder / "pages"
    pages.mkdir()
    (pages / "ferry.txt").write_text(FERRY)
    (pages / "ferry-spun.txt").write_text(swap_words(FERRY, 0.9, seed=1))
    (pages / "bad.jsonl").write_text("not json\n")
    return folder, truth


@pytest.fixture(scope="module")
def spark():
    session = engine.session("local[2]")
    yield session
    session.stop()


def test_spark_and_local_engines_find_the_same_groups_and_originals(collection, spark):
    folder, truth = collection
    paths = [str(folder / "docs.jsonl"), str(folder / "pages")]
    spark_errors, local_errors = [], []
    on_spark = engine.cluster_paths(paths, spark=spark, partitions=4, on_error=spark_errors.append)
    on_local = local.cluster_paths(paths, workers=2, on_error=local_errors.append)
    assert on_spark == on_local  # same groups, originals, members, verdicts and scores
    assert [str(e) for e in spark_errors] == [str(e) for e in local_errors] != []
    original_of = {m["id"]: g["original"] for g in on_spark for m in g["members"] + g["partial"]}
    assert {k: v for k, v in original_of.items() if k in truth.original_of} == truth.original_of
    pages = {"pages/ferry.txt", "pages/ferry-spun.txt"}
    assert any({g["original"], *(m["id"] for m in g["members"])} == pages for g in on_spark)


def test_the_cli_runs_the_spark_engine(collection, tmp_path):
    folder, _ = collection
    out_spark, out_local = tmp_path / "spark.jsonl", tmp_path / "local.jsonl"
    base = [sys.executable, "-m", "unspin.cli", "cluster", str(folder / "docs.jsonl")]
    done = subprocess.run([*base, "--engine", "spark", "--master", "local[2]", "--partitions", "2", "-o", str(out_spark)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    subprocess.run([*base, "-o", str(out_local)], check=True, capture_output=True, timeout=300)
    assert out_spark.read_text() == out_local.read_text()


def test_the_jvm_candidate_stage_proposes_the_local_engines_pairs(spark):
    import numpy as np

    rng = np.random.default_rng(4)
    # Documents drawn from a small feature space, so features have every frequency, a few
    # near-copies among them, and sizes that put pairs on both sides of the share rule.
    features = [np.unique(rng.integers(0, 400, size=rng.integers(0, 120))).astype(np.uint64) for _ in range(60)]
    for i in range(0, 20, 2):
        keep = features[i][rng.random(len(features[i])) < 0.5]
        features[i + 1] = np.unique(np.concatenate([keep, rng.integers(0, 2**64, size=30, dtype=np.uint64)]))
    features[7] = np.array([2**63 + 5, 2**64 - 1, *range(10)], dtype=np.uint64)  # above the signed range
    features[8] = features[7].copy()
    for max_df in (3, 10, 60):
        a, b, shared = local.candidate_pairs(features, max_df)
        frame = spark.createDataFrame([(i, f.view("int64").tolist()) for i, f in enumerate(features)],
                                      "doc long, features array<long>")
        rows = sorted(tuple(r) for r in engine.candidate_frame(frame, max_df).collect())
        assert rows == sorted(zip(a.tolist(), b.tolist(), shared.tolist())), max_df
        assert max_df < 60 or len(rows) > 10
