"""The HTTP API: JSON shapes, the token, the size limit, bad input, and readers with writers."""

from __future__ import annotations

import gzip
import json
import os
import socket
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the server's extra is not installed (pip install -e '.[serve]')")
httpx = pytest.importorskip("httpx")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note on httpx versions
    from fastapi.testclient import TestClient  # noqa: E402

from tests.conftest import BAKERY, FERRY, SAMPLES, swap_words  # noqa: E402
from unspin.check import Checker  # noqa: E402
from unspin.document import Document  # noqa: E402
from unspin.index import Index  # noqa: E402
from unspin.read import read_documents  # noqa: E402
from unspin.report import result_json  # noqa: E402
from unspin.web.server import create_app, running  # noqa: E402

TOKEN = "t0ken-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FERRY_URL = "https://news.example/2026/05/ferry?ref=a#top"
LIMIT = 200_000
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "index.db"
    with Index(path) as index:
        list(index.add([Document("ferry", FERRY), Document(FERRY_URL, FERRY.replace("Dunmore", "Dunmore"),
                                                            title="Ferry (by URL)"), Document("bakery", BAKERY)]))
        index.remove([FERRY_URL])  # the same text twice would split the matches; re-added below
        list(index.add([Document(FERRY_URL, BAKERY + "\n\nA postscript about the street.", title="Bakery (by URL)")]))
    return path


@pytest.fixture
def client(db: Path):
    with TestClient(create_app(str(db), max_request_bytes=LIMIT)) as client:
        yield client


@pytest.fixture
def guarded(db: Path):
    with TestClient(create_app(str(db), token=TOKEN, max_request_bytes=LIMIT)) as client:
        yield client


def is_json_error(response, status: int | None = None) -> bool:
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    assert isinstance(body.get("error"), str) and body["error"], body
    if status is not None:
        assert response.status_code == status, (response.status_code, body)
    return True


# --- the JSON shape --------------------------------------------------------------------


def test_health(client):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["sources"] == 3
    assert body["token_required"] is False and body["max_request_bytes"] == LIMIT


def test_check_text_has_the_cli_shape(client, db):
    spun = swap_words(FERRY, 0.3, seed=1)
    response = client.post("/check", json={"text": spun, "id": "mine"})
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "mine" and body["verdict"] in {"spun", "copy"}
    assert body["matches"][0]["source_id"] == "ferry"
    for match in body["matches"]:
        assert {"source_id", "score", "coverage", "spin_rate", "passages"} <= match.keys()
        for passage in match["passages"]:
            assert len(passage["suspect"]) == 2 and len(passage["source"]) == 2
    # Exactly what `unspin check --json` prints for the same document.
    with Index(db) as index:
        expected = result_json(Checker(index).check(Document("mine", spun, title=spun.split("\n")[0])))
    assert body == expected
    assert "text" not in body


def test_offsets_point_into_the_returned_text(client):
    spun = swap_words(FERRY, 0.3, seed=2)
    body = client.post("/check?include_text=true", json={"text": spun}).json()
    source = client.get("/sources/ferry").json()["text"]
    assert body["text"] == spun
    for passage in body["matches"][0]["passages"]:
        for swap in passage["substitutions"]:
            assert body["text"][slice(*swap["suspect"])] == swap["suspect_text"]
            assert source[slice(*swap["source"])] == swap["source_text"]


def test_check_html_raw_bodies_and_uploads(client):
    html = f"<html><head><title>Copy</title></head><body><article><p>{'</p><p>'.join(FERRY.split(chr(10) + chr(10)))}</p></article></body></html>"
    by_json = client.post("/check", json={"html": html})
    assert by_json.status_code == 200 and by_json.json()["matches"][0]["source_id"] == "ferry"
    raw = client.post("/check", content=html.encode(), headers={"content-type": "text/html; charset=utf-8"})
    assert raw.json()["verdict"] == by_json.json()["verdict"]
    text = client.post("/check?id=pasted", content=FERRY.encode(), headers={"content-type": "text/plain"})
    assert text.json()["id"] == "pasted" and text.json()["verdict"] == "copy"
    for name, data in [("copy.txt", FERRY.encode()), ("copy.html", html.encode()), ("copy.txt.gz", gzip.compress(FERRY.encode())),
                       ("copy.jsonl", json.dumps({"id": "j1", "text": FERRY}).encode())]:
        upload = client.post("/check", files={"file": (name, data)})
        assert upload.status_code == 200, upload.text
        assert upload.json()["matches"][0]["source_id"] == "ferry"
    assert client.post("/check", files={"file": ("copy.jsonl", json.dumps({"id": "j1", "text": FERRY}).encode())}).json()["id"] == "j1"


def test_original_text(client):
    body = client.post("/check", json={"text": "A short note about apples and pears that nobody copied from anyone at all."}).json()
    assert body["verdict"] == "original" and body["matches"] == []


# --- sources ---------------------------------------------------------------------------


def test_list_page_and_search(client):
    first = client.get("/sources?limit=2").json()
    assert [row["id"] for row in first["sources"]] == ["ferry", "bakery"]
    assert first["more"] is True and first["total"] == 3
    second = client.get("/sources?limit=2&offset=2").json()
    assert [row["id"] for row in second["sources"]] == [FERRY_URL] and second["more"] is False
    found = client.get("/sources", params={"q": "bakery"}).json()["sources"]
    assert {row["id"] for row in found} == {"bakery", FERRY_URL}  # the id, or the title
    assert client.get("/sources", params={"q": "%_nothing"}).json()["sources"] == []


def test_ids_that_are_urls(client):
    raw = "/sources/" + FERRY_URL.replace("?", "%3F").replace("#", "%23")  # the URL as it is, bar ? and #
    by_query = "/source?" + str(httpx.QueryParams({"id": FERRY_URL}))
    for path in (raw, by_query):
        response = client.get(path)
        assert response.status_code == 200, (path, response.text)
        assert response.json()["id"] == FERRY_URL and response.json()["title"] == "Bakery (by URL)"
    encoded = "/sources/" + "".join(c if c.isalnum() else f"%{ord(c):02X}" for c in FERRY_URL)
    assert client.get(encoded).json()["id"] == FERRY_URL
    is_json_error(client.get("/sources/https://news.example/missing"), 404)
    assert client.delete(encoded).json()["removed"] == FERRY_URL
    is_json_error(client.delete(encoded), 404)
    assert client.get("/health").json()["sources"] == 2


def test_add_update_and_remove(client):
    added = client.post("/sources", json={"id": "new", "text": FERRY + "\nOne more line.", "title": "New"})
    assert added.status_code == 201 and added.json()["results"] == [{"id": "new", "status": "added"}]
    again = client.post("/sources", json={"id": "new", "text": FERRY + "\nOne more line.", "title": "New"})
    assert again.status_code == 200 and again.json()["results"][0]["status"] == "unchanged"
    changed = client.post("/sources", json=[{"id": "new", "text": FERRY + "\nAnother line."}, {"text": BAKERY + " Extra."}])
    assert changed.status_code == 201
    results = changed.json()["results"]
    assert results[0] == {"id": "new", "status": "updated"}
    assert results[1]["id"].startswith("text:") and results[1]["status"] == "added"
    assert client.get("/sources/new").json()["text"].endswith("Another line.")
    html = "<html><head><link rel='canonical' href='https://x.example/a'><title>T</title></head><body><p>" + BAKERY + "</p></body></html>"
    assert client.post("/sources", json={"html": html}).json()["results"][0]["id"] == "https://x.example/a"
    fragment = client.post("/sources", json={"html": f"<p>{FERRY} (fragment)</p>", "id": "frag"})  # no <html>: still read
    assert fragment.status_code == 201 and "Dunmore" in client.get("/sources/frag").json()["text"]
    assert client.delete("/sources/new").status_code == 200
    is_json_error(client.get("/sources/new"), 404)


def test_add_uploads_with_some_bad_records(client):
    lines = "\n".join([json.dumps({"id": "w1", "title": "W1", "text": FERRY + " w1"}), "{not json",
                       json.dumps({"id": "w2", "html": "<html><body><p>" + BAKERY + " w2</p></body></html>"})])
    response = client.post("/sources", files=[("file", ("wire.jsonl", lines.encode())), ("file", ("b.txt", BAKERY.encode() + b" b"))])
    assert response.status_code == 201, response.text
    body = response.json()
    assert [r["id"] for r in body["results"]] == ["w1", "w2", "b.txt"]
    assert len(body["errors"]) == 1 and "not valid JSON" in body["errors"][0]["error"]
    only_bad = client.post("/sources", files={"file": ("x.bin", bytes(range(256)) * 4)})
    is_json_error(only_bad, 422)
    assert only_bad.json()["id"] == "x.bin"


def test_bundled_sample_through_the_api(client):
    documents = [d for d in read_documents([str(SAMPLES / "sources")]) if isinstance(d, Document)]
    response = client.post("/sources", json=[{"id": d.id, "text": d.text, "title": d.title} for d in documents])
    assert response.status_code == 201
    spun = (SAMPLES / "suspects" / "spun-heavy.txt").read_bytes()
    body = client.post("/check", files={"file": ("spun-heavy.txt", spun)}).json()
    assert body["verdict"] == "spun" and body["matches"][0]["source_id"] == "wire-2026-0417"


# --- the token -------------------------------------------------------------------------


def test_token_guards_the_writes_only(guarded):
    assert guarded.get("/health").json()["token_required"] is True
    write = {"json": {"id": "t", "text": FERRY + " token"}}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}, {"Authorization": f"Basic {TOKEN}"},
                    {"Authorization": f"Bearer {TOKEN}x"}):
        response = guarded.post("/sources", headers=headers, **write)
        is_json_error(response, 401)
        assert response.headers["www-authenticate"] == "Bearer"
        is_json_error(guarded.delete("/sources/ferry", headers=headers), 401)
        is_json_error(guarded.delete("/source?id=ferry", headers=headers), 401)
    assert guarded.get("/health").json()["sources"] == 3  # nothing changed
    assert guarded.post("/sources", headers=AUTH, **write).status_code == 201
    assert guarded.delete("/sources/t", headers=AUTH).status_code == 200
    # Reading and checking need no token.
    assert guarded.get("/sources").status_code == 200
    assert guarded.get("/sources/ferry").status_code == 200
    assert guarded.post("/check", json={"text": FERRY}).json()["verdict"] == "copy"


# --- the size limit --------------------------------------------------------------------


def test_size_limit(client):
    big = "word " * (LIMIT // 5 + 10)
    is_json_error(client.post("/check", json={"text": big}), 413)
    is_json_error(client.post("/sources", json={"id": "big", "text": big}), 413)
    is_json_error(client.post("/check", files={"file": ("big.txt", big.encode())}), 413)

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(LIMIT // 1000 + 5):
            yield b"x" * 1000

    is_json_error(client.post("/check", content=chunks(), headers={"content-type": "text/plain"}), 413)
    is_json_error(client.post("/check", content=b"{}", headers={"content-length": "nonsense", "content-type": "application/json"}), 400)
    small = "word " * (LIMIT // 10)
    assert client.post("/check", json={"text": small}).status_code == 200
    assert client.get("/health").json()["sources"] == 3


# --- bad input: always a 4xx with a JSON error -----------------------------------------

BAD_BODIES = [
    (b"", "application/json"), (b"{", "application/json"), (b"[]", "application/json"), (b"null", "application/json"),
    (b'"text"', "application/json"), (b"[1, 2]", "application/json"), (b'{"text": 5}', "application/json"),
    (b'{"text": ""}', "application/json"), (b'{"text": "   \\n "}', "application/json"), (b'{"text": null}', "application/json"),
    (b'{"html": "<html><body></body></html>"}', "application/json"), (b'{"text": "a", "html": "<p>b</p>"}', "application/json"),
    (b'{"text": "ok text here", "id": 7}', "application/json"), (b'{"text": "ok", "title": ["x"]}', "application/json"),
    (b"\xff\xfe\x00garbage", "application/json"), (b"[" * 100_000, "application/json"), (b'{"a": "\\ud800"}', "application/json"),
    (b"\x89PNG\r\n\x1a\n" + bytes(300), "image/png"), (b"hello", "application/x-www-form-urlencoded"),
    (b"\xff\xfe\xfd", "text/plain"), (b"", "text/plain"), (b"<html></html>", "text/html"),
    (b"--x\r\nbroken", "multipart/form-data; boundary=x"), (b"data", "multipart/form-data"),
    (b"--x\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nv\r\n--x--\r\n", "multipart/form-data; boundary=x"),
]


@pytest.mark.parametrize("body, kind", BAD_BODIES)
@pytest.mark.parametrize("path", ["/check", "/sources"])
def test_malformed_input_is_a_4xx_json_error(client, path, body, kind):
    response = client.post(path, content=body, headers={"content-type": kind})
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    is_json_error(response)
    assert client.get("/health").json()["sources"] == 3


@pytest.mark.parametrize("name, data", [
    ("empty.txt", b""), ("binary.txt", bytes(range(256)) * 8), ("bad.jsonl", b"{nope\n"), ("bad.gz", b"\x1f\x8b\x08\x00broken"),
    ("blank.html", b"<html><body>  </body></html>"), ("many.jsonl", b'{"id":"a","text":"one text"}\n{"id":"b","text":"two text"}\n'),
])
def test_bad_uploads_to_check(client, name, data):
    response = client.post("/check", files={"file": (name, data)})
    is_json_error(response, 422)


@pytest.mark.parametrize("query", ["limit=0", "limit=100000", "offset=-1", "limit=abc", "q=" + "x" * 600])
def test_bad_list_parameters(client, query):
    is_json_error(client.get(f"/sources?{query}"), 422)


def test_bad_check_parameters_and_routes(client):
    is_json_error(client.post("/check?candidates=0", json={"text": FERRY}), 422)
    is_json_error(client.post("/check?include_text=maybe", json={"text": FERRY}), 422)
    is_json_error(client.get("/nowhere"), 404)
    is_json_error(client.put("/check", json={"text": FERRY}), 405)
    is_json_error(client.get("/source"), 422)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=400) | st.text(max_size=400).map(str.encode),
       kind=st.sampled_from(["application/json", "text/plain", "text/html", "multipart/form-data; boundary=b", "", "foo/bar"]),
       path=st.sampled_from(["/check", "/sources"]))
def test_fuzzed_bodies_never_500(client, body, kind, path):
    headers = {"content-type": kind} if kind else {}
    response = client.post(path, content=body, headers=headers)
    assert response.status_code < 500, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=50),
                            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                                st.sampled_from(["text", "html", "id", "title", "url", "x"]), inner, max_size=4),
                            max_leaves=10))
def test_fuzzed_json_never_500(client, payload):
    for path in ("/check", "/sources"):
        response = client.post(path, json=payload)
        assert response.status_code < 500, (response.status_code, response.text)


def test_docs_work_offline(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower() and "https://" not in page.text
    for asset in ("/static/docs/swagger-ui-bundle.js", "/static/docs/swagger-ui.css"):
        assert client.get(asset).status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/check", "/sources", "/sources/{source_id}", "/health"} <= spec["paths"].keys()
    assert "multipart/form-data" in spec["paths"]["/check"]["post"]["requestBody"]["content"]


def test_page_and_its_assets_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and "<script src=\"/static/app.js\">" in page.text
    assert "https://" not in page.text  # no CDN
    for asset in ("/static/app.js", "/static/app.css"):
        response = client.get(asset)
        assert response.status_code == 200 and "https://" not in response.text


# --- readers and writers at once ---------------------------------------------------------


def test_readers_and_writers_at_once(db: Path):
    """Threads check, list and add through the server while another connection (as the CLI
    would) adds sources to the same file: no request fails and no write is lost."""
    writers, per_writer, readers, reads = 3, 12, 4, 10
    errors: list[str] = []
    outside_ids = [f"outside-{n}" for n in range(15)]

    def unique(tag: str) -> str:
        return f"{tag}: " + swap_words(BAKERY, 0.2, seed=hash(tag) % 1000) + f" Reference {tag}."

    with running(create_app(str(db), token=TOKEN)) as url:
        def writer(w: int) -> None:
            with httpx.Client(base_url=url, timeout=60) as http:
                for n in range(per_writer):
                    response = http.post("/sources", headers=AUTH, json={"id": f"w{w}-{n}", "text": unique(f"w{w}-{n}")})
                    if response.status_code != 201:
                        errors.append(f"write {w}/{n}: {response.status_code} {response.text}")

        def reader(r: int) -> None:
            with httpx.Client(base_url=url, timeout=60) as http:
                for n in range(reads):
                    check = http.post("/check", json={"text": swap_words(FERRY, 0.3, seed=r * 100 + n)})
                    if check.status_code != 200 or check.json()["matches"][0]["source_id"] != "ferry":
                        errors.append(f"check {r}/{n}: {check.status_code} {check.text[:200]}")
                    listing = http.get("/sources", params={"limit": 500})
                    if listing.status_code != 200:
                        errors.append(f"list {r}/{n}: {listing.status_code}")

        def outsider() -> None:
            with Index(db) as index:  # its own connection, as `unspin index add` has
                for doc_id in outside_ids:
                    list(index.add([Document(doc_id, unique(doc_id))], batch_size=1))
                    time.sleep(0.01)

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
        threads += [threading.Thread(target=reader, args=(r,)) for r in range(readers)]
        threads.append(threading.Thread(target=outsider))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert not any(thread.is_alive() for thread in threads)
        assert not errors, errors[:5]

        with httpx.Client(base_url=url, timeout=60) as http:
            expected = {"ferry", "bakery", FERRY_URL} | {f"w{w}-{n}" for w in range(writers) for n in range(per_writer)}
            expected |= set(outside_ids)
            listed = {row["id"] for row in http.get("/sources", params={"limit": 500}).json()["sources"]}
            assert listed == expected
            assert http.get("/health").json()["sources"] == len(expected)
            # The server sees what the other connection wrote: a copy of it traces back to it.
            found = http.post("/check", json={"text": unique("outside-7")}).json()
            assert found["matches"][0]["source_id"] == "outside-7"
    with Index(db) as index:
        assert len(index) == len(expected)


# --- the command -------------------------------------------------------------------------


def test_unspin_serve_binds_loopback(tmp_path: Path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "UNSPIN_TOKEN": "from-env"}
    process = subprocess.Popen([sys.executable, "-m", "unspin.cli", "serve", "--db", str(tmp_path / "s.db"), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.time() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).json()
                break
            except httpx.TransportError:
                assert process.poll() is None and time.time() < deadline, process.stderr.read().decode()
                time.sleep(0.2)
        assert health["token_required"] is True and health["sources"] == 0
        assert httpx.post(f"http://127.0.0.1:{port}/sources", json={"text": FERRY}).status_code == 401
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in stderr.decode()


def test_unspin_serve_on_a_busy_port_says_so_in_one_line_and_never_that_it_serves(tmp_path: Path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "unspin.cli", "serve", "--db", str(tmp_path / "s.db"),
                               "--port", str(port)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"unspin: error: cannot listen on 127.0.0.1:{port}: Address already in use"]
    assert "serving" not in done.stdout + done.stderr
