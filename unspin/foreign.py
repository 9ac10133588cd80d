"""Suspects in other languages: checked through their English translation, reported in their own text.

The checker asks :class:`Translator` for the suspects it must translate (their language told
by :func:`unspin.language.detect_language`), checks the translations against the index as it
checks any text, and :func:`in_original` maps every offset of the results back into the
suspects' own texts through the translation's word map (:class:`unspin.translate.Translation`).
English suspects cost one look at the tokenizer's word classes and nothing else.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable

from unspin.passage import Passage
from unspin.document import Document
from unspin.judge import Judgement
from unspin.language import is_foreign
from unspin.translate import Translation, TranslationUnavailable, into_english


def _warn(message: str) -> None:
    print(f"unspin: warning: {message}", file=sys.stderr)


class Translator:
    """Translates a batch's foreign suspects into English, a run of the engine per language.

    A language whose pair (or the engine) is missing is warned about once, in one line naming
    the Debian package to install, and its suspects are checked as they are.
    """

    def __init__(self, warn: Callable[[str], None] = _warn) -> None:
        self.warn = warn
        self.unavailable: dict[str, str] = {}  # language -> why it cannot be translated

    def translate(self, documents: list[Document], languages: list[str | None]) -> list[Translation | None]:
        """Each document's translation into English, or None (English, or no pair for its language)."""
        translations: list[Translation | None] = [None] * len(documents)
        for language in sorted({lang for lang in languages if is_foreign(lang)}):
            if language in self.unavailable:
                continue
            members = [k for k, lang in enumerate(languages) if lang == language]
            try:
                done = into_english([documents[k].text for k in members], language)
            except TranslationUnavailable as missing:
                self.unavailable[language] = str(missing)
                self.warn(f"{missing}; {len(members)} {language} document(s) checked untranslated")
                continue
            for k, translation in zip(members, done):
                translations[k] = translation
        return translations


def translated(document: Document, translation: Translation) -> Document:
    """The document as the checker compares it: its translation in place of its text."""
    return dataclasses.replace(document, text=translation.text)


def in_original(judgement: Judgement, translation: Translation) -> Judgement:
    """A judgement on a translation, with the suspect's offsets moved into the original text."""
    moved: dict[int, Passage] = {}

    def move(passage: Passage) -> Passage:
        if id(passage) not in moved:
            moved[id(passage)] = _moved(passage, translation)
        return moved[id(passage)]

    return dataclasses.replace(judgement, passages=[move(p) for p in judgement.passages],
                               support=[move(p) for p in judgement.support])


def _moved(passage: Passage, translation: Translation) -> Passage:
    span = translation.original_span
    substitutions = [sub._replace(suspect=span(*sub.suspect)) for sub in passage.substitutions]
    copy = dataclasses.replace(passage, suspect=span(*passage.suspect))
    copy.substitutions = substitutions
    for name in ("sentence_offsets",):  # the semantic view's passages carry sentence pairs
        if hasattr(passage, name):
            setattr(copy, name, [(span(*s), t) for s, t in getattr(passage, name)])
    return copy
