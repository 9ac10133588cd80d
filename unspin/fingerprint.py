"""Fingerprints: the hashed views of a text that retrieval compares.

Three views, hashed into one set of 64-bit features:

* **content words**: each distinct topic word. Spinning a third of them leaves two thirds,
  and the rare ones (names, places, technical words) single out the source.
* **skeleton trigrams**: three consecutive *immutable* words, the words spinners leave
  alone (function words, numbers, mid-sentence names; see :mod:`unspin.tokenize`). The
  DSpin observation: a text's skeleton keeps its order through word-for-synonym spinning.
* **exact shingles**: a sample of word 5-grams (one in four, chosen by hash so that source
  and copy sample the same ones), for verbatim copies and passages.
"""

from __future__ import annotations

import numpy as np

from unspin.jit import compiled
from unspin.tokenize import Tokens

SHINGLE_SIZE = 5
SKELETON_SIZE = 3
SHINGLE_SAMPLE = 4  # keep the 5-grams whose hash is 0 modulo this

# Odd multipliers and family salts so that a unigram, a trigram and a 5-gram never share a hash.
MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # the step of an n-gram's hash (unspin.neighbours hashes phrases with it too)
_SALT_CONTENT = np.uint64(0x1F0D_3C5A_7E6B_2901)
_SALT_SKELETON = np.uint64(0x2B7E_1516_28AE_D2A6)
_SALT_SHINGLE = np.uint64(0x3C6E_F372_FE94_F82B)
_SAMPLE = np.uint64(SHINGLE_SAMPLE)


def ngram_hashes(hashes: np.ndarray, n: int) -> np.ndarray:
    """Order-sensitive hashes of every run of ``n`` consecutive word hashes."""
    if len(hashes) < n:
        return np.empty(0, dtype=np.uint64)
    combined = hashes[: len(hashes) - n + 1].copy()
    with np.errstate(over="ignore"):  # multiplication modulo 2**64 is the point
        for offset in range(1, n):
            combined = combined * MULTIPLIER + hashes[offset : len(hashes) - n + 1 + offset]
    return combined


def sampled_shingles(tokens: Tokens) -> tuple[np.ndarray, np.ndarray]:
    """Where the text's sampled word 5-grams start, and their features (as
    :func:`fingerprint` has them)."""
    return _sampled_shingles(tokens.hashes)


@compiled
def _sampled_shingles(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`sampled_shingles`, in one pass (what :func:`ngram_hashes` gives, sampled and salted)."""
    count = max(0, len(hashes) - SHINGLE_SIZE + 1)
    starts, features = np.empty(count, np.int64), np.empty(count, np.uint64)
    found = 0
    for k in range(count):
        combined = hashes[k]
        for offset in range(1, SHINGLE_SIZE):
            combined = combined * MULTIPLIER + hashes[k + offset]
        if combined % _SAMPLE == 0:
            starts[found], features[found] = k, combined ^ _SALT_SHINGLE
            found += 1
    return starts[:found], features[:found]


def content_features(tokens: Tokens) -> np.ndarray:
    """Each word's topic-word feature, as :func:`fingerprint` has it for the topic words."""
    return tokens.hashes ^ _SALT_CONTENT


def fingerprint(tokens: Tokens, start: int = 0, end: int | None = None) -> np.ndarray:
    """The sorted, distinct features of a text, or of its words ``start:end``."""
    window = slice(start, end)
    return _features(tokens.hashes[window], tokens.content_mask[window], tokens.immutable_mask[window])


@compiled
def _features(hashes: np.ndarray, content: np.ndarray, immutable: np.ndarray) -> np.ndarray:
    """:func:`fingerprint`'s features, in one pass: what :func:`ngram_hashes` gives, salted
    by family, sorted, each once."""
    n = len(hashes)
    features = np.empty(3 * n, np.uint64)
    count = 0
    for k in range(n):  # topic words
        if content[k]:
            features[count] = hashes[k] ^ _SALT_CONTENT
            count += 1
    skeleton = hashes[immutable]
    for k in range(len(skeleton) - SKELETON_SIZE + 1):  # trigrams of the words spinners keep
        combined = skeleton[k]
        for offset in range(1, SKELETON_SIZE):
            combined = combined * MULTIPLIER + skeleton[k + offset]
        features[count] = combined ^ _SALT_SKELETON
        count += 1
    for k in range(n - SHINGLE_SIZE + 1):  # a sample of the word 5-grams, the same in every text
        combined = hashes[k]
        for offset in range(1, SHINGLE_SIZE):
            combined = combined * MULTIPLIER + hashes[k + offset]
        if combined % _SAMPLE == 0:
            features[count] = combined ^ _SALT_SHINGLE
            count += 1
    features = features[hash_order(features[:count])]
    distinct = 0
    for k in range(len(features)):
        if k == 0 or features[k] != features[k - 1]:
            features[distinct] = features[k]
            distinct += 1
    return features[:distinct]


@compiled
def hash_order(values: np.ndarray) -> np.ndarray:
    """``np.argsort`` of hash values (uint64, spread evenly over their range; equal values in
    any order), in linear time: a counting sort on their top bits, about one value a bucket,
    each bucket then sorted (by insertion while small). numba's ``np.sort`` and ``np.argsort``
    are a quicksort that took 7 us for 800 values and 35 us for 2,000 (this: 2 and 6), and a
    check sorts every suspect's features and many sources' phrases. Values bunched into few
    buckets (not hashes) are still sorted, by ``np.argsort`` of each large bucket."""
    count = len(values)
    bits = 1
    while (1 << bits) < count:
        bits += 1
    shift = np.uint64(64 - bits)
    starts = np.zeros((1 << bits) + 1, np.int64)
    for k in range(count):
        starts[np.int64(values[k] >> shift) + 1] += 1
    for bucket in range(1 << bits):
        starts[bucket + 1] += starts[bucket]
    order = np.empty(count, np.int64)
    filled = starts[:-1].copy()
    for k in range(count):
        bucket = np.int64(values[k] >> shift)
        order[filled[bucket]] = k
        filled[bucket] += 1
    for bucket in range(1 << bits):
        low, high = starts[bucket], starts[bucket + 1]
        if high - low > 16:
            inside = order[low:high].copy()
            order[low:high] = inside[np.argsort(values[inside])]
            continue
        for k in range(low + 1, high):
            moved, value = order[k], values[order[k]]
            at = k
            while at > low and values[order[at - 1]] > value:
                order[at] = order[at - 1]
                at -= 1
            order[at] = moved
    return order


@compiled
def distinct_hashes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct hash values (uint64), sorted, and where each of ``values`` is among them:
    what ``np.unique(values, return_inverse=True)`` gives, by the counting sort of
    :func:`hash_order` with each value carried beside its place (read in order, not through
    the order's random reads), in one compiled call."""
    count = len(values)
    bits = 1
    while (1 << bits) < count:
        bits += 1
    shift = np.uint64(64 - bits)
    starts = np.zeros((1 << bits) + 1, np.int64)
    for k in range(count):
        starts[np.int64(values[k] >> shift) + 1] += 1
    for bucket in range(1 << bits):
        starts[bucket + 1] += starts[bucket]
    ordered, at = np.empty(count, np.uint64), np.empty(count, np.int64)
    filled = starts[:-1].copy()
    for k in range(count):
        bucket = np.int64(values[k] >> shift)
        ordered[filled[bucket]], at[filled[bucket]] = values[k], k
        filled[bucket] += 1
    for bucket in range(1 << bits):
        low, high = starts[bucket], starts[bucket + 1]
        if high - low > 16:
            inside = np.argsort(ordered[low:high])
            ordered[low:high], at[low:high] = ordered[low:high][inside], at[low:high][inside]
            continue
        for k in range(low + 1, high):
            value, place = ordered[k], at[k]
            j = k
            while j > low and ordered[j - 1] > value:
                ordered[j], at[j] = ordered[j - 1], at[j - 1]
                j -= 1
            ordered[j], at[j] = value, place
    where = np.empty(count, np.int64)
    found = 0
    for k in range(count):
        if found == 0 or ordered[found - 1] != ordered[k]:
            ordered[found] = ordered[k]
            found += 1
        where[at[k]] = found - 1
    return ordered[:found], where


@compiled
def flags_of(known: np.ndarray, flags: np.ndarray, features: np.ndarray) -> tuple[np.ndarray, bool]:
    """The ``flags`` of ``features`` among the sorted ``known`` features, and whether all were
    found: binary searches in one compiled call (a few NumPy calls cost more than the lookups)."""
    found = np.zeros(len(features), np.bool_)
    for k in range(len(features)):
        at = first_at_least(known, features[k], 0, len(known))
        if at == len(known) or known[at] != features[k]:
            return found, False
        found[k] = flags[at]
    return found, True


@compiled
def first_at_least(keys: np.ndarray, value: int, low: int, high: int) -> int:
    """Where ``value`` goes among the sorted ``keys[low:high]``: the first place whose key is not below it."""
    while low < high:
        middle = (low + high) >> 1
        if keys[middle] < value:
            low = middle + 1
        else:
            high = middle
    return low
