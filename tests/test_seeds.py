"""Sentence seeds: reuse that keeps the words of sentences but not their order."""

from __future__ import annotations

import random
import re

import numpy as np

from tests.conftest import BAKERY, FERRY, FERRY_OTHER_OUTLET, LIBRARY
from unspin import seeds
from unspin.check import compare_texts
from unspin.judge import Verdict
from unspin.bags import sentence_bags
from unspin.blocks import explained_stretch
from unspin.seeds import moved_block, ordered_run, reused_block, seed_spans
from unspin.tokenize import tokenize

# An essay of its own, long enough that a reused paragraph is a small part of it.
ESSAY = " ".join([
    "Gardening in a small yard asks for patience more than money.",
    "Start with the soil: dig in compost every autumn and leave the worms to do the rest.",
    "Choose plants that like your light, since a fern will sulk in full sun and a rose will sulk in shade.",
    "Water deeply once a week rather than a little every evening, so that roots go down.",
    "Keep a notebook of what flowered when, because memory is kinder than the truth.",
    "Pests come in waves; most are eaten by birds if you give the birds somewhere to sit.",
    "Above all, sit in the garden yourself now and then, which is the point of having one.",
] * 3)


def sentences_of(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def shuffled_within_sentences(text: str, seed: int) -> str:
    """Each sentence's words in another order, as PAN's random obfuscation does."""
    rng = random.Random(seed)
    out = []
    for sentence in sentences_of(text):
        words = sentence.rstrip(".!?").split()
        rng.shuffle(words)
        out.append(" ".join(words) + ".")
    return " ".join(out)


def spans(suspect: str, source: str):
    return seed_spans(sentence_bags(suspect, tokenize(suspect)), sentence_bags(source, tokenize(source)))


def test_a_paragraph_with_its_words_shuffled_inside_an_essay_is_one_passage_at_its_place():
    paragraph = FERRY.split("\n\n")[2]
    reused = shuffled_within_sentences(paragraph, seed=1)
    suspect = ESSAY + "\n\n" + reused + "\n\n" + ESSAY
    start = suspect.index(reused)
    judgement = compare_texts(suspect, FERRY)
    assert judgement.verdict is Verdict.PARTIAL
    [passage] = judgement.evidence
    assert passage.kind == "sentences" and passage.substitutions == []
    assert abs(passage.suspect[0] - start) <= 1 and abs(passage.suspect[1] - (start + len(reused))) <= 2
    source_start = FERRY.index(paragraph)
    assert abs(passage.source[0] - source_start) <= 1 and abs(passage.source[1] - (source_start + len(paragraph))) <= 2


def test_word_alignment_alone_misses_shuffled_sentences():
    # The reason for the view: no run of twelve words in order survives the shuffle.
    from unspin.align import align

    paragraph = FERRY.split("\n\n")[2]
    suspect = ESSAY + "\n\n" + shuffled_within_sentences(paragraph, seed=1)
    assert not any(p.matched_prose >= 12 for p in align(tokenize(suspect), tokenize(FERRY)))


def test_a_summary_of_a_long_source_is_one_passage_over_the_source_it_sums_up():
    # One sentence of the summary for every few of the source, in the source's order.
    source = " ".join(sentences_of(FERRY) + sentences_of(BAKERY))
    summary = ("The only ferry to Dunmore Island is out of service after an engine failure left 212 passengers "
               "stranded at sea, and a replacement part was ordered from Rotterdam. "
               "Islanders, whose school and store depend on the ferry, said the breakdown showed how fragile their "
               "connection to the mainland had become, and councillor Morag Tulloch called it a crisis. "
               "Westline Ferries chartered a smaller passenger boat for three crossings a day, without vehicles, "
               "until the Selkie returns to service in three weeks.")
    found = spans(ESSAY + " " + summary, source)
    assert len(found) == 1, "the summary is one passage"
    [passage] = found
    ferry_words = len(tokenize(" ".join(sentences_of(FERRY))))
    assert passage.t0 == 0 and passage.t1 >= 0.9 * ferry_words  # the whole story it sums up
    assert passage.t1 <= ferry_words + 5  # and not the bakery after it
    assert passage.t1 - passage.t0 >= 2 * (passage.s1 - passage.s0)


def test_an_independent_report_of_the_same_event_is_not_reuse():
    assert compare_texts(FERRY_OTHER_OUTLET, FERRY).verdict is Verdict.ORIGINAL
    assert compare_texts(ESSAY + "\n\n" + FERRY_OTHER_OUTLET, FERRY).verdict is Verdict.ORIGINAL


def test_unrelated_texts_share_no_passage_of_sentences():
    assert not [s for s in spans(ESSAY, LIBRARY) if s.shared >= 12]
    assert not [s for s in spans(BAKERY, FERRY) if s.shared >= 12]


def test_a_word_repeated_on_one_side_counts_once_for_each_time_the_other_side_has_it():
    suspect = "Spaying helps. Spaying spaying spaying spaying is good for pets, spaying says the vet."
    source = "Have your pets spayed."
    assert all(s.shared <= 2 for s in spans(suspect, source))


def test_the_same_text_gives_the_same_passages_whatever_was_read_before():
    # Stems get ids as words are first seen in the process; the passages must not depend on it.
    first = spans(shuffled_within_sentences(FERRY, 3), FERRY)
    tokenize(BAKERY + LIBRARY)
    again = spans(shuffled_within_sentences(FERRY, 3), FERRY)
    assert [(s.s0, s.s1, s.t0, s.t1, s.shared) for s in first] == [(s.s0, s.s1, s.t0, s.t1, s.shared) for s in again]


def test_two_sentences_reworded_in_their_order_are_reuse_though_they_share_few_words():
    # Two sentences of the ferry story, each with its words shuffled: fewer topic words than a
    # partial copy's longest passage keeps (20), but each sentence explained by its partner,
    # the two one after the other in both texts.
    first, second = sentences_of(FERRY)[3:5]
    reused = shuffled_within_sentences(first + " " + second, seed=1)
    judgement = compare_texts(ESSAY + "\n\n" + reused + "\n\n" + ESSAY, FERRY)
    assert judgement.verdict is Verdict.PARTIAL
    [passage] = judgement.evidence
    assert passage.kind == "sentences" and passage.block and passage.shared < 20


def test_the_same_sentences_scattered_out_of_order_are_facts_shared_not_reuse():
    # What two reports of one event share: the same statements, each in a place of its own.
    first, second = (shuffled_within_sentences(s, seed=1) for s in sentences_of(FERRY)[3:5])
    half = len(ESSAY) // 2
    suspect = ESSAY[:half] + " " + second + " " + ESSAY[half:] + " " + first
    assert compare_texts(suspect, FERRY).verdict is Verdict.ORIGINAL


def test_a_run_of_seeds_is_three_in_order_or_two_that_each_explain_their_sentence():
    assert ordered_run({(0, 0): False, (1, 1): False, (2, 3): False})
    assert not ordered_run({(0, 0): False, (1, 1): False})
    assert ordered_run({(4, 7): True, (5, 8): True})
    # Out of order in the source, or too far apart: no run.
    assert not ordered_run({(0, 2): True, (1, 1): True, (2, 0): True})
    assert not ordered_run({(0, 0): True, (4, 4): True, (8, 8): True})


def test_a_block_is_consecutive_sentences_matched_one_for_one_to_a_stretch_of_about_their_length():
    shuffled = {(0, 2): False, (1, 0): False, (2, 3): False, (3, 1): False}  # four sentences, moved about
    assert moved_block(shuffled, 4, explained=False) and reused_block(shuffled, 0, 9, 0, 9)
    assert not moved_block({(0, 2): False, (1, 0): False, (2, 1): False}, 4, explained=False)  # three
    # Spread over a stretch of the source twice as long: facts picked here and there.
    assert not moved_block({(0, 6): False, (1, 0): False, (2, 4): False, (3, 2): False}, 4, explained=False)
    # Two partners for one sentence are not two sentences; a sentence between without a partner breaks it.
    assert not moved_block({(0, 1): False, (1, 1): False, (2, 2): False, (3, 0): False}, 4, explained=False)
    assert not moved_block({(0, 1): False, (1, 0): False, (3, 2): False, (4, 3): False}, 4, explained=False)
    # Two neighbours swapped, each explaining its partner: a block; not explained: not yet.
    assert moved_block({(5, 8): True, (6, 7): True}, 2, explained=True)
    assert not reused_block({(5, 8): False, (6, 7): False}, 0, 9, 0, 9)
    assert not reused_block(shuffled, 0, 2, 0, 9)  # the passage holds three of them


def test_a_run_read_backwards_in_the_source_is_a_block():
    # Three sentences that follow each other in both texts, the source reading them in reverse:
    # a stretch kept together as much as a run in order is (one dropped between is allowed too).
    assert reused_block({(0, 4): False, (1, 3): False, (2, 2): False}, 0, 9, 0, 9)
    assert reused_block({(3, 9): False, (4, 7): False, (6, 6): False}, 0, 9, 0, 9)
    # Back and forth, or too far apart: no run either way.
    assert not reused_block({(0, 2): False, (1, 0): False, (2, 1): False}, 0, 9, 0, 9)
    assert not reused_block({(0, 8): False, (1, 4): False, (2, 0): False}, 0, 9, 0, 9)


def test_a_short_run_kept_in_order_is_a_partial_copy_when_its_sentences_were_reused_as_a_block():
    # Each sentence's halves swapped: the longest run kept in order has fewer prose words than a
    # partial copy's longest passage (20), but the two sentences, restated whole, follow each other.
    def halves_swapped(sentence: str) -> str:
        words = sentence.rstrip(".").split()
        return " ".join(words[len(words) // 2:] + words[: len(words) // 2]) + "."

    reused = " ".join(halves_swapped(s) for s in sentences_of(FERRY)[3:5])
    judgement = compare_texts(ESSAY + "\n\n" + reused + "\n\n" + ESSAY, FERRY)
    assert judgement.verdict is Verdict.PARTIAL
    assert max(p.matched_prose for p in judgement.passages) < 20
    assert any(p.kind == "words" and p.block for p in judgement.passages)


def test_a_sentence_echoed_elsewhere_in_the_source_does_not_cut_away_the_passage_around_it():
    # The source states one sentence of the reused paragraphs again, on its own, far before them:
    # that lone sentence is as alike as its twin, but the passage of six sentences says more.
    reused_text = FERRY.split("\n\n")[2] + " " + FERRY.split("\n\n")[3]
    echo = sentences_of(FERRY.split("\n\n")[2])[1]
    source = echo + "\n\n" + " ".join(sentences_of(BAKERY)) + "\n\n" + reused_text
    reused = shuffled_within_sentences(reused_text.replace("Rotterdam", "Antwerp"), seed=2)  # the echo is closer
    suspect = ESSAY + "\n\n" + reused + "\n\n" + ESSAY
    [passage] = spans(suspect, source)
    words = tokenize(suspect)
    assert words.offsets[0][passage.s0] == suspect.index(reused)
    assert words.offsets[1][passage.s1 - 1] >= suspect.index(reused) + len(reused) - 1
    assert passage.seeds == 6 and passage.t0 > 0


def test_two_facts_of_a_long_stretch_restated_apart_are_no_summary():
    # Two sentences each restating one of the source's, ten sentences apart, with a sentence of
    # the text's own between them: what another report states, not a summary of the stretch.
    source = " ".join(sentences_of(FERRY) + sentences_of(BAKERY))
    two_facts = ("Engineers found a cracked cylinder head after two tugboats towed the vessel back to port. "
                 "Nobody on the quay could say what the weather would do next. "
                 "Regular customers queued along the pavement for most of the morning to say goodbye.")
    found = spans(ESSAY + " " + two_facts, source)
    assert len(found) == 2
    assert all(s.t1 - s.t0 < seeds.SUMMARY_RATIO * (s.s1 - s.s0) for s in found)


def test_a_paragraph_with_neighbouring_words_swapped_is_found_from_its_first_word():
    # The chain of word alignment starts after the first swap; the passage starts with its sentence.
    paragraph = FERRY.split("\n\n")[2]
    rng = random.Random(0)
    words = paragraph.split()
    for _ in range(len(words) // 8):
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    reused = " ".join(words)
    suspect = ESSAY + "\n\n" + reused + "\n\n" + ESSAY
    judgement = compare_texts(suspect, FERRY)
    assert judgement.verdict is Verdict.PARTIAL
    [passage] = judgement.evidence
    assert passage.suspect[0] == suspect.index(reused)


def test_reworded_sentences_too_few_to_be_reuse_alone_are_reuse_beside_a_copied_paragraph():
    # Two sentences of the story restated in the other order, a sentence of the text's own between
    # them: 17 topic words in common, no block. Alone, another report could say as much; beside a
    # paragraph copied word for word from the same source, they are more of the reuse.
    reworded = ("Local councillor Morag Tulloch described the situation as a crisis that had been building for years. "
                "It rained all day. "
                "Islanders said the breakdown showed how fragile their connection to the mainland had become.")
    copied = FERRY.split("\n\n")[5].strip()
    alone = ESSAY + "\n\n" + reworded + "\n\n" + ESSAY
    assert compare_texts(alone, FERRY).verdict is Verdict.ORIGINAL
    both = alone + "\n\n" + copied + "\n\n" + ESSAY
    judgement = compare_texts(both, FERRY)
    assert judgement.verdict is Verdict.PARTIAL
    found = [p.suspect[0] for p in judgement.evidence]
    assert both.index(reworded) in found and any(start >= both.index(copied) - 1 for start in found)


def test_two_texts_stems_merge_into_their_union_with_summed_counts_and_their_shared_stems():
    rng = np.random.default_rng(4)
    for size_a, size_b in ((0, 5), (40, 0), (60, 90), (300, 200)):
        a, b = (np.unique(rng.integers(0, 400, size)) for size in (size_a, size_b))
        count_a, count_b = rng.integers(1, 9, len(a)), rng.integers(1, 9, len(b))
        stems, counts, row_a, row_b, shared, column_a, column_b = seeds._merged(a, count_a, b, count_b)
        every = np.concatenate([np.repeat(a, count_a), np.repeat(b, count_b)])
        expected_stems, expected_counts = np.unique(every, return_counts=True)
        assert stems.tolist() == expected_stems.tolist() and counts.tolist() == expected_counts.tolist()
        assert (stems[row_a] == a).all() and (stems[row_b] == b).all()
        assert shared.tolist() == np.intersect1d(a, b).tolist()
        assert [shared.tolist().index(x) if x in shared else -1 for x in a.tolist()] == column_a.tolist()
        assert [shared.tolist().index(x) if x in shared else -1 for x in b.tolist()] == column_b.tolist()


def test_two_sentences_whose_words_were_shuffled_across_them_are_a_block_by_their_words():
    # Words moved between the two sentences (the cut falls elsewhere): neither suspect sentence
    # pairs with one sentence of the source, but the source's two hold nearly all their words.
    words = " ".join(sentences_of(FERRY)[1:3]).replace(".", "").replace(",", "").split()
    random.Random(0).shuffle(words)
    reused = " ".join(words[:len(words) // 3]) + ". " + " ".join(words[len(words) // 3:]) + "."
    judgement = compare_texts(ESSAY + "\n\n" + reused + "\n\n" + ESSAY, FERRY)
    assert judgement.verdict is Verdict.PARTIAL
    [passage] = judgement.evidence
    assert passage.kind == "sentences" and passage.block and passage.shared < 20


def test_a_stretch_is_explained_when_every_sentence_is_seeded_and_the_source_holds_two_thirds_of_its_words():
    seeds = {(3, 7): False, (4, 7): False, (4, 8): False}  # no sentence pairs with one of its own
    assert explained_stretch(seeds, 3, 4, 7, 8, shared=14, topic=20)
    assert not explained_stretch(seeds, 3, 4, 7, 8, shared=13, topic=20)  # under two thirds
    assert not explained_stretch({(3, 7): False}, 3, 3, 7, 7, shared=14, topic=14)  # one sentence
    # A sentence of the text's own between two restated ones: no block.
    assert not explained_stretch({(3, 8): True, (5, 7): True}, 3, 5, 7, 8, shared=16, topic=20)


# A stretch of a source reused, and before it a sentence of the source's own on the same subject.
HARBOUR_ECHO = "The harbour ferry was late again on Monday."
HARBOUR = ("The ferry to the harbour island left forty minutes late on Monday morning after a crew shortage. "
           "Passengers waited on the pier in heavy rain while the company looked for a replacement captain. "
           "The operator apologised and promised a full refund for every ticket sold that day.")


def test_a_neighbour_sharing_only_the_words_of_a_reused_sentence_is_left_out_of_the_passage():
    # The echo seeds with the reused first sentence too, less closely, and every word it shares
    # with it the sentence's closer partner has: it adds nothing, and is no part of the reuse.
    source = "Fishing boats stayed in port. " + HARBOUR_ECHO + " " + HARBOUR + " A new timetable starts in March."
    suspect = ESSAY + "\n\n" + shuffled_within_sentences(HARBOUR, seed=3) + "\n\n" + ESSAY
    [passage] = spans(suspect, source)
    words = tokenize(source)
    assert words.offsets[0][passage.t0] == source.index(HARBOUR) and passage.seeds == 3


def test_a_long_sentence_restated_in_two_halves_keeps_both():
    # Each half shares words of its own with the long sentence: neither is an echo of the other.
    long_one = HARBOUR.replace(". ", ", and ").rstrip(".") + "."
    halves = shuffled_within_sentences(HARBOUR.split(". ")[0] + ".", seed=4) + " " + shuffled_within_sentences(
        HARBOUR.split(". ")[2], seed=5)
    source = "Fishing boats stayed in port. " + long_one + " A new timetable starts in March."
    suspect = ESSAY + "\n\n" + halves + "\n\n" + ESSAY
    [passage] = spans(suspect, source)
    words = tokenize(suspect)
    assert words.offsets[0][passage.s0] == suspect.index(halves)
    assert words.offsets[1][passage.s1 - 1] >= suspect.index(halves) + len(halves) - 2


def test_a_reused_sentence_repeated_after_the_reuse_is_left_out_of_the_passage():
    # The source says its last sentence again further on: as alike, and adding nothing.
    last = HARBOUR.split(". ")[2]
    source = "Fishing boats stayed in port. " + HARBOUR + " The timetable changes in March. " + last + " Boats left."
    suspect = ESSAY + "\n\n" + shuffled_within_sentences(HARBOUR, seed=3) + "\n\n" + ESSAY
    [passage] = spans(suspect, source)
    words = tokenize(source)
    assert words.offsets[1][passage.t1 - 1] == source.index(HARBOUR) + len(HARBOUR) - 1  # its last word, "day"


def test_a_sentence_whose_words_were_spread_over_the_reused_ones_is_part_of_the_passage():
    # The third sentence seeds none of the two it was shuffled into (a few of its words in
    # each), but half its topic words are there, beyond what the first two match: it was taken
    # too. Its neighbour after it shares none of them, and stays out.
    first, second, _ = sentences_of(HARBOUR)
    ours = first.rstrip(".").split() + ["operator", "apologised", "promised"]
    theirs = second.rstrip(".").split() + ["refund", "ticket", "sold"]
    for words, seed in ((ours, 1), (theirs, 2)):
        random.Random(seed).shuffle(words)
    reused = " ".join(ours) + ". " + " ".join(theirs) + "."
    source = "Fishing boats stayed in port. " + HARBOUR + " A new timetable starts in March."
    [passage] = spans(ESSAY + "\n\n" + reused + "\n\n" + ESSAY, source)
    words = tokenize(source)
    assert words.offsets[0][passage.t0] == source.index(HARBOUR)
    assert words.offsets[1][passage.t1 - 1] == source.index(HARBOUR) + len(HARBOUR) - 1  # "day", not the stop
    assert passage.shared == 20  # what seeded it: the evidence is not grown


def test_a_run_kept_in_order_and_the_sentence_restated_after_it_are_reused_together():
    # 13 prose words kept in order, then a sentence restated with many words of its own: 16
    # topic words matched, no block by the seeds; but no sentence of the essay's own lies between the
    # two, and the run is evidence by itself: they were taken together, as a block's are.
    reused = ("Islanders said the breakdown showed how fragile their connection to the mainland had become. "
              "Morag Tulloch, a local councillor who runs the island bakery, the harbour choir and the ferry action "
              "group with her brother and two cousins since last spring, called it a crisis years in the building.")
    judgement = compare_texts(ESSAY + "\n\n" + reused + "\n\n" + ESSAY, FERRY)
    assert judgement.verdict is Verdict.PARTIAL
    [passage] = judgement.evidence
    assert passage.kind == "sentences" and passage.block and passage.shared < 20


def test_a_sentence_moved_from_the_end_of_a_copied_stretch_to_its_start_is_part_of_the_passage():
    # Two sentences copied word for word, and the one that followed them in the source put
    # before them with its words shuffled: the word passage is the two, the reuse all three.
    paragraph = FERRY.split("\n\n")[3].replace("\n", " ")
    first_two, moved = paragraph[:paragraph.index("Local councillor")], paragraph[paragraph.index("Local councillor"):]
    reused = shuffled_within_sentences(moved, seed=2) + " " + first_two.strip()
    suspect = ESSAY + "\n\n" + reused + "\n\n" + ESSAY
    judgement = compare_texts(suspect, FERRY)
    assert judgement.verdict is Verdict.PARTIAL
    [passage] = judgement.evidence
    start = suspect.index(reused)
    assert abs(passage.suspect[0] - start) <= 1 and abs(passage.suspect[1] - (start + len(reused))) <= 2
    assert FERRY[passage.source[0]:passage.source[1]].replace("\n", " ").strip(" .") == paragraph.strip(" .")
