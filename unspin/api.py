"""The public Python API: the functions that ``import unspin`` offers (see docs/api.md).

Each one is a thin shell over the pipeline's own functions, the ones the CLI calls, so a
program gets the verdicts, passages and JSON that ``unspin check`` gives. What is named here
stays stable from one release to the next; the modules behind it may change.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from unspin.check import CANDIDATES, Checker, Result, compare_documents
from unspin.document import Document, ReadError
from unspin.index import Index as _Store
from unspin.read import Limits, Selection, read_documents
from unspin.spinner.spin import SpinResult

Paths = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


class Index:
    """The sources that suspects are checked against, kept in one SQLite file (its postings
    in a folder beside it, ``PATH-postings``); ``":memory:"`` keeps them for this process only.

    An index is a context manager: ``with unspin.Index("news.db") as index: ...`` closes it.
    """

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True) -> None:
        """Open the index at ``path``, creating it unless ``create`` is false (then a missing
        index raises :class:`FileNotFoundError`)."""
        self._store = _Store(path, create=create)

    @property
    def path(self) -> str:
        return self._store.path

    def add(self, documents: Iterable[Document | ReadError], batch_size: int = 256) -> dict[str, int]:
        """Add sources (or update them), committing every ``batch_size``; how many were
        ``added``, ``updated`` (a known id with a new text), ``unchanged`` (the same text again)
        and ``errors`` (inputs :func:`read` could not read, skipped), as ``unspin index add`` counts them."""
        counts: Counter[str] = Counter({"added": 0, "updated": 0, "unchanged": 0, "errors": 0})

        def readable() -> Iterator[Document]:
            for item in _documents(documents, "Index.add"):
                if isinstance(item, ReadError):
                    counts["errors"] += 1
                else:
                    yield item

        for _, outcome in self._store.add(readable(), batch_size=batch_size):
            counts[outcome.value] += 1
        return dict(counts)

    def remove(self, ids: str | Iterable[str]) -> list[str]:
        """Remove sources by id (one id or several); the ids that were found and removed."""
        from unspin.semantic.store import prune

        removed = self._store.remove([ids] if isinstance(ids, str) else list(ids))
        prune(self._store)  # their sentence vectors too, as 'unspin index remove' does
        return removed

    def get(self, id: str) -> Document | None:
        """The source with this id, or None."""
        return self._store.get(id)

    def list(self, limit: int | None = None, offset: int = 0, search: str | None = None) -> list[dict[str, Any]]:
        """Sources' metadata (id, title, url, date, site, words, added), oldest first, as
        ``unspin index list --json`` prints them; ``search`` keeps those whose id, title or
        URL contains it."""
        return self._store.list(limit=limit, offset=offset, search=search)

    def stats(self) -> dict[str, Any]:
        """Counts and sizes, as ``unspin index stats --json`` prints them."""
        return self._store.stats()

    def __len__(self) -> int:
        return len(self._store)

    def __contains__(self, id: object) -> bool:
        return isinstance(id, str) and self._store.get(id) is not None

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Index({self.path!r})"


def read(paths: Paths, *, exclude: Iterable[str] = (), max_bytes: int = Limits.max_bytes) -> Iterator[Document | ReadError]:
    """Every document in ``paths`` (a path or several: files, folders, globs, ``-`` for
    standard input; .txt, .html, .jsonl, .warc, gzipped or not), in order, as ``unspin check``
    reads them. An input that cannot be read comes as a :class:`ReadError`, and the rest
    are read all the same. ``exclude`` holds glob patterns of files to skip under folders."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return read_documents([os.fspath(path) for path in paths], Limits(max_bytes=max_bytes), Selection(tuple(exclude)))


def extract(html: str | bytes, url: str | None = None, id: str = "<html>") -> Document:
    """The main text and metadata of an HTML page. Its id is the page's canonical URL, else
    ``url``, else ``id``. Raises :class:`ExtractionError` (a ValueError) when the page holds no text."""
    from unspin.extract import extract_html

    return extract_html(html, id, url)


def check(index: Index, documents: Iterable[Document | ReadError], *, candidates: int = CANDIDATES) -> Iterator[Result | ReadError]:
    """Check suspects against ``index``: one :class:`Result` per document, in order, with its
    verdict and its matches (best first); a :class:`ReadError` among the documents comes back
    as it is. ``candidates``: sources retrieved and aligned per suspect (``unspin check --candidates``)."""
    if not isinstance(index, Index):
        raise TypeError(f"check takes an unspin.Index, not {type(index).__name__}")
    if isinstance(documents, Document):
        raise TypeError("check takes an iterable of documents: put one document in a list")
    if candidates < 1:
        raise ValueError(f"candidates must be at least 1, not {candidates}")
    return Checker(index._store, candidates=candidates).check_all(_documents(documents, "check"))


def compare(suspect: Document | str, source: Document | str) -> Result:
    """Judge one suspect against one source, without an index, as ``unspin compare`` does: a
    :class:`Result` whose one match is that source's, whatever its verdict. A plain string
    is taken as a document's text (its id ``suspect`` or ``source``)."""
    return compare_documents(_document(suspect, "suspect"), _document(source, "source"))


def spin(text: str, rate: float = 0.3, seed: int | None = None, *, thesaurus: str = "moby",
         phrases: bool = True, reorder: float = 0.0, drop: float = 0.0) -> SpinResult:
    """Spin ``text`` as content farms do, as ``unspin spin`` does: swap about ``rate`` of its
    words for synonyms (keeping case, inflection, numbers and names), rewrite stock phrases
    (unless ``phrases`` is false), swap adjacent sentences with probability ``reorder`` and drop
    each with probability ``drop``. ``thesaurus``: moby, wordnet, aiksaurus, mythes or a file's
    path. The same ``seed`` gives the same text."""
    from unspin.spinner.spin import spin as spin_text
    from unspin.thesaurus import load_thesaurus

    for name, value in (("rate", rate), ("reorder", reorder), ("drop", drop)):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1, not {value}")
    return spin_text(text, rate, load_thesaurus(thesaurus), seed=seed, phrases=phrases, reorder=reorder, drop=drop)


def _document(item: Document | str, role: str) -> Document:
    if isinstance(item, Document):
        return item
    if isinstance(item, str):
        return Document(role, item)
    raise TypeError(f"the {role} must be a Document or a str, not {type(item).__name__}")


def _documents(items: Iterable[Document | ReadError], caller: str) -> Iterator[Document | ReadError]:
    """The items, each checked to be a Document or a ReadError as it comes (a clear error
    rather than one from deep in the pipeline)."""
    if isinstance(items, (str, bytes)):  # at once, not at the first item
        raise TypeError(f"{caller} takes documents, not a {type(items).__name__}: Document(id, text), or unspin.read(path)")
    return _checked(items, caller)


def _checked(items: Iterable[Document | ReadError], caller: str) -> Iterator[Document | ReadError]:
    for number, item in enumerate(items):
        if not isinstance(item, (Document, ReadError)):
            raise TypeError(f"{caller}: item {number} is a {type(item).__name__}, not a Document")
        yield item
