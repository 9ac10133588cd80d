"""Words with their character offsets, normalised for comparison, hashed and classed.

Tokenizing is the one step every text goes through, sources and suspects alike, so it is
built to touch each word as little as possible in Python. A table classes each of the text's
code points; one compiled pass (:func:`_words`) finds the words, the runs of word
characters, and hashes each word's spelling from its code points. Each
distinct spelling is normalised, hashed and classed once, in a vocabulary shared by every
text of the process, whose table of slots finds the rows of all a text's words at once.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import cached_property
from typing import Any

import numpy as np
import xxhash

from unspin.jit import compiled
from unspin.keytable import KeyTable
from unspin.stopwords import STOPWORDS

# A word is a run of letters/digits, kept whole across inner apostrophes, hyphens and
# the separators of numbers ("don't", "well-known", "2,500", "3.5"): a match of WORD_PATTERN,
# which _words finds in one pass over the characters instead (the tests hold it to the pattern).
WORD_PATTERN = r"\w+(?:['’.,\-]\w+)*"
_TRANSLATE = str.maketrans({"’": "'", "‘": "'"})
_hash = xxhash.xxh3_64_intdigest

# The classes of a character (bits of one byte), looked up in a table by code point.
_WORD_CHAR = 1  # \w: a letter, a digit or "_" (what str.isalnum says, and "_")
_JOINER = 2  # joins two runs of word characters into one word
_ENDS = 4  # ends a sentence when it falls between words
_DIGIT_CHARACTER = 8  # a digit, of any script (what str.isdigit says)
QUOTATION_MARK = 16  # a double quotation mark or a guillemet: one of QUOTATION_MARKS
LINE_BREAK = 32  # "\n"
SPACE = 64  # a space of any kind (what str.isspace says)
QUOTATION_MARKS = "\"“”„«»"  # straight and typographic double quotes, and guillemets
_UNCLASSED = 128  # past ASCII, characters are classed when first met
_JOINERS, _SENTENCE_ENDS = "'’.,-", ".!?\n"
SENTENCE_END = _ENDS  # the class of a character of _SENTENCE_ENDS, in Tokens.character_classes
_CHARACTER_CLASSES = np.full(0x110000, _UNCLASSED, dtype=np.uint8)

# Spellings are told apart by a polynomial hash of their code points (modulo 2**64).
# Beyond _POLYNOMIAL_MAX characters a word is hashed from its string instead: a polynomial
# modulo a power of two has colliding strings, but only far longer ones (Thue-Morse sequences).
_BASE = 0x100000001B3
_POLYNOMIAL_MAX = 64

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

# Distinct spellings kept (a crawl's numbers and codes would grow it forever): ~350 bytes each,
_VOCABULARY_MAX = 200_000  # ~70 MB in each process that tokenizes, every common word many times over


class Tokens:
    """The words of one text: identities, offsets and simple classes, one entry per word.

    ``words[i]`` is the normalised form of the text between ``starts[i]`` and ``ends[i]``;
    ``hashes[i]`` its stable 64-bit hash (what fingerprints compare), ``keys[i]`` the top 32
    bits of that hash (what alignment compares, and the index stores).
    """

    def __init__(self, rows: np.ndarray, vocabulary: _Vocabulary, starts: np.ndarray, ends: np.ndarray,
                 hashes: np.ndarray, immutable: np.ndarray, facts: np.ndarray, content: np.ndarray,
                 text: str = "") -> None:
        self.text = text  # the text the offsets point into
        self._rows = rows  # the words' rows in the vocabulary
        self._vocabulary = vocabulary
        self._length = len(rows)
        self.offsets = starts, ends
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
        starts, ends, immutable, facts, content = _unpacked_layout(classes, lengths)
        if count and ends[-1] > len(text):
            return None
        tokens = cls.__new__(cls)
        tokens.text = tokens._text = text
        tokens._length = count
        tokens.immutable_mask, tokens.facts_mask, tokens.content_mask = immutable, facts, content
        tokens.offsets = starts, ends  # the cached properties, filled in
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

    def derived(self, name: str, make: Callable[[], Any]) -> Any:
        """A value worked out from these tokens once and kept with them (a source is aligned
        and judged against many suspects): ``make()``, on the first call for ``name``."""
        kept = self.__dict__.setdefault("_derived", {})
        if name not in kept:
            kept[name] = make()
        return kept[name]

    def __len__(self) -> int:
        return self._length

    @cached_property
    def words(self) -> list[str]:
        if "_rows" not in self.__dict__:  # stored: the words are read off the text
            text = self._text
            return [normalize(text[s:e]) for s, e in zip(self.starts, self.ends)]
        normal = self._vocabulary.normal
        return [normal[row] for row in self._rows.tolist()]

    def word(self, k: int) -> str:
        """``words[k]``, without making the list of every word of stored tokens."""
        if "words" in self.__dict__ or "_rows" in self.__dict__:
            return self.words[k]
        starts, ends = self.offsets
        return normalize(self._text[int(starts[k]):int(ends[k])])

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

    offsets: tuple[np.ndarray, np.ndarray]  # ``starts`` and ``ends`` as arrays

    @cached_property
    def digits_mask(self) -> np.ndarray:
        """Whether each word holds a digit (a number, a date, a figure), whatever the text's casing."""
        if "_rows" in self.__dict__:
            return (self._vocabulary.flags[self._rows] & _DIGIT).astype(bool)
        # Stored: from the classes of the characters of each word.
        return _holding(self.character_classes, *self.offsets, _DIGIT_CHARACTER)

    @cached_property
    def character_classes(self) -> np.ndarray:
        """The class bits of each character of the text (a word character, a joiner, a
        sentence's end, a digit, a quotation mark, a line break): worked out once, by the
        tokenizer, or when first read."""
        return character_classes(self.text)

    def function_share(self, words: int = 500) -> float:
        """The share of the first ``words`` words that are English function words (the
        stop-word list): a cheap sign of English text (:mod:`unspin.language`)."""
        if "_rows" in self.__dict__:
            flags = self._vocabulary.flags[self._rows[:words]]
            return np.count_nonzero(flags & _STOP) / len(flags) if len(flags) else 0.0  # (not .mean(): 4x the time)
        sample = self.words[:words]  # stored tokens: no vocabulary rows at hand
        return sum(word in STOPWORDS for word in sample) / len(sample) if sample else 0.0

    @cached_property
    def facts_before(self) -> np.ndarray:
        """``facts_before[i]``: how many of the first ``i`` words are facts (``len + 1`` entries)."""
        return running_count(self.facts_mask)

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
    def content_counts(self) -> np.ndarray:
        """``content_counts[i]``: how many of the first ``i`` words are topic words."""
        return running_count(self.content_mask)

    @cached_property
    def immutable(self) -> list[bool]:
        return self.immutable_mask.tolist()

    @cached_property
    def facts(self) -> list[bool]:
        return self.facts_mask.tolist()



@compiled
def _unpacked_layout(classes: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                                       np.ndarray, np.ndarray]:
    """:meth:`Tokens.stored`'s arrays from a layout's classes and lengths (gap, word, gap, word,
    ...), in one pass: the words' starts and ends, and their immutable, fact and topic flags."""
    count = len(classes)
    starts, ends = np.empty(count, np.int64), np.empty(count, np.int64)
    immutable, facts, content = np.empty(count, np.bool_), np.empty(count, np.bool_), np.empty(count, np.bool_)
    at = 0
    for k in range(count):
        at += np.int64(lengths[2 * k])
        starts[k] = at
        at += np.int64(lengths[2 * k + 1])
        ends[k] = at
        code = classes[k]
        immutable[k] = (code & _STORED_IMMUTABLE) != 0
        facts[k] = (code & _STORED_FACTS) != 0
        content[k] = (code & _STORED_CONTENT) != 0
    return starts, ends, immutable, facts, content


@compiled
def running_count(mask: np.ndarray) -> np.ndarray:
    """The running count of ``mask`` (int64), from 0: ``len(mask) + 1`` entries, so that a
    stretch's count is one subtraction. (Compiled: NumPy's cumsum of a boolean array takes
    several microseconds, and a check makes a few for every text it reads.)"""
    counts = np.empty(len(mask) + 1, np.int64)
    counts[0] = 0
    for k in range(len(mask)):
        counts[k + 1] = counts[k] + mask[k]
    return counts


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
    points = code_points(text)
    classes = _classes_of(points)
    starts, ends, spellings, opens = _words(points, classes, _WORD_CHAR, _JOINER, _ENDS, _BASE)
    if not len(starts):
        return _EMPTY
    for k in np.flatnonzero(ends - starts > _POLYNOMIAL_MAX).tolist():
        spellings[k] = _hash(points[starts[k]:ends[k]].tobytes())
    spellings[spellings == 0] = _BASE  # never 0, which marks an empty slot of the vocabulary
    vocabulary = _vocabulary()
    rows = vocabulary.rows(text, starts, ends, spellings)
    hashes, immutable, facts, content = _classed(rows, vocabulary.flags, vocabulary.hashes, opens, _IMMUTABLE_CASED,
                                                 _FACTS_CASED, _IMMUTABLE_UNCASED, _FACTS_UNCASED, _IS_CONTENT)
    tokens = Tokens(rows, vocabulary, starts, ends, hashes, immutable, facts, content, text)
    tokens.character_classes = classes  # at hand: kept for whoever reads them (sentence breaks)
    return tokens


@compiled
def _classed(rows: np.ndarray, flags: np.ndarray, hashes: np.ndarray, opens: np.ndarray,
             immutable_cased: np.ndarray, facts_cased: np.ndarray, immutable_uncased: np.ndarray,
             facts_uncased: np.ndarray, is_content: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each word's hash and classes (immutable, fact, content) from its vocabulary row's class
    bits and whether it opens a sentence, in one pass: :func:`tokenize`'s last step."""
    count = len(rows)
    codes = np.empty(count, np.uint8)
    upper = long = 0
    for k in range(count):
        code = np.int64(flags[rows[k]])
        if opens[k]:
            code |= _OPENS
        codes[k] = code
        upper += (code & _UPPER) != 0
        long += (code & _LONG) != 0
    # In a text set mostly in capitals (a shouted headline, a telex), case says nothing.
    # (Words in capitals throughout, not capitalised words: a team sheet or a list of names
    # is mostly capitalised, and there case is what marks the names.)
    cased = 2 * upper <= long
    immutable_of, facts_of = (immutable_cased, facts_cased) if cased else (immutable_uncased, facts_uncased)
    word_hashes = np.empty(count, np.uint64)
    immutable, facts, content = np.empty(count, np.bool_), np.empty(count, np.bool_), np.empty(count, np.bool_)
    for k in range(count):
        code = codes[k]
        word_hashes[k] = hashes[rows[k]]
        immutable[k], facts[k], content[k] = immutable_of[code], facts_of[code], is_content[code]
    return word_hashes, immutable, facts, content


def code_points(text: str) -> np.ndarray:
    """The text's characters as code points (uint32), one a character (a lone surrogate too)."""
    try:  # most text is Latin-1 (ASCII, "£", "é"): encoded at memory speed, where UTF-32 takes 4 us a kilobyte
        return np.frombuffer(text.encode("latin-1"), dtype=np.uint8).astype(np.uint32)
    except UnicodeEncodeError:
        return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


@compiled
def _holding(classes: np.ndarray, starts: np.ndarray, ends: np.ndarray, bit: int) -> np.ndarray:
    """Whether each word (``starts``, ``ends``: character offsets) holds a character of the class ``bit``."""
    found = np.zeros(len(starts), np.bool_)
    for k in range(len(starts)):
        for c in range(starts[k], ends[k]):
            if classes[c] & bit:
                found[k] = True
                break
    return found


@compiled
def _words(points: np.ndarray, classes: np.ndarray, word_char: int, joiner: int, sentence_end: int,
           base: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The words of a text, from its code points and their classes, in one pass: where each
    starts and ends, the polynomial hash of its spelling (its code points times powers of
    ``base``, modulo 2**64, plus its length), and whether it opens a sentence (it is the
    first, or the gap before it holds a sentence end).

    A word is a run of word characters and of joiners that stand between two word
    characters: what :data:`WORD_PATTERN` matches.
    """
    n = len(points)
    starts = np.empty(n // 2 + 1, np.int64)
    ends = np.empty(n // 2 + 1, np.int64)
    spellings = np.empty(n // 2 + 1, np.uint64)
    opens = np.empty(n // 2 + 1, np.bool_)
    multiplier = np.uint64(base)
    words = 0
    opening = True
    i = 0
    while i < n:
        if not classes[i] & word_char:
            if classes[i] & sentence_end:
                opening = True
            i += 1
            continue
        start, spelling, power = i, np.uint64(0), np.uint64(1)
        while True:  # a word character at i
            spelling += np.uint64(points[i]) * power
            power *= multiplier
            i += 1
            if i < n and classes[i] & word_char:
                continue
            if i + 1 < n and classes[i] & joiner and classes[i + 1] & word_char:
                spelling += np.uint64(points[i]) * power  # the joiner, then the word character after it
                power *= multiplier
                i += 1
                continue
            break
        starts[words], ends[words] = start, i
        spellings[words] = spelling + np.uint64(i - start)
        opens[words] = opening
        opening = False
        words += 1
    return starts[:words], ends[:words], spellings[:words], opens[:words]


def character_classes(text: str) -> np.ndarray:
    """The class bits of each character of ``text`` (see :attr:`Tokens.character_classes`)."""
    return _classes_of(code_points(text))


def _classes_of(points: np.ndarray) -> np.ndarray:
    """The class bits of each code point, classing the ones not met before."""
    classes, unclassed = _looked_up(points, _CHARACTER_CLASSES, _UNCLASSED)
    if unclassed:
        for point in np.unique(points[(classes & _UNCLASSED).astype(bool)]).tolist():
            _CHARACTER_CLASSES[point] = _class_of(chr(point))
        classes = _CHARACTER_CLASSES[points]
    return classes


@compiled
def _looked_up(points: np.ndarray, table: np.ndarray, unclassed: int) -> tuple[np.ndarray, bool]:
    """Each code point's entry in ``table``, and whether any entry has the ``unclassed`` bit."""
    classes = np.empty(len(points), np.uint8)
    found = 0
    for k in range(len(points)):
        classes[k] = table[points[k]]
        found |= classes[k]
    return classes, (found & unclassed) != 0


def _class_of(character: str) -> int:
    return (_WORD_CHAR * (character.isalnum() or character == "_") | _JOINER * (character in _JOINERS)
            | _ENDS * (character in _SENTENCE_ENDS) | _DIGIT_CHARACTER * character.isdigit()
            | QUOTATION_MARK * (character in QUOTATION_MARKS) | LINE_BREAK * (character == "\n")
            | SPACE * character.isspace())


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


class _Vocabulary(KeyTable):
    """Spelling hash -> row; each row holds the spelling's normal form, hash and class bits."""

    def __init__(self) -> None:
        super().__init__()
        self.normal: list[str] = []
        self.hashes = np.empty(4096, dtype=np.uint64)
        self.flags = np.empty(4096, dtype=np.uint8)

    def rows(self, text: str, starts: np.ndarray, ends: np.ndarray, spellings: np.ndarray) -> np.ndarray:
        """The rows of a text's words, learning the spellings not met before."""
        rows = self.find(spellings)
        new = np.flatnonzero(rows < 0)
        if len(new):  # each new spelling learnt once, however often the text repeats it
            distinct, first, inverse = np.unique(spellings[new], return_index=True, return_inverse=True)
            learnt = [self.learn(key, text[starts[k]:ends[k]]) for key, k in zip(distinct.tolist(), new[first].tolist())]
            rows[new] = np.array(learnt, dtype=np.intp)[inverse]
        return rows

    def learn(self, key: int, spelling: str) -> int:
        """The row of a new spelling."""
        with self.lock:
            if key in self:  # learnt by another thread meanwhile, or earlier in this text
                return self[key]
            row = len(self.normal)
            if row == len(self.hashes):  # grown before the row is written, never after
                self.hashes, self.flags = (np.concatenate([array, np.empty_like(array)]) for array in (self.hashes, self.flags))
            word = spelling.lower() if spelling.isascii() else normalize(spelling)
            self.hashes[row] = word_hash(word)
            self.flags[row] = _classes(spelling, word)
            self.normal.append(word)
            self.add(key, row)
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
_EMPTY = Tokens(np.empty(0, dtype=np.intp), _VOCABULARIES[0], np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64),
                np.empty(0, dtype=np.uint64), *(np.empty(0, dtype=bool),) * 3)
for _point in range(128):
    _CHARACTER_CLASSES[_point] = _class_of(chr(_point))


def _vocabulary() -> _Vocabulary:
    """The shared vocabulary, started afresh once it is full (a text keeps the one it began with)."""
    if len(_VOCABULARIES[0]) > _VOCABULARY_MAX:
        _VOCABULARIES[0] = _Vocabulary()
    return _VOCABULARIES[0]
