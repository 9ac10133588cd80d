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

import os
import re
import shutil
import sqlite3
import sys
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import Enum
from pathlib import Path

import numpy as np
import xxhash

from unspin.document import Document
from unspin.fingerprint import fingerprint
from unspin.prepare import Batch, Made, Row, made, made_ahead
from unspin.packing import FIELDS as PACKED_FIELDS, PACKED, TRAIN_SAMPLES, Packer
from unspin.packing import SCHEMA as _PACKING_SCHEMA
from unspin.postings import Candidate, _Postings
from unspin.segment_files import _SEGMENT_FIELDS, _field_bytes, _open_segment
from unspin.segments import _Segment
from unspin.tokenize import Tokens, tokenize
from unspin import writer
from unspin.writer import BUSY_TIMEOUT_MS, SegmentWriter, give_back_large_blocks

DEFAULT_DB = "unspin.db"
SCHEMA_VERSION = "1"
_PAGE_BYTES = 16_384
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
_TABLES = set(re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", _SCHEMA + _PACKING_SCHEMA))
# Columns added to sources since the first release; an older row's values are made on demand.
_ADDED_COLUMNS = (("keys", "BLOB"), ("layout", "BLOB"), ("packing", "INTEGER"), ("size", "INTEGER"), ("language", "TEXT"))


def default_db_path() -> str:
    """The database that commands use unless told otherwise: ``$UNSPIN_DB`` or ``./unspin.db``."""
    return os.environ.get("UNSPIN_DB") or DEFAULT_DB


class Added(str, Enum):
    """What adding one document did."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class Index(SegmentWriter):
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
        self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        self.packer = Packer(self.db)
        # A new database's pages (set before its first table, a no-op after): a packed source is
        # 2-3 KB, and a 4 KB page, SQLite's default, holds one of them and leaves a third empty
        # (or spills a longer one into overflow pages, the last half empty): 16 KB pages hold
        # several, which halved the database of 100,000 generated sources.
        self.db.execute(f"PRAGMA page_size = {_PAGE_BYTES}")
        self.db.execute("PRAGMA journal_mode=WAL")  # readers and a writer at once
        self.db.execute("PRAGMA synchronous=NORMAL")  # WAL keeps this crash-safe
        if self._schema_current():
            # Nothing to write: an index in use opens without waiting for a writer's lock (a bulk
            # add's last merge holds it for minutes).
            return
        with self.db:
            self.db.executescript(_SCHEMA + _PACKING_SCHEMA)
            self.db.execute(
                "INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,)
            )
            columns = {row[1] for row in self.db.execute("PRAGMA table_info(sources)")}
            for column, kind in _ADDED_COLUMNS:
                if column not in columns:
                    self.db.execute(f"ALTER TABLE sources ADD COLUMN {column} {kind}")

    def _schema_current(self) -> bool:
        """Whether the database already holds every table and column this version writes."""
        tables = {name for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not _TABLES <= tables:
            return False
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(sources)")}
        return {column for column, _ in _ADDED_COLUMNS} <= columns and self.db.execute("SELECT 1 FROM meta WHERE key = 'schema'").fetchone() is not None

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

    def add(self, documents: Iterable[Document], batch_size: int = 256, workers: int = 0) -> Iterator[tuple[Document, Added]]:
        """Add or update sources, committing every ``batch_size`` documents.

        Yields each document with what was done, batch by batch once it is committed, so a
        caller can show progress. The same text under the same id is stored once; a new
        text under a known id replaces it. The committed sources go into a segment of
        postings every :data:`unspin.writer.FLUSH_POSTINGS` postings and at the end; a killed add leaves
        the rest to the next writer (readers read them from SQLite meanwhile). ``workers``
        processes tokenize and fingerprint the documents meanwhile (:mod:`unspin.prepare`).
        """
        give_back_large_blocks()
        self._flush(at_least=writer.FLUSH_POSTINGS, announce=True)  # an index made by an earlier version
        before = self.db.execute("SELECT coalesce(sum(postings), 0) FROM segments").fetchone()[0]
        batch = Batch()
        # IMMEDIATE: take the write lock (waiting for it) before reading; a deferred read
        # that then writes fails at once with "database is locked" if another connection wrote.
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for document, ready in made_ahead(documents, workers, self.path):
                batch.done.append((document, self._prepare(document, batch, ready)))
                if len(batch.done) >= batch_size:
                    self._insert(batch)
                    self.db.execute("COMMIT")
                    self._stale = True
                    yield from batch.done
                    batch = Batch()
                    self._flush(at_least=writer.FLUSH_POSTINGS, leave_rest=True)
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

    def _prepare(self, document: Document, batch: Batch, ready: Made | None = None) -> Added:
        """What adding ``document`` does; its row made ready in ``batch`` (from ``ready``, if a
        worker made it) unless its text is the one stored (or made ready) under its id. A row it
        replaces is deleted now."""
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
        batch.rows[document.id] = Row(document, text, digest, *(ready or made(document)))
        return outcome

    def _insert(self, batch: Batch) -> None:
        """Store the rows made ready, numbered after every number given so far. Each field is
        packed for all of them in one loop: compressing with a dictionary costs several times
        more when other work has pushed its tables out of the processor's caches in between."""
        rows = list(batch.rows.values())
        if not rows:
            return
        first = self.db.execute(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'sources'), 0),"
            " coalesce((SELECT max(number) FROM sources), 0)) + 1").fetchone()[0]
        packed = [self.packer.pack_all(field, [getattr(row, field) for row in rows], [row.packed[k] for row in rows])
                  for k, field in enumerate(PACKED_FIELDS)]
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

    def _stored_fingerprint(self, number: int) -> np.ndarray:
        """A committed source's fingerprint, made again from its stored keys and layout."""
        text, keys, layout, words, packing = self.db.execute(
            "SELECT text, keys, layout, words, packing FROM sources WHERE number = ?", (number,)).fetchone()
        text, keys, layout = self._unpacked(text, keys, layout, packing)
        return fingerprint(_stored_tokens(text, None if keys is None else _unpacked_keys(keys, words), layout))

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
        return self._document(self.db.execute(f"SELECT {self._columns} FROM sources WHERE id = ?", (doc_id,)).fetchone())

    def get_number(self, number: int) -> Document | None:
        """The source with this internal number, or None."""
        return self._document(self.db.execute(f"SELECT {self._columns} FROM sources WHERE number = ?", (number,)).fetchone())

    def keys(self, number: int) -> np.ndarray | None:
        """The word keys of the source with this number (:attr:`unspin.tokenize.Tokens.key_array`), or None."""
        return self.keys_of([number]).get(number, lambda: None)()

    def keys_of(self, numbers: list[int]) -> dict[int, Callable[[], np.ndarray | None]]:
        """:meth:`keys` of sources (500 at most) in one query: a function giving each one's keys, unpacked when called."""
        marks, packing = ",".join("?" * len(numbers)), self._columns.rpartition(" ")[2]
        try:
            rows = self.db.execute(f"SELECT number, keys, words, {packing} FROM sources WHERE number IN ({marks})", numbers).fetchall()
        except sqlite3.OperationalError:  # an older index, opened read-only: no keys column
            rows = [(number, None, 0, None) for number in numbers]
        return {row[0]: lambda row=row: self._keys_of_row(*row) for row in rows}

    def _keys_of_row(self, number: int, keys: bytes | None, words: int, packing: int | None) -> np.ndarray | None:
        if keys is None:  # stored before keys were
            return None if (document := self.get_number(number)) is None else tokenize(document.text).key_array
        return _unpacked_keys(self.packer.unpack(keys) if packing == PACKED else keys, words)

    def tokens(self, number: int, keys: np.ndarray | None = None) -> tuple[Document, Tokens] | None:
        """The source with this number and its tokens, rebuilt from the stored keys and
        layout (no tokenizing), or None if there is no such source. ``keys``: its word keys,
        when the caller has them at hand (:meth:`keys`), not read nor unpacked again."""
        stored = "layout, words" if keys is not None else "keys, layout, words"
        try:
            row = self.db.execute(f"SELECT {self._columns}, {stored} FROM sources WHERE number = ?", (number,)).fetchone()
        except sqlite3.OperationalError:  # an older index, opened read-only: no such columns
            return None if (document := self.get_number(number)) is None else (document, tokenize(document.text))
        if row is None:
            return None
        if keys is not None:
            row = (*row[:-2], None, *row[-2:])
        (blob, layout, words), packing = row[-3:], row[-4]
        document = self._document(row[:-3])
        assert document is not None
        if packing == PACKED:
            blob, layout = (None if data is None else self.packer.unpack(data) for data in (blob, layout))
        if keys is None:
            keys = None if blob is None else _unpacked_keys(blob, words)
        return document, _stored_tokens(document.text, keys, layout)

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

    def candidates_of(self, features: list[np.ndarray], limit: int | Sequence[int] = 10,
                      common: list[np.ndarray] | None = None) -> list[list[Candidate]]:
        """:meth:`candidates` of several suspects at once (``limit``: one, or one a suspect):
        the same lists, for less time each (one pass over the postings for all of them). Given
        ``common``, a list, appends to it each suspect's :meth:`common` flags of its features
        (none when the index holds no living source), found on the way."""
        return self._load().query(features, limit, common)

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
                if not self.readonly and not self.db.in_transaction and self._flush_due():
                    self._flush_unless_busy()  # an index from before segments, a killed add
                self._stale = False
                self._postings = self._opened(version)
            return self._postings

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

def _raw_layout(layout: bytes) -> bytes:
    """A layout as :meth:`Tokens.layout` makes it, from one stored raw or zlib'd."""
    return layout if layout[:1] in (b"\x01", b"\x04") else zlib.decompress(layout)  # a zlib stream's first byte is never 1 or 4


def _unpacked_keys(blob: bytes, words: int) -> np.ndarray:
    return np.frombuffer(blob if len(blob) == 4 * words else zlib.decompress(blob), dtype=_KEY_DTYPE)


def _stored_tokens(text: str, keys: np.ndarray | None, layout: bytes | None) -> Tokens:
    """A source's tokens from its stored keys (unpacked) and layout (raw as earlier versions
    stored it, or zlib'd), or from its text when they are missing."""
    stored = None
    if keys is not None and layout is not None:
        stored = Tokens.stored(text, keys, _raw_layout(layout))
    return stored if stored is not None else tokenize(text)


_DOCUMENT_COLUMNS = "id, text, url, title, date, author, site, origin, packing"
