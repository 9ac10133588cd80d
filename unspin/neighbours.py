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

A family's members hold about as much of the suspect as one another; a copy's source holds
far more of it than the articles beside it (other reports of the same event, which share a
stock phrase of their trade: "has been linked with a move to"). So each other source counts
by how many of the suspect's phrases it holds beside the source's: in full when it holds as
many or more, a tenth when it holds a tenth as many.

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
# Share of either source's phrases that the other holds from which the two are one text (as the
# benchmark's NEAR_DUPLICATE has it).
TWINS = 0.5
_LOW = np.uint64(0xFFFF)  # the low bits of a phrase's hash that a first look compares


class Neighbours:
    """The candidate sources of one suspect (their word keys, by source number), and, for
    each word of the suspect, which of them hold a phrase of the suspect around it."""

    def __init__(self, suspect: Tokens, sources: dict[int, np.ndarray],
                 known: dict[int, np.ndarray] | None = None) -> None:
        """``known``: distinct phrases of sources worked out before (kept by the caller for the
        next suspect; this one adds to it)."""
        ours = phrases(suspect.key_array)
        self._length = len(suspect)
        self._keys = sources
        self._phrases: dict[int, np.ndarray] = known if known is not None else {}  # distinct phrases of a source
        self._none = np.zeros(len(ours), dtype=bool)
        self._found = self._holders(ours, sources)  # per source holding any: which phrases of the suspect
        self._others: dict[int, np.ndarray] = {}

    @staticmethod
    def _holders(ours: np.ndarray, sources: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
        """For each source holding a phrase of the suspect (``ours``), which ones: one sorted
        search of every source's phrases, not one a source."""
        if not len(ours) or not sources:
            return {}
        distinct, where = np.unique(ours, return_inverse=True)
        numbers = list(sources)
        lengths = np.array([len(sources[number]) for number in numbers])
        # The phrases of all the sources end to end, those across two of them left out.
        every = phrases(np.concatenate([sources[number] for number in numbers]))
        owner = np.repeat(np.arange(len(numbers)), lengths)[:len(every)]
        inside = np.ones(len(every), dtype=bool)
        for end in np.cumsum(lengths)[:-1].tolist():
            inside[max(0, end - PHRASE + 1):end] = False
        # Most of their phrases are none of the suspect's: a table of the suspect's phrases'
        # low bits rules them out at once, and only the others are looked up.
        low = np.zeros(_LOW + 1, dtype=bool)
        low[distinct & _LOW] = True
        maybe = np.flatnonzero(low[every & _LOW] & inside)
        at = np.minimum(np.searchsorted(distinct, every[maybe]), len(distinct) - 1)
        hit = distinct[at] == every[maybe]
        table = np.zeros((len(numbers), len(distinct)), dtype=bool)
        table[owner[maybe[hit]], at[hit]] = True
        return {numbers[k]: table[k][where] for k in np.flatnonzero(table.any(axis=1)).tolist()}

    def _distinct(self, number: int) -> np.ndarray | None:
        found = self._phrases.get(number)
        if found is None and number in self._keys:
            found = self._phrases[number] = np.unique(phrases(self._keys[number]))
        return found

    def others(self, number: int) -> np.ndarray:
        """For each word of the suspect, how many of the other candidates hold it in a phrase
        of the suspect (each weighed by how much of the suspect it holds beside the source, at
        most one), leaving out the source ``number`` and its twins (see :data:`TWINS`):
        of the phrases around the word that the source holds, the least shared; around a word
        inside none of them (kept in a shorter run), the most shared phrase around it."""
        found = self._others.get(number)
        if found is None:
            found = self._counted(number)
            self._others[number] = found
        return found

    def _counted(self, number: int) -> np.ndarray:
        held = np.zeros(len(self._none), dtype=np.float64)  # per phrase: the other sources holding it
        ours = self._found.get(number, self._none)
        mine = int(ours.sum())
        for other, found in self._found.items():
            if other != number and not twins(self._distinct(number), self._distinct(other)):
                # Each counts by how much of the suspect it holds beside the source (at most one).
                held += found * min(1.0, int(found.sum()) / max(1, mine))
        if not held.any():
            return np.zeros(self._length, dtype=np.float64)
        least = _least_around(np.where(ours, held, _NONE), self._length)
        return np.where(least < _NONE, least, _most_around(held, self._length))


def phrases(keys: np.ndarray) -> np.ndarray:
    """The hashes of a text's word :data:`PHRASE`-grams, from its word keys, in text order."""
    return ngram_hashes(np.asarray(keys).astype(np.uint64), PHRASE)


def twins(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    """Whether two sources (their distinct phrases) are one text: one holds at least
    :data:`TWINS` of the other's phrases."""
    if a is None or b is None or not len(a) or not len(b):
        return False
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared >= TWINS * min(len(a), len(b))


_NONE = np.inf  # no phrase of the source around a word


def _least_around(counts: np.ndarray, words: int) -> np.ndarray:
    """For each of ``words`` words, the least of the ``counts`` of the phrases around it (by start)."""
    padded = np.full(words + PHRASE - 1, _NONE, dtype=np.float64)
    padded[PHRASE - 1:PHRASE - 1 + len(counts)] = counts
    # Word i lies in the phrases starting at i - PHRASE + 1 ... i.
    return np.minimum.reduce([padded[k:k + words] for k in range(PHRASE)])


def _most_around(counts: np.ndarray, words: int) -> np.ndarray:
    """For each of ``words`` words, the most of the ``counts`` of the phrases around it (by start)."""
    padded = np.zeros(words + PHRASE - 1, dtype=np.float64)
    padded[PHRASE - 1:PHRASE - 1 + len(counts)] = counts
    return np.maximum.reduce([padded[k:k + words] for k in range(PHRASE)])
