"""The semantic view's side of the index, and the checker that uses it.

Sentence spans and vectors of every source live in the same SQLite file as the sources
(table ``semantic_sentences``, float16 blobs), so they are committed, copied and backed up
with it; a document vector (the mean of its sentences, stored beside them) per source goes
into an in-memory vector index (usearch, cosine) built from those blobs on first use and kept up to date with
this process's writes and, through SQLite's ``data_version``, other processes' writes.

:meth:`SemanticStore.sync` embeds the sources that have no vectors yet (or vectors of
another model) and drops the vectors of removed sources; ``unspin index add --semantic``
calls it after adding, and the checker before its first check, so an interrupted run is
completed by the next one.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

import numpy as np

from unspin.semantic import embed
from unspin.semantic import view as semantic
from unspin.check import CANDIDATES, Checker, Match, Result
from unspin.document import Document
from unspin.fingerprint import fingerprint
from unspin.index import Index
from unspin.judge import Verdict
from unspin.tokenize import Tokens, tokenize

VECTOR_CANDIDATES = 5  # sources proposed by the vector index per suspect
LEXICAL_CANDIDATES = 5  # of the lexical candidates, the best few are also aligned by meaning
SYNC_BATCH = 256  # sources embedded per transaction

_SCHEMA = """
CREATE TABLE IF NOT EXISTS semantic_sentences (
    number  INTEGER PRIMARY KEY,   -- the source's number in table sources
    model   TEXT NOT NULL,         -- the embedder that made the vectors
    spans   BLOB NOT NULL,         -- int64 (start, end) character offsets per sentence
    vectors BLOB NOT NULL,         -- float16 unit vectors, one row per sentence
    document BLOB                  -- float32 unit mean of those: what the vector index holds
);
"""
_WHOLE = (Verdict.COPY, Verdict.SPUN, Verdict.PARAPHRASE)


class SemanticStore:
    """Sentence vectors of an index's sources, and a vector index of their documents."""

    def __init__(self, index: Index, model: embed.Embedder) -> None:
        self.index = index
        self.model = model
        with index.db:
            index.db.executescript(_SCHEMA)
        self._vectors = None  # usearch index over document vectors
        self._version: int | None = None

    # --- writing -----------------------------------------------------------------------

    def missing(self) -> int:
        """Sources without vectors of this model."""
        return self.index.db.execute(
            "SELECT count(*) FROM sources s LEFT JOIN semantic_sentences v ON v.number = s.number"
            " WHERE v.number IS NULL OR v.model != ?", (self.model.name,)
        ).fetchone()[0]

    def sync(self, progress: Callable[[int], None] | None = None) -> int:
        """Embed every source lacking vectors; drop the vectors of removed sources. Returns how many were embedded."""
        db = self.index.db
        with db:
            db.execute("DELETE FROM semantic_sentences WHERE number NOT IN (SELECT number FROM sources)")
        done = 0
        while True:
            rows = [(number, self.index.stored_text(text, packing)) for number, text, packing in db.execute(
                "SELECT s.number, s.text, s.packing FROM sources s LEFT JOIN semantic_sentences v ON v.number = s.number"
                " WHERE v.number IS NULL OR v.model != ? ORDER BY s.number LIMIT ?", (self.model.name, SYNC_BATCH)
            )]
            if not rows:
                return done
            spans = [semantic.sentence_spans(text) for _, text in rows]
            flat = [text[s:e] for (_, text), doc_spans in zip(rows, spans) for s, e in doc_spans]
            vectors = self.model.encode(flat).astype(np.float16)
            with db:
                offset = 0
                for (number, _), doc_spans in zip(rows, spans):
                    block = vectors[offset: offset + len(doc_spans)]
                    offset += len(doc_spans)
                    mean = document_vector(block.astype(np.float32)) if len(block) else None
                    db.execute(
                        "INSERT OR REPLACE INTO semantic_sentences VALUES (?, ?, ?, ?, ?)",
                        (number, self.model.name, np.asarray(doc_spans, dtype="<i8").tobytes(), block.tobytes(),
                         None if mean is None else mean.astype("<f4").tobytes()),
                    )
            done += len(rows)
            if progress:
                progress(len(rows))
            self._version = None  # reload the vector index on next use

    # --- reading -----------------------------------------------------------------------

    def sentences(self, number: int) -> tuple[list[tuple[int, int]], np.ndarray] | None:
        row = self.index.db.execute(
            "SELECT spans, vectors FROM semantic_sentences WHERE number = ? AND model = ?", (number, self.model.name)
        ).fetchone()
        if row is None:
            return None
        spans = np.frombuffer(row[0], dtype="<i8").reshape(-1, 2)
        vectors = np.frombuffer(row[1], dtype=np.float16).reshape(-1, self.model.dimensions).astype(np.float32)
        return [(int(s), int(e)) for s, e in spans], vectors

    def nearest(self, vector: np.ndarray, limit: int = VECTOR_CANDIDATES) -> list[tuple[int, float]]:
        """Source numbers whose document vector is closest to ``vector``, with the cosine similarity."""
        index = self._load()
        if index is None or len(index) == 0:
            return []
        found = index.search(vector.astype(np.float32), min(limit, len(index)))
        return [(int(key), 1.0 - float(distance)) for key, distance in zip(found.keys, found.distances)]

    def _load(self):
        version = self.index.db.execute("PRAGMA data_version").fetchone()[0]
        if self._vectors is not None and self._version == version:
            return self._vectors
        from usearch.index import Index as VectorIndex

        keys, vectors = [], []
        for number, blob in self.index.db.execute(
            "SELECT v.number, v.document FROM semantic_sentences v JOIN sources s ON s.number = v.number"
            " WHERE v.model = ? AND v.document IS NOT NULL", (self.model.name,)
        ):
            keys.append(number)
            vectors.append(np.frombuffer(blob, dtype="<f4"))
        index = VectorIndex(ndim=self.model.dimensions, metric="cos", dtype="f32")
        if keys:
            index.add(np.asarray(keys, dtype=np.uint64), np.vstack(vectors))
        self._vectors, self._version = index, version
        return index


def document_vector(vectors: np.ndarray) -> np.ndarray:
    """A document's vector: the normalised mean of its sentences' vectors."""
    mean = vectors.mean(axis=0)
    return mean / max(float(np.linalg.norm(mean)), 1e-9)


class SemanticChecker(Checker):
    """The lexical checker, then the semantic view when the lexical side finds no whole copy.

    The lexical path runs first and unchanged; its verdict stands when it is ``copy``,
    ``spun`` or ``paraphrase``. Otherwise the suspect's sentences are aligned by meaning
    with the best lexical candidates and with the vector index's nearest sources, and a
    semantic ``paraphrase`` (or ``partial``) that passes the gate is added to the matches.
    """

    def __init__(self, index: Index, candidates: int = CANDIDATES, cache_size: int = 512,
                 model: embed.Embedder | None = None) -> None:
        super().__init__(index, candidates=candidates, cache_size=cache_size)
        self.model = model or embed.embedder()
        self.thresholds = semantic.thresholds(self.model.name)
        self.store = SemanticStore(index, self.model)
        self._synced_version: int | None = None
        self._sentences: OrderedDict[int, semantic.Sentences] = OrderedDict()

    def sync(self, progress: Callable[[int], None] | None = None) -> int:
        return self.store.sync(progress)

    def check_many(self, suspects: list[Document]) -> list[Result]:
        # The lexical path, unchanged; then the semantic one where it found no whole copy.
        return [self._with_semantic(result) for result in super().check_many(suspects)]

    def _with_semantic(self, result: Result) -> Result:
        # A translated suspect's text is not English: the English sentence model cannot read it.
        if result.translation is not None or any(m.verdict in _WHOLE for m in result.matches):
            return result
        suspect = result.suspect
        words = tokenize(suspect.text)
        lexical = [c.number for c in self.index.candidates(fingerprint(words), LEXICAL_CANDIDATES)]
        matches = self._semantic(suspect, words, lexical, result.matches)
        matches.sort(key=lambda m: (-m.judgement.score, -m.judgement.coverage, m.source.id))
        matched = {m.source.id for m in matches}
        shared_quotes = [m for m in result.shared_quotes if m.source.id not in matched]
        return Result(suspect, matches[0].verdict if matches else Verdict.ORIGINAL, matches, len(words), shared_quotes,
                      result.intrinsic, result.language)

    def _semantic(self, suspect: Document, words: Tokens, lexical: list[int], matches: list[Match]) -> list[Match]:
        self._ensure_synced()
        sentences = semantic.embed_text(suspect.text, self.model, words)
        if not len(sentences):
            return matches
        numbers = list(dict.fromkeys(lexical + [n for n, _ in self.store.nearest(document_vector(sentences.vectors))]))
        by_source = {m.source.id: m for m in matches}
        for number in numbers:
            source = self._source(number)
            described = self._source_sentences(number, source)
            if source is None or described is None:
                continue
            document, tokens = source
            passages = semantic.align_sentences(suspect.text, words, sentences, document.text, tokens, described,
                                                self.thresholds["pair"])
            judgement = semantic.judge_semantic(words, sentences, tokens, described, passages, self.thresholds["mean"])
            if judgement.verdict is Verdict.ORIGINAL:
                continue
            previous = by_source.get(document.id)
            # A semantic paraphrase replaces a lexical partial match of the same source; a
            # semantic partial adds nothing to a lexical one.
            if previous is not None and not (judgement.verdict is Verdict.PARAPHRASE):
                continue
            by_source[document.id] = Match(document, judgement)
        return list(by_source.values())

    def _ensure_synced(self) -> None:
        version = self.index.db.execute("PRAGMA data_version").fetchone()[0]
        if self._synced_version != version:
            if self.store.missing():
                self.store.sync()
            self._synced_version = self.index.db.execute("PRAGMA data_version").fetchone()[0]

    def _source_sentences(self, number: int, source: tuple[Document, Tokens] | None) -> semantic.Sentences | None:
        if source is None:
            return None
        if number in self._sentences:
            self._sentences.move_to_end(number)
            return self._sentences[number]
        stored = self.store.sentences(number)
        if stored is None:
            return None
        document, tokens = source
        described = semantic.describe(document.text, tokens, *stored)
        self._sentences[number] = described
        if len(self._sentences) > self._cache_size:
            self._sentences.popitem(last=False)
        return described


def prune(index: Index) -> None:
    """Drop the vectors of removed sources (a no-op on an index without the semantic view)."""
    if index.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'semantic_sentences'").fetchone():
        with index.db:
            index.db.execute("DELETE FROM semantic_sentences WHERE number NOT IN (SELECT number FROM sources)")


def semantic_setting(index: Index) -> str | None:
    """The backend recorded in the index by ``index add --semantic``, if any."""
    row = index.db.execute("SELECT value FROM meta WHERE key = 'semantic'").fetchone()
    return row[0] if row and row[0] not in ("", "off", "0") else None


def record_setting(index: Index, value: str) -> None:
    with index.db:
        index.db.execute("INSERT OR REPLACE INTO meta VALUES ('semantic', ?)", (value,))
