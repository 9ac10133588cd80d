"""unspin bench --suite templates: members of template families checked against each other."""

import json

import pytest

from unspin.bench import templates as bench_templates
from unspin.bench.templates import Family, load_families, run, synthetic_families, write_report
from unspin.check import Result
from unspin.document import Document
from unspin.judge import Verdict


def quiet(_line):
    pass


def test_synthetic_families_raise_no_false_alarm(tmp_path):
    results = run(None, None, background_count=0, synthetic=6, log=quiet, command="unspin bench --suite templates")
    assert sum(f["members"] for f in results["families"].values()) == 6 * len(results["families"])
    assert results["false_alarms"] == []
    path = write_report(results, tmp_path)
    assert "| **all** | 42 | **0** |" in path.read_text(encoding="utf-8")
    assert json.loads((tmp_path / "templates.json").read_text(encoding="utf-8"))["data"] == "synthetic"


def test_a_copy_among_the_members_is_a_false_alarm_listed_with_its_evidence(monkeypatch):
    # The suite can fail: a member that is a copy of another is flagged, against its own family.
    families = synthetic_families(6)
    weather = next(f for f in families if f.name == "weather")
    weather.members.append(Document("weather/copy", weather.members[0].text))
    monkeypatch.setattr(bench_templates, "synthetic_families", lambda count, seed: families)
    results = run(None, None, background_count=0, synthetic=6, log=quiet)
    flagged = {alarm["id"]: alarm for alarm in results["false_alarms"]}
    assert set(flagged) == {"weather/000", "weather/copy"}
    assert flagged["weather/copy"]["verdict"] == "copy" and flagged["weather/copy"]["same_family"]
    passage = flagged["weather/copy"]["matches"][0]["passages"][0]
    assert passage["matched"] > 12 and passage["text"] in weather.members[0].text
    assert results["families"]["weather"]["same_family"] == 2


def test_families_are_read_from_their_folders_as_the_list_of_pages_says(tmp_path):
    for family, texts in {"weather": ["Sunny, high near 70.\n", "Cloudy, low around 40.\n"],
                          "obituary": ["Jo Smith, 83, died.\n"]}.items():
        (tmp_path / family).mkdir()
        for k, text in enumerate(texts, start=1):
            (tmp_path / family / f"{k:03d}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "001.txt").write_text("@@@ weather\thttps://example.org/1\nSunny.\n", encoding="utf-8")
    (tmp_path / "pages.tsv").write_text("family\tfile\taddress\tstatus\n"
                                        "weather\tweather/001.txt\thttps://example.org/1\tkept\n"
                                        "weather\tweather/002.txt\thttps://example.org/2\tkept\n"
                                        "obituary\tobituary/001.txt\thttps://example.org/3\tkept\n", encoding="utf-8")
    families = load_families(tmp_path)
    assert [(f.name, [m.id for m in f.members]) for f in families] == [
        ("obituary", ["obituary/001.txt"]), ("weather", ["weather/001.txt", "weather/002.txt"])]
    assert bench_templates.addresses(tmp_path)["weather/002.txt"] == "https://example.org/2"


def test_a_missing_data_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no templates data at .*nowhere"):
        load_families(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="expected one subfolder"):
        load_families(tmp_path)


def test_the_family_of_a_match_is_told_by_its_id():
    assert Family("weather", []).name == "weather"
    entry = bench_templates.outcome("weather", Document("weather/1", "x"),
                                    Result(Document("weather/1", "x"), Verdict.ORIGINAL),
                                    {})
    assert entry == {"family": "weather", "id": "weather/1", "address": None, "verdict": "original", "matches": [],
                     "same_family": False}
