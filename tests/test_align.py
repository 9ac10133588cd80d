
import numpy as np

from tests.conftest import BAKERY, FERRY, LIBRARY, LIBRARY_OTHER_OUTLET, LIBRARY_SPUN, swap_words
from unspin.align import ANCHOR_GAP, align
from unspin.passage import Passage
from unspin.tokenize import is_content, tokenize


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


def test_a_chain_of_swaps_holds_a_passage_between_distant_topic_words():
    suspect, source = tokenize(LIBRARY_SPUN), tokenize(LIBRARY)
    # Every topic word was replaced but a few names: the ones both keep lie further apart
    # than ANCHOR_GAP, with only function words kept, one short swap apart, in between.
    kept = [i for i, w in enumerate(source.words) if is_content(w) and w in set(suspect.words)]
    assert max(b - a for a, b in zip(kept, kept[1:])) > ANCHOR_GAP
    [passage] = align(suspect, source)
    assert passage.suspect_words > 0.75 * len(suspect)
    assert all(s.suspect_words <= 3 and s.source_words <= 3 for s in passage.substitutions)


def test_an_independent_report_has_no_chain_of_swaps():
    for a, b in ((LIBRARY_OTHER_OUTLET, LIBRARY), (LIBRARY_OTHER_OUTLET, LIBRARY_SPUN)):
        assert all(p.matched < 12 for p in align(tokenize(a), tokenize(b)))


def _changes(suspect_text: str, source_text: str) -> list[tuple[str, str, str]]:
    """(suspect words, source words, kind) of every substitution of the passages."""
    return [(suspect_text[slice(*s.suspect)], source_text[slice(*s.source)], s.kind)
            for p in align(tokenize(suspect_text), tokenize(source_text)) for s in p.substitutions]


def test_a_swap_never_runs_across_the_title_and_the_body():
    # The title's last word and the body's first words swapped: two swaps, not one pair
    # "failure The only" -> "breakdown This sole" across the line break.
    spun = FERRY.replace("engine failure\n\nThe only ferry", "engine breakdown\n\nThis sole ferry", 1)
    changes = _changes(spun, FERRY)
    assert ("breakdown", "failure", "swap") in changes
    assert ("This sole", "The only", "swap") in changes
    assert not any("\n" in new or "\n" in old for new, old, _ in changes)


def test_a_swap_never_runs_across_a_sentence_end():
    spun = FERRY.replace("cracked cylinder head. The operator", "split cylinder cap. This operator", 1)
    changes = _changes(spun, FERRY)
    assert ("cap", "head", "swap") in changes and ("This", "The", "swap") in changes


def test_a_change_whose_texts_break_differently_is_a_rewrite_not_a_swap():
    # The suspect ran two sentences into one: which words replaced which is unknown.
    spun = FERRY.replace("cracked cylinder head. The operator", "split cylinder cap and this operator", 1)
    assert ("cap and this", "head. The", "rewrite") in _changes(spun, FERRY)


def test_an_insertion_of_several_lines_is_one_insertion_a_line():
    spun = FERRY.replace("engine failure\n\nThe only", "engine failure\n\nBreaking news\n\nThe only", 1)
    assert [c for c in _changes(spun, FERRY) if c[2] != "swap"] == [("Breaking news", "", "insertion")]
    spun = FERRY.replace("engine failure\n\nThe only", "engine failure\n\nBreaking\n\nnews today\n\nThe only", 1)
    assert [c for c in _changes(spun, FERRY) if c[2] != "swap"] == [
        ("Breaking", "", "insertion"), ("news today", "", "insertion")]


def test_pieces_of_one_reuse_are_joined_into_one_passage():
    from unspin.align import one_reuse

    sentences = [s + "." for s in LIBRARY.replace("\n", " ").split(". ")]
    # The copy keeps the second and third sentences but swaps them: two pieces, one reuse.
    suspect_text = "Our own opening words come first here. " + sentences[2] + " " + sentences[1]
    suspect, source = tokenize(suspect_text), tokenize(LIBRARY)
    pieces = [p for p in align(suspect, source) if p.matched >= 12]
    assert len(pieces) == 2
    [passage] = one_reuse(pieces, suspect, source)
    assert passage.kind == "sentences"
    assert passage.suspect_span == (pieces[0].suspect_span[0], pieces[1].suspect_span[1])
    assert passage.source_span == (pieces[1].source_span[0], pieces[0].source_span[1])


def test_passages_far_apart_stay_apart():
    from unspin.align import REUSE_GAP, one_reuse

    filler = " ".join(["Words of our own fill the space between the two copied parts."] * (REUSE_GAP // 10 + 1))
    sentences = [s + "." for s in LIBRARY.replace("\n", " ").split(". ")]
    suspect_text = sentences[0] + " " + filler + " " + sentences[3]
    suspect, source = tokenize(suspect_text), tokenize(LIBRARY)
    pieces = [p for p in align(suspect, source) if p.matched >= 12]
    assert len(one_reuse(pieces, suspect, source)) == len(pieces) == 2




def _sentences_passage(suspect_span: tuple[int, int], source_span: tuple[int, int]) -> Passage:
    return Passage((0, 0), (0, 0), suspect_span, source_span, 0, 0, kind="sentences", shared=12, seeds=2)


def _words(count: int, seed: int) -> str:
    rng = np.random.default_rng(seed)
    vocabulary = ["harbour", "ferry", "council", "budget", "crossing", "repairs", "timetable", "engineers",
                  "tickets", "evening", "storm", "ramp", "cable", "passengers", "winter", "service"]
    return " ".join(rng.choice(vocabulary, count))


def test_two_passages_that_sum_up_the_source_one_after_the_other_are_one_passage():
    # A summary's two sentences, close together in the suspect, each sum up a stretch of the
    # source further on than the last: together they condense it (the source side is longer).
    from unspin.align import REUSE_GAP, one_reuse

    suspect, source = tokenize(_words(80, 1)), tokenize(_words(200, 2))
    gap = REUSE_GAP - 5  # words of its own between them
    first, then = _sentences_passage((0, 10), (0, 40)), _sentences_passage((10 + gap, 20 + gap), (100, 140))
    [passage] = one_reuse([first, then], suspect, source)
    assert passage.suspect_span == (0, then.suspect_span[1]) and passage.source_span == (0, 140)


def test_two_short_passages_that_do_not_condense_the_source_stay_apart():
    from unspin.align import one_reuse

    suspect, source = tokenize(_words(80, 1)), tokenize(_words(200, 2))
    first, then = _sentences_passage((0, 10), (0, 10)), _sentences_passage((45, 55), (12, 22))
    assert len(one_reuse([first, then], suspect, source)) == 2


def test_a_seed_is_not_trimmed_to_word_runs_found_elsewhere_in_the_source():
    """A run of words inside a seed's suspect sentences that was matched to another part of the
    source says nothing about where the seed's source side starts or ends: trimming to it
    once turned the source span round (its end before its start)."""
    from unspin.align import _trimmed
    from unspin.seeds import SeedSpan

    seed = SeedSpan(0, 30, 100, 130, 0.5, 2, 12)
    stems = np.arange(200, dtype=np.int64)
    trimmed = _trimmed(seed, [(5, 25, 160, 180)], stems, stems)  # the run lies after the seed in the source
    assert trimmed.t0 <= trimmed.t1
    assert (trimmed.t0, trimmed.t1) == (100, 130)
