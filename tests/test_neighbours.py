"""A suspect's near neighbours (unspin/neighbours.py): phrasing that several unrelated sources
hold is their family's, worth a share of a word as evidence; duplicates of one text are one."""

import itertools
import random

import numpy as np
import pytest

from tests.collection import article, vocabulary
from unspin.check import Checker
from unspin.document import Document
from unspin.judge import Verdict
from unspin.neighbours import Neighbours, distinct_phrases, phrases, twins
from unspin.tokenize import tokenize

# The paragraph a site (a school district, a county office) puts on every page it writes, in
# its own words for this test: shared by a handful of sources, far too few to be stock text.
BOILERPLATE = ("The district office posts these notices for families on the first school day of each week. "
               "Questions about the schedule, the buses or the lunch menu may be sent to the front desk "
               "before noon, and a member of staff will answer them by the end of the day.")
FAMILY = 5  # sources that carry the boilerplate: fewer than the index's stock threshold of 20


@pytest.fixture(scope="module")
def made_up():
    """Unrelated articles of made-up words (tests/collection.py), one after another."""
    rng = random.Random(11)
    words = vocabulary(rng, 5000)
    weights = list(itertools.accumulate(1.0 / (rank + 10) for rank in range(len(words))))
    return lambda: article(rng, words, weights, 9)


def words_of(text: str, phrase: str) -> slice:
    """The words of ``phrase`` in ``text``, as a slice of its tokens."""
    start = len(tokenize(text[:text.index(phrase)]))
    return slice(start, start + len(tokenize(phrase)))


def test_a_phrase_that_other_unrelated_sources_hold_is_worth_a_share_of_a_word(made_up):
    own = made_up()
    suspect = f"{BOILERPLATE}\n\n{own}"
    sources = {k: tokenize(f"{made_up()}\n\n{BOILERPLATE}\n\n{made_up()}").key_array for k in range(3)}
    sources[3] = tokenize(own).key_array  # the suspect's own text: this source alone holds it
    words = tokenize(suspect)
    neighbours = Neighbours(words, sources)
    boilerplate, rest = words_of(suspect, BOILERPLATE), words_of(suspect, own)
    # Against source 0, the two others of the site hold the boilerplate as it does: each of its
    # words is worth a third of a word as evidence of copying from 0.
    assert (neighbours.others(0)[boilerplate] == 2).all()
    # Against source 3, the suspect's own text is its alone; the boilerplate is the three
    # others', which hold far less of the suspect than 3 does: each counts that fraction of a source.
    others = neighbours.others(3)
    assert (others[rest] == 0).all()
    assert 0 < others[boilerplate].min() == others[boilerplate].max() < 1


def test_an_article_holding_one_phrase_of_a_copy_counts_a_fraction_of_a_source(made_up):
    # Another report of the same event shares a stock phrase of its trade with the copied article.
    text = made_up()
    words = tokenize(text)
    phrase = text[words.offsets[0][20]:words.offsets[1][34]]
    bystander = tokenize(f"{made_up()} {phrase} {made_up()}").key_array
    neighbours = Neighbours(words, {1: words.key_array, 2: bystander})
    inside = words_of(text, phrase)
    held = slice(inside.start + 4, inside.stop - 4)  # words whose every phrase the bystander holds
    assert (0 < neighbours.others(1)[held]).all() and (neighbours.others(1)[held] < 0.1).all()
    # Against the bystander, the copy's source holds more of the suspect than it: one in full.
    assert (neighbours.others(2)[held] == 1).all()


def test_a_duplicate_of_the_source_does_not_share_out_its_evidence(made_up):
    text = made_up()
    words = tokenize(f"{made_up()}\n\n{text}")
    same = tokenize(text).key_array
    neighbours = Neighbours(words, {1: same, 2: same.copy(), 3: tokenize(made_up()).key_array})
    assert not neighbours.others(1).any() and not neighbours.others(2).any()


def test_a_word_counts_by_the_phrase_around_it_that_its_source_alone_holds(made_up):
    # Two instances of one template: the copy of instance 1 keeps its figures, and the
    # phrases around them are instance 1's alone.
    frame = ("At {} the harbour master reports {} boats in the outer basin and {} at the north quay, "
             "and asks skippers to keep the channel clear.")
    instance = [frame.format(6, 12, 30), frame.format(7, 7, 41), frame.format(8, 9, 18)]
    words = tokenize(instance[0])
    neighbours = Neighbours(words, {k: tokenize(text).key_array for k, text in enumerate(instance)})
    others = neighbours.others(0)
    assert (others[words_of(instance[0], "boats in the")] == 0).all()  # "reports 12 boats in the" is instance 0's
    # "keep the channel clear" is every one's: the two others hold it, each counting by the share
    # of the copy it holds beside instance 0 (the frame, without instance 0's figures).
    frame = others[words_of(instance[0], "the channel clear")]
    assert (0 < frame).all() and (frame < 2).all()


def test_boilerplate_that_a_few_sources_share_is_no_copy_but_a_passage_of_one_of_them_is(index, made_up):
    family = [f"{made_up()}\n\n{BOILERPLATE}\n\n{made_up()}" for _ in range(FAMILY)]
    unrelated = [made_up() for _ in range(20)]
    list(index.add([Document(f"site/{k}", text) for k, text in enumerate(family)]
                   + [Document(f"other/{k}", text) for k, text in enumerate(unrelated)]))
    checker = Checker(index)
    # Another page of the site: the boilerplate and its own text.
    page = checker.check(Document("page", f"{BOILERPLATE}\n\n{made_up()}"))
    assert page.verdict is Verdict.ORIGINAL, [(m.source.id, m.verdict) for m in page.matches]
    # A page that also reused a paragraph of one of the site's pages is traced to that page.
    reused = family[2].split("\n\n")[0]
    copied = checker.check(Document("copied", f"{made_up()}\n\n{reused}\n\n{BOILERPLATE}"))
    assert copied.verdict is Verdict.PARTIAL and copied.matches[0].source.id == "site/2"


def test_a_passage_of_a_source_indexed_twice_is_still_a_partial_copy(index, made_up):
    text = made_up()
    list(index.add([Document("story", text), Document("story-again", text)]
                   + [Document(f"other/{k}", made_up()) for k in range(20)]))
    reused = text.split("\n\n")[1]
    result = Checker(index).check(Document("suspect", f"{made_up()}\n\n{reused}\n\n{made_up()}"))
    assert result.verdict is Verdict.PARTIAL
    assert {m.source.id for m in result.matches} == {"story", "story-again"}


def test_a_texts_distinct_phrases_are_its_phrases_each_once_in_order_with_where_each_one_is(made_up):
    keys = tokenize(f"{made_up()} {BOILERPLATE} {BOILERPLATE}").key_array
    distinct, where = distinct_phrases(keys)
    expected, inverse = np.unique(phrases(keys), return_inverse=True)
    assert np.array_equal(distinct, expected) and np.array_equal(where, inverse)
    assert len(distinct_phrases(keys[:4])[0]) == 0  # too short for a phrase


def test_which_sources_hold_which_phrases_is_what_a_search_of_each_source_finds(made_up):
    suspect = tokenize(f"{made_up()}\n\n{BOILERPLATE}\n\n{made_up()}")
    sources = {k: tokenize(f"{made_up()}\n\n{BOILERPLATE if k % 2 else ''}").key_array for k in range(6)}
    sources[6] = suspect.key_array[:3]  # shorter than a phrase
    ours = phrases(suspect.key_array)
    found = Neighbours(suspect, sources)._found
    for number, keys in sources.items():
        held = np.isin(ours, phrases(keys))
        assert np.array_equal(found.get(number, np.zeros(len(ours), dtype=bool)), held)
    assert set(found) == {1, 3, 5}


def test_twins_are_worked_out_once_a_pair_and_kept_for_the_next_suspect(made_up):
    text, other = made_up(), made_up()
    sources = {1: tokenize(text).key_array, 2: tokenize(text + " " + BOILERPLATE).key_array,
               3: tokenize(other + " " + BOILERPLATE).key_array}
    known, pairs = {}, {}
    Neighbours(tokenize(f"{text} {BOILERPLATE}"), sources, known, pairs).others(1)
    assert pairs == {(1, 2): True, (1, 3): False}
    assert pairs[(1, 3)] == twins(known[1], known[3])
    assert twins(known[1], known[2]) and not twins(known[2], known[3])
