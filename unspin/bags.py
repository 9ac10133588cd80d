"""Sentences as bags of word stems: where a text's sentences end, each word's stem, and the
bags of stems its sentences are, which :mod:`unspin.seeds` compares to find sentences reused
out of order; and how many topic words two stretches match one for one by stem.

Every text a check reads for reworded sentences, suspect or source, is made into bags once
(kept with its tokens), in compiled passes: each word's stem is looked up by its key or its
vocabulary row, and only words never seen before are stemmed one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from unspin.jit import compiled
from unspin.tokenize import Tokens

_STOP, _CLOSER, _SPACE = 1, 2, 4
_MARKS = np.zeros(0x2020, dtype=np.uint8)  # the classes of the code points below U+2020 (” and ’ among them)
for _characters, _class in ((".!?;", _STOP), ("\"'”’)]", _CLOSER), (" \t\n\r\f\v\u00a0", _SPACE)):
    for _character in _characters:
        _MARKS[ord(_character)] |= _class


def sentence_ends(text: str) -> np.ndarray:
    """Character offsets where sentences end: a ., !, ? or ; before a space (a closing quote
    or bracket between them), and a blank line. A single line break ends none: hard-wrapped
    text breaks lines inside sentences, and a heading line without a stop only joins the
    sentence after it."""
    return _sentence_ends(np.frombuffer((text + "  ").encode("utf-32-le"), dtype=np.uint32), _MARKS)


@compiled
def _sentence_ends(points: np.ndarray, marks: np.ndarray) -> np.ndarray:
    """:func:`sentence_ends` of a text's code points followed by two spaces, in one pass."""
    ends = np.empty(len(points) - 2, np.int64)
    found = 0
    top = len(marks) - 1
    for k in range(len(points) - 2):
        here, after, next_after = marks[min(points[k], top)], marks[min(points[k + 1], top)], marks[min(points[k + 2], top)]
        closed = (after & _CLOSER) != 0 and (next_after & _SPACE) != 0
        end = (here & _STOP) != 0 and ((after & _SPACE) != 0 or closed)
        if end or (points[k] == 10 and points[k + 1] == 10):
            ends[found] = k
            found += 1
    return ends[:found]


@dataclass(frozen=True)
class SentenceBags:
    """A text as sentences of word stems: what :func:`seed_spans` compares."""

    bounds: np.ndarray  # word index where each sentence starts, and the text's word count last
    stems: np.ndarray  # each word's stem id, -1 for function words, numbers and punctuation
    # The distinct (sentence, stem) pairs, sorted, and how often each occurs.
    sentence: np.ndarray
    stem: np.ndarray
    count: np.ndarray
    # The distinct stems, sorted; how many sentences hold each; each pair's stem among them.
    distinct: np.ndarray
    frequency: np.ndarray
    stem_row: np.ndarray

    def __len__(self) -> int:
        return len(self.bounds) - 1


def sentence_bags(text: str, tokens: Tokens) -> SentenceBags:
    """``text`` as sentences, each word with its stem (see :class:`SentenceBags`); kept with
    the tokens, since a suspect meets several sources and a source several suspects."""
    return tokens.derived("sentence bags", lambda: _sentence_bags(text, tokens))


def sentence_bounds(text: str, tokens: Tokens) -> np.ndarray:
    """The word where each sentence of ``text`` starts, and its word count last (kept with
    the tokens, as the bags are)."""
    return tokens.derived("sentence bounds", lambda: _sentence_bounds(text, tokens))


def _sentence_bounds(text: str, tokens: Tokens) -> np.ndarray:
    return _bounds(sentence_ends(text), np.asarray(tokens.offsets[0], dtype=np.int64))


@compiled
def _bounds(ends: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """:func:`sentence_bounds` from the sentences' ``ends`` (in order) and the words' ``starts``:
    0, the first word after each end (each once, neither the first word nor past the last),
    and the word count, in one pass (NumPy's searchsorted, unique and a mask take several
    microseconds each)."""
    count = len(starts)
    bounds = np.empty(len(ends) + 2, np.int64)
    bounds[0] = 0
    found = 1
    word = 0  # the first word after the end: how many start at or before it
    for end in ends:
        while word < count and starts[word] <= end:
            word += 1
        if 0 < word < count and word != bounds[found - 1]:
            bounds[found] = word
            found += 1
    bounds[found] = count
    return bounds[:found + 1]


def _sentence_bags(text: str, tokens: Tokens) -> SentenceBags:
    bounds = sentence_bounds(text, tokens)
    stems = _stems(tokens)
    return SentenceBags(bounds, stems, *_bags(bounds, stems))


@compiled
def _bags(bounds: np.ndarray, stems: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                                          np.ndarray, np.ndarray]:
    """:class:`SentenceBags`' arrays from the sentences' ``bounds`` and the words' ``stems``, in
    one compiled pass (what ``np.unique`` gives, twice): the distinct (sentence, stem) pairs,
    as one integer each, sorted by sentence, then stem; how often each occurs; the distinct
    stems, how many sentences hold each, and each pair's stem among them."""
    pairs = np.empty(len(stems), np.int64)
    count = 0
    for sentence in range(len(bounds) - 1):
        for k in range(bounds[sentence], bounds[sentence + 1]):
            if stems[k] >= 0:
                pairs[count] = (np.int64(sentence) << 32) | stems[k]
                count += 1
    pairs = np.sort(pairs[:count])
    distinct_pairs = np.empty(count, np.int64)
    occurrences = np.zeros(count, np.float64)
    found = 0
    for k in range(count):
        if found == 0 or pairs[k] != distinct_pairs[found - 1]:
            distinct_pairs[found] = pairs[k]
            found += 1
        occurrences[found - 1] += 1.0
    pairs, occurrences = distinct_pairs[:found], occurrences[:found]
    stem = pairs & 0xFFFFFFFF
    order = np.argsort(stem)
    distinct = np.empty(found, np.int64)
    frequency = np.zeros(found, np.int64)
    stem_row = np.empty(found, np.int64)
    rows = 0
    for k in range(found):
        value = stem[order[k]]
        if rows == 0 or value != distinct[rows - 1]:
            distinct[rows] = value
            rows += 1
        frequency[rows - 1] += 1
        stem_row[order[k]] = rows - 1
    return pairs >> 32, stem, occurrences, distinct[:rows], frequency[:rows], stem_row


def sentence_stems(tokens: Tokens, prose: bool = False) -> np.ndarray:
    """Each word's stem id as :func:`_stems` has it, given ``prose`` -1 for names and figures
    too (the facts two reports of one event share); kept with the tokens."""
    if prose:
        return tokens.derived("prose stems", lambda: np.where(tokens.facts_mask, -1, sentence_stems(tokens)))
    return tokens.derived("stems", lambda: _stems(tokens))


def _stems(tokens: Tokens) -> np.ndarray:
    """Each word's stem id; -1 for a function word, a number or a single character."""
    keep = tokens.content_mask | (tokens.facts_mask & ~tokens.immutable_mask)
    rows = tokens.__dict__.get("_rows")  # a tokenized text's rows in the shared vocabulary
    if rows is not None:
        ids = _STEMS.of_rows(tokens._vocabulary, rows)
    else:  # tokens rebuilt from an index: by word key
        ids = _STEMS.of(np.asarray(tokens.key_array, dtype=np.int64), tokens)
    return np.where(keep, ids, -1)


class _StemTable:
    """Word -> stem id, for every word seen by the process, so that only words never seen
    before are stemmed one by one: by the row of the tokenizer's vocabulary (an array
    beside it), else by word key (a sorted array looked up all at once)."""

    def __init__(self) -> None:
        self.keys = np.empty(0, dtype=np.int64)
        self.ids = np.empty(0, dtype=np.int64)
        self.stem_ids: dict[str, int] = {}
        # The stem of each row of one vocabulary (the tokenizer's current one), -2: not stemmed yet.
        self.vocabulary: object = None
        self.by_row = np.empty(0, dtype=np.int64)

    def of_rows(self, vocabulary, rows: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
        if vocabulary is not self.vocabulary:  # the tokenizer started a new one: so does this
            self.vocabulary, self.by_row = vocabulary, np.empty(0, dtype=np.int64)
        table = self.by_row
        if len(table) < len(vocabulary.normal):
            table = np.concatenate([table, np.full(len(vocabulary.normal) - len(table), -2, dtype=np.int64)])
            self.by_row = table
        ids = table[rows]
        new = ids == -2
        if np.count_nonzero(new):
            stemmer = _stemmer()
            for row in np.unique(rows[new]).tolist():
                table[row] = self._id(vocabulary.normal[row], stemmer)
            ids = table[rows]
        return ids

    def of(self, keys: np.ndarray, tokens: Tokens) -> np.ndarray:
        place = np.minimum(np.searchsorted(self.keys, keys), max(0, len(self.keys) - 1))
        known = (self.keys[place] == keys) if len(self.keys) else np.zeros(len(keys), dtype=bool)
        if not known.all():
            self._learn(keys, ~known, tokens)
            return self.of(keys, tokens)
        return self.ids[place]

    def _learn(self, keys: np.ndarray, new: np.ndarray, tokens: Tokens) -> None:
        fresh, first = np.unique(keys[new], return_index=True)
        words = tokens.words
        at = np.flatnonzero(new)[first]
        stemmer = _stemmer()
        ids = [self._id(words[i], stemmer) for i in at.tolist()]
        # The new keys (sorted, none known) inserted where they go: the table stays sorted
        # without a stable argsort of every word seen so far for each source met, whose cost
        # grows with the run (0.89 ms at 200,000 words, 7.6 at a million; inserted: 0.36, 1.8).
        places = np.searchsorted(self.keys, fresh)
        self.keys = np.insert(self.keys, places, fresh)
        self.ids = np.insert(self.ids, places, np.array(ids, dtype=np.int64))

    def _id(self, word: str, stemmer) -> int:  # type: ignore[no-untyped-def]
        if len(word) < 2 or word.isdigit():
            return -1
        return self.stem_ids.setdefault(stemmer.stemWord(word), len(self.stem_ids))


_STEMS = _StemTable()


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer  # PyStemmer: Snowball's English stemmer, compiled

    return Stemmer.Stemmer("english")


def matched_one_for_one(a: np.ndarray, b: np.ndarray) -> int:
    """The topic words of ``a`` matched one for one by words of ``b`` with the same stem
    (the size of the two bags' intersection): a word repeated on one side counts as often
    as the other side has it."""
    return int(_one_for_one(np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)))


@compiled
def _one_for_one(a: np.ndarray, b: np.ndarray) -> int:
    """:func:`matched_one_for_one`: the two sides' topic words sorted and merged, each pair of
    equal stems one match (so a stem counts as often as the side with fewer of it has it)."""
    return in_common(np.sort(a[a >= 0]), np.sort(b[b >= 0]))


@compiled
def in_common(x: np.ndarray, y: np.ndarray) -> int:
    """How many values two sorted arrays have in common, merged in one pass, each pair of equal
    values one (a value repeated counts as often as the array with fewer of it has it)."""
    i = j = found = 0
    while i < len(x) and j < len(y):
        if x[i] < y[j]:
            i += 1
        elif y[j] < x[i]:
            j += 1
        else:
            found += 1
            i += 1
            j += 1
    return found
