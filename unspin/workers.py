"""Chunks of work done by worker processes, their results given back in input order.

`index add` (:mod:`unspin.prepare`: sources made ready while the writer writes), `check
--json` of many suspects (:mod:`unspin.cli.parallel`) and `scan` (:mod:`unspin.crawl.scan`: a
handful of files or records a chunk) hand their input to a pool a chunk at a time, a bounded number of chunks ahead of the results taken back, so that memory stays bounded
whatever the input's size, and take each chunk back with its results, in order.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

Item = TypeVar("Item")
Results = TypeVar("Results")


def in_order(work: Callable[[list[Item]], Results], chunks: Iterator[list[Item]], workers: int, ahead: int,
             start: Callable[..., None], startargs: tuple[Any, ...] = ()) -> Iterator[tuple[list[Item], Results]]:
    """Each of ``chunks`` with ``work(chunk)``, done by ``workers`` processes (each first runs
    ``start(*startargs)``), in input order, at most ``workers * ahead`` chunks handed out and not
    yet taken back. An error raised by ``chunks`` is raised here once the chunks before it are
    given back."""
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    window = threading.BoundedSemaphore(workers * ahead)  # chunks handed out and not yet taken back
    handed: deque[list[Item]] = deque()  # the chunks the pool was given, in order (its feeder is a thread)
    stop = threading.Event()
    failed: list[BaseException] = []

    def handing() -> Iterator[list[Item]]:
        try:
            for chunk in chunks:
                while not window.acquire(timeout=0.1):
                    if stop.is_set():  # the taker stopped: the pool's feeder must not wait for it
                        return
                handed.append(chunk)
                yield chunk
        except BaseException as error:  # the pool's feeder thread would die of it, and the taker wait forever
            failed.append(error)

    pool = context.Pool(workers, initializer=_started, initargs=(start, startargs))
    try:
        for results in pool.imap(work, handing()):
            window.release()
            yield handed.popleft(), results
    finally:
        stop.set()
        pool.terminate()
        pool.join()
    if failed:
        raise failed[0]


def _started(start: Callable[..., None], startargs: tuple[Any, ...]) -> None:
    """A worker's start, and its watch on the process that started it: one killed outright leaves
    its workers waiting on a queue whose other end they hold themselves (forked), so they leave
    when it is gone."""
    parent = os.getppid()
    threading.Thread(target=_leave_with, args=(parent,), daemon=True).start()
    start(*startargs)


def _leave_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)
