"""Hostile inputs, generated here: each gives one error line naming it, the rest goes on."""

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FERRY

MiB = 1024 * 1024


def write_gzip_bomb(path: Path, megabytes: int) -> None:
    with gzip.open(path, "wb", compresslevel=9) as out:
        block = b"<p>" + b"a" * MiB
        for _ in range(megabytes):
            out.write(block)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A folder of hostile inputs, with the error each one must produce."""
    folder = tmp_path_factory.mktemp("hostile")
    expected = {}

    def add(name: str, content: bytes, error: str) -> None:
        (folder / name).write_bytes(content)
        expected[name] = error

    add("empty.txt", b"", "empty")
    add("binary.bin", os.urandom(4096), "binary")
    add("nul.txt", b"\x00" * 2048, "binary")
    add("truncated.html.gz", gzip.compress(b"<p>" + FERRY.encode() * 20)[:200], "truncated gzip")
    add("corrupt.txt.gz", b"\x1f\x8b\x08\x00" + os.urandom(300), "gzip")
    add("script-only.html", b"<html><head><script>var x = 1;</script></head><body></body></html>", "no text")
    add("broken.jsonl", b'{"id": "j1", "text": "fine"}\n{"id": broken\n', "not valid JSON")
    add("nested.html", b"<html><body>" + b"<div>" * 50_000 + b"<p>deep</p>" + b"</div>" * 50_000 + b"</body></html>", "")
    (folder / "one-long-line.txt").write_bytes(b"word " * (3 * MiB))  # 15 MB, over a 4 MiB cap
    expected["one-long-line.txt"] = "limit"
    write_gzip_bomb(folder / "bomb.html.gz", megabytes=64)
    expected["bomb.html.gz"] = "limit"
    loop = folder / "loop"
    loop.mkdir()
    os.symlink(loop, loop / "again")  # a folder that contains itself
    os.symlink(folder / "missing-target", folder / "dangling.txt")
    expected["dangling.txt"] = "broken link"
    (folder / "good.txt").write_text(FERRY, encoding="utf-8")
    (folder / "mixed-encoding.txt").write_bytes("Ferry to Dunmore: café ".encode() + "naïve".encode("cp1252"))
    return folder, expected


def test_each_hostile_input_gets_one_error_line_and_good_inputs_are_read(hostile, tmp_path):
    folder, expected = hostile
    done = subprocess.run(
        [sys.executable, "-m", "unspin.cli", "index", "add", str(folder), "--db", str(tmp_path / "h.db"),
         "--max-bytes", str(4 * MiB)],
        capture_output=True, timeout=300,
    )
    assert done.returncode == 1
    lines = done.stderr.decode().splitlines()
    errors = [line for line in lines if line.startswith("unspin: error:")]
    for name, message in expected.items():
        mine = [line for line in errors if f"/{name}" in line]
        if not message:  # either read or refused, but never a crash
            assert len(mine) <= 1, name
            continue
        assert len(mine) == 1, (name, errors)
        assert message in mine[0], (name, mine[0])
    summary = lines[-1]
    # good.txt, mixed-encoding.txt and the good JSONL record are added (nested.html may be too).
    assert summary.startswith(("3 added", "4 added")), summary
    assert "Traceback" not in done.stderr.decode()


def test_check_reports_hostile_inputs_in_json_and_goes_on(hostile, tmp_path):
    folder, expected = hostile
    db = tmp_path / "c.db"
    subprocess.run([sys.executable, "-m", "unspin.cli", "index", "add", str(folder / "good.txt"), "--db", str(db)], check=True, capture_output=True)
    done = subprocess.run(
        [sys.executable, "-m", "unspin.cli", "check", str(folder), "--json", "--db", str(db), "--max-bytes", str(4 * MiB)],
        capture_output=True, timeout=300,
    )
    assert done.returncode == 1
    results = [json.loads(line) for line in done.stdout.decode().splitlines()]
    by_name = {Path(r["id"].split(":")[0]).name: r for r in results}
    assert by_name["good.txt"]["verdict"] == "copy"
    assert "error" in by_name["bomb.html.gz"] and "error" in by_name["binary.bin"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_file_is_named(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("text")
    path.chmod(0)
    done = subprocess.run([sys.executable, "-m", "unspin.cli", "extract", str(path)], capture_output=True)
    assert done.returncode == 1 and b"secret.txt" in done.stderr and b"ermission" in done.stderr
