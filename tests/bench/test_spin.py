"""A small run of the benchmark on a generated corpus: its figures must be sane (not timed)."""

import random

import pytest

pytest.importorskip("datasketch")

from unspin.bench import spin as bench  # noqa: E402

from unspin.bench import corpus as bench_corpus

from unspin.bench import spin_report as bench_spin_report
from unspin.thesaurus import Thesaurus  # noqa: E402

FUNCTION = "the a of to in and for on with at by from that it was is as but".split()
SYLLABLES = "ka lo mer tin sa vo ren pil dra mun tes hal bor gu fen ris".split()


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))))
    return sorted(words)


def _article(rng: random.Random, vocabulary: list[str], number: int) -> str:
    sentences = []
    for _ in range(rng.randint(14, 20)):
        words = []
        for k in range(rng.randint(9, 16)):
            words.append(rng.choice(FUNCTION) if k % 2 else rng.choice(vocabulary))
        sentences.append(" ".join(words).capitalize() + ".")
    paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    return f"Report number {number}\n\n" + "\n\n".join(paragraphs) + "\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    rng = random.Random(7)
    vocabulary = _vocabulary(rng, 1500)
    root = tmp_path_factory.mktemp("corpus")
    for topic in ("alpha", "beta"):
        (root / topic).mkdir()
        for k in range(24):
            (root / topic / f"{k:03}.txt").write_text(_article(rng, vocabulary, k), encoding="utf-8")
    thesaurus = Thesaurus("invented")
    for word in vocabulary:
        thesaurus.add(word, [word[::-1] + "o"])
    return root, thesaurus


def test_the_quick_benchmark_gives_sane_figures(corpus, tmp_path):
    root, thesaurus = corpus
    config = bench_corpus.Config(corpus=str(root), sample=4, negatives=6, seed=3, thesauri=[thesaurus],
                          rates=(0.0, 0.3), memory=False, plots=False, command="unspin bench --quick", sources=150)
    results = bench.run(config, log=lambda _: None)

    zero = results["bins"]["invented"]["0%"]
    assert zero["n"] == 4
    assert zero["unspin_recall_at_1"] == 1.0
    assert zero["datasketch_recall_at_1"] == 1.0  # a verbatim copy: the baseline finds it too
    assert results["corpus"]["negatives"] > 0
    assert results["false_alarms"]["n"] == results["corpus"]["negatives"]
    assert results["false_alarms"]["unspin"] == 0
    speed = results["speed"]
    for key in ("unspin_index", "unspin_check", "unspin_scan", "datasketch_index", "datasketch_check",
                "unspin_index_cpu", "unspin_check_cpu", "datasketch_index_cpu", "datasketch_check_cpu",
                "floor_tokenize_hash"):
        assert speed[key] > 0
    assert speed["scan_workers"] >= 1
    assert 0.0 <= results["plagdet"]["plagdet"] <= 1.0
    first, grown = results["scaling"]  # the real sources alone, then grown with generated ones to 150
    assert first["sources"] < grown["sources"] == 150
    assert grown["recall_at_1"] > 0.5 and grown["check_rate"] > 0
    assert 0 < grown["fresh_check_seconds"] < 60 and grown["fresh_check_rss_mib"] > 10

    report = bench_spin_report.write_report(results, tmp_path / "out", plots=False)
    text = report.read_text(encoding="utf-8")
    assert "unspin bench --quick" in text and "datasketch" in text and "unspin scan" in text
    assert "docs per CPU-second" in text
    assert "## Scaling" in text and "| 150 |" in text and "one check, fresh process" in text
    assert (tmp_path / "out" / "results.json").exists()
    # The project's summary page (docs/benchmarks.md) also points to the other suites' reports.
    bench_spin_report.write_report(results, tmp_path / "docs" / "benchmarks", plots=False, summary=tmp_path / "docs" / "benchmarks.md")
    summary = (tmp_path / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    assert "[benchmarks/pan.md](benchmarks/pan.md)" in summary and "[benchmarks/paraphrase.md]" in summary


def test_a_missing_corpus_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no corpus"):
        bench.run(bench_corpus.Config(corpus=str(tmp_path / "nowhere")), log=lambda _: None)


def test_passage_scores_follow_pan():
    from unspin.bench.plagdet import Annotation, Tally

    tally = Tally()  # what bench.summarise scores passages with
    tally.add([Annotation((0, 100), (0, 100))], [Annotation((0, 50), (0, 50)), Annotation((50, 100), (50, 100))])
    scores = tally.scores()
    assert scores["recall"] == scores["precision"] == 1.0
    assert scores["granularity"] == 2.0
    assert scores["plagdet"] == pytest.approx(1 / 1.5849625, rel=1e-6)


def test_the_command_says_when_there_is_no_corpus(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from unspin.cli import main

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["bench", "--quick"])
    assert result.exit_code != 0
    assert "no corpus" in result.output and "--corpus" in result.output
