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

from unspin.bags import in_common
from unspin.fingerprint import MULTIPLIER, SHINGLE_SIZE, distinct_hashes, ngram_hashes
from unspin.jit import compiled
from unspin.tokenize import Tokens

PHRASE = SHINGLE_SIZE  # words of a phrase: the index's own, a 5-gram
_NEAR_BITS = 14  # the top bits of a phrase's hash that a first look at it compares (see _holding)
# Share of either source's phrases that the other holds from which the two are one text (as the
# benchmark's NEAR_DUPLICATE has it).
TWINS = 0.5


class Neighbours:
    """The candidate sources of one suspect (their word keys, by source number), and, for
    each word of the suspect, which of them hold a phrase of the suspect around it."""

    def __init__(self, suspect: Tokens, sources: dict[int, np.ndarray],
                 known: dict[int, np.ndarray] | None = None,
                 pairs: dict[tuple[int, int], bool] | None = None) -> None:
        """``known``: distinct phrases of sources worked out before, and ``pairs``: whether two
        sources are :func:`twins` (both kept by the caller for the next suspect, since the same
        sources are candidates of many suspects; this one adds to them)."""
        self._length = len(suspect)
        self._keys = sources
        self._phrases: dict[int, np.ndarray] = known if known is not None else {}  # distinct phrases of a source
        self._pairs: dict[tuple[int, int], bool] = pairs if pairs is not None else {}
        # The sources holding any phrase of the suspect, and which: a row each, a column for
        # each of the suspect's phrases in text order; and how many of them each holds.
        self._holding, self._held, self._sizes = self._holders(np.asarray(suspect.key_array))
        self._found = dict(zip(self._holding, self._held))  # the same rows, by source
        self._none = np.zeros(self._held.shape[1], dtype=bool)
        self._others: dict[int, np.ndarray] = {}

    def _holders(self, suspect: np.ndarray) -> tuple[list[int], np.ndarray, list[int]]:
        """The sources holding a phrase of the suspect (its word keys), which ones, and how many:
        one compiled pass over every source's distinct phrases (worked out once a source, and
        kept for the next suspect), not one a source."""
        count = max(0, len(suspect) - PHRASE + 1)
        if not count or not self._keys:
            return [], np.zeros((0, count), dtype=bool), []
        numbers = list(self._keys)
        held = [self._distinct(number) for number in numbers]
        lengths = np.fromiter(map(len, held), dtype=np.int64, count=len(held))
        rows, table, sizes = _holding(suspect.astype(np.uint32, copy=False), np.concatenate(held), lengths)
        return [numbers[row] for row in rows.tolist()], table, sizes.tolist()

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
        ours = self._found.get(number, self._none)
        mine = np.count_nonzero(ours)
        # Each other source counts by how much of the suspect it holds beside the source (at
        # most one); the source itself and its twins not at all (0: a holder's weight is more).
        weights = np.array([min(1.0, size / max(1, mine)) if other != number and not self._twins(number, other)
                            else 0.0 for other, size in zip(self._holding, self._sizes)], dtype=np.float64)
        return _shares(self._held, weights, ours, self._length)


def phrases(keys: np.ndarray) -> np.ndarray:
    """The hashes of a text's word :data:`PHRASE`-grams, from its word keys, in text order."""
    return ngram_hashes(np.asarray(keys).astype(np.uint64), PHRASE)


def distinct_phrases(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A text's distinct :func:`phrases`, sorted, and where each of its phrases (in text order)
    is among them: what ``np.unique(phrases(keys), return_inverse=True)`` gives, in two
    compiled passes (sorted by :func:`unspin.fingerprint.distinct_hashes`, called from here
    rather than compiled into this module's loop, whose numba cache would not see it change)."""
    return distinct_hashes(_phrase_hashes(np.asarray(keys).astype(np.uint64)))


@compiled
def _phrase_hashes(keys: np.ndarray) -> np.ndarray:
    """:func:`phrases` in one compiled pass."""
    count = max(0, len(keys) - PHRASE + 1)
    hashes = np.empty(count, np.uint64)
    for start in range(count):
        combined = keys[start]
        for offset in range(1, PHRASE):
            combined = combined * MULTIPLIER + keys[start + offset]
        hashes[start] = combined
    return hashes


def twins(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    """Whether two sources (their distinct phrases) are one text: one holds at least
    :data:`TWINS` of the other's phrases."""
    if a is None or b is None or not len(a) or not len(b):
        return False
    return in_common(a, b) >= TWINS * min(len(a), len(b))  # distinct phrases: each shared once


@compiled
def _holding(suspect: np.ndarray, phrases: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which of the suspect's phrases (from its word keys ``suspect``, in text order) each source
    holds, from the sources' distinct phrases end to end (:func:`distinct_phrases`; source k's
    are the next ``lengths[k]``): the sources that hold any (their order among them), a row
    each of the table, and how many each holds. The suspect's phrases are hashed as
    :func:`phrases` hashes them, its distinct ones put in an open-addressing table (at most
    half full) that each source phrase is looked up in: phrases are told apart by their hashes.
    Most of a source's phrases are not the suspect's: a table of the suspect's phrases' top
    bits (:data:`_NEAR_BITS`; a few hundred of 16,384 set) rules them out first, where the
    lookup's probes cost three times as much over all of them."""
    count = len(suspect) - PHRASE + 1
    size = 16
    while size < 2 * count:
        size *= 2
    mask = np.uint64(size - 1)
    slot_phrase = np.zeros(size, np.uint64)
    slot_row = np.full(size, -1, np.int64)
    which = np.empty(count, np.int64)  # each phrase's row among the distinct ones
    near = np.zeros(1 << _NEAR_BITS, np.bool_)
    distinct = 0
    for start in range(count):
        combined = np.uint64(suspect[start])
        for offset in range(1, PHRASE):
            combined = combined * MULTIPLIER + np.uint64(suspect[start + offset])
        near[np.int64(combined >> np.uint64(64 - _NEAR_BITS))] = True
        slot = np.int64((combined ^ (combined >> np.uint64(32))) & mask)
        while slot_row[slot] >= 0 and slot_phrase[slot] != combined:
            slot = (slot + 1) & (size - 1)
        if slot_row[slot] < 0:
            slot_phrase[slot], slot_row[slot] = combined, distinct
            distinct += 1
        which[start] = slot_row[slot]
    held = np.zeros(distinct, np.bool_)
    table = np.zeros((len(lengths), count), np.bool_)
    rows = np.empty(len(lengths), np.int64)
    sizes = np.zeros(len(lengths), np.int64)
    holding = 0
    first = 0
    for k in range(len(lengths)):
        held[:] = False
        found = False
        for at in range(first, first + lengths[k]):
            phrase = phrases[at]
            if not near[np.int64(phrase >> np.uint64(64 - _NEAR_BITS))]:
                continue
            slot = np.int64((phrase ^ (phrase >> np.uint64(32))) & mask)
            while slot_row[slot] >= 0:
                if slot_phrase[slot] == phrase:
                    held[slot_row[slot]] = found = True
                    break
                slot = (slot + 1) & (size - 1)
        first += lengths[k]
        if found:
            for start in range(count):
                if held[which[start]]:
                    table[holding, start] = True
                    sizes[holding] += 1
            rows[holding] = k
            holding += 1
    return rows[:holding], table[:holding], sizes[:holding]


@compiled
def _shares(held: np.ndarray, weights: np.ndarray, ours: np.ndarray, words: int) -> np.ndarray:
    """:meth:`Neighbours.others`: for each of ``words`` words, the other sources holding a phrase
    around it (``held``: a row a source, a column a phrase; each counting its ``weights``, none
    at 0), summed in row order: of the phrases around it that the source holds (``ours``), the
    least held; around a word inside none of them, the most held phrase around it."""
    phrases = held.shape[1]
    counts = np.zeros(phrases, np.float64)
    for row in range(held.shape[0]):
        weight = weights[row]
        if weight == 0.0:
            continue
        for phrase in range(phrases):
            if held[row, phrase]:
                counts[phrase] += weight
    shares = np.zeros(words, np.float64)
    if not (counts != 0.0).any():
        return shares
    for word in range(words):
        least, most = np.inf, 0.0
        # Word i lies in the phrases starting at i - PHRASE + 1 ... i.
        for phrase in range(max(0, word - PHRASE + 1), min(phrases, word + 1)):
            if ours[phrase] and counts[phrase] < least:
                least = counts[phrase]
            most = max(most, counts[phrase])
        shares[word] = least if least < np.inf else most
    return shares
