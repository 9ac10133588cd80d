"""A suspect's near neighbours: which of its phrases the other candidate sources share.

A check retrieves a handful of candidate sources for a suspect: its nearest neighbours in
the collection. A phrase of the suspect that one of them holds is evidence that the suspect
copied it from there. The same phrase held by several of them that are not copies of one
another is the family's own phrasing (a template's frame, a genre's formula, a site's
boilerplate): too rare in the whole index to be its stock text (:meth:`unspin.index.Index.common`),
but no evidence of copying from any one of them. So the evidence a suspect's word gives of
copying from a source is shared out evenly among the unrelated sources that hold it in the
same phrase (:meth:`Neighbours.others` gives how many besides the source; the judge counts
the word as ``1 / (1 + others)`` of a word): a passage only the one source holds keeps its
whole weight, one that five unrelated sources hold keeps a sixth of it. No setting: the
family is whatever the index holds around the suspect.

A word counts by the least shared of the phrases around it that the source holds: a copy of
one instance of a template keeps that instance's figures, and the phrases that hold them
are its source's alone (a forecast's "with a high near 32"), where another instance's
phrases around them hold other figures.

Two sources that are one text (a duplicate, a story syndicated or updated under another id)
are not two families: a source that holds at least :data:`TWINS` of the other's phrases (or
the other of its) does not share out the other's evidence.
"""

from __future__ import annotations

import numpy as np

from unspin.fingerprint import SHINGLE_SIZE, ngram_hashes
from unspin.tokenize import Tokens

PHRASE = SHINGLE_SIZE  # words of a phrase: the index's own, a 5-gram
TWINS = 0.5  # share of either source's phrases that the other holds from which the two are one text


class Neighbours:
    """The candidate sources of one suspect (their word keys, by source number), and, for
    each word of the suspect, which of them hold a phrase of the suspect around it."""

    def __init__(self, suspect: Tokens, sources: dict[int, np.ndarray]) -> None:
        ours = phrases(suspect.key_array)
        self._length = len(suspect)
        self._phrases: dict[int, np.ndarray] = {}
        self._found: dict[int, np.ndarray] = {}  # per source holding any: which phrases of the suspect
        for number, keys in sources.items():
            theirs = np.unique(phrases(keys))
            self._phrases[number] = theirs
            found = np.isin(ours, theirs)
            if found.any():
                self._found[number] = found
        self._none = np.zeros(len(ours), dtype=bool)
        self._others: dict[int, np.ndarray] = {}

    def others(self, number: int) -> np.ndarray:
        """For each word of the suspect, how many of the other candidates hold it in a phrase
        of the suspect, leaving out the source ``number`` and its twins (see :data:`TWINS`):
        of the phrases around the word that the source holds, the least shared; around a word
        inside none of them (kept in a shorter run), the most shared phrase around it."""
        found = self._others.get(number)
        if found is None:
            found = self._counted(number)
            self._others[number] = found
        return found

    def _counted(self, number: int) -> np.ndarray:
        own = self._phrases.get(number)
        held = np.zeros(len(self._none), dtype=np.int64)  # per phrase: the other sources holding it
        for other, found in self._found.items():
            if other != number and not (own is not None and twins(own, self._phrases[other])):
                held += found
        if not held.any():
            return np.zeros(self._length, dtype=np.int64)
        ours = self._found.get(number, self._none)
        least = _least_around(np.where(ours, held, _NONE), self._length)
        return np.where(least < _NONE, least, _most_around(held, self._length))


def phrases(keys: np.ndarray) -> np.ndarray:
    """The hashes of a text's word :data:`PHRASE`-grams, from its word keys, in text order."""
    return ngram_hashes(np.asarray(keys).astype(np.uint64), PHRASE)


def twins(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two sources (their distinct phrases) are one text: one holds at least
    :data:`TWINS` of the other's phrases."""
    if not len(a) or not len(b):
        return False
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared >= TWINS * min(len(a), len(b))


_NONE = np.iinfo(np.int64).max  # no phrase of the source around a word


def _least_around(counts: np.ndarray, words: int) -> np.ndarray:
    """For each of ``words`` words, the least of the ``counts`` of the phrases around it (by start)."""
    padded = np.full(words + PHRASE - 1, _NONE, dtype=np.int64)
    padded[PHRASE - 1:PHRASE - 1 + len(counts)] = counts
    # Word i lies in the phrases starting at i - PHRASE + 1 ... i.
    return np.minimum.reduce([padded[k:k + words] for k in range(PHRASE)])


def _most_around(counts: np.ndarray, words: int) -> np.ndarray:
    """For each of ``words`` words, the most of the ``counts`` of the phrases around it (by start)."""
    padded = np.zeros(words + PHRASE - 1, dtype=np.int64)
    padded[PHRASE - 1:PHRASE - 1 + len(counts)] = counts
    return np.maximum.reduce([padded[k:k + words] for k in range(PHRASE)])
