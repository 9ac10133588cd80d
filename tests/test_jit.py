"""The compiled loops' switch: one compiled loop calling another."""

from collections import Counter

import numpy as np

from unspin.bags import _one_for_one, in_common, matched_one_for_one
from unspin.neighbours import twins


def test_a_compiled_loop_calls_another_as_its_kernel():
    # _one_for_one names in_common: numba is handed in_common's kernel, not its Python wrapper.
    rng = np.random.default_rng(7)
    for _ in range(300):
        a, b = rng.integers(-1, 20, rng.integers(0, 30)), rng.integers(-1, 20, rng.integers(0, 30))
        expected = sum((Counter(a[a >= 0].tolist()) & Counter(b[b >= 0].tolist())).values())
        assert matched_one_for_one(a, b) == expected
    assert _one_for_one.dispatcher() is _one_for_one.dispatcher()  # compiled once


def test_the_merge_counts_common_values_of_sorted_arrays_of_any_integer_type():
    x = np.array([1, 3, 5, 7, 9], dtype=np.uint64)
    y = np.array([3, 4, 5, 9, 11], dtype=np.uint64)
    assert in_common(x, y) == 3
    assert in_common(x.astype(np.int64), y[:0].astype(np.int64)) == 0
    assert twins(x, y) and not twins(x, np.array([2, 4, 6], dtype=np.uint64))
