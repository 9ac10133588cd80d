"""Where a benchmark suite's results go: NAME.json (every figure) and NAME.md (the report).

A report may end with notes written by hand after a run (a section headed
:data:`NOTES`); a new run of the suite keeps them below its fresh figures, so that explaining
a figure never has to be redone by hand after each run.
"""

from __future__ import annotations

import json
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
