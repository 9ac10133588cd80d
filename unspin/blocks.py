"""Blocks: whether sentence seeds show a stretch of sentences reused together.

Reuse takes a stretch of sentences and keeps it together, however it rewords or shuffles
them; two independent reports of one event share facts, each in a sentence of its own,
scattered through both texts. A seed is a pair (suspect sentence, source sentence) alike
enough to seed a passage (:mod:`unspin.seeds`), with whether the source sentence holds most
of the suspect sentence's stems (:data:`EXPLAINS`).
"""

from __future__ import annotations

from itertools import permutations

ORDERED_RUN = 3  # seeds following each other in both texts that show a stretch reused in order
EXPLAINED_RUN = 2  # such seeds that suffice when each explains most of its suspect sentence
EXPLAINS = 2 / 3  # share of a suspect sentence's stems its seed partner holds: the sentence, not a clause of it
EXPLAINED_STEMS = 4  # stems an explained sentence shares, at least: a title's name and a word are no sentence
RUN_STEP = 2  # sentences from one seed of a run to the next, in each text: one may be dropped or added
MOVED_BLOCK = 4  # consecutive sentences matched one for one, in any order, that show a block reused
EXPLAINED_BLOCK = 2  # such sentences that suffice when each explains most of its partner
BLOCK_SLACK = 1  # source sentences that a block of them may span beyond their number: one added


def explained_stretch(seeds: dict[tuple[int, int], bool], i0: int, i1: int, j0: int, j1: int, shared: int,
                      topic: int) -> bool:
    """Whether sentences ``i0..i1`` are a stretch reused as a block by their words: at least
    :data:`EXPLAINED_BLOCK` consecutive sentences, each seeded by one of ``j0..j1``, whose
    ``topic`` words the source side holds :data:`EXPLAINS` of (``shared`` of them, one for
    one). A rewrite that shuffles the words of the sentences it takes keeps most of them,
    whatever becomes of their order and of the sentences' pairing; two reports of one event
    share the facts of a clause here and there, each sentence with words of its own."""
    seeded = {i for i, j in seeds if i0 <= i <= i1 and j0 <= j <= j1}
    if i1 - i0 + 1 < EXPLAINED_BLOCK or len(seeded) < i1 - i0 + 1:
        return False
    return shared >= EXPLAINS * topic


def reused_block(seeds: dict[tuple[int, int], bool], i0: int, i1: int, j0: int, j1: int) -> bool:
    """Whether the seeds inside sentences ``i0..i1`` and ``j0..j1`` show a stretch of
    sentences reused together: in order (:func:`ordered_run`), or moved about inside it
    (:func:`moved_block`). ``seeds[(i, j)]``: whether source sentence ``j`` holds most of
    suspect sentence ``i``'s stems (:data:`EXPLAINS`)."""
    inside = {(i, j): explains for (i, j), explains in seeds.items() if i0 <= i <= i1 and j0 <= j <= j1}
    # A run of ORDERED_RUN seeds read backwards in the source is as much a stretch kept together
    # as one read forwards (a rewrite that reverses sentences); independent reports' facts, when
    # they share an order, share the forward one (what happened first). (Two sentences swapped
    # are a block only as moved_block has them: next to each other, each explaining its partner.)
    backwards = {(i, -j): False for i, j in inside}
    return (ordered_run(inside) or ordered_run(backwards) or moved_block(inside, MOVED_BLOCK, False)
            or moved_block(inside, EXPLAINED_BLOCK, True))


def ordered_run(seeds: dict[tuple[int, int], bool]) -> bool:
    """Whether the seeds hold a run in order: :data:`ORDERED_RUN` seeds, or
    :data:`EXPLAINED_RUN` that each explain most of their suspect sentence (``seeds[(i, j)]``),
    each within :data:`RUN_STEP` sentences after the one before in both texts.

    Reuse keeps a stretch of sentences in their order, however it rewords each; independent
    reports of one event state the same facts each in a sentence of its own, in an order of
    their own, and a shared fact fills a clause of a sentence, not the sentence."""
    # Each seed's longest run ending on it, and its longest run of explained seeds (0: not explained).
    runs: dict[int, list[tuple[int, int, int]]] = {}  # suspect sentence -> (source sentence, run, explained run)
    for i, j in sorted(seeds):
        before = [(run, kept) for a in range(i - RUN_STEP, i) for b, run, kept in runs.get(a, ())
                  if 0 < j - b <= RUN_STEP]
        run = 1 + max((r for r, _ in before), default=0)
        kept = 1 + max((k for _, k in before), default=0) if seeds[(i, j)] else 0
        if run >= ORDERED_RUN or kept >= EXPLAINED_RUN:
            return True
        runs.setdefault(i, []).append((j, run, kept))
    return False


def moved_block(seeds: dict[tuple[int, int], bool], size: int, explained: bool) -> bool:
    """Whether ``size`` consecutive suspect sentences are each seeded by a sentence of their
    own within ``size`` + :data:`BLOCK_SLACK` consecutive source sentences, in any order (only
    by seeds that explain them, if ``explained``): a stretch whose sentences were shuffled
    (PAN's random obfuscation moves them about; a spinner swaps neighbours)."""
    partners: dict[int, set[int]] = {}
    for (i, j), explains in seeds.items():
        if explains or not explained:
            partners.setdefault(i, set()).add(j)
    for first in partners:
        rows = [partners.get(first + k) for k in range(size)]
        if any(row is None for row in rows):
            continue
        for start in {j - k for j in rows[0] for k in range(size + BLOCK_SLACK)}:
            window = range(start, start + size + BLOCK_SLACK)
            if any(all(j in row for j, row in zip(chosen, rows)) for chosen in permutations(window, size)):
                return True
    return False
