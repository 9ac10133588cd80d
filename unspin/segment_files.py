"""Segments on disk: their files, written compact and mapped read-only.

A segment on disk is one folder of raw little-endian arrays, one a file, named FIELD.DTYPE
(or FIELD.bitsW: values of W bits each, packed end to end, read as little-endian 64-bit words:
a value is one or two of them, shifted and masked). Written since the compact form:

* ``low.bitsW``: each distinct feature's key (its top :data:`~unspin.segments.KEY_BITS` bits),
  less the top bits that the directory implies: W = 48 less the directory's bits.
* ``directory``: for each bucket of the features' top bits, its first feature.
* ``counts.bits4``: each feature's frequency in 4 bits, 15 meaning "15 or more", the frequency
  then in ``wide`` at the feature's place in ``wide_at`` (most features are in one source or two).
* ``slots.bitsW``: the slots of each feature in turn, W bits each (the bits of the largest slot),
  for the features held by at most ``trim`` of its sources only: a query skips a feature in
  more than :data:`TRIM` sources (``_Postings.MOST_SOURCES``) and reads its frequency alone, so
  its slots are not kept.
* ``bases``: for each bucket, where its first feature's slots start, and where its first wide
  frequency is in ``wide``: a feature's start is its bucket's base and the slots of the features
  before it in the bucket (a few values to add), and the wide ones are met in order.
* ``numbers``, ``sizes``: each slot's source number and count of features; ``trim.uint32``.

Against the plain arrays before (8 or 4 bytes a key, 4 a feature's start, 4 a slot): 179 distinct
features and 489 postings a generated source of 364 words, 3,565 bytes of postings a source
at 100,000 sources, about half of that compact (``docs/scale.md``). Segments written before are
read as they are (:meth:`unspin.segments._Segment.mapped`) and merged into the compact form.
"""

from __future__ import annotations

import mmap
import os
import uuid
from pathlib import Path
from typing import BinaryIO

import numpy as np

from unspin import segments
from unspin.jit import compiled
from unspin.segments import KEY_MASK, _directory_bits, _low_mask, _offsets, _Segment

# A query skips a feature held by more sources than this (``_Postings.MOST_SOURCES``, which is
# this value), so a segment keeps no slots of one its own sources hold more often.
TRIM = 1_000
_WIDE = 15  # a frequency in counts.bits4 that says: look it up in the wide ones
_COUNT_BITS = 4
_SEGMENT_FIELDS = ("keys", "starts", "counts", "slots", "directory", "bases", "numbers", "sizes")
_FIELD_OF_FILE = {"keys48": "keys", "low": "keys", "wide": "counts", "wide_at": "counts", "trim": "counts"}


class _CompactSegment:
    """A segment mapped from its compact files: the reading side of :class:`_Segment`'s
    interface (find, the keys, counts and slots of a range of features) on packed arrays."""

    on_disk = True

    def __init__(self, arrays: dict[str, np.ndarray], widths: dict[str, int], maps: list[mmap.mmap]) -> None:
        self.low, self.low_width = arrays["low"], widths["low"]
        self.slot_bits, self.slot_width = arrays["slots"], widths["slots"]
        self.directory, self.counts = arrays["directory"], arrays["counts"]
        self.bases = arrays["bases"].reshape(-1, 2)  # a bucket's first slot, and its first wide frequency
        self.wide_at, self.wide = arrays["wide_at"], arrays["wide"]
        self.trim = int(arrays["trim"][0])
        self.numbers, self.sizes, self.maps = arrays["numbers"], arrays["sizes"], maps
        self.shift = np.uint64(64 - (len(self.directory) - 1).bit_length() + 1)

    @property
    def distinct(self) -> int:
        return int(self.directory[-1])

    @property
    def stored_postings(self) -> int:
        """How many slots it keeps (those of its features held by at most ``trim`` sources)."""
        return int(self.bases[-1, 0])

    def find(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each feature: where its slots start, and its frequency (0 if none)."""
        return _find_compact(features & KEY_MASK, self.low, self.low_width, self.directory, self.shift,
                             _low_mask(len(self.directory) - 1), self.counts, self.wide, self.bases,
                             self.trim)

    def accumulate(self, first: np.ndarray, counts: np.ndarray, weights: np.ndarray, lo: int, hi: int,
                   row: np.ndarray, hit: np.ndarray, hits: int) -> int:
        """:func:`unspin.segments._accumulate` on its packed slots."""
        return _accumulate_bits(self.slot_bits, self.slot_width, first, counts, weights, lo, hi, row, hit, hits)

    def keys_between(self, first: int, end: int) -> np.ndarray:
        """Its keys ``first:end``, as features' top bits (:data:`KEY_MASK`)."""
        if end <= first:
            return np.empty(0, np.uint64)
        low = _unpack(self.low, self.low_width, first, end - first)
        buckets = np.searchsorted(self.directory, [first, max(first, end - 1)], side="right") - 1
        starts = np.clip(self.directory[buckets[0]:buckets[1] + 2].astype(np.int64), first, end)
        high = np.repeat(np.arange(buckets[0], buckets[1] + 1, dtype=np.uint64), np.diff(starts))
        return (high << self.shift) | (low << np.uint64(segments._LOW_SHIFT))

    def index_of(self, bounds: np.ndarray) -> np.ndarray:
        """Where each of ``bounds`` (sorted features with no bits below the directory's) would go among its keys."""
        buckets = bounds >> self.shift
        if np.any((buckets << self.shift) != bounds):
            return np.searchsorted(self.keys_between(0, self.distinct), bounds)
        return self.directory[buckets.astype(np.int64)].astype(np.int64)

    def counts_between(self, first: int, end: int) -> np.ndarray:
        """The frequencies of its features ``first:end``."""
        counts = _unpack(self.counts, _COUNT_BITS, first, max(0, end - first)).astype(np.int64)
        wide = np.flatnonzero(counts == _WIDE)
        if len(wide):
            counts[wide] = self.wide[np.searchsorted(self.wide_at, wide + first)]
        return counts

    def stored_between(self, first: int, end: int) -> tuple[np.ndarray, np.ndarray]:
        """How many slots it keeps of each of its features ``first:end``, and those slots."""
        counts = self.counts_between(first, end)
        stored = np.where(counts <= self.trim, counts, 0)
        return stored, _unpack(self.slot_bits, self.slot_width, self._position(first), int(stored.sum())).astype(np.int64)

    def _position(self, feature: int) -> int:
        """Where the slots of feature ``feature`` start."""
        if feature >= self.distinct:
            return self.stored_postings
        bucket = int(np.searchsorted(self.directory, feature, side="right")) - 1
        before = self.counts_between(int(self.directory[bucket]), feature)
        return int(self.bases[bucket, 0]) + int(before[before <= self.trim].sum())

    def let_go(self) -> None:
        for mapped in self.maps:
            mapped.madvise(mmap.MADV_DONTNEED)


@compiled
def _find_compact(features: np.ndarray, low: np.ndarray, width: int, directory: np.ndarray, shift: np.uint64,
                  mask: np.uint64, counts: np.ndarray, wide: np.ndarray, bases: np.ndarray,
                  trim: int) -> tuple[np.ndarray, np.ndarray]:
    """:meth:`_CompactSegment.find`: the feature's bucket read in order, on the packed keys,
    up to the feature (a bucket holds a few dozen keys at most: one pass that also adds up
    its start, the bucket's base and the kept slots of the features before it, costs less
    than a binary search's unpredictable branches before that pass).

    At a million sources every feature's directory entry, base and bucket are cache misses,
    and the pass over a bucket branches on what it reads, which keeps the processor from
    running ahead to the next feature's misses: so every feature's bounds and base are read
    first, in a loop of independent loads that the processor overlaps, then the buckets are
    searched (a batch check's retrieval at a million sources: 0.72-0.75 -> 0.66-0.67 ms of CPU
    a suspect; reading the buckets' first words in a loop of their own as well gained 0.01 more)."""
    first = np.empty(len(features), np.int64)
    found = np.zeros(len(features), np.int64)
    starts = np.empty(len(features), np.int64)
    ends = np.empty(len(features), np.int64)
    wides = np.empty(len(features), np.int64)
    for k in range(len(features)):
        bucket = features[k] >> shift
        starts[k], ends[k] = directory[bucket], directory[bucket + 1]
        first[k], wides[k] = bases[bucket, 0], bases[bucket, 1]
    for k in range(len(features)):
        wanted = (features[k] >> np.uint64(16)) & mask
        position, wide_next = first[k], wides[k]
        for j in range(starts[k], ends[k]):
            bit = j * width
            value = low[bit >> 6] >> np.uint64(bit & 63)
            if (bit & 63) + width > 64:
                value |= low[(bit >> 6) + 1] << np.uint64(64 - (bit & 63))
            value &= mask
            if value > wanted:
                break
            count = np.int64((counts[j >> 4] >> np.uint64(4 * (j & 15))) & np.uint64(_WIDE))  # 16 a word
            if count == _WIDE:  # its frequency in the table of wide ones: the bucket's first, and the next
                count = np.int64(wide[wide_next])
                wide_next += 1
            if value == wanted:
                found[k] = count
                break
            position += count if count <= trim else 0
        first[k] = position
    return first, found


@compiled
def _accumulate_bits(data: np.ndarray, width: int, first: np.ndarray, counts: np.ndarray, weights: np.ndarray,
                     lo: int, hi: int, row: np.ndarray, hit: np.ndarray, hits: int) -> int:
    """:func:`unspin.segments._accumulate`, reading slots of ``width`` bits packed in ``data``."""
    mask = (np.uint64(1) << np.uint64(width)) - np.uint64(1)
    for f in range(lo, hi):
        weight = weights[f]
        for h in range(first[f], first[f] + counts[f]):
            bit = h * width
            value = data[bit >> 6] >> np.uint64(bit & 63)
            if (bit & 63) + width > 64:
                value |= data[(bit >> 6) + 1] << np.uint64(64 - (bit & 63))
            slot = np.int64(value & mask)
            hit[hits] = slot  # kept only if new: written always, counted if so (no branch to mispredict)
            hits += row[slot] == 0.0
            row[slot] += weight
    return hits


@compiled
def _unpack(data: np.ndarray, width: int, start: int, count: int) -> np.ndarray:
    """Values ``start:start + count`` of ``width`` bits packed in ``data``."""
    mask = (np.uint64(1) << np.uint64(width)) - np.uint64(1)
    values = np.empty(count, np.uint64)
    for k in range(count):
        bit = (start + k) * width
        value = data[bit >> 6] >> np.uint64(bit & 63)
        if (bit & 63) + width > 64:
            value |= data[(bit >> 6) + 1] << np.uint64(64 - (bit & 63))
        values[k] = value & mask
    return values


@compiled
def _pack(values: np.ndarray, width: int, carry: np.uint64, carried: int) -> tuple[np.ndarray, np.uint64, int]:
    """``values`` (below 2**width) packed ``width`` bits each after the ``carried`` bits of
    ``carry``: the whole bytes, and the bits left over for the next call."""
    out = np.empty((carried + len(values) * width) // 8 + 1, np.uint8)
    written = 0
    for k in range(len(values)):
        carry |= np.uint64(values[k]) << np.uint64(carried)
        carried += width
        while carried >= 8:
            out[written] = carry & np.uint64(255)
            carry >>= np.uint64(8)
            carried -= 8
            written += 1
    return out[:written], carry, carried


class _BitFile:
    """A file of values packed ``width`` bits each, appended a block at a time."""

    def __init__(self, out: BinaryIO, width: int) -> None:
        self.out, self.width = out, width
        self.carry, self.carried = np.uint64(0), 0
        self.written = 0  # bytes

    def append(self, values: np.ndarray) -> None:
        packed, carry, self.carried = _pack(np.ascontiguousarray(values, dtype=np.uint64), self.width,
                                            self.carry, self.carried)
        self.carry = np.uint64(carry)  # (numba hands it back as a Python int, which it would take for int64)
        self.written += len(packed)
        _append(self.out, packed)

    def close(self) -> None:
        """Write the last bits, and zeros up to a whole 8-byte word and one word more: values are
        read as the little-endian words they span, the next word too when they cross one."""
        self.written += bool(self.carried)
        tail = np.zeros(-self.written % 8 + 8, np.uint8)
        if self.carried:
            tail = np.concatenate([[np.uint8(int(self.carry))], tail])
        _append(self.out, tail)


def _width(largest: int) -> int:
    return max(1, int(largest).bit_length())


class _SegmentFiles:
    """The files of one new segment: a folder in the postings folder, written under a temporary
    name, synced, then renamed, so a listed segment is always whole."""

    def __init__(self, folder: Path) -> None:
        self.name = uuid.uuid4().hex
        self.temporary = folder / f"{self.name}.tmp"
        self.temporary.mkdir(parents=True)

    def write(self, segment: _Segment, numbers: np.ndarray, sizes: np.ndarray, trim: int = TRIM) -> str:
        """Write a segment made in memory; its name."""
        return self.write_merged([segment], numbers, sizes, trim)

    def write_merged(self, parts: list, numbers: np.ndarray, sizes: np.ndarray, trim: int = TRIM) -> str:
        """Write the merge of consecutive segments (in memory or on disk) in the compact form, a
        range of features at a time, appended to the files (no array of the whole merge in
        memory, nor its pages mapped); its name."""
        total = sum(s.stored_postings for s in parts)
        # A feature a part kept no slots of is held by more than its trim: so must it be in the merge.
        trim = min([trim] + [s.trim for s in parts if isinstance(s, _CompactSegment)])
        offsets = np.dtype(_offsets(total))
        width = _width(max((_largest_slot(s) for s in parts), default=0))
        distinct = written = 0
        with self._file("keys48", np.uint64) as keys, self._file("starts", offsets) as starts, \
                self._bits("counts", _COUNT_BITS) as counts, self._file("wide_at", np.uint32) as wide_at, \
                self._file("wide", np.uint32) as wide, self._bits("slots", width) as slots:
            slot_bits, count_bits = _BitFile(slots, width), _BitFile(counts, _COUNT_BITS)
            for part_keys, part_counts, part_stored, part_slots in segments._merged_parts(parts, trim):
                _append(keys, part_keys)
                _append(starts, (written + np.cumsum(part_stored) - part_stored).astype(offsets))
                count_bits.append(np.minimum(part_counts, _WIDE))
                many = np.flatnonzero(part_counts >= _WIDE)
                _append(wide_at, (many + distinct).astype(np.uint32))
                _append(wide, part_counts[many].astype(np.uint32))
                slot_bits.append(part_slots)
                distinct += len(part_keys)
                written += len(part_slots)
            slot_bits.close()
            count_bits.close()
            _append(starts, np.array([written], dtype=offsets))
        self._finish_keys(distinct, written, offsets)
        for field, array in (("numbers", numbers), ("sizes", sizes), ("trim", np.array([trim], np.uint32))):
            with self._file(field, array.dtype) as out:
                _append(out, array)
        return self._finish()

    def _finish_keys(self, distinct: int, written: int, offsets: np.dtype) -> None:
        """From the whole keys and starts written: the directory, the packed keys below its bits,
        and each bucket's base, a block at a time; the whole ones deleted."""
        whole, starts = self.temporary / "keys48.uint64", self.temporary / f"starts.{offsets.name}"
        with self._file("directory", offsets) as directory:
            _write_directory(directory, whole, distinct, offsets)
        bits = _directory_bits(distinct)
        with open(whole, "rb") as stream, self._bits("low", segments.KEY_BITS - bits) as low:
            packed = _BitFile(low, segments.KEY_BITS - bits)
            for start in range(0, distinct, segments.MERGE_POSTINGS):
                block = np.fromfile(stream, dtype=np.uint64, count=min(segments.MERGE_POSTINGS, distinct - start))
                packed.append((block >> np.uint64(segments._LOW_SHIFT)) & _low_mask(1 << bits))
            packed.close()
        firsts = np.fromfile(self.temporary / f"directory.{offsets.name}", dtype=offsets)  # 8 bytes a bucket
        wide_at = np.fromfile(self.temporary / "wide_at.uint32", dtype=np.uint32)  # the few features in 15 sources or more
        with open(starts, "rb") as stream, self._file("bases", offsets) as bases:
            mapped = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
            where, done = np.frombuffer(mapped, dtype=offsets), 0
            for start in range(0, len(firsts), _BASES_AT_ONCE):
                block = firsts[start:start + _BASES_AT_ONCE]
                _append(bases, np.column_stack([where[block], np.searchsorted(wide_at, block)]).astype(offsets))
                # The buckets ascend, so the starts read so far are not needed again: out of this
                # process (a million sources' starts are hundreds of MB, all counted as its RSS).
                end = int(block[-1]) * offsets.itemsize // mmap.PAGESIZE * mmap.PAGESIZE
                if end > done:
                    mapped.madvise(mmap.MADV_DONTNEED, done, end - done)
                    done = end
            del where
            mapped.close()
        whole.unlink()
        starts.unlink()

    def _file(self, field: str, dtype: np.dtype | type) -> BinaryIO:
        return open(self.temporary / f"{field}.{np.dtype(dtype).name}", "wb")

    def _bits(self, field: str, width: int) -> BinaryIO:
        return open(self.temporary / f"{field}.bits{width}", "wb")

    def _finish(self) -> str:
        for entry in os.scandir(self.temporary):
            with open(entry.path, "rb+") as written:
                os.fsync(written.fileno())
                # Out of the page cache, now that they are on disk. Written in order, the files
                # sit there in large blocks (folios of up to 2 MB), and a process that maps them
                # and touches one page is given its whole block: a fresh check of one article
                # against 100,000 sources counted 575 MB of RSS, most of the postings' arrays.
                # Read back on demand, page by page (queries map them MADV_RANDOM), it counted 223 MB.
                os.posix_fadvise(written.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
        final = self.temporary.with_name(self.name)
        os.rename(self.temporary, final)
        _sync_folder(final.parent)
        return self.name


_BASES_AT_ONCE = 2**16  # buckets whose bases are gathered at once from a merge's starts (a few MB of them)


def _largest_slot(segment: _Segment | _CompactSegment) -> int:
    """A bound on the slots a segment holds: exact in memory, from its packed width on disk."""
    if isinstance(segment, _CompactSegment):
        return (1 << segment.slot_width) - 1
    return int(segment.slots.max()) if len(segment.slots) else 0


def _append(out: BinaryIO, array: np.ndarray) -> None:
    out.write(memoryview(np.ascontiguousarray(array)).cast("B"))


def _write_directory(out: BinaryIO, path: Path, distinct: int, offsets: np.dtype) -> None:
    """Write the directory of a segment (:meth:`_Segment._build`'s) to ``out``, from its keys'
    file, a block of keys at a time: for each bucket, how many keys come before it.

    Keys are sorted, so a block's entries are those of the buckets from the one after the
    previous block's last key to its own last key; the memory is that of a block, not of the
    directory (at a million sources, 32 million entries: a whole-directory array of them, and
    the bounds searched for, took several hundred megabytes at the end of every large merge)."""
    bits = _directory_bits(distinct)
    shift = np.uint64(64 - bits)
    filled = 0  # buckets whose entries are written
    with open(path, "rb") as stream:
        for start in range(0, distinct, segments.MERGE_POSTINGS):
            buckets = np.fromfile(stream, dtype=np.uint64, count=min(segments.MERGE_POSTINGS, distinct - start)) >> shift
            last = int(buckets[-1])
            wanted = np.arange(filled, last + 1, dtype=np.uint64)
            _append(out, (start + np.searchsorted(buckets, wanted)).astype(offsets))
            filled = last + 1
    _append(out, np.full(2**bits + 1 - filled, distinct, dtype=offsets))


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _open_segment(folder: Path, advice: int = mmap.MADV_RANDOM) -> _Segment | _CompactSegment:
    """The segment in ``folder``, its arrays mapped read-only from their files (pages are read when
    a query touches them, and shared with every process that maps them). ``advice`` to the system:
    a query reads a few scattered pages of each array, so by default none is read ahead from
    the disk (a cold cache would read some thirty for each feature looked up); a merge reads
    them in order. (The system still maps the cached pages around a touched one into the
    process: they count in its RSS, shared and free to reclaim, not in its own memory.)"""
    arrays, widths, maps = {}, {}, []
    for entry in os.scandir(folder):
        field, _, dtype = entry.name.partition(".")
        if dtype.startswith("bits"):  # read as little-endian words
            widths[field], dtype = int(dtype[4:]), "uint64"
        size = entry.stat().st_size
        if size == 0:
            arrays[field] = np.empty(0, dtype=dtype)
            continue
        with open(entry.path, "rb") as stream:
            maps.append(mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ))
        maps[-1].madvise(advice)
        arrays[field] = np.frombuffer(maps[-1], dtype=np.dtype(dtype).newbyteorder("<"))
    if "bases" in arrays:
        return _CompactSegment(arrays, widths, maps)
    segment = _Segment.mapped(arrays)  # written before the compact form
    segment.maps = maps
    return segment


def _folder_bytes(folder: Path) -> int:
    """Bytes of the files under ``folder`` (0 if there is none)."""
    return sum(_field_bytes(folder).values())


def _field_bytes(folder: Path) -> dict[str, int]:
    """Bytes of the segment files under ``folder``, by array (keys, counts, slots, ...)."""
    sizes: dict[str, int] = {}
    if folder.is_dir():
        for segment in os.scandir(folder):
            if segment.is_dir():
                for entry in os.scandir(segment.path):
                    field = entry.name.partition(".")[0]
                    field = _FIELD_OF_FILE.get(field, field)  # however a segment stores them
                    sizes[field] = sizes.get(field, 0) + entry.stat().st_size
    return sizes


def index_bytes(path: str | os.PathLike[str]) -> int:
    """Bytes on disk of the index at ``path``: its database file and its postings' segment files."""
    return os.path.getsize(path) + _folder_bytes(Path(str(path) + "-postings"))
