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
