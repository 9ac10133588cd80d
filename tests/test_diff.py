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


def _breaks_by_pattern(tokens, first, end):
    """What diff._breaks finds, by the pattern it reads (diff._BOUNDARY)."""
    pattern, text, starts, ends = diff_module._BOUNDARY, tokens.text, tokens.starts, tokens.ends
    if end - first < 2 or not pattern.search(text, starts[first], ends[end - 1]):
        return []
    return [k for k in range(first + 1, end) if pattern.search(text[ends[k - 1]:starts[k]])]


def test_the_compiled_breaks_are_the_patterns():
    rng = np.random.default_rng(5)
    pieces = ["word", "Two", "3.5", "U.S", " ", "  ", "\n", ".", "!", "?", ";", "'", "’", "”", '"', ")", "]", "(",
              "\u00a0", "\u3000", "\u2009", "\x1c", "-", ",", "…", "é"]
    for _ in range(400):
        text = "".join(rng.choice(pieces, size=rng.integers(1, 40)))
        tokens = tokenize(text)
        for first in range(len(tokens)):
            for end in range(first, min(len(tokens), first + 6) + 1):
                assert diff_module._breaks(tokens, first, end) == _breaks_by_pattern(tokens, first, end), (text, first, end)


def test_the_tally_of_changes_split_at_breaks_is_the_one_counted_from_their_substitutions():
    from tests.conftest import tallied_as_listed

    rng = np.random.default_rng(11)
    words = ["the", "ferry", "sailed", "at", "dawn.", "Harbour", "board", "met!", "212", "on\n", "May", "said,",
             "\"we", "will\"", "keep", "times?", "and", "a", "boat", "joins."]
    for _ in range(60):
        source_text = " ".join(rng.choice(words, size=120))
        changed = [w if rng.random() > 0.35 else str(rng.choice(words)) for w in source_text.split(" ")]
        suspect_text = " ".join(changed)
        tallied_as_listed(tokenize(suspect_text), tokenize(source_text))
