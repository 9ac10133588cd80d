"""The language a document is written in.

English text is told by its function words alone (a share of them that no other language's
text reaches), so an English-only collection never loads a language model. Other text goes to
py3langid (a naive Bayes classifier over byte n-grams whose model ships inside the package;
97 languages), loaded on first use, once per process: from arrays unpacked once into unspin's
cache folder (0.15 CPU s with the import), where the package's own loader decompresses its model
every time (0.46-0.67 CPU s, most of it LZMA).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unspin.stopwords import STOPWORDS

if TYPE_CHECKING:
    from unspin.tokenize import Tokens

ENGLISH = "en"
SAMPLE_CHARS = 3000  # of a text's start: enough for a confident guess, and a long text costs no more
SAMPLE_WORDS = 500  # the same, in words
MIN_WORDS = 5  # fewer words than this tell no language
# English prose has 40-55% function words from unspin's list (BBC articles: at least 0.31);
# text in Spanish, Catalan, Galician, Esperanto or Basque shares only a few ("a", "no", "i",
# "per") and stays under 0.2 (Apertium's translations of the same articles: at most 0.16).
ENGLISH_SHARE = 0.25

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def english_share(text: str) -> tuple[float, int]:
    """The share of the sample's words that are English function words, and its word count."""
    words = _WORD.findall(text[:SAMPLE_CHARS])
    if not words:
        return 0.0, 0
    hits = sum(1 for word in words if word.lower().replace("’", "'") in STOPWORDS)
    return hits / len(words), len(words)


def detect_language(text: str, tokens: Tokens | None = None) -> str | None:
    """The ISO 639-1 code of the text's language, or None when it has too few words to tell.

    ``tokens``, the text's (:func:`unspin.tokenize.tokenize`), makes the English test a few
    microseconds: the tokenizer has already classed every word."""
    if tokens is not None:
        share, words = tokens.function_share(SAMPLE_WORDS), min(len(tokens), SAMPLE_WORDS)
    else:
        share, words = english_share(text)
    if words < MIN_WORDS:
        return None
    if share >= ENGLISH_SHARE:
        return ENGLISH
    return _classify(text[:SAMPLE_CHARS])


def is_foreign(language: str | None) -> bool:
    """Whether a document in this language must be translated to be compared with English."""
    return language is not None and language != ENGLISH


def _classify(text: str) -> str:
    return _identifier().classify(text)[0]


def load_identifier() -> None:
    """Load the identifier of languages other than English now (a process loads it once, when a
    text first needs it: a benchmark loads it before its timing)."""
    _identifier()


@functools.cache
def _identifier():  # noqa: ANN202 - py3langid's own class
    """py3langid's identifier, loaded once (its model ships in the package: no download): made
    from the model's arrays unpacked in the cache (:func:`_unpacked_model`), the same values
    as the package's loader gives; by that loader when the cache cannot be written."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier, _load_identifier

    try:
        ptc, pc, classes, nextmove, row, output = _unpacked_model(MODEL_DIR / MODEL_FILE)
    except (ImportError, AttributeError, KeyError, OSError, ValueError, EOFError):  # another layout, no room, damage
        return _load_identifier()
    return LanguageIdentifier(ptc, pc, classes, nextmove, output, tk_row=row)  # as from_model_file makes it


_MODEL_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def _unpacked_model(packed: Path) -> tuple[Any, ...]:
    """py3langid's model (an LZMA'd NumPy archive) as its loader hands it to the identifier
    (``py3langid.modelio.load_model``: the tables, the classes, and the tokenizer's states as
    the stdlib arrays it walks), from one ``.npy`` file an array, unpacked the first time into
    the cache folder (:func:`unspin.lexicon.cache_dir`, where the intrinsic score's lexicon is
    kept too) under the model file's size and time (68 MB): mapped, not decompressed. The
    largest table (28 MB) stays mapped, shared by every process that reads it."""
    import numpy as np
    from py3langid.modelio import _to_array

    from unspin.lexicon import cache_dir

    stat = packed.stat()
    folder = cache_dir() / f"langid-{stat.st_size}-{stat.st_mtime_ns}"
    if not (folder / "done").exists():
        _unpack(packed, folder)
    arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in _MODEL_ARRAYS}
    return (np.asarray(arrays["ptc"]), np.array(arrays["pc"]), arrays["classes"].tolist(),
            _to_array(arrays["nextmove"]), _to_array(arrays["nextmove_row"]), arrays["out_feat"].tolist())


def _unpack(packed: Path, folder: Path) -> None:
    """The model's arrays written to ``folder``, one ``.npy`` each, beside it under a temporary
    name then renamed (a process that finds the folder finds it whole; two that unpack at once
    both rename, and the second's is dropped)."""
    import lzma
    import shutil
    import tempfile
    import uuid

    import numpy as np

    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = folder.parent / f"{folder.name}.{uuid.uuid4().hex}.tmp"
    temporary.mkdir()
    try:
        with tempfile.TemporaryFile(dir=folder.parent) as archive:  # streamed: the 68 MB never whole in memory
            with lzma.open(packed) as source:
                shutil.copyfileobj(source, archive, length=1 << 20)
            archive.seek(0)
            with np.load(archive, allow_pickle=False) as data:
                for name in _MODEL_ARRAYS:
                    np.save(temporary / f"{name}.npy", data[name], allow_pickle=False)
        (temporary / "done").touch()
        try:
            temporary.rename(folder)
        except OSError:  # another process unpacked it first
            pass
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def language_name(code: str | None) -> str:
    """A language's English name for people to read ("es" -> "Spanish"); the code itself
    when unspin knows no name for it."""
    if code is None:
        return "unknown"
    return _NAMES.get(code, code)


_NAMES = {
    "en": "English", "es": "Spanish", "ca": "Catalan", "gl": "Galician", "eo": "Esperanto",
    "eu": "Basque", "pt": "Portuguese", "fr": "French", "it": "Italian", "de": "German",
    "nl": "Dutch", "id": "Indonesian", "ms": "Malay", "is": "Icelandic", "mk": "Macedonian",
    "hr": "Croatian", "sr": "Serbian", "bs": "Bosnian", "ro": "Romanian", "ru": "Russian",
    "pl": "Polish", "tr": "Turkish", "zh": "Chinese", "ja": "Japanese", "ar": "Arabic",
    "hi": "Hindi", "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish",
}
