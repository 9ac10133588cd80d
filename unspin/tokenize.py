"""Words with their character offsets, normalised for comparison, hashed and classed.

Tokenizing is the one step every text goes through, sources and suspects alike, so it is
built to touch each word as little as possible in Python: one regular expression splits the
text into (gap, word) pairs, and each distinct word is normalised, hashed and classed once,
in a vocabulary shared by every text of the process. A text then costs a dictionary lookup
per word; the rest is NumPy over the whole text at once.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import cached_property
from itertools import chain

import numpy as np
import xxhash

from unspin.stopwords import STOPWORDS

# A word is a run of letters/digits, kept whole across inner apostrophes, hyphens and
# the separators of numbers ("don't", "well-known", "2,500", "3.5").
_WORD = re.compile(r"\w+(?:['’.,\-]\w+)*")
# Every letter or digit starts a word, so the text between two words holds neither: each
# word comes with the gap before it, and the offsets follow from the lengths.
_GAP_AND_WORD = re.compile(r"(\W*)(\w+(?:['’.,\-]\w+)*)")
_SENTENCE_END = re.compile(r"[.!?\n]")
_TRANSLATE = str.maketrans({"’": "'", "‘": "'"})
_hash = xxhash.xxh3_64_intdigest

# A word's classes, worked out once per distinct spelling (bits of one byte).
_STOP = 1  # a function word
_DIGIT = 2  # holds a digit (a number, a date, a code)
_CAPITAL = 4  # starts with a capital
_UPPER = 8  # in capitals throughout, and longer than one character
_LONG = 16  # longer than one character as written
_SINGLE = 32  # one character once normalised
_CONTENT = 64  # a topic word: see is_content

_VOCABULARY_MAX = 1_000_000  # distinct spellings kept; a crawl's junk would grow it forever
_GAPS_MAX = 100_000


class Tokens:
    """The words of one text: identities, offsets and simple classes, one entry per word.

    ``words[i]`` is the normalised form of the text between ``starts[i]`` and ``ends[i]``;
    ``hashes[i]`` its stable 64-bit hash (what fingerprints and alignment compare).
    """

    def __init__(self, pairs: list[tuple[str, str]], normal: list[str], rows: np.ndarray, hashes: np.ndarray,
                 immutable: np.ndarray, facts: np.ndarray, content: np.ndarray) -> None:
        self._pairs = pairs  # (gap, word as written): offsets are worked out when first asked for
        self._normal = normal
        self._rows = rows
        self.hashes = hashes
        self.immutable_mask = immutable  # function word, number or mid-sentence name: what spinners keep
        self.facts_mask = facts  # a capitalised word, a number or an initial: names and figures
        self.content_mask = content  # a topic word

    def __len__(self) -> int:
        return len(self._rows)

    @cached_property
    def words(self) -> list[str]:
        normal = self._normal
        return [normal[row] for row in self._rows.tolist()]

    @cached_property
    def starts(self) -> list[int]:
        """Character offset of each word's first character."""
        return self._bounds[::2].tolist()

    @cached_property
    def ends(self) -> list[int]:
        """Character offset just after each word."""
        return self._bounds[1::2].tolist()

    @cached_property
    def _bounds(self) -> np.ndarray:
        lengths = np.fromiter(map(len, chain.from_iterable(self._pairs)), dtype=np.int64, count=2 * len(self._pairs))
        return np.cumsum(lengths)

    @cached_property
    def keys(self) -> list[int]:
        """The words as integers, equal where the normalised words are: what alignment compares."""
        return self.hashes.view(np.int64).tolist()

    @cached_property
    def immutable(self) -> list[bool]:
        return self.immutable_mask.tolist()

    @cached_property
    def facts(self) -> list[bool]:
        return self.facts_mask.tolist()

    @cached_property
    def content(self) -> list[bool]:
        return self.content_mask.tolist()


def normalize(word: str) -> str:
    """Case-fold, unify apostrophes and drop accents, so that trivial edits compare equal."""
    word = word.translate(_TRANSLATE).casefold()
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def word_hash(word: str) -> int:
    """A normalised word's 64-bit hash, stable across processes and machines (it is stored)."""
    return _hash(word.encode("utf-8", "surrogatepass"))


def is_content(word: str) -> bool:
    """A word that carries the topic: not a function word, not a single character."""
    return len(word) > 1 and word not in STOPWORDS


def tokenize(text: str) -> Tokens:
    """Split ``text`` into words, keeping offsets into ``text``."""
    pairs = _GAP_AND_WORD.findall(text)
    if not pairs:
        return _EMPTY
    vocabulary = _vocabulary()
    gaps, spellings = zip(*pairs)
    rows = np.fromiter(map(vocabulary.__getitem__, spellings), dtype=np.intp, count=len(pairs))
    flags = vocabulary.flags[rows]
    opens_sentence = np.fromiter(map(_GAPS.__getitem__, gaps), dtype=bool, count=len(gaps))
    opens_sentence[0] = True

    def has(bit: int) -> np.ndarray:
        return (flags & bit).astype(bool)

    stop, digit = has(_STOP), has(_DIGIT)
    # In a text set mostly in capitals (a shouted headline, a telex), case says nothing.
    # (Words in capitals throughout, not capitalised words: a team sheet or a list of names
    # is mostly capitalised, and there case is what marks the names.)
    cased = np.count_nonzero(flags & _UPPER) <= 0.5 * np.count_nonzero(flags & _LONG)
    capital = has(_CAPITAL) if cased else np.zeros(len(rows), dtype=bool)
    # A capitalised word is a name unless it opens a sentence.
    immutable = digit | stop | (capital & ~opens_sentence)
    facts = digit | (capital & ~stop) | has(_SINGLE)
    return Tokens(pairs, vocabulary.normal, rows, vocabulary.hashes[rows], immutable, facts, has(_CONTENT))


class _Vocabulary(dict):
    """Spelling -> row; each row holds the spelling's normal form, hash and class bits."""

    def __init__(self) -> None:
        super().__init__()
        self.normal: list[str] = []
        self.hashes = np.empty(4096, dtype=np.uint64)
        self.flags = np.empty(4096, dtype=np.uint8)
        self.lock = threading.Lock()  # the server tokenizes in several threads

    def __missing__(self, spelling: str) -> int:
        with self.lock:
            if spelling in self:  # learnt by another thread meanwhile
                return dict.__getitem__(self, spelling)
            row = len(self.normal)
            if row == len(self.hashes):  # grown before the row is written, never after
                self.hashes = np.concatenate([self.hashes, np.empty_like(self.hashes)])
                self.flags = np.concatenate([self.flags, np.empty_like(self.flags)])
            word = spelling.lower() if spelling.isascii() else normalize(spelling)
            self.normal.append(word)
            self.hashes[row] = word_hash(word)
            self.flags[row] = _classes(spelling, word)
            self[spelling] = row
            return row


def _classes(spelling: str, word: str) -> int:
    stop = word in STOPWORDS
    digit = not word.isalpha() and any(c.isdigit() for c in word)
    return (
        _STOP * stop
        | _DIGIT * digit
        | _CAPITAL * spelling[0].isupper()
        | _UPPER * (len(spelling) > 1 and spelling.isupper())
        | _LONG * (len(spelling) > 1)
        | _SINGLE * (len(word) == 1)
        | _CONTENT * (len(word) > 1 and not stop)
    )


class _Gaps(dict):
    """Text between two words -> whether it ends a sentence (gaps repeat: " ", ", ", ". ")."""

    def __missing__(self, gap: str) -> bool:
        if len(self) > _GAPS_MAX:
            self.clear()
        ends = self[gap] = _SENTENCE_END.search(gap) is not None
        return ends


_VOCABULARIES = [_Vocabulary()]
_GAPS = _Gaps()
_EMPTY = Tokens([], [], np.empty(0, dtype=np.intp), np.empty(0, dtype=np.uint64), *(np.empty(0, dtype=bool),) * 3)


def _vocabulary() -> _Vocabulary:
    """The shared vocabulary, started afresh once it is full (a text keeps the one it began with)."""
    if len(_VOCABULARIES[0]) > _VOCABULARY_MAX:
        _VOCABULARIES[0] = _Vocabulary()
    return _VOCABULARIES[0]
