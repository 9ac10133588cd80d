"""The intrinsic suite: its measures, and a run on a small folder of our own articles."""

from __future__ import annotations

import pytest

from tests.conftest import BAKERY, FERRY, FERRY_OTHER_OUTLET, LIBRARY, LIBRARY_OTHER_OUTLET
from unspin.bench import intrinsic as bench_intrinsic
from unspin.bench.intrinsic import auc


def test_auc_is_the_chance_that_a_positive_outscores_a_negative():
    assert auc([0.1, 0.2], [0.3, 0.4]) == 1.0
    assert auc([0.3, 0.4], [0.1, 0.2]) == 0.0
    assert auc([0.5, 0.5], [0.5]) == 0.5
    assert auc([0.1, 0.3], [0.2]) == 0.5
    assert auc([], [0.2]) is None


def test_a_small_run_reports_every_table(tmp_path):
    for k, text in enumerate([BAKERY, FERRY, FERRY_OTHER_OUTLET, LIBRARY, LIBRARY_OTHER_OUTLET]):
        path = tmp_path / "data" / "bbc" / "local" / f"{k}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    seed_page = tmp_path / "page.txt"
    seed_page.write_text("Not for human consumption.\n\n" + FERRY)
    results = bench_intrinsic.run(tmp_path / "data", sample=3, thesauri=("moby",), rates=(0.1, 0.4),
                                  seed_page=seed_page, log=lambda line: None, command="unspin bench --suite intrinsic")
    assert results["originals"]["news (BBC)"]["texts"] == 5
    assert results["spinners"]["moby"]
    assert results["seed_page"]["spun"] is True
    assert results["speed"]["score_docs_per_s"] > 0
    path = bench_intrinsic.write_report(results, tmp_path / "out")
    report = path.read_text()
    assert "unspin bench --suite intrinsic" in report and "| moby |" in report


def test_a_missing_data_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no originals"):
        bench_intrinsic.run(tmp_path / "nothing", sample=1, thesauri=("moby",), log=lambda line: None)
