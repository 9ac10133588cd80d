"""Suspects checked by several processes at once, sharing the index's memory-mapped postings.

`unspin check --json` of many suspects: after the first :data:`ALONE` (checked in this process,
so that a check of a few pages starts no process), suspects go :data:`BATCH` at a time to worker
processes, each with its own read-only :class:`unspin.index.Index` (the postings' pages are the
operating system's, shared by all of them) and its own :class:`unspin.check.Checker`; their
results come back in input order as their JSON (:func:`unspin.report.result_json`, made in the
worker: a result holds functions worked out on first read, which do not pickle), serialized
there too (:func:`unspin.report.json_line`): the lines one process would write, a string each
to pass back and print, so that the one parent, which every line goes through, does no more
than that.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from unspin.document import Document, ReadError
from unspin.workers import in_order

ALONE = 64  # suspects checked in this process before workers start
BATCH = 32  # suspects a worker checks together (one retrieval: Checker.check_all's batch)
AHEAD = 4  # batches a worker may be given before their results are taken

_worker: dict[str, Any] = {}


def checked(checker: Any, items: Iterable[Document | ReadError], db: str, candidates: int,
            workers: int) -> Iterator[Any]:
    """``checker.check_all(items)``'s results, in input order: the first :data:`ALONE` as results,
    made here, the others (if ``workers`` is 2 or more) as their JSON line's text, by ``workers``
    processes; unreadable items as their errors."""
    items = iter(items)
    yield from checker.check_all(list(islice(items, ALONE)))
    if workers < 2:
        yield from checker.check_all(items)
        return
    following = list(islice(items, 1))
    if not following:  # a check of a few pages starts no process
        return
    items = itertools.chain(following, items)
    batches = iter(lambda: list(islice(items, BATCH)), [])
    _load_before_fork()
    for _, results in in_order(_check_batch, batches, workers, AHEAD, _start, (db, candidates)):
        yield from results


def _load_before_fork() -> None:
    """Load here, once, what each worker would otherwise load for itself, since workers are
    forked from this process and share its memory: the identifier of languages other than
    English (0.15 CPU s from unspin's cache, 0.5-0.9 when its model is decompressed), which the
    first suspect that fails the English test loads (shuffled words do: each of two workers
    loaded it in its first batch of the 4,800 suspects of docs/scale.md, where this process's
    first 64 had not). A batch that never needs it pays that once."""

    from unspin.language import load_identifier

    load_identifier()


def _start(db: str, candidates: int) -> None:
    from unspin.check import Checker
    from unspin.index import Index

    _worker["checker"] = Checker(Index(db, readonly=True), candidates=candidates)


def _check_batch(batch: list[Document | ReadError]) -> list[str | ReadError]:
    from unspin.report import json_line, result_json

    return [item if isinstance(item, ReadError) else json_line(result_json(item))
            for item in _worker["checker"].check_all(batch)]
