"""Passages: where a suspect follows a source, and which words it swapped on the way.

Align, chain, repeat, diff:

1. **Align** the two texts' words by their longest common subsequence (:mod:`unspin.lcs`,
   compiled): a spinner swaps words but keeps their order and the function words, so the
   common subsequence follows a copy through its swaps.
2. **Chain** its matching blocks into passages: a passage starts and ends on a block
   holding a topic word (not a function word), its topic words at most
   :data:`ANCHOR_GAP` words apart (farther only through a chain of short swaps), and
   each step between blocks *balanced* (about as long in both texts, as a word or phrase
   swapped in place is); the chance matches of an independent text skip unequal
   stretches and break apart.
3. **Repeat** on what is left once the passages found are masked, for reordered
   sentences; join passages of different rounds that continue each other, and **extend**
   each over the identical words around it.
4. **Diff** each passage word by word (longest common subsequence): the words both keep,
   and between them the substitutions, insertions and deletions.

:func:`passage_spans` does steps 1-3 on word keys alone (a source's are stored in the index),
so that a checker can rule out a candidate source before reading or tokenizing its text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import re

import numpy as np

from unspin.jit import compiled
from unspin.lcs import lcs_blocks, matching_blocks
from unspin.tokenize import Tokens

MAX_GAP = 10  # words between two passages found in different rounds that are joined
MIN_SEEDS = 3  # shared topic words that make a passage worth diffing
ANCHOR_GAP = 20  # words between two shared topic words of one passage, in either text
IMBALANCE = 4  # words by which the two sides of one step may differ (a phrase for a word)
SWAP = 3  # a balanced step of at most this many words on one side is a swap in place (see _segments)
MAX_ROUNDS = 4  # alignments of what earlier rounds left, for reordered sentences
MIN_ROUND_WORDS = 12  # a round that finds no passage this long ends the search
MIN_DENSITY = 0.4  # of a passage's words, the share kept in order: chance alignments keep fewer

# Between two words: a line break (a title, a paragraph) or a sentence's end. A spinner swaps
# words inside a sentence; a change that runs across one of these is several changes.
_BOUNDARY = re.compile(r"\n|[.!?][\"'\u2019\u201d)\]]*(?:\s|$)")


Block = tuple[int, int, int]  # (suspect word, source word, length): words both texts keep, in order


class Span(NamedTuple):
    """Where a passage lies, in words, and the blocks of words it keeps (from the alignment
    that found it: a longest common subsequence of the whole texts, which passes through
    the span's first and last blocks, is one of the span's own)."""

    s0: int
    s1: int
    t0: int
    t1: int
    blocks: list[Block]


class Substitution(NamedTuple):
    """A stretch the suspect changed: suspect words in place of source words (either may be empty)."""

    suspect: tuple[int, int]  # character offsets in the suspect's text
    source: tuple[int, int]  # character offsets in the source's text
    suspect_words: int
    source_words: int
    kind: str = "swap"  # "swap", "rewrite", "insertion" or "deletion" (see change_kind)


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
    # The words both keep, as rows of (suspect word, source word, length) blocks.
    blocks: np.ndarray = field(default_factory=lambda: np.empty((0, 3), dtype=np.int64), repr=False, compare=False)

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


def align(suspect: Tokens, source: Tokens, spans: list[Span] | None = None) -> list[Passage]:
    """The passages that the suspect shares with the source, in suspect order.

    ``spans``, when given, are :func:`passage_spans` of the two texts' words, computed before.
    """
    if spans is None:
        spans = passage_spans(suspect, source.keys)
    passages = _diffs(suspect, source, spans)
    return [p for p in passages if p.matched >= MIN_DENSITY * max(p.suspect_words, p.source_words)]


def passage_spans(suspect: Tokens, source: Sequence[int] | np.ndarray) -> list[Span]:
    """The passages' word spans and kept blocks, in suspect order; words only, no offsets.

    The longest common subsequence of the two word sequences follows a copy through its
    swaps, since a spinner keeps the order and the function words. Its matching blocks are
    chained into passages wherever blocks holding a topic word follow each other closely in
    both texts; what is left after masking the passages found is aligned again, so that
    reordered sentences are found in later rounds. Each span is grown over the identical
    words around it. ``source`` is the source's :attr:`~unspin.tokenize.Tokens.key_array`
    (or its keys in a list).
    """
    original_a, original_b = suspect.key_array.astype(np.int64), np.asarray(source, dtype=np.int64)
    a, b = original_a, original_b
    content = suspect.content_counts
    found: list[Span] = []
    for _ in range(MAX_ROUNDS):
        new = _segments(a, b, content)
        if not new:
            break
        found += new
        if a is original_a:  # copies, to mask
            a, b = a.copy(), b.copy()
        for s0, s1, t0, t1, _ in new:  # masked words match nothing in later rounds (keys are >= 0)
            a[s0:s1] = -1
            b[t0:t1] = -2
        if not any(span.s1 - span.s0 >= MIN_ROUND_WORDS for span in new):
            break
        # A passage needs MIN_SEEDS topic words of the suspect that no passage holds yet.
        if content[-1] - sum(content[span.s1] - content[span.s0] for span in found) < MIN_SEEDS:
            break
    if not found:
        return []
    return [_extend_words(original_a, original_b, span) for span in _join(sorted(found), original_a, original_b)]


def _join(spans: list[Span], a: np.ndarray, b: np.ndarray) -> list[Span]:
    """Join spans that continue each other closely in both texts (found in different rounds)."""
    joined: list[Span] = []
    for span in spans:
        if joined:
            a0, a1, b0, b1, blocks = joined[-1]
            s0, s1, t0, t1, more = span
            gap_a, gap_b = s0 - a1, t0 - b1
            if 0 <= gap_a <= MAX_GAP and 0 <= gap_b <= MAX_GAP and abs(gap_a - gap_b) <= IMBALANCE:
                between = [(i + a1, j + b1, n) for i, j, n in matching_blocks(a[a1:s0], b[b1:t0])]
                joined[-1] = Span(a0, s1, b0, t1, _merge_touching(blocks + between + more))
                continue
            if s0 < a1:  # cannot happen after masking, but keep the spans disjoint in the suspect
                continue
        joined.append(span)
    return joined


def _merge_touching(blocks: list[Block]) -> list[Block]:
    """Blocks in order, each one that continues the one before it merged into it."""
    merged = [blocks[0]]
    for i, j, n in blocks[1:]:
        pi, pj, pn = merged[-1]
        if i == pi + pn and j == pj + pn:
            merged[-1] = (pi, pj, pn + n)
        else:
            merged.append((i, j, n))
    return merged


def _segments(a: np.ndarray, b: np.ndarray, content: np.ndarray) -> list[Span]:
    """Chain the LCS blocks of ``a`` and ``b`` into dense spans (``content``: running count of
    ``a``'s topic words, from 0).

    A passage runs from a block holding a topic word to the next such block while the
    steps between consecutive blocks stay short and *balanced* in both texts: a spinner
    puts a word or a short phrase in place of another, so its gaps are about as long on
    both sides, while the chance matches of an independent text skip unequal stretches.

    Two shared topic words more than :data:`ANCHOR_GAP` words apart end a passage, unless
    every step between them is a *swap*: a word or short phrase (at most :data:`SWAP`
    words) on one side, and on the other one at most :data:`IMBALANCE` longer. A heavy
    spin replaces nearly every topic word and keeps the function words, names and numbers
    around them, so what it keeps for a sentence or two may be function words alone, one
    short swap apart. The chance alignment of an independent text cannot do that for
    long: its common words are scattered, so its matches come several words apart on
    either side, and a run of them one swap apart stays a few words long.
    """
    blocks = lcs_blocks(a, b)
    found = _chain(blocks, content, ANCHOR_GAP, SWAP, IMBALANCE, MIN_SEEDS)
    if not len(found):
        return []
    listed = blocks.tolist()
    return [Span(s0, s1, t0, t1, list(map(tuple, listed[first:first + kept]))) for s0, s1, t0, t1, first, kept in found.tolist()]


@compiled
def _chain(blocks: np.ndarray, content: np.ndarray, anchor_gap: int, swap: int, imbalance: int,
           min_seeds: int) -> np.ndarray:
    """The spans of :func:`_segments`, as rows ``(s0, s1, t0, t1, first, kept)``: the span's
    blocks are ``blocks[first:first + kept]``."""
    spans = np.empty((len(blocks), 6), np.int64)
    found = 0
    anchors = 0  # shared topic words in the current run (none: no run)
    start_i = start_j = 0  # where the run starts
    anchor_i = anchor_j = 0  # where its last block holding a topic word ends
    last_i = last_j = 0  # where its last block ends (blocks without topic words are kept pending)
    first = length = kept = 0  # the run's blocks: blocks[first:first + length]; the first ``kept`` end at its last topic word
    for k in range(len(blocks)):
        i, j, n = blocks[k, 0], blocks[k, 1], blocks[k, 2]
        topic = content[i + n] - content[i]
        if anchors:
            gap_a, gap_b = i - last_i, j - last_j
            far = i - anchor_i > anchor_gap or j - anchor_j > anchor_gap
            # Far from the last topic word, only a chain of swaps holds (see _segments).
            if (far and min(gap_a, gap_b) > swap) or abs(gap_a - gap_b) > imbalance:
                if anchors >= min_seeds:
                    spans[found] = (start_i, anchor_i, start_j, anchor_j, first, kept)
                    found += 1
                anchors = 0
        if not topic:
            if anchors:
                last_i, last_j = i + n, j + n
                length += 1
            continue
        if not anchors:
            start_i, start_j = i, j
            first, length = k, 0
        length += 1
        kept = length
        anchors += topic
        anchor_i = last_i = i + n
        anchor_j = last_j = j + n
    if anchors >= min_seeds:
        spans[found] = (start_i, anchor_i, start_j, anchor_j, first, kept)
        found += 1
    return spans[:found]


def _extend_words(a: np.ndarray, b: np.ndarray, span: Span) -> Span:
    """The span grown over the identical words around it (its first and last blocks with it)."""
    s0, s1, t0, t1, blocks = span
    while s0 > 0 and t0 > 0 and a[s0 - 1] == b[t0 - 1]:
        s0, t0 = s0 - 1, t0 - 1
    while s1 < len(a) and t1 < len(b) and a[s1] == b[t1]:
        s1, t1 = s1 + 1, t1 + 1
    if (s0, s1) == (span.s0, span.s1):
        return span
    blocks = list(blocks)
    i, j, n = blocks[0]
    blocks[0] = (s0, t0, n + i - s0)
    i, j, n = blocks[-1]
    blocks[-1] = (i, j, s1 - i)
    return Span(s0, s1, t0, t1, blocks)


def _diffs(suspect: Tokens, source: Tokens, spans: list[Span]) -> list[Passage]:
    """Diff each span word by word, from the blocks of words it keeps (see :class:`Span`),
    all spans at once; each passage runs from its first common word to its last."""
    spans = [span for span in spans if span.blocks]  # a span keeps at least one block (none: no passage)
    if not spans:
        return []
    counts = [len(span.blocks) for span in spans]
    blocks = np.array([block for span in spans for block in span.blocks], dtype=np.int64).reshape(-1, 3)
    changes, passages = _diff_numbers(blocks, np.cumsum(counts), *suspect.offsets, *source.offsets, source.facts_before)
    substitutions = [_substitutions(row, suspect, source) for row in changes.tolist()]
    found, first, taken = [], 0, 0  # the passage's first block, and its first change
    for count, (s0, s1, t0, t1, c0, c1, d0, d1, matched, prose) in zip(counts, passages.tolist()):
        found.append(Passage(
            suspect=(c0, c1),
            source=(d0, d1),
            suspect_span=(s0, s1),
            source_span=(t0, t1),
            matched=matched,
            matched_prose=prose,
            substitutions=[piece for pieces in substitutions[taken:taken + count - 1] for piece in pieces],
            blocks=blocks[first:first + count],
        ))
        first += count
        taken += count - 1
    return found


def change_kind(suspect_words: int, source_words: int, source_keeps: bool) -> str:
    """What a change between two kept words is: an insertion, a deletion, a swap or a rewrite.

    A swap is a word or a short phrase (at most :data:`SWAP` words) on each side; or a longer
    change that replaced topic words only (``source_keeps``: whether the source's words hold a
    function word, a name or a number) by about as many words, :data:`IMBALANCE` more or
    fewer. A spinner that replaces every topic word of a phrase leaves adjacent swaps that
    the diff sees as one change ("small ski town" became "body part runner township
    along"), but it keeps the function words around them; a writer who rewrites a phrase
    changes its function words too, and a longer stretch of unequal length is a rewrite.
    """
    if not suspect_words:
        return "deletion"
    if not source_words:
        return "insertion"
    if suspect_words <= SWAP and source_words <= SWAP:
        return "swap"
    if abs(suspect_words - source_words) <= IMBALANCE and not source_keeps:
        return "swap"
    return "rewrite"


def _substitutions(change: list[int], suspect: Tokens, source: Tokens) -> list[Substitution]:
    """One change of the diff (a row of :func:`_diff_numbers`), as substitutions that do not
    run across a line break or a sentence's end in either text.

    A change that does is split there, piece by piece, when both texts break it into as many
    pieces (a title's last word and the body's first words, each swapped), or when one side
    is empty (an insertion or a deletion of several sentences); when the two sides break
    differently, which piece replaced which is unknown and the change is one rewrite.
    """
    c0, c1, d0, d1, suspect_words, source_words, i0, j0 = change
    breaks_i = _breaks(suspect, i0, i0 + suspect_words)
    breaks_j = _breaks(source, j0, j0 + source_words)
    if not breaks_i and not breaks_j:
        return [_substitution(suspect, source, i0, i0 + suspect_words, j0, j0 + source_words, (c0, c1), (d0, d1))]
    if suspect_words and source_words and len(breaks_i) != len(breaks_j):
        return [Substitution((c0, c1), (d0, d1), suspect_words, source_words, "rewrite")]
    pieces = max(len(breaks_i), len(breaks_j)) + 1
    cuts_i = [i0, *breaks_i, i0 + suspect_words] if suspect_words else [i0] * (pieces + 1)
    cuts_j = [j0, *breaks_j, j0 + source_words] if source_words else [j0] * (pieces + 1)
    return [_substitution(suspect, source, cuts_i[k], cuts_i[k + 1], cuts_j[k], cuts_j[k + 1])
            for k in range(pieces)]


def _substitution(suspect: Tokens, source: Tokens, i0: int, i1: int, j0: int, j1: int,
                  suspect_chars: tuple[int, int] | None = None,
                  source_chars: tuple[int, int] | None = None) -> Substitution:
    """Suspect words ``i0:i1`` in place of source words ``j0:j1`` (character offsets worked
    out unless given; an empty stretch sits at the end of the word before it)."""
    keeps = i1 - i0 > SWAP or j1 - j0 > SWAP
    kind = change_kind(i1 - i0, j1 - j0, keeps and bool(source.immutable_mask[j0:j1].any()))
    return Substitution(suspect_chars or _chars(suspect, i0, i1), source_chars or _chars(source, j0, j1),
                        i1 - i0, j1 - j0, kind)


def _chars(tokens: Tokens, first: int, end: int) -> tuple[int, int]:
    if first < end:
        return tokens.starts[first], tokens.ends[end - 1]
    at = tokens.ends[first - 1] if first else 0
    return at, at


def _breaks(tokens: Tokens, first: int, end: int) -> list[int]:
    """The words of ``first:end`` after the first that a line break or a sentence's end
    precedes in the text."""
    if end - first < 2 or not _BOUNDARY.search(tokens.text, tokens.starts[first], tokens.ends[end - 1]):
        return []
    text, starts, ends = tokens.text, tokens.starts, tokens.ends
    return [k for k in range(first + 1, end) if _BOUNDARY.search(text[ends[k - 1]:starts[k]])]


@compiled
def _diff_numbers(blocks: np.ndarray, ends: np.ndarray, suspect_starts: np.ndarray, suspect_ends: np.ndarray,
                  source_starts: np.ndarray, source_ends: np.ndarray, facts_before: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The numbers of :func:`_diffs`: the spans' blocks, one after another (``ends``: where each
    span's end), give a row a substitution (its character offsets in both texts, its words on
    each side, its first word on each side) and a row a passage (word spans, character offsets,
    words matched, of them prose)."""
    changes = np.empty((len(blocks) - len(ends), 8), np.int64)
    passages = np.empty((len(ends), 10), np.int64)
    change = first = 0
    for span in range(len(ends)):
        last = ends[span]
        matched = prose = 0
        for b in range(first, last):
            i, j, n = blocks[b, 0], blocks[b, 1], blocks[b, 2]
            matched += n
            # Facts are read off the source: its casing is the original's, the suspect's may be anything.
            prose += n - (facts_before[j + n] - facts_before[j])
            if b + 1 < last:  # the suspect's words i+n .. next i replaced the source's j+n .. next j
                gap_i, gap_j, next_i, next_j = i + n, j + n, blocks[b + 1, 0], blocks[b + 1, 1]
                # An empty stretch sits at the end of the word before it.
                if gap_i < next_i:
                    changes[change, 0], changes[change, 1] = suspect_starts[gap_i], suspect_ends[next_i - 1]
                else:
                    changes[change, 0] = changes[change, 1] = suspect_ends[gap_i - 1]
                if gap_j < next_j:
                    changes[change, 2], changes[change, 3] = source_starts[gap_j], source_ends[next_j - 1]
                else:
                    changes[change, 2] = changes[change, 3] = source_ends[gap_j - 1]
                changes[change, 4], changes[change, 5] = next_i - gap_i, next_j - gap_j
                changes[change, 6], changes[change, 7] = gap_i, gap_j
                change += 1
        s0, t0 = blocks[first, 0], blocks[first, 1]
        s1, t1 = blocks[last - 1, 0] + blocks[last - 1, 2], blocks[last - 1, 1] + blocks[last - 1, 2]
        passages[span] = (s0, s1, t0, t1, suspect_starts[s0], suspect_ends[s1 - 1], source_starts[t0],
                          source_ends[t1 - 1], matched, prose)
        first = last
    return changes, passages


def _diff(suspect: Tokens, source: Tokens, s0: int, s1: int, t0: int, t1: int) -> Passage | None:
    """Diff one stretch word by word, its kept blocks worked out here; None if the two
    stretches have no word in common."""
    blocks = [(i + s0, j + t0, n) for i, j, n in matching_blocks(suspect.keys[s0:s1], source.keys[t0:t1])]
    return _diffs(suspect, source, [Span(s0, s1, t0, t1, blocks)])[0] if blocks else None
