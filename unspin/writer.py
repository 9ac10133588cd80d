"""When the postings reach disk: the index's sources written into segments, and segments merged.

:class:`SegmentWriter` is the part of :class:`unspin.index.Index` that keeps its inverted index
on disk in step with its rows: an add flushes the sources that are in no segment yet into a new
segment once they hold :data:`FLUSH_POSTINGS` postings, and merges segments as a counter in base
:data:`MERGE_FAN_IN` carries, each in one write transaction that lists the segment, so that a segment is listed if
and only if its sources are committed. The segments themselves (their arrays and files) are
:mod:`unspin.segments`'.
"""

from __future__ import annotations

import ctypes
import functools
import mmap
import os
import shutil
import sqlite3
import sys
from collections.abc import Iterator

import numpy as np

from unspin.segment_files import _open_segment, _SegmentFiles
from unspin.segments import _Segment


# Postings of committed sources that an add leaves out of a segment at most (written at its end
# anyway): about 750 articles of 1,100 words, 2,500 of 350; a flush takes about 50 MB to sort
# them and build their segment, and readers read them from SQLite meanwhile. (Twice this, a flush
# and a merge's range of features put an add of a 5 GB feed over 500 MB: docs/scale.md.)
FLUSH_POSTINGS = 2**20

# Segments merged into one at a time, once they are of about one size (:func:`carried`): a
# posting is rewritten about log_8(flushes) times, where merging two at a time as a binary counter
# carries (with at most 8 segments) rewrote it log_2(flushes) times and more, most of a bulk add's
# work: simulated for 350 equal flushes (a million sources), 1.9 rewrites against 7.4 (and 4.7
# against 31 for 20,000 small adds). An index then has at most 7 segments of each size, 14 to 18
# for those flushes while the add runs (a bulk add ends with one); never more than MOST_SEGMENTS.
MERGE_FAN_IN = 8
MOST_SEGMENTS = 4 * MERGE_FAN_IN

BUSY_TIMEOUT_MS = 30_000  # how long a writer waits for another one
FEATURE_DTYPE = np.dtype("<u8")  # a fingerprint's features as stored


class SegmentWriter:
    """The flushes and merges of an :class:`unspin.index.Index` (a base class: it works on the index's own connection and folder)."""

    def _flush_due(self) -> bool:
        """Whether the sources in no segment hold enough postings to be written into one now."""
        return self._pending() >= FLUSH_POSTINGS

    def _pending(self) -> int:
        """About how many postings the sources in no segment hold (their words: a fingerprint has
        about as many features as its text has words)."""
        return self.db.execute("SELECT coalesce(sum(words), 0) FROM sources WHERE number > "
                               "(SELECT coalesce(max(last), 0) FROM segments)").fetchone()[0]

    def _flush(self, at_least: int = 0, announce: bool = False, whole_if_doubled_from: int | None = None,
               leave_rest: bool = False) -> None:
        """Write the sources not yet in a segment into new segments, if they hold more than
        ``at_least`` postings, then merge segments as :func:`carried` says (or all into one,
        if the postings are at least twice ``whole_if_doubled_from``); all in one write
        transaction, so that a segment is listed if and only if its sources are committed.
        ``announce``: say so on standard error when that is a long job (an index made by an
        earlier version, which has no segments). ``leave_rest`` (an add's flushes): write whole
        segments only (:meth:`_write_pending`)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            covered, first_slot = self.db.execute(
                "SELECT coalesce(max(last), 0), coalesce(sum(slots), 0) FROM segments").fetchone()
            pending, postings = self.db.execute(
                "SELECT count(*), coalesce(sum(words), 0) FROM sources WHERE number > ?", (covered,)).fetchone()
            if len(self._unwritten) == pending:  # this connection added them: their postings exactly, not their words
                postings = sum(map(len, self._unwritten.values()))
            writes = pending > 0 and postings >= at_least
            if writes:
                if announce and postings >= FLUSH_POSTINGS:
                    print(f"unspin: writing the postings of {pending:,} sources of {self.path} to {self.folder} "
                          "(once; checks open them at once from then on)", file=sys.stderr)
                self.folder.mkdir(exist_ok=True)
                writes = self._write_pending(covered, first_slot, whole=not leave_rest)
            total = self.db.execute("SELECT coalesce(sum(postings), 0) FROM segments").fetchone()[0]
            whole = whole_if_doubled_from is not None and total >= 2 * whole_if_doubled_from
            if not writes and not whole:
                self.db.execute("COMMIT")
                return
            self._merge_segments(whole)
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        self._stale = True
        self._remove_unlisted()
        _give_back_free_pages()

    def _flush_unless_busy(self) -> None:
        """:meth:`_flush`, for a reader: not if another connection is writing (it writes its own
        sources' postings when it ends, and the reader reads them into memory meanwhile), rather
        than wait for it."""
        self.db.execute("PRAGMA busy_timeout = 0")
        try:
            self._flush(at_least=FLUSH_POSTINGS, announce=True)
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def _snapshot(self, covered: int | None = None) -> tuple[list[str], list[int], tuple[list[int], list[np.ndarray]]]:
        """In one read transaction: the segments' names, the removed sources, and the numbers and
        features of the sources not in a segment (of every source numbered above ``covered``, if given)."""
        own = not self.db.in_transaction  # inside an add's transaction, its view is already one
        if own:
            self.db.execute("BEGIN")
        try:
            try:
                listed = [name for (name,) in self.db.execute("SELECT name FROM segments ORDER BY first_slot")]
                removed = [n for (n,) in self.db.execute("SELECT number FROM removed")]
                if covered is None:
                    covered = self.db.execute("SELECT coalesce(max(last), 0) FROM segments").fetchone()[0]
            except sqlite3.OperationalError:  # an index from before segments, opened read-only
                listed, removed, covered = [], [], 0
            numbers, features = [], []
            for number, fingerprint_ in self._fingerprints(covered, keep=True):
                numbers.append(number)
                features.append(fingerprint_)
        finally:
            if own:
                self.db.execute("COMMIT")
        return listed, removed, (numbers, features)

    def _fingerprints(self, covered: int, keep: bool) -> Iterator[tuple[int, np.ndarray]]:
        """The number and fingerprint of each source numbered above ``covered``, in order: kept in
        memory since this connection added it (let go unless ``keep``), stored by an earlier
        version, or made again from its stored words."""
        rows = self.db.execute("SELECT number, features FROM sources WHERE number > ? ORDER BY number", (covered,))
        for number, blob in rows:
            held = self._unwritten.get(number) if keep else self._unwritten.pop(number, None)
            if held is not None:
                yield number, held
            elif blob:
                yield number, np.frombuffer(blob, dtype=FEATURE_DTYPE)
            else:
                yield number, self._stored_fingerprint(number)

    # --- segments on disk ----------------------------------------------------------------

    def _write_pending(self, covered: int, first_slot: int, whole: bool = True) -> bool:
        """The sources numbered above ``covered`` as segments of about :data:`FLUSH_POSTINGS`
        postings each (the memory of one at a time), their slots from ``first_slot`` on; unless
        ``whole``, the last ones, short of a segment's postings, are left for the next flush
        (kept in memory). Whether it wrote a segment.

        (An add's flushes then write segments of one size, which merge as :func:`carried` counts:
        cutting the pending sources at every FLUSH_POSTINGS postings left a piece of a third of
        one each time, 65 segments for 100,000 sources instead of 47, and a level of merges more.)"""
        numbers: list[int] = []
        features: list[np.ndarray] = []
        held, wrote = 0, False
        for number, fingerprint_ in self._fingerprints(covered, keep=False):
            numbers.append(number)
            features.append(fingerprint_)
            held += len(features[-1])
            if held >= FLUSH_POSTINGS:
                first_slot = self._write_new(numbers, features, first_slot)
                numbers, features, held, wrote = [], [], 0, True
        if numbers and whole:
            self._write_new(numbers, features, first_slot)
            return True
        self._unwritten.update(zip(numbers, features))
        return wrote

    def _write_new(self, numbers: list[int], features: list[np.ndarray], first_slot: int) -> int:
        lengths = np.fromiter(map(len, features), dtype=np.int64, count=len(features))
        slots = np.repeat(np.arange(first_slot, first_slot + len(numbers), dtype=np.int32), lengths)
        segment = _Segment(np.concatenate(features) if features else np.empty(0, FEATURE_DTYPE), slots)
        name = _SegmentFiles(self.folder).write(segment, np.asarray(numbers, dtype=np.int64), lengths.astype(np.uint32))
        self.db.execute("INSERT INTO segments VALUES (?, ?, ?, ?, ?)",
                        (name, first_slot, len(numbers), len(segment.slots), numbers[-1]))
        return first_slot + len(numbers)

    def _merge_segments(self, whole: bool = False) -> None:
        """Merge the newest segments as :func:`carried` says, or all of them into one if ``whole``;
        a merged segment is written to its files a range of features at a time. The files of the
        segments merged away are deleted after the commit."""
        rows = self.db.execute("SELECT name, first_slot, slots, postings, last FROM segments ORDER BY first_slot").fetchall()
        if whole and len(rows) > 1:
            rows = [self._merged_row(rows)]
        while (count := carried([row[3] for row in rows])) > 1:
            rows[-count:] = [self._merged_row(rows[-count:])]

    def _merged_row(self, rows: list[tuple]) -> tuple:
        """Merge the consecutive segments of ``rows`` into one, listed in their place; its row."""
        parts = [_open_segment(self.folder / row[0], mmap.MADV_SEQUENTIAL) for row in rows]
        name = _SegmentFiles(self.folder).write_merged(
            parts, np.concatenate([p.numbers for p in parts]), np.concatenate([p.sizes for p in parts]))
        del parts
        self.db.executemany("DELETE FROM segments WHERE name = ?", [(row[0],) for row in rows])
        merged = (name, rows[0][1], sum(row[2] for row in rows), sum(row[3] for row in rows), rows[-1][4])
        self.db.execute("INSERT INTO segments VALUES (?, ?, ?, ?, ?)", merged)
        return merged

    def _remove_unlisted(self) -> None:
        """Delete the segment files that no committed list names: merged away, or left by a killed
        writer. (A process that mapped a deleted one keeps reading it: the system frees it on unmap.)"""
        if not self.folder.is_dir():
            return
        with self.db:  # the write lock: no other writer is between writing files and listing them
            self.db.execute("BEGIN IMMEDIATE")
            listed = {name for (name,) in self.db.execute("SELECT name FROM segments")}
            for entry in os.scandir(self.folder):
                if entry.name not in listed:
                    shutil.rmtree(entry.path, ignore_errors=True)


def carried(postings: list[int]) -> int:
    """How many of the newest segments, of these sizes (oldest first), to merge into one now (less
    than 2: none): the newest :data:`MERGE_FAN_IN` once the oldest of them holds at most half
    MERGE_FAN_IN times the postings of the newest (equal flushes then merge as a counter in base
    MERGE_FAN_IN carries, and a small segment left by the end of an add goes with the next ones),
    or whatever their sizes past :data:`MOST_SEGMENTS` segments (adds of very unequal sizes)."""
    newest = postings[-MERGE_FAN_IN:]
    if len(postings) > MOST_SEGMENTS or (len(newest) == MERGE_FAN_IN and newest[0] <= MERGE_FAN_IN // 2 * newest[-1]):
        return MERGE_FAN_IN
    return 0


@functools.cache
def give_back_large_blocks() -> None:
    """Keep C's allocator from holding an add's memory at its highest (once per process; glibc
    only). An add allocates and frees arrays of tens of megabytes at every flush and merge, and
    glibc, seeing large blocks freed, raises the size from which it maps them on their own,
    keeping the next ones in its heap, which it seldom gives back. The thresholds are fixed
    instead: blocks up to 32 MB (a flush's or a merge range's arrays of a million postings) come
    from the heap and are reused by the next ones, and :func:`_give_back_free_pages` hands the
    heap's free pages back after each flush and merge. (Mapped and unmapped one at a time from a
    megabyte, as before, every array was fresh pages for the system to fault in and zero: a
    fifth of the writer's CPU at 100,000 sources, 32.5 -> 26.1 s, the same peak RSS.)"""
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc
        return
    mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD (setting it also stops glibc from raising it)
    mallopt(-1, 64 << 20)  # M_TRIM_THRESHOLD: the heap's free top is trimmed after each flush anyway


def _give_back_free_pages() -> None:
    """Hand the free pages inside C's heap back to the system (glibc only): after a flush or a
    merge, its work arrays are freed among the small objects an add keeps, where the trim of
    the heap's top (above) cannot reach them; measured, about 20 MB of an add's resident memory."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass
