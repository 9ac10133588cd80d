"""Bulk scan: check a crawl against the index on every core, resumably, with a per-site summary.

The parent process splits the inputs into tasks and writes the results; worker processes
do the expensive part (HTML extraction, retrieval, alignment), each with its own read-only
connection to the index:

* an archive (WARC/ARC) is read record by record in the parent, cheaply (no extraction),
  and its HTML payloads are tasks, so one large WARC keeps every core busy;
* a JSON lines file is read in the parent too, and so is standard input: their documents
  are tasks;
* any other file is one task (the worker reads and extracts it).

Consecutive pages or documents go a few to a task, and the worker checks them together
(:meth:`unspin.check.Checker.check_many`: one retrieval for all of them).

Results come back in input order and are appended to the output as JSON lines (the
``unspin check --json`` format, plus ``origin``, ``site`` and ``words``), flushed as they
come. Rerunning with the same output skips every input whose id or origin already has a
result line, an error line included (a damaged record is named once, ever, however often
the scan is resumed); a line cut short by a killed run is dropped first, so it does no harm.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from unspin.check import Checker, Result
from unspin.document import Document, ReadError
from unspin.extract import host
from unspin.index import Index
from unspin.read import STDIN, Input, Limits, Selection, expand_inputs, file_kind, read_documents, read_file
from unspin.report import result_json
from unspin.warc import iter_pages, page_document
from unspin.workers import in_order

VERDICTS = ("copy", "spun", "paraphrase", "partial", "original")
COPIED = ("copy", "spun", "paraphrase", "partial")
TOP_SOURCES = 5
TASKS_PER_SEND = 4  # tasks a worker is handed at once
TASKS_AHEAD = 4  # handfuls of tasks per worker in flight, not yet written out
ITEMS_PER_TASK = 16  # documents or archive pages checked together by one task


# --- tasks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """One unit of work for a worker: a file to read, a raw archive page, or a document."""

    kind: str  # "file", "pages" or "documents" (lists; one "page" or "document" each, before grouping), "skip" or "error"
    item: Any
    size: int  # input bytes this task accounts for (for the progress bar)


def plan(paths: Iterable[str], done: set[str], limits: Limits, selection: Selection | None = None) -> Iterator[Task]:
    """The tasks for ``paths``, skipping inputs already done (by id or origin).

    Consecutive documents and archive pages go :data:`ITEMS_PER_TASK` to a task, in input
    order: a worker checks a task's documents together, retrieving their candidates in one
    query (:meth:`unspin.check.Checker.check_many`). ``selection`` says which files under
    folders and globs are read (and collects those skipped)."""
    return _grouped(_tasks(paths, done, limits, selection))


def _tasks(paths: Iterable[str], done: set[str], limits: Limits, selection: Selection | None) -> Iterator[Task]:
    for path in paths:
        if path == STDIN:
            for item in read_documents([STDIN], limits):
                if not answered(item, done):
                    yield Task("error" if isinstance(item, ReadError) else "document", item, 0)
            continue
        for found in expand_inputs(path, selection):
            if isinstance(found, ReadError):
                if found.id not in done:
                    yield Task("error", found, 0)
            elif file_kind(found.path) in ("warc", "arc"):
                yield from _archive_tasks(found, done, limits)
            elif file_kind(found.path) == "jsonl":
                yield from _record_tasks(found, done, limits)
            elif found.name not in done:  # a file's origin is its name
                yield Task("file", found, _size(found.path))


def _archive_tasks(found: Input, done: set[str], limits: Limits) -> Iterator[Task]:
    position = 0
    for page in iter_pages(found.path, limits, found.name):
        if isinstance(page, ReadError):
            if page.id not in done:
                yield Task("error", page, 0)
            continue
        size, position = max(0, page.end - position), max(position, page.end)
        if page.origin in done:
            yield Task("skip", None, size)
        else:
            yield Task("page", page, size)
    yield Task("skip", None, max(0, _size(found.path) - position))


def _record_tasks(found: Input, done: set[str], limits: Limits) -> Iterator[Task]:
    """A JSON lines file's documents, one task each (read here, checked by the workers): an
    export of a crawl is often one large file, and one task would keep one worker busy."""
    counted = 0
    for item in read_file(found.path, limits, found.name):
        if isinstance(item, ReadError):
            if not answered(item, done):
                yield Task("error", item, 0)
            continue
        size = len(item.text)  # about its share of the file's bytes, for the progress bar
        counted += size
        if answered(item, done):
            yield Task("skip", None, size)
        else:
            yield Task("document", item, size)
    yield Task("skip", None, max(0, _size(found.path) - counted))


_GROUPS = {"document": "documents", "page": "pages"}


def _grouped(tasks: Iterable[Task]) -> Iterator[Task]:
    """Runs of consecutive tasks of one kind of :data:`_GROUPS`, up to :data:`ITEMS_PER_TASK`
    a task; every other task as it comes, after the run before it (input order is kept)."""
    run: list[Task] = []
    for task in tasks:
        if run and (task.kind != run[0].kind or len(run) == ITEMS_PER_TASK):
            yield Task(_GROUPS[run[0].kind], [t.item for t in run], sum(t.size for t in run))
            run = []
        if task.kind in _GROUPS:
            run.append(task)
        else:
            yield task
    if run:
        yield Task(_GROUPS[run[0].kind], [t.item for t in run], sum(t.size for t in run))


def _size(name: str) -> int:
    try:
        return os.path.getsize(name)
    except OSError:
        return 0


def total_size(paths: Iterable[str], exclude: tuple[str, ...] = ()) -> int:
    """Bytes of input under ``paths``, for the progress bar's total (0 when unknown)."""
    total = 0
    for path in paths:
        if path == STDIN:
            return 0
        for found in expand_inputs(path, Selection(exclude)):
            if not isinstance(found, ReadError):
                total += _size(found.path)
    return total


# --- workers ---------------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _write_postings(db: str) -> None:
    """The index's pending postings written once here, not read into memory by every worker;
    left to the workers when the index cannot be written (a read-only file or folder)."""
    try:
        with Index(db, create=False) as index:
            index.write_postings()
    except (sqlite3.Error, OSError):
        pass


def _start_worker(db: str, candidates: int, limits: Limits, done: set[str]) -> None:
    index = Index(db, readonly=True)
    _worker.update(checker=Checker(index, candidates=candidates), limits=limits, done=done)


def run_tasks(tasks: list[Task]) -> list[tuple[list[tuple[str, dict[str, Any]]], int]]:
    """:func:`run_task` of each of a handful of tasks, in order."""
    return [run_task(task) for task in tasks]


def _batches(tasks: Iterator[Task], size: int) -> Iterator[list[Task]]:
    batch: list[Task] = []
    for task in tasks:
        batch.append(task)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_task(task: Task) -> tuple[list[tuple[str, dict[str, Any]]], int]:
    """Check the documents of one task: their JSON lines, serialized here (in parallel, not
    in the parent) beside the few fields the summary reads, and the task's input size."""
    checker: Checker = _worker["checker"]
    limits: Limits = _worker["limits"]
    done: set[str] = _worker["done"]
    if task.kind == "error":
        return [_serialized(result_json(task.item))], task.size
    if task.kind == "skip":
        return [], task.size
    if task.kind == "pages":
        items: list[Document | ReadError] = [d for d in (page_document(p, limits) for p in task.item) if d is not None]
    elif task.kind == "documents":
        items = task.item
    else:
        items = list(read_file(task.item.path, limits, task.item.name))
    todo = [item for item in items if not answered(item, done)]
    lines = []
    for outcome in _outcomes(checker, todo):
        if isinstance(outcome, ReadError):
            line = result_json(outcome)
        elif isinstance(outcome, Result):
            line = scan_json(outcome)
        else:
            line = outcome
        lines.append(_serialized(line))
    return lines, task.size


def _outcomes(checker: Checker, items: list[Document | ReadError]) -> list[Result | ReadError | dict[str, Any]]:
    """The results of checking ``items`` together, or, if that fails, one at a time: one
    pathological page must not stop a crawl (its line says the check failed)."""
    try:
        return list(checker.check_all(items))
    except Exception:
        return [_checked_alone(checker, item) for item in items]


def _checked_alone(checker: Checker, item: Document | ReadError) -> Result | ReadError | dict[str, Any]:
    if isinstance(item, ReadError):
        return item
    try:
        return checker.check(item)
    except Exception as error:
        return {"id": item.id, "error": f"check failed ({type(error).__name__}: {error})", "origin": item.origin}


def _serialized(line: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A JSON line as text, and the fields of it that the run's counts and summary read."""
    if "error" in line:
        brief = {"id": line.get("id"), "error": line["error"]}
    else:
        brief = {key: line.get(key) for key in ("id", "site", "verdict", "words")}
        brief["matches"] = [{key: m.get(key) for key in ("source_id", "coverage")} for m in line.get("matches", [])[:1]]
        intrinsic = line.get("intrinsic") or {}
        brief["intrinsic"] = {key: intrinsic.get(key) for key in ("spin_score", "spun")}
    return json.dumps(line, ensure_ascii=False), brief


def scan_json(result: Result) -> dict[str, Any]:
    """A result's JSON line: ``unspin check --json`` plus origin, site and word count."""
    line = result_json(result)
    suspect = result.suspect
    line["origin"] = suspect.origin
    line["site"] = site_of(suspect)
    line["words"] = result.words
    return line


def site_of(document: Document) -> str:
    """The host a page was served from (its URL's, else its id's), else its site name."""
    return host(document.url) or host(document.id if "://" in document.id else None) or document.site or "(unknown)"


# --- resuming --------------------------------------------------------------------------


def answered(item: Document | ReadError, done: set[str]) -> bool:
    """Whether ``item`` has a line in the output already: by where it was read from (a
    path, a JSON line, an archive record), which no other input shares; a crawl may hold
    two captures of one URL, and each is a page of its own. An error, by its id."""
    if isinstance(item, ReadError):
        return item.id in done
    return (item.origin or item.id) in done


def load_done(out: str) -> tuple[set[str], list[dict[str, Any]], int]:
    """The ids and origins with a line in ``out``, the results among those lines, and the
    number of error lines.

    A last line without its newline (a run killed mid-write) is cut off the file, so that
    the next run appends after a clean line end. An input whose error is already there
    counts as done: it is not tried, nor reported, again.
    """
    done: set[str] = set()
    results: list[dict[str, Any]] = []
    errors = 0
    path = Path(out)
    if not path.exists():
        return done, results, errors
    with open(path, "rb+") as stream:
        data = stream.read()
        end = data.rfind(b"\n") + 1
        if end < len(data):
            stream.truncate(end)
    for raw in data[:end].splitlines():
        try:
            line = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue
        if not isinstance(line, dict) or "id" not in line:
            continue
        if "verdict" in line:
            results.append(line)
            done.add(str(line.get("origin") or line["id"]))
        elif "error" in line:
            errors += 1
            done.add(str(line.get("origin") or line["id"]))
    return done, results, errors


# --- the scan --------------------------------------------------------------------------


@dataclass
class ScanStats:
    """What a scan did."""

    scanned: int = 0  # documents checked in this run
    skipped: int = 0  # earlier results kept from the output file
    errors: int = 0  # inputs this run could not read or check (each reported once)
    earlier_errors: int = 0  # error lines kept from earlier runs (not reported again)
    verdicts: Counter[str] = field(default_factory=Counter)


def scan(
    paths: list[str],
    db: str,
    out: str,
    workers: int = 0,
    candidates: int = 10,
    limits: Limits = Limits(),
    on_progress: Callable[[int, int, int], None] | None = None,
    on_error: Callable[[dict[str, Any]], None] | None = None,
    selection: Selection | None = None,
) -> tuple[ScanStats, list[dict[str, Any]]]:
    """Scan ``paths`` against the index at ``db``, appending JSON lines to ``out``.

    Returns the run's counts and every result in ``out`` (earlier runs' included), for the
    summary: earlier runs' as their whole lines, this run's as the fields the summary reads.
    ``on_progress(documents, errors, bytes)`` is called after every task; ``selection``
    says which files under folders and globs are read.
    """
    Index(db, readonly=True).close()  # fail early, with a clear message, when there is no index
    _write_postings(db)
    done, results, earlier_errors = load_done(out)
    stats = ScanStats(skipped=len(results), earlier_errors=earlier_errors)
    workers = workers or os.cpu_count() or 1
    initargs = (db, candidates, limits, done)
    chunks = _batches(plan(paths, done, limits, selection), TASKS_PER_SEND)
    with open(out, "a", encoding="utf-8") as sink:
        if workers == 1:
            _start_worker(*initargs)
            outputs: Iterator[tuple[list[Task], list[tuple[list[tuple[str, dict[str, Any]]], int]]]] = (
                (chunk, run_tasks(chunk)) for chunk in chunks)
        else:
            # A few tasks to a worker at a time: one at a time, the parent's share of the work
            # (sending, receiving, waking) held a two-core machine to one worker's pace. A
            # bounded number of them in flight bounds the memory (unspin.workers).
            outputs = in_order(run_tasks, chunks, workers, TASKS_AHEAD, _start_worker, initargs)
        for _, done_tasks in outputs:
            for lines, size in done_tasks:
                for text, line in lines:
                    sink.write(text + "\n")
                    if "error" in line:
                        stats.errors += 1
                        if on_error:
                            on_error(line)
                    else:
                        stats.scanned += 1
                        stats.verdicts[line["verdict"]] += 1
                        results.append(line)
                sink.flush()
                if on_progress:
                    on_progress(stats.scanned, stats.errors, size)
    return stats, results


# --- the per-site summary --------------------------------------------------------------


def summarize(results: Iterable[dict[str, Any]], top: int = TOP_SOURCES) -> list[dict[str, Any]]:
    """Per host: pages, verdicts, share of its words copied, the sources it copies most, and
    its pages' intrinsic spin scores (their mean, and the pages called spun from their words alone).

    A page's copied words are its words inside evidence passages of its best match
    (``coverage`` times ``words``). Hosts are ranked by pages copied, then by share copied,
    then by pages spun by their own words (a farm whose sources are not in the index): the
    content farms come first.
    """
    sites: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"pages": 0, **{v: 0 for v in VERDICTS}, "words": 0, "copied_words": 0.0, "sources": Counter(),
                 "scored": 0, "spin_score": 0.0, "spun_pages": 0}
    )
    seen: set[str] = set()
    for line in results:
        if line["id"] in seen:  # a page scanned twice (say, in two runs) counts once
            continue
        seen.add(line["id"])
        site = sites[line.get("site") or "(unknown)"]
        site["pages"] += 1
        site[line["verdict"]] += 1
        words = int(line.get("words") or 0)
        site["words"] += words
        matches = line.get("matches") or []
        if matches:
            site["copied_words"] += words * float(matches[0].get("coverage") or 0)
            site["sources"][matches[0]["source_id"]] += 1
        intrinsic = line.get("intrinsic") or {}
        if intrinsic.get("spin_score") is not None:  # lines of a scan before the score have none
            site["scored"] += 1
            site["spin_score"] += float(intrinsic["spin_score"])
            site["spun_pages"] += bool(intrinsic.get("spun"))
    table = []
    for name, site in sites.items():
        copied_pages = sum(site[v] for v in COPIED)
        table.append(
            {
                "site": name,
                "pages": site["pages"],
                **{v: site[v] for v in VERDICTS},
                "copied_pages": copied_pages,
                "copied_share": round(site["copied_words"] / site["words"], 4) if site["words"] else 0.0,
                "spin_score": round(site["spin_score"] / site["scored"], 4) if site["scored"] else None,
                "spun_pages": site["spun_pages"],
                "top_sources": [{"source_id": s, "pages": n} for s, n in site["sources"].most_common(top)],
            }
        )
    table.sort(key=lambda row: (-row["copied_pages"], -row["copied_share"], -row["spun_pages"], -row["pages"],
                                row["site"]))
    return table


def write_summary(table: list[dict[str, Any]], path: str) -> None:
    """Write the summary as JSON (a list of sites) or, for a ``.csv`` name, as CSV."""
    if path.lower().endswith(".csv"):
        buffer = io.StringIO()
        columns = ["site", "pages", *VERDICTS, "copied_pages", "copied_share", "spin_score", "spun_pages",
                   "top_sources"]
        writer = csv.DictWriter(buffer, fieldnames=columns)
        writer.writeheader()
        for row in table:
            sources = " ".join(f"{s['source_id']} ({s['pages']})" for s in row["top_sources"])
            writer.writerow({**row, "top_sources": sources})
        Path(path).write_text(buffer.getvalue(), encoding="utf-8")
    else:
        Path(path).write_text(json.dumps(table, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
