"""Bytes into text, within limits: gzip looked through, the encoding guessed, binary refused.

Every reader (:mod:`unspin.read`, :mod:`unspin.warc`) turns its input's bytes into text here,
so that a gzip bomb, a binary file or a text in a legacy encoding is met the same way
everywhere; each problem is an :class:`InputError` whose message names it.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO


@dataclass(frozen=True)
class Limits:
    """Caps that keep memory bounded whatever the input."""

    max_bytes: int = 64 * 1024 * 1024  # bytes read (after decompression) per file or record
    max_chars: int = 2_000_000  # characters of text kept per document


class InputError(ValueError):
    """An input that cannot be turned into a document; the message names the problem."""


Opener = Callable[[], BinaryIO]


def load_bytes(name: str, opener: Opener, limits: Limits) -> bytes:
    """The bytes of a file, gunzipped when compressed, refusing more than the limit."""
    with opener() as stream:
        head = stream.read(2)
        stream.seek(0) if stream.seekable() else None
        if head == b"\x1f\x8b":
            return _gunzip(stream, limits)
        data = stream.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise InputError(f"larger than the {limits.max_bytes:,}-byte limit")
    return data


def _gunzip(stream: BinaryIO, limits: Limits) -> bytes:
    with gzip.GzipFile(fileobj=stream) as unzipped:
        data = read_past_cap(unzipped, limits)
    if len(data) > limits.max_bytes:
        raise InputError(f"decompresses to more than the {limits.max_bytes:,}-byte limit")
    return data


def read_past_cap(stream: BinaryIO, limits: Limits) -> bytes:
    """Up to one byte past the cap (a gzip bomb stops here, not in memory), a broken gzip
    stream named as such."""
    try:
        return stream.read(limits.max_bytes + 1)
    except EOFError as error:
        raise InputError("truncated gzip data") from error
    except (gzip.BadGzipFile, zlib.error) as error:
        raise InputError(f"corrupt gzip data ({error})") from error


def decode_text(data: bytes) -> str:
    """Decode bytes of unknown encoding: UTF-8 first, then the most likely legacy encoding."""
    if not data.strip():
        raise InputError("empty")
    if _looks_binary(data):
        raise InputError("binary content, not text")
    return _decode(data).replace("\x00", "")  # stray NULs: not text, and trouble downstream


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Windows-1252 is by far the most common legacy encoding of English and Western text
    # (HTML5 even reads "latin-1" as it); detectors confuse it with CJK code pages on short
    # inputs, so it goes first when it decodes into mostly-ASCII letters.
    try:
        text = data.decode("cp1252")
        if _mostly_ascii_letters(text):
            return text
    except UnicodeDecodeError:
        pass
    import charset_normalizer  # only for the rare text that is neither UTF-8 nor Windows-1252

    best = charset_normalizer.from_bytes(data[:65536]).best()
    encoding = best.encoding if best is not None else "cp1252"
    return data.decode(encoding, errors="replace")


def _mostly_ascii_letters(text: str) -> bool:
    letters = [c for c in text[:65536] if c.isalpha()]
    return sum(not c.isascii() for c in letters) <= 0.5 * max(1, len(letters))


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample and not _is_utf16(sample):
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r\f\x1b")
    return controls > len(sample) * 0.05


def _is_utf16(sample: bytes) -> bool:
    return sample[:2] in (b"\xff\xfe", b"\xfe\xff")


def checked_text(text: str, limits: Limits) -> str:
    """The text, refusing empty and over-long texts."""
    if not text.strip():
        raise InputError("no text")
    if len(text) > limits.max_chars:
        raise InputError(f"text longer than the {limits.max_chars:,}-character limit")
    return text
