"""Where a benchmark suite's results go: NAME.json (every figure) and NAME.md (the report).

A report may end with notes written by hand after a run (a section headed
:data:`NOTES`); a new run of the suite keeps them below its fresh figures, so that explaining
a figure never has to be redone by hand after each run.
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import sys
from pathlib import Path
from typing import Any

NOTES = "## Notes (written by hand"  # the heading's start: "(written by hand after the run above)"


def write_results(out: str | Path, name: str, results: dict[str, Any], markdown: str) -> Path:
    """Write ``out``/NAME.json and ``out``/NAME.md (``markdown``, then the file's notes written by
    hand, if it had any); returns the Markdown's path."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    path = folder / f"{name}.md"
    notes = hand_notes(path)
    path.write_text(markdown.rstrip("\n") + "\n" + (f"\n{notes}" if notes else ""), encoding="utf-8")
    return path


def hand_notes(path: Path) -> str:
    """The section of notes written by hand at the end of a report, or ''."""
    if not path.is_file():
        return ""
    text = path.read_text(encoding="utf-8")
    at = text.find("\n" + NOTES)
    return text[at + 1:] if at >= 0 else ""


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        pass
    versions = {}
    for package in ("numpy", "datasketch", "rapidfuzz"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:  # noqa: BLE001 - a missing version is not worth failing the report
            versions[package] = None
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(memory / 2**30, 1) if memory else None,
            "os": platform.platform(), "python": platform.python_version(), **versions}


def command_line(argv: list[str] | None = None) -> str:
    return "unspin " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
