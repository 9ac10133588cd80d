"""The benchmark's data: the corpus read and deduplicated, held-out articles split off, the unrelated ones, and the suspects' and the run's types."""

from __future__ import annotations

import os
import random
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import xxhash

from unspin.document import Document, ReadError
from unspin.read import read_documents

RATES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)  # spinner targets; figures are reported by measured change
BINS = ((0.0, 0.025, "0%"), (0.025, 0.15, "~10%"), (0.15, 0.25, "~20%"), (0.25, 0.35, "~30%"),
        (0.35, 0.45, "~40%"), (0.45, 1.01, ">45%"))
THESAURI = ("wordnet", "aiksaurus")
MINHASH_PERMUTATIONS = 128
MINHASH_SHINGLE = 5
MINHASH_THRESHOLD = 0.5
CHECK_PASSES = 3  # timed passes over the suspects, for unspin and the baseline alike; the fastest counts

_hash = xxhash.xxh3_64_intdigest
UNRELATED_RUN = 10  # a held-out article sharing a run of this many words with a source is not "unrelated"
EDITED_WORDS = 10  # a held-out sentence this long ...
EDITED_KEPT = 0.6  # ... keeping this share of its words in order in a source sentence is reused text
NEAR_DUPLICATE = 0.5  # share of either text's 5-shingles found in the other that makes two texts one
_WORD = re.compile(r"\w+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


# --- data ------------------------------------------------------------------------------


@dataclass
class Suspect:
    """A labelled suspect: its text, how it was made, its true source and the true passages."""

    id: str
    text: str
    condition: str
    thesaurus: str | None = None
    target: float = 0.0
    changed: float = 0.0  # measured share of the source's words not kept in order
    source: str | None = None  # true source id; None for a negative
    accepted: frozenset[str] = frozenset({"original"})  # verdicts that are right for it
    cases: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)  # true passages


@dataclass
class Config:
    corpus: str
    sample: int = 100  # suspects per condition
    negatives: int = 500
    seed: int = 1
    sources: int = 0  # grow the index to this many with generated documents (scaling)
    out: str = "docs/benchmarks"
    thesauri: Sequence[Any] = THESAURI  # names, or Thesaurus objects (tests)
    rates: Sequence[float] = RATES
    candidates: int = 10
    memory: bool = True
    plots: bool = True
    command: str = ""


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def load_corpus(folder: str) -> tuple[list[Document], list[str]]:
    """Every readable document under ``folder``, its id relative to the folder; and the errors."""
    # A file's id is its path from the folder holding ``folder``: it starts with the folder's name.
    own_name = os.path.basename(os.path.normpath(folder))
    prefix = f"{own_name}/" if own_name not in ("", ".", "..") else ""
    documents, errors = [], []
    for item in read_documents([folder]):
        if isinstance(item, ReadError):
            errors.append(str(item))
            continue
        if not words(item.text):
            continue
        item.id = item.id.removeprefix(prefix)
        documents.append(item)
    documents.sort(key=lambda d: d.id)
    return documents, errors


def topic(document: Document) -> str:
    return document.id.split("/")[0] if "/" in document.id else ""


def ngram_set(tokens: list[str], n: int) -> set[int]:
    return {_hash(" ".join(tokens[i : i + n]).encode()) for i in range(len(tokens) - n + 1)}


def deduplicate(documents: list[Document]) -> tuple[list[Document], dict[str, int]]:
    """Drop exact and near-exact duplicates, keeping the first of each group (by id)."""
    kept: list[Document] = []
    seen_exact: set[int] = set()
    postings: dict[int, list[int]] = defaultdict(list)
    shingles: list[set[int]] = []
    exact = near = 0
    for document in documents:
        tokens = words(document.text)
        digest = _hash(" ".join(tokens).encode())
        if digest in seen_exact:
            exact += 1
            continue
        mine = ngram_set(tokens, 5) or {digest}
        shared: Counter[int] = Counter()
        for s in mine:
            for k in postings.get(s, ()):
                shared[k] += 1
        if any(count >= NEAR_DUPLICATE * min(len(mine), len(shingles[k])) for k, count in shared.items()):
            near += 1
            continue
        seen_exact.add(digest)
        number = len(kept)
        kept.append(document)
        shingles.append(mine)
        for s in mine:
            postings[s].append(number)
    return kept, {"read": len(documents), "exact_duplicates": exact, "near_duplicates": near, "kept": len(kept)}


def split(documents: list[Document], held_out: int, rng: random.Random) -> tuple[list[Document], list[Document]]:
    """Sources and held-out articles, holding out the same share of each topic."""
    by_topic: dict[str, list[Document]] = defaultdict(list)
    for document in documents:
        by_topic[topic(document)].append(document)
    share = min(0.5, held_out / max(1, len(documents)))
    sources, held = [], []
    for name in sorted(by_topic):
        group = by_topic[name][:]
        rng.shuffle(group)
        k = round(share * len(group))
        held += group[:k]
        sources += group[k:]
    return sources, held


def sentences(text: str) -> list[list[str]]:
    return [words(s) for s in _SENTENCE.split(text)]


def unrelated(held: list[Document], sources: list[Document], run: int = UNRELATED_RUN) -> tuple[list[Document], dict[str, int]]:
    """The held-out articles that reuse no text of any source, and how many were excluded for what.

    Measured with plain word n-grams and a word-level diff, independently of unspin's detector.
    An article is excluded when it shares a run of ``run`` or more words with a source, or
    when one of its sentences of :data:`EDITED_WORDS` or more words keeps :data:`EDITED_KEPT`
    of its words, in order, in one sentence of a source (a copy-edited sentence: the news
    archive's rewritten updates of a story reuse its sentences that way).
    """
    from rapidfuzz.distance import LCSseq

    indexed: set[int] = set()
    by_gram: dict[int, list[list[str]]] = defaultdict(list)
    for source in sources:
        indexed |= ngram_set(words(source.text), run)
        for sentence in sentences(source.text):
            for gram in ngram_set(sentence, 4):
                by_gram[gram].append(sentence)
    keep, excluded = [], {"verbatim_run": 0, "edited_sentence": 0}
    for document in held:
        if ngram_set(words(document.text), run) & indexed:
            excluded["verbatim_run"] += 1
            continue
        if any(_edited(sentence, by_gram, LCSseq) for sentence in sentences(document.text) if len(sentence) >= EDITED_WORDS):
            excluded["edited_sentence"] += 1
            continue
        keep.append(document)
    return keep, excluded


def _edited(sentence: list[str], by_gram: dict[int, list[list[str]]], lcs: Any) -> bool:
    seen: set[int] = set()
    for gram in ngram_set(sentence, 4):
        for other in by_gram.get(gram, ()):
            if id(other) in seen:
                continue
            seen.add(id(other))
            if lcs.similarity(sentence, other) >= EDITED_KEPT * len(sentence):
                return True
    return False
