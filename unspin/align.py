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

import functools
from collections.abc import Callable, Sequence

import numpy as np

from unspin.jit import compiled
from unspin.diff import IMBALANCE, SWAP, diff_stretch, diff_spans, keys64
from unspin.lcs import lcs_blocks, merge_touching
from unspin.passage import Passage, Span
from unspin.bags import SentenceBags, matched_one_for_one, sentence_bags
from unspin.seeds import GROWN_STEMS, SUMMARY_RATIO, SeedSpan, seed_spans
from unspin.tokenize import Tokens

MAX_GAP = 10  # words between two passages found in different rounds that are joined
MIN_SEEDS = 3  # shared topic words that make a passage worth diffing
ANCHOR_GAP = 20  # words between two shared topic words of one passage, in either text
MAX_ROUNDS = 4  # alignments of what earlier rounds left, for reordered sentences
MIN_ROUND_WORDS = 12  # a round that finds no passage this long ends the search
MIN_DENSITY = 0.4  # of a passage's words, the share kept in order: chance alignments keep fewer
EXPLAINED = 0.9  # share of the suspect inside word passages from which no sentence is looked for
CHAINED = 0.5  # share of a run of passages' extent that its passages must cover: no more inferred than found
REWORDED_WHOLE = 0.5  # share of the suspect in passages of sentences from which it is left to the semantic view
REUSE_GAP = 40  # words between two pieces of one reuse, in either text: about two sentences (see one_reuse)
TRIMMED = 0.25  # of a sentence passage's density of shared topic words, what its ends around a word run must keep
WORDS_EXPLAIN = 0.6  # share of a sentence passage inside word passages from which their extent is the passage
KEPT_RUN = 12  # prose words a word passage keeps in order that are evidence by themselves (the judge's MIN_EVIDENCE)
MOVED_WORDS = 0.3  # share of the topic words of a sentence's end that the other side holds: moved, not the text's own

def align(suspect: Tokens, source: Tokens, spans: list[Span] | None = None,
          texts: tuple[str, str] | Callable[[], tuple[str, str] | None] | None = None) -> list[Passage]:
    """The passages that the suspect shares with the source, in suspect order.

    ``spans``, when given, are :func:`passage_spans` of the two texts' words, computed before.
    Given both ``texts`` (suspect, source), the sentences that kept their words but not
    their order are found too (:mod:`unspin.seeds`), unless the word passages already
    span nearly all of the suspect (``texts`` may be a function giving them or None, asked only then).
    """
    if spans is None:
        spans = passage_spans(suspect, keys64(source))
    passages = [p for p in diff_spans(suspect, source, spans)
                if p.matched >= MIN_DENSITY * max(p.suspect_words, p.source_words)]
    # A copy of the whole text (spun: its passages broken where it rewrote) spans it with
    # passages long enough to be reuse; a chance match of a few words at either end does not.
    long = [p for p in passages if p.matched >= MIN_ROUND_WORDS]
    extent = long[-1].suspect_span[1] - long[0].suspect_span[0] if long else 0
    if texts is not None and extent < EXPLAINED * len(suspect):
        texts = texts() if callable(texts) else texts
        if texts is not None:
            passages = with_sentence_passages(passages, suspect, source, *texts)
    return passages


def with_sentence_passages(passages: list[Passage], suspect: Tokens, source: Tokens, suspect_text: str,
                           source_text: str) -> list[Passage]:
    """``passages`` and the passages of sentences reused out of order, in suspect order.

    Where the word passages inside a passage of sentences cover most of it, they are the
    reuse (word alignment finds its ends exactly and lists the swapped words); else the
    sentences are, the word passages inside them part of it: one reuse, one passage."""
    runs = [(*p.suspect_span, *p.source_span) for p in passages if p.matched >= MIN_ROUND_WORDS]
    suspect_bags, source_bags = sentence_bags(suspect_text, suspect), sentence_bags(source_text, source)
    found = [_trimmed(seed, runs, suspect_bags.stems, source_bags.stems)
             for seed in seed_spans(suspect_bags, source_bags, runs)]
    result: list[Passage] = []
    used: set[int] = set()
    for seed in found:
        inside = [k for k, p in enumerate(passages) if p.suspect_span[0] < seed.s1 and p.suspect_span[1] > seed.s0]
        # Only long word passages can be the reuse: a short one may be chance.
        covered = sum(min(passages[k].suspect_span[1], seed.s1) - max(passages[k].suspect_span[0], seed.s0)
                      for k in inside if passages[k].matched >= MIN_ROUND_WORDS)
        made = []
        if covered >= WORDS_EXPLAIN * (seed.s1 - seed.s0):
            made = _words_reuse([passages[k] for k in inside if passages[k].matched >= MIN_ROUND_WORDS])
            made = _whole_sentences(made, seed, suspect_bags, source_bags, suspect, source)
            for passage in made:
                passage.block = passage.block or seed.block
            if made and _moved_across(made, seed, suspect_bags.stems, source_bags.stems):
                made = []  # the sentences are the reuse, its word passages pieces of it (below)
        if not made:  # the sentences are the reuse, the word passages inside pieces of it
            s0 = min([seed.s0] + [passages[k].suspect_span[0] for k in inside])
            s1 = max([seed.s1] + [passages[k].suspect_span[1] for k in inside])
            passage = diff_stretch(suspect, source, s0, s1, seed.t0, seed.t1) or Passage((0, 0), (0, 0), (0, 0), (0, 0), 0, 0)
            passage.kept_run = max([passages[k].matched_prose for k in inside], default=0)
            # Sentences around a run kept in order that is evidence by itself, none of the text's
            # own between them, were taken together as a block's are: words shuffled and dropped
            # around the run (an essay's own sentence between two restated ones is no block).
            block = seed.block or (seed.seeded and passage.kept_run >= KEPT_RUN)
            made = [_as_sentences(passage, seed.shared, s0, s1, seed.t0, seed.t1, suspect, source, seed.seeds, block)]
            made[0].bag_cosine = seed.similarity
        if any(p.suspect_span[0] < r.suspect_span[1] and r.suspect_span[0] < p.suspect_span[1]
               for p in made for r in result):
            continue
        used.update(inside)
        result += made
    result += [p for k, p in enumerate(passages) if k not in used
               and not any(p.suspect_span[0] < r.suspect_span[1] and r.suspect_span[0] < p.suspect_span[1] for r in result)]
    result = _merged(sorted(result, key=lambda p: p.suspect_span), suspect, source)
    if sum(p.suspect_words for p in result if p.kind == "sentences") >= REWORDED_WHOLE * len(suspect):
        # Sentences that keep their source's words but not their wording show reuse inside
        # a longer text of its own (PAN's essays). A text reworded sentence by sentence from
        # start to end is something else to tell: an independent report of one event,
        # written from the same statement, is that too, and word statistics cannot tell the
        # two apart. That call is the semantic view's (unspin.semantic.view, with its own gate).
        return passages
    return result


def _trimmed(seed: SeedSpan, runs: list[tuple[int, int, int, int]], ours: np.ndarray, theirs: np.ndarray) -> SeedSpan:
    """``seed`` without the ends of its sentences, before and after the word runs inside it,
    that share less than a quarter as many topic words for their length as the whole: a run
    copied word for word that starts or ends inside a long sentence (a list, a menu, a
    line without stops) is the reuse, not the rest of that sentence. A summary keeps its
    source side: it sums up all of it."""
    inside = [r for r in runs if r[0] >= seed.s0 and r[1] <= seed.s1]
    if not inside:
        return seed
    density = seed.shared / max(1, seed.s1 - seed.s0)
    s0, s1 = seed.s0, seed.s1
    t0, t1 = seed.t0, seed.t1
    first, last = min(r[0] for r in inside), max(r[1] for r in inside)
    if first > s0 and matched_one_for_one(ours[s0:first], theirs[t0:t1]) < TRIMMED * density * (first - s0):
        s0 = first
    if last < s1 and matched_one_for_one(ours[last:s1], theirs[t0:t1]) < TRIMMED * density * (s1 - last):
        s1 = last
    if seed.t1 - seed.t0 >= SUMMARY_RATIO * (seed.s1 - seed.s0):  # a summary's source side is what it sums up
        return SeedSpan(s0, s1, t0, t1, seed.similarity, seed.seeds, seed.shared, seed.block, seed.seeded)
    inside = [r for r in inside if r[2] >= seed.t0 and r[3] <= seed.t1]  # not runs found elsewhere in the source
    first_t, last_t = min((r[2] for r in inside), default=t0), max((r[3] for r in inside), default=t1)
    if first_t > t0 and matched_one_for_one(theirs[t0:first_t], ours[s0:s1]) < TRIMMED * density * (first_t - t0):
        t0 = first_t
    if last_t < t1 and matched_one_for_one(theirs[last_t:t1], ours[s0:s1]) < TRIMMED * density * (t1 - last_t):
        t1 = last_t
    # The same sentences seeded it.
    return SeedSpan(s0, s1, t0, t1, seed.similarity, seed.seeds, seed.shared, seed.block, seed.seeded)


def _whole_sentences(runs: list[Passage], seed: SeedSpan, ours: SentenceBags, theirs: SentenceBags,
                     suspect: Tokens, source: Tokens) -> list[Passage]:
    """The word passages that make up a reuse of sentences (``seed``), the first one aligned
    again from where its sentences start and the last one up to where they end, within the
    seed, on each side whose added words the other side's sentences hold (:data:`MOVED_WORDS`
    of their topic words, by stem): a sentence reused is reused whole, and the chain of
    word alignment may start after its first words, where words were swapped about; the
    passage then runs from the first word of its sentences kept in order. The text's own
    words around a copied clause are not in the source's sentence, and are left out. A
    passage whose new alignment keeps too few of its words in order (:data:`MIN_DENSITY`)
    stays as it was."""
    if not runs:
        return runs
    first, last = runs[0], runs[-1]
    (f0, f1), (g0, g1) = first.suspect_span, first.source_span
    (l0, l1), (m0, m1) = last.suspect_span, last.source_span
    s0 = min(f0, max(seed.s0, _sentence_start(ours.bounds, f0)))
    t0 = min(g0, max(seed.t0, _sentence_start(theirs.bounds, g0)))
    s1 = max(l1, min(seed.s1, _sentence_end(ours.bounds, l1)))
    t1 = max(m1, min(seed.t1, _sentence_end(theirs.bounds, m1)))
    s0 = s0 if _moved(ours.stems[s0:f0], theirs.stems[t0:g1]) else f0
    t0 = t0 if _moved(theirs.stems[t0:g0], ours.stems[s0:f1]) else g0
    s1 = s1 if _moved(ours.stems[l1:s1], theirs.stems[m0:t1]) else l1
    t1 = t1 if _moved(theirs.stems[m1:t1], ours.stems[l0:s1]) else m1
    if len(runs) == 1:
        return [_grown(first, s0, s1, t0, t1, suspect, source)]
    return [_grown(first, s0, f1, t0, g1, suspect, source), *runs[1:-1], _grown(last, l0, s1, m0, t1, suspect, source)]


def _moved_across(runs: list[Passage], seed: SeedSpan, ours: np.ndarray, theirs: np.ndarray) -> bool:
    """Whether the seed holds, beyond its first and last word passages, sentences moved across
    them: topic words there, on both sides, that the other side's hold there (:data:`MOVED_WORDS`
    of them by stem, :data:`~unspin.seeds.GROWN_STEMS` at least). A sentence moved from the end of
    a stretch to its start is in the seed, not in the passages grown within their sentences."""
    s0, s1 = runs[0].suspect_span[0], runs[-1].suspect_span[1]
    t0, t1 = min(p.source_span[0] for p in runs), max(p.source_span[1] for p in runs)
    beyond_ours = np.concatenate([ours[seed.s0:s0], ours[s1:seed.s1]])
    beyond_theirs = np.concatenate([theirs[seed.t0:t0], theirs[t1:seed.t1]])
    topic = max(int((beyond_ours >= 0).sum()), int((beyond_theirs >= 0).sum()))
    found = matched_one_for_one(beyond_ours, beyond_theirs) if topic else 0
    return found >= GROWN_STEMS and found >= MOVED_WORDS * topic


def _moved(added: np.ndarray, other: np.ndarray) -> bool:
    """Whether the other side holds :data:`MOVED_WORDS` of the ``added`` words' topic words (stems)."""
    topic = int((added >= 0).sum())
    return topic == 0 or matched_one_for_one(added, other) >= MOVED_WORDS * topic


def _grown(run: Passage, s0: int, s1: int, t0: int, t1: int, suspect: Tokens, source: Tokens) -> Passage:
    """``run`` over the given word spans, diffed anew; ``run`` if they are its own or keep too few words in order."""
    if (s0, s1, t0, t1) == (*run.suspect_span, *run.source_span):
        return run
    passage = diff_stretch(suspect, source, s0, s1, t0, t1)
    dense = passage is not None and passage.matched >= MIN_DENSITY * max(passage.suspect_words, passage.source_words)
    return passage if dense else run


def _sentence_start(bounds: np.ndarray, word: int) -> int:
    """The first word of the sentence holding ``word`` (``bounds``: where sentences start)."""
    return int(bounds[np.searchsorted(bounds, word, side="right") - 1])


def _sentence_end(bounds: np.ndarray, end: int) -> int:
    """The end of the sentence holding the word before ``end``."""
    return int(bounds[np.searchsorted(bounds, end - 1, side="right")])


def _words_reuse(runs: list[Passage]) -> list[Passage]:
    """The word passages that make up one reused stretch of sentences, if they follow each
    other in both texts after gaps about as long on both sides and shorter than what they
    keep (the judge counts such a gap as rewritten in place, see
    :func:`unspin.chains.chained`); else none: the sentences are the reuse."""
    for last, run in zip(runs, runs[1:]):
        gap_s, gap_t = run.suspect_span[0] - last.suspect_span[1], run.source_span[0] - last.source_span[1]
        found = last.suspect_words + run.suspect_words
        if not (balanced(gap_s, gap_t) and found >= CHAINED * (run.suspect_span[1] - last.suspect_span[0])):
            return []
    return runs


def balanced(gap_s: int, gap_t: int) -> bool:
    """Whether two gaps, in the suspect and in the source, could be one stretch rewritten in
    place: about as long on both sides, :data:`IMBALANCE` words apart for every
    :data:`ANCHOR_GAP` words of gap."""
    return 0 <= gap_s and 0 <= gap_t and abs(gap_s - gap_t) <= IMBALANCE * (1 + max(gap_s, gap_t) / ANCHOR_GAP)


def _merged(passages: list[Passage], suspect: Tokens, source: Tokens) -> list[Passage]:
    """Passages, each sentence passage joined with the passages that continue it closely in
    both texts (in either order in the source: its sentences may have been moved about):
    one reuse, one passage."""
    merged: list[Passage] = []
    for passage in passages:
        if merged and "sentences" in (merged[-1].kind, passage.kind) and _continues(merged[-1], passage):
            merged[-1] = _joined(merged[-1], passage, suspect, source)
        else:
            merged.append(passage)
    return merged


def one_reuse(passages: list[Passage], suspect: Tokens, source: Tokens) -> list[Passage]:
    """Passages (in suspect order), each joined with the next when it continues it closely in
    both texts: pieces of one reuse that a rewrite broke apart (a clause rewritten between two
    kept stretches, two sentences swapped) are reported as the one passage they are. Kept in
    order, the pieces make a passage of words, the stretch between them a change; moved about,
    a passage of sentences."""
    groups: list[list[Passage]] = []
    extent = (0, 0, 0, 0)
    for passage in passages:
        (s0, s1), (t0, t1) = passage.suspect_span, passage.source_span
        if groups and (_near(extent, s0, s1, t0, t1) or _sums_up(groups[-1], extent, passage)):
            groups[-1].append(passage)
            extent = (extent[0], max(extent[1], s1), min(extent[2], t0), max(extent[3], t1))
        else:
            groups.append([passage])
            extent = (s0, s1, t0, t1)
    joined: list[Passage | None] = []
    in_order: list[Span] = []  # diffed together, in one call
    for group in groups:
        if len(group) == 1:
            joined.append(group[0])
        elif all(p.kind == "words" for p in group) and all(
                b.source_span[0] >= a.source_span[1] for a, b in zip(group, group[1:])):
            blocks = np.concatenate([p.blocks for p in group])
            in_order.append(Span(group[0].suspect_span[0], group[-1].suspect_span[1], group[0].source_span[0],
                                 group[-1].source_span[1], blocks))
            joined.append(None)
        else:
            joined.append(_joined_all(group, suspect, source))
    diffed = iter(diff_spans(suspect, source, in_order))
    result = [passage if passage is not None else next(diffed) for passage in joined]
    for passage, group in zip(result, groups):
        passage.quote = all(p.quote for p in group)
    return result


def _sums_up(group: list[Passage], extent: tuple[int, int, int, int], then: Passage) -> bool:
    """Whether ``then`` goes on summing up the source where ``group`` left off: near it in
    the suspect (within :data:`REUSE_GAP` words, about two sentences), further on in the
    source, and the two together condensing the source (its side longer than the suspect's):
    sentences that each sum up, or keep, a stretch of the source, one after the other. (A
    summary skips what it leaves out of the source, so the source's gap between them may be
    any length; two stretches of a copy keep their lengths, and one that left words out
    between them is one reuse too.)"""
    (s0, s1), (t0, t1) = then.suspect_span, then.source_span
    return (s0 - extent[1] <= REUSE_GAP and t0 >= extent[3]
            and t1 - extent[2] > (s1 - extent[0]))


def _near(extent: tuple[int, int, int, int], s0: int, s1: int, t0: int, t1: int) -> bool:
    """Whether a passage at ``s0:s1``, ``t0:t1`` continues a reuse over ``extent`` within
    :data:`REUSE_GAP` words in both texts (in either order in the source), the two covering
    at least :data:`CHAINED` of their extent."""
    gap = s0 - extent[1]
    apart = max(t0 - extent[3], extent[2] - t1)
    found = (extent[1] - extent[0]) + (s1 - s0)
    return gap <= REUSE_GAP and apart <= REUSE_GAP and found >= CHAINED * (s1 - extent[0])


def _continues(first: Passage, then: Passage) -> bool:
    gap = then.suspect_span[0] - first.suspect_span[1]
    apart = max(then.source_span[0] - first.source_span[1], first.source_span[0] - then.source_span[1])
    return gap <= MAX_GAP and apart <= MAX_GAP


def _joined_all(group: list[Passage], suspect: Tokens, source: Tokens) -> Passage:
    """The passages of a group joined one after another (:func:`_joined`); when the first keeps
    a word, so does each stretch joined on the way, and only the last, the group's, is diffed."""
    s0, s1 = group[0].suspect_span[0], max(p.suspect_span[1] for p in group)
    t0, t1 = min(p.source_span[0] for p in group), max(p.source_span[1] for p in group)
    if len(group) < 3 or not group[0].matched or (whole := diff_stretch(suspect, source, s0, s1, t0, t1)) is None:
        return functools.reduce(lambda passage, then: _joined(passage, then, suspect, source), group[1:], group[0])
    whole.kept_run = max(p.kept_run if p.kind == "sentences" else p.matched_prose for p in group)
    shared, seeds, block = sum(p.shared for p in group), sum(p.seeds for p in group), any(p.block for p in group)
    whole.bag_cosine = max(p.bag_cosine for p in group)
    return _as_sentences(whole, shared, s0, s1, t0, t1, suspect, source, seeds, block)


def _joined(first: Passage, then: Passage, suspect: Tokens, source: Tokens) -> Passage:
    s0, s1 = first.suspect_span[0], max(first.suspect_span[1], then.suspect_span[1])
    t0, t1 = min(first.source_span[0], then.source_span[0]), max(first.source_span[1], then.source_span[1])
    passage = diff_stretch(suspect, source, s0, s1, t0, t1) or first
    passage.kept_run = max(p.kept_run if p.kind == "sentences" else p.matched_prose for p in (first, then))
    bag_cosine = max(first.bag_cosine, then.bag_cosine)
    passage = _as_sentences(passage, first.shared + then.shared, s0, s1, t0, t1, suspect, source,
                            first.seeds + then.seeds, first.block or then.block)
    passage.bag_cosine = bag_cosine
    return passage


def _as_sentences(passage: Passage, shared: int, s0: int, s1: int, t0: int, t1: int, suspect: Tokens,
                  source: Tokens, seeds: int = 0, block: bool = False) -> Passage:
    """``passage`` made a passage of sentences over the given word spans (the reuse is the
    sentences, whatever of their words the diff found in order)."""
    passage.kind, passage.shared, passage.seeds, passage.block = "sentences", shared, seeds, block
    passage.substitutions = []  # the words were moved about: a word diff would pair unrelated ones
    passage.suspect_span, passage.source_span = (s0, s1), (t0, t1)
    passage.suspect = (int(suspect.offsets[0][s0]), int(suspect.offsets[1][s1 - 1]))
    passage.source = (int(source.offsets[0][t0]), int(source.offsets[1][t1 - 1]))
    return passage


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
    original_a, original_b = keys64(suspect), np.asarray(source, dtype=np.int64)
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
                between = lcs_blocks(a[a1:s0], b[b1:t0]) + np.array([a1, b1, 0])
                joined[-1] = Span(a0, s1, b0, t1, merge_touching(np.concatenate([blocks, between, more])))
                continue
            if s0 < a1:  # cannot happen after masking, but keep the spans disjoint in the suspect
                continue
        joined.append(span)
    return joined


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
    return [Span(s0, s1, t0, t1, blocks[first:first + kept]) for s0, s1, t0, t1, first, kept in found.tolist()]


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
    blocks = blocks.copy()
    blocks[0] = (s0, t0, blocks[0, 2] + blocks[0, 0] - s0)
    blocks[-1, 2] = s1 - blocks[-1, 0]
    return Span(s0, s1, t0, t1, blocks)


