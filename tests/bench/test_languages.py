"""The languages suite on a small corpus of English news articles generated here.

Needs Apertium with Transfuse and its English-Spanish pair: .ci/run installs them.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from unspin.bench import languages as bench_languages
NOUNS = ("council harbour school river bridge market hospital library museum station farm factory garden "
         "road village church team club company bank shop theatre park castle island forest lake airport "
         "court office hotel train bus ferry teacher doctor farmer mayor driver nurse player singer painter "
         "student worker family").split()
ADJECTIVES = ("new old large small green quiet busy famous local modern ancient empty beautiful expensive "
              "cheap wooden narrow long short strong weak happy angry tired rich poor").split()
VERBS = ("opened closed built bought sold visited repaired painted cleaned moved found lost won praised "
         "criticised watched helped visited closed cancelled planned finished").split()
PLACES = "Carrow Dunmore Hartwell Brennock Ashby Morton Kilbride Linford".split()
TIMES = ("on Monday", "on Tuesday", "last week", "in March", "in the autumn", "yesterday", "last year",
         "in the morning", "after the storm", "before the election")


def _sentence(rng: random.Random) -> str:
    """A sentence of fewer than 10 words (so no two articles share an edited sentence, as bench counts them)."""
    n, a, v = (lambda: rng.choice(NOUNS)), (lambda: rng.choice(ADJECTIVES)), (lambda: rng.choice(VERBS))
    forms = (
        f"The {a()} {n()} in {rng.choice(PLACES)} {v()} {rng.choice(TIMES)}.",
        f"A {n()} from {rng.choice(PLACES)} {v()} the {a()} {n()}.",
        f"The {n()} {v()} a {a()} {n()} {rng.choice(TIMES)}.",
        f"{rng.choice(PLACES)} {v()} the {n()} of the {n()}.",
    )
    return rng.choice(forms)


def _article(rng: random.Random) -> str:
    paragraphs = [" ".join(_sentence(rng) for _ in range(4)) for _ in range(5)]
    return f"The {rng.choice(NOUNS)} of {rng.choice(PLACES)}\n\n" + "\n\n".join(paragraphs) + "\n"


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[dict, Path]:
    """One quick run in Spanish: 12 articles in two topics, 2 copies, 2 negatives, 1 text written in Spanish."""
    rng = random.Random(5)
    root = tmp_path_factory.mktemp("languages")
    for topic in ("town", "country"):
        (root / "corpus" / topic).mkdir(parents=True)
        for k in range(6):
            (root / "corpus" / topic / f"{k:03}.txt").write_text(_article(rng), encoding="utf-8")
    (root / "native" / "es").mkdir(parents=True)
    (root / "native" / "es" / "tienda.txt").write_text(
        "La panadería de la calle mayor cerró sus puertas el sábado después de noventa años. Los vecinos "
        "dijeron que echarán de menos el pan de la mañana y las tartas de los domingos.\n", encoding="utf-8")
    results = bench_languages.run(str(root / "corpus"), ["es"], sample=2, negatives=2, seed=1,
                                  native=root / "native", log=lambda _: None, command="unspin bench --suite languages")
    return results, bench_languages.write_report(results, str(root / "out"))


def test_a_translated_copy_is_traced_to_its_english_source(report):
    figures = report[0]["languages"]["es"]
    assert figures["copies"]["checked"] == 2
    assert figures["copies"]["recall_at_1"] == 1.0 and figures["copies"]["not_original"] == 1.0
    assert figures["round_trips"]["recall_at_1"] == 1.0


def test_a_partial_copys_passages_are_found_in_the_foreign_text(report):
    partial = report[0]["languages"]["es"]["partial"]
    assert partial["checked"] == 2 and partial["source_found"] > 0
    assert 0 < partial["precision"] <= 1 and 0 < partial["recall"] <= 1


def test_negatives_are_checked_in_their_language(report):
    figures = report[0]["languages"]["es"]
    negatives = figures["negatives"]
    assert negatives["checked"] >= 1 and negatives["languages"] == {"es": negatives["checked"]} and negatives["alarms"] == 0
    assert figures["native"]["checked"] == 1 and figures["native"]["alarms"] == 0


def test_the_report_has_a_row_a_language_and_every_figure_in_json(report):
    results, path = report
    table = path.read_text(encoding="utf-8")
    assert "Command: `unspin bench --suite languages`" in table
    row = next(line for line in table.splitlines() if line.startswith("| es |"))
    assert row.count("|") == table.splitlines()[4].count("|")  # as many cells as the header
    assert json.loads((path.parent / "languages.json").read_text(encoding="utf-8"))["languages"].keys() == {"es"}
    assert results["english_check_seconds"] > 0 and results["languages"]["es"]["translate_seconds"] > 0


def test_a_language_not_installed_both_ways_is_a_clear_error(tmp_path):
    (tmp_path / "corpus" / "town").mkdir(parents=True)
    with pytest.raises(LookupError, match="no Apertium pair for de both ways"):
        bench_languages.run(str(tmp_path / "corpus"), ["de"], log=lambda _: None)
