"""Which of a pair's passages make up its reuse: dense passages chained into runs that follow
each other in both texts (a copy rewritten in place), and the runs near the evidence
(:func:`unspin.judge.judge` counts them towards coverage)."""

from __future__ import annotations

from unspin.align import CHAINED, MIN_DENSITY, REUSE_GAP, balanced
from unspin.passage import Passage

__all__ = ["MIN_DENSITY", "chained", "is_dense", "near_evidence"]


def near_evidence(chains: list[list[Passage]], evidence: list[Passage]) -> list[list[Passage]]:
    """The runs of dense passages that belong to the reuse: those that hold evidence, and
    those between evidence passages in both texts (a sentence of a copy moved about) that
    lie within :data:`~unspin.align.REUSE_GAP` words of the suspect from a run kept before
    them. A short dense passage far from all evidence is a chance match of common words (a
    name, "Air Force Base"): in a long text that reused a passage here and another there,
    it is not part of the reuse, even where it lies between the two."""
    s0, s1 = min(p.suspect_span[0] for p in evidence), max(p.suspect_span[1] for p in evidence)
    t0, t1 = min(p.source_span[0] for p in evidence), max(p.source_span[1] for p in evidence)
    kept = [any(p in evidence for p in chain) for chain in chains]
    between = [s0 <= chain[0].suspect_span[0] and chain[-1].suspect_span[1] <= s1
               and t0 <= min(p.source_span[0] for p in chain) and max(p.source_span[1] for p in chain) <= t1
               for chain in chains]
    grown = True
    while grown:  # a run next to a kept one is kept: a copy's moved sentences, one after the other
        grown = False
        for k in [*range(1, len(chains)), *range(len(chains) - 2, -1, -1)]:  # forwards, then backwards
            if kept[k] or not between[k]:
                continue
            if any(kept[j] and _apart(chains[k], chains[j]) <= REUSE_GAP for j in (k - 1, k + 1) if 0 <= j < len(chains)):
                kept[k] = grown = True
    return [chain for chain, keep in zip(chains, kept) if keep]


def _apart(one: list[Passage], other: list[Passage]) -> int:
    """Words of the suspect between two runs of passages."""
    return max(0, other[0].suspect_span[0] - one[-1].suspect_span[1], one[0].suspect_span[0] - other[-1].suspect_span[1])


def chained(support: list[Passage]) -> list[list[Passage]]:
    """The dense passages, grouped into runs that follow each other in both texts with
    gaps about as long on both sides; in suspect order.

    A heavy spin breaks its alignment into pieces where it rewrote most of a stretch, but
    it rewrites in place: the next piece follows in both texts, after about as many words
    on each side. The stretch between two such pieces is part of the copy, rewritten past
    recognition; it counts towards coverage. The gaps may differ by :data:`~unspin.diff.IMBALANCE`
    words for every :data:`ANCHOR_GAP` words of gap, as the steps of a passage may.
    Pieces out of order (reordered sentences) or with a stretch left out on one side
    (dropped or added sentences) are separate runs.

    A balanced gap is weak evidence on its own when it is long (its tolerance grows with
    it), and a chance passage of an unrelated text can sit at a balanced distance from a
    real one: so a run's passages must cover at least :data:`CHAINED` of its extent in
    the suspect. No more is inferred than was found, and a short chance passage cannot
    stretch a partial copy across the page.
    """
    chains: list[list[Passage]] = []
    for passage in sorted(support, key=lambda p: p.suspect_span):
        if chains:
            last = chains[-1][-1]
            gap_s = passage.suspect_span[0] - last.suspect_span[1]
            gap_t = passage.source_span[0] - last.source_span[1]
            found = sum(p.suspect_words for p in chains[-1]) + passage.suspect_words
            if balanced(gap_s, gap_t) and found >= CHAINED * (passage.suspect_span[1] - chains[-1][0].suspect_span[0]):
                chains[-1].append(passage)
                continue
        chains.append([passage])
    return chains


def is_dense(passage: Passage) -> bool:
    """Whether a passage keeps enough of its words to be more than chance (:data:`MIN_DENSITY`)."""
    # A sentence passage was validated on its sentences' words (unspin.seeds), not on their order.
    return passage.kind == "sentences" or passage.matched >= MIN_DENSITY * max(passage.source_words, passage.suspect_words)
