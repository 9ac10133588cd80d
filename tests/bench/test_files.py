"""A suite's results: JSON and Markdown, the report's notes written by hand kept across runs."""

import json

from unspin.bench.files import NOTES, write_results


def test_both_files_are_written(tmp_path):
    path = write_results(tmp_path / "out", "suite", {"recall": 0.5}, "# Suite\n\nrecall 0.5\n")
    assert path == tmp_path / "out" / "suite.md"
    assert path.read_text(encoding="utf-8") == "# Suite\n\nrecall 0.5\n"
    assert json.loads((tmp_path / "out" / "suite.json").read_text(encoding="utf-8")) == {"recall": 0.5}


def test_notes_written_by_hand_survive_a_new_run(tmp_path):
    notes = f"{NOTES} after the run above)\n\n- Why recall is 0.5: explained here.\n"
    (tmp_path / "suite.md").write_text("# Suite\n\nrecall 0.5\n\n" + notes, encoding="utf-8")
    path = write_results(tmp_path, "suite", {"recall": 0.7}, "# Suite\n\nrecall 0.7\n")
    assert path.read_text(encoding="utf-8") == "# Suite\n\nrecall 0.7\n\n" + notes


def test_a_report_without_notes_is_replaced_whole(tmp_path):
    (tmp_path / "suite.md").write_text("# Suite\n\nold figures\n", encoding="utf-8")
    assert "old" not in write_results(tmp_path, "suite", {}, "# Suite\n\nnew\n").read_text(encoding="utf-8")
