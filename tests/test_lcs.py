import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Indel

from unspin.lcs import matching_blocks


def rapidfuzz_blocks(a, b):
    return [(i, j, n) for i, j, n in Indel.editops(a, b).as_matching_blocks() if n]


words = st.lists(st.integers(min_value=0, max_value=8), max_size=150)


@settings(max_examples=300, deadline=None)
@given(words, words)
def test_blocks_are_rapidfuzz_s_on_any_two_sequences(a, b):
    assert matching_blocks(a, b) == rapidfuzz_blocks(a, b)


@pytest.mark.parametrize("seed", range(20))
def test_blocks_are_rapidfuzz_s_on_copies_with_edits_and_affixes(seed):
    rng = random.Random(seed)
    source = [rng.randrange(2**32) for _ in range(rng.randint(50, 700))]  # several 64-bit words of bits
    copy = [w if rng.random() > 0.3 else rng.randrange(2**32) for w in source]
    copy = source[:5] + copy[rng.randint(0, 40):] + source[-3:]
    assert matching_blocks(copy, source) == rapidfuzz_blocks(copy, source)
    assert matching_blocks(np.array(copy), np.array(source, dtype=np.uint32)) == rapidfuzz_blocks(copy, source)


def test_equal_empty_and_disjoint_sequences():
    assert matching_blocks([1, 2, 3], [1, 2, 3]) == [(0, 0, 3)]
    assert matching_blocks([], [1]) == [] and matching_blocks([1], []) == []
    assert matching_blocks([1, 2], [3, 4]) == []
    assert matching_blocks([7, 1, 7], [7, 2, 7]) == [(0, 0, 1), (2, 2, 1)]
