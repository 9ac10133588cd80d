"""unspin: find scraped and spun copies of articles and trace each one to its source.

The public API (docs/api.md has runnable examples); what is named here stays stable:

    import unspin

    with unspin.Index("sources.db") as index:
        index.add(unspin.read(["archive/"]))          # {"added": ..., "errors": ...}
        for result in unspin.check(index, unspin.read(["crawl/"])):
            print(unspin.to_json(result))             # a line of 'unspin check --json'

Functions:
    read(paths)               documents from files, folders, globs, JSONL, WARC (ReadError if unreadable)
    extract(html)             the main text and metadata of an HTML page, as a Document
    check(index, documents)   a Result per suspect: verdict, matches, passages
    compare(suspect, source)  one suspect against one source, without an index
    spin(text, rate, seed)    a spun copy, as content farms make them (a SpinResult)
    to_json(result)           the JSON object of 'unspin check --json' (the CLI's own function)

Types: Index, Document, ReadError, Result, Match, Judgement, Passage, Verdict, SpinResult,
ExtractionError.

The names are imported on first use, so ``import unspin`` (and the CLI's start) stays quick.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from unspin.document import Document, ReadError

__version__ = "0.1.0"

# Each public name and the module it lives in, imported when first asked for: the pipeline
# loads numba and numpy, the extractor trafilatura, none of which `unspin --help` needs.
_LAZY = {
    "Index": "unspin.api",
    "read": "unspin.api",
    "extract": "unspin.api",
    "check": "unspin.api",
    "compare": "unspin.api",
    "spin": "unspin.api",
    "to_json": "unspin.report",
    "Result": "unspin.check",
    "Match": "unspin.check",
    "Judgement": "unspin.judge",
    "Verdict": "unspin.judge",
    "Passage": "unspin.passage",
    "SpinResult": "unspin.spinner.spin",
    "ExtractionError": "unspin.extract",
}
_RENAMED = {"to_json": "result_json"}  # the CLI's name for it

__all__ = ["Document", "ReadError", "__version__", *_LAZY]

if TYPE_CHECKING:  # what type checkers and editors see
    from unspin.passage import Passage
    from unspin.api import Index, check, compare, extract, read, spin
    from unspin.check import Match, Result
    from unspin.extract import ExtractionError
    from unspin.judge import Judgement, Verdict
    from unspin.report import result_json as to_json
    from unspin.spinner.spin import SpinResult


class _Package(types.ModuleType):
    """The package's own module type: importing a submodule that shares a public function's
    name (unspin.check, read, extract, spin) leaves the function in place, where the import
    system would bind the submodule. The submodule stays in ``sys.modules`` for
    ``from unspin.check import ...`` and :func:`importlib.import_module`."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'unspin' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), _RENAMED.get(name, name))
    globals()[name] = value  # asked for once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
