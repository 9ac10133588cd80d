"""End to end through the command line, on the bundled sample and on bad inputs."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, manifest


def unspin(*args: str, db: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "unspin.cli", *args, "--db", str(db)] if args[0] != "extract"
        else [sys.executable, "-m", "unspin.cli", *args],
        capture_output=True, input=stdin, timeout=300,
    )


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "sample.db"
    done = unspin("index", "add", str(SAMPLES / "sources"), db=db)
    assert done.returncode == 0, done.stderr.decode()
    return db


@pytest.fixture(scope="module")
def sample_results(sample_db) -> dict[str, dict]:
    done = unspin("check", str(SAMPLES / "suspects"), "--json", db=sample_db)
    assert done.returncode == 0, done.stderr.decode()
    results = [json.loads(line) for line in done.stdout.decode().splitlines()]
    return {Path(r["origin"]).name: r for r in results}


def source_id(entry: dict) -> str | None:
    # A file's id is its path from the folder holding the folder indexed (samples/sources):
    # the manifest's own, from any working folder.
    return entry["source"]


@pytest.mark.parametrize("entry", manifest(), ids=lambda e: e["suspect"])
def test_every_sample_suspect_gets_its_verdict_and_true_source_first(sample_results, entry):
    result = sample_results[Path(entry["suspect"]).name]
    assert result["verdict"] == entry["verdict"], entry["note"]
    if entry["source"] is None:
        assert result["matches"] == []
    else:
        assert result["matches"][0]["source_id"] == source_id(entry)


def test_json_offsets_point_into_the_extracted_text(sample_db, sample_results):
    suspect = SAMPLES / "suspects" / "spun-light.txt"
    result = sample_results["spun-light.txt"]
    extracted = json.loads(unspin("extract", str(suspect), "--json", db=sample_db).stdout)
    [source_entry] = [e for e in manifest() if e["suspect"].endswith("spun-light.txt")]
    source = json.loads(unspin("extract", str(SAMPLES / source_entry["source"]), "--json", db=sample_db).stdout)
    for passage in result["matches"][0]["passages"]:
        for sub in passage["substitutions"]:
            assert extracted["text"][slice(*sub["suspect"])] == sub["suspect_text"]
            assert source["text"][slice(*sub["source"])] == sub["source_text"]
        s0, s1 = passage["suspect"]
        t0, t1 = passage["source"]
        assert extracted["text"][s0:s1].split()[-1] == source["text"][t0:t1].split()[-1]


def test_bad_inputs_each_give_one_error_line_and_the_rest_is_checked(tmp_path, sample_db):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.dat").write_bytes(bytes(range(256)) * 8)
    (bad / "legacy.txt").write_bytes("Caf\u00e9 owners say the r\u00e9sum\u00e9 of the harbour works is long.".encode("cp1252"))
    (bad / "broken.html").write_text("<html><body><div><p>Half a page about the harbour <b>bridge")
    (bad / "lines.jsonl").write_text('{"id": "fine", "text": "A fine record about rowing."}\n{oops\n')
    good = SAMPLES / "suspects" / "spun-light.txt"
    done = unspin("check", str(bad), str(tmp_path / "missing.txt"), str(good), "--json", db=sample_db)
    assert done.returncode == 1
    errors = done.stderr.decode().strip().splitlines()
    assert len(errors) == 4, errors
    for name in ("empty.txt", "binary.dat", "lines.jsonl:2", "missing.txt"):
        assert sum(name in line for line in errors) == 1, (name, errors)
    results = [json.loads(line) for line in done.stdout.decode().splitlines()]
    verdicts = {Path(r["id"]).name: r.get("verdict") for r in results}
    assert verdicts["spun-light.txt"] == "spun"
    assert verdicts["legacy.txt"] == "original" and verdicts["broken.html"] == "original"
    assert verdicts["fine"] == "original"
    assert {"id", "error"} <= next(r for r in results if "empty.txt" in r["id"]).keys()


def test_index_commands(tmp_path, sample_db):
    stats = json.loads(unspin("index", "stats", "--json", db=sample_db).stdout)
    assert stats["sources"] == 12
    listed = unspin("index", "list", "--json", db=sample_db).stdout.decode().splitlines()
    assert len(listed) == 12
    db = tmp_path / "copy.db"
    unspin("index", "add", str(SAMPLES / "sources"), db=db)
    again = unspin("index", "add", str(SAMPLES / "sources"), db=db)
    assert b"0 added" in again.stderr and b"12 unchanged" in again.stderr
    removed = unspin("index", "remove", "wire-2026-0412", "nope", db=db)
    assert removed.returncode == 1 and b"nope" in removed.stderr
    assert json.loads(unspin("index", "stats", "--json", db=db).stdout)["sources"] == 11


def test_check_without_an_index_says_so(tmp_path):
    done = unspin("check", str(SAMPLES / "suspects" / "original.txt"), db=tmp_path / "none.db")
    assert done.returncode != 0 and b"no index" in done.stderr
    assert not (tmp_path / "none.db").exists()


def test_html_report(tmp_path, sample_db):
    report = tmp_path / "report.html"
    done = unspin("check", str(SAMPLES / "suspects" / "spun-heavy.txt"), "--html", str(report), db=sample_db)
    assert done.returncode == 0
    assert "<ins" in report.read_text() and "spun" in done.stdout.decode()


def test_standard_input(sample_db):
    text = (SAMPLES / "suspects" / "spun-light.txt").read_bytes()
    done = unspin("check", "-", "--json", db=sample_db, stdin=text)
    assert json.loads(done.stdout)["verdict"] == "spun"


def test_unspin_runs_without_network_or_root():
    source = (Path(__file__).parent.parent / "unspin").rglob("*.py")
    text = "\n".join(p.read_text() for p in source)
    for forbidden in ("urlopen", "requests.get", "os.setuid", "sudo "):
        assert forbidden not in text


def test_a_file_that_is_not_an_index_is_refused_in_one_line(tmp_path):
    fake = tmp_path / "fake.db"
    fake.write_text("not a database")
    for command in (("index", "add", str(SAMPLES / "sources")), ("check", str(SAMPLES / "suspects"))):
        done = unspin(*command, db=fake)
        assert done.returncode == 1
        assert done.stderr.decode().strip() == f"Error: cannot open the index {fake}: file is not a database"


def test_a_folder_indexed_from_two_working_folders_gives_one_source_per_file(tmp_path):
    shared = tmp_path / "shared" / "data"
    shared.mkdir(parents=True)
    for name in ("coral-heat-study.txt", "rowing-final.txt"):
        (shared / name).write_bytes((SAMPLES / "sources" / name).read_bytes())
    (shared / "README.TXT").write_text("About this folder: two articles written for the tests.\n")
    (shared / "notes.txt").write_text("Our own notes on the two articles, not an article at all.\n")
    (tmp_path / "elsewhere").mkdir()
    db = tmp_path / "u.db"

    def add(cwd: Path, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "unspin.cli", "index", "add", *args, "--db", str(db)],
                              capture_output=True, text=True, timeout=300, cwd=cwd,
                              env={**os.environ, "PYTHONPATH": str(SAMPLES.parent)})

    first = add(tmp_path, "shared/data", "--exclude", "notes.*")
    assert first.returncode == 0, first.stderr
    assert "skipped 2 files (data/README.TXT, data/notes.txt)" in first.stderr
    again = add(tmp_path / "elsewhere", "../shared/data", "--exclude", "notes.*")
    assert "0 added" in again.stderr and "2 unchanged" in again.stderr and "2 sources" in again.stderr
    listed = subprocess.run([sys.executable, "-m", "unspin.cli", "index", "list", "--db", str(db)],
                            capture_output=True, text=True, timeout=300)
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == ["data/coral-heat-study.txt",
                                                                          "data/rowing-final.txt"]
