"""Words with their character offsets, normalised for comparison."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from unspin.stopwords import STOPWORDS

# A word is a run of letters/digits, kept whole across inner apostrophes, hyphens and
# the separators of numbers ("don't", "well-known", "2,500", "3.5").
_WORD = re.compile(r"\w+(?:['’.,\-]\w+)*")
_SENTENCE_END = re.compile(r"[.!?\n]")
_TRANSLATE = str.maketrans({"’": "'", "‘": "'"})


@dataclass(frozen=True)
class Tokens:
    """The words of one text: normalised forms, offsets and simple classes.

    ``words[i]`` is the normalised form of the text between ``starts[i]`` and ``ends[i]``.
    """

    words: list[str]
    starts: list[int]
    ends: list[int]
    immutable: list[bool]  # function word, number or mid-sentence name: what spinners keep
    facts: list[bool]  # a capitalised word, a number or an initial: names and figures

    def __len__(self) -> int:
        return len(self.words)


def normalize(word: str) -> str:
    """Case-fold, unify apostrophes and drop accents, so that trivial edits compare equal."""
    word = word.translate(_TRANSLATE).casefold()
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokenize(text: str) -> Tokens:
    """Split ``text`` into words, keeping offsets into ``text``."""
    spans = [m.span() for m in _WORD.finditer(text)]
    starts = [s for s, _ in spans]
    ends = [e for _, e in spans]
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lower-case to two; slice the original
        lowered = text
    if lowered is not text:  # the lowered slice is normal unless it has accents or curly apostrophes
        words = [w if w.isascii() else normalize(w) for w in (lowered[s:e] for s, e in spans)]
    else:
        words = [_normal(lowered[s:e]) for s, e in spans]
    # In a text set mostly in capitals (a shouted headline, a telex), case says nothing.
    # (Words in capitals throughout, not capitalised words: a team sheet or a list of names
    # is mostly capitalised, and there case is what marks the names.)
    long_words = [(s, e) for s, e in spans if e - s > 1]
    cased = sum(text[s:e].isupper() for s, e in long_words) <= 0.5 * len(long_words)
    capitals = [text[s].isupper() for s in starts] if cased else [False] * len(spans)
    immutable = []
    facts = []
    stopwords = STOPWORDS
    previous_end = 0
    for i, word in enumerate(words):
        digit = not word.isalpha() and any(c.isdigit() for c in word)
        stop = word in stopwords
        capital = capitals[i]
        facts.append(digit or (capital and not stop) or len(word) == 1)
        if digit or stop:
            immutable.append(True)
        elif capital:
            # A capitalised word is a name unless it opens a sentence.
            immutable.append(i > 0 and _SENTENCE_END.search(text, previous_end, starts[i]) is None)
        else:
            immutable.append(False)
        previous_end = ends[i]
    return Tokens(words, starts, ends, immutable, facts)


def words_only(text: str) -> list[str]:
    """``tokenize(text).words``, faster: the normalised words without offsets or classes."""
    lowered = text.lower()
    if text.isascii():
        return _WORD.findall(lowered)
    if len(lowered) != len(text):
        return tokenize(text).words
    return [w if w.isascii() else normalize(w) for w in _WORD.findall(lowered)]


def _normal(word: str) -> str:
    if word.isascii():
        return word.lower()
    return normalize(word)


def is_content(word: str) -> bool:
    """A word that carries the topic: not a function word, not a single character."""
    return len(word) > 1 and word not in STOPWORDS
