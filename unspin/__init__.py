"""unspin: find scraped and spun copies of articles and trace each one to its source."""

from unspin.document import Document, ReadError

__version__ = "0.1.0"

__all__ = ["Document", "ReadError", "__version__"]
