"""The intrinsic spin score: spun text recognised from its own words, with the words that gave it away."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from tests.conftest import BAKERY, FERRY, LIBRARY
from unspin import intrinsic
from unspin import lexicon as lexicons
from unspin.intrinsic import declaration, score_text
from unspin.lexicon import Lexicon, build_lexicon
from unspin.spinner.spin import spin
from unspin.thesaurus import ThesaurusNotFound, load_thesaurus

WRITTEN = {"bakery": BAKERY, "ferry": FERRY, "library": LIBRARY}


def spun(text: str, rate: float, thesaurus: str = "moby") -> str:
    try:
        return spin(text, rate, load_thesaurus(thesaurus), seed=1).text
    except ThesaurusNotFound as missing:
        pytest.skip(str(missing))


# --- a lexicon made by hand: the rules, one at a time -------------------------------------------

FREQUENCIES = {"fleck": 2.5, "spot": 4.9, "tierce": 1.5, "third": 5.3, "months": 5.3, "periods": 4.3,
               "mark": 5.0, "blot": 3.0, "flecks": 2.0, "spots": 4.5, "close": 3.5}


STRONG, WEAK = lexicons.COLLOCATION + 1, lexicons.COLLOCATION - 1  # log10 association of a phrase's words


def small_lexicon(phrases: dict[str, float] | None = None) -> Lexicon:
    pairs = {"fleck": {"spot", "mark"}, "tierce": {"third"}, "periods": {"months"}, "blot": {"mark"}}
    return build_lexicon(pairs, lambda word: FREQUENCIES.get(word, 0.0), phrases or {})


def test_a_rare_word_with_a_far_more_common_synonym_is_a_tell_pointing_into_the_text() -> None:
    text = "A small fleck appeared on the screen."
    result = score_text(text, small_lexicon())
    [tell] = result.words
    assert text[tell.start:tell.end] == "fleck" == tell.word
    assert tell.usual == ("mark", "spot")  # most frequent first
    assert result.rate > 0 and 0 < result.spin_score < 1


def test_a_synonym_less_than_ten_times_as_common_tells_nothing() -> None:
    lexicon = build_lexicon({"blot": {"close"}}, lambda word: FREQUENCIES.get(word, 0.0), {})
    assert score_text("A blot on the page.", lexicon).words == ()


def test_a_word_in_a_collocation_as_it_stands_is_a_writers_choice() -> None:
    assert score_text("He saw a fleck of paint.", small_lexicon({"fleck of": STRONG})).words == ()


def test_a_phrase_whose_words_go_together_little_more_than_by_chance_excuses_nothing() -> None:
    # "the fleck", "fleck of": every noun stands beside a function word; that says nothing of who chose it
    assert [t.word for t in score_text("He saw the fleck of paint.", small_lexicon({"fleck of": WEAK})).words] == ["fleck"]


def test_a_usual_word_that_would_make_a_common_phrase_weighs_more_and_is_shown_first() -> None:
    plain = score_text("A fleck appeared.", small_lexicon()).words[0]
    fitting = score_text("A fleck appeared.", small_lexicon({"spot appeared": STRONG})).words[0]
    assert fitting.weight == pytest.approx(plain.weight * intrinsic.CONTEXT_BONUS)
    assert fitting.usual[0] == "spot" and plain.usual[0] == "mark"  # "mark" is the more frequent
    weak = score_text("A fleck appeared.", small_lexicon({"spot appeared": WEAK})).words[0]
    assert weak.weight == pytest.approx(plain.weight) and weak.usual == plain.usual


def test_a_repeated_word_counts_once_as_a_writer_repeats_a_topic_term() -> None:
    once = score_text("The fleck grew. The wall stayed white and the paint stayed dry.", small_lexicon())
    thrice = score_text("The fleck grew. The fleck spread and the fleck stayed dry.", small_lexicon())
    assert [t.word for t in thrice.words] == ["fleck"]
    assert sum(t.weight for t in thrice.words) == pytest.approx(sum(t.weight for t in once.words))


def test_names_and_numbers_are_no_tells() -> None:
    assert score_text("We met Fleck in Tierce on 3 May.", small_lexicon()).words == ()


def test_only_words_of_letters_are_scored_and_counted() -> None:
    lexicon = small_lexicon()
    alone = score_text("fleck", lexicon).rate
    assert score_text("fleck well-known don't x2", lexicon).rate == pytest.approx(alone)
    assert score_text("fleck paint", lexicon).rate == pytest.approx(alone / 2)


def test_inflected_words_are_looked_up_inflected() -> None:
    lexicon = small_lexicon()
    row = lexicon.entry("flecks")
    assert row is not None and "spots" in lexicon.usual[row].split()
    assert lexicon.entry("paint") is None


def test_the_score_is_one_half_at_the_threshold() -> None:
    lexicon = small_lexicon()
    result = score_text("fleck", lexicon)
    assert result.spin_score == pytest.approx(result.rate / (result.rate + intrinsic.THRESHOLD))
    assert result.spun == (result.rate >= intrinsic.THRESHOLD)


# --- a page that says it was spun ---------------------------------------------------------------

def test_a_page_that_says_it_was_run_through_a_spinner_is_spun_whatever_its_words() -> None:
    text = "Weather today\n\nAll content has been processed with publicly available content spinners.\n\nRain."
    result = score_text(text, small_lexicon())
    assert result.spun and result.spin_score == 1.0
    assert "content spinners" in text[slice(*result.declared)]
    assert declaration("Not for human consumption.") is not None


def test_an_article_about_spinners_declares_nothing() -> None:
    assert declaration("Content spinners are tools that swap words for synonyms, researchers said.") is None
    assert declaration("The consumption of content by humans rose this year.") is None


# --- the real lexicon, on paragraphs written for these tests and spun by the repo's spinner -------

@pytest.mark.parametrize("name", sorted(WRITTEN))
def test_written_paragraphs_are_not_called_spun(name: str) -> None:
    assert not score_text(WRITTEN[name]).spun


@pytest.mark.parametrize("name", sorted(WRITTEN))
@pytest.mark.parametrize("thesaurus", ["moby", "wordnet"])
def test_spinning_raises_the_score(name: str, thesaurus: str) -> None:
    original = score_text(WRITTEN[name]).spin_score
    assert score_text(spun(WRITTEN[name], 0.3, thesaurus)).spin_score > original + 0.15


@pytest.mark.parametrize("name", ["bakery", "ferry"])
def test_heavily_spun_paragraphs_are_called_spun_with_their_tells(name: str) -> None:
    text = spun(WRITTEN[name], 0.4)
    result = score_text(text)
    assert result.spun
    assert result.words and all(text[t.start:t.end] == t.word and t.usual for t in result.words)
    weights = [t.weight for t in result.words]
    assert weights == sorted(weights, reverse=True)


def test_json_has_the_issues_shape() -> None:
    data = score_text(spun(FERRY, 0.4)).json()
    assert set(data) >= {"spin_score", "spun", "words"}
    assert set(data["words"][0]) >= {"suspect", "word", "usual"}
    assert 0 <= data["spin_score"] <= 1


def test_the_shipped_bigrams_tell_collocations_from_words_that_merely_stand_together() -> None:
    association = lexicons.bigram_phrases()
    assert association["three months"] >= lexicons.COLLOCATION and association["common sense"] >= lexicons.COLLOCATION
    assert association["of the"] < lexicons.COLLOCATION and association["the estate"] < lexicons.COLLOCATION


def test_the_key_index_finds_every_key_and_no_other() -> None:
    keys = np.sort(np.random.default_rng(1).integers(1, 2**63, 5000, dtype=np.uint64))
    index = lexicons.KeyIndex.of(keys)
    assert (index.find(keys) == np.arange(len(keys))).all()
    assert (index.find(keys + np.uint64(1)) == -1).all()  # (no two of 5,000 random keys are neighbours)
    assert (index.find(np.zeros(3, dtype=np.uint64)) == -1).all()


def without_sieves(lexicon: Lexicon) -> Lexicon:
    """The lexicon with filters that let every key through to its table."""
    def open_to_all(index: lexicons.KeyIndex) -> lexicons.KeyIndex:
        index = dataclasses.replace(index)
        index.__dict__["sieve"] = np.full(1, np.iinfo(np.uint64).max, dtype=np.uint64)
        return index

    return dataclasses.replace(lexicon, words=open_to_all(lexicon.words), pairs=open_to_all(lexicon.pairs))


@pytest.mark.parametrize("name", sorted(WRITTEN))
def test_the_bloom_filters_in_front_of_the_lexicons_tables_change_no_score(name: str) -> None:
    lexicon = lexicons.load_lexicon()
    heavy = spun(WRITTEN[name], 0.6)
    for text in (WRITTEN[name], spun(WRITTEN[name], 0.3), heavy):
        filtered, unfiltered = score_text(text, lexicon), score_text(text, without_sieves(lexicon))
        assert filtered == unfiltered and filtered.words == unfiltered.words
    assert len(score_text(heavy, lexicon).words) >= 3  # tells found, usual words looked up in context


def test_a_bloom_filter_lets_few_absent_keys_through() -> None:
    pairs = lexicons.load_lexicon().pairs
    absent = np.random.default_rng(2).integers(1, 2**63, 100_000, dtype=np.uint64)
    mixed = absent * lexicons.SIEVE
    bits = (np.uint64(1) << (mixed & np.uint64(63))) | (np.uint64(1) << ((mixed >> np.uint64(6)) & np.uint64(63)))
    words = pairs.sieve[(mixed >> np.uint64(40)) & np.uint64(len(pairs.sieve) - 1)]
    assert ((words & bits) == bits).mean() < 0.1
    present = pairs.keys * lexicons.SIEVE  # and every key of the table
    bits = (np.uint64(1) << (present & np.uint64(63))) | (np.uint64(1) << ((present >> np.uint64(6)) & np.uint64(63)))
    assert ((pairs.sieve[(present >> np.uint64(40)) & np.uint64(len(pairs.sieve) - 1)] & bits) == bits).all()


def test_the_lexicon_is_cached_under_the_cache_folder_by_its_sources_versions(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("UNSPIN_CACHE_DIR", str(tmp_path))
    path = lexicons.lexicon_path()
    assert path.parent == tmp_path and f"-{lexicons.LEXICON_VERSION}-" in path.name


def test_the_lexicons_cache_file_maps_back_to_the_lexicon_written(tmp_path) -> None:
    lexicon = small_lexicon({"fleck of": STRONG})
    path = tmp_path / "lexicon"
    with open(path, "wb") as handle:
        lexicons._store(lexicon, handle)
    mapped = lexicons._mapped(path)
    for name in ("base", "usual_keys", "association"):
        assert np.array_equal(getattr(mapped, name), getattr(lexicon, name))
    for name in ("words", "pairs"):
        ours, theirs = getattr(mapped, name), getattr(lexicon, name)
        assert ours.shift == theirs.shift and all(np.array_equal(getattr(ours, a), getattr(theirs, a)) for a in ("keys", "slots", "rows"))
        assert ours.keys.flags.writeable and ours.keys.flags.aligned  # the compiled loops' cached signatures
    assert list(mapped.usual) == list(lexicon.usual) and "spots" in mapped.usual[mapped.entry("flecks")].split()
    text = "He saw the fleck of paint. A fleck appeared."
    assert score_text(text, mapped) == score_text(text, lexicon)
    path.write_bytes(path.read_bytes()[:-8])  # a file cut short is rebuilt, not read
    with pytest.raises(ValueError):
        lexicons._mapped(path)
