from unspin.tokenize import is_content, normalize, tokenize


def test_offsets_point_at_the_words():
    text = "The MV Selkie lost power, it said — 212 passengers."
    tokens = tokenize(text)
    assert [text[s:e] for s, e in zip(tokens.starts, tokens.ends)] == [
        "The", "MV", "Selkie", "lost", "power", "it", "said", "212", "passengers",
    ]


def test_words_are_case_folded_and_apostrophes_unified():
    assert tokenize("Don’t STOP").words == ["don't", "stop"]
    assert normalize("Café") == "cafe"


def test_numbers_and_contractions_stay_whole():
    assert tokenize("About 2,500 troops; 3.5 per cent; it's well-known").words == [
        "about", "2,500", "troops", "3.5", "per", "cent", "it's", "well-known",
    ]


def test_function_words_numbers_and_mid_sentence_names_are_immutable():
    tokens = tokenize("Yesterday the council met Morag Tulloch at 9 in Carrow.")
    immutable = dict(zip(tokens.words, tokens.immutable))
    assert immutable["the"] and immutable["at"] and immutable["9"]
    assert immutable["morag"] and immutable["tulloch"] and immutable["carrow"]
    assert not immutable["council"] and not immutable["met"]
    # A capital that opens a sentence says nothing about a name.
    assert not immutable["yesterday"]


def test_content_words_exclude_function_words_and_single_letters():
    assert is_content("ferry") and not is_content("the") and not is_content("a")


def test_unicode_text_with_lengthening_lowercase_keeps_offsets():
    text = "İstanbul ferry ﬁnal"
    tokens = tokenize(text)
    assert [text[s:e] for s, e in zip(tokens.starts, tokens.ends)] == ["İstanbul", "ferry", "ﬁnal"]


def test_a_full_vocabulary_starts_afresh_and_words_still_compare_across_it(monkeypatch):
    import unspin.tokenize as tokenize_module

    monkeypatch.setattr(tokenize_module, "_VOCABULARY_MAX", 5)
    monkeypatch.setattr(tokenize_module, "_VOCABULARIES", [tokenize_module._Vocabulary()])
    first = tokenize("The ferry to Dunmore Island was suspended after an engine failure")
    full = tokenize_module._VOCABULARIES[0]
    second = tokenize("The ferry to Dunmore Island sails again")
    assert tokenize_module._VOCABULARIES[0] is not full  # started afresh
    assert second.keys[:5] == first.keys[:5] and second.words[:5] == first.words[:5]
    assert first.words[-1] == "failure"  # a text keeps the vocabulary it began with
