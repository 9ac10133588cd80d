"""Retrieval: the sources that share the most distinctive features with a suspect.

An inverted index from feature to sources in a few immutable segments (:mod:`unspin.segments`):
the segments on disk, mapped, then the sources not yet written in one, in memory. A query
weighs each feature by its rarity (IDF), skips the features too common to single out a source,
and sums each source's weights in compiled loops straight from the segments' slots.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from unspin.fingerprint import distinct_hashes
from unspin.jit import compiled
from unspin.segment_files import TRIM
from unspin.segments import _merged, _Segment

_FEATURE_DTYPE = np.dtype("<u8")


class Candidate(NamedTuple):
    """A source that retrieval proposes for a suspect, with its retrieval score."""

    number: int
    score: float



class _Postings:
    """An inverted index from feature to sources, in a few immutable segments.

    The segments on disk come first, in slot order, then the sources not yet written in one,
    appended in memory: new sources go into a new segment, and segments in memory are merged
    when there are too many, so that adding stays cheap and a query searches only a handful
    of arrays.
    """

    MAX_SEGMENTS = 8
    # Postings a query reads at most. The rarest features are read first, so a query
    # drops only its most common ones: the cost of a query stops growing with the index, as a
    # search engine's time budget stops it.
    BUDGET = 100_000
    # Sources a feature may be in at most, whatever the index's size (1% of 100,000): beyond
    # that it cannot lift one source among the ten a query keeps above the others that hold
    # it, and its postings, read for every suspect, made a query's cost grow with the index.
    # A segment on disk keeps no slots of a feature held by more of its sources than this: it
    # may not be raised past the trim of the segments (unspin.segment_files.TRIM).
    MOST_SOURCES = TRIM

    def __init__(self) -> None:
        self.numbers = np.empty(0, dtype=np.int64)  # slot -> source number
        self.alive = np.empty(0, dtype=bool)  # slot -> not removed
        self.living = 0  # alive.sum(), kept rather than counted by every query
        # slot -> its count of features, whose square root (at least 1) divides its score: read
        # where it is mapped (one segment) and the root taken only for the slots a query ranks,
        # where an array of every slot's root cost each process that opened the index 24 MB
        # and 0.02 CPU s at 3M sources.
        self.sizes: np.ndarray = np.empty(0, dtype=np.int64)
        self.segments: list[_Segment] = []
        # The fewest features of any slot (at least 1), with the sizes it was read from: the
        # largest score a hit can rank with is its summed weight over that one's norm.
        self._least: tuple[np.ndarray, int] | None = None
        self.version = 0
        self.last_number = 0
        self.lock = threading.Lock()  # writers replace these arrays; readers take them together

    @classmethod
    def of(cls, segments: list[_Segment], removed: list[int], numbers: list[int], features: list[np.ndarray],
           version: int = 0) -> _Postings:
        """The postings of segments on disk (mapped), less the ``removed`` sources, and of the
        sources not in them (``numbers`` and their ``features``), after them."""
        postings = cls()
        postings.version = version
        if segments:
            postings.segments = list(segments)
            # One segment's numbers are read where they are mapped (a check reads ten of them).
            postings.numbers = segments[0].numbers if len(segments) == 1 else np.concatenate([s.numbers for s in segments])
            postings.sizes = segments[0].sizes if len(segments) == 1 else np.concatenate([s.sizes for s in segments])
            postings.alive = np.ones(len(postings.numbers), dtype=bool)
            postings.living = len(postings.numbers)
        if removed:
            postings.kill(removed)
        postings.append(numbers, features)
        return postings

    def append(self, numbers: list[int], features: list[np.ndarray]) -> None:
        if not numbers:
            return
        with self.lock:  # built aside, then swapped in together, so a reader never sees half
            first_slot = len(self.numbers)
            lengths = np.fromiter((len(f) for f in features), dtype=np.int64, count=len(features))
            slots = np.repeat(np.arange(first_slot, first_slot + len(numbers), dtype=np.int32), lengths)
            segments = self._with_segment(np.concatenate(features), slots)
            self.numbers = np.concatenate([self.numbers, np.asarray(numbers, dtype=np.int64)])
            self.alive = np.concatenate([self.alive, np.ones(len(numbers), dtype=bool)])
            self.living += len(numbers)
            self.sizes = np.concatenate([self.sizes, lengths])
            self.segments = segments
            self.last_number = max(self.last_number, max(numbers))

    def _with_segment(self, features: np.ndarray, slots: np.ndarray) -> list[_Segment]:
        segments = [*self.segments, _Segment(features, slots)]
        # Merged the way a binary counter carries (an LSM tree's levels): the newest two while
        # the newer holds at least as many postings as the one before it, and the newest past
        # MAX_SEGMENTS. A posting is then merged about log2(batches) times, not once every
        # MAX_SEGMENTS batches, and a merge of the whole index is rare.
        while len(segments) > 1 and not segments[-2].on_disk and (
            len(segments) > self.MAX_SEGMENTS or len(segments[-1].slots) >= len(segments[-2].slots)
        ):
            segments[-2:] = [_merged(segments[-2:])]
        return segments

    @property
    def postings(self) -> int:
        """How many (feature, source) pairs the segments hold."""
        return sum(segment.stored_postings for segment in self.segments)

    def kill(self, numbers: list[int]) -> None:
        with self.lock:
            self.alive = self.alive & ~np.isin(self.numbers, numbers)
            self.living = int(self.alive.sum())

    def common(self, features: np.ndarray) -> np.ndarray:
        """:meth:`Index.common`: from the segments' tables of distinct features, no postings read."""
        with self.lock:
            segments, living = list(self.segments), self.living
        features = np.asarray(features, dtype=_FEATURE_DTYPE)
        frequencies = sum((segment.find(features)[1] for segment in segments), np.zeros(len(features), np.int64))
        return frequencies > common_frequency(living)

    def query(self, suspects: list[np.ndarray], limit: int | Sequence[int],
              common: list[np.ndarray] | None = None) -> list[list[Candidate]]:
        """The best ``limit`` sources of each suspect (its sorted distinct features), best first
        (``limit``: one for all, or one a suspect).
        Given ``common``, a list, appends to it each suspect's :meth:`common` flags of its
        features, found on the way (none when there are no living sources)."""
        with self.lock:  # a consistent view: another thread may be adding sources
            segments, numbers, sizes, alive, living = list(self.segments), self.numbers, self.sizes, self.alive, self.living
        results: list[list[Candidate]] = [[] for _ in suspects]
        if living == 0 or not suspects:
            return results
        lengths = np.fromiter(map(len, suspects), dtype=np.int64, count=len(suspects))
        features = np.concatenate(suspects).astype(_FEATURE_DTYPE, copy=False)
        owners = np.repeat(np.arange(len(suspects)), lengths)
        # A feature in more than 1% of the sources (at least 20) says little and costs much:
        # skip it, as search engines skip stop words; and, in an index of more than 100,000
        # sources, one in more than MOST_SOURCES of them (see there). Its frequency comes from
        # the segments' tables of distinct features, without touching its postings.
        max_df = min(common_frequency(living), self.MOST_SOURCES)
        trimmed = min((getattr(segment, "trim", max_df) for segment in segments), default=max_df)
        if max_df > trimmed:
            raise ValueError(f"the index's segments keep the postings of features in at most {trimmed:,} sources: "
                             f"a query may not read features in up to {max_df:,}")
        # Each distinct feature looked up once, in order (a batch's prints share a fifth of their
        # features: a long suspect's windows are parts of it, and stock words recur), then
        # handed back to each place it holds.
        distinct, where = distinct_hashes(features)
        found = [(first[where], counts[where]) for first, counts in (segment.find(distinct) for segment in segments)]
        frequencies = sum(counts for _, counts in found)
        if common is not None:  # the frequencies that Index.common would look up again
            common += np.split(frequencies > common_frequency(living), np.cumsum(lengths)[:-1])
        useful = (frequencies > 0) & (frequencies <= max_df)
        postings = np.bincount(owners[useful], frequencies[useful], minlength=len(suspects))
        bounds = np.concatenate([[0], np.cumsum(lengths)])
        for suspect in np.flatnonzero(postings > self.BUDGET).tolist():
            own = slice(bounds[suspect], bounds[suspect + 1])
            over = _over_budget(frequencies[own], useful[own], self.BUDGET)
            useful[own][over] = False
            postings[suspect] = frequencies[own][useful[own]].sum()
        idf = np.log((living + 1) / frequencies[useful])
        # A suspect's useful features are a run of them (features are in suspect order). Its
        # hits are summed segment by segment, in feature order, straight from the segments'
        # slots (no array of all the hits is made): every slot's hits come from its one
        # segment, so its score sums the same weights in the same order as a query of that
        # suspect alone, on any cut of the sources into segments (the same floating-point sums).
        runs = np.searchsorted(owners[useful], np.arange(len(suspects) + 1)).tolist()
        ranges = [(first[useful], counts[useful]) for first, counts in found]
        # No more candidates than sources: the tables below are suspects x the largest limit.
        limits = np.clip(np.broadcast_to(np.asarray(limit, dtype=np.int64), (len(suspects),)), 0, len(numbers)).tolist()
        best = np.zeros((len(suspects), max(limits)), np.int64)
        scores = np.zeros((len(suspects), max(limits)), np.float64)
        row = np.zeros(len(numbers), np.float64)  # the current suspect's scores, by slot: 0 where not hit yet
        hit = np.empty(int(postings.max(initial=0)), np.int64)  # the slots it hit, in the order it hit them
        least = np.sqrt(np.float64(self._least_size(sizes)))
        for suspect in range(len(suspects)):
            hits = 0
            for segment, (first, counts) in zip(segments, ranges):
                hits = segment.accumulate(first, counts, idf, runs[suspect], runs[suspect + 1], row, hit, hits)
            kept = _rank(hit, hits, row, sizes, alive, living < len(alive), best[suspect, :limits[suspect]],
                         scores[suspect, :limits[suspect]], least)
            results[suspect] = list(map(Candidate, numbers[best[suspect, :kept]].tolist(), scores[suspect, :kept].tolist()))
        return results

    def _least_size(self, sizes: np.ndarray) -> int:
        """The fewest features of any of ``sizes``' slots, at least 1: read once for each array
        of sizes (on the first query, not when the index is opened)."""
        known = self._least
        if known is None or known[0] is not sizes:
            known = (sizes, max(1, int(sizes.min())) if len(sizes) else 1)
            self._least = known
        return known[1]


def common_frequency(sources: int) -> int:
    """The most sources a feature may be in and still single out a text: 1% of them, and
    at least 20, so that a small collection (a dozen sources, a test) has no stock text;
    a story that many outlets ran is not stock text until it is in that many."""
    return max(20, sources // 100)


@compiled
def _rank(hit: np.ndarray, hits: int, row: np.ndarray, sizes: np.ndarray, alive: np.ndarray, removed: bool,
          best: np.ndarray, best_scores: np.ndarray, least: float = 1.0) -> int:
    """The best living sources of the slots in ``hit[:hits]`` (scores in ``row``, reset to 0
    on the way) by summed weight over their norm (the square root of their size, at least 1),
    best first, ties in slot order: written to ``best`` and ``best_scores`` (as many as they
    hold); how many. ``alive`` flags each slot's source as not removed, read only if ``removed``
    (any is). ``least``: the smallest norm of any slot, which bounds a hit's score from above."""
    limit = len(best)
    kept = 0
    for k in range(hits):
        slot = hit[k]
        score = row[slot]
        row[slot] = 0.0
        # Only positive scores count (frequencies count removed sources, so a weight can
        # be negative). Dividing by the square root of the source's size keeps long
        # sources from winning on volume alone, while a short passage copied from a long
        # source still ranks; a removed source's score is 0.
        if score <= 0.0 or (removed and not alive[slot]):
            continue
        # Most hits share a feature or two: once the list is full, one whose summed weight over
        # the smallest norm of any slot is below the last kept cannot enter it, whatever its own
        # norm (a division by more is no larger), and its size is never read (a cache miss at
        # a million sources).
        if kept == limit and limit > 0 and score / least < best_scores[limit - 1]:
            continue
        score = score / np.sqrt(np.float64(max(sizes[slot], 1)))
        if score <= 0.0:
            continue
        place = kept
        while place > 0 and (best_scores[place - 1] < score
                             or (best_scores[place - 1] == score and best[place - 1] > slot)):
            place -= 1
        if place >= limit:
            continue
        for moved in range(min(kept, limit - 1), place, -1):
            best[moved] = best[moved - 1]
            best_scores[moved] = best_scores[moved - 1]
        best[place], best_scores[place] = slot, score
        kept = min(kept + 1, limit)
    return kept



def _over_budget(frequencies: np.ndarray, useful: np.ndarray, budget: int) -> np.ndarray:
    """Of the useful features, those past the first ``budget`` postings, rarest first."""
    candidates = np.flatnonzero(useful)
    rarest_first = candidates[np.argsort(frequencies[candidates], kind="stable")]
    return rarest_first[np.cumsum(frequencies[rarest_first]) > budget]
