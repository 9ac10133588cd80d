"""The longest common subsequence of two word sequences, as matching blocks, compiled.

Alignment (:mod:`unspin.align`) runs an LCS of two texts' words for every candidate source
of every suspect, so this is the hottest loop of a check. It is Hyyrö's bit-parallel
algorithm with the traceback of rapidfuzz's reference implementation (``LCSseq.editops``), so
the blocks are the ones ``rapidfuzz.distance.Indel.editops(a, b).as_matching_blocks()``
gives (the tests hold the two together), but on integer arrays, compiled by numba: rapidfuzz
spends most of its time turning two lists of Python integers into its own form.

The kernel is compiled on its first call (:func:`unspin.jit.compiled`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from unspin.jit import compiled

Block = tuple[int, int, int]  # (i, j, n): a[i:i+n] == b[j:j+n]


def matching_blocks(a: Sequence[int] | np.ndarray, b: Sequence[int] | np.ndarray) -> list[Block]:
    """The blocks ``(i, j, n)`` of ``a[i:i+n] == b[j:j+n]`` along a longest common
    subsequence of two integer sequences, in order, none empty."""
    blocks = lcs_blocks(np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64))
    return list(map(tuple, blocks.tolist()))


@compiled
def lcs_blocks(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The matching blocks of ``a`` and ``b`` (int64 arrays), as rows ``(i, j, n)``."""
    n1, n2 = len(a), len(b)
    # The common prefix and suffix are blocks of their own (rapidfuzz strips them first too).
    p = 0
    while p < n1 and p < n2 and a[p] == b[p]:
        p += 1
    s = 0
    while s < n1 - p and s < n2 - p and a[n1 - 1 - s] == b[n2 - 1 - s]:
        s += 1
    m1, m2 = n1 - p - s, n2 - p - s
    out = np.empty((min(n1, n2) + 2, 3), np.int64)
    count = 0
    if p:
        out[0, 0], out[0, 1], out[0, 2] = 0, 0, p
        count = 1
    if m1 and m2:
        # Pattern bits: for each distinct value of a's middle, where it occurs, 64 positions a
        # word. The distinct values are found by open addressing in a table twice their number.
        bits = 1
        while (1 << bits) < 2 * m1:
            bits += 1
        mask, shift = (1 << bits) - 1, np.uint64(64 - bits)
        table_value = np.empty(1 << bits, np.int64)
        table_row = np.full(1 << bits, -1, np.int64)
        row_of = np.empty(m1, np.int64)
        rows = 0
        for i in range(m1):
            v = a[p + i]
            h = np.int64((np.uint64(v) * np.uint64(0x9E3779B97F4A7C15)) >> shift)
            while table_row[h] >= 0 and table_value[h] != v:
                h = (h + 1) & mask
            if table_row[h] < 0:
                table_value[h], table_row[h] = v, rows
                rows += 1
            row_of[i] = table_row[h]
        # Words of either side whose value the other lacks match nothing: dropped before the
        # bit-parallel pass, which then runs over fewer words of both (their bits in S would stay
        # set, a row of b's S stay as the one before: the same matches, found on fewer bits).
        seen = np.zeros(rows, np.bool_)
        b_row = np.empty(m2, np.int64)  # the kept words of b: their rows, and where they are
        b_at = np.empty(m2, np.int64)
        kept_b = 0
        for j in range(m2):
            v = b[p + j]
            h = np.int64((np.uint64(v) * np.uint64(0x9E3779B97F4A7C15)) >> shift)
            while table_row[h] >= 0:
                if table_value[h] == v:
                    seen[table_row[h]] = True
                    b_row[kept_b], b_at[kept_b] = table_row[h], j
                    kept_b += 1
                    break
                h = (h + 1) & mask
        a_at = np.empty(m1, np.int64)  # the kept words of a, where they are
        kept_a = 0
        for i in range(m1):
            if seen[row_of[i]]:
                a_at[kept_a] = i
                kept_a += 1
        words = (kept_a + 63) >> 6
        pattern = np.zeros(rows * words, np.uint64)  # a row for each distinct value (not one for each word)
        for c in range(kept_a):
            pattern[row_of[a_at[c]] * words + (c >> 6)] |= np.uint64(1) << np.uint64(c & 63)
        # Hyyrö: S's zero bits mark the LCS so far; one row of S kept for each kept word of b.
        matrix = np.empty(kept_b * words, np.uint64)
        S = np.full(words, np.uint64(0xFFFFFFFFFFFFFFFF))
        for j in range(kept_b):
            base, carry = b_row[j] * words, np.uint64(0)
            for w in range(words):  # S = (S + U) | (S - U), U = S & pattern, over several words
                x = S[w]
                u = x & pattern[base + w]
                t = x + u
                overflow = np.uint64(t < x)
                t2 = t + carry
                carry = overflow | np.uint64(t2 < t)
                x = t2 | (x ^ u)  # S - U is S ^ U, as U's bits are S's
                S[w] = x
                matrix[j * words + w] = x
        # Traceback from the end, as rapidfuzz's reference does: delete, else insert, else match.
        match_i = np.empty(min(kept_a, kept_b), np.int64)
        match_j = np.empty(min(kept_a, kept_b), np.int64)
        matches = 0
        col, row = kept_a, kept_b
        while row != 0 and col != 0:
            c = col - 1
            if (matrix[(row - 1) * words + (c >> 6)] >> np.uint64(c & 63)) & np.uint64(1):
                col -= 1
            else:
                row -= 1
                if row == 0 or (matrix[(row - 1) * words + (c >> 6)] >> np.uint64(c & 63)) & np.uint64(1):
                    col -= 1
                    match_i[matches], match_j[matches] = a_at[col], b_at[row]
                    matches += 1
        k = matches - 1  # the matches, last first: runs of them on one diagonal are blocks
        while k >= 0:
            i0, j0, n = match_i[k], match_j[k], 1
            while k - n >= 0 and match_i[k - n] == i0 + n and match_j[k - n] == j0 + n:
                n += 1
            out[count, 0], out[count, 1], out[count, 2] = i0 + p, j0 + p, n
            count += 1
            k -= n
    if s:
        out[count, 0], out[count, 1], out[count, 2] = n1 - s, n2 - s, s
        count += 1
    if p and s and count == 2 and out[0, 2] == out[1, 0] and out[0, 2] == out[1, 1]:  # a == b
        out[0, 2] += s
        count = 1
    return out[:count]


def merge_touching(blocks: np.ndarray) -> np.ndarray:
    """Blocks in order, each one that continues the one before it merged into it."""
    return _merged_blocks(np.ascontiguousarray(blocks, dtype=np.int64))


@compiled
def _merged_blocks(blocks: np.ndarray) -> np.ndarray:
    """:func:`merge_touching` of int64 blocks, in one compiled pass."""
    merged = np.empty_like(blocks)
    count = 0
    for k in range(len(blocks)):
        i, j, n = blocks[k, 0], blocks[k, 1], blocks[k, 2]
        if count:
            pi, pj, pn = merged[count - 1, 0], merged[count - 1, 1], merged[count - 1, 2]
            if i == pi + pn and j == pj + pn:
                merged[count - 1, 2] = pn + n
                continue
        merged[count, 0], merged[count, 1], merged[count, 2] = i, j, n
        count += 1
    return merged[:count].copy()
