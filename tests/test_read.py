import gzip
import json
import sys
from io import BytesIO

import pytest

from unspin.document import Document, ReadError
from unspin.read import Limits, Selection, decode_text, read_documents, sniff


def read(*paths, limits=Limits()):
    return list(read_documents([str(p) for p in paths], limits))


def test_text_file_named_directly_becomes_one_document_with_its_name_as_id(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("A title\n\nThe body of the article.", encoding="utf-8")
    [document] = read(path)
    assert document.id == "a.txt"
    assert document.title == "A title"
    assert document.text.endswith("article.")


def test_folders_are_read_recursively_in_order_and_hidden_files_skipped(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("second", encoding="utf-8")
    (tmp_path / "1.txt").write_text("first", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("hidden", encoding="utf-8")
    assert [d.text for d in read(tmp_path)] == ["first", "second"]


def test_jsonl_records_use_their_id_then_url_then_line(tmp_path):
    path = tmp_path / "wire.jsonl"
    lines = [
        {"id": "w1", "url": "https://a.example/1", "title": "One", "date": "2026-01-02", "text": "one"},
        {"url": "https://a.example/2", "text": "two"},
        {"text": "three"},
        {"id": "w4", "html": "<html><body><p>four</p></body></html>"},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    documents = read(path)
    assert [d.id for d in documents] == ["w1", "https://a.example/2", "wire.jsonl:3", "w4"]
    assert documents[0].title == "One" and documents[0].date == "2026-01-02"
    assert documents[3].text == "four"


def test_gzipped_html_is_extracted_with_its_canonical_url(tmp_path):
    html = (
        '<html><head><title>Ferry halted</title><link rel="canonical" href="https://news.example/ferry">'
        "</head><body><nav>Home | News</nav><article><h1>Ferry halted</h1>"
        + "<p>The ferry to the island stopped running on Tuesday after an engine failure.</p>" * 5
        + "</article><footer>Cookies</footer></body></html>"
    )
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(html.encode()))
    [document] = read(path)
    assert document.id == "https://news.example/ferry"
    assert document.site == "news.example"
    assert "engine failure" in document.text and "Cookies" not in document.text


def test_cp1252_text_is_decoded():
    assert decode_text("Caf\u00e9 na\u00efve \u2013 r\u00e9sum\u00e9".encode("cp1252")) == "Café naïve – résumé"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\n ", "empty"),
        ("binary.txt", bytes(range(256)) * 4, "binary"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        ("truncated.txt.gz", gzip.compress(b"hello world " * 100)[:40], "truncated gzip"),
        ("script.html", b"<html><body><script>var a = 1;</script></body></html>", "no text"),
    ],
)
def test_unreadable_inputs_give_one_error_naming_them(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    [error] = read(path)
    assert isinstance(error, ReadError)
    assert error.id == name
    assert message in error.error
    assert "\n" not in str(error)


def test_a_bad_jsonl_line_is_reported_and_the_others_read(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"id": "ok1", "text": "fine"}\nnot json at all\n[1, 2]\n{"id": "ok2", "text": "fine too"}\n')
    items = read(path)
    assert [type(i) for i in items] == [Document, ReadError, ReadError, Document]
    assert items[1].id == "mixed.jsonl:2" and items[1].error.startswith("not valid JSON")


def test_every_bad_jsonl_record_is_named_by_its_file_and_line(tmp_path):
    # With or without an id of its own, a bad record is FILE:LINE, like a WARC record's FILE@OFFSET.
    path = tmp_path / "feed.jsonl"
    path.write_text('{"id": "a", "text": "fine"}\n{oops\n{"id": "b", "title": "no body"}\n'
                    '{"id": "c", "text": "   "}\n{"url": "https://x.example/d", "html": "<p></p>"}\n'
                    '{"text": 5}\n"a string"\n')
    errors = [str(item) for item in read(path) if isinstance(item, ReadError)]
    assert [e.split(": ", 1)[0] for e in errors] == [f"feed.jsonl:{n}" for n in (2, 3, 4, 5, 6, 7)]
    assert errors[1] == "feed.jsonl:3: neither a 'text' nor an 'html' string (record b)"
    assert errors[2] == "feed.jsonl:4: no text (record c)"
    assert errors[3].endswith("(record https://x.example/d)")
    assert errors[4] == "feed.jsonl:6: neither a 'text' nor an 'html' string"
    assert not any("line " in e for e in errors[1:])  # the place is said once, in one style


def test_missing_paths_and_empty_globs_are_errors_and_the_rest_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("some text", encoding="utf-8")
    items = read(tmp_path / "missing.txt", good, str(tmp_path / "*.nothing"))
    assert isinstance(items[0], ReadError) and "no such file" in items[0].error
    assert isinstance(items[1], Document)
    assert isinstance(items[2], ReadError) and "no file matches" in items[2].error


def test_inputs_larger_than_the_limit_are_refused(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000)
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a" * 1_000_000))
    items = read(big, bomb, limits=Limits(max_bytes=2000))
    assert all(isinstance(i, ReadError) for i in items)
    assert "limit" in items[0].error and "limit" in items[1].error


def test_broken_html_still_gives_its_text(tmp_path):
    path = tmp_path / "broken.html"
    path.write_text("<html><body><div><p>Unclosed <b>tags and <i>a story about a ferry</div></td>")
    [document] = read(path)
    assert "a story about a ferry" in document.text


def test_standard_input_is_sniffed(monkeypatch):
    monkeypatch.setattr(sys, "stdin", type("In", (), {"buffer": BytesIO(b"<html><body><p>From a pipe.</p></body></html>")})())
    [document] = read("-")
    assert document.id == "<stdin>" and document.text == "From a pipe."


def test_sniffing():
    assert sniff(b"  <!DOCTYPE html><html>") == "html"
    assert sniff(b'{"id": 1, "text": "x"}\n') == "jsonl"
    assert sniff(b"Plain words.") == "txt"


def test_an_html_fragment_is_extracted(tmp_path):
    path = tmp_path / "fragment.html"
    path.write_text("<p>A fragment about the harbour bridge.</p>")
    [document] = read(path)
    assert document.text == "A fragment about the harbour bridge."


BODY = ("The mayor opened the new bridge over the Carrow on Monday morning, in front of a crowd of\n"
        "several hundred residents who had waited three years for it.")


@pytest.mark.parametrize("text, title", [
    # A headline on its own line, then a blank line or straight into the body.
    ("Mayor opens Carrow bridge after three-year wait\n\n" + BODY, "Mayor opens Carrow bridge after three-year wait"),
    ("Mayor opens Carrow bridge\n" + BODY, "Mayor opens Carrow bridge"),
    ("$2m bridge opens at last...\n\n" + BODY, "$2m bridge opens at last..."),
    ("Bridge opens, says U.S. firm that built it\n\n" + BODY, "Bridge opens, says U.S. firm that built it"),
    ("## Mayor opens Carrow bridge\n\n" + BODY, "Mayor opens Carrow bridge"),
    # A date, a bullet, page furniture: not a title.
    ("• Mon. Jun 7th, 2021\n\n\nMayor opens Carrow bridge\n\n" + BODY, None),
    ("June 7, 2021\n\n" + BODY, None),
    ("Monday 7 June 2021\n\n" + BODY, None),
    ("12:04 | 07/06/2021 | 3 min read\n\n" + BODY, None),
    ("- first item of a list\n- second item\n", None),
    # A paragraph's first line, or a one-sentence paragraph: not a title.
    (BODY, None),
    ("The mayor opened the bridge on Monday.\n\n" + BODY, None),
])
def test_a_first_line_is_the_title_only_when_it_reads_as_one(tmp_path, text, title):
    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    [document] = read(path)
    assert document.title == title


def _tree(root):
    (root / "archive" / "2021").mkdir(parents=True)
    (root / "archive" / "drafts").mkdir()
    for name in ("2021/a.txt", "2021/b.txt", "drafts/c.txt", "README.TXT", "LICENSE", "readme.md", "Copying.txt"):
        (root / "archive" / name).write_text(f"Text of {name}, an article.", encoding="utf-8")
    (root / "work").mkdir()
    return root / "archive"


def test_ids_are_paths_from_the_folder_holding_the_argument_whatever_the_working_folder(tmp_path, monkeypatch):
    archive = _tree(tmp_path)
    wanted = ["archive/2021/a.txt", "archive/2021/b.txt", "archive/drafts/c.txt"]
    for cwd, given in ((tmp_path, "archive"), (tmp_path / "work", "../archive"), (archive, "."),
                       (tmp_path / "work", str(archive)), (tmp_path / "work", str(archive) + "/")):
        monkeypatch.chdir(cwd)
        ids = [d.id for d in read_documents([given])]
        assert ids == (wanted if given != "." else [w.removeprefix("archive/") for w in wanted]), (cwd, given)
    # A glob: paths from the folder holding the one before its first wildcard.
    monkeypatch.chdir(tmp_path / "work")
    assert [d.id for d in read_documents(["../archive/*/a.txt"])] == ["archive/2021/a.txt"]
    monkeypatch.chdir(archive / "2021")
    assert [d.id for d in read_documents(["*.txt"])] == ["a.txt", "b.txt"]
    # A file named directly: its own name; a JSON lines record's fallback id and a WARC origin follow.
    monkeypatch.chdir(tmp_path / "work")
    assert [d.id for d in read_documents(["../archive/2021/a.txt"])] == ["a.txt"]
    (archive / "feed.jsonl").write_text('{"text": "A record of its own."}\n', encoding="utf-8")
    assert [d.id for d in read_documents(["../archive/feed.jsonl"])] == ["feed.jsonl:1"]
    assert "archive/feed.jsonl:1" in [d.id for d in read_documents(["../archive"])]


def test_files_that_are_not_documents_are_skipped_in_folders_and_read_when_named(tmp_path):
    archive = _tree(tmp_path)
    selection = Selection()
    ids = [d.id for d in read_documents([str(archive)], selection=selection)]
    assert ids == ["archive/2021/a.txt", "archive/2021/b.txt", "archive/drafts/c.txt"]
    assert selection.skipped == ["archive/Copying.txt", "archive/LICENSE", "archive/README.TXT", "archive/readme.md"]
    assert [d.id for d in read_documents([str(archive / "README.TXT")])] == ["README.TXT"]


def test_exclude_skips_files_and_folders_by_name_or_path(tmp_path):
    archive = _tree(tmp_path)
    not_documents = {"archive/Copying.txt", "archive/LICENSE", "archive/README.TXT", "archive/readme.md"}
    for patterns, ids, excluded in (
            (("drafts",), ["archive/2021/a.txt", "archive/2021/b.txt"], ["archive/drafts/"]),
            (("drafts/*", "b.*"), ["archive/2021/a.txt"], ["archive/2021/b.txt", "archive/drafts/c.txt"]),
            (("archive/2021/*",), ["archive/drafts/c.txt"], ["archive/2021/a.txt", "archive/2021/b.txt"])):
        selection = Selection(patterns)
        assert [d.id for d in read_documents([str(archive)], selection=selection)] == ids, patterns
        assert sorted(set(selection.skipped) - not_documents) == excluded
    selection = Selection(("*.txt",))
    assert [d.id for d in read_documents([str(archive / "*" / "*")], selection=selection)] == []


def _feed(records: int, text: str = "A line of the wire story about the ferry. ") -> bytes:
    return b"".join(json.dumps({"id": f"r{n}", "text": f"{n} {text * 20}"}).encode() + b"\n" for n in range(records))


@pytest.mark.parametrize("gzipped", [False, True])
def test_a_json_lines_feed_larger_than_the_cap_is_read_record_by_record(tmp_path, gzipped):
    # The cap is of one record: a feed many times its size is read whole, and one record
    # past it is refused by its FILE:LINE while the records after it are still read.
    feed = _feed(3000)
    huge = json.dumps({"id": "huge", "text": "word " * 5000}).encode() + b"\n"
    data = feed + huge + _feed(2)
    path = tmp_path / ("feed.jsonl.gz" if gzipped else "feed.jsonl")
    path.write_bytes(gzip.compress(data) if gzipped else data)
    items = read(path, limits=Limits(max_bytes=len(huge) - 100))
    assert len(data) > 50 * (len(huge) - 100)
    assert [d.id for d in items if isinstance(d, Document)] == [f"r{n}" for n in range(3000)] + ["r0", "r1"]
    [error] = [e for e in items if isinstance(e, ReadError)]
    assert error.id == f"{path.name}:3001" and "record larger than the" in error.error
    assert items[-1].origin == f"{path.name}:3003"


def test_reading_a_json_lines_feed_takes_the_memory_of_a_record_not_of_the_file(tmp_path):
    import tracemalloc

    path = tmp_path / "feed.jsonl"
    path.write_bytes(_feed(20_000))  # about 18 MB
    tracemalloc.start()
    count = sum(1 for item in read_documents([str(path)], Limits(max_bytes=100_000)) if isinstance(item, Document))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 20_000
    assert peak < 2_000_000, peak


def test_a_truncated_gzipped_feed_keeps_the_records_before_the_damage(tmp_path):
    path = tmp_path / "cut.jsonl.gz"
    whole = gzip.compress(_feed(2000))
    path.write_bytes(whole[: len(whole) // 2])
    items = read(path)
    assert isinstance(items[0], Document) and items[0].id == "r0"
    assert isinstance(items[-1], ReadError) and items[-1].id == path.name and "truncated gzip" in items[-1].error


def test_json_lines_piped_in_past_the_cap_are_read_record_by_record(monkeypatch):
    monkeypatch.setattr(sys, "stdin", type("In", (), {"buffer": BytesIO(_feed(500))})())
    items = read("-", limits=Limits(max_bytes=10_000))
    assert [d.id for d in items] == [f"r{n}" for n in range(500)]
    assert items[499].origin == "<stdin>:500"


def test_other_piped_input_past_the_cap_is_refused(monkeypatch):
    monkeypatch.setattr(sys, "stdin", type("In", (), {"buffer": BytesIO(b"Plain words. " * 1000)})())
    [error] = read("-", limits=Limits(max_bytes=1000))
    assert error.id == "<stdin>" and "larger than the 1,000-byte limit" in error.error
