"""The language of a document: English told by its function words, the rest by py3langid."""

from __future__ import annotations

import pytest

from tests.conftest import BAKERY, FERRY
from unspin import language
from unspin.language import detect_language, english_share, language_name
from unspin.tokenize import tokenize

# Written for these tests: one short news paragraph in each language.
SPANISH = ("El ayuntamiento aprobó ayer el presupuesto para el año próximo, que incluye una subida "
           "de los impuestos municipales y nuevas ayudas para las familias con menos ingresos.")
CATALAN = ("L'ajuntament va aprovar ahir el pressupost per a l'any vinent, que inclou una pujada dels "
           "impostos municipals i noves ajudes per a les famílies amb menys ingressos.")
ESPERANTO = ("La urbestraro aprobis hieraŭ la buĝeton por la venonta jaro, kiu enhavas plialtigon de la "
             "urbaj impostoj kaj novajn helpojn por la familioj kun malpli da enspezoj.")


def test_english_is_told_without_loading_the_language_model():
    language._identifier.cache_clear()
    assert detect_language(FERRY) == "en"
    assert detect_language(BAKERY, tokenize(BAKERY)) == "en"
    assert language._identifier.cache_info().currsize == 0


@pytest.mark.parametrize("text, code", [(SPANISH, "es"), (CATALAN, "ca"), (ESPERANTO, "eo")])
def test_other_languages_are_named_by_their_iso_code(text, code):
    assert detect_language(text) == code
    assert detect_language(text, tokenize(text)) == code


def test_too_few_words_tell_no_language():
    assert detect_language("Breaking news") is None
    assert detect_language("", tokenize("")) is None


def test_function_words_are_a_large_share_of_english_and_a_small_one_elsewhere():
    assert english_share(FERRY)[0] > 0.3
    assert tokenize(FERRY).function_share() > 0.3
    for text in (SPANISH, CATALAN, ESPERANTO):
        assert english_share(text)[0] < language.ENGLISH_SHARE
        assert tokenize(text).function_share() < language.ENGLISH_SHARE


def test_names_for_people():
    assert language_name("es") == "Spanish"
    assert language_name("xx") == "xx"
    assert language_name(None) == "unknown"


def test_the_identifier_of_languages_can_be_loaded_before_a_text_needs_it():
    language._identifier.cache_clear()
    language.load_identifier()
    assert language._identifier.cache_info().currsize == 1
    assert detect_language("El consejo del puerto se reunió el martes para hablar del nuevo horario "
                           "de los barcos, y su presidente dijo que las salidas de invierno seguirán igual.") == "es"


def test_the_identifier_from_the_unpacked_model_is_the_package_s_own(monkeypatch, tmp_path):
    import numpy as np
    from py3langid.langid import _load_identifier

    monkeypatch.setenv("UNSPIN_CACHE_DIR", str(tmp_path))
    language._identifier.cache_clear()
    unpacked = language._identifier()  # unpacked into the cache, then read from it
    (folder,) = [path for path in tmp_path.iterdir() if path.name.startswith("langid-")]
    assert (folder / "done").exists() and not list(tmp_path.glob("*.tmp"))
    language._identifier.cache_clear()
    again = language._identifier()  # read from the cache alone
    package = _load_identifier()
    for made in (unpacked, again):
        assert np.array_equal(made.nb_ptc, package.nb_ptc) and made.nb_ptc.dtype == package.nb_ptc.dtype
        assert np.array_equal(made.nb_pc, package.nb_pc) and made.nb_pc.dtype == package.nb_pc.dtype
        assert made.nb_classes == package.nb_classes and made._alias_pairs == package._alias_pairs
        assert (made.tk_nextmove, made.tk_row, made.tk_output) == (package.tk_nextmove, package.tk_row,
                                                                     package.tk_output)
        for text in (SPANISH, CATALAN, ESPERANTO, FERRY, "zxq vbn wert", "Über die Brücke"):
            assert made.classify(text) == package.classify(text)
    language._identifier.cache_clear()


def test_a_damaged_cache_leaves_the_identifier_to_the_package_s_loader(monkeypatch, tmp_path):
    monkeypatch.setenv("UNSPIN_CACHE_DIR", str(tmp_path))
    language._identifier.cache_clear()
    language._identifier()
    (folder,) = [path for path in tmp_path.iterdir() if path.name.startswith("langid-")]
    (folder / "ptc.npy").write_bytes(b"")  # (a folder is renamed into place only when whole)
    language._identifier.cache_clear()
    assert language.detect_language(SPANISH) == "es"
    language._identifier.cache_clear()
