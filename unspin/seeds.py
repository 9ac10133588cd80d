"""Sentence seeds: reuse that keeps the words of sentences but not their order.

Word alignment (:mod:`unspin.align`) follows a copy through its swaps because a spinner
keeps the order of what it keeps. Other reuse does not: words shuffled inside a sentence,
clauses moved, a round trip through machine translation, a summary. What survives is the
vocabulary of each sentence. So, as the best systems of the PAN text-alignment task do
(Sanchez-Perez, Sidorov and Gelbukh, 2014), compare sentences as bags of word stems:

1. **Seed**: a pair of sentences, one from each text, whose stems overlap strongly, in
   both tf-idf cosine and Dice coefficient. The idf is the two texts' own (each sentence a
   document): a word every sentence has says little, a rare one a lot.
2. **Extend**: seeds that lie near each other in both texts form a passage. Seeds are
   grouped along the suspect, then each group along the source, splitting wherever more
   than :data:`MAX_GAP` sentences separate two seeds, until no group splits further.
3. **Validate**: a passage's sentences, taken together, must be alike too (a summary: the
   source side must hold words that carry 40% of the summary's weight); a passage that is not is
   split again with smaller gaps.
4. **Filter**: of passages that overlap in the suspect, the more alike stays, without the
   end sentences that only echo a sentence of it (:func:`_tightened`).
5. **Block**: whether a passage's seeds show a stretch of sentences reused as a block
   (:func:`reused_block`): seeds that follow each other in both texts, or consecutive
   sentences matched one for one to a stretch of the source about as long, in any order.
   Reuse takes a stretch of sentences and keeps it together, however it rewords or shuffles
   them; two independent reports of one event share facts, each in a sentence of its own,
   scattered through both texts. The judge takes such a block as evidence with fewer shared
   words. Each passage also takes in the sentences next to it whose words were spread over
   its other side (:func:`_grown`), and says whether a sentence of the text's own lies between
   its sentences (:func:`_none_of_its_own`).

Every figure is the two texts' own: no corpus-wide table, no length keyed to a collection.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable

import numpy as np

from unspin.bags import SentenceBags, matched_one_for_one
from unspin.blocks import EXPLAINED_STEMS, EXPLAINS, explained_stretch, moved_block, ordered_run, reused_block
from unspin.jit import compiled

SEED_COSINE = 0.33  # tf-idf cosine of two sentences from which they seed a passage
SEED_DICE = 0.33  # and Dice coefficient of their stems
MAX_GAP = 4  # sentences between two seeds of one passage, in either text
PASSAGE_COSINE = 0.34  # tf-idf cosine of a passage's two sides, taken whole
SEEDED = 0.5  # share of a passage's suspect sentences that must seed: a bag of a whole text's words is no reuse
SUMMARY_GAP = 24  # sentences between two seeds of a summary, in the source
SUMMARY_CONTAINED = 0.4  # share of a summary's tf-idf weight on stems its source side holds
SUMMARY_RATIO = 3  # a passage whose source side is this many times longer is a summary
SUMMARY_SEEDS = 3  # seeds of a summary, at least: two facts of a long stretch restated are what another report of it states
GROWN = 0.5  # share of an end's neighbour's topic words found among the other side's unmatched ones: moved into it
GROWN_STEMS = 3  # and at least this many of them
HELD = 0.3  # share of a sentence's topic words on the other side: a sentence of the reuse, not of the text's own

@dataclass(frozen=True)
class SeedSpan:
    """A passage found by sentence seeds: word spans in both texts, and how alike they are."""

    s0: int
    s1: int
    t0: int
    t1: int
    similarity: float  # tf-idf cosine of the two sides, taken whole
    seeds: int  # sentence pairs that seeded it
    shared: int  # topic words of the two sides matched one for one by stem
    block: bool = False  # whether its seeds show a stretch of sentences reused as a block (see reused_block)
    seeded: bool = False  # whether no sentence of the text's own lies between its suspect sentences


def seed_spans(suspect: SentenceBags, source: SentenceBags,
               word_runs: list[tuple[int, int, int, int]] = ()) -> list[SeedSpan]:  # type: ignore[assignment]
    """The passages where ``suspect`` reuses the sentences of ``source``, in suspect order.

    ``word_runs``: word spans ``(s0, s1, t0, t1)`` already known to be shared in order
    (:mod:`unspin.align`); their sentences seed too, so that a reuse whose sentences are too
    changed to seed one by one still comes out as one passage around the runs it kept."""
    pair = _Pair(suspect, source)
    if not len(pair.shared):
        return []
    explained = pair.seeds()
    seeds = sorted(set(explained) | set(_run_seeds(suspect, source, word_runs)))
    if not len(seeds):
        return []
    found: list[tuple[int, int, int, int, float, int]] = []
    for group in _groups(seeds, MAX_GAP, MAX_GAP):
        found += _validated(pair, group, MAX_GAP, MAX_GAP)
    summaries: list[tuple[int, int, int, int, float, int]] = []
    for group in _groups(seeds, MAX_GAP, SUMMARY_GAP):
        summaries += [p for p in _validated(pair, group, MAX_GAP, SUMMARY_GAP)
                      if p[3] - p[2] + 1 >= SUMMARY_RATIO * (p[1] - p[0] + 1) and p[5] >= SUMMARY_SEEDS]
    spans = []
    runs = set(seeds) - set(explained)
    for passage in _without_overlaps(found, summaries, pair.weight):
        if passage[3] - passage[2] + 1 < SUMMARY_RATIO * (passage[1] - passage[0] + 1):  # a summary's sentences sum up several
            passage = _tightened(pair, passage, runs)
        span = pair.span(*passage)
        topic = int((suspect.stems[span.s0:span.s1] >= 0).sum())
        block = reused_block(explained, *passage[:4]) or explained_stretch(explained, *passage[:4], span.shared, topic)
        # The sentences moved into it are more of the reuse; its evidence is what seeded it.
        grown = pair.span(*_grown(pair, passage))
        spans.append(SeedSpan(grown.s0, grown.s1, grown.t0, grown.t1, span.similarity, span.seeds, span.shared, block,
                              _none_of_its_own(pair, passage, seeds)))
    return spans


def _tightened(pair: "_Pair", passage: tuple[int, int, int, int, float, int], runs: set[tuple[int, int]]
               ) -> tuple[int, int, int, int, float, int]:
    """``passage`` without the end sentences, on either side, that seed only as echoes (see
    :meth:`_Pair.echo`): a neighbour of a reused sentence that shares its topic words with
    it seeds with its partner too, less closely, and would stretch the passage over text of
    its own. Seeds of word runs (``runs``) are no echoes, and make none."""
    i0, i1, j0, j1, similarity, count = passage
    i, j, cosine = pair.seed_cosines
    inside = (i >= i0) & (i <= i1) & (j >= j0) & (j <= j1)
    held = [(a, b, c) for a, b, c in zip(i[inside].tolist(), j[inside].tolist(), cosine[inside].tolist())]
    held += [(a, b, -1.0) for a, b in runs if i0 <= a <= i1 and j0 <= b <= j1]  # no cosine: never the closest
    while len(held) > 1:
        partners_i: dict[int, list[tuple[float, int]]] = {}  # each sentence's seeds: (cosine, partner)
        partners_j: dict[int, list[tuple[float, int]]] = {}
        for a, b, c in held:
            partners_i.setdefault(a, []).append((c, b))
            partners_j.setdefault(b, []).append((c, a))
        weak = set()
        for ours, theirs, text, other, flip in ((partners_i, partners_j, pair.a, pair.b, False),
                                                (partners_j, partners_i, pair.b, pair.a, True)):
            for k in {min(ours), max(ours)} if len(ours) > 1 else ():
                if all(pair.echo(text, k, other, partner, [q for c2, q in theirs[partner] if q != k and c2 >= c >= 0])
                       for c, partner in ours[k]):
                    weak.update((partner, k) if flip else (k, partner) for _, partner in ours[k])
        if not weak or len(weak) == len(held):
            break
        held = [seed for seed in held if seed[:2] not in weak]
    i0, i1 = min(a for a, _, _ in held), max(a for a, _, _ in held)
    j0, j1 = min(b for _, b, _ in held), max(b for _, b, _ in held)
    return i0, i1, j0, j1, similarity, min(count, len(held))


def _grown(pair: "_Pair", passage: tuple[int, int, int, int, float, int]) -> tuple[int, int, int, int, float, int]:
    """``passage`` with the sentences next to it, on either side, that were moved into the
    other side: :data:`GROWN` of their topic words (:data:`GROWN_STEMS` at least), by stem,
    are among the other side's that its own sentences do not match. A rewrite that shuffles
    words across the sentences it takes leaves an end sentence seeding none of them, its
    words spread over the others; a neighbour on the same subject shares words the passage
    matches already."""
    i0, i1, j0, j1, similarity, count = passage
    a, b = pair.a, pair.b
    while True:
        ours, theirs = a.stems[a.bounds[i0]:a.bounds[i1 + 1]], b.stems[b.bounds[j0]:b.bounds[j1 + 1]]
        spare_ours, spare_theirs = _unmatched(ours, theirs), _unmatched(theirs, ours)
        if _moved_in(b, j0 - 1, spare_ours):
            j0 -= 1
        elif _moved_in(b, j1 + 1, spare_ours):
            j1 += 1
        elif _moved_in(a, i0 - 1, spare_theirs):
            i0 -= 1
        elif _moved_in(a, i1 + 1, spare_theirs):
            i1 += 1
        else:
            return i0, i1, j0, j1, similarity, count


def _none_of_its_own(pair: "_Pair", passage: tuple[int, int, int, int, float, int],
                     seeds: list[tuple[int, int]]) -> bool:
    """Whether every suspect sentence of ``passage`` seeds, or has :data:`HELD` of its topic
    words on the source side (a sentence of the reuse too changed to seed): no sentence of the
    text's own lies between its sentences."""
    i0, i1, j0, j1 = passage[:4]
    a, b = pair.a, pair.b
    theirs = b.stems[b.bounds[j0]:b.bounds[j1 + 1]]
    seeded = {i for i, j in seeds if i0 <= i <= i1 and j0 <= j <= j1}
    for i in set(range(i0, i1 + 1)) - seeded:
        sentence = a.stems[a.bounds[i]:a.bounds[i + 1]]
        found = matched_one_for_one(sentence, theirs)
        if not found or found < HELD * int((sentence >= 0).sum()):
            return False
    return True


def _unmatched(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The topic words (stems) of ``a`` that ``b`` does not match one for one, sorted."""
    return _left_over(np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64))


@compiled
def _left_over(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """:func:`_unmatched`: the two sides' topic words sorted and merged, each of ``a``'s that
    no equal one of ``b`` pairs with kept."""
    x, y = np.sort(a[a >= 0]), np.sort(b[b >= 0])
    left = np.empty(len(x), np.int64)
    found = i = j = 0
    while i < len(x):
        if j < len(y) and y[j] < x[i]:
            j += 1
        elif j < len(y) and y[j] == x[i]:
            i += 1
            j += 1
        else:
            left[found] = x[i]
            found += 1
            i += 1
    return left[:found]


def _moved_in(text: SentenceBags, k: int, spare: np.ndarray) -> bool:
    """Whether sentence ``k`` of ``text`` has :data:`GROWN` of its topic words among ``spare``."""
    if k < 0 or k >= len(text):
        return False
    sentence = text.stems[text.bounds[k]:text.bounds[k + 1]]
    found = matched_one_for_one(sentence, spare)
    return found >= GROWN_STEMS and found >= GROWN * int((sentence >= 0).sum())


def _run_seeds(a: SentenceBags, b: SentenceBags, runs: list[tuple[int, int, int, int]]) -> list[tuple[int, int]]:
    """The sentence pairs where each word run starts and ends."""
    seeds = []
    for s0, s1, t0, t1 in runs:
        first_a, last_a = np.searchsorted(a.bounds, [s0, s1 - 1], side="right") - 1
        first_b, last_b = np.searchsorted(b.bounds, [t0, t1 - 1], side="right") - 1
        seeds += [(int(first_a), int(first_b)), (int(last_a), int(last_b))]
    return seeds


class _Pair:
    """Two texts' sentences weighed by the pair's own idf."""

    def __init__(self, a: SentenceBags, b: SentenceBags) -> None:
        self.a, self.b = a, b
        # Each text's distinct stems, merged (see _merged): the pair's stems, the sentences
        # holding each, and the stems both texts have (``shared``).
        stems, df, row_a, row_b, self.shared, column_a, column_b = _merged(a.distinct, a.frequency, b.distinct,
                                                                           b.frequency)
        self.stems = stems
        self.idf = np.log((len(a) + len(b)) / df)
        # Each (sentence, stem) pair's tf-idf weight, and its column among the shared stems (-1: not shared).
        self.weight_a = a.count * self.idf[row_a[a.stem_row]]
        self.weight_b = b.count * self.idf[row_b[b.stem_row]]
        self.column_a = column_a[a.stem_row]
        self.column_b = column_b[b.stem_row]

    def seeds(self) -> dict[tuple[int, int], bool]:
        """The sentence pairs alike in both tf-idf cosine and Dice coefficient; for each,
        whether the source sentence holds :data:`EXPLAINS` of the suspect sentence's stems."""
        a, b = self.a, self.b
        in_a, in_b = self.column_a >= 0, self.column_b >= 0
        order = np.argsort(self.column_b[in_b], kind="stable")  # the source's entries by shared stem
        b_column = self.column_b[in_b][order]
        b_start = np.searchsorted(b_column, np.arange(len(self.shared) + 1))
        dot, common = _products(a.sentence[in_a], self.column_a[in_a], self.weight_a[in_a], b_start,
                                b.sentence[in_b][order], self.weight_b[in_b][order], len(a), len(b))
        norm_a = np.sqrt(np.bincount(a.sentence, self.weight_a ** 2, minlength=len(a)))
        norm_b = np.sqrt(np.bincount(b.sentence, self.weight_b ** 2, minlength=len(b)))
        sizes_a = np.bincount(a.sentence, minlength=len(a))
        sizes_b = np.bincount(b.sentence, minlength=len(b))
        i, j = np.nonzero(common)
        cosine = dot[i, j] / np.maximum(norm_a[i] * norm_b[j], 1e-12)
        dice = 2 * common[i, j] / np.maximum(sizes_a[i] + sizes_b[j], 1)
        keep = (cosine > SEED_COSINE) & (dice > SEED_DICE)
        self.seed_cosines = (i[keep], j[keep], cosine[keep])
        explains = (common[i, j] >= EXPLAINS * sizes_a[i]) & (common[i, j] >= EXPLAINED_STEMS)
        return dict(zip(zip(i[keep].tolist(), j[keep].tolist()), explains[keep].tolist()))

    def echo(self, text: SentenceBags, k: int, other: SentenceBags, partner: int, closer: list[int]) -> bool:
        """Whether sentence ``k`` of ``text`` seeds with ``partner`` of ``other`` as an echo of
        one of ``closer`` (sentences of ``text`` at least as alike to the partner): one of them
        has every stem ``k`` shares with the partner, so ``k`` adds nothing to what the partner
        restates (a long partner sentence that two sentences restate in halves shares other
        stems with each)."""
        shared = np.intersect1d(_stems_of(text, k), _stems_of(other, partner), assume_unique=True)
        return any(len(np.intersect1d(shared, _stems_of(text, q), assume_unique=True)) == len(shared) for q in closer)

    def weight(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """The evidence of sentences ``i0..i1`` of the suspect reusing ``j0..j1`` of the
        source: for each suspect sentence, the tf-idf cosine of its closest seed partner
        there (none: 0), summed. A passage of several sentences that each restate one of the
        source says more than one sentence restated closely, however alike that one is."""
        i, j, cosine = self.seed_cosines
        inside = (i >= i0) & (i <= i1) & (j >= j0) & (j <= j1)
        best = np.zeros(i1 - i0 + 1)
        np.maximum.at(best, i[inside] - i0, cosine[inside])
        return float(best.sum())

    def cosine(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """The tf-idf cosine of sentences ``i0..i1`` of the suspect and ``j0..j1`` of the
        source, each side taken as one bag."""
        va = self._bag(self.a, self.weight_a, i0, i1)
        vb = self._bag(self.b, self.weight_b, j0, j1)
        norm = np.sqrt((va * va).sum() * (vb * vb).sum())
        return float(va @ vb / norm) if norm else 0.0

    def contained(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """The share of the suspect side's tf-idf weight on stems the source side has."""
        va = self._bag(self.a, self.weight_a, i0, i1)
        vb = self._bag(self.b, self.weight_b, j0, j1)
        total = va.sum()
        return float(va[vb > 0].sum() / total) if total else 0.0

    def _bag(self, text: SentenceBags, weight: np.ndarray, first: int, last: int) -> np.ndarray:
        lo, hi = np.searchsorted(text.sentence, [first, last + 1])
        return np.bincount(np.searchsorted(self.stems, text.stem[lo:hi]), weight[lo:hi], minlength=len(self.stems))

    def span(self, i0: int, i1: int, j0: int, j1: int, similarity: float, seeds: int, block: bool = False) -> SeedSpan:
        """The passage of sentences ``i0..i1`` and ``j0..j1`` in words."""
        a, b = self.a, self.b
        s0, s1, t0, t1 = int(a.bounds[i0]), int(a.bounds[i1 + 1]), int(b.bounds[j0]), int(b.bounds[j1 + 1])
        shared = matched_one_for_one(a.stems[s0:s1], b.stems[t0:t1])
        return SeedSpan(s0, s1, t0, t1, similarity, seeds, shared, block)


def _stems_of(text: SentenceBags, k: int) -> np.ndarray:
    """The distinct stems of sentence ``k``."""
    lo, hi = np.searchsorted(text.sentence, [k, k + 1])
    return text.stem[lo:hi]


@compiled
def _merged(a: np.ndarray, count_a: np.ndarray, b: np.ndarray, count_b: np.ndarray) -> tuple:
    """Two sorted arrays of distinct stems, with their counts, merged in one pass: the stems of
    either, sorted, and their summed counts; where each of ``a`` and of ``b`` lies among them;
    the stems of both; and where each of ``a`` and of ``b`` lies among those (-1: not there)."""
    stems, counts = np.empty(len(a) + len(b), np.int64), np.empty(len(a) + len(b), np.int64)
    row_a, row_b = np.empty(len(a), np.int64), np.empty(len(b), np.int64)
    shared = np.empty(min(len(a), len(b)), np.int64)
    column_a, column_b = np.full(len(a), -1, np.int64), np.full(len(b), -1, np.int64)
    i = j = merged = found = 0
    while i < len(a) or j < len(b):
        if j == len(b) or (i < len(a) and a[i] < b[j]):
            stems[merged], counts[merged], row_a[i] = a[i], count_a[i], merged
            i += 1
        elif i == len(a) or b[j] < a[i]:
            stems[merged], counts[merged], row_b[j] = b[j], count_b[j], merged
            j += 1
        else:
            stems[merged], counts[merged], row_a[i], row_b[j] = a[i], count_a[i] + count_b[j], merged, merged
            shared[found], column_a[i], column_b[j] = a[i], found, found
            found += 1
            i += 1
            j += 1
        merged += 1
    return stems[:merged], counts[:merged], row_a, row_b, shared[:found], column_a, column_b


@compiled
def _products(a_sentence: np.ndarray, a_column: np.ndarray, a_weight: np.ndarray, b_start: np.ndarray,
              b_sentence: np.ndarray, b_weight: np.ndarray, rows: int, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """For every pair of sentences, the dot product of their tf-idf vectors and the number
    of stems they share: a sparse product, each shared stem pairing the sentences that hold
    it (``b_start[c]:b_start[c + 1]``: the source's entries of shared stem ``c``)."""
    dot = np.zeros((rows, columns), np.float64)
    common = np.zeros((rows, columns), np.int32)
    for k in range(len(a_sentence)):
        i, c, w = a_sentence[k], a_column[k], a_weight[k]
        for m in range(b_start[c], b_start[c + 1]):
            dot[i, b_sentence[m]] += w * b_weight[m]
            common[i, b_sentence[m]] += 1
    return dot, common


def _groups(seeds: list[tuple[int, int]], gap: int, source_gap: int) -> list[list[tuple[int, int]]]:
    """Seeds grouped by closeness in both texts: split along the suspect wherever two
    consecutive seeds are more than ``gap`` sentences apart, then along the source (more
    than ``source_gap``), until neither splits a group."""
    groups, side, stable = [seeds], 0, 0
    while stable < 2:
        split: list[list[tuple[int, int]]] = []
        for group in groups:
            split += _split(group, side, gap if side == 0 else source_gap)
        stable = stable + 1 if len(split) == len(groups) else 0
        groups, side = split, 1 - side
    return groups


def _split(group: list[tuple[int, int]], side: int, gap: int) -> list[list[tuple[int, int]]]:
    ordered = sorted(group, key=lambda seed: (seed[side], seed[1 - side]))
    parts, current = [], [ordered[0]]
    for seed in ordered[1:]:
        if seed[side] - current[-1][side] > gap:
            parts.append(current)
            current = []
        current.append(seed)
    parts.append(current)
    return parts


def _validated(pair: _Pair, group: list[tuple[int, int]], gap: int, source_gap: int
               ) -> list[tuple[int, int, int, int, float, int]]:
    """The group as a passage if its two sides, taken whole, are alike; else its parts
    under smaller gaps, each validated the same way."""
    i0, i1 = min(s[0] for s in group), max(s[0] for s in group)
    j0, j1 = min(s[1] for s in group), max(s[1] for s in group)
    similarity = pair.cosine(i0, i1, j0, j1)
    # A summary is far shorter than what it sums up, so the two sides' cosine stays low: it is
    # alike when the source side holds words that carry 40% of the summary's weight.
    summary = source_gap > gap and (j1 - j0 + 1) >= SUMMARY_RATIO * (i1 - i0 + 1)
    alike = similarity > PASSAGE_COSINE or (summary and pair.contained(i0, i1, j0, j1) >= SUMMARY_CONTAINED)
    seeded = len({i for i, _ in group})
    if alike and seeded >= SEEDED * (i1 - i0 + 1):
        return [(i0, i1, j0, j1, similarity, len(group))]
    if gap <= 0:
        return []
    found = []
    smaller = max(0, source_gap - max(1, source_gap // gap))
    for part in _groups(group, gap - 1, smaller):
        found += _validated(pair, part, gap - 1, smaller)
    return found


def _without_overlaps(found: list[tuple[int, int, int, int, float, int]],
                      summaries: list[tuple[int, int, int, int, float, int]],
                      weight: Callable[[int, int, int, int], float]) -> list[tuple[int, int, int, int, float, int]]:
    """Of passages overlapping in the suspect, the one with the most evidence (``weight``,
    see :meth:`_Pair.weight`), in suspect order; but a summary goes
    before the passages inside it that explain less than half of it (pieces of the summary
    that happen to follow a stretch of the source closely)."""
    summaries = [s for s in summaries if not any(_explains(p, s) for p in found)]
    kept: list[tuple[int, int, int, int, float, int]] = []
    for passage in sorted(summaries, key=lambda p: -p[4]) + sorted(found, key=lambda p: -weight(*p[:4])):
        if all(passage[1] < other[0] or passage[0] > other[1] for other in kept):
            kept.append(passage)
    return sorted(kept)


def _explains(passage: tuple[int, int, int, int, float, int], summary: tuple[int, int, int, int, float, int]) -> bool:
    """Whether ``passage`` is at least as alike as ``summary`` and holds half of its suspect side."""
    inside = min(passage[1], summary[1]) - max(passage[0], summary[0]) + 1
    return passage[4] >= summary[4] and inside >= 0.5 * (summary[1] - summary[0] + 1)
