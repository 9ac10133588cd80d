"""What the words a passage keeps are worth: compiled counts over its blocks (rows of suspect
start, source start, length) for :mod:`unspin.judge`'s stock-text and shared-phrasing rules."""

from __future__ import annotations

import numpy as np

from unspin.diff import IMBALANCE, SWAP
from unspin.jit import compiled


@compiled
def kept_worth(blocks: np.ndarray, common: np.ndarray, facts: np.ndarray, shared: np.ndarray) -> float:
    """Of the prose words (not facts in the source) the blocks keep, and not common in the
    suspect: each word's share among the ``shared`` other sources holding it, and this one."""
    worth = 0.0
    for b in range(len(blocks)):
        i, j, n = blocks[b, 0], blocks[b, 1], blocks[b, 2]
        for k in range(n):
            if not common[i + k] and not facts[j + k]:
                worth += 1.0 / (1 + shared[i + k])
    return worth


@compiled
def shared_off(blocks: np.ndarray, common: np.ndarray, facts: np.ndarray, shared: np.ndarray) -> float:
    """What the other sources' shares take off the prose words the blocks keep (see
    :func:`_kept_worth`): of each, ``1 - 1 / (1 + shared)`` of a word."""
    off = 0.0
    for b in range(len(blocks)):
        i, j, n = blocks[b, 0], blocks[b, 1], blocks[b, 2]
        for k in range(n):
            if not common[i + k] and not facts[j + k]:
                off += 1.0 - 1.0 / (1 + shared[i + k])
    return off


@compiled
def unbroken_worth(blocks: np.ndarray, common: np.ndarray, facts: np.ndarray, shared: np.ndarray,
                    immutable: np.ndarray) -> float:
    """:func:`_kept_worth` of the longest stretch of the blocks that no rewrite breaks. A
    rewrite is a gap between two blocks that changed more than a short phrase of the source
    (:data:`~unspin.diff.SWAP` words) or more than two short phrases in all, and is no swap:
    one side empty, the sides unequal by more than :data:`~unspin.diff.IMBALANCE` words, or
    the source's side holding a function word, a name or a number (``immutable``: their
    running count), as :func:`unspin.diff.change_kind` has it. A spinner's swaps, even
    adjacent ones run together, are no rewrite."""
    best = worth = 0.0
    for b in range(len(blocks)):
        i, j, n = blocks[b, 0], blocks[b, 1], blocks[b, 2]
        if b > 0:
            gap_s = i - (blocks[b - 1, 0] + blocks[b - 1, 2])
            t0 = blocks[b - 1, 1] + blocks[b - 1, 2]
            gap_t = j - t0
            if gap_t > SWAP or gap_s + gap_t > 2 * SWAP:
                balanced = gap_s > 0 and gap_t > 0 and abs(gap_s - gap_t) <= IMBALANCE
                if not balanced or immutable[j] - immutable[t0] > 0:
                    worth = 0.0
        for k in range(n):
            if not common[i + k] and not facts[j + k]:
                worth += 1.0 / (1 + shared[i + k])
        best = max(best, worth)
    return best


@compiled
def kept_common_prose(blocks: np.ndarray, common: np.ndarray, facts: np.ndarray) -> int:
    """Of the prose words (not facts in the source) the blocks keep, how many are common in the suspect."""
    found = 0
    for b in range(len(blocks)):
        i, j, n = blocks[b, 0], blocks[b, 1], blocks[b, 2]
        for k in range(n):
            if common[i + k] and not facts[j + k]:
                found += 1
    return found
