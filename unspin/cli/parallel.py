"""Suspects checked by several processes at once, sharing the index's memory-mapped postings.

`unspin check --json` of many suspects: after the first :data:`ALONE` (checked in this process,
so that a check of a few pages starts no process), suspects go :data:`BATCH` at a time to worker
processes, each with its own read-only :class:`unspin.index.Index` (the postings' pages are the
operating system's, shared by all of them) and its own :class:`unspin.check.Checker`; their
results come back in input order as their JSON (:func:`unspin.report.result_json`, made in the
worker: a result holds functions worked out on first read, which do not pickle), the lines one
process would write.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from unspin.document import Document, ReadError

ALONE = 64  # suspects checked in this process before workers start
BATCH = 32  # suspects a worker checks together (one retrieval: Checker.check_all's batch)
AHEAD = 4  # batches a worker may be given before their results are taken

_worker: dict[str, Any] = {}


def checked(checker: Any, items: Iterable[Document | ReadError], db: str, candidates: int,
            workers: int) -> Iterator[Any]:
    """``checker.check_all(items)``'s results, in input order: the first :data:`ALONE` as results,
    made here, the others (if ``workers`` is 2 or more) as their JSON, by ``workers`` processes;
    unreadable items as their errors."""
    items = iter(items)
    yield from checker.check_all(list(islice(items, ALONE)))
    if workers < 2:
        yield from checker.check_all(items)
        return
    following = list(islice(items, 1))
    if not following:  # a check of a few pages starts no process
        return
    items = itertools.chain(following, items)
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    window = threading.BoundedSemaphore(workers * AHEAD)
    stop = threading.Event()
    failed: list[BaseException] = []

    def batches() -> Iterator[list[Document | ReadError]]:
        try:
            while batch := list(islice(items, BATCH)):
                while not window.acquire(timeout=0.1):
                    if stop.is_set():
                        return
                yield batch
        except BaseException as error:  # the pool's feeder thread would die of it, and this one wait forever
            failed.append(error)

    pool = context.Pool(workers, initializer=_start, initargs=(db, candidates))
    try:
        for results in pool.imap(_check_batch, batches()):
            window.release()
            yield from results
    finally:
        stop.set()
        pool.terminate()
        pool.join()
    if failed:
        raise failed[0]


def _start(db: str, candidates: int) -> None:
    from unspin.check import Checker
    from unspin.index import Index

    _worker["checker"] = Checker(Index(db, readonly=True), candidates=candidates)


def _check_batch(batch: list[Document | ReadError]) -> list[dict[str, Any] | ReadError]:
    from unspin.report import result_json

    return [item if isinstance(item, ReadError) else result_json(item) for item in _worker["checker"].check_all(batch)]
