"""The language a document is written in.

English text is told by its function words alone (a share of them that no other language's
text reaches), so an English-only collection never loads a language model. Other text goes to
py3langid (a naive Bayes classifier over byte n-grams whose model ships inside the package;
97 languages), loaded on first use: about a second, once per process.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

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
    """py3langid's identifier, loaded once (its model ships in the package: no download)."""
    from py3langid.langid import _load_identifier

    return _load_identifier()


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
