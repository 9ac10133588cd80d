"""``unspin serve``: an HTTP API and a web page over one index.

The API speaks the JSON of ``unspin check --json`` (see :func:`unspin.report.result_json`),
and the page in ``unspin/web/static`` is a client of that API, served by the same app: no CDN,
no build step. Everything that reads or writes the index goes through one :class:`Service`
whose lock serialises access to the index's single SQLite connection and in-memory
postings; SQLite's WAL lets other processes (``unspin index add``, say) read and write the
same file meanwhile, and the index picks their writes up through ``data_version``.

Every bad request is answered with a 4xx status and a JSON body ``{"error": "..."}`` (with
``"id"`` when the problem is one input's), never with a 500.
"""

from __future__ import annotations

import hmac
import logging
import socket
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import asynccontextmanager, contextmanager
from importlib.resources import files
from typing import Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from unspin import __version__
from unspin.check import CANDIDATES
from unspin.document import Document, ReadError
from unspin.index import Added
from unspin.decode import Limits
from unspin.report import document_json
from unspin.web.bodies import request_documents
from unspin.web.schema import AUTH_ERRORS, ERRORS, AddOut, CheckOut, ErrorOut, Health, SourceList, SourceOut, body_doc
from unspin.web.service import ApiError, BodyLimit, Service

log = logging.getLogger("unspin.web.server")

DEFAULT_HOST = "127.0.0.1"
MAX_REQUEST_BYTES = 16 * 1024 * 1024  # a request body larger than this is refused with 413
MAX_LIST = 500  # sources per page of GET /sources
LISTEN_BACKLOG = 2048  # connections the kernel queues before the server accepts them (uvicorn's default)
STATIC = files("unspin.web") / "static"


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

    @app.post("/check", response_model=None, responses={200: {"model": CheckOut}, **ERRORS},
              openapi_extra=body_doc(multiple=False), tags=["check"])
    async def check(
        request: Request,
        candidates: int = Query(CANDIDATES, ge=1, le=100, description="Sources retrieved and aligned."),
        include_text: bool = Query(False, description="Add the suspect's extracted text as `text`."),
    ) -> JSONResponse:
        """Check one suspect: JSON `{"text": ...}` or `{"html": ...}`, a raw `text/plain` or
        `text/html` body, or a multipart upload in the field `file` (.txt, .html, .jsonl with
        one record, also gzipped). Answers with the suspect's verdict and matches, best first.
        """
        documents = await request_documents(request, limits, default_id="suspect", multiple=False)
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

    @app.post("/sources", response_model=AddOut, responses={201: {"model": AddOut}, **AUTH_ERRORS},
              openapi_extra=body_doc(multiple=True), tags=["sources"], dependencies=[Depends(require_token)])
    async def add_sources(request: Request) -> JSONResponse:
        """Add or update sources: a JSON object or array of objects (`text` or `html`, and
        `id`, `url`, `title`, ...), a raw text or HTML body, or multipart uploads in the field
        `file`. The same text under the same id is stored once; new text under a known id
        replaces it. Answers 201 when something was added or updated.
        """
        items = await request_documents(request, limits, default_id=None, multiple=True)
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

    @app.delete("/source", responses={404: {"model": ErrorOut}, **AUTH_ERRORS}, tags=["sources"],
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

    @app.delete("/sources/{source_id:path}", responses={404: {"model": ErrorOut}, **AUTH_ERRORS},
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
    """For ``uvicorn --factory unspin.web.server:app_from_env``: the index at ``$UNSPIN_DB``, the
    token ``$UNSPIN_TOKEN``, the limit ``$UNSPIN_MAX_REQUEST_BYTES``."""
    import os

    from unspin.index import default_db_path

    return create_app(default_db_path(), token=os.environ.get("UNSPIN_TOKEN") or None,
                      max_request_bytes=int(os.environ.get("UNSPIN_MAX_REQUEST_BYTES") or MAX_REQUEST_BYTES))


# --- reading requests -------------------------------------------------------------------


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
