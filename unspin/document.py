"""The one document type that flows through the pipeline."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Document:
    """A text with its id and metadata, as read and extracted.

    ``text`` is the extracted main text; every offset unspin reports points into it.
    """

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    date: str | None = None
    author: str | None = None
    site: str | None = None
    origin: str | None = None  # where it was read from: a path, "<stdin>", a WARC record

    def metadata(self) -> dict[str, Any]:
        """Everything but the text."""
        return {k: v for k, v in asdict(self).items() if k != "text"}


@dataclass
class ReadError:
    """An input that could not be read or extracted; the run goes on with the others."""

    id: str
    error: str
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # One line whatever the cause: messages from libraries may carry newlines.
        self.error = " ".join(str(self.error).split())

    def __str__(self) -> str:
        return f"{self.id}: {self.error}"
