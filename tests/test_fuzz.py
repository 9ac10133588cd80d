"""Fuzzing the readers and the extractor: whatever the bytes, a document or a one-line error."""

import gzip
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unspin.document import Document, ReadError
from unspin.extract import ExtractionError, extract_html
from unspin.read import Limits, read_documents

SUFFIXES = [".txt", ".html", ".htm", ".jsonl", ".txt.gz", ".html.gz", ".jsonl.gz", ".dat", ""]
TAGS = ["<html>", "</html>", "<body>", "<p>", "</p>", "<div>", "</div>", "<script>", "</script>", "<!--", "-->",
        "<title>", "</title>", '<meta charset="utf-8">', "<br/>", "&amp;", "&#0;", "&#x110000;", "<![CDATA[", "]]>", "<?xml ?>"]
html_like = st.lists(st.one_of(st.sampled_from(TAGS), st.text(max_size=40)), max_size=60).map("".join)
jsonl_like = st.lists(
    st.one_of(st.just('{"id": "a", "text": "words here"}'), st.just('{"html": "<p>x</p>"}'), st.just("{"),
              st.just('{"text": 5}'), st.just('"just a string"'), st.text(max_size=30)),
    max_size=10,
).map("\n".join)
payloads = st.one_of(st.binary(max_size=3000), html_like.map(str.encode), jsonl_like.map(str.encode),
                     st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass")))

fuzz = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fuzz
@given(payloads, st.sampled_from(SUFFIXES), st.booleans())
def test_readers_never_raise_and_errors_are_one_line(payload, suffix, compress):
    if suffix.endswith(".gz") and compress:
        payload = gzip.compress(payload)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(payload)
        for item in read_documents([str(path)], Limits(max_bytes=100_000)):
            assert isinstance(item, (Document, ReadError))
            if isinstance(item, ReadError):
                assert "\n" not in str(item) and item.error
            else:
                assert item.text.strip() and "\x00" not in item.text


@fuzz
@given(html_like)
def test_the_extractor_gives_text_or_an_extraction_error(html):
    try:
        document = extract_html(html, fallback_id="fuzz.html")
    except ExtractionError:
        return
    assert document.text.strip()
