import json
import subprocess
import sys

from tests.conftest import SAMPLES
from tests.cli.test_cli import sample_db, unspin  # noqa: F401  (a fixture)


def test_many_suspects_checked_by_workers_give_one_process_s_lines_in_input_order(tmp_path, sample_db):
    texts = [path.read_text() for path in sorted((SAMPLES / "suspects").glob("*.txt"))]
    records = [json.dumps({"id": f"suspect-{n}", "text": texts[n % len(texts)]}) for n in range(150)]
    records.insert(100, "{a line that is not JSON")  # an error among them, past the first 64
    feed = tmp_path / "suspects.jsonl"
    feed.write_text("\n".join(records) + "\n")
    alone = unspin("check", str(feed), "--json", "--workers", "1", db=sample_db)
    together = unspin("check", str(feed), "--json", "--workers", "2", db=sample_db)
    assert alone.returncode == together.returncode == 1  # the bad line
    assert together.stdout == alone.stdout
    lines = [json.loads(line) for line in together.stdout.decode().splitlines()]
    assert len(lines) == 151 and "error" in lines[100] and lines[101]["id"] == "suspect-100"
    assert sum(line.get("verdict") not in (None, "original") for line in lines) > 50


class _Echo:
    """A checker that gives its inputs back as their results."""

    def check_all(self, items):
        return iter(list(items))


def test_workers_are_forked_once_the_language_identifier_is_loaded(monkeypatch):
    import unspin.cli.parallel as parallel
    import unspin.language as language

    loaded_at_fork = []

    def in_order(work, chunks, workers, ahead, start, startargs):
        loaded_at_fork.append(language._identifier.cache_info().currsize)
        for chunk in chunks:
            yield chunk, chunk

    monkeypatch.setattr(parallel, "in_order", in_order)
    language._identifier.cache_clear()
    few = list(parallel.checked(_Echo(), range(parallel.ALONE), "unused.db", 10, 2))
    assert few == list(range(parallel.ALONE)) and loaded_at_fork == []  # no worker: nothing loaded
    assert language._identifier.cache_info().currsize == 0
    many = list(parallel.checked(_Echo(), range(200), "unused.db", 10, 2))
    assert many == list(range(200)) and loaded_at_fork == [1]
