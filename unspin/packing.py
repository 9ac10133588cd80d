"""Sources' stored fields, compressed: zstd, with dictionaries trained on the index's own sources.

A source's text, word keys and layout are each a short record (a few kilobytes, a few hundred
words); compressed one at a time, a record shares nothing with the others and a plain
compressor finds little to take out (zlib: 57% of a generated article's text, 87% of its keys).
zstd with a dictionary holds what the records share (common words and their keys, the usual
gaps and word lengths) once: 45% and 81%, at a fifth of zlib's time. The dictionaries are
trained once per index, on its first sources (a writer trains them at a batch boundary once
:data:`TRAIN_AFTER` sources are stored, from the latest of them), and kept in the table
``dictionaries`` under zstd's own dictionary id, which each frame names: a reader decompresses
any row, whatever dictionary (or none) it was written with. The sources stored before the
training keep their dictionary-less frames.
"""

from __future__ import annotations

import sqlite3
import threading

import zstandard

FIELDS = ("text", "keys", "layout")
PACKED = 1  # the ``packing`` of a row whose text, keys and layout are zstd frames
TRAIN_AFTER = 1024  # sources stored before dictionaries are trained on them
TRAIN_SAMPLES = 2048  # the latest sources a training reads
DICTIONARY_BYTES = {"text": 64 * 1024, "keys": 32 * 1024, "layout": 16 * 1024}
# zstd's (fast) cover training's segment and d-mer sizes. Left to zstd, it searches about 80 pairs,
# training and trying a dictionary for each, and picked these for every field on the BBC articles
# and the generated ones (the smallest k it tries): given, the same dictionaries in a quarter of
# the time (1,024 BBC articles: 0.19 CPU s instead of 0.83, most of the spin suite's indexing).
COVER_K, COVER_D = 50, 8
LEVEL = 3

SCHEMA = """
CREATE TABLE IF NOT EXISTS dictionaries (
    id    INTEGER PRIMARY KEY,  -- zstd's dictionary id, which every frame made with it names
    field TEXT NOT NULL,        -- text, keys or layout
    data  BLOB NOT NULL
);
"""


class Packer:
    """Compresses one connection's stored fields and decompresses any row's."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._compressors: dict[str, zstandard.ZstdCompressor] | None = None  # read on first use
        self._dict_ids: dict[str, int] = {}  # of each compressor's dictionary (0: none)
        self._decompressors: dict[int, zstandard.ZstdDecompressor] = {}
        self._lock = threading.Lock()  # zstd's objects are for one thread at a time
        self._trained = False

    # --- writing -------------------------------------------------------------------------

    def pack_all(self, field: str, data: list[bytes], packed: list[bytes | None] | None = None) -> list[bytes]:
        """Each of ``data`` (of ``field``) as one zstd frame, with the field's dictionary if there
        is one; in one loop, so that the compressor's tables stay in the processor's caches (a
        few times faster than one at a time between other work). A frame of ``packed`` (made
        by another connection's packer, :mod:`unspin.prepare`'s workers) is taken as it is if
        it names the dictionary this one would use: the same frame, the same bytes."""
        with self._lock:
            compress = self._compressor(field).compress
            own = self._dict_ids[field]
            return [frame if frame is not None and zstandard.get_frame_parameters(frame).dict_id == own
                    else compress(item) for item, frame in zip(data, packed or [None] * len(data), strict=True)]

    def refresh(self) -> None:
        """Read the stored dictionaries again at the next use, unless this packer has some
        (another connection may have trained them since: an index's dictionaries never change)."""
        with self._lock:
            if not self._trained:
                self._compressors = None

    def _compressor(self, field: str) -> zstandard.ZstdCompressor:
        if self._compressors is None:
            self._compressors = {}
            self._dict_ids = {}
            for kind, data in self.db.execute("SELECT field, data FROM dictionaries ORDER BY rowid"):
                dictionary = zstandard.ZstdCompressionDict(data)
                self._compressors[kind], self._dict_ids[kind] = _compressor(dictionary, kind), dictionary.dict_id()
            self._trained = self._trained or bool(self._compressors)
        if field not in self._compressors:
            self._compressors[field], self._dict_ids[field] = _compressor(None, field), 0
        return self._compressors[field]

    def due(self, latest: int) -> bool:
        """Whether to train the dictionaries now: none is stored, none was tried by this
        connection, and ``latest`` (the largest source number) has reached :data:`TRAIN_AFTER`."""
        if self._trained or latest < TRAIN_AFTER:
            return False
        with self._lock:
            self._compressor("text")  # reads the stored dictionaries, if another connection trained them
        return not self._trained

    def train(self, samples: list[tuple[bytes, bytes, bytes]]) -> None:
        """Inside a write transaction: train and store a dictionary for each field from
        ``samples``, the latest sources' raw (text, keys, layout). Tried once per connection:
        a field whose samples are too few or too small stays without one."""
        self._trained = True
        for position, field in enumerate(FIELDS):
            try:
                dictionary = zstandard.train_dictionary(DICTIONARY_BYTES[field],
                                                        [sample[position] for sample in samples if sample[position]],
                                                        k=COVER_K, d=COVER_D)
            except zstandard.ZstdError:
                continue
            self.db.execute("INSERT OR REPLACE INTO dictionaries VALUES (?, ?, ?)",
                            (dictionary.dict_id(), field, dictionary.as_bytes()))
        with self._lock:
            self._compressors = None  # read again, with the new ones

    # --- reading -------------------------------------------------------------------------

    def unpack(self, frame: bytes) -> bytes:
        """The data of a frame made by :meth:`pack` (of any connection, any dictionary)."""
        dict_id = zstandard.get_frame_parameters(frame).dict_id
        with self._lock:
            decompressor = self._decompressors.get(dict_id)
            if decompressor is None:
                decompressor = self._decompressors[dict_id] = self._decompressor(dict_id)
            return decompressor.decompress(frame)

    def _decompressor(self, dict_id: int) -> zstandard.ZstdDecompressor:
        if dict_id == 0:
            return zstandard.ZstdDecompressor()
        row = self.db.execute("SELECT data FROM dictionaries WHERE id = ?", (dict_id,)).fetchone()
        if row is None:
            raise ValueError(f"a stored source names zstd dictionary {dict_id}, which the index does not hold")
        return zstandard.ZstdDecompressor(dict_data=zstandard.ZstdCompressionDict(row[0]))


def _compressor(dictionary: zstandard.ZstdCompressionDict | None, field: str) -> zstandard.ZstdCompressor:
    # The size goes in the frame (decompression allocates once); no checksum: SQLite's pages
    # are what a torn write would damage, and it keeps them whole.
    strategy = {}
    if field == "keys":
        # Keys are 4-byte hashes: a repeated word is a match of 4 bytes, which level 3 (matches
        # of 5 bytes or more, found greedily) passes over; lazy matching of 4 bytes finds the words
        # the dictionary and the text itself hold. Measured on 1,000 generated sources: 915 bytes
        # a source instead of 1,230, for 28 us of packing instead of 15.
        strategy = {"strategy": zstandard.STRATEGY_LAZY, "min_match": 4, "search_log": 1}
    parameters = zstandard.ZstdCompressionParameters.from_level(
        LEVEL, write_checksum=False, write_content_size=True, write_dict_id=True, **strategy)
    return zstandard.ZstdCompressor(dict_data=dictionary, compression_params=parameters)
