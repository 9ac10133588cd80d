"""Machine translation with Apertium, keeping a map from the translation back to the original.

A suspect in another language is compared with English sources through its English
translation; what the reports show must still point into the suspect's own text. Apertium
(Debian's shallow-transfer engine, with one package per language pair), through Transfuse,
its HTML path, carries HTML inline tags along with the words they wrap, through reordering
("casa blanca" -> "white house"), so every word of the original goes in wrapped in a tag that names it, and every word of the
translation comes out inside the tags of the words it was made from. Words the engine adds
("will" of a future tense) come out untagged and map to the gap between their neighbours.

Several texts go through one run of the engine (its start costs about 0.15 s), separated by
a tag of their own. A text that crashes the engine is found and translated piece by piece
(see :func:`_recovered`).
"""

from __future__ import annotations

import functools
import html
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

ENGINE_PACKAGES = "apertium transfuse"  # transfuse: the HTML path that keeps a word's tag with it
# Apertium's modes into English and out of it, and the Debian package that holds each pair
# (bookworm's: `apt-cache search apertium`). Serbo-Croatian is one pair for three codes.
INTO_ENGLISH: dict[str, tuple[str, str]] = {
    "es": ("spa-eng", "apertium-eng-spa"),
    "ca": ("cat-eng", "apertium-eng-cat"),
    "gl": ("gl-en", "apertium-en-gl"),
    "eo": ("eo-en", "apertium-eo-en"),
    "eu": ("eu-en", "apertium-eu-en"),
    "is": ("isl-eng", "apertium-isl-eng"),
    "mk": ("mkd-eng", "apertium-mkd-eng"),
    "hr": ("hbs-eng", "apertium-hbs-eng"),
    "sr": ("hbs-eng", "apertium-hbs-eng"),
    "bs": ("hbs-eng", "apertium-hbs-eng"),
}
FROM_ENGLISH: dict[str, tuple[str, str]] = {
    "es": ("eng-spa", "apertium-eng-spa"),
    "ca": ("eng-cat", "apertium-eng-cat"),
    "gl": ("en-gl", "apertium-en-gl"),
    "eo": ("en-eo", "apertium-eo-en"),
}  # (eng-hbs is left out: it leaves most English words as they are)
TIMEOUT = 600  # seconds one run of the engine may take
# Characters one run of the engine takes at most: about 90 BBC articles, which eng-cat
# translated in about 20 s here under load. The 2,044 distinct BBC articles in one eng-cat run
# took over TIMEOUT (at nice 15, beside a benchmark); a run more costs 0.2-0.6 s of start.
RUN_CHARS = 200_000

# A word as the map counts them: letters and digits, with the joiners inside a word.
_WORD = re.compile(r"[^\W_]+(?:['’.,\-][^\W_]+)*")
_PARAGRAPH = re.compile(r"\n\s*\n|\n")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
MIN_PIECE = 3  # words: a piece that crashes the engine and is no longer than this stays as it was
_TAG = re.compile(r'<a i="?(\d+)"?>|</a>|<hr id="?d(\d+)"?>')


class TranslationUnavailable(Exception):
    """The engine or the language pair is not installed; the message names the package."""


@dataclass
class Translation:
    """A text's translation and the map from the translation's characters to the original's.

    ``pieces`` has one row per stretch of the translation made from known words of the
    original: (start, end) in the translation, then (start, end) in the original.
    """

    text: str
    original: str
    language: str
    pieces: np.ndarray  # int64, (n, 4), rows in translation order

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The stretch of the original that the translation's characters [start, end) come from."""
        pieces = self.pieces
        if not len(pieces):
            return (0, len(self.original))
        inside = (pieces[:, 1] > start) & (pieces[:, 0] < end)
        if end > start and inside.any():
            return int(pieces[inside, 2].min()), int(pieces[inside, 3].max())
        # Words the engine added (or an empty stretch): the gap between the neighbours' originals.
        before = np.flatnonzero(pieces[:, 1] <= start)
        after = np.flatnonzero(pieces[:, 0] >= end)
        left = int(pieces[before, 3].max()) if len(before) else 0
        right = int(pieces[after, 2].min()) if len(after) else len(self.original)
        if end <= start or right <= left:
            return (left, left)
        return _trimmed(self.original, left, right)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return (start, end)


def into_english(texts: Sequence[str], language: str) -> list[Translation]:
    """Translate texts of one language into English, each with its map back."""
    if language not in INTO_ENGLISH:
        raise TranslationUnavailable(f"no translation from {language} into English: Debian packages no Apertium pair for it")
    mode, package = INTO_ENGLISH[language]
    return [Translation(text, original, language, pieces)
            for original, (text, pieces) in zip(texts, _translated(texts, mode, package))]


def from_english(text: str, language: str) -> str:
    """Translate an English text into another language (the spinner's round trips)."""
    return from_english_all([text], language)[0]


def from_english_all(texts: Sequence[str], language: str) -> list[str]:
    """Translate English texts into another language, in one run of the engine."""
    if language not in FROM_ENGLISH:
        known = ", ".join(sorted(FROM_ENGLISH))
        raise TranslationUnavailable(f"no translation from English into {language}: Apertium pairs in Debian go into {known}")
    mode, package = FROM_ENGLISH[language]
    return [text for text, _ in _translated(texts, mode, package)] if texts else []


def round_trip(text: str, language: str) -> str:
    """English to another language and back, as a content farm does to make a copy look new."""
    return into_english([from_english(text, language)], language)[0].text


def check_pair(mode: str, package: str) -> None:
    """Raise :class:`TranslationUnavailable` unless the engine and this pair are installed."""
    if shutil.which("apertium") is None:
        raise TranslationUnavailable(f"the Apertium engine is not installed: apt-get install {ENGINE_PACKAGES} {package}")
    if shutil.which("tf-extract") is None:
        raise TranslationUnavailable("Transfuse (Apertium's HTML path, which keeps the word map) is not installed: "
                                     "apt-get install transfuse")
    if mode not in _modes():
        raise TranslationUnavailable(f"the Apertium pair {mode} is not installed: apt-get install {package}")


def available_languages() -> list[str]:
    """The languages whose pairs into and out of English are both installed."""
    if shutil.which("apertium") is None or shutil.which("tf-extract") is None:
        return []
    modes = _modes()
    return sorted(code for code, (mode, _) in FROM_ENGLISH.items()
                  if mode in modes and INTO_ENGLISH[code][0] in modes)


@functools.cache
def _modes() -> frozenset[str]:
    run = subprocess.run(["apertium", "-l"], capture_output=True, text=True, check=False)
    return frozenset(run.stdout.split())


def _translated(texts: Sequence[str], mode: str, package: str) -> list[tuple[str, np.ndarray]]:
    """Each text's translation and its pieces (see :class:`Translation`), in as few runs of the
    engine as its crashes allow."""
    check_pair(mode, package)
    return _recovered(texts, mode)


def _recovered(texts: Sequence[str], mode: str) -> list[tuple[str, np.ndarray]]:
    """The texts' translations, running the engine again past a text that crashed it.

    Some of Debian's pairs crash on a few sentences (eng-cat's apertium-postchunk dies of a
    segmentation fault on an adverb before the gerund of a pronominal verb: "they are
    stubbornly clinging"), and ``apertium`` still exits 0: Transfuse, translating text by text,
    puts back every text the engine did not return unchanged. So after the texts that came
    back unchanged from some point to the end, the first of them is translated piece by piece
    and the engine runs again on the rest. A run takes up to RUN_CHARS characters of texts.
    """
    done: list[tuple[str, np.ndarray]] = []
    while len(done) < len(texts):
        batch = texts[len(done):len(done) + _fitting(texts[len(done):])]
        results = _run(batch, mode)
        stuck = len(batch)
        while stuck > 0 and _unchanged(batch[stuck - 1], results[stuck - 1][0]):
            stuck -= 1
        done += results[:stuck]
        if stuck < len(batch):  # the engine stopped at batch[stuck] (or it and all after are untranslatable)
            done.append(_piecewise(batch[stuck], mode))
    return done


def _fitting(texts: Sequence[str]) -> int:
    """How many of the first texts one run of the engine takes (at least one)."""
    total = 0
    for count, text in enumerate(texts):
        total += len(text)
        if total > RUN_CHARS:
            return max(1, count)
    return len(texts)


def _unchanged(text: str, translation: str) -> bool:
    """A text with words that came back as it went in: untranslatable, or never translated."""
    return translation == text and _WORD.search(text) is not None


def _piecewise(text: str, mode: str) -> tuple[str, np.ndarray]:
    """A text that crashed the engine, translated in pieces so only the piece that crashes it
    (a few words at most) stays as it was."""
    spans = _split(text)
    if len(spans) < 2:  # too short to split: left untranslated, each word its own map
        return text, np.array([(s, e, s, e) for s, e in _words(text)], dtype=np.int64).reshape(-1, 4)
    parts, rows, length, at = [], [], 0, 0
    for (start, end), (piece, pieces) in zip(spans, _recovered([text[s:e] for s, e in spans], mode)):
        piece, pieces = _without_added_stop(text[start:end], piece, pieces)
        parts += [text[at:start], piece]  # the gap between pieces stays as it was
        length += start - at
        if len(pieces):
            rows.append(pieces + np.array([length, length, start, start], dtype=np.int64))
        length, at = length + len(piece), end
    parts.append(text[at:])
    return "".join(parts), (np.concatenate(rows) if rows else np.zeros((0, 4), dtype=np.int64))


def _without_added_stop(original: str, piece: str, pieces: np.ndarray) -> tuple[str, np.ndarray]:
    """The engine ends a fragment it translates alone with a full stop; half a sentence has none."""
    stripped = piece.rstrip()
    if not stripped.endswith(".") or original.rstrip().endswith((".", "!", "?", ":", ";")):
        return piece, pieces
    cut = len(stripped) - 1
    kept = pieces[pieces[:, 0] < cut].copy()
    kept[:, 1] = np.minimum(kept[:, 1], cut)
    return piece[:cut] + piece[cut + 1:], kept


def _split(text: str) -> list[tuple[int, int]]:
    """The text's stretches between its strongest boundaries: paragraphs, else sentences,
    else its two halves (by words); one stretch when it has no more than MIN_PIECE words."""
    for boundary in (_PARAGRAPH, _SENTENCE):
        spans = _between(text, boundary)
        if len(spans) > 1:
            return spans
    words = _words(text)
    if len(words) <= MIN_PIECE:
        return [(0, len(text))]
    middle = len(words) // 2
    return [(words[0][0], words[middle - 1][1]), (words[middle][0], words[-1][1])]


def _between(text: str, boundary: re.Pattern[str]) -> list[tuple[int, int]]:
    spans, at = [], 0
    for cut in boundary.finditer(text):
        if text[at:cut.start()].strip():
            spans.append((at, cut.start()))
        at = cut.end()
    if text[at:].strip():
        spans.append((at, len(text)))
    return spans


def _words(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _WORD.finditer(text)]


def _run(texts: Sequence[str], mode: str) -> list[tuple[str, np.ndarray]]:
    """One run of the engine on the texts, each word wrapped in a tag that names it."""
    words = [_words(text) for text in texts]
    marked = "".join(f'<hr id="d{k}">' + _marked(text, spans) for k, (text, spans) in enumerate(zip(texts, words)))
    # Transfuse (apertium's HTML path when installed) moves a word's tag along with it;
    # the older deformatter leaves tags in place, which would break the map.
    environment = {**os.environ, "APERTIUM_TRANSFUSE": "yes"}
    try:
        run = subprocess.run(["apertium", "-u", "-f", "html", mode], input=marked, capture_output=True,
                             text=True, timeout=TIMEOUT, check=False, env=environment)
    except subprocess.TimeoutExpired:
        raise TranslationUnavailable(f"apertium {mode} took over {TIMEOUT} s on {len(texts)} texts "
                                     f"({sum(map(len, texts))} characters)") from None
    if run.returncode != 0:
        message = " ".join(run.stderr.split()) or f"exit status {run.returncode}"
        raise TranslationUnavailable(f"apertium {mode} failed: {message}")
    return _parsed(run.stdout, words, len(texts))


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text as HTML, each word in a tag that names it."""
    out, at = [], 0
    for number, (start, end) in enumerate(spans):
        out.append(html.escape(text[at:start], quote=False))
        out.append(f'<a i="{number}">{html.escape(text[start:end], quote=False)}</a>')
        at = end
    out.append(html.escape(text[at:], quote=False))
    return "".join(out)


def _parsed(output: str, words: list[list[tuple[int, int]]], count: int) -> list[tuple[str, np.ndarray]]:
    """Split the engine's output into texts, and each into its translation and pieces."""
    results: list[tuple[list[str], list[tuple[int, int, int, int]]]] = [([], []) for _ in range(count)]
    current, length, open_words, at = -1, 0, [], 0

    def take(end: int) -> None:  # the text between two tags, with the words open around it
        nonlocal length
        if current < 0 or end <= at:
            return
        piece = html.unescape(output[at:end])
        parts, pieces = results[current]
        parts.append(piece)
        spans = [words[current][w] for w in open_words if w < len(words[current])]
        if spans and piece.strip():
            pieces.append((length, length + len(piece), min(s for s, _ in spans), max(e for _, e in spans)))
        length += len(piece)

    for tag in _TAG.finditer(output):
        take(tag.start())
        at = tag.end()
        if tag.group(1) is not None:
            open_words.append(int(tag.group(1)))
        elif tag.group(2) is not None:
            current, length, open_words = int(tag.group(2)), 0, []
        elif open_words:
            open_words.pop()
    take(len(output))
    return [("".join(parts), np.array(pieces, dtype=np.int64).reshape(-1, 4)) for parts, pieces in results]
