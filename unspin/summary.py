"""Summaries: a short passage that restates sentences spread across a much longer stretch of
its source.

A summary, a digest, an abstract, a news brief condenses what it sums up: each of its
sentences restates a sentence or two from anywhere in that stretch, and leaves the rest out.
Sentence seeds (:mod:`unspin.seeds`) find the sentences it restated closely; the reuse on the
source's side is the whole stretch, from its first restated sentence to its last, not those
sentences alone. Once a pair holds evidence (the judge's call, unchanged here), whether reuse
happened is settled and only its ends are in question, so each sentence of a reported passage
of sentences, and each next to it, is paired with the source sentence it restates most closely
under a looser bar than a seed's (:data:`LOOSE`); where those partners spread over a stretch
of the source several times longer than the suspect's sentences, the passage is widened to
both: sentences that each sum up a part of one stretch, one after the other, are one reuse.

A copy's sentences each restate one sentence in place: their partners span about as many
sentences as they do, and nothing is widened.
"""

from __future__ import annotations

import copy

import numpy as np

from unspin.bags import SentenceBags, sentence_bags, sentence_bounds
from unspin.passage import Passage
from unspin.seeds import SUMMARY_RATIO, SUMMARY_SEEDS
from unspin.tokenize import Tokens

# tf-idf cosine and Dice coefficient from which a sentence next to evidence restates one of the
# source (a seed needs 0.33: alone it must tell reuse from a shared subject; here reuse is found).
LOOSE = 0.2
GROWTH = 10  # sentences a summary's passage may grow by on either side of what was found


def summed_up(passages: list[Passage], suspect: Tokens, source: Tokens) -> list[Passage]:
    """The reported ``passages`` (in suspect order), each passage of sentences that condenses a
    longer stretch of the source widened to all it sums up, and joined with those it then holds."""
    if not any(p.kind == "sentences" for p in passages):
        return passages
    # A passage can only condense a source with several times its sentences: a copy of a
    # whole text (most passages a check reports) is settled by counting them, before the bags.
    room, opening = len(sentence_bounds(source.text, source)) - 1, sentence_bounds(suspect.text, suspect)
    condensing = [p.kind == "sentences" and room >= SUMMARY_RATIO * _sentences(opening, p) for p in passages]
    if not any(condensing):
        return _joined(passages, suspect, source)
    a, b = sentence_bags(suspect.text, suspect), sentence_bags(source.text, source)
    result: list[Passage] = []
    for k, passage in enumerate(passages):
        if condensing[k]:
            lower = result[-1].suspect_span[1] if result else 0
            upper = passages[k + 1].suspect_span[0] if k + 1 < len(passages) else len(suspect)
            passage = _widened(passage, a, b, lower, upper, suspect, source)
        if result and passage.suspect_span[0] < result[-1].suspect_span[1]:
            continue  # cannot happen: a passage grows only into the gap before its neighbours
        result.append(passage)
    return _joined(result, suspect, source)


def _widened(passage: Passage, a: SentenceBags, b: SentenceBags, lower: int, upper: int,
             suspect: Tokens, source: Tokens) -> Passage:
    """``passage`` over all it sums up (see the module's text), its suspect side kept within
    words ``lower:upper``; itself when it condenses nothing."""
    (s0, s1), (t0, t1) = passage.suspect_span, passage.source_span
    i0, i1 = _sentence(a, s0), _sentence(a, s1 - 1)
    k0, k1 = _sentence(b, t0), _sentence(b, t1 - 1)
    first = max(i0 - GROWTH, _sentence(a, lower) + (a.bounds[_sentence(a, lower)] < lower))
    last = min(i1 + GROWTH, _sentence(a, upper) - 1 if upper < len(suspect) else len(a) - 1)
    first, last = min(first, i0), max(last, i1)  # a sentence it shares with a neighbour: no growth that way
    partner = _partners(a, b, first, last)
    g0, g1 = i0, i1  # grown over the sentences next to it that restate one of the source
    while g0 > first and partner[g0 - 1 - first] >= 0:
        g0 -= 1
    while g1 < last and partner[g1 + 1 - first] >= 0:
        g1 += 1
    rows = g0 - first + np.flatnonzero(partner[g0 - first:g1 + 1 - first] >= 0)
    # A summary restates what it sums up in its order: a partner out of that order is a
    # sentence of the text's own that shares a few words with the source, or a sentence
    # restated twice; it neither stretches the summary nor adds to it.
    rows = rows[_in_order(partner[rows])]
    found = partner[rows]
    # Each sentence of a summary sums up a part of its own, so the next one's partner lies
    # several sentences on; a copy's sentences restate theirs one after the other.
    if len(found) < SUMMARY_SEEDS or np.median(np.diff(found)) < SUMMARY_RATIO:
        return passage
    i0, i1 = min(i0, first + int(rows[0])), max(i1, first + int(rows[-1]))
    j0, j1 = min(int(found[0]), k0), max(int(found[-1]), k1)
    if j1 - j0 + 1 < SUMMARY_RATIO * (i1 - i0 + 1):
        return passage
    # Each restated sentence stands for the stretch around it, halfway to its neighbours'
    # partners; the first and the last reach as far outwards (a summary's first sentence sums
    # up what leads to its partner too).
    reach = int(np.median(np.diff(found)) // 2)
    j0, j1 = max(0, min(int(found[0]) - reach, j0)), min(len(b) - 1, max(int(found[-1]) + reach, j1))
    s0, s1 = min(s0, int(a.bounds[i0])), max(s1, int(a.bounds[i1 + 1]))
    t0, t1 = min(t0, int(b.bounds[j0])), max(t1, int(b.bounds[j1 + 1]))
    return _spanning(passage, s0, s1, t0, t1, suspect, source)


def _in_order(found: np.ndarray) -> np.ndarray:
    """The positions of the longest run of ``found`` that never goes back; of runs as long, the
    one over the shortest stretch (a partner out of order at either end stretches no summary)."""
    best: list[tuple[int, int, int]] = []  # for each position: (length, -stretch, position before)
    for k, here in enumerate(found.tolist()):
        options = [(best[q][0] + 1, best[q][1] - (here - int(found[q])), q)
                   for q in range(k) if found[q] <= here]
        best.append(max(options, default=(1, 0, -1), key=lambda option: option[:2]))
    k = max(range(len(best)), key=lambda q: best[q][:2], default=-1)
    chain = []
    while k >= 0:
        chain.append(k)
        k = best[k][2]
    return np.array(chain[::-1], dtype=np.int64)


def _joined(passages: list[Passage], suspect: Tokens, source: Tokens) -> list[Passage]:
    """Passages, each holding the next in the source and adjacent in the suspect joined with it."""
    joined: list[Passage] = []
    for passage in passages:
        if joined and _holds(joined[-1], passage) and passage.suspect_span[0] - joined[-1].suspect_span[1] <= 0:
            last = joined[-1]
            joined[-1] = _spanning(last, last.suspect_span[0], passage.suspect_span[1], last.source_span[0],
                                   last.source_span[1], suspect, source)
        else:
            joined.append(passage)
    return joined


def _holds(summary: Passage, passage: Passage) -> bool:
    """Whether ``passage``'s source side lies inside ``summary``'s."""
    return summary.source_span[0] <= passage.source_span[0] and passage.source_span[1] <= summary.source_span[1]


def _spanning(passage: Passage, s0: int, s1: int, t0: int, t1: int, suspect: Tokens, source: Tokens) -> Passage:
    """A copy of ``passage`` over the given word spans, its character offsets with them."""
    passage = copy.copy(passage)
    passage.suspect_span, passage.source_span = (s0, s1), (t0, t1)
    passage.suspect = (int(suspect.offsets[0][s0]), int(suspect.offsets[1][s1 - 1]))
    passage.source = (int(source.offsets[0][t0]), int(source.offsets[1][t1 - 1]))
    return passage


def _sentences(bounds: np.ndarray, passage: Passage) -> int:
    """How many sentences (given their ``bounds``) ``passage``'s suspect side touches."""
    s0, s1 = passage.suspect_span
    return int(np.searchsorted(bounds, s1 - 1, side="right") - np.searchsorted(bounds, s0, side="right")) + 1


def _sentence(bags: SentenceBags, word: int) -> int:
    """The sentence holding ``word``."""
    return int(np.searchsorted(bags.bounds, word, side="right") - 1)


def _partners(a: SentenceBags, b: SentenceBags, first: int, last: int) -> np.ndarray:
    """For each sentence ``first..last`` of ``a``, the sentence of ``b`` whose tf-idf cosine
    with it is highest of those that pass :data:`LOOSE` in both cosine and Dice coefficient
    (the idf is the two texts' own, as a seed's); -1 where none does."""
    stems = np.union1d(a.distinct, b.distinct)
    frequency = np.zeros(len(stems))
    frequency[np.searchsorted(stems, a.distinct)] += a.frequency
    frequency[np.searchsorted(stems, b.distinct)] += b.frequency
    idf = np.log((len(a) + len(b)) / frequency)
    lo, hi = np.searchsorted(a.sentence, [first, last + 1])
    columns = np.unique(a.stem[lo:hi])  # the stems of these sentences: only they add to a product
    rows = np.zeros((last - first + 1, len(columns)))
    rows[a.sentence[lo:hi] - first, np.searchsorted(columns, a.stem[lo:hi])] = \
        a.count[lo:hi] * idf[np.searchsorted(stems, a.stem[lo:hi])]
    weight_b = b.count * idf[np.searchsorted(stems, b.stem)]
    inside = np.isin(b.stem, columns)
    others = np.zeros((len(b), len(columns)))
    others[b.sentence[inside], np.searchsorted(columns, b.stem[inside])] = weight_b[inside]
    norm_b = np.sqrt(np.bincount(b.sentence, weight_b ** 2, minlength=len(b)))
    cosine = rows @ others.T / np.maximum(np.outer(np.linalg.norm(rows, axis=1), norm_b), 1e-12)
    common = (rows > 0).astype(float) @ (others > 0).T.astype(float)
    sizes_a, sizes_b = (rows > 0).sum(axis=1), np.bincount(b.sentence, minlength=len(b))
    dice = 2 * common / np.maximum(sizes_a[:, None] + sizes_b[None, :], 1)
    cosine[(cosine <= LOOSE) | (dice <= LOOSE)] = 0.0
    return np.where(cosine.max(axis=1, initial=0.0) > 0, cosine.argmax(axis=1), -1)

