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

from unspin.tokenize import Tokens

SHINGLE_SIZE = 5
SKELETON_SIZE = 3
SHINGLE_SAMPLE = 4  # keep the 5-grams whose hash is 0 modulo this

# Odd multipliers and family salts so that a unigram, a trigram and a 5-gram never share a hash.
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
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
            combined = combined * _MULTIPLIER + hashes[offset : len(hashes) - n + 1 + offset]
    return combined


def fingerprint(tokens: Tokens) -> np.ndarray:
    """The sorted, distinct features of a text."""
    hashes = tokens.hashes
    shingles = ngram_hashes(hashes, SHINGLE_SIZE)
    features = np.concatenate(
        [
            hashes[tokens.content_mask] ^ _SALT_CONTENT,
            ngram_hashes(hashes[tokens.immutable_mask], SKELETON_SIZE) ^ _SALT_SKELETON,
            shingles[shingles % _SAMPLE == 0] ^ _SALT_SHINGLE,
        ]
    )
    features.sort()
    # np.unique, without its overhead (this runs once per text, on small arrays)
    return features[np.concatenate([[True], features[1:] != features[:-1]])] if len(features) else features
