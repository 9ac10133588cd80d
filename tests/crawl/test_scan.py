"""unspin scan: a crawl checked against the index in parallel, resumable, with a per-site summary."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BAKERY, FERRY, FERRY_OTHER_OUTLET, swap_words
from tests.warcs import page, record_offsets, write_warc
from unspin.document import Document
from unspin.index import Index
from unspin.read import Limits
import unspin.crawl.scan as scan_module
from unspin.check import Checker
from unspin.crawl.scan import load_done, plan, scan, summarize


def unspin(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "unspin.cli", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "sources.db"
    with Index(path) as store:
        list(store.add([Document("ferry", FERRY), Document("bakery", BAKERY)]))
    return path


@pytest.fixture
def crawl(tmp_path: Path) -> Path:
    """A farm with a copy and a spun copy, a news site with an independent report, a blog."""
    return write_warc(tmp_path / "crawl.warc.gz", [
        ("response", "https://farm.example/a", page(FERRY)),
        ("response", "https://farm.example/b", page(BAKERY.replace("ninety", "90"))),
        ("response", "https://farm.example/c", page(swap_words(FERRY, 0.9, seed=2))),
        ("response", "https://news.example/island", page(FERRY_OTHER_OUTLET)),
        ("response", "https://blog.example/x", page(BAKERY.replace("bakery", "café").split("\n\n", 1)[0] + "\n\n"
                                                    "My cat likes to sleep in the sun all afternoon long.")),
    ])


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_every_page_gets_a_json_line_with_its_verdict_and_source(db, crawl, tmp_path):
    out = tmp_path / "out.jsonl"
    stats, _ = scan([str(crawl)], str(db), str(out), workers=1)
    results = {line["id"]: line for line in lines(out)}
    assert results["https://farm.example/a"]["verdict"] == "copy"
    assert results["https://farm.example/b"]["verdict"] == "copy"
    assert results["https://farm.example/c"]["verdict"] in ("spun", "paraphrase")
    assert results["https://farm.example/b"]["matches"][0]["source_id"] == "bakery"
    assert results["https://farm.example/c"]["matches"][0]["source_id"] == "ferry"
    assert results["https://news.example/island"]["verdict"] == "original"
    assert all(line["site"] and line["words"] > 0 and line["origin"] for line in results.values())
    assert stats.scanned == 5 and stats.errors == 0


def test_parallel_workers_give_the_same_lines_in_the_same_order(db, crawl, tmp_path):
    scan([str(crawl)], str(db), str(tmp_path / "one.jsonl"), workers=1)
    scan([str(crawl)], str(db), str(tmp_path / "two.jsonl"), workers=2)
    assert lines(tmp_path / "one.jsonl") == lines(tmp_path / "two.jsonl")


def test_the_summary_ranks_the_content_farm_first(db, crawl, tmp_path):
    _, results = scan([str(crawl)], str(db), str(tmp_path / "out.jsonl"), workers=1)
    table = summarize(results)
    farm = table[0]
    assert farm["site"] == "farm.example"
    assert farm["pages"] == 3 and farm["copy"] == 2 and farm["copied_pages"] == 3
    assert farm["copied_share"] > 0.8
    assert {s["source_id"] for s in farm["top_sources"]} == {"ferry", "bakery"}
    news = next(row for row in table if row["site"] == "news.example")
    assert news["copied_pages"] == 0 and news["copied_share"] == 0


def test_a_rerun_skips_what_is_done_and_a_half_written_line_does_no_harm(db, crawl, tmp_path):
    out = tmp_path / "out.jsonl"
    scan([str(crawl)], str(db), str(out), workers=1)
    complete = out.read_text().splitlines(keepends=True)
    # A run killed after two pages, in the middle of writing the third line:
    out.write_text("".join(complete[:2]) + complete[2][:25])
    stats, results = scan([str(crawl)], str(db), str(out), workers=2)
    assert stats.skipped == 2 and stats.scanned == 3
    assert sorted(line["id"] for line in lines(out)) == sorted(json.loads(l)["id"] for l in complete)
    again, _ = scan([str(crawl)], str(db), str(out), workers=2)
    assert again.scanned == 0 and again.skipped == 5
    assert len(lines(out)) == 5


def test_load_done_cuts_a_partial_last_line(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "a", "verdict": "copy", "origin": "x@1"}\n{"id": "b", "verd')
    done, results, errors = load_done(str(out))
    assert done == {"x@1"} and len(results) == 1 and errors == 0  # a page is known by where it was read
    assert out.read_text().endswith("}\n")


def test_damaged_input_is_reported_and_everything_else_is_scanned(db, crawl, tmp_path):
    offsets = record_offsets(crawl)
    damaged = tmp_path / "damaged.warc.gz"
    damaged.write_bytes(crawl.read_bytes()[: offsets[3] + 200])  # cut inside the third page
    text = tmp_path / "page.txt"
    text.write_text(FERRY)
    out = tmp_path / "out.jsonl"
    done = unspin("scan", str(damaged), str(tmp_path / "missing.warc"), str(text), "--db", str(db), "--out", str(out),
                  "--workers", "2", "--summary", str(tmp_path / "sites.csv"))
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if "error" in line]
    assert any(f"{damaged.name}@{offsets[3]}" in line for line in errors)
    assert any("missing.warc" in line for line in errors)
    verdicts = {line["id"]: line.get("verdict") for line in lines(out)}
    assert verdicts["https://farm.example/a"] == "copy" and verdicts[text.name] == "copy"
    with open(tmp_path / "sites.csv") as sheet:
        assert next(csv.DictReader(sheet))["site"] == "farm.example"


def test_a_resumed_scan_of_damaged_input_gives_exactly_the_lines_of_the_first_and_names_each_error_once(
        db, crawl, tmp_path):
    offsets = record_offsets(crawl)
    damaged = tmp_path / "damaged.warc.gz"
    damaged.write_bytes(crawl.read_bytes()[: offsets[3] + 200])  # cut inside the third page
    inputs = [str(damaged), str(tmp_path / "missing.warc"), str(crawl)]
    first = tmp_path / "first.jsonl"
    done = unspin("scan", *inputs, "--db", str(db), "--out", str(first), "-q")
    error_lines = [line for line in done.stderr.splitlines() if line.startswith("unspin: error:")]
    assert done.returncode == 1
    assert len(error_lines) == 2 and f"{len(error_lines)} errors;" in done.stderr  # the count agrees
    for workers in ("1", "2"):
        again = tmp_path / f"again-{workers}.jsonl"
        again.write_bytes(first.read_bytes())
        rerun = unspin("scan", *inputs, "--db", str(db), "--out", str(again), "-j", workers, "-q")
        assert again.read_bytes() == first.read_bytes()  # nothing retried, nothing appended
        assert "unspin: error:" not in rerun.stderr and "0 errors (and 2 from earlier runs" in rerun.stderr
        assert rerun.returncode == 1  # as the uninterrupted scan ended


def test_two_captures_of_one_url_are_two_pages_and_a_resumed_scan_keeps_both(db, tmp_path):
    crawl = write_warc(tmp_path / "crawl.warc.gz", [
        ("response", "https://farm.example/story", page(FERRY)),
        ("response", "https://farm.example/story", page(BAKERY)),  # recaptured with other content
    ])
    out = tmp_path / "out.jsonl"
    scan([str(crawl)], str(db), str(out), workers=1)
    complete = out.read_text()
    assert [line["matches"][0]["source_id"] for line in lines(out)] == ["ferry", "bakery"]
    out.write_text(complete.splitlines(keepends=True)[0])  # killed after the first capture
    stats, _ = scan([str(crawl)], str(db), str(out), workers=2)
    assert stats.scanned == 1 and out.read_text() == complete


def test_the_cli_writes_a_json_summary_and_exits_zero_on_clean_input(db, crawl, tmp_path):
    done = unspin("scan", str(crawl), "--db", str(db), "--out", str(tmp_path / "out.jsonl"),
                  "--summary", str(tmp_path / "sites.json"))
    assert done.returncode == 0, done.stderr
    table = json.loads((tmp_path / "sites.json").read_text())
    assert table[0]["site"] == "farm.example"
    assert "farm.example" in done.stdout  # the summary table


def test_scanning_without_an_index_is_a_clear_error(crawl, tmp_path):
    done = unspin("scan", str(crawl), "--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "out.jsonl"))
    assert done.returncode != 0 and "no index" in done.stderr


def test_a_scan_killed_part_way_resumes_to_the_same_results_as_an_uninterrupted_one(db, tmp_path):
    import random
    import signal
    import time

    rng = random.Random(3)
    words = (FERRY + " " + BAKERY).split()
    pages = [{"id": f"https://farm{n % 7}.example/{n}", "text": " ".join(rng.choice(words) for _ in range(250))}
             for n in range(8000)]
    pages[7000]["text"] = swap_words(FERRY, 0.7, seed=1)  # one spun copy, past the kill
    crawl = tmp_path / "crawl.jsonl"
    crawl.write_text("\n".join(json.dumps(p) for p in pages))
    killed, clean = tmp_path / "killed.jsonl", tmp_path / "clean.jsonl"
    command = [sys.executable, "-m", "unspin.cli", "scan", str(crawl), "--db", str(db), "-j", "1", "-q"]

    process = subprocess.Popen([*command, "--out", str(killed)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and process.poll() is None:
        time.sleep(0.01)
        if killed.exists() and killed.read_bytes().count(b"\n") >= 50:
            break
    process.send_signal(signal.SIGKILL)
    process.wait()
    done_before = killed.read_bytes().count(b"\n")
    assert 50 <= done_before < 8000, "the scan must be killed part-way through"

    assert subprocess.run([*command, "--out", str(killed)], capture_output=True, timeout=300).returncode == 0
    assert subprocess.run([*command, "--out", str(clean)], capture_output=True, timeout=300).returncode == 0

    def results(path: Path) -> dict[str, tuple]:
        rows = lines(path)
        assert len(rows) == len({r["id"] for r in rows}), "no page is scanned twice"
        return {r["id"]: (r["verdict"], [m["source_id"] for m in r["matches"]]) for r in rows}

    resumed = results(killed)
    assert resumed == results(clean)
    assert len(resumed) == 8000
    assert resumed["https://farm0.example/7000"][0] == "spun"


def test_a_json_lines_file_is_split_into_tasks_of_a_few_documents_in_order_and_resumes(db, tmp_path, monkeypatch):
    monkeypatch.setattr(scan_module, "ITEMS_PER_TASK", 2)
    export = tmp_path / "export.jsonl"
    records = [{"id": "a", "text": FERRY}, {"id": "b", "text": BAKERY}, {"id": "c", "text": swap_words(FERRY, 0.3, seed=1)},
               {"id": "d", "text": FERRY_OTHER_OUTLET}, {"id": "e", "text": BAKERY}]
    export.write_text("".join(json.dumps(r) + "\n" for r in records) + "not json\n")
    tasks = list(plan([str(export)], {"export.jsonl:2"}, Limits()))
    # At most two records a task; "b" is already done; the bad line is named after "e", in input order.
    assert [(t.kind, [d.id for d in t.item] if t.kind == "documents" else None) for t in tasks[:5]] == \
        [("documents", ["a"]), ("skip", None), ("documents", ["c", "d"]), ("documents", ["e"]), ("error", None)]
    assert tasks[-1].kind == "skip"  # the rest of the bytes
    assert sum(t.size for t in tasks) == export.stat().st_size
    out = tmp_path / "out.jsonl"
    stats, _ = scan([str(export)], str(db), str(out), workers=2)
    assert stats.scanned == 5 and {line["id"]: line["verdict"] for line in lines(out) if "verdict" in line}["a"] == "copy"


def test_an_archive_s_pages_go_a_few_to_a_task_and_every_byte_is_accounted_for(crawl, monkeypatch):
    monkeypatch.setattr(scan_module, "ITEMS_PER_TASK", 2)
    tasks = list(plan([str(crawl)], set(), Limits()))
    pages = [t for t in tasks if t.kind == "pages"]
    assert pages and all(1 <= len(t.item) <= 2 for t in pages) and any(len(t.item) == 2 for t in pages)
    assert {t.kind for t in tasks} <= {"pages", "skip"}
    assert sum(t.size for t in tasks) == crawl.stat().st_size


def test_a_document_whose_check_fails_gets_an_error_line_and_its_task_mates_their_verdicts(db, tmp_path, monkeypatch):
    def check_many(self, suspects):
        if any(suspect.id == "poison" for suspect in suspects):
            raise RecursionError("pathological page")
        return checked(self, suspects)

    checked = Checker.check_many
    monkeypatch.setattr(Checker, "check_many", check_many)
    export = tmp_path / "export.jsonl"
    records = [{"id": "a", "text": FERRY}, {"id": "poison", "text": BAKERY}, {"id": "c", "text": BAKERY}]
    export.write_text("".join(json.dumps(r) + "\n" for r in records))
    out = tmp_path / "out.jsonl"
    stats, _ = scan([str(export)], str(db), str(out), workers=1)
    found = lines(out)
    assert [line["id"] for line in found] == ["a", "poison", "c"]
    assert found[0]["verdict"] == "copy" and "verdict" in found[2]
    assert found[1]["error"].startswith("check failed (RecursionError: pathological page")
    assert stats.scanned == 2 and stats.errors == 1


def test_postings_left_unwritten_are_written_once_before_the_workers_start(tmp_path, crawl, monkeypatch):
    # An index whose add was killed before writing its segment: the scan writes it, so that
    # the workers map it rather than each reading every fingerprint into memory.
    path = tmp_path / "pending.db"
    with monkeypatch.context() as patched:
        patched.setattr(Index, "_flush", lambda *args, **kwargs: None)
        with Index(path) as store:
            list(store.add([Document("ferry", FERRY), Document("bakery", BAKERY)]))
    with Index(path) as store:
        assert store.db.execute("SELECT count(*) FROM segments").fetchone()[0] == 0
    scan([str(crawl)], str(path), str(tmp_path / "out.jsonl"), workers=1)
    with Index(path) as store:
        covered = store.db.execute("SELECT max(last) FROM segments").fetchone()[0]
        assert covered == store.db.execute("SELECT max(number) FROM sources").fetchone()[0]
    assert {line["id"]: line["verdict"] for line in lines(tmp_path / "out.jsonl")}["https://farm.example/a"] == "copy"


def test_the_summary_gives_each_site_its_pages_intrinsic_spin_scores():
    lines_ = [{"id": f"https://farm.example/{k}", "site": "farm.example", "verdict": "original", "words": 300,
               "intrinsic": {"spin_score": 0.7, "spun": True}} for k in range(2)]
    lines_ += [{"id": f"https://news.example/{k}", "site": "news.example", "verdict": "original", "words": 300,
                "intrinsic": {"spin_score": 0.1, "spun": False}} for k in range(3)]
    lines_ += [{"id": "https://old.example/1", "site": "old.example", "verdict": "original", "words": 300}]
    table = summarize(lines_)
    assert table[0]["site"] == "farm.example"  # no source indexed, yet first: its pages read as spun
    assert table[0]["spin_score"] == 0.7 and table[0]["spun_pages"] == 2
    old = next(row for row in table if row["site"] == "old.example")
    assert old["spin_score"] is None  # a line written before the score existed
