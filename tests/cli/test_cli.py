"""End to end through the command line, on the bundled sample and on bad inputs."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import FERRY, SAMPLES, manifest
from unspin.cli import main


def unspin(*args: str, db: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "unspin.cli", *args, "--db", str(db)] if args[0] not in ("extract", "compare")
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
    source = (Path(__file__).parent.parent.parent / "unspin").rglob("*.py")
    text = "\n".join(p.read_text() for p in source)
    for forbidden in ("urlopen", "requests.get", "os.setuid", "sudo "):
        assert forbidden not in text


def test_a_file_that_is_not_an_index_is_refused_in_one_line(tmp_path):
    fake = tmp_path / "fake.db"
    fake.write_text("not a database")
    for command in (("index", "add", str(SAMPLES / "sources")), ("check", str(SAMPLES / "suspects"))):
        done = unspin(*command, db=fake)
        assert done.returncode == 1
        assert done.stderr.decode().strip() == f"unspin: error: cannot open the index {fake}: file is not a database"


# --- compare: one pair, no index -------------------------------------------------------


def test_compare_prints_the_match_that_check_finds_for_that_source(sample_results, tmp_path):
    suspect, source = SAMPLES / "suspects" / "copy-edited.txt", SAMPLES / "sources" / "council-budget-vote.txt"
    done = unspin("compare", str(suspect), str(source), "--json", db=tmp_path / "unused.db")
    assert done.returncode == 0, done.stderr.decode()
    (match,) = [m for m in sample_results["copy-edited.txt"]["matches"] if m["source_id"] == "sources/council-budget-vote.txt"]
    compared = json.loads(done.stdout)
    assert compared["source_id"] == "council-budget-vote.txt"  # a file named directly goes by its name
    assert {**compared, "source_id": match["source_id"]} == match and match["verdict"] == "copy"
    assert not (tmp_path / "unused.db").exists()


def test_compare_in_the_terminal_and_in_html(tmp_path):
    suspect, source = SAMPLES / "suspects" / "rewrite-farm.txt", SAMPLES / "sources" / "flood-warning-valley.txt"
    report = tmp_path / "pair.html"
    done = unspin("compare", str(suspect), str(source), "--html", str(report), db=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    lines = done.stdout.decode().splitlines()
    assert lines[0].split() == ["paraphrase", suspect.name] and "swapped:" in lines[-1]
    page = report.read_text(encoding="utf-8")
    assert '<mark class="passage"' in page and "flood-warning-valley" in page


def test_compare_of_unrelated_texts_is_original_with_the_source_shown(tmp_path):
    suspect, source = SAMPLES / "suspects" / "original.txt", SAMPLES / "sources" / "rowing-final.txt"
    done = unspin("compare", str(suspect), str(source), db=tmp_path)
    assert done.returncode == 0
    shown = done.stdout.decode().split()
    assert shown[:2] == ["original", suspect.name] and "1." in shown and "0%" in shown  # the source's row
    as_json = json.loads(unspin("compare", str(suspect), str(source), "--json", db=tmp_path).stdout)
    assert as_json["verdict"] == "original" and as_json["passages"] == []


def test_compare_reads_one_side_from_standard_input(tmp_path):
    text = (SAMPLES / "suspects" / "copy-edited.txt").read_bytes()
    done = unspin("compare", "-", str(SAMPLES / "sources" / "council-budget-vote.txt"), "--json", db=tmp_path, stdin=text)
    assert json.loads(done.stdout)["verdict"] == "copy"


@pytest.mark.parametrize("suspect, source, message", [
    ("nope.txt", "sources/rowing-final.txt", "unspin: error: SUSPECT {samples}/nope.txt: no such file or directory"),
    ("suspects/original.txt", "sources/wire.jsonl",
     "unspin: error: SOURCE {samples}/sources/wire.jsonl: holds more than one document; compare takes one of each"),
    ("-", "-", "unspin: error: only one of SUSPECT and SOURCE can be - (standard input)"),
])
def test_compare_refuses_what_is_not_one_document_each_in_one_line(tmp_path, suspect, source, message):
    paths = [p if p == "-" else str(SAMPLES / p) for p in (suspect, source)]
    done = unspin("compare", *paths, db=tmp_path, stdin=b"some text")
    assert done.returncode == 1
    assert done.stderr.decode().strip() == message.format(samples=SAMPLES)


@pytest.mark.parametrize("args, status, message", [
    (("check",), 2, "Missing argument 'PATH...'."),
    (("check", "x.txt", "--candidates", "0"), 2, "Invalid value for '--candidates': 0 is not in the range x>=1."),
    (("chek", "x.txt"), 2, "No such command 'chek'. Did you mean 'check'?"),
    (("spin", "x.txt", "--rate", "2"), 2, "Invalid value for '--rate': must be between 0 and 1"),
    (("spin", "missing.txt"), 1, "cannot read missing.txt: No such file or directory"),
    (("check", "x.txt", "--db", "missing.db"), 1, "no index at missing.db (create one with 'unspin index add')"),
])
def test_every_error_is_in_one_style_with_clicks_exit_status(tmp_path, args, status, message):
    # click's usage errors and unspin's own: 'unspin: error: ...' last, after the usage line
    # and where to find help for a usage error; exit status 2 for a usage error, else 1.
    done = subprocess.run([sys.executable, "-m", "unspin.cli", *args], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == status
    lines = done.stderr.splitlines()
    assert lines[-1] == f"unspin: error: {message}"
    if status == 2:
        assert lines[0].startswith("Usage: ") and lines[1].startswith("Try '") and len(lines) == 3
    else:
        assert len(lines) == 1


def test_piped_output_keeps_long_ids_whole_on_their_line(tmp_path, monkeypatch):
    # Not a terminal (the output is captured): rich would fold the table at 80 columns.
    monkeypatch.delenv("COLUMNS", raising=False)
    long_id = "https://www.dunmore-island-gazette.example/2026/05/" + "ferry-service-suspended-" * 4 + "engine-failure"
    (tmp_path / "sources.jsonl").write_text(json.dumps({"id": long_id, "text": FERRY}) + "\n")
    suspect = tmp_path / ("a-copy-with-a-long-name-" * 3 + "of-the-ferry-story.txt")
    suspect.write_text(FERRY)
    db = str(tmp_path / "u.db")
    runner = CliRunner()
    assert runner.invoke(main, ["index", "add", str(tmp_path / "sources.jsonl"), "--db", db]).exit_code == 0
    done = runner.invoke(main, ["check", str(suspect), "--db", db])
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["copy", suspect.name]
    assert lines[1].split() == ["source", "verdict", "coverage", "spin", "passages"]
    assert lines[2].split()[:3] == ["1.", long_id, "copy"] and len(lines) == 3


def test_a_quotation_shared_with_a_source_is_shown_as_a_shared_quote_not_a_match(tmp_path, sample_db, sample_results):
    # samples/suspects/same-event.txt: an independent report that quotes the same official.
    result = sample_results["same-event.txt"]
    assert result["verdict"] == "original" and result["matches"] == []
    [shared] = result["shared_quotes"]
    source = SAMPLES / "sources" / "harbour-bridge-closure.txt"
    assert shared["source_id"] == "sources/harbour-bridge-closure.txt"
    [passage] = shared["passages"]
    suspect = SAMPLES / "suspects" / "same-event.txt"
    suspect_text = json.loads(unspin("extract", str(suspect), "--json", db=sample_db).stdout)["text"]
    source_text = json.loads(unspin("extract", str(source), "--json", db=sample_db).stdout)["text"]
    quoted = suspect_text[slice(*passage["suspect"])]
    assert passage["quote"] is True and passage["matched_words"] >= 30
    assert quoted.startswith("We do not take the decision") and quoted == source_text[slice(*passage["source"])]
    assert all(r["shared_quotes"] == [] for name, r in sample_results.items() if name != "same-event.txt")

    report = tmp_path / "report.html"
    done = unspin("check", str(suspect), "--html", str(report), db=sample_db)
    assert done.returncode == 0
    lines = done.stdout.decode().splitlines()
    assert lines[0].split() == ["original", suspect.name]
    assert lines[1].startswith("     shared quote with sources/harbour-bridge-closure.txt: “We do not take the decision")
    assert lines[1].endswith(f"({passage['matched_words']} words, not counted as copying)") and len(lines) == 2
    page = report.read_text()
    assert f"shared quote</span> sources/harbour-bridge-closure.txt · {passage['matched_words']} words quoted in both" in page
    assert page.count('<mark class="quote" id=') == 2  # the quotation, in the suspect and in the source


def _commands(group, path=()):
    """Every command of the CLI, with its path of names (``("index", "add")``)."""
    commands = group.every_command() if hasattr(group, "every_command") else group.commands
    for name, command in sorted(commands.items()):
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


def _cli_table() -> dict[str, str]:
    """docs/cli.md's table: its first cell (the command as used) -> its options cell."""
    rows = {}
    for line in (SAMPLES.parent / "docs" / "cli.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == 3 and cells[0].startswith("`unspin "):
            rows[cells[0].strip("`")] = cells[2]
    return rows


def _named(option: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


def test_docs_cli_lists_every_command_and_option_of_the_real_cli():
    import click

    rows = _cli_table()
    documented = set()
    for path, command in _commands(main):
        context = click.Context(command, info_name=" ".join(path))
        usage = " ".join(["unspin", *path, *(p for p in command.collect_usage_pieces(context) if p != "[OPTIONS]")])
        assert usage in rows, f"docs/cli.md has no row for {usage}"
        documented.add(usage)
        options = rows[usage]
        names = {name for p in command.params if isinstance(p, click.Option) for name in p.opts + p.secondary_opts}
        for name in names:
            assert _named(name, options), f"docs/cli.md does not list {name} of {usage}"
        # And nothing stale: every option the row names is one the command has.
        for name in re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", options):
            assert name in names, f"docs/cli.md lists {name} for {usage}, which has no such option"
    assert set(rows) == documented, f"docs/cli.md has rows for no command: {set(rows) - documented}"


def test_the_limits_of_the_code_are_the_documented_ones():
    from unspin.read import Limits

    for doc in ("README.md", "docs/cli.md"):
        text = " ".join((SAMPLES.parent / doc).read_text(encoding="utf-8").split())
        assert f"text longer than the {Limits().max_chars:,}-character limit" in text, doc
        assert f"{Limits().max_bytes // 2**20} MiB" in text, doc


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


HEAVY = ("numba", "trafilatura", "warcio", "rapidfuzz", "charset_normalizer", "unspin.check")


def modules_after(*args: str) -> list[str]:
    """The heavy modules that running the command ``args`` in a fresh process imported."""
    code = ("import sys\nfrom unspin.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            f"print([m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)
    return json.loads(done.stderr.strip().splitlines()[-1].replace("'", '"'))


@pytest.mark.parametrize("args", [("--help",), ("index", "--help"), ("check", "--help"), ("spin", "--help")])
def test_help_imports_none_of_the_pipeline(args):
    assert modules_after(*args) == []


def test_a_command_imports_no_other_command_s_module():
    code = ("import sys\nfrom unspin.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('unspin.cli.')), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, "check", "--help"], capture_output=True, text=True, timeout=120)
    assert done.stderr.strip().splitlines()[-1] == "['unspin.cli.app', 'unspin.cli.check']"
    listed = subprocess.run([sys.executable, "-c", code, "--help"], capture_output=True, text=True, timeout=120)
    for name in ("bench", "check", "cluster", "compare", "extract", "index", "load", "scan", "serve", "spin"):
        assert f"  {name} " in listed.stdout  # --help lists every command, their modules imported


def test_index_stats_imports_none_of_the_pipeline_and_reads_no_postings(sample_db, monkeypatch):
    assert modules_after("index", "stats", "--db", str(sample_db)) == []
    from unspin import index as index_module

    def refuse(*args, **kwargs):
        raise AssertionError("index stats read the postings")

    monkeypatch.setattr(index_module.Index, "_load", refuse)
    done = CliRunner().invoke(main, ["index", "stats", "--db", str(sample_db)])
    assert done.exit_code == 0 and "sources" in done.output
