"""WARC fixtures for the crawl tests, written with warcio's writer."""

from __future__ import annotations

import html
import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SHARED_WARCS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "warc"


def page(text: str, date: str | None = None) -> bytes:
    """An article page: the first line of ``text`` is its title, the rest its paragraphs."""
    title, _, body = text.strip().partition("\n")
    paragraphs = "".join(f"<p>{html.escape(' '.join(p.split()))}</p>\n" for p in body.split("\n\n") if p.strip())
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    return (
        f"<!doctype html><html><head><title>{html.escape(title)}</title>{meta}</head>"
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{html.escape(title)}</h1>\n{paragraphs}</article>"
        f"<footer>Contact us</footer></body></html>"
    ).encode("utf-8")


def write_warc(path: Path, records: list[tuple], gzip: bool = True) -> Path:
    """Write records ``(kind, uri, payload[, content_type[, status]])``: kind is response,
    request or resource."""
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "unspin tests"}))
        for kind, uri, payload, *rest in records:
            content_type = rest[0] if rest else "text/html; charset=utf-8"
            status = rest[1] if len(rest) > 1 else "200 OK"
            if kind == "response":
                headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
                record = writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=headers)
            elif kind == "request":
                headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
                record = writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=headers)
            else:
                record = writer.create_warc_record(uri, "resource", payload=io.BytesIO(payload),
                                                   warc_content_type=content_type)
            writer.write_record(record)
    return path


def record_offsets(path: Path) -> list[int]:
    """The byte offset of every record in a WARC."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as stream:
        records = ArchiveIterator(stream)
        offsets = []
        for _ in records:
            offsets.append(records.get_record_offset())
        return offsets
