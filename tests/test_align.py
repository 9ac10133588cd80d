from tests.conftest import BAKERY, FERRY, swap_words
from unspin.align import align
from unspin.tokenize import tokenize


def test_a_verbatim_copy_is_one_passage_with_nothing_changed():
    [passage] = align(tokenize(FERRY), tokenize(FERRY))
    assert passage.matched == len(tokenize(FERRY))
    assert passage.substitutions == []
    # From the first word to the last word (the final full stop is not a word).
    assert passage.suspect == passage.source == (0, len(FERRY.rstrip()) - 1)


def test_swapped_words_are_listed_with_offsets_into_both_texts():
    spun = swap_words(FERRY, share=1.0)
    passages = align(tokenize(spun), tokenize(FERRY))
    pairs = {
        (spun[slice(*s.suspect)], FERRY[slice(*s.source)])
        for p in passages
        for s in p.substitutions
    }
    assert ("halted", "suspended") in pairs
    assert any("travellers" in new and "passengers" in old for new, old in pairs)


def test_offsets_are_inside_both_texts_and_ordered():
    spun = swap_words(FERRY, share=0.6, seed=3)
    for p in align(tokenize(spun), tokenize(FERRY)):
        assert 0 <= p.suspect[0] < p.suspect[1] <= len(spun)
        assert 0 <= p.source[0] < p.source[1] <= len(FERRY)
        for s in p.substitutions:
            assert p.suspect[0] <= s.suspect[0] <= s.suspect[1] <= p.suspect[1]
            assert p.source[0] <= s.source[0] <= s.source[1] <= p.source[1]


def test_reordered_paragraphs_give_separate_passages():
    paragraphs = FERRY.split("\n\n")
    shuffled = "\n\n".join([paragraphs[0], paragraphs[3], paragraphs[1], paragraphs[2], *paragraphs[4:]])
    passages = align(tokenize(shuffled), tokenize(FERRY))
    assert len(passages) >= 3
    assert sum(p.matched for p in passages) > 0.9 * len(tokenize(FERRY))


def test_unrelated_texts_share_no_long_passage():
    assert all(p.matched < 12 for p in align(tokenize(BAKERY), tokenize(FERRY)))
