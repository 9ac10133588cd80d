"""Suspects in other languages: checked through their English translation, reported in their own text."""

from __future__ import annotations

import json

from tests.conftest import BAKERY, FERRY, LIBRARY
from unspin import translate
from unspin.check import Checker
from unspin.document import Document
from unspin.judge import Verdict
from unspin.report import html_report, result_json
from unspin.translate import from_english

# Needs Apertium's English-Spanish pair (.ci/run installs apertium and apertium-eng-spa).


def _indexed(index):
    list(index.add([Document("ferry", FERRY), Document("bakery", BAKERY), Document("library", LIBRARY)]))
    return Checker(index)


def test_a_spanish_translation_is_traced_to_its_english_source(index):
    spanish = from_english(FERRY, "es")
    result = _indexed(index).check(Document("es-copy", spanish))
    assert result.language == "es" and result.translation is not None
    assert result.verdict is not Verdict.ORIGINAL
    assert result.matches[0].source.id == "ferry"


def test_passages_and_changed_words_point_into_the_suspects_own_text(index):
    spanish = from_english(FERRY, "es")
    result = _indexed(index).check(Document("es-copy", spanish))
    assert result.suspect.text == spanish
    passages = result.matches[0].judgement.evidence
    covered = sum(p.suspect[1] - p.suspect[0] for p in passages)
    assert covered > 0.8 * len(spanish.strip())
    for passage in passages:
        start, end = passage.suspect
        assert 0 <= start < end <= len(spanish)
        assert "transbordador" in spanish[start:end] or "Dunmore" in spanish[start:end] or "Selkie" in spanish[start:end] \
            or "Tulloch" in spanish[start:end] or "Westline" in spanish[start:end]
        for sub in passage.substitutions:
            assert start <= sub.suspect[0] <= sub.suspect[1] <= end


def test_the_json_and_the_page_say_the_language_and_how_it_was_compared(index):
    result = _indexed(index).check(Document("es-copy", from_english(FERRY, "es")))
    line = json.loads(json.dumps(result_json(result)))
    assert line["language"] == "es"
    assert line["translation"] == {"from": "es", "into": "en", "engine": "apertium"}
    assert "Spanish, compared through its English translation" in html_report([result])


def test_an_english_suspect_is_not_translated(index):
    result = _indexed(index).check(Document("en", FERRY))
    assert result.language == "en" and result.translation is None
    assert result.verdict is Verdict.COPY and result_json(result)["translation"] is None


def test_a_missing_pair_is_named_once_and_its_suspects_are_checked_as_they_are(index, monkeypatch):
    monkeypatch.setattr(translate, "_modes", lambda: frozenset())
    checker = _indexed(index)
    warnings = []
    checker.translator.warn = warnings.append
    first = checker.check(Document("es-1", "El transbordador de la isla de Dunmore quedará fuera de servicio hasta el 14 de mayo, "
                                   "después de que una avería del motor dejara a 212 pasajeros en el mar durante cuatro horas."))
    second = checker.check(Document("es-2", "El ayuntamiento aprobó ayer el presupuesto para el año próximo, con una "
                                            "subida de los impuestos municipales y nuevas ayudas para las familias."))
    assert first.language == second.language == "es"
    assert first.translation is None and first.verdict is Verdict.ORIGINAL
    assert len(warnings) == 1 and "apt-get install apertium-eng-spa" in warnings[0]


def test_the_index_stores_each_sources_language(index):
    list(index.add([Document("ferry", FERRY), Document("es", from_english(BAKERY, "es")), Document("short", "Hello")]))
    assert index.languages() == {"en": 1, "es": 1, "und": 1}
    assert index.stats()["languages"] == {"en": 1, "es": 1, "und": 1}
