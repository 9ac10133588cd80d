"""The public Python API: what `import unspin` offers, and docs/api.md, whose examples run here."""

from __future__ import annotations

import doctest
import importlib
import json
import pydoc
import subprocess
import sys

import pytest
from click.testing import CliRunner

import unspin
from tests.conftest import BAKERY, FERRY, ROOT, SAMPLES, swap_words
from unspin.cli import main
from unspin.report import result_json


def test_the_examples_of_docs_api_md_run_and_give_the_outputs_shown(tmp_path, monkeypatch):
    (tmp_path / "samples").symlink_to(SAMPLES)
    monkeypatch.chdir(tmp_path)
    outcome = doctest.testfile(str(ROOT / "docs" / "api.md"), module_relative=False, report=True,
                               optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert outcome.attempted > 20
    assert outcome.failed == 0


def test_every_public_name_is_there_and_named_in_the_package_help():
    text = pydoc.render_doc(unspin, renderer=pydoc.plaintext)
    for name in unspin.__all__:
        assert getattr(unspin, name) is not None
        if not name.startswith("_"):
            assert name in text
    assert "check(index: 'Index', documents:" in text


def test_importing_a_submodule_of_a_public_functions_name_leaves_the_function():
    module = importlib.import_module("unspin.check")
    import unspin.read  # noqa: F401  (binds the submodule to the package, were it not for the guard)

    assert callable(unspin.check) and unspin.check is not module
    assert unspin.read.__module__ == "unspin.api"
    assert module.Checker.__name__ == "Checker"


def test_the_cli_starts_without_the_pipelines_heavy_libraries():
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "unspin", "--help"],
                         capture_output=True, text=True, check=True)
    imported = {line.split("|")[-1].strip() for line in run.stderr.splitlines() if "|" in line}
    assert "unspin.cli" in imported
    assert not imported & {"numba", "trafilatura", "numpy"}


def test_to_json_is_the_very_function_of_check_json(tmp_path):
    assert unspin.to_json is result_json
    db, suspect = tmp_path / "sources.db", tmp_path / "suspect.txt"
    suspect.write_text(swap_words(FERRY, share=0.8), encoding="utf-8")
    with unspin.Index(db) as index:
        index.add([unspin.Document("ferry", FERRY), unspin.Document("bakery", BAKERY)])
        result = next(unspin.check(index, unspin.read(suspect)))
    printed = CliRunner().invoke(main, ["check", str(suspect), "--db", str(db), "--json"])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.output) == json.loads(json.dumps(unspin.to_json(result)))
    assert result.verdict is unspin.Verdict.SPUN


def test_compare_gives_the_match_that_compare_json_prints(tmp_path):
    suspect, source = tmp_path / "suspect.txt", tmp_path / "source.txt"
    suspect.write_text(BAKERY[:600], encoding="utf-8")
    source.write_text(BAKERY, encoding="utf-8")
    result = unspin.compare(next(unspin.read(suspect)), next(unspin.read(source)))
    printed = CliRunner().invoke(main, ["compare", str(suspect), str(source), "--json"])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.output) == unspin.to_json(result)["matches"][0]


def test_compare_shows_the_sources_match_even_when_it_is_original():
    result = unspin.compare(FERRY, BAKERY)
    assert result.verdict is unspin.Verdict.ORIGINAL
    assert [match.source.id for match in result.matches] == ["source"]
    assert result.suspect.id == "suspect"


def test_an_unreadable_input_is_counted_as_an_error_and_the_rest_added(tmp_path):
    with unspin.Index(":memory:") as index:
        counts = index.add([unspin.ReadError("gone.txt", "no such file"), unspin.Document("ferry", FERRY)])
        assert counts == {"added": 1, "updated": 0, "unchanged": 0, "errors": 1}
        assert index.add([unspin.Document("ferry", FERRY + "\nCorrection: it was a Wednesday.")])["updated"] == 1


def test_check_passes_an_unreadable_input_through_in_its_place():
    with unspin.Index(":memory:") as index:
        index.add([unspin.Document("ferry", FERRY)])
        error = unspin.ReadError("gone.txt", "no such file")
        items = list(unspin.check(index, [unspin.Document("a", FERRY), error, unspin.Document("b", BAKERY)]))
    assert [getattr(item, "verdict", item) for item in items] == [unspin.Verdict.COPY, error, unspin.Verdict.ORIGINAL]


@pytest.mark.parametrize("call, message", [
    (lambda index: unspin.check(index, unspin.Document("a", FERRY)), "put one document in a list"),
    (lambda index: unspin.check(index, "crawl/"), "not a str"),
    (lambda index: list(unspin.check(index, [FERRY])), "item 0 is a str, not a Document"),
    (lambda index: unspin.check("sources.db", []), "takes an unspin.Index, not str"),
    (lambda index: unspin.check(index, [], candidates=0), "candidates must be at least 1"),
    (lambda index: index.add("ferry.txt"), "Index.add takes documents, not a str"),
    (lambda index: unspin.compare(FERRY, None), "the source must be a Document or a str, not NoneType"),
    (lambda index: unspin.spin(FERRY, rate=1.5), "rate must be between 0 and 1, not 1.5"),
    (lambda index: unspin.spin(FERRY, drop=-0.1), "drop must be between 0 and 1, not -0.1"),
])
def test_a_wrong_argument_fails_at_once_with_a_message_naming_it(call, message):
    with unspin.Index(":memory:") as index:
        with pytest.raises((TypeError, ValueError), match=message):
            call(index)


def test_an_index_that_is_not_there_is_not_made_when_asked_not_to(tmp_path):
    with pytest.raises(FileNotFoundError, match="no index at"):
        unspin.Index(tmp_path / "none.db", create=False)
    assert not (tmp_path / "none.db").exists()


def test_extract_raises_an_extraction_error_on_a_page_without_text():
    with pytest.raises(unspin.ExtractionError, match="no text"):
        unspin.extract("<html><body><script>var x = 1;</script></body></html>")


def test_the_type_marker_ships_with_the_package():
    assert (ROOT / "unspin" / "py.typed").exists()
    assert '"py.typed"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_the_readmes_python_example_runs(tmp_path, monkeypatch, capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use it from Python", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "samples").symlink_to(SAMPLES)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    assert "spun suspects/spun-light.txt ['sources/coral-heat-study.txt']" in capsys.readouterr().out
