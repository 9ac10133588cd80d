"""The PAN suite on a small corpus in PAN's layout, written here from the test articles."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BAKERY, FERRY, LIBRARY
from unspin.bench import pan as bench_pan
from unspin.bench.plagdet import Annotation

# The ferry story's second and third paragraphs, verbatim.
REUSED = FERRY[FERRY.index("The vessel, the MV Selkie"):FERRY.index('"We have warned')]


def _write_pair(folder: Path, suspect: str, source: str, cases: list[tuple[int, int, int, int]]) -> None:
    features = "".join(
        f'<feature name="plagiarism" obfuscation="none" this_offset="{a}" this_length="{n}" '
        f'source_reference="{source}" source_offset="{b}" source_length="{m}" />\n' for a, n, b, m in cases)
    xml = f'<document reference="{suspect}">\n{features}</document>\n'
    (folder / f"{Path(suspect).stem}-{Path(source).stem}.xml").write_text(xml, encoding="utf-8")
    with open(folder / "pairs", "a", encoding="utf-8") as pairs:
        pairs.write(f"{suspect} {source}\n")


@pytest.fixture(scope="module")
def pan_data(tmp_path_factory) -> Path:
    """Two suspects: one takes two paragraphs of the ferry story into the bakery story, the
    other is the library story alone; each is paired with the ferry story."""
    root = tmp_path_factory.mktemp("pan")
    for name in ("susp", "src", "01-no-plagiarism", "02-no-obfuscation"):
        (root / name).mkdir()
    at = BAKERY.index("Neighbouring traders")
    (root / "susp" / "suspicious-document00001.txt").write_text(BAKERY[:at] + REUSED + BAKERY[at:], encoding="utf-8")
    (root / "susp" / "suspicious-document00002.txt").write_text(LIBRARY, encoding="utf-8")
    (root / "src" / "source-document00001.txt").write_text(FERRY, encoding="utf-8")
    (root / "src" / "source-document00002.txt").write_text(BAKERY, encoding="utf-8")
    _write_pair(root / "02-no-obfuscation", "suspicious-document00001.txt", "source-document00001.txt",
                [(at, len(REUSED), FERRY.index(REUSED), len(REUSED))])
    _write_pair(root / "01-no-plagiarism", "suspicious-document00002.txt", "source-document00001.txt", [])
    return root


def test_pairs_and_cases_are_read_from_the_layout(pan_data):
    pairs = bench_pan.load_pairs(pan_data)
    assert [(p.category, p.suspect, p.source) for p in pairs] == [
        ("01-no-plagiarism", "suspicious-document00002.txt", "source-document00001.txt"),
        ("02-no-obfuscation", "suspicious-document00001.txt", "source-document00001.txt")]
    assert pairs[0].cases == ()
    (case,) = pairs[1].cases
    suspect = (pan_data / "susp" / pairs[1].suspect).read_text(encoding="utf-8")
    assert suspect[slice(*case.suspect)] == FERRY[slice(*case.source)] == REUSED


@pytest.mark.parametrize("mode", bench_pan.MODES)
def test_a_verbatim_passage_is_found_and_the_unrelated_pair_is_not_flagged(pan_data, mode):
    results = bench_pan.run(pan_data, modes=(mode,), log=lambda line: None)
    figures = results["modes"][mode]
    verbatim = figures["categories"]["02-no-obfuscation"]
    # The passage is two whole paragraphs copied word for word: found in one piece, with
    # at most its edges' punctuation and spaces missed or added.
    assert verbatim["recall"] > 0.95 and verbatim["precision"] > 0.95 and verbatim["granularity"] == 1.0
    assert figures["categories"]["01-no-plagiarism"]["flagged_no_reuse_pairs"] == 0
    assert figures["overall"]["cases"] == 1 and figures["overall"]["no_reuse_pairs"] == 1
    if mode == "index":
        assert verbatim["found_share"] == 1.0
        assert figures["speed"]["sources"] == 2


def test_sample_is_stratified_and_the_same_every_run():
    pairs = [bench_pan.Pair(category, f"s{k}", f"t{k}", ()) for category in ("a", "b") for k in range(30)]
    chosen = bench_pan.sample(pairs, 4, seed=1)
    assert [p.category for p in chosen] == ["a"] * 4 + ["b"] * 4
    assert chosen == bench_pan.sample(pairs, 4, seed=1) != bench_pan.sample(pairs, 4, seed=2)
    assert bench_pan.sample(pairs, 100, seed=1) == pairs


def test_only_a_match_with_a_verdict_gives_detections(pan_data):
    from unspin.check import compare
    from unspin.document import Document
    from unspin.tokenize import tokenize

    suspect = Document("s", (pan_data / "susp" / "suspicious-document00001.txt").read_text(encoding="utf-8"))
    for source, expected in ((Document("t", FERRY), 1), (Document("u", LIBRARY), 0)):
        match = compare(suspect, tokenize(suspect.text), source, tokenize(source.text))
        found = bench_pan.detections(match)
        assert len(found) == expected and all(isinstance(d, Annotation) for d in found)


def test_report_and_command_line(pan_data, tmp_path):
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "unspin.cli", "bench", "--suite", "pan", "--pan-data", str(pan_data),
                           "--pan-mode", "pairs", "--out", str(out), "--no-plots"], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    report = (out / "pan.md").read_text(encoding="utf-8")
    assert "| no-obfuscation | 1 | 1 |" in report and "| no-plagiarism | 1 | 0 | - | - | - | - | 0/1 |" in report
    assert "Through the index" not in report
    figures = json.loads((out / "pan.json").read_text(encoding="utf-8"))
    assert list(figures["modes"]) == ["pairs"] and figures["pairs"] == {"01-no-plagiarism": 1, "02-no-obfuscation": 1}


def test_missing_data_is_one_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "unspin.cli", "bench", "--suite", "pan", "--pan-data",
                           str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")], capture_output=True, timeout=300)
    assert done.returncode != 0
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "no PAN data at" in lines[0] and "nowhere" in lines[0]
