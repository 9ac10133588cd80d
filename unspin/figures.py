"""Figures (numbers, dates, names): a copy keeps them, a template's instances replace them.

A template (an earnings table, a price report, a results table, a notice) repeated with new
figures keeps its words and changes its numbers and names, where a copy, spun or not, keeps
them. :func:`is_template` tells the two apart from the passages of a pair: of the source's
figures and names inside them, how many were kept and how many replaced; and a change of
figures alone is never a swap (:func:`swap_share`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from unspin.passage import Passage
from unspin.jit import compiled
from unspin.tokenize import Tokens, running_count


TEMPLATE_PROSE = 2  # prose words changed per figure replaced, at most, in two instances of one template
TEMPLATE_SLOT = 10  # prose words changed per number replaced, at most, in a template filled in again: a clause
TEMPLATE_LINE = 20  # prose words kept per number renewed, at most, in a template that keeps numbers too: a line between slots
SLOT_WORDS = 4  # words after a passage's last kept word that are its template's slot, when both sides put numbers there


def swap_share(passages: list[Passage], source: Tokens | None = None, suspect: Tokens | None = None) -> float:
    """Of the source words the suspect changed, the share changed in swaps (a word or a short
    phrase for another, or a run of topic words replaced: :func:`unspin.diff.change_kind`).
    Given both texts, a change that put other words (numbers or topic words: no function
    word, which a writer's rewrite has) in place of figures and names (:func:`figures_mask`)
    and nothing else is neither: a spinner keeps them."""
    changed, swapped, figures = change_counts(passages, source, suspect)
    return swapped / (changed - figures) if changed > figures else 1.0


def change_counts(passages: list[Passage], source: Tokens | None, suspect: Tokens | None) -> tuple[int, int, int]:
    """The source words the suspect changed; of them, those changed in swaps (see
    :func:`swap_share`), and those that were figures and names replaced by others."""
    changed = swapped = figures = 0
    both = source is not None and suspect is not None
    if both:  # running counts of figures: one lookup a substitution
        theirs = _figure_counts(source)
        ours = suspect.derived("number or topic counts",
                               lambda: running_count(suspect.digits_mask | suspect.content_mask))
    else:  # no figure is ever new (the counts of the words themselves: never all figures)
        theirs = ours = np.zeros(1, dtype=np.int64)
    for passage in passages:
        if passage.kind == "sentences":  # reordered or reworded: no swap in place
            changed += passage.changed
            continue
        tally = getattr(passage.substitutions, "tally", None)
        counted = tally(theirs, ours) if tally is not None and both else None
        if counted is not None:  # straight from the diff's changes
            changed, swapped, figures = changed + counted[0], swapped + counted[1], figures + counted[2]
            continue
        for sub in passage.substitutions:
            words, t0, s0 = sub.source_words, sub.source_first, sub.suspect_first
            changed += words
            # Figures and names replaced by numbers or topic words, and nothing else.
            if (both and t0 >= 0 and words and sub.suspect_words and int(theirs[t0 + words] - theirs[t0]) == words
                    and int(ours[s0 + sub.suspect_words] - ours[s0]) == sub.suspect_words):
                figures += words
            elif sub.kind == "swap":
                swapped += words
    return changed, swapped, figures


def _figure_counts(tokens: Tokens) -> np.ndarray:
    """The running count of a source's figures (:func:`figures_mask`), from 0."""
    return tokens.derived("figure counts", lambda: running_count(figures_mask(tokens)))


def _number_counts(tokens: Tokens) -> np.ndarray:
    """The running count of a text's numbers (words with a digit), from 0."""
    return tokens.derived("number counts", lambda: running_count(tokens.digits_mask))


def figures_mask(tokens: Tokens) -> np.ndarray:
    """Numbers, dates and names of a source: words with a digit, and capitalised topic
    words that are no sentence's first word (a capital there says nothing, and a spinner
    may swap the word). Read off the source: a suspect's casing may be anything."""
    return tokens.digits_mask | (tokens.facts_mask & tokens.immutable_mask & tokens.content_mask)


def is_template(support: list[Passage], suspect: Tokens, source: Tokens,
                chains: list[list[Passage]] | None = None,
                stock: np.ndarray | Callable[[], np.ndarray] | None = None) -> bool:
    """Whether a pair is two instances of one template: of the source's figures and names
    in the passages (numbers, dates, names: see :func:`figures_mask`), more were replaced
    by other words than were kept (given the ``chains`` of passages, in the gaps between
    chained passages too); or, of its numbers alone, more were replaced by other numbers
    than were kept.

    A copy keeps its source's figures, however much of its prose a spinner or an editor
    changed: they are what a copy reports. A template (an earnings table, a day's prices, a
    league's results, a notice) is filled with new ones each time, around the same words: so
    it changed at most :data:`TEMPLATE_PROSE` times as many words of its prose as figures.
    Its numbers, most of all, are new each time, around the collection's stock words: a pair
    whose numbers were mostly replaced by other numbers, and whose kept topic words are
    mostly ``stock`` ones, is a template filled in again, whatever else its slots took (a
    forecast's "north" for "southwest", "Sunday" for "Saturday"); one that kept topic words
    of its own is a rewrite of one report by another, which may give the figures otherwise
    (without an index nothing is stock, and only the test of figures and names applies). Nor
    need the family be large enough for its words to be stock: given an index, a pair whose
    numbers were given other values (not rounded, not written otherwise), more than were
    kept, with slots around them rather than a rewrite, is two instances of one report
    (:func:`_renewed_in_slots`): a day's freight rates, a week's jobless claims. Figures that are
    ``stock`` topic words of the collection (the template's own names: an index report's
    "Nasdaq", its "500") are kept by every instance and do not count as kept.
    """
    facts = _figure_counts(source)
    numbers, ours = _number_counts(source), _number_counts(suspect)
    kept = replaced = kept_numbers = replaced_numbers = 0
    chain_of = {id(p): k for k, chain in enumerate(chains or []) for p in chain}
    runs: dict[int, list[np.ndarray]] = {}
    for passage in support:
        blocks = passage.blocks
        if passage.kind == "sentences":
            # Reworded, its words moved about: no template, which keeps its words in order
            # around new figures (and a translation or a summary changes names and drops
            # figures without being one).
            continue
        if len(blocks):
            runs.setdefault(chain_of.get(id(passage), id(passage)), []).append(blocks)
    # The kept blocks of a run of chained passages, in order: the gaps between them count too
    # (a template's table of new figures lies between two of its stock sentences).
    merged = [chain[0] if len(chain) == 1 else np.concatenate(sorted(chain, key=lambda b: int(b[0, 0])))
              for chain in runs.values()]
    for blocks in merged:
        counts = _figures_kept_and_replaced(blocks, facts, numbers, ours)
        kept, kept_numbers = kept + counts[0], kept_numbers + counts[1]
        replaced, replaced_numbers = replaced + counts[2], replaced_numbers + counts[3]
    stock_topic = rare_topic = 0
    if replaced or replaced_numbers:
        # Only when something was replaced can the stock figures kept tip the balance (a
        # spinner keeps the figures: most copies never look them up).
        stock = stock() if callable(stock) else stock
        keys = np.unique(suspect.key_array[stock]) if stock is not None else np.empty(0, suspect.key_array.dtype)
        for blocks in merged:
            if stock is not None:
                found = _kept_stock(blocks, stock, figures_mask(source), source.digits_mask, source.content_mask)
                kept, kept_numbers = kept - found[0], kept_numbers - found[1]
                stock_topic, rare_topic = stock_topic + found[2], rare_topic + found[3]
            # Nor are they a slot's value where the gaps hold them: a stock word the suspect has
            # too (moved, or written again) is the template's own, whichever side of a gap it is on;
            # and a figure that the suspect put in another gap of the passage was moved, not
            # replaced (a rewrite that shuffles words exchanges names between gaps, where a
            # template's slot takes a new value).
            moved = np.union1d(keys, _gap_keys(blocks, suspect.key_array))
            found = _replaced_stock(blocks, moved, source.key_array, facts, numbers, ours)
            replaced, replaced_numbers = replaced - found[0], replaced_numbers - found[1]
    # New numbers around the collection's stock words: a template filled in again. (Around
    # topic words of its own, a rewrite of one report by another, which may give its
    # figures otherwise.)
    if replaced_numbers > kept_numbers and stock is not None and stock_topic >= rare_topic:
        # Unless it kept its names and changed its prose throughout: a copy translated there
        # and back, which writes its figures otherwise. (A template filled in again has names
        # of its own, or changes a few words around each number: a slot.)
        if kept - kept_numbers <= replaced - replaced_numbers:
            return True
        changed, _, figures = change_counts(support, source, suspect)
        if changed - figures <= TEMPLATE_SLOT * replaced_numbers:
            return True
    # Numbers given new values in slots: a template filled in again, however few the family's
    # members (without an index, a pair that kept every word and name and changed each number
    # is taken for a copy: the test of figures and names below decides).
    if stock is not None and _renewed_in_slots(merged, source, suspect, kept, kept_numbers, replaced,
                                               replaced_numbers, support):
        return True
    if replaced <= kept:
        return False
    # A template changes its figures and keeps its words (a price report's "rose" may become
    # "fell"); a rewrite that also changed names (a paraphrase says "the president" for
    # "Bush") changed far more prose than figures.
    changed, _, figures = change_counts(support, source, suspect)
    return TEMPLATE_PROSE * replaced >= changed - figures


def _renewed_in_slots(merged: list[np.ndarray], source: Tokens, suspect: Tokens, kept: int, kept_numbers: int,
                      replaced: int, replaced_numbers: int, support: list[Passage]) -> bool:
    """Whether the pair gave its numbers new values, in slots: of the source's numbers, two or
    more were replaced by numbers of other values (not the same value written otherwise or
    rounded: :func:`_same_figure`; in the gaps between kept words, and in the slot right after
    a passage's last one, :func:`_values_after`) and more than were kept, and the rest of the change was
    slots around them (names replaced as often as kept, or at most :data:`TEMPLATE_SLOT` prose
    words changed per new number), not a rewrite. Where as many numbers were kept as renewed
    (a template has figures of its own, which every instance keeps), the pair is a template
    only if it changed nothing but its slots (at most :data:`TEMPLATE_PROSE` prose words a new
    value) and kept little prose between them (at most :data:`TEMPLATE_LINE` words a new value).

    A copy keeps its source's values, however it writes them: a spinner keeps the figures, a
    summary rounds them, a translation there and back writes them otherwise, and an editor who
    updates a figure keeps the others. Two instances of one report (a day's prices, a week's
    claims, a bank's rate decision) give every figure a new value: that needs no index, where
    a family of two instances is too small for its words to be the collection's stock ones."""
    after = [_values_after(blocks, source, suspect) for blocks in merged]
    if replaced_numbers + sum(r + w for r, w in after) < 2:
        return False
    renewed, rewritten = sum(r for r, _ in after), sum(w for _, w in after)
    for blocks in merged:
        found = _values_in_gaps(blocks, source, suspect)
        renewed, rewritten = renewed + found[0], rewritten + found[1]
    if renewed < 2 or renewed <= rewritten:
        return False
    changed, _, figures = change_counts(support, source, suspect)
    if renewed <= kept_numbers + rewritten:
        # Numbers kept too: the template's own (its "8 major routes", its "40ft container"),
        # or a copy whose editor updated a figure or two. A template's lines between its slots
        # are short, and all it changed was its slots; a copy kept far more of its prose.
        prose = sum(int(blocks[:, 2].sum()) for blocks in merged) - kept
        return prose <= TEMPLATE_LINE * renewed and changed - figures <= TEMPLATE_PROSE * renewed
    if kept - kept_numbers <= replaced - replaced_numbers:
        return True
    return changed - figures <= TEMPLATE_SLOT * renewed


def _values_in_gaps(blocks: np.ndarray, source: Tokens, suspect: Tokens) -> tuple[int, int]:
    """Of the source's numbers in the gaps between blocks where the suspect put numbers in:
    those given another value, and those the suspect's numbers there write otherwise."""
    renewed = rewritten = 0
    for b in range(len(blocks) - 1):
        s0, s1 = int(blocks[b, 0] + blocks[b, 2]), int(blocks[b + 1, 0])
        t0, t1 = int(blocks[b, 1] + blocks[b, 2]), int(blocks[b + 1, 1])
        found = _values_in(source, suspect, s0, s1, t0, t1)
        renewed, rewritten = renewed + found[0], rewritten + found[1]
    return renewed, rewritten


def _values_after(blocks: np.ndarray, source: Tokens, suspect: Tokens) -> tuple[int, int]:
    """:func:`_values_in_gaps` of the slot right after the last block, :data:`SLOT_WORDS`
    words on each side: a template's passage ends on its new figures ("rose 221 points, or
    6.1%, to 3,864" against "fell 25 points or about 1.8% to 1,361")."""
    if not len(blocks):
        return 0, 0
    s0, t0 = int(blocks[-1, 0] + blocks[-1, 2]), int(blocks[-1, 1] + blocks[-1, 2])
    return _values_in(source, suspect, s0, min(len(suspect), s0 + SLOT_WORDS), t0, min(len(source), t0 + SLOT_WORDS))


def _values_in(source: Tokens, suspect: Tokens, s0: int, s1: int, t0: int, t1: int) -> tuple[int, int]:
    """Of the source's numbers in words ``t0:t1``, where the suspect's words ``s0:s1`` hold
    numbers: those given another value there, and those written otherwise."""
    if s1 <= s0 or t1 <= t0:
        return 0, 0
    numbers, our_numbers = _number_counts(source), _number_counts(suspect)
    if numbers[t1] == numbers[t0] or our_numbers[s1] == our_numbers[s0]:  # most slots: no number on a side
        return 0, 0
    theirs, ours = source.digits_mask, suspect.digits_mask
    renewed = rewritten = 0
    new = [_value(suspect.word(k)) for k in range(s0, s1) if ours[k]]
    for k in range(t0, t1):
        if theirs[k]:
            if any(_same_figure(_value(source.word(k)), figure) for figure in new):
                rewritten += 1
            else:
                renewed += 1
    return renewed, rewritten


_NUMBER = re.compile(r"(\d[\d,]*)(?:\.(\d+))?")


def _value(word: str) -> tuple[float, int] | None:
    """A word's first number and the power of ten it is given to (-2 for "3.50", 3 for
    "21,000", 0 for "2025"), or None."""
    found = _NUMBER.search(word)
    if found is None:
        return None
    whole, fraction = found.group(1).replace(",", ""), found.group(2)
    if fraction:
        return float(f"{whole}.{fraction}"), -len(fraction)
    zeros = len(whole) - len(whole.rstrip("0")) if whole.strip("0") else 0
    return float(whole), zeros


def _same_figure(old: tuple[float, int] | None, new: tuple[float, int] | None) -> bool:
    """Whether ``new`` gives the value of ``old``, or that value rounded (either way: a summary
    rounds, a translation may write more places)."""
    if old is None or new is None:
        return old is new
    (a, pa), (b, pb) = old, new
    step = 10.0 ** max(pa, pb)
    return abs(round(a / step) * step - round(b / step) * step) < step / 2


@compiled
def _figures_kept_and_replaced(blocks: np.ndarray, facts: np.ndarray, numbers: np.ndarray,
                               ours: np.ndarray) -> tuple[int, int, int, int]:
    """Of the source's figures (running count ``facts``) and numbers (``numbers``): those the
    blocks keep, and those in a gap between two blocks that the suspect filled with words of
    its own (replaced; where it left a stretch out, nothing was put in their place), the
    numbers only where it put numbers in (``ours``: the suspect's running count of them): a
    slot of the template filled in again."""
    kept = kept_numbers = replaced = replaced_numbers = 0
    for b in range(len(blocks)):
        j, n = blocks[b, 1], blocks[b, 2]
        kept += facts[j + n] - facts[j]
        kept_numbers += numbers[j + n] - numbers[j]
        if b + 1 < len(blocks):
            s0, s1 = blocks[b, 0] + n, blocks[b + 1, 0]
            t0, t1 = j + n, blocks[b + 1, 1]
            if s1 > s0 and t1 > t0:
                replaced += facts[t1] - facts[t0]
                if ours[s1] - ours[s0] > 0:
                    replaced_numbers += numbers[t1] - numbers[t0]
    return kept, kept_numbers, replaced, replaced_numbers


@compiled
def _kept_stock(blocks: np.ndarray, stock: np.ndarray, figures: np.ndarray, digits: np.ndarray,
                topic: np.ndarray) -> tuple[int, int, int, int]:
    """Of the source's words that the blocks keep: the figures, and the numbers, that are stock
    words of the collection in the suspect; and the topic words that are, and that are not."""
    found_figures = found_numbers = stock_topic = rare_topic = 0
    for b in range(len(blocks)):
        i, j, n = blocks[b, 0], blocks[b, 1], blocks[b, 2]
        for k in range(n):
            if stock[i + k]:
                if figures[j + k]:
                    found_figures += 1
                if digits[j + k]:
                    found_numbers += 1
            if topic[j + k] and not digits[j + k]:
                if stock[i + k]:
                    stock_topic += 1
                else:
                    rare_topic += 1
    return found_figures, found_numbers, stock_topic, rare_topic


@compiled
def _gap_keys(blocks: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """The keys of the suspect's words in the gaps between blocks where both sides have words,
    sorted and distinct."""
    found = np.empty(len(keys), keys.dtype)
    count = 0
    for b in range(len(blocks) - 1):
        n = blocks[b, 2]
        s0, s1 = blocks[b, 0] + n, blocks[b + 1, 0]
        if s1 > s0 and blocks[b + 1, 1] > blocks[b, 1] + n:
            for i in range(s0, s1):
                found[count] = keys[i]
                count += 1
    return np.unique(found[:count])


@compiled
def _replaced_stock(blocks: np.ndarray, stock_keys: np.ndarray, keys: np.ndarray, facts: np.ndarray,
                    numbers: np.ndarray, ours: np.ndarray) -> tuple[int, int]:
    """Of the figures and numbers that :func:`_figures_kept_and_replaced` counts as replaced,
    those whose word is among ``stock_keys`` (sorted: the suspect's stock words' keys)."""
    figures = found_numbers = 0
    for b in range(len(blocks) - 1):
        n = blocks[b, 2]
        s0, s1 = blocks[b, 0] + n, blocks[b + 1, 0]
        t0, t1 = blocks[b, 1] + n, blocks[b + 1, 1]
        if s1 > s0 and t1 > t0:
            for t in range(t0, t1):
                at = np.searchsorted(stock_keys, keys[t])
                if at < len(stock_keys) and stock_keys[at] == keys[t]:
                    if facts[t + 1] > facts[t]:
                        figures += 1
                    if ours[s1] - ours[s0] > 0 and numbers[t + 1] > numbers[t]:
                        found_numbers += 1
    return figures, found_numbers
