"""Apertium translation with a map from every word of the translation back to the original."""

from __future__ import annotations

import numpy as np
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
    with pytest.raises(TranslationUnavailable, match="apt-get install apertium transfuse apertium-eng-cat"):
        into_english(["El gos menja."], "ca")
    assert available_languages() == []


def test_a_language_without_a_pair_says_so():
    with pytest.raises(TranslationUnavailable, match="no translation from de into English"):
        into_english(["Der Hund frisst."], "de")
    with pytest.raises(TranslationUnavailable, match="into ca, eo, es, gl"):
        from_english("The dog eats.", "de")


# The engine can crash on a sentence and still exit 0; Transfuse then hands back the rest unchanged.
CRASH = "they are stubbornly clinging to their status"  # eng-cat's apertium-postchunk dies on it


def test_a_sentence_that_crashes_the_engine_does_not_leave_the_texts_after_it_untranslated():
    texts = ["The dog eats.", f"The band won a prize. Now {CRASH} as the biggest band.", "The house is big."]
    first, crashed, last = translate.from_english_all(texts, "ca")
    assert "gos" in first and "casa" in last  # the texts after the crash are translated
    assert "premi" in crashed and "grup" in crashed and "clinging" not in crashed  # and all of its own
    assert crashed.count(".") == 2  # its halves came back without a full stop of their own


def fake_engine(texts, mode):
    """Upper-cases each word, until a text with CRASH in it: that text and the rest come back as they went in."""
    crashed = next((k for k, text in enumerate(texts) if "CRASH" in text), len(texts))
    results = []
    for k, text in enumerate(texts):
        spans = translate._words(text)
        translation = text.upper() if k < crashed else text
        results.append((translation, np.array([(s, e, s, e) for s, e in spans], dtype=np.int64).reshape(-1, 4)))
    return results


def test_a_crashing_text_is_translated_piece_by_piece_and_only_the_crashing_words_stay(monkeypatch):
    monkeypatch.setattr(translate, "_run", fake_engine)
    text = "one two three four.\n\nfive six seven CRASH eight nine ten eleven twelve. thirteen fourteen."
    before, crashed, after = into_english(["alpha beta", text, "gamma"], "es")
    assert (before.text, after.text) == ("ALPHA BETA", "GAMMA")
    # The paragraph, then the sentence, then halves of it were sent again; "seven CRASH" stays.
    assert crashed.text == "ONE TWO THREE FOUR.\n\nFIVE SIX seven CRASH EIGHT NINE TEN ELEVEN TWELVE. THIRTEEN FOURTEEN."
    for word in ("ONE", "TWELVE", "THIRTEEN", "CRASH"):  # every word maps back to itself
        at = crashed.text.index(word)
        assert text[slice(*crashed.original_span(at, at + len(word)))].upper() == word


def test_a_text_with_nothing_to_translate_comes_back_as_it_was():
    assert translate.from_english_all(["Goldstein", "1984", "The dog eats."], "es")[:2] == ["Goldstein", "1984"]


def test_a_long_batch_goes_through_several_runs_in_order(monkeypatch):
    runs = []
    monkeypatch.setattr(translate, "_run", lambda texts, mode: runs.append(len(texts)) or fake_engine(texts, mode))
    monkeypatch.setattr(translate, "RUN_CHARS", 25)
    texts = [f"text number {k}" for k in range(5)]  # 13 characters each: one run takes one
    assert [t.text for t in into_english(texts, "es")] == [t.upper() for t in texts]
    assert runs == [1] * 5
    runs.clear()
    monkeypatch.setattr(translate, "RUN_CHARS", 30)
    into_english(texts, "es")
    assert runs == [2, 2, 1]


def test_an_engine_that_takes_too_long_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(translate, "TIMEOUT", 0.001)
    with pytest.raises(TranslationUnavailable, match=r"apertium spa-eng took over 0.001 s on 1 texts \(14 characters\)"):
        into_english(["El perro come."], "es")
