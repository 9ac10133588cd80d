"""The ends of a reported passage: its source side over the sentences a rewrite took."""

import numpy as np

from unspin.ends import whole_source_sentences
from unspin.passage import Passage
from unspin.tokenize import tokenize


def _source_side(source, first: str, last: str) -> Passage:
    """A passage whose source side runs from the word ``first`` to the word ``last`` of ``source``."""
    words = tokenize(source)
    t0 = int(np.searchsorted(words.offsets[0], source.index(first)))
    t1 = int(np.searchsorted(words.offsets[0], source.index(last))) + 1
    return Passage((0, 0), (int(words.offsets[0][t0]), int(words.offsets[1][t1 - 1])), (0, 1), (t0, t1), 1, 1)


def test_a_passage_holding_most_of_its_end_sentences_takes_them_whole_on_the_source_side():
    # The rewrite dropped the first word of the first sentence and the last two of the last one.
    source = "A bridge closed today. Engineers found rust in three of the cables holding the deck. Work starts soon."
    passage = whole_source_sentences(_source_side(source, "found", "holding"), tokenize(source))
    assert source[slice(*passage.source)] == "Engineers found rust in three of the cables holding the deck"
    assert passage.suspect == (0, 0)  # the suspect side as found


def test_a_passage_holding_little_of_a_sentence_or_a_line_above_it_does_not_take_them():
    source = "A bridge closed today. Engineers found rust in three of the cables holding the deck. Work starts soon."
    passage = whole_source_sentences(_source_side(source, "cables", "deck"), tokenize(source))
    assert source[slice(*passage.source)] == "cables holding the deck"
    titled = "Bridge closed\nEngineers found rust in three of the cables holding the deck. Work starts soon."
    passage = whole_source_sentences(_source_side(titled, "found", "deck"), tokenize(titled))
    assert titled[slice(*passage.source)] == "Engineers found rust in three of the cables holding the deck"

