"""The ends of a reported passage: where a rewritten reuse starts and stops in its source.

A reuse takes whole sentences of its source; a rewrite then drops words where it pleases,
the first or last words of a sentence among them (PAN's random obfuscation, a round trip
through machine translation). The alignment ends a passage on the last word both texts keep,
so its source side stops short of the sentence the suspect took. The report's passages take
that sentence whole when they hold most of it (:data:`HELD_SENTENCE`), never past a line
break (a heading or a list item is no part of a sentence). The suspect side stays as found:
the text around a reuse is the suspect's own. Whether a passage was rewritten is the judge's
call (a copy kept word for word ends where its copying did).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from unspin.bags import sentence_bounds
from unspin.passage import Passage
from unspin.tokenize import Tokens

HELD_SENTENCE = 2 / 3  # share of a source sentence's words inside a reported passage from which it is taken whole


def whole_source_sentences(passage: Passage, source: Tokens) -> Passage:
    """A reported ``passage`` rewritten on its way, with its source side over the whole of an
    end sentence it holds :data:`HELD_SENTENCE` of (see the module's text)."""
    t0, t1 = passage.source_span
    w0, w1 = _on_its_lines(source, *_whole_ends(sentence_bounds(source.text, source), t0, t1), t0, t1)
    if (w0, w1) == (t0, t1):
        return passage
    offsets = source.offsets
    return dataclasses.replace(passage, source_span=(w0, w1),
                               source=(int(offsets[0][w0]), int(offsets[1][w1 - 1])))


def _whole_ends(bounds: np.ndarray, t0: int, t1: int) -> tuple[int, int]:
    """Words ``t0:t1`` widened to the bounds of the sentence holding each end (``bounds``: each
    sentence's first word, the word count last) where they hold :data:`HELD_SENTENCE` of it."""
    if t1 <= t0:
        return t0, t1
    first, last = np.searchsorted(bounds, [t0, t1 - 1], side="right") - 1
    start, end = int(bounds[first]), int(bounds[last + 1])
    if min(int(bounds[first + 1]), t1) - t0 >= HELD_SENTENCE * (int(bounds[first + 1]) - start):
        t0 = start
    if t1 - max(int(bounds[last]), t0) >= HELD_SENTENCE * (end - int(bounds[last])):
        t1 = end
    return t0, t1


def _on_its_lines(source: Tokens, w0: int, w1: int, t0: int, t1: int) -> tuple[int, int]:
    """Words ``w0:w1``, widened from ``t0:t1``, without what lies past a line break: a single
    one ends no sentence (hard-wrapped text), but a heading or a list item above or below a
    passage is no part of its sentence."""
    text, (starts, ends) = source.text, source.offsets
    if w0 < t0:
        brk = text.rfind("\n", int(ends[w0]), int(starts[t0]))
        if brk >= 0:
            w0 = int(np.searchsorted(starts, brk, side="right"))
    if w1 > t1:
        brk = text.find("\n", int(ends[t1 - 1]), int(starts[w1 - 1]))
        if brk >= 0:
            w1 = int(np.searchsorted(starts, brk, side="left"))
    return w0, w1
