"""Read inputs into documents: files, folders, globs and standard input.

Every input yields documents or :class:`ReadError` values, never an exception, so that one
bad file never stops a run. Readers are chosen by file name (``.gz`` is looked through);
a name with no known suffix is sniffed.
"""

from __future__ import annotations

import contextlib
import fnmatch
import glob
import gzip
import io
import itertools
import json
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple

from unspin.document import Document, ReadError
from unspin.decode import InputError, Limits, Opener, checked_text, decode_text, load_bytes, read_past_cap
from unspin.extract import ExtractionError, extract_html

STDIN = "-"


Reader = Callable[[str, Opener, Limits], Iterator["Document | ReadError"]]
READERS: dict[str, Reader] = {}


def reader(*kinds: str) -> Callable[[Reader], Reader]:
    """Register a reader for file kinds (suffixes without the dot and without ``.gz``)."""

    def register(function: Reader) -> Reader:
        for kind in kinds:
            READERS[kind] = function
        return function

    return register


class Input(NamedTuple):
    """A file to read, and the name it goes by (see :func:`expand_inputs`)."""

    path: str  # where it is, as the command line reaches it
    name: str  # its path from the folder holding the argument that found it, in ``/`` form


# Files that ship beside the documents of a collection but are not among them.
NOT_DOCUMENTS = frozenset({"README", "LICENSE", "LICENCE", "COPYING", "CHANGELOG", "CHANGES", "NOTICE", "AUTHORS"})


@dataclass
class Selection:
    """Which of the files under the folders and globs given are read.

    Files named on the command line are always read; under a folder or a glob, a file whose
    name (before any suffix, in any case) is one of :data:`NOT_DOCUMENTS` is skipped, and so
    is one that matches an ``exclude`` pattern: a glob matched against the file's name, its
    path from the folder given, and every shorter tail of that path (``drafts/*`` skips
    ``archive/drafts/a.txt``; a folder that matches is skipped whole). ``skipped`` collects
    the names of the files left out, for the summary.
    """

    exclude: tuple[str, ...] = ()
    skipped: list[str] = field(default_factory=list)

    def excludes(self, name: str, folder: bool = False) -> bool:
        parts = name.split("/")
        if not folder and parts[-1].split(".", 1)[0].upper() in NOT_DOCUMENTS:
            return True
        tails = ["/".join(parts[k:]) for k in range(len(parts))]
        return any(fnmatch.fnmatch(tail, pattern) for pattern in self.exclude for tail in tails)


def read_documents(paths: Iterable[str], limits: Limits = Limits(),
                   selection: Selection | None = None) -> Iterator[Document | ReadError]:
    """Every document in ``paths`` (files, folders, globs or ``-``), in order."""
    for path in paths:
        if path == STDIN:
            yield from _read_stdin(limits)
            continue
        for found in expand_inputs(path, selection):
            if isinstance(found, ReadError):
                yield found
            else:
                yield from read_file(found.path, limits, found.name)


def expand_inputs(path: str, selection: Selection | None = None) -> Iterator[Input | ReadError]:
    """The files under ``path``: itself, a folder's files (recursively, sorted) or a glob's
    matches, each with its name.

    A file's name is its path from the folder that holds the argument (the folder given, or
    the folder before a glob's first wildcard): ``../data/bbc`` gives ``bbc/business/001.txt``
    from any working folder, a file named directly its own name; ``.`` and a glob with no
    folder (``*.html``) give paths from the current folder. Files are read as they are
    reached; only their names are fixed this way, so the same file given the same way has
    the same name (and id) wherever the command runs.
    """
    selection = selection if selection is not None else Selection()
    if os.path.isdir(path):
        yield from _walk(path, _name_base(path), selection)
    elif os.path.lexists(path):
        yield Input(path, _name(path, _name_base(path)))
    elif glob.has_magic(path):
        matches = sorted(glob.glob(path, recursive=True))
        if not matches:
            yield ReadError(path, "no file matches this pattern")
        base = _name_base(_glob_root(path))
        for match in matches:
            name = _name(match, base)
            if selection.excludes(name, folder=os.path.isdir(match)):
                selection.skipped.append(name)
            elif os.path.isdir(match):
                yield from _walk(match, base, selection)
            else:
                yield Input(match, name)
    else:
        yield ReadError(path, "no such file or directory")


def expand_path(path: str, selection: Selection | None = None) -> Iterator[str | ReadError]:
    """The files under ``path`` (see :func:`expand_inputs`), by path alone."""
    for found in expand_inputs(path, selection):
        yield found if isinstance(found, ReadError) else found.path


def _name_base(root: str) -> str:
    """The folder that names under ``root`` are relative to: the one holding it, so that they
    begin with its own name; ``.``, ``..`` and ``/`` have none, and names start inside them."""
    normal = os.path.normpath(root)
    if os.path.basename(normal) in ("", ".", ".."):
        return normal
    return os.path.dirname(normal) or "."


def _glob_root(pattern: str) -> str:
    """The folder part of a glob before its first wildcard (``.`` when there is none)."""
    parts = pattern.split(os.sep)
    fixed = list(itertools.takewhile(lambda part: not glob.has_magic(part), parts[:-1]))
    return os.sep.join(fixed) or (os.sep if pattern.startswith(os.sep) else ".")


def _name(path: str, base: str) -> str:
    return os.path.relpath(path, base).replace(os.sep, "/")


def _walk(folder: str, base: str, selection: Selection) -> Iterator[Input | ReadError]:
    def complain(error: OSError) -> None:
        problems.append(ReadError(error.filename or folder, f"cannot list folder: {error.strerror}"))

    problems: list[ReadError] = []
    # followlinks=False: a symlink loop cannot send the walk round forever.
    for root, dirs, files in os.walk(folder, onerror=complain):
        kept = []
        for d in sorted(d for d in dirs if not d.startswith(".")):
            name = _name(os.path.join(root, d), base)
            if selection.excludes(name, folder=True):
                selection.skipped.append(name + "/")
            else:
                kept.append(d)
        dirs[:] = kept
        for file in sorted(files):
            if file.startswith("."):
                continue
            path = os.path.join(root, file)
            name = _name(path, base)
            if selection.excludes(name):
                selection.skipped.append(name)
            else:
                yield Input(path, name)
        yield from problems
        problems.clear()


def file_kind(name: str) -> str:
    """The reader kind of a file name: its last suffix, looking through ``.gz``."""
    lowered = name.lower()
    if lowered.endswith(".gz"):
        lowered = lowered[:-3]
    suffix = Path(lowered).suffix.lstrip(".")
    return suffix if suffix in READERS else ""


def read_file(path: str, limits: Limits = Limits(), name: str | None = None) -> Iterator[Document | ReadError]:
    """The documents in one file, known by ``name`` (default: its path)."""
    name = name or path
    if not os.path.isfile(path):
        yield ReadError(name, "not a regular file" if os.path.exists(path) else "broken link or missing file")
        return
    kind = file_kind(path)
    yield from _guarded(name, READERS.get(kind, _read_sniffed)(name, lambda: open(path, "rb"), limits))


def read_bytes(name: str, data: bytes, limits: Limits = Limits()) -> Iterator[Document | ReadError]:
    """The documents in an in-memory file (an upload, say), read as its name's kind says."""
    reader_ = READERS.get(file_kind(name), _read_sniffed)
    yield from _guarded(name, reader_(name, lambda: io.BytesIO(data), limits))


def _read_stdin(limits: Limits) -> Iterator[Document | ReadError]:
    # Not closed after: standard input belongs to the process.
    stdin = lambda: contextlib.nullcontext(sys.stdin.buffer)  # noqa: E731
    yield from _guarded("<stdin>", _read_sniffed("<stdin>", stdin, limits))  # type: ignore[arg-type]


def _guarded(name: str, documents: Iterator[Document | ReadError]) -> Iterator[Document | ReadError]:
    """Turn any failure inside a reader into a ReadError naming the input."""
    try:
        yield from documents
    except (InputError, ExtractionError) as error:
        yield ReadError(name, str(error))
    except OSError as error:
        yield ReadError(name, error.strerror or str(error))
    except Exception as error:  # a reader bug must not stop the run; say what happened
        yield ReadError(name, f"unreadable ({type(error).__name__}: {error})")


@reader("txt", "text", "md")
def read_text(name: str, opener: Opener, limits: Limits) -> Iterator[Document]:
    """A plain-text file: one document; its first line is its title when it reads as one."""
    text = checked_text(decode_text(load_bytes(name, opener, limits)), limits)
    yield Document(id=name, text=text, title=text_title(text), origin=name)


MAX_TITLE_CHARS = 200
_HEADING = re.compile(r"^#{1,6}\s+")  # a Markdown heading's marks
_BULLETS = frozenset("•◦‣∙·▪▫■□●○◆◇►▶▸-–—*+>|~=_/\\")  # what a list item or page furniture starts with
_INITIALISM = re.compile(r"\b(?:[A-Za-z]\.){2,}$")  # "U.S.", "a.m."
_CALENDAR = frozenset(
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august "
    "september october november december mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday "
    "thursday friday saturday sunday".split())


def text_title(text: str) -> str | None:
    """The first line of a plain text when it reads as a title, else None.

    A title is a short line of words standing on its own: mostly words (not a date, a time,
    page furniture or a list item), not a sentence that ends with a full stop, and followed by a
    blank line or by a longer line of body text that starts afresh (a line no longer than
    the next, or one that the next line continues, is the first line of a paragraph).
    """
    lines = text.strip().split("\n", 2)
    first = _HEADING.sub("", lines[0].strip())
    following = lines[1].strip() if len(lines) > 1 else ""
    if not first or len(first) > MAX_TITLE_CHARS or first[0] in _BULLETS:
        return None
    tokens = first.split()
    words = [t for t in (token.strip("\"'‘’“”()[],.:;!?") for token in tokens)
             if t and t.replace("-", "").replace("'", "").replace("’", "").isalpha() and t.lower() not in _CALENDAR]
    if len(words) < 2 or 2 * len(words) < len(tokens):
        return None
    if first.endswith(".") and not first.endswith("...") and not _INITIALISM.search(first):
        return None
    if following and not (len(first) < 0.75 * len(following) and (following[0].isupper() or following[0] in "\"'‘“")
                          and first[-1] not in ",;:-–—"):
        return None
    return first


@reader("html", "htm", "xhtml", "shtml")
def read_html(name: str, opener: Opener, limits: Limits) -> Iterator[Document]:
    """An HTML page: its main text and metadata."""
    html = decode_text(load_bytes(name, opener, limits))
    document = extract_html(html, fallback_id=name)
    document.text = checked_text(document.text, limits)
    yield document


@reader("jsonl", "ndjson")
def read_jsonl(name: str, opener: Opener, limits: Limits) -> Iterator[Document | ReadError]:
    """JSON lines with fields ``id``, ``url``, ``title``, ``date`` and ``text`` or ``html``.

    Read record by record, so a feed of any size takes the memory of one record; the byte cap
    applies to each record (a line), not to the file."""
    with opener() as stream:
        yield from _jsonl_records(name, _unzipped(stream), limits)


def _jsonl_records(name: str, stream: BinaryIO, limits: Limits) -> Iterator[Document | ReadError]:
    for number, line in enumerate(_lines(stream, limits), start=1):
        if line is None:
            yield ReadError(f"{name}:{number}", f"record larger than the {limits.max_bytes:,}-byte limit")
        elif line.strip():
            yield _jsonl_record(name, number, line, limits)


def _lines(stream: BinaryIO, limits: Limits) -> Iterator[bytes | None]:
    """The lines of a stream, each read whole only if it is within the byte cap (else None,
    its bytes skipped a block at a time): memory stays that of one record."""
    try:
        while line := stream.readline(limits.max_bytes + 1):
            if len(line) > limits.max_bytes and not line.endswith(b"\n"):
                while (rest := stream.readline(_SKIP_BLOCK)) and not rest.endswith(b"\n"):
                    pass
                yield None
            else:
                yield line
    except EOFError as error:
        raise InputError("truncated gzip data") from error
    except (gzip.BadGzipFile, zlib.error) as error:
        raise InputError(f"corrupt gzip data ({error})") from error


_SKIP_BLOCK = 1 << 20


def _unzipped(stream: BinaryIO) -> BinaryIO:
    """The stream itself, or a reader of its decompressed bytes if it is gzipped."""
    head = stream.peek(2)[:2] if hasattr(stream, "peek") else _peek(stream)
    return gzip.GzipFile(fileobj=stream) if head == b"\x1f\x8b" else stream  # type: ignore[return-value]


def _peek(stream: BinaryIO) -> bytes:
    head = stream.read(2)
    stream.seek(0)
    return head


def _jsonl_record(name: str, number: int, line: bytes, limits: Limits) -> Document | ReadError:
    # A record that cannot be read is named by where it is, FILE:LINE (as a WARC record is
    # by FILE@OFFSET), with its own id, if it has one, in the message.
    where = f"{name}:{number}"
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        return ReadError(where, f"not valid JSON ({error})")
    if not isinstance(record, dict):
        return ReadError(where, "not a JSON object")
    doc_id = str(record.get("id") or record.get("url") or where)
    named = f" (record {doc_id})" if doc_id != where else ""
    try:
        if isinstance(record.get("text"), str):
            document = Document(id=doc_id, text=record["text"], origin=where)
        elif isinstance(record.get("html"), str):
            document = extract_html(record["html"], fallback_id=doc_id, url=record.get("url"))
            document.id, document.origin = doc_id, where
        else:
            return ReadError(where, f"neither a 'text' nor an 'html' string{named}")
        document.text = checked_text(document.text, limits)
    except (InputError, ExtractionError) as error:
        return ReadError(where, f"{error}{named}")
    for field in ("url", "title", "date", "author", "site"):
        if isinstance(record.get(field), str):
            setattr(document, field, record[field])
    return document


def _read_sniffed(name: str, opener: Opener, limits: Limits) -> Iterator[Document | ReadError]:
    """An input of unknown kind: HTML, JSON lines or plain text, by its first bytes. JSON lines
    past the byte cap (a feed piped in, say) are read on record by record; anything else must
    fit under the cap."""
    with opener() as stream:
        unzipped = _unzipped(stream)
        data = read_past_cap(unzipped, limits)
        if len(data) > limits.max_bytes:
            if _starts_json_lines(data):
                yield from _jsonl_records(name, io.BufferedReader(_Rejoined(data, unzipped)), limits)
                return
            compressed = unzipped is not stream
            raise InputError(f"decompresses to more than the {limits.max_bytes:,}-byte limit" if compressed
                             else f"larger than the {limits.max_bytes:,}-byte limit")
    kind = sniff(data)
    yield from READERS[kind](name, lambda: io.BytesIO(data), limits)


def _starts_json_lines(data: bytes) -> bool:
    first = data.lstrip().split(b"\n", 1)[0].strip()
    return first.startswith(b"{") and first.endswith(b"}")


class _Rejoined(io.RawIOBase):
    """Bytes already read from a stream, then the rest of the stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self.head, self.rest = io.BytesIO(head), rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        data = self.head.read(len(buffer)) or self.rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def sniff(data: bytes) -> str:
    """Guess the kind of an input from its first bytes."""
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head or b"<p>" in head:
        return "html"
    if head.startswith(b"{") and data.strip().endswith(b"}"):
        return "jsonl"
    return "txt"


@reader("warc", "arc")
def read_warc(name: str, opener: Opener, limits: Limits) -> Iterator[Document | ReadError]:
    """Every HTML page in a WARC or ARC file: :func:`unspin.warc.read_warc`, imported when
    an archive is read (warcio is slow to import, and most inputs are not archives)."""
    from unspin import warc

    yield from warc.read_warc(name, opener, limits)
