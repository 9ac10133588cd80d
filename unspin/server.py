"""``unspin serve``: an HTTP API and a web page over one index.

The API speaks the JSON of ``unspin check --json`` (see :func:`unspin.report.result_json`),
and the page in ``unspin/static`` is a client of that API, served by the same app: no CDN,
no build step. Everything that reads or writes the index goes through one :class:`Service`
whose lock serialises access to the index's single SQLite connection and in-memory
postings; SQLite's WAL lets other processes (``unspin index add``, say) read and write the
same file meanwhile, and the index picks their writes up through ``data_version``.

Every bad request is answered with a 4xx status and a JSON body ``{"error": "..."}`` (with
``"id"`` when the problem is one input's), never with a 500.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import socket
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import asynccontextmanager, contextmanager
from importlib.resources import files
from typing import Any

import xxhash
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from unspin import __version__
from unspin.check import CANDIDATES, Checker
from unspin.document import Document, ReadError
from unspin.extract import ExtractionError, extract_html
from unspin.index import Added, Index
from unspin.read import InputError, Limits, checked_text, read_bytes
from unspin.report import document_json, result_json

log = logging.getLogger("unspin.server")

DEFAULT_HOST = "127.0.0.1"
MAX_REQUEST_BYTES = 16 * 1024 * 1024  # a request body larger than this is refused with 413
MAX_LIST = 500  # sources per page of GET /sources
LISTEN_BACKLOG = 2048  # connections the kernel queues before the server accepts them (uvicorn's default)
STATIC = files("unspin") / "static"
_METADATA = ("url", "title", "date", "author", "site")


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


class TextInput(BaseModel):
    """A document given as plain text or as HTML (exactly one of ``text`` and ``html``)."""

    text: str | None = Field(None, description="Plain text.")
    html: str | None = Field(None, description="An HTML page; its main text is extracted.")
    id: str | None = Field(None, description="The document's id. Default: its URL, else a hash of its text.")
    url: str | None = None
    title: str | None = None
    date: str | None = None
    author: str | None = None
    site: str | None = None


class SubstitutionOut(BaseModel):
    suspect: list[int]
    source: list[int]
    suspect_text: str
    source_text: str
    kind: str = Field(description="swap (a word or short phrase for another), rewrite, insertion or deletion.")


class PassageOut(BaseModel):
    suspect: list[int] = Field(description="[start, end) character offsets into the suspect's extracted text.")
    source: list[int] = Field(description="[start, end) character offsets into the source's text.")
    matched_words: int
    quote: bool
    substitutions: list[SubstitutionOut]


class MatchOut(BaseModel):
    source_id: str
    title: str | None
    url: str | None
    verdict: str
    score: float
    coverage: float
    source_coverage: float
    spin_rate: float
    passages: list[PassageOut]


class CheckOut(BaseModel):
    """One line of ``unspin check --json``; ``text`` only with ``include_text=true``."""

    id: str
    verdict: str = Field(description="copy, spun, paraphrase, partial or original.")
    title: str | None
    url: str | None
    language: str | None = Field(None, description="The suspect's language (ISO 639-1); null when too short to tell.")
    translation: dict[str, str] | None = Field(
        None, description='How a suspect in another language was compared: {"from", "into", "engine"}; '
                          "its offsets still point into its own text.")
    matches: list[MatchOut]
    text: str | None = Field(None, description="The suspect's extracted text, that the offsets point into.")


class ErrorOut(BaseModel):
    error: str
    id: str | None = None


class SourceRow(BaseModel):
    id: str
    title: str | None
    url: str | None
    date: str | None
    site: str | None
    words: int
    added: str


class SourceList(BaseModel):
    sources: list[SourceRow]
    offset: int
    limit: int
    more: bool = Field(description="Whether another page follows.")
    total: int = Field(description="Sources in the whole index.")


class SourceOut(BaseModel):
    id: str
    text: str
    url: str | None = None
    title: str | None = None
    date: str | None = None
    author: str | None = None
    site: str | None = None
    origin: str | None = None


class AddedOut(BaseModel):
    id: str
    status: str = Field(description="added, updated or unchanged.")


class AddOut(BaseModel):
    results: list[AddedOut]
    errors: list[ErrorOut]
    total: int = Field(description="Sources in the index afterwards.")


class Health(BaseModel):
    status: str
    version: str
    sources: int
    token_required: bool
    max_request_bytes: int


def _body_doc(multiple: bool) -> dict:
    schema = TextInput.model_json_schema()
    json_schema = {"oneOf": [schema, {"type": "array", "items": schema}]} if multiple else schema
    file_schema: dict = {"type": "string", "format": "binary"}
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": json_schema},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "array", "items": file_schema} if multiple else file_schema},
                        "required": ["file"],
                    }
                },
                "text/plain": {"schema": {"type": "string"}},
                "text/html": {"schema": {"type": "string"}},
            },
        }
    }


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text}
    for status, text in ((400, "Malformed request"), (413, "Request body over the size limit"),
                         (415, "Unsupported content type"), (422, "Unusable input"))
}
_AUTH_ERRORS: dict[int | str, dict[str, Any]] = {**_ERRORS, 401: {"model": ErrorOut, "description": "Token missing or wrong"}}


# --- the app ---------------------------------------------------------------------------


def create_app(db_path: str, token: str | None = None, max_request_bytes: int = MAX_REQUEST_BYTES) -> FastAPI:
    """The API and the page over the index at ``db_path``.

    With ``token``, the endpoints that change the index require ``Authorization: Bearer
    <token>``. A request body over ``max_request_bytes`` is answered with 413.
    """
    limits = Limits(max_bytes=max_request_bytes)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        yield
        app.state.service.close()

    app = FastAPIOffline(
        title="unspin",
        version=__version__,
        description="Find scraped and spun copies of articles and trace each one to its source. "
        "Responses use the JSON of `unspin check --json`; errors are `{\"error\": \"...\"}`.",
        lifespan=lifespan,
        static_url="/static/docs",
    )
    app.state.service = Service(db_path)
    app.state.token = token or None
    app.state.max_request_bytes = max_request_bytes
    app.add_middleware(BodyLimit, max_bytes=max_request_bytes)
    _add_error_handlers(app)

    def service() -> Service:
        return app.state.service

    def require_token(request: Request) -> None:
        if app.state.token is None:
            return
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), app.state.token.encode()):
            raise ApiError(401, "this endpoint needs the server's token: 'Authorization: Bearer <token>'",
                           headers={"WWW-Authenticate": "Bearer"})

    # --- checking ----------------------------------------------------------------------

    @app.post("/check", response_model=None, responses={200: {"model": CheckOut}, **_ERRORS},
              openapi_extra=_body_doc(multiple=False), tags=["check"])
    async def check(
        request: Request,
        candidates: int = Query(CANDIDATES, ge=1, le=100, description="Sources retrieved and aligned."),
        include_text: bool = Query(False, description="Add the suspect's extracted text as `text`."),
    ) -> JSONResponse:
        """Check one suspect: JSON `{"text": ...}` or `{"html": ...}`, a raw `text/plain` or
        `text/html` body, or a multipart upload in the field `file` (.txt, .html, .jsonl with
        one record, also gzipped). Answers with the suspect's verdict and matches, best first.
        """
        documents = await _documents(request, limits, default_id="suspect", multiple=False)
        document = documents[0]
        result = await run_in_threadpool(service().check, document, candidates)
        if include_text:
            result["text"] = document.text
        return JSONResponse(result)

    # --- the index ---------------------------------------------------------------------

    @app.get("/sources", response_model=SourceList, tags=["sources"])
    def list_sources(
        offset: int = Query(0, ge=0, le=2**62),
        limit: int = Query(50, ge=1, le=MAX_LIST),
        q: str | None = Query(None, max_length=500, description="Only ids, titles or URLs containing this."),
    ) -> dict:
        """The indexed sources, oldest first, a page at a time."""
        rows, total = service().list(offset, limit + 1, q or None)
        return {"sources": rows[:limit], "offset": offset, "limit": limit, "more": len(rows) > limit, "total": total}

    @app.post("/sources", response_model=AddOut, responses={201: {"model": AddOut}, **_AUTH_ERRORS},
              openapi_extra=_body_doc(multiple=True), tags=["sources"], dependencies=[Depends(require_token)])
    async def add_sources(request: Request) -> JSONResponse:
        """Add or update sources: a JSON object or array of objects (`text` or `html`, and
        `id`, `url`, `title`, ...), a raw text or HTML body, or multipart uploads in the field
        `file`. The same text under the same id is stored once; new text under a known id
        replaces it. Answers 201 when something was added or updated.
        """
        items = await _documents(request, limits, default_id=None, multiple=True)
        documents = [item for item in items if isinstance(item, Document)]
        errors = [{"id": item.id, "error": item.error} for item in items if isinstance(item, ReadError)]
        if not documents:
            return JSONResponse({"error": errors[0]["error"] if len(errors) == 1 else "no usable document",
                                 "id": errors[0]["id"] if len(errors) == 1 else None, "errors": errors}, 422)
        outcomes, total = await run_in_threadpool(service().add, documents)
        results = [{"id": doc.id, "status": outcome.value} for doc, outcome in outcomes]
        changed = any(outcome is not Added.UNCHANGED for _, outcome in outcomes)
        return JSONResponse({"results": results, "errors": errors, "total": total}, 201 if changed else 200)

    @app.get("/source", response_model=SourceOut, responses={404: {"model": ErrorOut}}, tags=["sources"])
    def get_source_by_query(id: str = Query(..., min_length=1, max_length=10_000)) -> dict:
        """One source, with its text (the id as a query parameter: for ids with odd characters)."""
        return _get_source(id)

    @app.delete("/source", responses={404: {"model": ErrorOut}, **_AUTH_ERRORS}, tags=["sources"],
                dependencies=[Depends(require_token)])
    def delete_source_by_query(id: str = Query(..., min_length=1, max_length=10_000)) -> dict:
        """Remove one source (the id as a query parameter)."""
        return _remove_source(id)

    @app.get("/sources/{source_id:path}", response_model=SourceOut, responses={404: {"model": ErrorOut}},
             tags=["sources"])
    def get_source(source_id: str) -> dict:
        """One source, with its text. Ids may be URLs: `/sources/https://example.com/a`
        (percent-encoded or not)."""
        return _get_source(source_id)

    @app.delete("/sources/{source_id:path}", responses={404: {"model": ErrorOut}, **_AUTH_ERRORS},
                tags=["sources"], dependencies=[Depends(require_token)])
    def delete_source(source_id: str) -> dict:
        """Remove one source."""
        return _remove_source(source_id)

    def _get_source(doc_id: str) -> dict:
        document = service().get(doc_id)
        if document is None:
            raise ApiError(404, "no source with this id", doc_id)
        return document_json(document)

    def _remove_source(doc_id: str) -> dict:
        if not service().remove(doc_id):
            raise ApiError(404, "no source with this id", doc_id)
        return {"removed": doc_id, "total": service().count()}

    # --- the rest ----------------------------------------------------------------------

    @app.get("/health", response_model=Health, tags=["service"])
    def health() -> dict:
        """Liveness, and what a client needs to know: the index size, whether writes need a token."""
        return {"status": "ok", "version": __version__, "sources": service().count(),
                "token_required": app.state.token is not None, "max_request_bytes": max_request_bytes}

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(str(STATIC / "index.html"), headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory unspin.server:app_from_env``: the index at ``$UNSPIN_DB``, the
    token ``$UNSPIN_TOKEN``, the limit ``$UNSPIN_MAX_REQUEST_BYTES``."""
    import os

    from unspin.index import default_db_path

    return create_app(default_db_path(), token=os.environ.get("UNSPIN_TOKEN") or None,
                      max_request_bytes=int(os.environ.get("UNSPIN_MAX_REQUEST_BYTES") or MAX_REQUEST_BYTES))


# --- reading requests -------------------------------------------------------------------


async def _documents(request: Request, limits: Limits, default_id: str | None, multiple: bool) -> list[Document | ReadError]:
    """The documents a request carries, by its content type.

    For /check (``multiple=False``) exactly one document, or an :class:`ApiError`; for
    /sources, documents and per-input errors.
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        items = await _uploads(request, limits, multiple)
    elif kind in ("application/json", "") or kind.endswith("+json"):
        items = _json_documents(await _json_body(request), default_id, multiple, limits)
    elif kind in ("text/plain", "text/html"):
        body = await request.body()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError(400, "the body is not UTF-8 text") from None
        params = request.query_params
        fields = {"html" if kind == "text/html" else "text": text, "id": params.get("id"), "title": params.get("title"),
                  "url": params.get("url")}
        items = [_json_document(fields, default_id, limits)]
    else:
        raise ApiError(415, f"unsupported content type {kind!r}: send JSON, multipart/form-data, text/plain or text/html")
    if not items:
        raise ApiError(422, "no document in the request")
    if not multiple:
        if len(items) > 1:
            raise ApiError(422, f"the request holds {len(items)} documents; /check takes one")
        if isinstance(items[0], ReadError):
            raise ApiError(422, items[0].error, items[0].id)
    return items


async def _json_body(request: Request) -> Any:
    body = await request.body()
    if not body.strip():
        raise ApiError(400, "empty request body: send a JSON object with 'text' or 'html'")
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ApiError(400, f"the body is not valid JSON ({error})") from None
    except RecursionError:
        raise ApiError(400, "the body is not valid JSON (nested too deeply)") from None


def _json_documents(payload: Any, default_id: str | None, multiple: bool, limits: Limits) -> list[Document | ReadError]:
    if isinstance(payload, list) and multiple:
        if not all(isinstance(item, dict) for item in payload):
            raise ApiError(422, "every item of the array must be a JSON object")
        return [_json_document(item, default_id, limits, where=f"item {n}") for n, item in enumerate(payload)]
    if not isinstance(payload, dict):
        raise ApiError(422, "the body must be a JSON object" + (" or an array of objects" if multiple else ""))
    document = _json_document(payload, default_id, limits)
    return [document]


def _json_document(fields: dict, default_id: str | None, limits: Limits, where: str = "the request") -> Document | ReadError:
    """A document from ``{"text"|"html", "id", "url", "title", ...}``, or the error that names it."""
    for name in ("text", "html", "id", *_METADATA):
        if fields.get(name) is not None and not isinstance(fields[name], str):
            raise ApiError(422, f"'{name}' must be a string ({where})")
    text, html = fields.get("text"), fields.get("html")
    doc_id = (fields.get("id") or "").strip() or None
    if (text is None) == (html is None):
        raise ApiError(422, f"give exactly one of 'text' and 'html' ({where})", doc_id)
    if len(text if text is not None else html) > limits.max_chars * 10:
        return ReadError(doc_id or default_id or where, f"longer than the {limits.max_chars:,}-character limit")
    try:
        if html is not None:
            document = extract_html(html, fallback_id=doc_id or "", url=fields.get("url") or None)
            document.origin = None
        else:
            document = Document(id="", text=text)
        document.text = checked_text(document.text.replace("\r\n", "\n"), limits)
    except (InputError, ExtractionError) as error:
        return ReadError(doc_id or fields.get("url") or default_id or where, str(error))
    except Exception as error:  # an extractor failure on hostile HTML is that input's problem
        return ReadError(doc_id or fields.get("url") or default_id or where, f"unreadable HTML ({type(error).__name__})")
    for name in _METADATA:
        if fields.get(name):
            setattr(document, name, fields[name])
    if text is not None and not document.title:  # as for a .txt file: a short first line is the title
        first_line = document.text.strip().split("\n", 1)[0].strip()
        document.title = first_line if len(first_line) <= 200 else None
    document.id = doc_id or document.id or document.url or default_id or _text_id(document.text)
    return document


def _text_id(text: str) -> str:
    return "text:" + xxhash.xxh3_64_hexdigest(text.encode("utf-8", "surrogatepass"))


async def _uploads(request: Request, limits: Limits, multiple: bool) -> list[Document | ReadError]:
    try:
        form = await request.form(max_files=1000 if multiple else 1, max_fields=100)
    except HTTPException:
        raise
    except Exception as error:
        raise ApiError(400, f"malformed multipart body ({error})") from None
    uploads = [value for value in form.getlist("file") if isinstance(value, UploadFile)]
    if not uploads:
        raise ApiError(422, "no file in the multipart field 'file'")
    items: list[Document | ReadError] = []
    for upload in uploads:
        name = (upload.filename or "upload").replace("\\", "/").rsplit("/", 1)[-1] or "upload"
        data = await upload.read()
        documents = await asyncio.to_thread(lambda: list(read_bytes(name, data, limits)))
        items.extend(documents)
    await form.close()
    return items


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        body: dict[str, Any] = {"error": str(error.detail)}
        if getattr(error, "doc_id", None) is not None:
            body["id"] = error.doc_id
        return JSONResponse(body, error.status_code, headers=getattr(error, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            {"where": ".".join(str(part) for part in problem.get("loc", ())), "problem": str(problem.get("msg", ""))}
            for problem in error.errors()
        ]
        message = "; ".join(f"{p['where']}: {p['problem']}" for p in problems) or "invalid request"
        return JSONResponse({"error": message, "problems": problems}, 422)

    @app.exception_handler(sqlite3.OperationalError)
    async def busy(request: Request, error: sqlite3.OperationalError) -> JSONResponse:
        if "locked" in str(error) or "busy" in str(error):  # another process held the index too long
            return JSONResponse({"error": "the index is busy: try again"}, 503, headers={"Retry-After": "1"})
        log.exception("database error on %s %s", request.method, request.url.path)
        return JSONResponse({"error": f"database error ({error})"}, 500)

    @app.exception_handler(Exception)
    async def server_error(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse({"error": f"internal error ({type(error).__name__})"}, 500)


# --- running ----------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host``:``port`` (0: a free port) and listening.

    Raises :class:`OSError` when it cannot be (the port taken, an address not of this
    machine), before anything says the server is up.
    """
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(LISTEN_BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock


@contextmanager
def running(app: FastAPI, host: str = DEFAULT_HOST, port: int = 0) -> Iterator[str]:
    """Serve ``app`` in a background thread (port 0: a free one); yields its base URL."""
    import uvicorn

    sock = listening_socket(host, port)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the server did not start")
            threading.Event().wait(0.02)
        bound_host, bound_port = sock.getsockname()[:2]
        yield f"http://{'[' + bound_host + ']' if ':' in bound_host else bound_host}:{bound_port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
