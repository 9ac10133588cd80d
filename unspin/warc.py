"""WARC and ARC input: the HTML pages of a web crawl, one document per response record.

A record becomes a document when it is a ``response`` (or ``resource``) with a successful
HTTP status and an HTML payload; its id is its ``WARC-Target-URI`` (an ARC record's URL),
whatever canonical link the page declares. Other records (requests, metadata, images,
redirects, revisits) are passed over silently: they are not articles.

Crawls are big and often damaged: a truncated download, a gzip member cut short, a record
whose ``Content-Length`` lies, a broken chunked encoding. Each problem yields one
:class:`ReadError` that names the file, the record's byte offset and its URI; the reader
then resynchronises on the next record (the next gzip member, or the next ``WARC/`` header
of an uncompressed file) so that every record that can be read still is.

warcio parses the records; it handles WARC 0.17 to 1.1, ARC (read as WARC), per-record
gzip, chunked transfer encoding and gzip/deflate/brotli content encoding.
"""

from __future__ import annotations

import io
import logging
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import BinaryIO

import warcio.archiveiterator
import warcio.bufferedreaders
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from unspin.document import Document, ReadError
from unspin.extract import ExtractionError, extract_html
from unspin.decode import InputError, Limits, Opener, checked_text, decode_text

_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/"
_SCAN_BLOCK = 1 << 20
_HTML_TYPES = ("text/html", "application/xhtml", "text/xhtml")
_PAGE_RECORDS = ("response", "resource")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
# Pages that declare these almost always use the superset (as browsers assume).
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "iso-8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252"}


def read_warc(name: str, opener: Opener, limits: Limits) -> Iterator[Document | ReadError]:
    """Every HTML page in a WARC or ARC file (gzipped per record, or not), in file order."""
    with opener() as stream:
        yield from read_archive(name, stream, limits)


def read_archive(name: str, stream: BinaryIO, limits: Limits = Limits()) -> Iterator[Document | ReadError]:
    """The HTML pages of an open archive stream, extracted; damage yields errors, not exceptions."""
    for page in read_pages(name, stream, limits):
        item = page if isinstance(page, ReadError) else page_document(page, limits)
        if item is not None:
            yield item


def iter_pages(path: str, limits: Limits = Limits(), name: str | None = None) -> Iterator[RawPage | ReadError]:
    """The raw HTML pages of an archive file, unextracted: for callers that extract elsewhere.
    The file is known by ``name`` (default: its path)."""
    try:
        with open(path, "rb") as stream:
            yield from read_pages(name or path, stream, limits)
    except OSError as error:
        yield ReadError(name or path, error.strerror or str(error))


def read_pages(name: str, stream: BinaryIO, limits: Limits = Limits()) -> Iterator[RawPage | ReadError]:
    """The raw HTML pages of an open archive stream; damage yields errors, not exceptions."""
    seekable = _seekable(stream)
    gzipped = _starts_with_gzip(stream) if seekable else False
    position: int | None = stream.tell() if seekable else 0
    reported: set[str] = set()
    resumed = False
    while position is not None:
        pages = _read_from(name, stream, position, limits, seekable, gzipped, resumed)
        position = yield from _once(pages, reported)
        resumed = True


def _once(pages: Iterator[RawPage | ReadError], reported: set[str]) -> Iterator[RawPage | ReadError]:
    """``pages``, less the errors already reported: resynchronising from a damaged record
    can meet the same damage again, and each damaged record is named once."""
    while True:
        try:
            page = next(pages)
        except StopIteration as stop:
            return stop.value
        if isinstance(page, ReadError):
            if page.id in reported:
                continue
            reported.add(page.id)
        yield page


def _read_from(
    name: str, stream: BinaryIO, start: int, limits: Limits, seekable: bool, gzipped: bool, resumed: bool = False
) -> Iterator[RawPage | ReadError]:
    """Read records from ``start``; return where to resume after damage, or None at the end.

    ``resumed``: ``start`` is where reading resynchronised after damage, perhaps inside the
    damaged record's remains, so a record that cannot be read there is not named again."""
    if seekable:
        stream.seek(start)
    records = ArchiveIterator(stream, arc2warc=True)
    # Start of the previous record when it was damaged (its end is unknown), or of the remains.
    previous: int | None = start if resumed else None
    while True:
        offset = max(start, records.offset)  # where the next record starts
        _WARNINGS.clear()
        try:
            record = next(records)
        except StopIteration:
            if seekable and offset < _size(stream):  # the file ends inside a record's header
                yield ReadError(f"{name}@{offset}", f"incomplete record at byte {offset}: the file ends inside it")
            return None
        except Exception as error:  # a header that is not WARC/ARC, a corrupt gzip member
            if previous is None:  # else it is the damaged record's remains, already named
                yield ReadError(f"{name}@{offset}", f"unreadable record at byte {offset}: {_reason(error)}")
            return _resync(stream, previous if previous is not None else offset, gzipped) if seekable else None
        offset = max(start, records.offset)
        _WARNINGS.clear()
        bad_lengths = records.err_count
        item = _page(name, offset, record, limits)
        try:
            records.read_to_end()
        except Exception as error:
            yield ReadError(f"{name}@{offset}", f"record at byte {offset} ({_uri(record) or 'no target URI'}): {_reason(error)}")
            return _resync(stream, offset, gzipped) if seekable else None
        if _WARNINGS.lines and not isinstance(item, ReadError):
            problem = ("does not end where its Content-Length says" if records.err_count > bad_lengths
                       else "corrupt compressed data")
            item = ReadError(f"{name}@{offset}", f"record at byte {offset} ({_uri(record) or 'no target URI'}): {problem}")
        previous = offset if isinstance(item, ReadError) else None
        if isinstance(item, RawPage) and records.member_info:
            item = replace(item, end=sum(records.member_info))
        if item is not None:
            yield item


@dataclass(frozen=True)
class RawPage:
    """An HTML payload read from an archive, before extraction (cheap to read, cheap to ship)."""

    uri: str | None
    origin: str  # "<file>@<byte offset>"
    body: bytes
    charset: str | None  # from the HTTP Content-Type
    warc_date: str | None
    end: int  # byte offset in the file where the record ends (for progress)


def page_document(page: RawPage, limits: Limits = Limits()) -> Document | None:
    """The extracted document of a page, or None when the page holds no text."""
    try:
        document = extract_html(_decode(page.body, page.charset), fallback_id=page.uri or page.origin, url=page.uri)
        document.text = checked_text(document.text, limits)
    except (InputError, ExtractionError):
        return None  # a page with no text (a frame set, a script shell) is not an article
    if page.uri:
        document.id = page.uri
        document.url = page.uri
    document.origin = page.origin
    if not document.date and page.warc_date:
        document.date = page.warc_date[:10]
    return document


def _page(name: str, offset: int, record: ArcWarcRecord, limits: Limits) -> RawPage | ReadError | None:
    """The HTML payload of one record, an error naming it, or None for a record that is not a page."""
    where = f"{name}@{offset}"
    uri = _uri(record)
    if record.rec_type not in _PAGE_RECORDS or not _is_html(record):
        return None
    if record.http_headers is not None and record.rec_type == "response":
        status = record.http_headers.get_statuscode()
        if not (status and status.startswith("2")):
            return None
    try:
        body = record.content_stream().read(limits.max_bytes + 1)
        while record.raw_stream.read(_SCAN_BLOCK):  # whatever the content decoder left
            pass
    except Exception as error:
        return ReadError(where, f"record at byte {offset} ({uri or 'no target URI'}): unreadable payload: {_reason(error)}")
    missing = getattr(record.raw_stream, "limit", 0)
    if missing > 0:
        return ReadError(where, f"record at byte {offset} ({uri or 'no target URI'}): truncated, {missing:,} of {record.length:,} bytes missing")
    if len(body) > limits.max_bytes:
        return ReadError(where, f"record at byte {offset} ({uri or 'no target URI'}): payload larger than the {limits.max_bytes:,}-byte limit")
    if not body.strip():
        return None
    return RawPage(uri, where, body, _charset(record), record.rec_headers.get_header("WARC-Date"), offset)


def _is_html(record: ArcWarcRecord) -> bool:
    if record.http_headers is not None:
        content_type = record.http_headers.get_header("Content-Type")
    else:
        content_type = record.rec_headers.get_header("Content-Type")
    if not content_type:
        return record.rec_type == "response"  # sniffed by extraction
    return content_type.split(";", 1)[0].strip().lower().startswith(_HTML_TYPES)


def _decode(body: bytes, declared: str | None) -> str:
    """Strict UTF-8 first (it rarely decodes anything else), then the declared charsets."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    match = _META_CHARSET.search(body[:4096])
    for charset in (declared, match.group(1).decode("ascii") if match else None):
        if charset:
            try:
                return body.decode(_CHARSET_ALIASES.get(charset.lower(), charset))
            except (LookupError, UnicodeDecodeError):
                pass
    return decode_text(body)


def _charset(record: ArcWarcRecord) -> str | None:
    headers = record.http_headers
    content_type = (headers.get_header("Content-Type") if headers is not None else None) or ""
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _uri(record: ArcWarcRecord) -> str | None:
    """The record's target URI; None when it has none or it is not printable (a damaged header)."""
    uri = record.rec_headers.get_header("WARC-Target-URI") if record.rec_headers is not None else None
    if not uri or len(uri) > 4096 or not uri.isprintable():
        return None
    return uri


def _reason(error: BaseException) -> str:
    text = " ".join(str(error).split())
    if not text.isascii() or not text.isprintable():  # warcio quotes the bytes it could not parse
        text = text.split(":", 1)[0] if ":" in text else ""
    return f"{type(error).__name__}: {text[:200]}" if text else type(error).__name__


def _resync(stream: BinaryIO, offset: int, gzipped: bool) -> int | None:
    """The offset of the next record start after ``offset``, or None when there is none."""
    magic = _GZIP_MAGIC if gzipped else _WARC_MAGIC
    position = offset + 1
    stream.seek(position)
    tail = b""
    while True:
        block = stream.read(_SCAN_BLOCK)
        if not block:
            return None
        data = tail + block
        found = data.find(magic)
        while found >= 0:
            candidate = position - len(tail) + found
            if gzipped or candidate == 0 or _line_start(stream, candidate):
                return candidate
            found = data.find(magic, found + 1)
        tail = data[-(len(magic) - 1) :]
        position += len(block)
        stream.seek(position)


def _line_start(stream: BinaryIO, position: int) -> bool:
    here = stream.tell()
    stream.seek(position - 1)
    before = stream.read(1)
    stream.seek(here)
    return before == b"\n"


def _size(stream: BinaryIO) -> int:
    here = stream.tell()
    size = stream.seek(0, io.SEEK_END)
    stream.seek(here)
    return size


def _seekable(stream: BinaryIO) -> bool:
    try:
        return stream.seekable() and stream.tell() >= 0
    except (AttributeError, OSError, ValueError):
        return False


def _starts_with_gzip(stream: BinaryIO) -> bool:
    here = stream.tell()
    head = stream.read(2)
    stream.seek(here)
    return head == b"\x1f\x8b"


class _Warnings(threading.local):
    """What warcio writes to standard error, kept apart for each thread.

    warcio reports a record whose Content-Length is wrong, and a gzip member that breaks off
    mid-record, only by writing to ``sys.stderr``. Swapping the process's ``sys.stderr``
    to catch it also caught whatever other threads wrote meanwhile (a progress bar, error
    lines), which then turned good records into damaged ones and lost error lines; so
    warcio's modules get a ``sys`` of their own whose ``stderr`` is this, per thread."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> int:
        self.lines.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def clear(self) -> None:
        self.lines.clear()


class _WarcioSys:
    """The ``sys`` module as warcio sees it: the real one, but for ``stderr``."""

    def __init__(self, stderr: _Warnings) -> None:
        self.stderr = stderr

    def __getattr__(self, name: str) -> object:
        return getattr(sys, name)


_WARNINGS = _Warnings()
# warcio logs what it repairs in a damaged header (with the header's bytes) and would print
# it unformatted; the damage itself is reported as a ReadError.
logging.getLogger("warcio").addHandler(logging.NullHandler())
warcio.archiveiterator.sys = warcio.bufferedreaders.sys = _WarcioSys(_WARNINGS)  # type: ignore[attr-defined]
