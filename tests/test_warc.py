"""WARC and ARC input: pages by target URI, other records passed over, damage named and survived."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import pytest

from tests.conftest import BAKERY, FERRY
from tests.warcs import SHARED_WARCS, page, record_offsets, write_warc
from unspin.document import Document, ReadError
from unspin.read import read_documents
from unspin.warc import iter_pages


def read(*paths: Path) -> tuple[list[Document], list[ReadError]]:
    items = list(read_documents([str(p) for p in paths]))
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, ReadError)]


def test_an_html_response_becomes_a_document_whose_id_is_its_target_uri(tmp_path):
    warc = write_warc(tmp_path / "crawl.warc.gz", [("response", "https://news.example/ferry", page(FERRY))])
    [document], errors = read(warc)
    assert errors == []
    assert document.id == document.url == "https://news.example/ferry"
    assert "cracked cylinder head" in document.text
    assert document.title.startswith("Ferry service to Dunmore Island")
    assert document.origin.startswith(f"{warc.name}@")


def test_the_page_date_is_kept_and_the_capture_date_fills_in_when_the_page_has_none(tmp_path):
    warc = write_warc(tmp_path / "crawl.warc.gz", [
        ("response", "https://a.example/1", page(FERRY, date="2021-03-04")),
        ("response", "https://b.example/2", page(BAKERY)),
    ])
    dated, undated = read(warc)[0]
    assert dated.date == "2021-03-04"
    assert undated.date and len(undated.date) == 10  # the WARC-Date, yyyy-mm-dd


def test_records_that_are_not_article_pages_are_passed_over_silently(tmp_path):
    warc = write_warc(tmp_path / "crawl.warc.gz", [
        ("request", "https://news.example/ferry", b""),
        ("response", "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png"),
        ("response", "https://news.example/gone", page(BAKERY), "text/html", "404 Not Found"),
        ("response", "https://news.example/moved", b"", "text/html", "301 Moved Permanently"),
        ("resource", "https://news.example/bakery", page(BAKERY), "text/html"),
        ("response", "https://news.example/ferry", page(FERRY)),
    ])
    documents, errors = read(warc)
    assert errors == []
    assert [d.id for d in documents] == ["https://news.example/bakery", "https://news.example/ferry"]


def test_uncompressed_warcs_are_read_too(tmp_path):
    warc = write_warc(tmp_path / "crawl.warc", [("response", "https://news.example/ferry", page(FERRY))], gzip=False)
    assert [d.id for d in read(warc)[0]] == ["https://news.example/ferry"]


def three_pages(path: Path, gzip: bool = True) -> Path:
    return write_warc(path, [
        ("response", "https://one.example/ferry", page(FERRY)),
        ("response", "https://two.example/bakery", page(BAKERY)),
        ("response", "https://three.example/ferry", page(FERRY)),
    ], gzip=gzip)


def test_a_corrupt_gzip_member_is_named_and_the_records_after_it_are_still_read(tmp_path):
    warc = three_pages(tmp_path / "crawl.warc.gz")
    offsets = record_offsets(warc)  # warcinfo, then the three pages
    data = bytearray(warc.read_bytes())
    middle = (offsets[2] + offsets[3]) // 2
    data[middle : middle + 40] = b"\x00" * 40  # damage the second page's compressed data
    warc.write_bytes(bytes(data))
    documents, errors = read(warc)
    assert [d.id for d in documents] == ["https://one.example/ferry", "https://three.example/ferry"]
    assert len(errors) == 1
    assert errors[0].id == f"{warc.name}@{offsets[2]}"
    assert warc.name in str(errors[0]) and "\n" not in str(errors[0])


def test_a_truncated_file_keeps_every_complete_record_and_names_the_cut_one(tmp_path):
    warc = three_pages(tmp_path / "crawl.warc.gz")
    offsets = record_offsets(warc)
    warc.write_bytes(warc.read_bytes()[: offsets[3] + 300])  # cut inside the third page
    documents, errors = read(warc)
    assert [d.id for d in documents] == ["https://one.example/ferry", "https://two.example/bakery"]
    assert [e.id for e in errors] == [f"{warc.name}@{offsets[3]}"]
    assert "ends inside" in errors[0].error


def test_a_record_whose_content_length_lies_is_named_and_reading_goes_on(tmp_path):
    warc = three_pages(tmp_path / "crawl.warc", gzip=False)
    data = warc.read_bytes()
    offsets = record_offsets(warc)
    second = data[offsets[2] : offsets[3]]
    header_end = second.index(b"\r\n\r\n")
    length_at = second.index(b"Content-Length: ")
    line_end = second.index(b"\r\n", length_at)
    true_length = int(second[length_at + 16 : line_end])
    lying = second[:length_at] + b"Content-Length: " + str(true_length - 200).encode() + second[line_end:]
    assert lying.index(b"\r\n\r\n") <= header_end
    warc.write_bytes(data[: offsets[2]] + lying + data[offsets[3] :])
    documents, errors = read(warc)
    assert "https://one.example/ferry" in [d.id for d in documents]
    assert "https://three.example/ferry" in [d.id for d in documents]
    assert "https://two.example/bakery" not in [d.id for d in documents]
    assert errors and all(e.id.startswith(f"{warc.name}@") for e in errors)


def test_a_page_split_across_two_gzip_members_is_named_once_and_the_next_page_is_read(tmp_path):
    # As in warcio's example-wrong-chunks.warc.gz: the second member holds the rest of the
    # first page's payload. Reading fails at that member, and resynchronising from the
    # damaged page meets the same member again: one damage, one error.
    plain = write_warc(tmp_path / "plain.warc", [
        ("response", "https://one.example/ferry", b"<!doctype html>\n" + page(FERRY)),
        ("response", "https://two.example/bakery", page(BAKERY)),
    ], gzip=False)
    data, offsets = plain.read_bytes(), record_offsets(plain)
    split = data.index(b"<!doctype html>\n")
    members = [gzip.compress(part) for part in
               (data[: offsets[1]], data[offsets[1] : split], data[split : offsets[2]], data[offsets[2] :])]
    warc = tmp_path / "split.warc.gz"
    warc.write_bytes(b"".join(members))
    documents, errors = read(warc)
    assert [d.id for d in documents] == ["https://two.example/bakery"]
    assert [e.id for e in errors] == [f"{warc.name}@{len(members[0])}"], [str(e) for e in errors]
    assert "https://one.example/ferry" in errors[0].error


def test_what_other_threads_write_to_stderr_meanwhile_neither_damages_records_nor_is_lost(tmp_path, capsys):
    # A scan reads archives in one thread while others draw the progress bar and print
    # errors: catching warcio's warnings must touch neither.
    import threading

    warc = write_warc(tmp_path / "crawl.warc.gz",
                      [("response", f"https://farm.example/{n}", page(FERRY)) for n in range(300)])
    stop, written = threading.Event(), []
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, as a busy machine would

    def chatter() -> None:
        while not stop.is_set():
            sys.stderr.write("progress\n")
            written.append(1)

    talker = threading.Thread(target=chatter)
    talker.start()
    try:
        pages = list(iter_pages(str(warc)))
    finally:
        stop.set()
        talker.join()
        sys.setswitchinterval(interval)
    assert [p for p in pages if isinstance(p, ReadError)] == []
    assert len(pages) == 300
    assert capsys.readouterr().err.count("progress\n") == len(written) > 0


def test_garbage_is_an_error_not_a_crash(tmp_path):
    bad = tmp_path / "noise.warc.gz"
    bad.write_bytes(gzip.compress(b"this is not a WARC file at all\r\n\r\n" * 10))
    documents, errors = read(bad)
    assert documents == [] and len(errors) == 1 and bad.name in str(errors[0])


# --- the real damaged and odd files of ../shared/data/warc (skipped when absent) --------------

needs_shared = pytest.mark.skipif(not SHARED_WARCS.is_dir(), reason="../shared/data/warc is not here")


@needs_shared
@pytest.mark.parametrize("name, pages", [
    ("example.warc.gz", ["http://example.com/"]),
    ("example.arc.gz", ["http://example.com/"]),
])
def test_real_warc_and_arc_files(name, pages):
    documents, errors = read(SHARED_WARCS / name)
    assert errors == []
    assert [d.id for d in documents] == pages
    assert "Example Domain" in documents[0].title


@needs_shared
@pytest.mark.parametrize("name", ["clipped.warc.gz", "example-trunc.warc", "example-wrong-chunks.warc.gz"])
def test_real_damaged_files_give_one_line_errors_naming_file_and_record(name):
    path = SHARED_WARCS / name
    documents, errors = read(path)
    assert errors, "the damage is reported"
    for error in errors:
        assert error.id.startswith(f"{path.name}@")
        assert "\n" not in str(error)


@needs_shared
def test_a_real_common_crawl_sample_is_read_page_by_page():
    documents, errors = read(SHARED_WARCS / "warcfile.warc.gz")
    assert errors == []
    assert len(documents) >= 10
    assert all(d.id.startswith("http") and d.origin for d in documents)
