"""Passages: where a suspect follows a source, and which words it swapped on the way.

Seed, extend, merge, as in the PAN text-alignment systems:

1. **Seed** on every topic word (not a function word) that both texts share.
2. **Chain** seeds that advance together in both texts, a few words apart at most, into
   runs; a spinner swaps words but keeps the order, so a copied stretch becomes one run.
   Reordered or dropped sentences simply break it into several.
3. **Merge** runs that follow each other in both texts, drop overlaps in the suspect, and
   **extend** each over the identical words around it.
4. **Diff** each passage word by word (longest common subsequence): the words both keep,
   and between them the substitutions, insertions and deletions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

from unspin.tokenize import Tokens, is_content

MAX_GAP = 10  # words between two seeds of one run, in either text
MIN_SEEDS = 3  # seeds that make a run worth diffing
MAX_REPEATS = 12  # a word more frequent than this in the source seeds nothing
MAX_BRIDGE = 40  # words between two runs that one passage may span, when both texts agree


@dataclass(frozen=True)
class Substitution:
    """A stretch the suspect changed: suspect words in place of source words (either may be empty)."""

    suspect: tuple[int, int]  # character offsets in the suspect's text
    source: tuple[int, int]  # character offsets in the source's text
    suspect_words: int
    source_words: int


@dataclass
class Passage:
    """A stretch of the suspect aligned to a stretch of the source."""

    suspect: tuple[int, int]  # character offsets
    source: tuple[int, int]
    suspect_span: tuple[int, int]  # word offsets
    source_span: tuple[int, int]
    matched: int  # words identical in both, in order
    matched_prose: int  # of those, words that are not names or numbers
    substitutions: list[Substitution] = field(default_factory=list)
    quote: bool = False  # set by the judge when the passage lies inside a quotation

    @property
    def suspect_words(self) -> int:
        return self.suspect_span[1] - self.suspect_span[0]

    @property
    def source_words(self) -> int:
        return self.source_span[1] - self.source_span[0]

    @property
    def changed(self) -> int:
        """Source words in the passage that the suspect does not keep."""
        return self.source_words - self.matched


def align(suspect: Tokens, source: Tokens) -> list[Passage]:
    """The passages that the suspect shares with the source, in suspect order."""
    runs = _chain(_seeds(suspect, source))
    spans = _merge([_span(run) for run in runs if len(run) >= MIN_SEEDS])
    passages = (_diff(suspect, source, *_extend(suspect, source, *span)) for span in spans)
    return [p for p in passages if p is not None]


def _seeds(suspect: Tokens, source: Tokens) -> list[tuple[int, int]]:
    positions: dict[str, list[int]] = defaultdict(list)
    for j, word in enumerate(source.words):
        if is_content(word):
            positions[word].append(j)
    seeds = []
    for i, word in enumerate(suspect.words):
        where = positions.get(word)
        if where and len(where) <= MAX_REPEATS:
            seeds.extend((i, j) for j in where)
    return seeds


def _chain(seeds: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Group seeds into runs that advance in both texts with small gaps."""
    done: list[list[tuple[int, int]]] = []
    active: list[list[tuple[int, int]]] = []
    for i, j in seeds:  # already in suspect order
        still_active = []
        for run in active:
            (done if i - run[-1][0] > MAX_GAP else still_active).append(run)
        active = still_active
        best, best_cost = None, 0
        for run in active:
            di, dj = i - run[-1][0], j - run[-1][1]
            # Both texts move forward, and by similar amounts: a rewrite changes a phrase's
            # length a little, a jump to another part of the source changes it a lot.
            if 0 < di <= MAX_GAP and 0 < dj <= MAX_GAP and abs(di - dj) <= MAX_GAP // 2:
                cost = di + dj
                if best is None or cost < best_cost:
                    best, best_cost = run, cost
        if best is not None:
            best.append((i, j))
        else:
            active.append([(i, j)])
    return done + active


def _span(run: list[tuple[int, int]]) -> tuple[int, int, int, int]:
    return run[0][0], run[-1][0] + 1, run[0][1], run[-1][1] + 1


def _extend(suspect: Tokens, source: Tokens, s0: int, s1: int, t0: int, t1: int) -> tuple[int, int, int, int]:
    """Grow a span over the identical words around it (seeds skip function words)."""
    while s0 > 0 and t0 > 0 and suspect.words[s0 - 1] == source.words[t0 - 1]:
        s0, t0 = s0 - 1, t0 - 1
    while s1 < len(suspect) and t1 < len(source) and suspect.words[s1] == source.words[t1]:
        s1, t1 = s1 + 1, t1 + 1
    return s0, s1, t0, t1


def _merge(spans: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Join runs that continue each other; of runs that overlap in the suspect, keep the longer."""
    merged: list[tuple[int, int, int, int]] = []
    for span in sorted(spans):
        if merged:
            a0, a1, b0, b1 = merged[-1]
            s0, s1, t0, t1 = span
            if _continues(s0 - a1, t0 - b1) or (s0 <= a1 and b0 <= t0 <= b1 + MAX_GAP and t1 > b1):
                merged[-1] = (a0, max(a1, s1), b0, max(b1, t1))
                continue
            if s0 < a1:  # overlaps in the suspect but not a continuation: keep the longer
                if (s1 - s0) > (a1 - a0):
                    merged[-1] = span
                continue
        merged.append(span)
    return merged


def _continues(gap_suspect: int, gap_source: int) -> bool:
    """Whether a run picks up where the previous one stopped, in both texts.

    A short gap always; a longer one (a heavily reworded sentence) when it is about as
    long in both texts, as when a spinner rewrites a stretch in place.
    """
    if gap_suspect <= MAX_GAP and 0 <= gap_source <= MAX_GAP:
        return True
    return 0 <= gap_suspect <= MAX_BRIDGE and 0 <= gap_source <= MAX_BRIDGE and abs(gap_suspect - gap_source) <= MAX_GAP // 2


def _diff(suspect: Tokens, source: Tokens, s0: int, s1: int, t0: int, t1: int) -> Passage | None:
    """Diff one passage word by word; trim it to its first and last common word."""
    blocks = [
        (op.src_start + s0, op.dest_start + t0, op.src_end - op.src_start)
        for op in Indel.opcodes(suspect.words[s0:s1], source.words[t0:t1])
        if op.tag == "equal"
    ]
    if not blocks:
        return None
    substitutions = []
    for (i, j, n), (next_i, next_j, _) in zip(blocks, blocks[1:]):
        gap_s, gap_t = (i + n, next_i), (j + n, next_j)
        substitutions.append(
            Substitution(
                suspect=_chars(suspect, *gap_s, fallback=suspect.ends[i + n - 1]),
                source=_chars(source, *gap_t, fallback=source.ends[j + n - 1]),
                suspect_words=gap_s[1] - gap_s[0],
                source_words=gap_t[1] - gap_t[0],
            )
        )
    first, last = blocks[0], blocks[-1]
    span_s = (first[0], last[0] + last[2])
    span_t = (first[1], last[1] + last[2])
    return Passage(
        suspect=(suspect.starts[span_s[0]], suspect.ends[span_s[1] - 1]),
        source=(source.starts[span_t[0]], source.ends[span_t[1] - 1]),
        suspect_span=span_s,
        source_span=span_t,
        matched=sum(n for _, _, n in blocks),
        # Facts are read off the source: its casing is the original's, the suspect's may be anything.
        matched_prose=sum(n - sum(source.facts[j : j + n]) for _, j, n in blocks),
        substitutions=substitutions,
    )


def _chars(tokens: Tokens, start: int, end: int, fallback: int) -> tuple[int, int]:
    """Character offsets of words ``start:end``; an empty stretch sits at ``fallback``."""
    if start >= end:
        return fallback, fallback
    return tokens.starts[start], tokens.ends[end - 1]
