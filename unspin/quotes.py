"""Quotations: outlets quote the same statements word for word, and a shared quote is not a copy.

Which words of a suspect stand inside quotation marks (:func:`quoted_words`), where its
quotations run (:func:`quotation_spans`), and whether a passage is mostly a quote.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import numpy as np

from unspin.passage import Passage
from unspin.jit import compiled
from unspin.tokenize import LINE_BREAK, QUOTATION_MARK, QUOTATION_MARKS, Tokens


QUOTE_FRAME = 6  # prose words kept outside the quotation marks: more is a copied story, not a shared quote
QUOTED = 0.6  # share of a passage's words inside quotation marks that makes it a quote
WRAPPED_QUOTE = 400  # characters past a line break within which a quote left open there may close
_QUOTATION = re.compile(f"[{QUOTATION_MARKS}]")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_NEWLINE = re.compile(r"\n")


def quoted_words(text: str, tokens: Tokens) -> np.ndarray:
    """For each word, whether it sits between a pair of quotation marks in its paragraph."""
    # The tokenizer has classed the text's characters: its marks and line breaks are read off them.
    spans = quotation_spans(text, tokens.character_classes if tokens.text == text else None)
    if not spans:
        return np.zeros(len(tokens), dtype=bool)
    opens, closes = np.array(spans, dtype=np.int64).T
    starts = tokens.offsets[0]
    # The spans are disjoint and in order: the last one opening before a word holds it if
    # it closes after the word begins.
    last = np.searchsorted(opens, starts, side="left") - 1
    return (last >= 0) & (starts < closes[np.maximum(last, 0)])


def quotation_spans(text: str, classes: np.ndarray | None = None) -> list[tuple[int, int]]:
    """Character spans between paired quotation marks, pairing within each paragraph
    (``classes``: the text's :attr:`~unspin.tokenize.Tokens.character_classes`, if at hand).

    A quote that runs over several paragraphs opens each one with a mark and closes only
    at its end; its paragraphs' unpaired opening mark then runs to the paragraph's end.
    Where lines are paragraphs (no blank lines), a line may also be a hard-wrapped piece
    of one: a quote left open at a line's end closes at the next mark if that mark comes
    within :data:`WRAPPED_QUOTE` characters and does not open its own line.
    """
    if classes is None:
        marks = [m.start() for m in _QUOTATION.finditer(text)]
    else:
        marks = np.flatnonzero(classes & QUOTATION_MARK).tolist()
    if not marks:
        return []
    # Hard-wrapped text separates paragraphs by blank lines; extracted HTML by newlines.
    lines = "\n\n" not in text
    if lines and classes is not None:
        ends = np.flatnonzero(classes & LINE_BREAK).tolist() + [len(text)]
    else:
        ends = [m.start() for m in (_NEWLINE if lines else _BLANK_LINE).finditer(text)] + [len(text)]
    spans = []
    paragraph, opened = 0, None  # the paragraph of the marks seen, and its unpaired mark
    for mark in marks:
        if mark >= ends[paragraph]:  # the first mark of a later paragraph
            end, paragraph = ends[paragraph], bisect_right(ends, mark)
            wrapped = lines and mark - end <= WRAPPED_QUOTE and text[ends[paragraph - 1]:mark].strip()
            if opened is not None and not wrapped:
                spans.append((opened, end))  # unpaired: it runs to its paragraph's end
                opened = None
        if opened is None:
            opened = mark
        else:
            spans.append((opened, mark))
            opened = None
    if opened is not None:
        spans.append((opened, ends[paragraph]))
    return spans


def is_quote(passage: Passage, quoted: np.ndarray, source: Tokens) -> bool:
    """Whether what the passage keeps is mostly quoted, with no more than an attribution
    ("she said") kept around it: a copy that keeps quotations *and* the prose between them
    copied the story, not just the statement."""
    if not len(passage.blocks):
        return _share(quoted, *passage.suspect_span) >= QUOTED
    s0, s1 = passage.suspect_span
    if not quoted[s0:s1].any():  # the common case, answered at once
        return False
    inside, outside_prose = _kept_inside(passage.blocks, quoted, source.facts_mask)
    return inside >= QUOTED * passage.matched and outside_prose < QUOTE_FRAME


def quoted_in_source(passage: Passage, source: Tokens) -> bool:
    """Whether most of what a passage keeps (:data:`QUOTED`) is quoted in the source too (all
    of it when the source's text is not at hand)."""
    if not source.text:
        return True
    quoted = source.derived("quoted words", lambda: quoted_words(source.text, source))
    if not len(passage.blocks):
        return _share(quoted, *passage.source_span) >= QUOTED
    inside = sum(int(quoted[j:j + n].sum()) for _, j, n in passage.blocks.tolist())
    return inside >= QUOTED * passage.matched


@compiled
def _kept_inside(blocks: np.ndarray, quoted: np.ndarray, facts: np.ndarray) -> tuple[int, int]:
    """Of the words the blocks keep, how many are quoted in the suspect, and how many of the
    others are prose (not facts) in the source."""
    inside = outside_prose = 0
    for b in range(len(blocks)):
        i, j, n = blocks[b, 0], blocks[b, 1], blocks[b, 2]
        for k in range(n):
            if quoted[i + k]:
                inside += 1
            elif not facts[j + k]:
                outside_prose += 1
    return inside, outside_prose


def _share(flags: np.ndarray, start: int, end: int) -> float:
    return int(flags[start:end].sum()) / max(1, end - start)
