"""The server's one way to the index (:class:`Service`, a lock around it), its API errors, and the body-size limit."""

from __future__ import annotations

import json
import threading
from typing import Any

from starlette.exceptions import HTTPException

from unspin.check import CANDIDATES, Checker
from unspin.document import Document
from unspin.index import Added, Index
from unspin.report import result_json

class ApiError(HTTPException):
    """A 4xx answer with a JSON body: ``{"error": message}``, plus ``id`` when given."""

    def __init__(self, status: int, message: str, doc_id: str | None = None, headers: dict | None = None) -> None:
        super().__init__(status_code=status, detail=message, headers=headers)
        self.doc_id = doc_id


class TooLarge(ApiError):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body larger than the {limit:,}-byte limit")


# --- the index, shared by every request ------------------------------------------------


class Service:
    """The index and its checker, behind one lock.

    The core :class:`~unspin.index.Index` keeps one SQLite connection and an in-memory
    inverted index that it updates as it reads and writes; neither may be used by two
    threads at once. Checks are CPU-bound (and hold the GIL) anyway, so one lock costs
    little and makes every read see every write that finished before it.
    """

    def __init__(self, db_path: str, candidates: int = CANDIDATES) -> None:
        self.index = Index(db_path)
        self.checker = Checker(self.index, candidates=candidates)
        self.lock = threading.Lock()

    def close(self) -> None:
        with self.lock:
            self.index.close()

    def check(self, document: Document, candidates: int) -> dict[str, Any]:
        with self.lock:
            self.checker.candidates = candidates
            return result_json(self.checker.check(document))

    def add(self, documents: list[Document]) -> tuple[list[tuple[Document, Added]], int]:
        with self.lock:
            outcomes = list(self.index.add(documents))
            return outcomes, len(self.index)

    def remove(self, doc_id: str) -> bool:
        with self.lock:
            return bool(self.index.remove([doc_id]))

    def get(self, doc_id: str) -> Document | None:
        with self.lock:
            return self.index.get(doc_id)

    def list(self, offset: int, limit: int, search: str | None) -> tuple[list[dict], int]:
        with self.lock:
            return self.index.list(limit=limit, offset=offset, search=search), len(self.index)

    def count(self) -> int:
        with self.lock:
            return len(self.index)


# --- request size ----------------------------------------------------------------------


class BodyLimit:
    """ASGI middleware: refuse a request body over ``max_bytes`` with 413.

    A declared ``Content-Length`` over the limit is refused before anything is read; a
    body sent without one (chunked) is counted as it arrives and refused when it passes
    the limit, so no request ever costs more than the limit in memory.
    """

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
                if length < 0:
                    raise ValueError
            except ValueError:
                await _send_error(send, 400, "invalid Content-Length header")
                return
            if length > self.max_bytes:
                await _send_error(send, 413, TooLarge(self.max_bytes).detail)
                return
        received = 0
        started = False

        async def counting_receive() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise TooLarge(self.max_bytes)
            return message

        async def watching_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except TooLarge as error:
            if started:
                raise
            await _send_error(send, 413, error.detail)


async def _send_error(send: Any, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


# --- the shapes, for the OpenAPI page --------------------------------------------------
