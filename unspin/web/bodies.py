"""Request bodies into documents: JSON objects (text or HTML, with metadata) and multipart file uploads."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import xxhash
from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from unspin.document import Document, ReadError
from unspin.extract import ExtractionError, extract_html
from unspin.decode import InputError, Limits, checked_text
from unspin.read import read_bytes
from unspin.web.service import ApiError

_METADATA = ("url", "title", "date", "author", "site")  # the fields a body may give beside the text


async def request_documents(request: Request, limits: Limits, default_id: str | None, multiple: bool) -> list[Document | ReadError]:
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
