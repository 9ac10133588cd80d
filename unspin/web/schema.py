"""The API's JSON bodies, as pydantic models: what the OpenAPI page at /docs documents."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


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


def body_doc(multiple: bool) -> dict:
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


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text}
    for status, text in ((400, "Malformed request"), (413, "Request body over the size limit"),
                         (415, "Unsupported content type"), (422, "Unusable input"))
}
AUTH_ERRORS: dict[int | str, dict[str, Any]] = {**ERRORS, 401: {"model": ErrorOut, "description": "Token missing or wrong"}}


# --- the app ---------------------------------------------------------------------------
