"""Local evidence: whether a candidate source's words crowd together somewhere in a suspect.

A source that gave a long text one short passage shares too little with the whole of it to
rank among its best, and even within one retrieval window its score is diluted by the rest
of the window. What marks it is *where* the shared words lie: the suspect's topic words that
the source holds crowd together in the passage it took, a few sentences' worth, however the
passage was reworded (shuffled words and synonyms break every shingle, but most topic words
survive, wherever they went in the sentence). A text on the same subject shares topic words
too, but throughout the suspect, a few to a paragraph; and a text reworded from start to end
is no passage either (that call is the semantic view's, see :mod:`unspin.align`).

This is the test that decides which of a suspect's candidates are worth looking at for
reworded sentences (:mod:`unspin.seeds`), the costly part of aligning a candidate. It reads
only the source's stored word keys, in one compiled pass over them.
"""

from __future__ import annotations

import itertools

import numpy as np

from unspin.jit import compiled
from unspin.judge import MIN_EVIDENCE
from unspin.tokenize import Tokens

DENSE_SPAN = 50  # suspect words a stretch of local evidence spans: two or three sentences
# Occurrences of the suspect's topic words inside such a stretch that the source holds, at
# least: as many as a passage of reworded sentences must share to be evidence, when its
# sentences were reused as a block (unspin.judge). Asking more here missed reuse whose densest
# stretch holds 12 or 13 (PAN's random obfuscation through the index); a long source on the
# same subject that holds some of a stretch's topic words is only looked at, and the judge
# holds its sentences to the same bars as any pair's.
DENSE_WORDS = MIN_EVIDENCE
# For a candidate of the whole suspect, the densest stretch must also hold this many times the
# source's words that an average stretch of the suspect holds: a passage taken, not a subject
# shared throughout (a report of the same event shares words in every paragraph, and a
# paragraph it rewrote from the same statement is no passage taken from it).
CONTRAST = 3.0
_NEAR_BITS = 14  # the top bits of a word's key that a first look at it compares (see _evidence)


class TopicWords:
    """A suspect's topic words and where they are, for the local evidence of its candidates."""

    def __init__(self, words: Tokens) -> None:
        self.words = len(words)
        self.positions = np.flatnonzero(words.content_mask)
        # An open-addressing table of the distinct keys (word keys are hashes: their low bits
        # are as good as any), at most half full; ``which``: each topic word's row in it.
        size = 1 << max(4, (2 * len(self.positions)).bit_length())
        self.table_keys = np.zeros(size, np.uint32)
        self.table_rows = np.full(size, -1, np.int64)
        self.which = np.empty(len(self.positions), np.int64)
        # A first look at a source's key: its top bits (a table of 16,384 flags, a few hundred set).
        self.near = np.zeros(1 << _NEAR_BITS, np.bool_)
        self.count = _fill(self.table_keys, self.table_rows, words.key_array[self.positions], self.which, self.near)
        self._one, self._found = np.zeros(2, np.int64), np.zeros((1, 2), np.int64)  # one source's bounds, its evidence

    def evidence(self, source_keys: np.ndarray) -> tuple[int, int]:
        """Of the suspect's topic words (each occurrence), those that the source (its word keys)
        holds: the most inside any stretch of :data:`DENSE_SPAN` suspect words, and all."""
        if not self.count:
            return 0, 0
        # One source (the checker asks one at a time) is passed as it is, into arrays kept for
        # it: making them, or a list into arrays, costs more than the pass over a short source.
        self._one[1] = len(source_keys)
        _evidence(self.table_keys, self.table_rows, self.count, self.which, self.positions,
                  source_keys.astype(np.uint32, copy=False), self._one, DENSE_SPAN, self._found, self.near)
        densest, held = self._found[0].tolist()
        return densest, held

    def evidence_of(self, sources: list[np.ndarray]) -> np.ndarray:
        """:meth:`evidence` of several sources (their word keys), in one compiled pass: a row each."""
        found = np.zeros((len(sources), 2), np.int64)
        if self.count and sources:
            bounds = np.array(list(itertools.accumulate((len(keys) for keys in sources), initial=0)), np.int64)
            keys = np.concatenate(sources)
            _evidence(self.table_keys, self.table_rows, self.count, self.which, self.positions,
                      keys.astype(np.uint32, copy=False), bounds, DENSE_SPAN, found, self.near)
        return found

    def dense(self, source_keys: np.ndarray) -> bool:
        """Whether the source holds at least :data:`DENSE_WORDS` of the topic words of some
        stretch of the suspect: local evidence for a source already among the best of a
        retrieval window there."""
        return self.evidence(source_keys)[0] >= DENSE_WORDS

    def crowded(self, source_keys: np.ndarray) -> bool:
        """Whether the source's words crowd together in one stretch of the suspect: dense there
        (:meth:`dense`), and :data:`CONTRAST` times as many there as in an average stretch.
        Local evidence for a source retrieved for the whole suspect."""
        return self._crowded(*self.evidence(source_keys))

    def _crowded(self, densest: int, held: int) -> bool:
        average = held * DENSE_SPAN / max(self.words, DENSE_SPAN)
        return densest >= DENSE_WORDS and densest >= CONTRAST * average

    def is_near(self, source_keys: np.ndarray, window: bool, whole: bool) -> bool:
        """Whether a candidate (its word keys) has local evidence: :meth:`dense`, as one of a
        ``window``'s best sources; :meth:`crowded`, as one of the ``whole`` suspect's."""
        densest, held = self.evidence(source_keys)
        return (window and densest >= DENSE_WORDS) or (whole and self._crowded(densest, held))


@compiled
def _fill(table_keys: np.ndarray, table_rows: np.ndarray, keys: np.ndarray, which: np.ndarray,
          near: np.ndarray) -> int:
    """Put each distinct key of ``keys`` in the table (linear probing), numbered in order of
    first occurrence; ``which``: each key's number; ``near``: flags of the keys' top bits. How
    many distinct keys."""
    mask = len(table_keys) - 1
    count = 0
    for k in range(len(keys)):
        near[keys[k] >> (32 - _NEAR_BITS)] = True
        slot = np.int64(keys[k]) & mask
        while table_rows[slot] >= 0 and table_keys[slot] != keys[k]:
            slot = (slot + 1) & mask
        if table_rows[slot] < 0:
            table_keys[slot], table_rows[slot] = keys[k], count
            count += 1
        which[k] = table_rows[slot]
    return count


@compiled
def _evidence(table_keys: np.ndarray, table_rows: np.ndarray, count: int, which: np.ndarray, positions: np.ndarray,
              keys: np.ndarray, bounds: np.ndarray, span: int, found: np.ndarray, near: np.ndarray) -> None:
    """:meth:`TopicWords.evidence_of`: for each source (its keys ``bounds[k]:bounds[k + 1]``
    of ``keys``), the suspect's distinct topic words it holds marked in one pass over its keys,
    then a sliding stretch over the suspect's words; written to ``found[k]``. Most of a
    source's words are no topic word of the suspect: ``near`` (the flags of their keys' top
    bits) rules them out before the table's probes, which cost three times as much."""
    mask = len(table_keys) - 1
    held = np.zeros(count, np.bool_)
    stretch = np.empty(len(positions), np.int64)  # positions of the held occurrences, in order
    for source in range(len(bounds) - 1):
        held[:] = False
        for h in range(bounds[source], bounds[source + 1]):
            key = keys[h]
            if not near[key >> (32 - _NEAR_BITS)]:
                continue
            slot = np.int64(key) & mask
            while table_rows[slot] >= 0:
                if table_keys[slot] == key:
                    held[table_rows[slot]] = True
                    break
                slot = (slot + 1) & mask
        total, first, densest = 0, 0, 0
        for k in range(len(positions)):
            if held[which[k]]:
                stretch[total] = positions[k]
                total += 1
                while stretch[first] <= positions[k] - span:  # keep the stretch (position - span, position]
                    first += 1
                densest = max(densest, total - first)
        found[source, 0], found[source, 1] = densest, total
