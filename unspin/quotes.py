"""Quotations: outlets quote the same statements word for word, and a shared quote is not a copy.

Which words of a suspect stand inside quotation marks (:func:`quoted_words`), where its
quotations run (:func:`quotation_spans`), and whether a passage is mostly a quote.
"""

from __future__ import annotations

import re

import numpy as np

from unspin.passage import Passage
from unspin.jit import compiled
from unspin.tokenize import LINE_BREAK, QUOTATION_MARK, SPACE, Tokens, character_classes


QUOTE_FRAME = 6  # prose words kept outside the quotation marks: more is a copied story, not a shared quote
QUOTED = 0.6  # share of a passage's words inside quotation marks that makes it a quote
WRAPPED_QUOTE = 400  # characters past a line break within which a quote left open there may close
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def quoted_words(text: str, tokens: Tokens) -> np.ndarray:
    """For each word, whether it sits between a pair of quotation marks in its paragraph."""
    # The tokenizer has classed the text's characters: its marks and line breaks are read off them.
    classes = tokens.character_classes if tokens.text == text else character_classes(text)
    lines = "\n\n" not in text
    return _quoted(classes, _NO_ENDS if lines else _blank_lines(text), lines, len(text),
                   np.asarray(tokens.offsets[0], dtype=np.int64), WRAPPED_QUOTE, SPACE, QUOTATION_MARK, LINE_BREAK)


@compiled
def _quoted(classes: np.ndarray, blank_lines: np.ndarray, lines: bool, length: int, starts: np.ndarray,
            wrapped_quote: int, space: int, quotation_mark: int, line_break: int) -> np.ndarray:
    """:func:`quoted_words` in one compiled call: the text's quotation spans (:func:`_spans_in`),
    and each word (``starts``, in order) held by the last span opening before it if that closes
    after the word begins."""
    quoted = np.zeros(len(starts), np.bool_)
    spans = _spans_in(classes, blank_lines, lines, length, wrapped_quote, space, quotation_mark, line_break)
    last = -1  # the last span opening before the word
    for k in range(len(starts)):
        while last + 1 < len(spans) and spans[last + 1, 0] < starts[k]:
            last += 1
        quoted[k] = last >= 0 and starts[k] < spans[last, 1]
    return quoted


@compiled
def _spans_in(classes: np.ndarray, blank_lines: np.ndarray, lines: bool, length: int, wrapped_quote: int,
              space: int, quotation_mark: int, line_break: int) -> np.ndarray:
    """:func:`quotation_spans` from a text's character ``classes``: its marks, its paragraphs'
    ends (the line breaks, or ``blank_lines`` where blank lines separate paragraphs; the
    text's ``length`` last), paired by :func:`_paired`."""
    count = breaks = 0
    for c in range(len(classes)):
        count += (classes[c] & quotation_mark) != 0
        breaks += (classes[c] & line_break) != 0
    if not count:
        return np.empty((0, 2), np.int64)
    marks = np.empty(count, np.int64)
    ends = np.empty((breaks if lines else len(blank_lines)) + 1, np.int64)
    count = breaks = 0
    for c in range(len(classes)):
        if classes[c] & quotation_mark:
            marks[count] = c
            count += 1
        if lines and classes[c] & line_break:
            ends[breaks] = c
            breaks += 1
    if not lines:
        ends[:len(blank_lines)] = blank_lines
    ends[len(ends) - 1] = length
    return _paired(marks, ends, classes, lines, wrapped_quote, space)


def _blank_lines(text: str) -> np.ndarray:
    """Where the blank lines that separate a text's paragraphs start."""
    return np.array([m.start() for m in _BLANK_LINE.finditer(text)], dtype=np.int64)


_NO_ENDS = np.empty(0, dtype=np.int64)


def quotation_spans(text: str, classes: np.ndarray | None = None) -> list[tuple[int, int]]:
    """Character spans between paired quotation marks, pairing within each paragraph
    (``classes``: the text's :attr:`~unspin.tokenize.Tokens.character_classes`, if at hand).

    A quote that runs over several paragraphs opens each one with a mark and closes only
    at its end; its paragraphs' unpaired opening mark then runs to the paragraph's end.
    Where lines are paragraphs (no blank lines), a line may also be a hard-wrapped piece
    of one: a quote left open at a line's end closes at the next mark if that mark comes
    within :data:`WRAPPED_QUOTE` characters and does not open its own line.
    """
    return [(start, end) for start, end in _spans(text, classes).tolist()]


def _spans(text: str, classes: np.ndarray | None) -> np.ndarray:
    """:func:`quotation_spans` as rows ``(start, end)``."""
    if classes is None:
        classes = character_classes(text)
    # Hard-wrapped text separates paragraphs by blank lines; extracted HTML by newlines.
    lines = "\n\n" not in text
    return _spans_in(classes, _NO_ENDS if lines else _blank_lines(text), lines, len(text), WRAPPED_QUOTE, SPACE,
                     QUOTATION_MARK, LINE_BREAK)


@compiled
def _paired(marks: np.ndarray, ends: np.ndarray, classes: np.ndarray, lines: bool, wrapped_quote: int,
            space: int) -> np.ndarray:
    """The spans of :func:`quotation_spans` from the marks' places and the paragraphs' ends (the
    text's length last), in one pass."""
    spans = np.empty((len(marks), 2), np.int64)
    count = paragraph = start = 0  # the marks' paragraph, and where it starts
    opened = -1  # the paragraph's unpaired mark, if any
    for mark in marks:
        if mark >= ends[paragraph]:  # the first mark of a later paragraph
            end = ends[paragraph]
            paragraph = np.searchsorted(ends, mark, side="right")
            wrapped = False  # text before the mark on its line: the quote goes on there
            if lines and mark - end <= wrapped_quote:
                for c in range(ends[paragraph - 1], mark):
                    if not classes[c] & space:
                        wrapped = True
                        break
            if opened >= 0 and not wrapped:
                count = _unpaired(spans, count, classes, start, opened, end, space)
                opened = -1
            if opened < 0:
                start = ends[paragraph - 1]
        if opened < 0:
            opened = mark
        else:
            spans[count, 0], spans[count, 1] = opened, mark
            count += 1
            opened = -1
    if opened >= 0:
        count = _unpaired(spans, count, classes, start, opened, ends[paragraph], space)
    return spans[:count]


@compiled
def _unpaired(spans: np.ndarray, count: int, classes: np.ndarray, start: int, mark: int, end: int,
              space: int) -> int:
    """Put in ``spans`` (``count`` so far) the quotation of a ``mark`` left unpaired in the
    paragraph from ``start`` to ``end``: it runs to the paragraph's end (a quote over several
    paragraphs opens each one with a mark and closes only at its end), unless it stands alone
    inside the paragraph, a space on either side: such a mark opens and closes no word, and
    the rest of the paragraph is no more a quotation than what came before it. The spans'
    count after."""
    opens = True  # only spaces between the paragraph's start and the mark
    for c in range(start, mark):
        if not classes[c] & space:
            opens = False
            break
    if not opens and classes[mark - 1] & space and (mark + 1 >= len(classes) or classes[mark + 1] & space):
        return count  # alone inside its paragraph
    spans[count, 0], spans[count, 1] = mark, end
    return count + 1


def is_quote(passage: Passage, quoted: np.ndarray, source: Tokens) -> bool:
    """Whether what the passage keeps is mostly quoted, with no more than an attribution
    ("she said") kept around it: a copy that keeps quotations *and* the prose between them
    copied the story, not just the statement."""
    if not len(passage.blocks):
        return _share(quoted, *passage.suspect_span) >= QUOTED
    s0, s1 = passage.suspect_span
    if not np.count_nonzero(quoted[s0:s1]):  # the common case, answered at once (.any(): 6x the time)
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
    inside = sum(np.count_nonzero(quoted[j:j + n]) for _, j, n in passage.blocks.tolist())
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
