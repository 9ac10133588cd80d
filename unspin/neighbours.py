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

from unspin.fingerprint import MULTIPLIER, SHINGLE_SIZE, ngram_hashes
from unspin.jit import compiled
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
                 known: dict[int, np.ndarray] | None = None,
                 pairs: dict[tuple[int, int], bool] | None = None) -> None:
        """``known``: distinct phrases of sources worked out before, and ``pairs``: whether two
        sources are :func:`twins` (both kept by the caller for the next suspect, since the same
        sources are candidates of many suspects; this one adds to them)."""
        ours, self._where = distinct_phrases(suspect.key_array)
        self._length = len(suspect)
        self._keys = sources
        self._phrases: dict[int, np.ndarray] = known if known is not None else {}  # distinct phrases of a source
        self._pairs: dict[tuple[int, int], bool] = pairs if pairs is not None else {}
        self._none = np.zeros(len(self._where), dtype=bool)
        self._found = self._holders(ours)  # per source holding any: which phrases of the suspect
        self._others: dict[int, np.ndarray] = {}

    def _holders(self, distinct: np.ndarray) -> dict[int, np.ndarray]:
        """For each source holding a phrase of the suspect (``distinct``: its distinct phrases,
        sorted), which ones, for each of its phrases in text order: one compiled pass over
        every source's phrases, not one a source."""
        if not len(distinct) or not self._keys:
            return {}
        where = self._where
        numbers = list(self._keys)
        keys = [self._keys[number] for number in numbers]
        bounds = np.zeros(len(numbers) + 1, dtype=np.int64)
        np.cumsum([len(k) for k in keys], out=bounds[1:])
        # Most of their phrases are none of the suspect's: a table of the suspect's phrases'
        # low bits rules them out at once, and only the others are looked up.
        low = np.zeros(_LOW + 1, dtype=bool)
        low[distinct & _LOW] = True
        table = _holding(distinct, low, np.concatenate(keys).astype(np.uint64), bounds)
        return {numbers[k]: table[k][where] for k in np.flatnonzero(table.any(axis=1)).tolist()}

    def _distinct(self, number: int) -> np.ndarray | None:
        found = self._phrases.get(number)
        if found is None and number in self._keys:
            found = self._phrases[number] = distinct_phrases(self._keys[number])[0]
        return found

    def _twins(self, number: int, other: int) -> bool:
        """:func:`twins` of two candidate sources, worked out once for the pair."""
        pair = (number, other) if number < other else (other, number)
        found = self._pairs.get(pair)
        if found is None:
            found = self._pairs[pair] = twins(self._distinct(number), self._distinct(other))
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
            if other != number and not self._twins(number, other):
                # Each counts by how much of the suspect it holds beside the source (at most one).
                held += found * min(1.0, int(found.sum()) / max(1, mine))
        if not held.any():
            return np.zeros(self._length, dtype=np.float64)
        least = _least_around(np.where(ours, held, _NONE), self._length)
        return np.where(least < _NONE, least, _most_around(held, self._length))


def phrases(keys: np.ndarray) -> np.ndarray:
    """The hashes of a text's word :data:`PHRASE`-grams, from its word keys, in text order."""
    return ngram_hashes(np.asarray(keys).astype(np.uint64), PHRASE)


def distinct_phrases(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A text's distinct :func:`phrases`, sorted, and where each of its phrases (in text order)
    is among them: what ``np.unique(phrases(keys), return_inverse=True)`` gives, in one
    compiled pass."""
    return _distinct_phrases(np.asarray(keys).astype(np.uint64))


@compiled
def _distinct_phrases(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    count = max(0, len(keys) - PHRASE + 1)
    hashes = np.empty(count, np.uint64)
    for start in range(count):
        combined = keys[start]
        for offset in range(1, PHRASE):
            combined = combined * MULTIPLIER + keys[start + offset]
        hashes[start] = combined
    order = np.argsort(hashes)
    distinct, where = np.empty(count, np.uint64), np.empty(count, np.int64)
    found = 0
    for k in range(count):
        phrase = hashes[order[k]]
        if found == 0 or distinct[found - 1] != phrase:
            distinct[found] = phrase
            found += 1
        where[order[k]] = found - 1
    return distinct[:found], where


def twins(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    """Whether two sources (their distinct phrases) are one text: one holds at least
    :data:`TWINS` of the other's phrases."""
    if a is None or b is None or not len(a) or not len(b):
        return False
    return _shared(a, b) >= TWINS * min(len(a), len(b))


@compiled
def _shared(a: np.ndarray, b: np.ndarray) -> int:
    """How many phrases two sorted arrays of distinct phrases have in common, merged in one pass."""
    i = j = found = 0
    while i < len(a) and j < len(b):
        if a[i] < b[j]:
            i += 1
        elif b[j] < a[i]:
            j += 1
        else:
            found += 1
            i += 1
            j += 1
    return found


@compiled
def _holding(ours: np.ndarray, low: np.ndarray, keys: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Which of the sorted distinct phrases ``ours`` (their low bits flagged in ``low``) each
    source holds: a table, a row a source, from the sources' word keys end to end (source k's
    are ``keys[bounds[k]:bounds[k + 1]]``); each phrase hashed as :func:`phrases` hashes it."""
    table = np.zeros((len(bounds) - 1, len(ours)), np.bool_)
    for k in range(len(bounds) - 1):
        for start in range(bounds[k], bounds[k + 1] - PHRASE + 1):
            combined = keys[start]
            for offset in range(1, PHRASE):
                combined = combined * MULTIPLIER + keys[start + offset]
            if not low[combined & _LOW]:
                continue
            at = np.searchsorted(ours, combined)
            if at < len(ours) and ours[at] == combined:
                table[k, at] = True
    return table


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
