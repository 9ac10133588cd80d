"""The postings' segments: sorted features and the sources (slots) that hold them, in memory or
in files beside the database, and their merges.

A segment is immutable: written once (a flush of new sources, or a merge of older segments) as
one folder of raw little-endian arrays, one a file, named FIELD.DTYPE, and mapped read-only by
every process that reads the index (:func:`open_segment`). Retrieval over them is
:mod:`unspin.postings`; which segments count is the database's business (:mod:`unspin.index`).
"""

from __future__ import annotations

import mmap
from collections.abc import Iterator

import numpy as np

from unspin.fingerprint import first_at_least
from unspin.jit import compiled


class _Segment:
    """Postings of some sources: each distinct feature once, with the slots that have it.

    ``keys`` are the sorted distinct features; the slots of ``keys[i]`` are
    ``slots[starts[i]:starts[i + 1]]``, so their count is the feature's frequency. A query
    looks its features up in ``keys`` through a directory on their top bits (features are
    hashes, so buckets hold a few keys each): a binary search of a few steps within a bucket
    instead of one over the whole array, whose steps are mostly cache misses.

    A feature is known by its top :data:`KEY_BITS` bits (:data:`KEY_MASK`), and a large segment
    on disk stores of each key only the bits its directory does not imply, in 4 bytes (``low``)
    instead of 8: see :func:`key_layout`. (A segment written before this keeps whole features
    in ``keys`` and is searched for whole features: ``masked`` is False.)
    """

    # 16 to 32 keys a bucket: in a segment on disk, its keys (packed to 25-32 bits each at 100,000
    # to 1,000,000 sources) are one or two cache lines and its frequencies (4 bits each) one, so a
    # search costs the misses of its directory entry, its base and those lines, and the directory
    # and the bases a quarter to half a byte a key each. (4 to 8 a bucket, as before the compact
    # form, took 2 bytes a key for them, a tenth of a source's bytes: the search was 20-40% faster.)
    KEYS_PER_BUCKET = 32
    on_disk = False  # a segment mapped from its files, which also holds its slots' numbers and sizes
    masked = True  # its keys are features' top KEY_BITS bits (False: whole features, an earlier version's)
    low: np.ndarray | None = None  # a compact segment's keys: the bits below its directory's, in 4 bytes
    numbers: np.ndarray  # of a segment on disk: the source number of each of its slots
    sizes: np.ndarray  # and its count of features
    maps: list[mmap.mmap] = []  # and the mappings of its files

    def __init__(self, features: np.ndarray, slots: np.ndarray) -> None:
        """The segment of these postings. Masks and sorts ``features`` in place, to spare a copy
        of all the postings (a merge's peak of memory)."""
        np.bitwise_and(features, KEY_MASK, out=features)
        features, slots, new = _sorted(features, slots)
        distinct = int(np.count_nonzero(new))
        # One key past the end (the largest uint64, with no slots) lets a search step onto it.
        # Filled in place: a flush's peak of memory is these arrays and the sort's.
        keys = np.empty(distinct + 1, dtype=np.uint64)
        keys[:distinct] = features[new]
        keys[distinct] = _END
        starts = np.empty(distinct + 2, dtype=_offsets(len(features)))
        starts[:distinct] = np.flatnonzero(new)
        starts[distinct:] = len(features)
        self._build(keys, starts, slots)

    @classmethod
    def mapped(cls, arrays: dict[str, np.ndarray]) -> _Segment:
        """The segment of arrays read from its files (by field), directory included (not searched for again)."""
        segment = cls.__new__(cls)
        segment.starts, segment.slots, segment.directory = arrays["starts"], arrays["slots"], arrays["directory"]
        segment.shift = np.uint64(64 - (len(segment.directory) - 1).bit_length() + 1)
        if "low" in arrays:
            segment.low = arrays["low"]
        else:
            segment.keys = arrays["keys48"] if "keys48" in arrays else arrays["keys"]
            segment.masked = "keys48" in arrays
        segment.numbers, segment.sizes, segment.on_disk = arrays["numbers"], arrays["sizes"], True
        return segment

    @classmethod
    def built(cls, keys: np.ndarray, starts: np.ndarray, slots: np.ndarray) -> _Segment:
        """The segment of these arrays, as :class:`_Segment` lays them out (the end key and starts included)."""
        segment = cls.__new__(cls)
        segment._build(keys, starts, slots)
        return segment

    def _build(self, keys: np.ndarray, starts: np.ndarray, slots: np.ndarray) -> None:
        self.keys, self.starts, self.slots = keys, starts, slots
        offsets = starts.dtype
        distinct = len(self.keys) - 1
        bits = _directory_bits(distinct)
        self.shift = np.uint64(64 - bits)
        # directory[b] is the first key in bucket b (the top ``bits`` bits of a feature).
        bounds = np.arange(2**bits, dtype=np.uint64) << self.shift
        self.directory = np.append(np.searchsorted(self.keys[:distinct], bounds), distinct).astype(offsets)

    @property
    def distinct(self) -> int:
        """How many distinct features it holds."""
        return int(self.directory[-1])

    def keys_between(self, first: int, end: int) -> np.ndarray:
        """Its keys ``first:end``, as features' top bits (:data:`KEY_MASK`) whatever it stores."""
        if self.low is None:
            keys = self.keys[first:end]
            return keys if self.masked else keys & KEY_MASK
        # Each key's bucket, from the directory: the runs of keys that start in each bucket.
        buckets = np.searchsorted(self.directory, [first, max(first, end - 1)], side="right") - 1
        starts = np.clip(self.directory[buckets[0]:buckets[1] + 2].astype(np.int64), first, end)
        high = np.repeat(np.arange(buckets[0], buckets[1] + 1, dtype=np.uint64), np.diff(starts))
        return (high << self.shift) | (self.low[first:end].astype(np.uint64) << _LOW_SHIFT)

    def index_of(self, bounds: np.ndarray) -> np.ndarray:
        """Where each of ``bounds`` (sorted features with no bits below the directory's) would go among its keys."""
        if self.low is None:
            keys = self.keys[:self.distinct]
            return np.searchsorted(keys if self.masked else keys & KEY_MASK, bounds)
        buckets = bounds >> self.shift
        if np.any((buckets << self.shift) != bounds):  # finer than the directory (not in a merge's ranges)
            return np.searchsorted(self.keys_between(0, self.distinct), bounds)
        return self.directory[buckets.astype(np.int64)].astype(np.int64)

    def let_go(self) -> None:
        """Drop the pages of a segment on disk from this process's memory (they stay in the
        system's cache, and are read again from there if touched)."""
        for mapped in self.maps:
            mapped.madvise(mmap.MADV_DONTNEED)

    def find(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each feature: where its slots start, and how many there are (0 if none)."""
        if self.low is not None:
            return _find_low(features, self.low, self.starts, self.directory, self.shift,
                             _low_mask(len(self.directory) - 1))
        return _find(features & KEY_MASK if self.masked else features, self.keys, self.starts, self.directory,
                     self.shift)

    @property
    def stored_postings(self) -> int:
        """How many slots it holds (every posting: it keeps the slots of all its features)."""
        return len(self.slots)

    def counts_between(self, first: int, end: int) -> np.ndarray:
        """The frequencies of its features ``first:end``."""
        return np.diff(self.starts[first:end + 1].astype(np.int64))

    def stored_between(self, first: int, end: int) -> tuple[np.ndarray, np.ndarray]:
        """How many slots it keeps of each of its features ``first:end`` (all), and those slots."""
        return self.counts_between(first, end), self.slots[self.starts[first]:self.starts[end]]

    def accumulate(self, first: np.ndarray, counts: np.ndarray, weights: np.ndarray, lo: int, hi: int,
                   row: np.ndarray, hit: np.ndarray, hits: int) -> int:
        """:func:`_accumulate` on its slots."""
        return _accumulate(self.slots, first, counts, weights, lo, hi, row, hit, hits)


@compiled
def _accumulate(slots: np.ndarray, first: np.ndarray, counts: np.ndarray, weights: np.ndarray, lo: int, hi: int,
                row: np.ndarray, hit: np.ndarray, hits: int) -> int:
    """Add the weights of a suspect's features ``lo:hi`` (their postings in ``slots`` from
    ``first``, ``counts`` of them) to its ``row`` of scores; the slots it hits first (those
    whose score was 0) are listed in ``hit`` after the ``hits`` already there. The new count
    of hit slots. (A score back to exactly 0 after a negative weight, which only a feature of
    removed sources has, lists its slot again: :func:`_rank` reads it once.)"""
    for f in range(lo, hi):
        weight = weights[f]
        for h in range(first[f], first[f] + counts[f]):
            slot = slots[h]
            hit[hits] = slot  # kept only if new: written always, counted if so (no branch to mispredict)
            hits += row[slot] == 0.0
            row[slot] += weight
    return hits


def _directory_bits(distinct: int) -> int:
    """The bits of a feature that a segment of ``distinct`` features buckets them by."""
    return max(1, (distinct // _Segment.KEYS_PER_BUCKET).bit_length())


def _low_mask(buckets: int) -> np.uint64:
    """Of a feature shifted by :data:`_LOW_SHIFT`, the bits a compact segment of ``buckets`` stores."""
    return np.uint64((1 << (KEY_BITS - (buckets.bit_length() - 1))) - 1)


@compiled
def _find(features: np.ndarray, keys: np.ndarray, starts: np.ndarray, directory: np.ndarray,
          shift: np.uint64) -> tuple[np.ndarray, np.ndarray]:
    """:meth:`_Segment.find`: a binary search for each feature within its bucket."""
    first = np.empty(len(features), np.int64)
    counts = np.zeros(len(features), np.int64)
    for k in range(len(features)):
        feature = features[k]
        bucket = feature >> shift
        lo = first_at_least(keys, feature, np.int64(directory[bucket]), np.int64(directory[bucket + 1]))
        first[k] = starts[lo]
        if keys[lo] == feature:
            counts[k] = np.int64(starts[lo + 1]) - np.int64(starts[lo])
    return first, counts


@compiled
def _find_low(features: np.ndarray, low: np.ndarray, starts: np.ndarray, directory: np.ndarray,
              shift: np.uint64, mask: np.uint64) -> tuple[np.ndarray, np.ndarray]:
    """:meth:`_Segment.find` in a compact segment: the same search, on the bits below the bucket's."""
    first = np.empty(len(features), np.int64)
    counts = np.zeros(len(features), np.int64)
    for k in range(len(features)):
        feature = features[k]
        bucket = feature >> shift
        wanted = (feature >> np.uint64(16)) & mask
        end = np.int64(directory[bucket + 1])
        lo = first_at_least(low, wanted, np.int64(directory[bucket]), end)
        first[k] = starts[lo]
        if lo < end and np.uint64(low[lo]) == wanted:
            counts[k] = np.int64(starts[lo + 1]) - np.int64(starts[lo])
    return first, counts


# A feature is known by its top 48 bits: two of the 180 million distinct features of a million
# sources share them about 60 times over (n^2 / 2^49), each time pooling two rare features' postings,
# and a segment of 2^19 or more distinct features then stores a key in 4 bytes, the bits of the
# 48 below those its directory implies (at most 32 when the directory has 2^16 buckets or more).
KEY_BITS = 48
_LOW_SHIFT = 64 - KEY_BITS
KEY_MASK = np.uint64(((1 << KEY_BITS) - 1) << _LOW_SHIFT)


_END = np.iinfo(np.uint64).max
MERGE_POSTINGS = 2**20  # postings a merge sorts at once (a range of features: see _merged): about 50 MB of work


def _offsets(postings: int) -> type:
    return np.uint32 if postings < 2**32 else np.int64  # half the memory when it fits


def _sorted(features: np.ndarray, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort ``features`` in place; the ``slots`` in the same order (ties in their order), and
    where each distinct feature first appears. A slot that holds one key twice (two of its
    features that share their top bits, :data:`KEY_MASK`) keeps it once: the features and
    slots returned are then shorter than those given."""
    slots = _sort_postings(features, slots)
    new = np.empty(len(features), dtype=bool)
    new[:1] = True
    np.not_equal(features[1:], features[:-1], out=new[1:])
    again = np.flatnonzero(~new)  # a key's later postings: is any the same slot as the one before?
    twice = again[slots[again] == slots[again - 1]]
    if len(twice):
        keep = np.ones(len(features), dtype=bool)
        keep[twice] = False
        features, slots, new = features[keep], slots[keep], new[keep]
    return features, slots, new


@compiled
def _sort_postings(features: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """Sort ``features`` in place, stably, and return ``slots`` in their new order.

    Features are hashes, spread evenly: one counting pass on their top bits puts them in
    buckets of about eight, in their order, and an insertion sort finishes each bucket (a
    feature many sources share fills a bucket of equal values, which it leaves as they are).
    Linear in the postings; a stable ``argsort`` of 64-bit values is a merge sort, about
    ten times slower on a flush of four million."""
    n = len(features)
    bits = 1
    while (1 << bits) < n // 8 and bits < 24:
        bits += 1
    shift = np.uint64(64 - bits)
    counts = np.zeros((1 << bits) + 1, np.int64)
    for k in range(n):
        counts[(features[k] >> shift) + 1] += 1
    for b in range(1, len(counts)):
        counts[b] += counts[b - 1]
    keys = np.empty(n, np.uint64)
    moved = np.empty(n, slots.dtype)
    for k in range(n):
        bucket = features[k] >> shift
        place = counts[bucket]
        counts[bucket] = place + 1
        keys[place] = features[k]
        moved[place] = slots[k]
    start = 0
    for b in range(1 << bits):  # counts[b] is now where bucket b ends
        end = counts[b]
        for k in range(start + 1, end):
            key, slot = keys[k], moved[k]
            j = k - 1
            while j >= start and keys[j] > key:
                keys[j + 1] = keys[j]
                moved[j + 1] = moved[j]
                j -= 1
            keys[j + 1] = key
            moved[j + 1] = slot
        start = end
    features[:] = keys
    return moved


def _merged(segments: list[_Segment]) -> _Segment:
    """One segment, in memory, holding the postings of consecutive ``segments``."""
    total = sum(len(s.slots) for s in segments)
    upper = sum(s.distinct for s in segments)  # distinct features: at most as many as the segments hold
    keys = np.empty(upper + 1, dtype=np.uint64)
    starts = np.empty(upper + 2, dtype=_offsets(total))
    slots = np.empty(total, dtype=np.result_type(*(s.slots.dtype for s in segments)))
    distinct = written = 0
    for part_keys, _, part_stored, part_slots in _merged_parts(segments):
        keys[distinct:distinct + len(part_keys)] = part_keys
        starts[distinct:distinct + len(part_keys)] = written + np.cumsum(part_stored) - part_stored
        slots[written:written + len(part_slots)] = part_slots
        distinct += len(part_keys)
        written += len(part_slots)
    keys[distinct] = _END
    starts[distinct:distinct + 2] = written  # the postings: fewer than the parts' if a key was held twice
    keys.resize(distinct + 1, refcheck=False)  # in place: the unused tail is given back
    starts.resize(distinct + 2, refcheck=False)
    return _Segment.built(keys, starts, slots[:written])


def _merged_parts(segments: list, trim: int | None = None) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray,
                                                                             np.ndarray]]:
    """The merge of consecutive ``segments`` (in memory, or mapped from their files), a range of
    features at a time: each range's distinct features, their frequencies, how many slots of
    each are kept (all of them, or none for a feature held by more than ``trim`` sources), and
    those slots in feature order.

    The features are merged a range of values at a time (by their top bits; each range is a
    run of keys, and of slots, in every segment), at most about :data:`MERGE_POSTINGS` of
    them: a merge then needs the old segments, the new one, and the work space of one range,
    not that of all the postings at once (a sort of them all and its order: about three
    times the postings' own memory again).
    """
    total = sum(s.stored_postings for s in segments)
    # Later segments hold later slots, and the stable sort keeps that order per feature.
    ranges = -(-total // MERGE_POSTINGS)  # at least this many, rounded up to a power of two
    bits = max(0, ranges - 1).bit_length()
    bounds = np.arange(1, 2**bits, dtype=np.uint64) << np.uint64(64 - bits) if bits else np.empty(0, dtype=np.uint64)
    edges = [np.concatenate([[0], s.index_of(bounds), [s.distinct]]).tolist() for s in segments]
    for part in range(2**bits):
        keys, counts, stored, slots = [], [], [], []
        for s, e in zip(segments, edges):
            keys.append(s.keys_between(e[part], e[part + 1]))
            counts.append(s.counts_between(e[part], e[part + 1]))
            kept, kept_slots = s.stored_between(e[part], e[part + 1])
            stored.append(kept)
            slots.append(kept_slots)
            # Its pages read for this range are copied out: out of this process at once. (Read
            # ahead in large blocks, each segment's touched pages came mapped in blocks of
            # megabytes; held for all the segments of a merge, ~100 MB more at two million sources.)
            s.let_go()
        if len(segments) == 1:  # a flush's one segment: its postings are sorted and its keys distinct already
            yield _kept(keys[0], counts[0], stored[0], slots[0], trim)
            continue
        runs = np.cumsum([0] + [len(run) for run in keys])
        keys, counts, stored, slots = map(np.concatenate, (keys, counts, stored, slots))
        merged = None if trim is None else _merged_runs(keys, counts, stored, slots, runs, trim)
        yield merged if merged is not None else _merged_part(keys, counts, stored, slots, trim)


def _kept(keys: np.ndarray, counts: np.ndarray, stored: np.ndarray, slots: np.ndarray,
          trim: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One segment's range as :func:`_merged_part` gives it: the slots of features in more than ``trim`` sources dropped."""
    if trim is None:
        return keys, counts, stored, slots
    kept = np.where(counts <= trim, stored, 0)
    return keys, counts, kept, slots[np.repeat(kept > 0, stored)]


def _merged_runs(keys: np.ndarray, counts: np.ndarray, stored: np.ndarray, slots: np.ndarray, runs: np.ndarray,
                 trim: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """:func:`_merged_part` of segments whose keys in the range are sorted and distinct (runs
    ``runs[j]:runs[j + 1]`` of ``keys``, every segment since keys are masked as stored): merged
    as sorted runs, not sorted again (a range's keys share their top bits, which left the
    counting sort of :func:`_sort_postings` buckets of hundreds to sort by insertion). None if
    a run is not strictly increasing (whole features of an earlier version, masked)."""
    distinct, *merged = _merge_runs(keys, counts.astype(np.int64), stored.astype(np.int64), slots,
                                    runs.astype(np.int64), trim)
    return None if distinct < 0 else tuple(merged)


@compiled
def _merge_runs(keys: np.ndarray, counts: np.ndarray, stored: np.ndarray, slots: np.ndarray, runs: np.ndarray,
                trim: int):
    """:func:`_merged_runs`: a k-way merge of the runs (k is a few; a key's runs in their
    order, so its slots keep theirs), led by the count of distinct keys, or by -1 if a run
    is not strictly increasing."""
    k = len(runs) - 1
    at = runs[:-1].copy()  # each run's next key
    slot_at = np.empty(len(keys) + 1, np.int64)  # where each key's slots start
    slot_at[0] = 0
    for i in range(len(keys)):
        slot_at[i + 1] = slot_at[i] + stored[i]
    heads = np.empty(k, np.uint64)
    for j in range(k):
        heads[j] = keys[at[j]] if at[j] < runs[j + 1] else _END
    merged = np.empty(len(keys), np.uint64)
    frequencies = np.empty(len(keys), np.int64)
    kept = np.empty(len(keys), np.int64)
    ordered = np.empty(len(slots), slots.dtype)
    held = np.empty(k, np.int64)  # the keys (places in ``keys``) that hold the current one
    distinct = written = 0
    while True:
        key = heads[0]
        for j in range(1, k):
            key = min(key, heads[j])
        if key == _END:
            break
        frequency = holders = 0
        dropped = False
        for j in range(k):
            if heads[j] == key:
                i = at[j]
                held[holders] = i
                holders += 1
                frequency += counts[i]
                dropped = dropped or stored[i] != counts[i]
                at[j] = i + 1
                heads[j] = keys[i + 1] if i + 1 < runs[j + 1] else _END
                if heads[j] <= key:
                    return -1, merged[:0], frequencies[:0], kept[:0], ordered[:0]
        merged[distinct] = key
        frequencies[distinct] = frequency
        kept[distinct] = 0 if dropped or frequency > trim else frequency
        if kept[distinct] > 0:
            for h in range(holders):
                for s in range(slot_at[held[h]], slot_at[held[h] + 1]):
                    ordered[written] = slots[s]
                    written += 1
        distinct += 1
    return distinct, merged[:distinct], frequencies[:distinct], kept[:distinct], ordered[:written]


def _merged_part(keys: np.ndarray, counts: np.ndarray, stored: np.ndarray, slots: np.ndarray,
                 trim: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One range of :func:`_merged_parts`, from the segments' keys, frequencies, kept counts and
    slots, one segment after the other."""
    features, ordered, new = _sorted(np.repeat(keys, stored), slots)
    merged, frequencies = features[new], np.diff(np.append(np.flatnonzero(new), len(features)))
    places = np.arange(len(merged))
    dropped = stored != counts  # features whose slots a segment did not keep: their frequencies alone
    if np.any(dropped):
        merged, frequencies, places = _with_frequencies(merged, frequencies, keys[dropped], counts[dropped])
    kept = frequencies.copy()
    if np.any(dropped):  # a segment kept none of their slots: their merge keeps none either
        kept[np.searchsorted(merged, keys[dropped])] = 0
    if trim is not None:
        kept[frequencies > trim] = 0
        ordered = ordered[np.repeat(kept[places] > 0, np.diff(np.append(np.flatnonzero(new), len(features))))]
    return merged, frequencies, kept, ordered


def _with_frequencies(keys: np.ndarray, frequencies: np.ndarray, more: np.ndarray,
                      counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted distinct ``keys`` with their ``frequencies``, and a few more keys (maybe among them,
    maybe repeated) with counts to add: the union of the keys, their summed frequencies, and
    where each of ``keys`` went. (Inserted, not sorted again: ``keys`` are about a million.)"""
    extra = np.unique(more)
    extra = extra[~np.isin(extra, keys, assume_unique=True)]
    union = np.insert(keys, np.searchsorted(keys, extra), extra)
    places = np.arange(len(keys)) + np.searchsorted(extra, keys)
    summed = np.zeros(len(union), np.int64)
    summed[places] = frequencies
    np.add.at(summed, np.searchsorted(union, more), counts)
    return union, summed, places
