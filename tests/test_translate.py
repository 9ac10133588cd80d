"""Apertium translation with a map from every word of the translation back to the original."""

from __future__ import annotations

import pytest

from unspin import translate
from unspin.translate import TranslationUnavailable, available_languages, from_english, into_english, round_trip

# These need Apertium and its English-Spanish pair: .ci/run installs them (apertium, apertium-eng-spa).
SPANISH = ("El presidente visitó la casa blanca el martes.\n\n"
           "Dijo que el puerto de Carrow tendrá un nuevo ferry & más barcos <pronto>.")


def test_the_translation_is_english_and_each_word_maps_to_the_original_words_it_came_from():
    [done] = into_english([SPANISH], "es")
    assert "president" in done.text and "white house" in done.text.lower()
    white = done.text.lower().index("white")
    assert SPANISH[slice(*done.original_span(white, white + 5))] == "blanca"  # reordered with its word
    house = done.text.lower().index("house")
    assert SPANISH[slice(*done.original_span(house, house + 5))] == "casa"


def test_a_stretch_of_the_translation_maps_to_the_stretch_of_the_original_it_translates():
    [done] = into_english([SPANISH], "es")
    second = done.text.index("\n\n") + 2
    start, end = done.original_span(second, len(done.text))
    assert SPANISH[start:end].startswith("Dijo") and SPANISH[start:end].endswith("pronto")
    assert done.original_span(0, len(done.text)) == (0, len(SPANISH.rstrip(">.")))


def test_markup_characters_and_paragraphs_come_through():
    [done] = into_english([SPANISH], "es")
    assert "&" in done.text and "<" in done.text and "\n\n" in done.text


def test_several_texts_go_through_one_run_and_come_back_apart():
    texts = ["El perro come.", "La casa es grande.", ""]
    done = into_english(texts, "es")
    assert [d.original for d in done] == texts
    assert "dog" in done[0].text.lower() and "house" in done[1].text.lower() and done[2].text == ""


def test_round_trip_gives_english_that_differs_from_the_input():
    english = "The president visited the harbour on Tuesday and said a new ferry would come soon."
    assert "presidente" in from_english(english, "es")
    back = round_trip(english, "es")
    assert "president" in back and back != english


def test_languages_installed_both_ways_are_listed():
    assert "es" in available_languages()


def test_a_missing_pair_names_its_debian_package(monkeypatch):
    monkeypatch.setattr(translate, "_modes", lambda: frozenset())
    with pytest.raises(TranslationUnavailable, match="apt-get install apertium-eng-spa"):
        into_english(["El perro come."], "es")


def test_a_missing_engine_names_its_debian_packages(monkeypatch):
    monkeypatch.setattr(translate.shutil, "which", lambda name: None)
    with pytest.raises(TranslationUnavailable, match="apt-get install apertium apertium-eng-cat"):
        into_english(["El gos menja."], "ca")
    assert available_languages() == []


def test_a_language_without_a_pair_says_so():
    with pytest.raises(TranslationUnavailable, match="no translation from de into English"):
        into_english(["Der Hund frisst."], "de")
    with pytest.raises(TranslationUnavailable, match="into ca, eo, es, gl"):
        from_english("The dog eats.", "de")
