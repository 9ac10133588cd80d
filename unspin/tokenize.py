"""Words with their character offsets, normalised for comparison, hashed and classed.

Tokenizing is the one step every text goes through, sources and suspects alike, so it is
built to touch each word as little as possible in Python: one regular expression splits the
text into (gap, word) pairs, and each distinct word (and gap) is normalised, hashed,
classed and measured once, in a vocabulary shared by every text of the process. A text then
costs a dictionary lookup per word and gap; the rest is NumPy over the whole text at once.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import cached_property

import numpy as np
import xxhash

from unspin.stopwords import STOPWORDS

# A word is a run of letters/digits, kept whole across inner apostrophes, hyphens and
# the separators of numbers ("don't", "well-known", "2,500", "3.5"). Splitting on words and
# keeping them gives gap, word, gap, word, ..., tail; offsets follow from the lengths.
# (Possessive: nothing follows the repetition, so it never needs to backtrack.)
_SPLIT = re.compile(r"(\w+(?:['’.,\-]\w+)*+)")
_SENTENCE_END = re.compile(r"[.!?\n]")
_WORD = re.compile(r"\w")
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
_OPENS = 128  # not a class of the spelling but of its place: the first word of a sentence

# The classes a stored text keeps (see Tokens.layout), once the text's casing is decided.
_STORED_IMMUTABLE, _STORED_FACTS, _STORED_CONTENT = 1, 2, 4

_VOCABULARY_MAX = 1_000_000  # distinct spellings kept; a crawl's junk would grow it forever


class Tokens:
    """The words of one text: identities, offsets and simple classes, one entry per word.

    ``words[i]`` is the normalised form of the text between ``starts[i]`` and ``ends[i]``;
    ``hashes[i]`` its stable 64-bit hash (what fingerprints compare), ``keys[i]`` the top 32
    bits of that hash (what alignment compares, and the index stores).
    """

    def __init__(self, parts: np.ndarray, vocabulary: _Vocabulary, hashes: np.ndarray,
                 immutable: np.ndarray, facts: np.ndarray, content: np.ndarray) -> None:
        self._parts = parts  # vocabulary rows of gap, word, gap, ...: offsets are worked out when first asked for
        self._vocabulary = vocabulary
        self._rows = parts[1::2]
        self._length = len(self._rows)
        self.hashes = hashes
        self.immutable_mask = immutable  # function word, number or mid-sentence name: what spinners keep
        self.facts_mask = facts  # a capitalised word, a number or an initial: names and figures
        self.content_mask = content  # a topic word

    @classmethod
    def stored(cls, text: str, keys: np.ndarray, layout: bytes) -> Tokens | None:
        """A text's tokens rebuilt from its ``keys`` and :meth:`layout`, as an index stores
        them: no splitting, no lookups. None if the layout does not fit the keys or the text."""
        count = len(keys)
        if not layout or layout[0] not in (1, 4) or len(layout) != 1 + count + 2 * layout[0] * count:
            return None
        width = np.dtype(np.uint8 if layout[0] == 1 else "<u4")
        classes = np.frombuffer(layout, dtype=np.uint8, count=count, offset=1)
        lengths = np.frombuffer(layout, dtype=width, count=2 * count, offset=1 + count)
        bounds = np.cumsum(lengths, dtype=np.int64)  # gap, word, gap, word, ...: word ends at odd places
        if count and bounds[-1] > len(text):
            return None
        tokens = cls.__new__(cls)
        tokens._text, tokens._length = text, count
        tokens.immutable_mask = (classes & _STORED_IMMUTABLE).astype(bool)
        tokens.facts_mask = (classes & _STORED_FACTS).astype(bool)
        tokens.content_mask = (classes & _STORED_CONTENT).astype(bool)
        tokens.offsets = bounds[0::2], bounds[1::2]  # the cached properties, filled in
        tokens.key_array = keys
        return tokens

    def layout(self) -> bytes:
        """The words' classes and offsets, packed for storage beside their keys: one byte
        of classes and two of lengths (the gap before the word, the word) a word, or four
        bytes a length in the rare text with a gap or a word over 255 characters."""
        starts, ends = self.offsets
        lengths = np.empty(2 * len(self), dtype=np.int64)
        lengths[0::2] = starts - np.concatenate([[0], ends[:-1]])
        lengths[1::2] = ends - starts
        width = 1 if not len(lengths) or lengths.max() < 256 else 4
        classes = (self.immutable_mask * _STORED_IMMUTABLE | self.facts_mask * _STORED_FACTS
                   | self.content_mask * _STORED_CONTENT).astype(np.uint8)
        return bytes([width]) + classes.tobytes() + lengths.astype(np.uint8 if width == 1 else "<u4").tobytes()

    def __len__(self) -> int:
        return self._length

    @cached_property
    def words(self) -> list[str]:
        if "_rows" not in self.__dict__:  # stored: the words are read off the text
            text = self._text
            return [normalize(text[s:e]) for s, e in zip(self.starts, self.ends)]
        normal = self._vocabulary.normal
        return [normal[row] for row in self._rows.tolist()]

    @cached_property
    def hashes(self) -> np.ndarray:  # set by __init__ when tokenized; worked out here when stored
        return np.fromiter(map(word_hash, self.words), dtype=np.uint64, count=len(self))

    @cached_property
    def starts(self) -> list[int]:
        """Character offset of each word's first character."""
        return self.offsets[0].tolist()

    @cached_property
    def ends(self) -> list[int]:
        """Character offset just after each word."""
        return self.offsets[1].tolist()

    @cached_property
    def offsets(self) -> tuple[np.ndarray, np.ndarray]:
        """``starts`` and ``ends`` as arrays."""
        bounds = np.cumsum(self._vocabulary.lengths[self._parts], dtype=np.int64)
        return bounds[0:-1:2], bounds[1::2]

    @cached_property
    def facts_before(self) -> np.ndarray:
        """``facts_before[i]``: how many of the first ``i`` words are facts (``len + 1`` entries)."""
        return np.concatenate([[0], np.cumsum(self.facts_mask)])

    @cached_property
    def key_array(self) -> np.ndarray:
        """The words as 32-bit integers, equal where the normalised words are. (Two words of
        a vocabulary share a key by chance about once in 4 billion pairs: one stray word in
        an alignment, which cannot make a passage.)"""
        return (self.hashes >> np.uint64(32)).astype(np.uint32)

    @cached_property
    def keys(self) -> list[int]:
        """``key_array`` as a list: what alignment compares."""
        return self.key_array.tolist()

    @cached_property
    def content_before(self) -> list[int]:
        """``content_before[i]``: how many of the first ``i`` words are topic words."""
        return np.concatenate([[0], np.cumsum(self.content_mask)]).tolist()

    @cached_property
    def immutable(self) -> list[bool]:
        return self.immutable_mask.tolist()

    @cached_property
    def facts(self) -> list[bool]:
        return self.facts_mask.tolist()



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
    parts = _SPLIT.split(text)
    if len(parts) < 2:
        return _EMPTY
    vocabulary = _vocabulary()
    # Gaps are in the vocabulary too (they repeat: " ", ", ", ". "), with the bit that
    # tells a sentence end: one lookup a part gives the words, where sentences open, and
    # the lengths that offsets add up.
    parts = np.fromiter(map(vocabulary.__getitem__, parts), dtype=np.intp, count=len(parts))
    rows = parts[1::2]
    codes = vocabulary.flags[rows] | vocabulary.flags[parts[0:-1:2]]
    codes[0] |= _OPENS
    # In a text set mostly in capitals (a shouted headline, a telex), case says nothing.
    # (Words in capitals throughout, not capitalised words: a team sheet or a list of names
    # is mostly capitalised, and there case is what marks the names.)
    counts = np.bincount(codes, minlength=256)
    cased = counts @ _HAS_UPPER <= 0.5 * (counts @ _HAS_LONG)
    immutable, facts = (_IMMUTABLE_CASED, _FACTS_CASED) if cased else (_IMMUTABLE_UNCASED, _FACTS_UNCASED)
    return Tokens(parts, vocabulary, vocabulary.hashes[rows], immutable[codes], facts[codes], _IS_CONTENT[codes])


def _class_table(cased: bool) -> tuple[np.ndarray, np.ndarray]:
    """For each combination of class bits, whether the word is immutable, and whether a fact."""
    immutable, facts = np.zeros(256, dtype=bool), np.zeros(256, dtype=bool)
    for code in range(256):
        stop, digit, single = code & _STOP, code & _DIGIT, code & _SINGLE
        capital = cased and code & _CAPITAL
        # A capitalised word is a name unless it opens a sentence.
        immutable[code] = bool(digit or stop or (capital and not code & _OPENS))
        facts[code] = bool(digit or (capital and not stop) or single)
    return immutable, facts


_IMMUTABLE_CASED, _FACTS_CASED = _class_table(cased=True)
_IMMUTABLE_UNCASED, _FACTS_UNCASED = _class_table(cased=False)
_IS_CONTENT = np.array([bool(code & _CONTENT) for code in range(256)])
_HAS_UPPER = np.array([bool(code & _UPPER) for code in range(256)], dtype=np.int64)
_HAS_LONG = np.array([bool(code & _LONG) for code in range(256)], dtype=np.int64)


class _Vocabulary(dict):
    """Spelling -> row; each row holds the spelling's normal form, hash, class bits and
    length. Gaps between words have rows too: no normal form, and :data:`_OPENS` for a
    gap that ends a sentence."""

    def __init__(self) -> None:
        super().__init__()
        self.normal: list[str] = []
        self.hashes = np.empty(4096, dtype=np.uint64)
        self.flags = np.empty(4096, dtype=np.uint8)
        self.lengths = np.empty(4096, dtype=np.int64)
        self.lock = threading.Lock()  # the server tokenizes in several threads

    def __missing__(self, spelling: str) -> int:
        with self.lock:
            if spelling in self:  # learnt by another thread meanwhile
                return dict.__getitem__(self, spelling)
            row = len(self.normal)
            if row == len(self.hashes):  # grown before the row is written, never after
                self.hashes, self.flags, self.lengths = (
                    np.concatenate([array, np.empty_like(array)]) for array in (self.hashes, self.flags, self.lengths)
                )
            if _WORD.match(spelling):
                word = spelling.lower() if spelling.isascii() else normalize(spelling)
                self.hashes[row] = word_hash(word)
                self.flags[row] = _classes(spelling, word)
            else:  # a gap: words never hold punctuation or spaces, nor gaps a word character
                word = ""
                self.hashes[row] = 0
                self.flags[row] = _OPENS if _SENTENCE_END.search(spelling) else 0
            self.normal.append(word)
            self.lengths[row] = len(spelling)
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


_VOCABULARIES = [_Vocabulary()]
_EMPTY = Tokens(np.zeros(1, dtype=np.intp), _VOCABULARIES[0], np.empty(0, dtype=np.uint64), *(np.empty(0, dtype=bool),) * 3)


def _vocabulary() -> _Vocabulary:
    """The shared vocabulary, started afresh once it is full (a text keeps the one it began with)."""
    if len(_VOCABULARIES[0]) > _VOCABULARY_MAX:
        _VOCABULARIES[0] = _Vocabulary()
    return _VOCABULARIES[0]
