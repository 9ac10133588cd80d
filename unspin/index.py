"""The index: sources in an embedded SQLite database, and an inverted index on disk beside it.

SQLite holds the truth: one row per source with its text, metadata and fingerprint, written
in batches inside transactions, so a killed run keeps every batch it committed and never a
half-written document. Retrieval runs on an inverted index of those fingerprints (sorted
distinct features and their sources), kept as immutable segment files in ``DB-postings/``
and memory-mapped: opening it reads a few small arrays, a query reads the pages of its own
features, and processes that share an index share those pages through the operating system.
A segment is written, and segments merged, inside a write transaction that records them in
SQLite, so the list of segments is as sound as the rows; sources committed but not yet in a
segment (a killed add, a reader during an add) are read from SQLite into memory. Other
processes' writes are seen through SQLite's ``data_version``.
"""

from __future__ import annotations

import ctypes
import functools
import mmap
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
import uuid
import zlib
from collections.abc import Iterable, Iterator
from enum import Enum
from typing import BinaryIO, NamedTuple
from pathlib import Path

import numpy as np
import xxhash

from unspin.document import Document
from unspin.fingerprint import fingerprint
from unspin.language import detect_language
from unspin.jit import compiled
from unspin.packing import PACKED, TRAIN_SAMPLES, Packer
from unspin.packing import SCHEMA as _PACKING_SCHEMA
from unspin.tokenize import Tokens, tokenize

DEFAULT_DB = "unspin.db"
SCHEMA_VERSION = "1"
_BUSY_TIMEOUT_MS = 30_000  # how long a writer waits for another one
_PAGE_BYTES = 16_384
_FEATURE_DTYPE = np.dtype("<u8")
_KEY_DTYPE = np.dtype("<u4")
_METADATA = ("url", "title", "date", "author", "site", "origin")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    number   INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: the in-memory index keys on it
    id       TEXT NOT NULL UNIQUE,
    url      TEXT, title TEXT, date TEXT, author TEXT, site TEXT, origin TEXT,
    text     TEXT NOT NULL,                      -- packed: a zstd frame of its UTF-8 (unspin.packing)
    digest   TEXT NOT NULL,                      -- of the text: an unchanged re-add is skipped (16 bytes; was hex)
    words    INTEGER NOT NULL,
    features BLOB NOT NULL,                      -- empty: the postings hold it (an earlier version's: sorted uint64)
    keys     BLOB,                               -- uint32 word keys in text order: packed, a zstd frame (was zlib or raw)
    layout   BLOB,                               -- the words' classes and offsets (Tokens.layout): packed, a zstd frame (was zlib or raw)
    added    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    packing  INTEGER,                            -- 1: text, keys and layout packed; NULL: an earlier version's row
    size     INTEGER,                            -- bytes of the text's UTF-8 (NULL in an earlier version's row)
    language TEXT                                -- ISO 639-1 (unspin.language); NULL: too short to tell, or added before
);
-- The postings' segment files (in DB-postings/), in slot order: together they hold the
-- sources numbered up to the largest 'last', slot by slot in number order.
CREATE TABLE IF NOT EXISTS segments (
    name       TEXT PRIMARY KEY,
    first_slot INTEGER NOT NULL,
    slots      INTEGER NOT NULL,  -- sources it holds
    postings   INTEGER NOT NULL,
    last       INTEGER NOT NULL   -- the largest source number it holds
);
-- Sources removed or replaced after they went into a segment: never candidates again.
CREATE TABLE IF NOT EXISTS removed (number INTEGER PRIMARY KEY);
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
        self.readonly = readonly
        self.folder = Path(self.path + "-postings")  # the segment files, beside the database
        if self.path == ":memory:":  # a database of this connection alone: its postings too
            self.folder = Path(tempfile.mkdtemp(prefix="unspin-postings-"))
        self._postings: _Postings | None = None
        self._stale = False  # this connection committed sources since the postings were opened
        self._mapped: dict[str, _Segment] = {}  # segment files mapped, by name
        # Fingerprints of sources this connection added that are in no segment yet: the
        # database keeps none, and making them again from the stored words costs more.
        self._unwritten: dict[int, np.ndarray] = {}
        self._lock = threading.Lock()  # one thread opens the postings at a time
        self._columns = _DOCUMENT_COLUMNS  # what a document is read from
        if readonly:  # for parallel readers (unspin scan's workers): no schema writes, no locks taken
            uri = Path(self.path).resolve().as_uri() + "?mode=ro"
            self.db = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
            self.packer = Packer(self.db)
            if "packing" not in {row[1] for row in self.db.execute("PRAGMA table_info(sources)")}:
                self._columns = _DOCUMENT_COLUMNS.replace("packing", "NULL")  # an earlier version's index
            return
        self.db = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        self.packer = Packer(self.db)
        # A new database's pages (set before its first table, a no-op after): a packed source is
        # 2-3 KB, and a 4 KB page, SQLite's default, holds one of them and leaves a third empty
        # (or spills a longer one into overflow pages, the last half empty): 16 KB pages hold
        # several, which halved the database of 100,000 generated sources.
        self.db.execute(f"PRAGMA page_size = {_PAGE_BYTES}")
        self.db.execute("PRAGMA journal_mode=WAL")  # readers and a writer at once
        self.db.execute("PRAGMA synchronous=NORMAL")  # WAL keeps this crash-safe
        with self.db:
            self.db.executescript(_SCHEMA + _PACKING_SCHEMA)
            self.db.execute(
                "INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,)
            )
            columns = {row[1] for row in self.db.execute("PRAGMA table_info(sources)")}
            # Columns added since the first release; an older row's are made on demand.
            for column, kind in (("keys", "BLOB"), ("layout", "BLOB"), ("packing", "INTEGER"), ("size", "INTEGER"),
                                 ("language", "TEXT")):
                if column not in columns:
                    self.db.execute(f"ALTER TABLE sources ADD COLUMN {column} {kind}")

    def close(self) -> None:
        self.db.close()
        self._postings, self._mapped = None, {}
        if self.path == ":memory:":
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return self.db.execute("SELECT count(*) FROM sources").fetchone()[0]

    # --- writing -----------------------------------------------------------------------

    def add(self, documents: Iterable[Document], batch_size: int = 256) -> Iterator[tuple[Document, Added]]:
        """Add or update sources, committing every ``batch_size`` documents.

        Yields each document with what was done, batch by batch once it is committed, so a
        caller can show progress. The same text under the same id is stored once; a new
        text under a known id replaces it. The committed sources go into a segment of
        postings every :data:`FLUSH_POSTINGS` postings and at the end; a killed add leaves
        the rest to the next writer (readers read them from SQLite meanwhile).
        """
        _give_back_large_blocks()
        self._flush(at_least=FLUSH_POSTINGS, announce=True)  # an index made by an earlier version
        before = self.db.execute("SELECT coalesce(sum(postings), 0) FROM segments").fetchone()[0]
        batch = _Batch()
        # IMMEDIATE: take the write lock (waiting for it) before reading; a deferred read
        # that then writes fails at once with "database is locked" if another connection wrote.
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for document in documents:
                batch.done.append((document, self._prepare(document, batch)))
                if len(batch.done) >= batch_size:
                    self._insert(batch)
                    self.db.execute("COMMIT")
                    self._stale = True
                    yield from batch.done
                    batch = _Batch()
                    self._flush(at_least=FLUSH_POSTINGS)
                    self.db.execute("BEGIN IMMEDIATE")
                    self._train_if_due()
            self._insert(batch)
            self.db.execute("COMMIT")
            self._stale = True
            yield from batch.done
            # A bulk load that at least doubled the postings ends with them in one segment:
            # queries look their features up in each segment, and the cost of the merge is
            # repaid by the load's own size. (Small adds, as a server's, merge as they go.)
            self._flush(whole_if_doubled_from=before)
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
                self._unwritten.clear()  # a rolled-back number may be given again to another source
            raise

    def _prepare(self, document: Document, batch: _Batch) -> Added:
        """What adding ``document`` does; its row made ready in ``batch`` unless its text is
        the one stored (or made ready) under its id. A row it replaces is deleted now."""
        text = document.text.encode("utf-8", "surrogatepass")
        digest = xxhash.xxh3_128_digest(text)
        earlier = batch.rows.get(document.id)  # the same id twice in one batch: the later text wins
        if earlier is not None:
            if earlier.digest == digest:
                return Added.UNCHANGED
            del batch.rows[document.id]
            outcome = Added.UPDATED
        else:
            row = self.db.execute("SELECT number, digest FROM sources WHERE id = ?", (document.id,)).fetchone()
            if row is not None and row[1] in (digest, digest.hex()):  # an earlier version's: in hex
                return Added.UNCHANGED
            if row is not None:
                self.db.execute("DELETE FROM sources WHERE number = ?", (row[0],))
                self.db.execute("INSERT OR IGNORE INTO removed VALUES (?)", (row[0],))
                self._unwritten.pop(row[0], None)
            outcome = Added.UPDATED if row is not None else Added.ADDED
        tokens = tokenize(document.text)
        batch.rows[document.id] = _Row(document, text, digest, len(tokens), tokens.key_array.astype(_KEY_DTYPE).tobytes(),
                                       tokens.layout(), fingerprint(tokens), detect_language(document.text, tokens))
        return outcome

    def _insert(self, batch: _Batch) -> None:
        """Store the rows made ready, numbered after every number given so far. Each field is
        packed for all of them in one loop: compressing with a dictionary costs several times
        more when other work has pushed its tables out of the processor's caches in between."""
        rows = list(batch.rows.values())
        if not rows:
            return
        first = self.db.execute(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'sources'), 0),"
            " coalesce((SELECT max(number) FROM sources), 0)) + 1").fetchone()[0]
        packed = [self.packer.pack_all(field, [getattr(row, field) for row in rows]) for field in ("text", "keys", "layout")]
        self.db.executemany(
            "INSERT INTO sources (number, id, url, title, date, author, site, origin, text, digest, words, features,"
            " keys, layout, packing, size, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((first + k, row.document.id, *(getattr(row.document, name) for name in _METADATA), text, row.digest,
              row.words, b"", keys, layout, PACKED, len(row.text), row.language)  # the fingerprint goes to the postings
             for k, (row, text, keys, layout) in enumerate(zip(rows, *packed))))
        for k, row in enumerate(rows):
            self._unwritten[first + k] = row.fingerprint

    def _train_if_due(self) -> None:
        """Inside a write transaction: train the packing's dictionaries on the latest sources
        once the index holds enough of them (:mod:`unspin.packing`)."""
        latest = self.db.execute("SELECT coalesce(max(number), 0) FROM sources").fetchone()[0]
        if not self.packer.due(latest):
            return
        rows = self.db.execute("SELECT text, keys, layout, words, packing FROM sources ORDER BY number DESC LIMIT ?",
                               (TRAIN_SAMPLES,))
        samples = []
        for text, keys, layout, words, packing in rows:
            text, keys, layout = self._unpacked(text, keys, layout, packing)
            if keys is not None and layout is not None:
                samples.append((text.encode("utf-8", "surrogatepass"), _unpacked_keys(keys, words).tobytes(),
                                _raw_layout(layout)))
        self.packer.train(samples)

    def _unpacked(self, text: str | bytes, keys: bytes | None, layout: bytes | None,
                  packing: int | None) -> tuple[str, bytes | None, bytes | None]:
        """A row's text, keys and layout as an earlier version stored them (the keys raw or zlib'd,
        the layout raw or zlib'd): unpacked if the row is packed."""
        if packing != PACKED:
            return text, keys, layout
        unpack = self.packer.unpack
        return (unpack(text).decode("utf-8", "surrogatepass"), None if keys is None else unpack(keys),
                None if layout is None else unpack(layout))

    def _document(self, row: tuple | None) -> Document | None:
        """The document of a row of :data:`_DOCUMENT_COLUMNS`."""
        if row is None:
            return None
        doc_id, text, *metadata, packing = row
        if packing == PACKED:
            text = self.packer.unpack(text).decode("utf-8", "surrogatepass")
        return Document(doc_id, text, **dict(zip(_METADATA, metadata)))

    def stored_text(self, stored: str | bytes, packing: int | None) -> str:
        """A source's text from its row's ``text`` and ``packing`` (for readers of the table)."""
        return self.packer.unpack(stored).decode("utf-8", "surrogatepass") if packing == PACKED else stored

    def remove(self, ids: Iterable[str]) -> list[str]:
        """Remove sources by id; returns the ids that were found and removed."""
        removed = []
        with self.db:
            for doc_id in ids:
                row = self.db.execute("DELETE FROM sources WHERE id = ? RETURNING number", (doc_id,)).fetchone()
                if row is not None:
                    removed.append(doc_id)
                    self.db.execute("INSERT OR IGNORE INTO removed VALUES (?)", row)
                    self._unwritten.pop(row[0], None)
        self._stale = True
        return removed

    # --- reading -----------------------------------------------------------------------

    def languages(self) -> dict[str, int]:
        """How many sources each language has (``"und"``: too short to tell, or added before
        languages were stored)."""
        try:
            rows = self.db.execute("SELECT coalesce(language, 'und'), count(*) FROM sources GROUP BY 1 ORDER BY 2 DESC")
            return dict(rows.fetchall())
        except sqlite3.OperationalError:  # an older index, opened read-only: no language column
            return {"und": len(self)} if len(self) else {}

    def get(self, doc_id: str) -> Document | None:
        """The source with this id, or None."""
        row = self.db.execute(f"SELECT {self._columns} FROM sources WHERE id = ?", (doc_id,)).fetchone()
        return self._document(row)

    def get_number(self, number: int) -> Document | None:
        """The source with this internal number, or None."""
        row = self.db.execute(f"SELECT {self._columns} FROM sources WHERE number = ?", (number,)).fetchone()
        return self._document(row)

    def keys(self, number: int) -> np.ndarray | None:
        """The word keys of the source with this number (:attr:`unspin.tokenize.Tokens.key_array`),
        or None if there is no such source."""
        try:
            row = self.db.execute(f"SELECT keys, words, {self._columns.rpartition(' ')[2]} FROM sources WHERE number = ?",
                                  (number,)).fetchone()
        except sqlite3.OperationalError:  # an older index, opened read-only: no keys column
            row = (None, 0, None)
        if row is None:
            return None
        keys, words, packing = row
        if keys is None:  # stored before keys were
            document = self.get_number(number)
            return None if document is None else tokenize(document.text).key_array
        return _unpacked_keys(self.packer.unpack(keys) if packing == PACKED else keys, words)

    def tokens(self, number: int) -> tuple[Document, Tokens] | None:
        """The source with this number and its tokens, rebuilt from the stored keys and
        layout (no tokenizing), or None if there is no such source."""
        try:
            row = self.db.execute(
                f"SELECT {self._columns}, keys, layout, words FROM sources WHERE number = ?", (number,)
            ).fetchone()
        except sqlite3.OperationalError:  # an older index, opened read-only: no such columns
            document = self.get_number(number)
            return None if document is None else (document, tokenize(document.text))
        if row is None:
            return None
        (keys, layout, words), packing = row[-3:], row[-4]
        document = self._document(row[:-3])
        assert document is not None
        if packing == PACKED:
            keys, layout = (None if blob is None else self.packer.unpack(blob) for blob in (keys, layout))
        return document, _stored_tokens(document.text, keys, layout, words)

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
        """Counts and sizes: sources, words, the texts' bytes, what the database stores of them
        (texts, word keys, layouts: packed or not), the database's and the postings' files (and
        each kind of array of the postings), and bytes per source."""
        count, words, text_bytes, stored_text, keys_bytes, layout_bytes, feature_bytes = self.db.execute(
            "SELECT count(*), coalesce(sum(words), 0), coalesce(sum(coalesce(size, length(CAST(text AS BLOB)))), 0),"
            " coalesce(sum(length(CAST(text AS BLOB))), 0), coalesce(sum(length(keys)), 0),"
            " coalesce(sum(length(layout)), 0), coalesce(sum(length(features)), 0) FROM sources"
        ).fetchone()
        page_size = self.db.execute("PRAGMA page_size").fetchone()[0]
        pages = self.db.execute("PRAGMA page_count").fetchone()[0]
        file_bytes = page_size * pages
        arrays = _field_bytes(self.folder)  # the files' sizes: no segment is opened
        postings_bytes = sum(arrays.values())
        return {
            "path": self.path,
            "sources": count,
            "words": words,
            "text_bytes": text_bytes,
            "stored_text_bytes": stored_text,
            "keys_bytes": keys_bytes,
            "layout_bytes": layout_bytes,
            "fingerprint_bytes": feature_bytes,
            "file_bytes": file_bytes,
            "postings_bytes": postings_bytes,
            **{f"postings_{field}_bytes": arrays.get(field, 0) for field in _SEGMENT_FIELDS},
            "bytes_per_source": round((file_bytes + postings_bytes) / count) if count else 0,
            "languages": self.languages(),
        }

    # --- retrieval ---------------------------------------------------------------------

    def candidates(self, features: np.ndarray, limit: int = 10) -> list[Candidate]:
        """The sources that share the most distinctive features with a suspect, best first."""
        return self._load().query([features], limit)[0]

    def candidates_of(self, features: list[np.ndarray], limit: int = 10) -> list[list[Candidate]]:
        """:meth:`candidates` of several suspects at once: the same lists, for less time
        each (one pass over the postings for all of them)."""
        return self._load().query(features, limit)

    def write_postings(self) -> None:
        """Write the committed sources that are in no segment yet (an index made by an earlier
        version, a killed add) into one, so that readers map them instead of each reading them
        into memory (:class:`unspin.crawl.scan`'s workers, say)."""
        self._flush(announce=True)

    def common(self, features: np.ndarray) -> np.ndarray:
        """For each feature, whether so many sources have it that it says little of any one
        (:func:`common_frequency`): a stock phrase, a template's line, boilerplate. Retrieval
        skips these features; the judge does not count them as evidence."""
        return self._load().common(features)

    def _load(self) -> _Postings:
        """The postings as of now: opened again when this connection or another one wrote."""
        version = self.db.execute("PRAGMA data_version").fetchone()[0]  # before the snapshot read below
        with self._lock:
            if self._postings is None or self._stale or version != self._postings.version:
                if not self.readonly and not self.db.in_transaction and self._pending() >= FLUSH_POSTINGS:
                    self._flush_unless_busy()  # an index from before segments, a killed add
                self._stale = False
                self._postings = self._opened(version)
            return self._postings

    def _pending(self) -> int:
        """About how many postings the sources in no segment hold (their words: a fingerprint has
        about as many features as its text has words)."""
        return self.db.execute("SELECT coalesce(sum(words), 0) FROM sources WHERE number > "
                               "(SELECT coalesce(max(last), 0) FROM segments)").fetchone()[0]

    def _flush(self, at_least: int = 0, announce: bool = False, whole_if_doubled_from: int | None = None) -> None:
        """Write the sources not yet in a segment into new segments, if they hold more than
        ``at_least`` postings, then merge segments as a binary counter carries (or all into one,
        if the postings are at least twice ``whole_if_doubled_from``); all in one write
        transaction, so that a segment is listed if and only if its sources are committed.
        ``announce``: say so on standard error when that is a long job (an index made by an
        earlier version, which has no segments)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            covered, first_slot = self.db.execute(
                "SELECT coalesce(max(last), 0), coalesce(sum(slots), 0) FROM segments").fetchone()
            pending, postings = self.db.execute(
                "SELECT count(*), coalesce(sum(words), 0) FROM sources WHERE number > ?", (covered,)).fetchone()
            writes = pending > 0 and postings >= at_least
            if writes:
                if announce and postings >= FLUSH_POSTINGS:
                    print(f"unspin: writing the postings of {pending:,} sources of {self.path} to {self.folder} "
                          "(once; checks open them at once from then on)", file=sys.stderr)
                self.folder.mkdir(exist_ok=True)
                self._write_pending(covered, first_slot)
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
            self.db.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")

    def _opened(self, version: int) -> _Postings:
        """The segments on disk, mapped, and the sources not in them yet, read into memory."""
        for _ in range(5):
            listed, removed, tail = self._snapshot()
            try:
                segments = [self._mapped.get(name) or _open_segment(self.folder / name) for name in listed]
            except FileNotFoundError:  # merged away by another process after the snapshot: read it again
                continue
            self._mapped = dict(zip(listed, segments))
            return _Postings.of(segments, removed, *tail, version=version)
        # Gone for good (the folder deleted or copied without it): SQLite has every fingerprint.
        print(f"unspin: segment files missing in {self.folder}: reading the postings of {self.path} again",
              file=sys.stderr)
        if self.readonly:
            numbers, features = self._snapshot(covered=0)[2]
            return _Postings.of([], [], numbers, features, version=version)
        with self.db:
            self.db.execute("DELETE FROM segments")
            self.db.execute("DELETE FROM removed")
        self._flush()
        return self._opened(version)

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
                yield number, np.frombuffer(blob, dtype=_FEATURE_DTYPE)
            else:
                text, keys, layout, words, packing = self.db.execute(
                    "SELECT text, keys, layout, words, packing FROM sources WHERE number = ?", (number,)).fetchone()
                yield number, fingerprint(_stored_tokens(*self._unpacked(text, keys, layout, packing), words))

    # --- segments on disk ----------------------------------------------------------------

    def _write_pending(self, covered: int, first_slot: int) -> None:
        """The sources numbered above ``covered`` as segments of about :data:`FLUSH_POSTINGS`
        postings each (the memory of one at a time), their slots from ``first_slot`` on."""
        numbers: list[int] = []
        features: list[np.ndarray] = []
        held = 0
        for number, fingerprint_ in self._fingerprints(covered, keep=False):
            numbers.append(number)
            features.append(fingerprint_)
            held += len(features[-1])
            if held >= FLUSH_POSTINGS:
                first_slot = self._write_new(numbers, features, first_slot)
                numbers, features, held = [], [], 0
        if numbers:
            self._write_new(numbers, features, first_slot)

    def _write_new(self, numbers: list[int], features: list[np.ndarray], first_slot: int) -> int:
        lengths = np.fromiter(map(len, features), dtype=np.int64, count=len(features))
        slots = np.repeat(np.arange(first_slot, first_slot + len(numbers), dtype=np.int32), lengths)
        segment = _Segment(np.concatenate(features) if features else np.empty(0, _FEATURE_DTYPE), slots)
        name = _SegmentFiles(self.folder).write(segment, np.asarray(numbers, dtype=np.int64), lengths.astype(np.uint32))
        self.db.execute("INSERT INTO segments VALUES (?, ?, ?, ?, ?)",
                        (name, first_slot, len(numbers), len(segment.slots), numbers[-1]))
        return first_slot + len(numbers)

    def _merge_segments(self, whole: bool = False) -> None:
        """Merge the newest two segments while the newer holds at least as many postings as the
        one before it, or there are more than :data:`MAX_SEGMENTS` (as :class:`_Postings` merges
        in memory), or all of them into one if ``whole``; a merged segment is written to its files
        a range of features at a time. The files of the segments merged away are deleted after
        the commit."""
        rows = self.db.execute("SELECT name, first_slot, slots, postings, last FROM segments ORDER BY first_slot").fetchall()
        if whole and len(rows) > 1:
            rows = [self._merged_row(rows)]
        while len(rows) > 1 and (len(rows) > _Postings.MAX_SEGMENTS or rows[-1][3] >= rows[-2][3]):
            rows[-2:] = [self._merged_row(rows[-2:])]

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


@functools.cache
def _give_back_large_blocks() -> None:
    """Have C's allocator hand blocks of a megabyte or more back to the system when they are
    freed (once per process; glibc only). An add allocates and frees arrays of tens of
    megabytes at every flush and merge, and glibc, seeing large blocks freed, raises the size
    from which it maps them on their own, keeping the next ones in its heap, which it seldom
    gives back: the add's memory then stays at its highest."""
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc
        return
    mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD (setting it also stops glibc from raising it)
    mallopt(-1, 1 << 20)  # M_TRIM_THRESHOLD: trim the heap's free top beyond a megabyte


def index_bytes(path: str | os.PathLike[str]) -> int:
    """Bytes on disk of the index at ``path``: its database file and its postings' segment files."""
    return os.path.getsize(path) + _folder_bytes(Path(str(path) + "-postings"))


def _raw_layout(layout: bytes) -> bytes:
    """A layout as :meth:`Tokens.layout` makes it, from one stored raw or zlib'd."""
    return layout if layout[:1] in (b"\x01", b"\x04") else zlib.decompress(layout)  # a zlib stream's first byte is never 1 or 4


def _unpacked_keys(blob: bytes, words: int) -> np.ndarray:
    return np.frombuffer(blob if len(blob) == 4 * words else zlib.decompress(blob), dtype=_KEY_DTYPE)


def _stored_tokens(text: str, keys: bytes | None, layout: bytes | None, words: int) -> Tokens:
    """A source's tokens from its stored keys and layout (raw as earlier versions stored them, or
    zlib'd), or from its text when they are missing."""
    stored = None
    if keys is not None and layout is not None:
        stored = Tokens.stored(text, _unpacked_keys(keys, words), _raw_layout(layout))
    return stored if stored is not None else tokenize(text)


_DOCUMENT_COLUMNS = "id, text, url, title, date, author, site, origin, packing"


class _Row(NamedTuple):
    """A source made ready to store: its fields raw, and its fingerprint for the postings."""

    document: Document
    text: bytes  # UTF-8
    digest: bytes
    words: int
    keys: bytes
    layout: bytes
    fingerprint: np.ndarray
    language: str | None


class _Batch:
    """The sources of one transaction: what was done with each document, and the rows to store by id."""

    def __init__(self) -> None:
        self.done: list[tuple[Document, Added]] = []
        self.rows: dict[str, _Row] = {}


class _Postings:
    """An inverted index from feature to sources, in a few immutable segments.

    The segments on disk come first, in slot order, then the sources not yet written in one,
    appended in memory: new sources go into a new segment, and segments in memory are merged
    when there are too many, so that adding stays cheap and a query searches only a handful
    of arrays.
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

    @classmethod
    def of(cls, segments: list[_Segment], removed: list[int], numbers: list[int], features: list[np.ndarray],
           version: int = 0) -> _Postings:
        """The postings of segments on disk (mapped), less the ``removed`` sources, and of the
        sources not in them (``numbers`` and their ``features``), after them."""
        postings = cls()
        postings.version = version
        if segments:
            postings.segments = list(segments)
            postings.numbers = np.concatenate([s.numbers for s in segments])
            postings.sizes = np.concatenate([s.sizes for s in segments]).astype(np.float64)
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
            self.sizes = np.concatenate([self.sizes, lengths.astype(np.float64)])
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
        return sum(len(segment.slots) for segment in self.segments)

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
        # A suspect's useful features are a run of them (features are in suspect order). Its
        # hits are summed segment by segment, in feature order, straight from the segments'
        # slots (no array of all the hits is made): every slot's hits come from its one
        # segment, so its score sums the same weights in the same order as a query of that
        # suspect alone, on any cut of the sources into segments (the same floating-point sums).
        runs = np.searchsorted(owners[useful], np.arange(len(suspects) + 1)).tolist()
        ranges = [(first[useful], counts[useful]) for first, counts in found]
        limit = max(0, min(limit, len(alive)))  # no more candidates than sources: the tables below are suspects x limit
        best = np.zeros((len(suspects), limit), np.int64)
        scores = np.zeros((len(suspects), limit), np.float64)
        row = np.zeros(len(alive), np.float64)  # the current suspect's scores, by slot
        seen = np.full(len(alive), -1, np.int64)  # the last suspect that hit each slot
        hit = np.empty(len(alive), np.int64)  # the slots the current suspect hit, in the order it hit them
        for suspect in range(len(suspects)):
            hits = 0
            for segment, (first, counts) in zip(segments, ranges):
                hits = _accumulate(segment.slots, first, counts, idf, runs[suspect], runs[suspect + 1], suspect,
                                   row, seen, hit, hits)
            kept = _rank(hit, hits, row, alive, sizes, best[suspect], scores[suspect])
            results[suspect] = list(map(Candidate, numbers[best[suspect, :kept]].tolist(), scores[suspect, :kept].tolist()))
        return results


def common_frequency(sources: int) -> int:
    """The most sources a feature may be in and still single out a text: 1% of them, and
    at least 20, so that a small collection (a dozen sources, a test) has no stock text;
    a story that many outlets ran is not stock text until it is in that many."""
    return max(20, sources // 100)


@compiled
def _accumulate(slots: np.ndarray, first: np.ndarray, counts: np.ndarray, weights: np.ndarray, lo: int, hi: int,
                suspect: int, row: np.ndarray, seen: np.ndarray, hit: np.ndarray, hits: int) -> int:
    """Add the weights of a suspect's features ``lo:hi`` (their postings in ``slots`` from
    ``first``, ``counts`` of them) to its ``row`` of scores; the slots it hits first are
    listed in ``hit`` after the ``hits`` already there. The new count of hit slots."""
    for f in range(lo, hi):
        weight = weights[f]
        for h in range(first[f], first[f] + counts[f]):
            slot = slots[h]
            if seen[slot] != suspect:
                seen[slot] = suspect
                hit[hits] = slot
                hits += 1
            row[slot] += weight
    return hits


@compiled
def _rank(hit: np.ndarray, hits: int, row: np.ndarray, alive: np.ndarray, sizes: np.ndarray, best: np.ndarray,
          best_scores: np.ndarray) -> int:
    """The best living sources of the slots in ``hit[:hits]`` (scores in ``row``, reset to 0
    on the way) by summed weight over the square root of their size, best first, ties in
    slot order: written to ``best`` and ``best_scores`` (as many as they hold); how many."""
    limit = len(best)
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


class _Segment:
    """Postings of some sources: each distinct feature once, with the slots that have it.

    ``keys`` are the sorted distinct features; the slots of ``keys[i]`` are
    ``slots[starts[i]:starts[i + 1]]``, so their count is the feature's frequency. A query
    looks its features up in ``keys`` through a directory on their top bits (features are
    hashes, so buckets hold a few keys each): a binary search of a few steps within a bucket
    instead of one over the whole array, whose steps are mostly cache misses.
    """

    # 4 to 8 on average, 32 to 64 bytes: a bucket is one or two cache lines, so a search costs the
    # miss of its directory entry and of its bucket, and the directory half a byte to a byte a key.
    KEYS_PER_BUCKET = 8
    on_disk = False  # a segment mapped from its files, which also holds its slots' numbers and sizes
    numbers: np.ndarray  # of a segment on disk: the source number of each of its slots
    sizes: np.ndarray  # and its count of features
    maps: list[mmap.mmap] = []  # and the mappings of its files

    def __init__(self, features: np.ndarray, slots: np.ndarray) -> None:
        """The segment of these postings. Sorts ``features`` in place, to spare a copy of
        all the postings (a merge's peak of memory)."""
        slots, new = _sorted(features, slots)
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
    def mapped(cls, keys: np.ndarray, starts: np.ndarray, slots: np.ndarray, directory: np.ndarray,
               numbers: np.ndarray, sizes: np.ndarray) -> _Segment:
        """The segment of arrays read from its files, directory included (not searched for again)."""
        segment = cls.__new__(cls)
        segment.keys, segment.starts, segment.slots, segment.directory = keys, starts, slots, directory
        segment.shift = np.uint64(64 - (len(directory) - 1).bit_length() + 1)
        segment.numbers, segment.sizes, segment.on_disk = numbers, sizes, True
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
        bits = max(1, (distinct // self.KEYS_PER_BUCKET).bit_length())
        self.shift = np.uint64(64 - bits)
        # directory[b] is the first key in bucket b (the top ``bits`` bits of a feature).
        bounds = np.arange(2**bits, dtype=np.uint64) << self.shift
        self.directory = np.append(np.searchsorted(self.keys[:distinct], bounds), distinct).astype(offsets)

    def let_go(self) -> None:
        """Drop the pages of a segment on disk from this process's memory (they stay in the
        system's cache, and are read again from there if touched)."""
        for mapped in self.maps:
            mapped.madvise(mmap.MADV_DONTNEED)

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
MERGE_POSTINGS = 2**21  # postings a merge sorts at once (a range of features: see _merged): about 100 MB of work
# Postings of committed sources that an add leaves out of a segment at most (written at its end
# anyway): about 1,500 articles of 1,100 words, 5,000 of 350; a flush takes about 100 MB to sort
# them and build their segment, and readers read them from SQLite meanwhile.
FLUSH_POSTINGS = 2**21
_SEGMENT_FIELDS = ("keys", "starts", "slots", "directory", "numbers", "sizes")


class _SegmentFiles:
    """The files of one new segment: a folder in the postings folder, one raw little-endian array
    a file, named FIELD.DTYPE. Written under a temporary name, synced, then renamed, so a listed
    segment is always whole."""

    def __init__(self, folder: Path) -> None:
        self.name = uuid.uuid4().hex
        self.temporary = folder / f"{self.name}.tmp"
        self.temporary.mkdir(parents=True)

    def write(self, segment: _Segment, numbers: np.ndarray, sizes: np.ndarray) -> str:
        """Write a segment made in memory; its name."""
        for field, array in zip(_SEGMENT_FIELDS, (segment.keys, segment.starts, segment.slots, segment.directory,
                                                  numbers, sizes)):
            with self._file(field, array.dtype) as out:
                _append(out, array)
        return self._finish()

    def write_merged(self, segments: list[_Segment], numbers: np.ndarray, sizes: np.ndarray) -> str:
        """Write the merge of consecutive segments on disk, a range of features at a time, appended
        to the files (no array of the whole merge in memory, nor its pages mapped); its name."""
        total = sum(len(s.slots) for s in segments)
        offsets = np.dtype(_offsets(total))
        distinct = 0
        with self._file("keys", np.uint64) as keys, self._file("starts", offsets) as starts, \
                self._file("slots", np.result_type(*(s.slots.dtype for s in segments))) as slots:
            for part_keys, part_starts, part_slots in _merged_parts(segments):
                _append(keys, part_keys)
                _append(starts, part_starts.astype(offsets))
                _append(slots, part_slots)
                distinct += len(part_keys)
                for segment in segments:  # the pages read so far are not needed again: out of this process
                    segment.let_go()
            _append(keys, np.array([_END], dtype=np.uint64))
            _append(starts, np.array([total, total], dtype=offsets))
        with self._file("directory", offsets) as directory:
            _write_directory(directory, self.temporary / "keys.uint64", distinct, offsets)
        for field, array in (("numbers", numbers), ("sizes", sizes)):
            with self._file(field, array.dtype) as out:
                _append(out, array)
        return self._finish()

    def _file(self, field: str, dtype: np.dtype | type) -> BinaryIO:
        return open(self.temporary / f"{field}.{np.dtype(dtype).name}", "wb")

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


def _append(out: BinaryIO, array: np.ndarray) -> None:
    out.write(memoryview(np.ascontiguousarray(array)).cast("B"))


def _write_directory(out: BinaryIO, path: Path, distinct: int, offsets: np.dtype) -> None:
    """Write the directory of a segment (:meth:`_Segment._build`'s) to ``out``, from its keys'
    file, a block of keys at a time: for each bucket, how many keys come before it.

    Keys are sorted, so a block's entries are those of the buckets from the one after the
    previous block's last key to its own last key; the memory is that of a block, not of the
    directory (at a million sources, 32 million entries: a whole-directory array of them, and
    the bounds searched for, took several hundred megabytes at the end of every large merge)."""
    bits = max(1, (distinct // _Segment.KEYS_PER_BUCKET).bit_length())
    shift = np.uint64(64 - bits)
    filled = 0  # buckets whose entries are written
    with open(path, "rb") as stream:
        for start in range(0, distinct, MERGE_POSTINGS):
            buckets = np.fromfile(stream, dtype=np.uint64, count=min(MERGE_POSTINGS, distinct - start)) >> shift
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


def _open_segment(folder: Path, advice: int = mmap.MADV_RANDOM) -> _Segment:
    """The segment in ``folder``, its arrays mapped read-only from their files (pages are read when
    a query touches them, and shared with every process that maps them). ``advice`` to the system:
    a query reads a few scattered pages of each array, so by default none is read ahead from
    the disk (a cold cache would read some thirty for each feature looked up); a merge reads
    them in order. (The system still maps the cached pages around a touched one into the
    process: they count in its RSS, shared and free to reclaim, not in its own memory.)"""
    arrays, maps = {}, []
    for entry in os.scandir(folder):
        field, _, dtype = entry.name.partition(".")
        size = entry.stat().st_size
        if size == 0:
            arrays[field] = np.empty(0, dtype=dtype)
            continue
        with open(entry.path, "rb") as stream:
            maps.append(mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ))
        maps[-1].madvise(advice)
        arrays[field] = np.frombuffer(maps[-1], dtype=np.dtype(dtype).newbyteorder("<"))
    segment = _Segment.mapped(*(arrays[field] for field in _SEGMENT_FIELDS))
    segment.maps = maps
    return segment


def _folder_bytes(folder: Path) -> int:
    """Bytes of the files under ``folder`` (0 if there is none)."""
    return sum(_field_bytes(folder).values())


def _field_bytes(folder: Path) -> dict[str, int]:
    """Bytes of the segment files under ``folder``, by array (keys, starts, slots, ...)."""
    sizes: dict[str, int] = {}
    if folder.is_dir():
        for segment in os.scandir(folder):
            if segment.is_dir():
                for entry in os.scandir(segment.path):
                    field = entry.name.partition(".")[0]
                    sizes[field] = sizes.get(field, 0) + entry.stat().st_size
    return sizes


def _offsets(postings: int) -> type:
    return np.uint32 if postings < 2**32 else np.int64  # half the memory when it fits


def _sorted(features: np.ndarray, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort ``features`` in place; the ``slots`` in the same order (ties in their order), and
    where each distinct feature first appears."""
    slots = _sort_postings(features, slots)
    new = np.empty(len(features), dtype=bool)
    new[:1] = True
    np.not_equal(features[1:], features[:-1], out=new[1:])
    return slots, new


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
    upper = sum(len(s.keys) - 1 for s in segments)  # distinct features: at most as many as the segments hold
    keys = np.empty(upper + 1, dtype=np.uint64)
    starts = np.empty(upper + 2, dtype=_offsets(total))
    slots = np.empty(total, dtype=np.result_type(*(s.slots.dtype for s in segments)))
    distinct = written = 0
    for part_keys, part_starts, part_slots in _merged_parts(segments):
        keys[distinct:distinct + len(part_keys)] = part_keys
        starts[distinct:distinct + len(part_keys)] = part_starts
        slots[written:written + len(part_slots)] = part_slots
        distinct += len(part_keys)
        written += len(part_slots)
    keys[distinct] = _END
    starts[distinct:distinct + 2] = total
    keys.resize(distinct + 1, refcheck=False)  # in place: the unused tail is given back
    starts.resize(distinct + 2, refcheck=False)
    return _Segment.built(keys, starts, slots)


def _merged_parts(segments: list[_Segment]) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The merge of consecutive ``segments``, a range of features at a time: each range's
    distinct features, where their slots start (counted from the merged segment's first
    posting), and its slots.

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
    written = 0
    for part in range(2**bits):
        features = np.concatenate([np.repeat(s.keys[e[part]:e[part + 1]], np.diff(s.starts[e[part]:e[part + 1] + 1]))
                                   for s, e in zip(segments, edges)])
        ordered, new = _sorted(features, np.concatenate([s.slots[s.starts[e[part]]:s.starts[e[part + 1]]]
                                                          for s, e in zip(segments, edges)]))
        yield features[new], np.flatnonzero(new) + written, ordered
        written += len(features)


def _over_budget(frequencies: np.ndarray, useful: np.ndarray, budget: int) -> np.ndarray:
    """Of the useful features, those past the first ``budget`` postings, rarest first."""
    candidates = np.flatnonzero(useful)
    rarest_first = candidates[np.argsort(frequencies[candidates], kind="stable")]
    return rarest_first[np.cumsum(frequencies[rarest_first]) > budget]

