import numpy as np

from unspin.tokenize import Tokens, code_points, is_content, normalize, running_count, tokenize


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


def same_tokens(a, b) -> bool:
    return (len(a) == len(b) and a.starts == b.starts and a.ends == b.ends and a.keys == b.keys
            and a.words == b.words and a.hashes.tolist() == b.hashes.tolist() and a.immutable == b.immutable
            and a.facts == b.facts and a.content_mask.tolist() == b.content_mask.tolist())


def test_stored_tokens_are_the_tokens_of_the_text():
    text = "SHOUTED HEADLINE\n\nThe MV Selkie, Mr O'Neill said, carried 2,500 cars. Déjà vu — again!"
    tokens = tokenize(text)
    assert same_tokens(Tokens.stored(text, tokens.key_array, tokens.layout()), tokens)


def test_stored_tokens_tell_numbers_in_any_script_from_their_characters():
    text = "Sales rose 2,500 units, or ٣٠ per cent, to 10² tonnes\u00a0in Q3; ５ stores — none in Ürümqi."
    tokens = tokenize(text)
    stored = Tokens.stored(text, tokens.key_array, tokens.layout())
    by_characters = [any(c.isdigit() for c in text[s:e]) for s, e in zip(tokens.starts, tokens.ends)]
    assert stored.digits_mask.tolist() == by_characters == tokens.digits_mask.tolist()
    assert sum(by_characters) == 5


def test_a_gap_or_word_over_255_characters_is_stored_in_wide_lengths():
    text = "start" + " " * 300 + "x" * 400 + " end"
    tokens = tokenize(text)
    layout = tokens.layout()
    assert layout[0] == 4 and len(layout) == 1 + 3 * 9
    assert same_tokens(Tokens.stored(text, tokens.key_array, layout), tokens)


def test_a_layout_that_does_not_fit_its_keys_or_text_is_refused():
    text = "The ferry sails at noon"
    tokens = tokenize(text)
    assert Tokens.stored(text, tokens.key_array[:3], tokens.layout()) is None
    assert Tokens.stored(text[:10], tokens.key_array, tokens.layout()) is None
    assert Tokens.stored(text, tokens.key_array, b"") is None


def test_long_words_lone_surrogates_and_astral_characters_are_words_like_any_other():
    long_a, long_b = "a" * 70 + "x", "a" * 70 + "y"
    text = f"{long_a} \ud800 {long_b} 𝐁old {long_a}"
    tokens = tokenize(text)
    assert tokens.words == [long_a, long_b, normalize("𝐁old"), long_a]
    assert [text[s:e] for s, e in zip(tokens.starts, tokens.ends)] == [long_a, long_b, "𝐁old", long_a]
    assert tokens.keys[0] == tokens.keys[3] != tokens.keys[1]


def test_the_vocabulary_keeps_every_spelling_apart_as_it_grows(monkeypatch):
    import unspin.keytable as keytable
    import unspin.tokenize as tokenize_module

    monkeypatch.setattr(keytable, "_SLOT_BITS", 4)  # a tiny table, regrown many times
    monkeypatch.setattr(tokenize_module, "_VOCABULARIES", [tokenize_module._Vocabulary()])
    spellings = [f"w{n}" for n in range(3000)] + ["Ferry", "ferry", "FERRY", "a", "b", "I"]
    text = " ".join(spellings)
    assert tokenize(text).words == [spelling.lower() for spelling in spellings]
    assert tokenize(text).words == tokenize(" ".join(spellings)).words  # and again, from the table


def test_a_long_text_is_tokenized_as_its_parts_are():
    part = "The MV Selkie lost power. It said 2,500 people (“don’t panic”) were safe.\n\n"
    expected = tokenize(part)
    tokens = tokenize(part * 5000)
    assert tokens.words == expected.words * 5000
    assert tokens.keys == expected.keys * 5000 and tokens.immutable == expected.immutable * 5000


def test_a_running_count_starts_at_zero_and_counts_each_flag_once():
    mask = np.random.default_rng(3).random(500) < 0.3
    counts = running_count(mask)
    assert counts.dtype == np.int64 and counts[0] == 0 and counts.tolist()[1:] == np.cumsum(mask).tolist()
    assert running_count(np.zeros(0, dtype=bool)).tolist() == [0]


def test_code_points_are_one_a_character_in_any_text():
    for text in ("plain ASCII", "£5 café", "“quoted” — ’", "emoji 🙂 and 𝔘", "lone \ud800 surrogate", ""):
        points = code_points(text)
        assert points.dtype == np.uint32 and points.tolist() == [ord(c) for c in text]
