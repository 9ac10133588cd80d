"""Main text and metadata from HTML, with trafilatura.

A cascade, as in trafilatura itself: the article extractor first; when it finds no main
text (a short page, a bare fragment), the page's visible text; when neither gives text,
an error that the reader reports against the input.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from unspin.document import Document

_WHOLE_PAGE = re.compile(r"<(html|body|head)[\s>]", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class ExtractionError(ValueError):
    """The HTML holds no text that unspin can use."""


def extract_html(html: str | bytes, fallback_id: str, url: str | None = None) -> Document:
    """Extract the main text and metadata of an HTML page.

    The document's id is its canonical URL when the page gives one, else ``url``, else
    ``fallback_id`` (the path it was read from).
    """
    import trafilatura  # here, not above: it takes half a second to import, and most commands never extract

    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not _WHOLE_PAGE.search(html[:4096]):  # a fragment ("<p>...</p>"): the extractor wants a page
        html = f"<html><body>{html}</body></html>"
    result = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True
    )
    text = clean_text(result.text) if result is not None and result.text else ""
    if not text:
        text = clean_text(trafilatura.html2txt(html) or "")
    if not text:
        raise ExtractionError("no text found in the HTML")
    canonical = result.url if result is not None else None
    page_url = canonical or url
    return Document(
        id=page_url or fallback_id,
        text=text,
        url=page_url,
        title=result.title if result is not None else None,
        date=result.date if result is not None else None,
        author=result.author if result is not None else None,
        site=(result.sitename if result is not None else None) or host(page_url),
        origin=fallback_id,
    )


def clean_text(text: str) -> str:
    """Collapse runs of spaces and blank lines; keep paragraph breaks."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def host(url: str | None) -> str | None:
    """The host name of ``url``, lower-cased, without a leading ``www.``."""
    if not url:
        return None
    netloc = urlsplit(url).hostname or ""
    return netloc.removeprefix("www.") or None
