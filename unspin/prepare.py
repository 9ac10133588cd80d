"""Sources made ready to store: tokenized, fingerprinted and their language told, in worker
processes while the writer writes.

An add's work splits in two: making each source ready (its tokens, word keys, layout,
fingerprint and language: a function of its text alone) and storing it (packing, SQLite, the
postings' flushes and merges: one writer, in order). :func:`made_ahead` hands the first part
to worker processes, a chunk of documents at a time, a bounded number of chunks ahead, and
gives the results back in input order; the writer stores them as it would have made them, so
the index is the same. The workers never write: a killed add is the writer's killed add.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import xxhash

from unspin.document import Document
from unspin.fingerprint import fingerprint
from unspin.language import detect_language
from unspin.packing import FIELDS, Packer
from unspin.tokenize import tokenize
from unspin.workers import in_order

KEY_DTYPE = np.dtype("<u4")  # a stored word key
CHUNK = 64  # documents a worker is handed at once: a few ms of its work against one message each way
AHEAD = 8  # chunks a worker may be given before the writer took their results: bounds the memory
ALONE = 512  # documents an add makes ready itself before it starts workers: a small add needs none


class Made(NamedTuple):
    """What a source's row holds besides its text and digest (:class:`Row`'s fields, in order)."""

    words: int
    keys: bytes  # the word keys in text order, as stored (uint32, little-endian)
    layout: bytes  # Tokens.layout()
    fingerprint: np.ndarray
    language: str | None
    packed: tuple[bytes | None, ...]  # the text, keys and layout packed by a worker (Packer.pack_all), or None each


class Row(NamedTuple):
    """A source made ready to store: its fields raw, and its fingerprint for the postings."""

    document: Document
    text: bytes  # UTF-8
    digest: bytes
    words: int
    keys: bytes
    layout: bytes
    fingerprint: np.ndarray
    language: str | None
    packed: tuple[bytes | None, ...]


class Batch:
    """The sources of one transaction: what was done with each document, and the rows to store by id."""

    def __init__(self) -> None:
        self.done: list[tuple[Document, Any]] = []
        self.rows: dict[str, Row] = {}


def made(document: Document) -> Made:
    """``document`` made ready to store (its fields not packed)."""
    tokens = tokenize(document.text)
    return Made(len(tokens), tokens.key_array.astype(KEY_DTYPE).tobytes(), tokens.layout(), fingerprint(tokens),
                detect_language(document.text, tokens), (None,) * len(FIELDS))


def packed(documents: list[Document], made: list[Made], packer: Packer) -> list[Made]:
    """``made`` with their text, keys and layout packed by ``packer``, a field at a time (see :meth:`Packer.pack_all`)."""
    raw = {"text": [document.text.encode("utf-8", "surrogatepass") for document in documents],
           "keys": [ready.keys for ready in made], "layout": [ready.layout for ready in made]}
    frames = [packer.pack_all(field, raw[field]) for field in FIELDS]
    return [ready._replace(packed=own) for ready, own in zip(made, zip(*frames), strict=True)]


def default_workers() -> int:
    """Worker processes an add starts: one per core, the writer's included, since the writer
    waits on them most of the time (on 2 cores, 120,000 generated sources added in 41-43 s wall
    with two workers against 53-79 s with one, the same CPU); none on a single core."""
    cores = os.cpu_count() or 1
    return cores if cores > 1 else 0


def made_ahead(documents: Iterable[Document], workers: int, db: str | None = None) -> Iterator[tuple[Document, Made | None]]:
    """Each of ``documents`` with what :func:`made` gives for it, made by ``workers`` processes
    (none: None, for the writer to make), in input order. A document stored under its id with its
    text in the database ``db`` (a rerun of an interrupted add) gets None: the writer skips it."""
    documents = iter(documents)
    yield from ((document, None) for document in islice(documents, ALONE if workers > 0 else None))
    following = list(islice(documents, 1))
    if workers < 1 or not following:  # a small add starts no process
        return
    documents = chain(following, documents)
    chunks = iter(lambda: list(islice(documents, CHUNK)), [])
    for chunk, results in in_order(_made_all, chunks, workers, AHEAD, _start_worker, (db,)):
        yield from zip(chunk, results, strict=True)


_stored: dict[str, Any] = {}


def _start_worker(db: str | None) -> None:
    """A worker's read-only view of the index: to skip the sources stored already, and to pack
    the others with its dictionaries."""
    connection = None
    if db is not None and db != ":memory:" and Path(db).exists():
        try:
            connection = sqlite3.connect(Path(db).resolve().as_uri() + "?mode=ro", uri=True)
        except sqlite3.Error:
            connection = None
    _stored.update(db=connection, packer=None if connection is None else Packer(connection))


def _made_all(chunk: list[Document]) -> list[Made | None]:
    todo = [document for document in chunk if not _unchanged(document)]
    ready = [made(document) for document in todo]
    packer: Packer | None = _stored.get("packer")
    if packer is not None and ready:
        packer.refresh()  # the writer trains the dictionaries once, early in a new index's first add
        ready = packed(todo, ready, packer)
    found = {id(document): own for document, own in zip(todo, ready)}
    return [found.get(id(document)) for document in chunk]


def _unchanged(document: Document) -> bool:
    """Whether the index holds ``document``'s text under its id already (the writer checks again)."""
    connection = _stored.get("db")
    if connection is None:
        return False
    try:
        row = connection.execute("SELECT digest FROM sources WHERE id = ?", (document.id,)).fetchone()
    except sqlite3.Error:
        return False
    digest = xxhash.xxh3_128_digest(document.text.encode("utf-8", "surrogatepass"))
    return row is not None and row[0] in (digest, digest.hex())
