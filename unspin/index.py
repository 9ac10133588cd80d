"""The index: sources in an embedded SQLite database, and an in-memory inverted index.

SQLite holds the truth: one row per source with its text, metadata and fingerprint, written
in batches inside transactions, so a killed run keeps every batch it committed and never a
half-written document. Retrieval runs on an inverted index built in memory from those
fingerprints (NumPy arrays: sorted distinct features and their sources), loaded on first use and
kept up to date with this process's writes and, through SQLite's ``data_version``, other
processes' writes.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from enum import Enum
from typing import NamedTuple
from pathlib import Path

import numpy as np
import xxhash

from unspin.document import Document
from unspin.fingerprint import fingerprint
from unspin.jit import compiled
from unspin.tokenize import Tokens, tokenize

DEFAULT_DB = "unspin.db"
SCHEMA_VERSION = "1"
_FEATURE_DTYPE = np.dtype("<u8")
_KEY_DTYPE = np.dtype("<u4")
_METADATA = ("url", "title", "date", "author", "site", "origin")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    number   INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: the in-memory index keys on it
    id       TEXT NOT NULL UNIQUE,
    url      TEXT, title TEXT, date TEXT, author TEXT, site TEXT, origin TEXT,
    text     TEXT NOT NULL,
    digest   TEXT NOT NULL,                      -- of the text: an unchanged re-add is skipped
    words    INTEGER NOT NULL,
    features BLOB NOT NULL,                      -- sorted little-endian uint64 fingerprint
    keys     BLOB,                               -- little-endian uint32 word keys, in text order
    layout   BLOB,                               -- the words' classes and offsets (Tokens.layout)
    added    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
"""


def default_db_path() -> str:
    """The database that commands use unless told otherwise: ``$UNSPIN_DB`` or ``./unspin.db``."""
    return os.environ.get("UNSPIN_DB") or DEFAULT_DB


class Added(str, Enum):
    """What adding one document did."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class Candidate(NamedTuple):
    """A source that retrieval proposes for a suspect, with its retrieval score."""

    number: int
    score: float


class Index:
    """A collection of sources that suspects are checked against."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, create: bool = True, readonly: bool = False) -> None:
        self.path = str(path or default_db_path())
        if (readonly or not create) and not Path(self.path).exists():
            raise FileNotFoundError(f"no index at {self.path} (create one with 'unspin index add')")
        self._postings: _Postings | None = None
        if readonly:  # for parallel readers (unspin scan's workers): no schema writes, no locks taken
            uri = Path(self.path).resolve().as_uri() + "?mode=ro"
            self.db = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
            return
        self.db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")  # readers and a writer at once
        self.db.execute("PRAGMA synchronous=NORMAL")  # WAL keeps this crash-safe
        with self.db:
            self.db.executescript(_SCHEMA)
            self.db.execute(
                "INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,)
            )
            columns = {row[1] for row in self.db.execute("PRAGMA table_info(sources)")}
            # Columns added since the first release; an older row's are made on demand.
            for column in ("keys", "layout"):
                if column not in columns:
                    self.db.execute(f"ALTER TABLE sources ADD COLUMN {column} BLOB")
        self._postings: _Postings | None = None
        # Of the open transaction: replaced source numbers, new numbers and their features.
        self._unpublished: tuple[list[int], list[int], list[np.ndarray]] = ([], [], [])

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return self.db.execute("SELECT count(*) FROM sources").fetchone()[0]

    # --- writing -----------------------------------------------------------------------

    def add(self, documents: Iterable[Document], batch_size: int = 256) -> Iterator[tuple[Document, Added]]:
        """Add or update sources, committing every ``batch_size`` documents.

        Yields each document with what was done, so a caller can show progress. The same
        text under the same id is stored once; a new text under a known id replaces it.
        """
        batch = 0
        before = self._postings.postings if self._postings is not None else 0
        # IMMEDIATE: take the write lock (waiting for it) before reading; a deferred read
        # that then writes fails at once with "database is locked" if another connection wrote.
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for document in documents:
                outcome = self._add_one(document)
                batch += 1
                if batch >= batch_size:
                    self.db.execute("COMMIT")
                    self._publish()
                    self.db.execute("BEGIN IMMEDIATE")
                    batch = 0
                yield document, outcome
            self.db.execute("COMMIT")
            self._publish()
            # A bulk load that at least doubled the in-memory postings ends with them in one
            # segment, as a fresh process would load them: queries search each segment, and
            # the cost of the merge is repaid by the load's own size. (Small adds, as a
            # server's, leave the segments to merge as they go.)
            if self._postings is not None and self._postings.postings >= 2 * before:
                self._postings.compact()
        except BaseException:
            self.db.execute("ROLLBACK")
            self._unpublished = ([], [], [])
            raise

    def _publish(self) -> None:
        """Put a committed batch into the in-memory postings at once (one segment a batch,
        not one a document: each segment merge sorts the whole index)."""
        killed, numbers, features = self._unpublished
        self._unpublished = ([], [], [])
        if self._postings is not None:
            if killed:
                self._postings.kill(killed)
            self._postings.append(numbers, features)

    def _add_one(self, document: Document) -> Added:
        digest = xxhash.xxh3_128_hexdigest(document.text.encode("utf-8", "surrogatepass"))
        row = self.db.execute("SELECT number, digest FROM sources WHERE id = ?", (document.id,)).fetchone()
        if row is not None and row[1] == digest:
            return Added.UNCHANGED
        if row is not None:
            self.db.execute("DELETE FROM sources WHERE number = ?", (row[0],))
        tokens = tokenize(document.text)
        features = fingerprint(tokens)
        cursor = self.db.execute(
            "INSERT INTO sources (id, url, title, date, author, site, origin, text, digest, words, features, keys, layout)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                document.id,
                *(getattr(document, name) for name in _METADATA),
                document.text,
                digest,
                len(tokens),
                features.astype(_FEATURE_DTYPE).tobytes(),
                tokens.key_array.astype(_KEY_DTYPE).tobytes(),
                tokens.layout(),
            ),
        )
        if self._postings is not None:
            if row is not None:
                self._unpublished[0].append(row[0])
            self._unpublished[1].append(cursor.lastrowid)
            self._unpublished[2].append(features)
        return Added.UPDATED if row is not None else Added.ADDED

    def remove(self, ids: Iterable[str]) -> list[str]:
        """Remove sources by id; returns the ids that were found and removed."""
        removed = []
        with self.db:
            for doc_id in ids:
                row = self.db.execute("DELETE FROM sources WHERE id = ? RETURNING number", (doc_id,)).fetchone()
                if row is not None:
                    removed.append(doc_id)
                    if self._postings is not None:
                        self._postings.kill([row[0]])
        return removed

    # --- reading -----------------------------------------------------------------------

    def get(self, doc_id: str) -> Document | None:
        """The source with this id, or None."""
        row = self.db.execute(
            "SELECT id, text, url, title, date, author, site, origin FROM sources WHERE id = ?", (doc_id,)
        ).fetchone()
        return _document(row)

    def get_number(self, number: int) -> Document | None:
        """The source with this internal number, or None."""
        row = self.db.execute(
            "SELECT id, text, url, title, date, author, site, origin FROM sources WHERE number = ?", (number,)
        ).fetchone()
        return _document(row)

    def keys(self, number: int) -> np.ndarray | None:
        """The word keys of the source with this number (:attr:`unspin.tokenize.Tokens.key_array`),
        or None if there is no such source."""
        try:
            row = self.db.execute("SELECT keys FROM sources WHERE number = ?", (number,)).fetchone()
        except sqlite3.OperationalError:  # an older index, opened read-only: no keys column
            row = (None,)
        if row is None:
            return None
        if row[0] is None:  # stored before keys were
            document = self.get_number(number)
            return None if document is None else tokenize(document.text).key_array
        return np.frombuffer(row[0], dtype=_KEY_DTYPE)

    def tokens(self, number: int) -> tuple[Document, Tokens] | None:
        """The source with this number and its tokens, rebuilt from the stored keys and
        layout (no tokenizing), or None if there is no such source."""
        try:
            row = self.db.execute(
                "SELECT id, text, url, title, date, author, site, origin, keys, layout FROM sources WHERE number = ?",
                (number,),
            ).fetchone()
        except sqlite3.OperationalError:  # an older index, opened read-only: no such columns
            document = self.get_number(number)
            return None if document is None else (document, tokenize(document.text))
        if row is None:
            return None
        document, keys, layout = _document(row[:-2]), row[-2], row[-1]
        assert document is not None
        stored = None
        if keys is not None and layout is not None:
            stored = Tokens.stored(document.text, np.frombuffer(keys, dtype=_KEY_DTYPE), layout)
        return document, stored if stored is not None else tokenize(document.text)

    def list(self, limit: int | None = None, offset: int = 0, search: str | None = None) -> list[dict]:
        """Sources' metadata in the order they were added, optionally filtered by a substring."""
        where, params = "", []
        if search:
            where = "WHERE id LIKE ? OR title LIKE ? OR url LIKE ?"
            params = [f"%{search}%"] * 3
        rows = self.db.execute(
            f"SELECT id, title, url, date, site, words, added FROM sources {where}"
            " ORDER BY number LIMIT ? OFFSET ?",
            (*params, -1 if limit is None else limit, offset),
        )
        names = ("id", "title", "url", "date", "site", "words", "added")
        return [dict(zip(names, row)) for row in rows]

    def stats(self) -> dict:
        """Counts and sizes: sources, words, text and fingerprint bytes, file size."""
        count, words, text_bytes, feature_bytes = self.db.execute(
            "SELECT count(*), coalesce(sum(words), 0), coalesce(sum(length(CAST(text AS BLOB))), 0),"
            " coalesce(sum(length(features)), 0) FROM sources"
        ).fetchone()
        page_size = self.db.execute("PRAGMA page_size").fetchone()[0]
        pages = self.db.execute("PRAGMA page_count").fetchone()[0]
        file_bytes = page_size * pages
        return {
            "path": self.path,
            "sources": count,
            "words": words,
            "text_bytes": text_bytes,
            "fingerprint_bytes": feature_bytes,
            "file_bytes": file_bytes,
            "bytes_per_source": round(file_bytes / count) if count else 0,
        }

    # --- retrieval ---------------------------------------------------------------------

    def candidates(self, features: np.ndarray, limit: int = 10) -> list[Candidate]:
        """The sources that share the most distinctive features with a suspect, best first."""
        return self._load().query([features], limit)[0]

    def candidates_of(self, features: list[np.ndarray], limit: int = 10) -> list[list[Candidate]]:
        """:meth:`candidates` of several suspects at once: the same lists, for less time
        each (one pass over the postings for all of them)."""
        return self._load().query(features, limit)

    def common(self, features: np.ndarray) -> np.ndarray:
        """For each feature, whether so many sources have it that it says little of any one
        (:func:`common_frequency`): a stock phrase, a template's line, boilerplate. Retrieval
        skips these features; the judge does not count them as evidence."""
        return self._load().common(features)

    def _load(self) -> _Postings:
        version = self.db.execute("PRAGMA data_version").fetchone()[0]
        if self._postings is None:
            self._postings = _Postings()
            self._postings.version = version
            self._read_postings(after=0)
        elif version != self._postings.version:  # another connection wrote: catch up
            self._postings.version = version
            alive = np.fromiter((n for (n,) in self.db.execute("SELECT number FROM sources")), dtype=np.int64)
            # Not "numbers above the last one seen": this connection may have committed a
            # higher number after another connection's lower one.
            missing = np.setdiff1d(alive, self._postings.numbers)
            if len(missing):
                self._read_postings(after=int(missing[0]) - 1, only=set(missing.tolist()))
            self._postings.keep_only(alive)
        return self._postings

    def _read_postings(self, after: int, only: set[int] | None = None) -> None:
        numbers, features = [], []
        for number, blob in self.db.execute("SELECT number, features FROM sources WHERE number > ? ORDER BY number", (after,)):
            if only is not None and number not in only:
                continue
            numbers.append(number)
            features.append(np.frombuffer(blob, dtype=_FEATURE_DTYPE))
        assert self._postings is not None
        self._postings.append(numbers, features)


def _document(row: tuple | None) -> Document | None:
    if row is None:
        return None
    doc_id, text, *metadata = row
    return Document(doc_id, text, **dict(zip(_METADATA, metadata)))


class _Postings:
    """An inverted index from feature to sources, in a few immutable segments.

    New sources go into a new segment; segments are merged when there are too many, so
    that adding stays cheap and a query searches only a handful of arrays.
    """

    MAX_SEGMENTS = 8
    # Postings a query reads at most. The rarest features are read first, so a query
    # drops only its most common ones, and only in an index of hundreds of thousands of
    # sources: the cost of a query stops growing with the index, as a search engine's
    # time budget stops it.
    BUDGET = 100_000

    def __init__(self) -> None:
        self.numbers = np.empty(0, dtype=np.int64)  # slot -> source number
        self.alive = np.empty(0, dtype=bool)  # slot -> not removed
        self.living = 0  # alive.sum(), kept rather than counted by every query
        self.sizes = np.empty(0, dtype=np.float64)  # slot -> number of features
        self.segments: list[_Segment] = []
        self.version = 0
        self.last_number = 0
        self.lock = threading.Lock()  # writers replace these arrays; readers take them together

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
            self.sizes = np.concatenate([self.sizes, lengths.astype(np.float64)])
            self.segments = segments
            self.last_number = max(self.last_number, max(numbers))

    def _with_segment(self, features: np.ndarray, slots: np.ndarray) -> list[_Segment]:
        segments = [*self.segments, _Segment(features, slots)]
        # Merged the way a binary counter carries (an LSM tree's levels): the newest two while
        # the newer holds at least as many postings as the one before it, and the newest past
        # MAX_SEGMENTS. A posting is then merged about log2(batches) times, not once every
        # MAX_SEGMENTS batches, and a merge of the whole index is rare.
        while len(segments) > 1 and (
            len(segments) > self.MAX_SEGMENTS or len(segments[-1].slots) >= len(segments[-2].slots)
        ):
            segments[-2:] = [_merged(segments[-2:])]
        return segments

    @property
    def postings(self) -> int:
        """How many (feature, source) pairs the segments hold."""
        return sum(len(segment.slots) for segment in self.segments)

    def compact(self) -> None:
        """Merge every segment into one."""
        with self.lock:
            if len(self.segments) > 1:
                self.segments = [_merged(self.segments)]

    def kill(self, numbers: list[int]) -> None:
        with self.lock:
            self.alive = self.alive & ~np.isin(self.numbers, numbers)
            self.living = int(self.alive.sum())

    def keep_only(self, numbers: np.ndarray) -> None:
        with self.lock:
            self.alive = self.alive & np.isin(self.numbers, numbers)
            self.living = int(self.alive.sum())

    def common(self, features: np.ndarray) -> np.ndarray:
        """:meth:`Index.common`: from the segments' tables of distinct features, no postings read."""
        with self.lock:
            segments, living = list(self.segments), self.living
        features = np.asarray(features, dtype=_FEATURE_DTYPE)
        frequencies = sum((segment.find(features)[1] for segment in segments), np.zeros(len(features), np.int64))
        return frequencies > common_frequency(living)

    def query(self, suspects: list[np.ndarray], limit: int) -> list[list[Candidate]]:
        """The best ``limit`` sources of each suspect (its sorted distinct features), best first."""
        with self.lock:  # a consistent view: another thread may be adding sources
            segments, numbers, alive, sizes, living = list(self.segments), self.numbers, self.alive, self.sizes, self.living
        results: list[list[Candidate]] = [[] for _ in suspects]
        if living == 0 or not suspects:
            return results
        lengths = np.fromiter(map(len, suspects), dtype=np.int64, count=len(suspects))
        features = np.concatenate(suspects).astype(_FEATURE_DTYPE, copy=False)
        owners = np.repeat(np.arange(len(suspects)), lengths)
        # A feature in more than 1% of the sources (at least 20) says little and costs much:
        # skip it, as search engines skip stop words. Its frequency comes from the segments'
        # tables of distinct features, without touching its postings.
        max_df = common_frequency(living)
        found = [segment.find(features) for segment in segments]
        frequencies = sum(counts for _, counts in found)
        useful = (frequencies > 0) & (frequencies <= max_df)
        postings = np.bincount(owners[useful], frequencies[useful], minlength=len(suspects))
        bounds = np.concatenate([[0], np.cumsum(lengths)])
        for suspect in np.flatnonzero(postings > self.BUDGET).tolist():
            own = slice(bounds[suspect], bounds[suspect + 1])
            over = _over_budget(frequencies[own], useful[own], self.BUDGET)
            useful[own][over] = False
        idf = np.log((living + 1) / frequencies[useful])
        # Each hit: a (suspect, slot) pair and its feature's weight. Every slot's hits come
        # from its one segment, in feature order, so a suspect's scores are summed in the
        # order a query of that suspect alone would sum them (the same floating-point sums).
        hit_slots, hit_weights, hit_owners = [], [], []
        for segment, (first, counts) in zip(segments, found):
            slots, weights = _gather(segment.slots, first[useful], counts[useful], idf)
            hit_slots.append(slots)
            hit_weights.append(weights)
            hit_owners.append(np.repeat(owners[useful], counts[useful]))
        slots, weights, by = (np.concatenate(parts) for parts in (hit_slots, hit_weights, hit_owners))
        if len(segments) > 1:  # segment by segment: put each suspect's hits together, in order
            order = np.argsort(by, kind="stable")
            slots, weights, by = slots[order], weights[order], by[order]
        starts = np.searchsorted(by, np.arange(len(suspects) + 1))
        limit = max(0, min(limit, len(alive)))  # no more candidates than sources: the tables below are suspects x limit
        best, scores, found_counts = _best(starts, slots.astype(np.int64), weights, alive, sizes, limit)
        for suspect, count in enumerate(found_counts.tolist()):
            results[suspect] = list(map(Candidate, numbers[best[suspect, :count]].tolist(), scores[suspect, :count].tolist()))
        return results


def common_frequency(sources: int) -> int:
    """The most sources a feature may be in and still single out a text: 1% of them, and
    at least 20, so that a small collection (a dozen sources, a test) has no stock text;
    a story that many outlets ran is not stock text until it is in that many."""
    return max(20, sources // 100)


@compiled
def _best(starts: np.ndarray, slots: np.ndarray, weights: np.ndarray, alive: np.ndarray, sizes: np.ndarray,
          limit: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each suspect (its hits: ``slots`` and ``weights`` from ``starts[s]`` to
    ``starts[s + 1]``), the ``limit`` best living sources by summed weight over the square
    root of their size, best first, ties in slot order: their slots, scores and count."""
    best = np.zeros((len(starts) - 1, limit), np.int64)
    best_scores = np.zeros((len(starts) - 1, limit), np.float64)
    counts = np.zeros(len(starts) - 1, np.int64)
    row = np.zeros(len(alive), np.float64)  # the current suspect's scores, by slot
    seen = np.full(len(alive), -1, np.int64)  # the last suspect that hit each slot
    hit = np.empty(len(slots), np.int64)
    for suspect in range(len(starts) - 1):
        hits = 0
        for h in range(starts[suspect], starts[suspect + 1]):
            slot = slots[h]
            if seen[slot] != suspect:
                seen[slot] = suspect
                hit[hits] = slot
                hits += 1
            row[slot] += weights[h]
        kept = 0
        for k in range(hits):
            slot = hit[k]
            score = row[slot]
            row[slot] = 0.0
            # Only positive scores count (frequencies count removed sources, so a weight can
            # be negative). Dividing by the square root of the source's size keeps long
            # sources from winning on volume alone, while a short passage copied from a long
            # source still ranks.
            if score <= 0.0 or not alive[slot]:
                continue
            score = score / np.sqrt(max(sizes[slot], 1.0))
            place = kept
            while place > 0 and (best_scores[suspect, place - 1] < score
                                 or (best_scores[suspect, place - 1] == score and best[suspect, place - 1] > slot)):
                place -= 1
            if place >= limit:
                continue
            for moved in range(min(kept, limit - 1), place, -1):
                best[suspect, moved] = best[suspect, moved - 1]
                best_scores[suspect, moved] = best_scores[suspect, moved - 1]
            best[suspect, place], best_scores[suspect, place] = slot, score
            kept = min(kept + 1, limit)
        counts[suspect] = kept
    return best, best_scores, counts


class _Segment:
    """Postings of some sources: each distinct feature once, with the slots that have it.

    ``keys`` are the sorted distinct features; the slots of ``keys[i]`` are
    ``slots[starts[i]:starts[i + 1]]``, so their count is the feature's frequency. A query
    looks its features up in ``keys`` through a directory on their top bits (features are
    hashes, so buckets hold a few keys each): a binary search of a few steps within a bucket
    instead of one over the whole array, whose steps are mostly cache misses.
    """

    KEYS_PER_BUCKET = 4  # 2 to 4 on average: the directory costs 1 to 2 bytes a key, a search 4 or 5 rounds

    def __init__(self, features: np.ndarray, slots: np.ndarray) -> None:
        """The segment of these postings. Sorts ``features`` in place, to spare a copy of
        all the postings (a merge's peak of memory)."""
        slots, new = _sorted(features, slots)
        # One key past the end (the largest uint64, with no slots) lets a search step onto it.
        keys = np.append(features[new], _END)
        starts = np.append(np.flatnonzero(new), [len(features)] * 2).astype(_offsets(len(features)))
        self._build(keys, starts, slots)

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
        bits = max(1, (distinct // self.KEYS_PER_BUCKET).bit_length())
        self.shift = np.uint64(64 - bits)
        # directory[b] is the first key in bucket b (the top ``bits`` bits of a feature).
        bounds = np.arange(2**bits, dtype=np.uint64) << self.shift
        self.directory = np.append(np.searchsorted(self.keys[:distinct], bounds), distinct).astype(offsets)

    def find(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each feature: where its slots start, and how many there are (0 if none)."""
        return _find(features, self.keys, self.starts, self.directory, self.shift)


@compiled
def _find(features: np.ndarray, keys: np.ndarray, starts: np.ndarray, directory: np.ndarray,
          shift: np.uint64) -> tuple[np.ndarray, np.ndarray]:
    """:meth:`_Segment.find`: a binary search for each feature within its bucket."""
    first = np.empty(len(features), np.int64)
    counts = np.zeros(len(features), np.int64)
    for k in range(len(features)):
        feature = features[k]
        bucket = feature >> shift
        lo, hi = np.int64(directory[bucket]), np.int64(directory[bucket + 1])
        while lo < hi:
            mid = (lo + hi) >> 1
            if keys[mid] < feature:
                lo = mid + 1
            else:
                hi = mid
        first[k] = starts[lo]
        if keys[lo] == feature:
            counts[k] = np.int64(starts[lo + 1]) - np.int64(starts[lo])
    return first, counts


_END = np.iinfo(np.uint64).max
MERGE_POSTINGS = 2**22  # postings a merge sorts at once (a range of features: see _merged)


def _offsets(postings: int) -> type:
    return np.uint32 if postings < 2**32 else np.int64  # half the memory when it fits


def _sorted(features: np.ndarray, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort ``features`` in place; the ``slots`` in the same order (ties in their order), and
    where each distinct feature first appears."""
    order = np.argsort(features, kind="stable")
    slots = slots[order]
    del order
    features.sort(kind="stable")  # timsort: merges the sorted runs of the inputs
    new = np.empty(len(features), dtype=bool)
    new[:1] = True
    np.not_equal(features[1:], features[:-1], out=new[1:])
    return slots, new


def _merged(segments: list[_Segment]) -> _Segment:
    """One segment holding the postings of consecutive ``segments``.

    The features are merged a range of values at a time (by their top bits; each range is a
    run of keys, and of slots, in every segment), at most about :data:`MERGE_POSTINGS` of
    them: a merge then needs the old segments, the new one, and the work space of one range,
    not that of all the postings at once (a sort of them all and its order: about three
    times the postings' own memory again).
    """
    total = sum(len(s.slots) for s in segments)
    # Later segments hold later slots, and the stable sort keeps that order per feature.
    ranges = -(-total // MERGE_POSTINGS)  # at least this many, rounded up to a power of two
    bits = max(0, ranges - 1).bit_length()
    bounds = np.arange(1, 2**bits, dtype=np.uint64) << np.uint64(64 - bits) if bits else np.empty(0, dtype=np.uint64)
    edges = [np.concatenate([[0], np.searchsorted(s.keys[:-1], bounds), [len(s.keys) - 1]]).tolist() for s in segments]
    upper = sum(len(s.keys) - 1 for s in segments)  # distinct features: at most as many as the segments hold
    keys = np.empty(upper + 1, dtype=np.uint64)
    starts = np.empty(upper + 2, dtype=_offsets(total))
    slots = np.empty(total, dtype=np.result_type(*(s.slots.dtype for s in segments)))
    distinct = written = 0
    for part in range(2**bits):
        features = np.concatenate([np.repeat(s.keys[e[part]:e[part + 1]], np.diff(s.starts[e[part]:e[part + 1] + 1]))
                                   for s, e in zip(segments, edges)])
        ordered, new = _sorted(features, np.concatenate([s.slots[s.starts[e[part]]:s.starts[e[part + 1]]]
                                                          for s, e in zip(segments, edges)]))
        slots[written:written + len(features)] = ordered
        found = int(new.sum())
        keys[distinct:distinct + found] = features[new]
        starts[distinct:distinct + found] = np.flatnonzero(new) + written
        distinct += found
        written += len(features)
    keys[distinct] = _END
    starts[distinct:distinct + 2] = total
    keys.resize(distinct + 1, refcheck=False)  # in place: the unused tail is given back
    starts.resize(distinct + 2, refcheck=False)
    return _Segment.built(keys, starts, slots)


def _over_budget(frequencies: np.ndarray, useful: np.ndarray, budget: int) -> np.ndarray:
    """Of the useful features, those past the first ``budget`` postings, rarest first."""
    candidates = np.flatnonzero(useful)
    rarest_first = candidates[np.argsort(frequencies[candidates], kind="stable")]
    return rarest_first[np.cumsum(frequencies[rarest_first]) > budget]


def _gather(slots: np.ndarray, first: np.ndarray, counts: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The slots in the ranges ``first[i]:first[i] + counts[i]``, each with the weight of its range."""
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, dtype=slots.dtype), np.empty(0)
    # Position k of the output is k plus how far its range's start is from where its run begins.
    shifts = np.repeat(first - (np.cumsum(counts) - counts), counts)
    return slots[np.arange(total) + shifts], np.repeat(weights, counts)
