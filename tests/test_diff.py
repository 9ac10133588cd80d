"""A passage's changes (unspin.diff): the kinds of change, and where sentences break."""

import numpy as np

import unspin.diff as diff_module
from unspin.diff import change_kind
from unspin.tokenize import tokenize


def test_long_unequal_stretches_are_rewrites_and_short_phrases_swaps():
    assert change_kind(3, 1, source_keeps=False) == "swap"  # "and" -> "as well as"
    assert change_kind(2, 3, source_keeps=True) == "swap"
    # A run of topic words, each replaced by a word or two: adjacent swaps.
    assert change_kind(5, 3, source_keeps=False) == "swap"
    # A longer stretch that changed function words, names or numbers too: rewritten.
    assert change_kind(9, 7, source_keeps=True) == "rewrite"
    assert change_kind(12, 4, source_keeps=False) == "rewrite"
    assert change_kind(0, 2, source_keeps=True) == "deletion"
    assert change_kind(2, 0, source_keeps=False) == "insertion"


def test_a_break_before_a_word_is_a_line_break_or_stop_in_the_gap_not_inside_a_word():
    text = "Title line\nIt cost 3.5m. Really? Yes! U.S. firms, e.g. Acme...  end"
    tokens = tokenize(text)
    gaps = [""] + [text[e:s] for e, s in zip(tokens.ends, tokens.starts[1:])]
    expected = [int(any(c in "\n.!?" for c in gap)) for gap in gaps]
    assert np.diff(diff_module._break_counts(tokens)).tolist() == expected
    # Before "It", "Really", "Yes", "U.S", "firms", "Acme" and "end"; "3.5m" keeps its stop inside it.
    assert expected.count(1) == 7
