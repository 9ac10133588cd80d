"""A passage's changes: the word diff between the blocks it keeps, each change's kind, and the swaps.

Between two blocks of words that both texts keep, a change is a substitution (a word or a
phrase swapped in place), an insertion, a deletion or a rewrite; :func:`change_kind` names it.
The numbers of every passage's diff are worked out in one compiled pass (``_diff_numbers``);
its substitutions are made into objects only when read (``_Substitutions``).
"""

from __future__ import annotations

import itertools
import re

import numpy as np

from unspin.jit import compiled
from unspin.lcs import lcs_blocks
from unspin.passage import Passage, Span, Substitution
from unspin.tokenize import SENTENCE_END, Tokens, code_points, running_count


IMBALANCE = 4  # words by which the two sides of one step may differ (a phrase for a word)
SWAP = 3  # a balanced step of at most this many words on one side is a swap in place (see _segments)

# Between two words: a line break (a title, a paragraph) or a sentence's end. A spinner swaps
# words inside a sentence; a change that runs across one of these is several changes.
_BOUNDARY = re.compile(r"\n|[.!?][\"'\u2019\u201d)\]]*(?:\s|$)")


def diff_spans(suspect: Tokens, source: Tokens, spans: list[Span]) -> list[Passage]:
    """Diff each span word by word, from the blocks of words it keeps (see :class:`Span`),
    all spans at once; each passage runs from its first common word to its last."""
    spans = [span for span in spans if len(span.blocks)]  # a span keeps at least one block (none: no passage)
    if not spans:
        return []
    counts = [len(span.blocks) for span in spans]
    blocks = np.concatenate([span.blocks for span in spans]) if len(spans) > 1 else spans[0].blocks
    ends = np.fromiter(itertools.accumulate(counts), np.int64, len(counts))  # (np.cumsum of a list: 5x the time)
    changes, passages = _diff_numbers(blocks, ends, *suspect.offsets, *source.offsets, source.facts_before)
    found, first, taken = [], 0, 0  # the passage's first block, and its first change
    for count, (s0, s1, t0, t1, c0, c1, d0, d1, matched, prose) in zip(counts, passages.tolist()):
        found.append(Passage(
            suspect=(c0, c1),
            source=(d0, d1),
            suspect_span=(s0, s1),
            source_span=(t0, t1),
            matched=matched,
            matched_prose=prose,
            substitutions=_Substitutions(changes[taken:taken + count - 1], suspect, source),
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


class _Substitutions(list):  # type: ignore[type-arg]
    """A passage's substitutions, made from its changes (rows of :func:`_diff_numbers`) the
    first time they are read: most candidates are judged original or partial without them,
    and a pair's hundreds of them cost more than the rest of its alignment."""

    def __init__(self, changes: np.ndarray, suspect: Tokens, source: Tokens) -> None:
        super().__init__()
        self._pending: tuple[np.ndarray, Tokens, Tokens] | None = (changes, suspect, source)

    def tally(self, theirs: np.ndarray, ours: np.ndarray) -> tuple[int, int, int] | None:
        """What :func:`unspin.figures.swap_share` counts, straight from the changes (no
        substitution made): the source words changed; of them, those swapped; and those that
        were figures (``theirs``: the source's running count of figures) replaced by numbers
        or topic words (``ours``: the suspect's running count of those); None once the
        substitutions are made (then they are counted)."""
        if self._pending is None:
            return None
        changes, suspect, source = self._pending
        if not len(changes):
            return 0, 0, 0
        immutable = source.derived("immutable counts", lambda: running_count(source.immutable_mask))
        # The changes that are one substitution each, counted in one compiled pass.
        split, changed, swapped, replaced = _tally_whole(
            changes, _break_counts(suspect), _break_counts(source), immutable, theirs, ours, SWAP, IMBALANCE)
        if np.count_nonzero(split):  # the others, piece by piece (as _substitutions cuts them)
            pieces = _tally_pieces(changes[split], _code_points(suspect), *suspect.offsets, _code_points(source),
                                   *source.offsets, _MARKS, immutable, theirs, ours, SWAP, IMBALANCE)
            changed, swapped, replaced = changed + pieces[0], swapped + pieces[1], replaced + pieces[2]
        return changed, swapped, replaced

    def _made(self) -> _Substitutions:
        if self._pending is not None:
            changes, suspect, source = self._pending
            self._pending = None
            list.extend(self, (piece for pieces in _all_substitutions(changes, suspect, source) for piece in pieces))
        return self

    def __iter__(self):  # type: ignore[no-untyped-def]
        return list.__iter__(self._made())

    def __len__(self) -> int:
        return list.__len__(self._made())

    def __getitem__(self, item):  # type: ignore[no-untyped-def]
        return list.__getitem__(self._made(), item)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Substitutions):
            other._made()
        return list.__eq__(self._made(), other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __contains__(self, item: object) -> bool:
        return list.__contains__(self._made(), item)

    def __reversed__(self):  # type: ignore[no-untyped-def]
        return list.__reversed__(self._made())

    def __repr__(self) -> str:
        return list.__repr__(self._made())

    __hash__ = None  # type: ignore[assignment]


def _all_substitutions(changes: np.ndarray, suspect: Tokens, source: Tokens) -> list[list[Substitution]]:
    """The substitutions of every change of a diff (rows of :func:`_diff_numbers`): most, one
    each, classed all at once; those that run across a line break or a sentence's end, by
    :func:`_substitutions`."""
    if not len(changes):
        return []
    split, kinds = _classed(changes, suspect, source)
    names = ("deletion", "insertion", "swap", "rewrite")
    make = tuple.__new__  # a Substitution without its __new__'s call: most pairs have hundreds
    rows = changes.tolist()
    return [_substitutions(row, suspect, source) if cut else
            [make(Substitution, ((a, b), (c, d), wi, wj, names[k], i, j))]
            for row, cut, (a, b, c, d, wi, wj, i, j), k in zip(rows, split.tolist(), rows, kinds.tolist())]


@compiled
def _tally_whole(changes: np.ndarray, breaks_i: np.ndarray, breaks_j: np.ndarray, immutable: np.ndarray,
                 theirs: np.ndarray, ours: np.ndarray, swap: int, imbalance: int) -> tuple[np.ndarray, int, int, int]:
    """:meth:`_Substitutions.tally` of the changes that no break splits (as :func:`_classed`
    classes them), and which changes a break splits (left to be counted piece by piece)."""
    split = np.zeros(len(changes), np.bool_)
    changed = swapped = replaced = 0
    for k in range(len(changes)):
        words_i, words_j, i0, j0 = changes[k, 4], changes[k, 5], changes[k, 6], changes[k, 7]
        if ((words_i >= 2 and breaks_i[i0 + words_i] > breaks_i[i0 + 1])
                or (words_j >= 2 and breaks_j[j0 + words_j] > breaks_j[j0 + 1])):
            split[k] = True
            continue
        changed += words_j
        if (words_i > 0 and words_j > 0 and theirs[j0 + words_j] - theirs[j0] == words_j
                and ours[i0 + words_i] - ours[i0] == words_i):
            replaced += words_j  # figures replaced by numbers or topic words
        elif words_i > 0 and words_j > 0 and (
                (words_i <= swap and words_j <= swap)
                or (abs(words_i - words_j) <= imbalance and immutable[j0 + words_j] - immutable[j0] == 0)):
            swapped += words_j
    return split, changed, swapped, replaced


def _classed(changes: np.ndarray, suspect: Tokens, source: Tokens) -> tuple[np.ndarray, np.ndarray]:
    """For each change, whether a line break or a sentence's end splits it, and its kind as
    :func:`change_kind` would give it whole (0 deletion, 1 insertion, 2 swap, 3 rewrite)."""
    _, _, _, _, words_i, words_j, i0, j0 = changes.T
    breaks_i, breaks_j = _break_counts(suspect), _break_counts(source)
    # Breaks before the second to the last word of either side.
    split = ((words_i >= 2) & (breaks_i[i0 + np.maximum(words_i, 1)] > breaks_i[i0 + 1])) | \
            ((words_j >= 2) & (breaks_j[j0 + np.maximum(words_j, 1)] > breaks_j[j0 + 1]))
    immutable = source.derived("immutable counts", lambda: running_count(source.immutable_mask))
    keeps = (immutable[j0 + words_j] - immutable[j0]) > 0
    kinds = np.where(words_i == 0, 0, np.where(words_j == 0, 1, np.where(
        ((words_i <= SWAP) & (words_j <= SWAP)) | ((np.abs(words_i - words_j) <= IMBALANCE) & ~keeps), 2, 3)))
    return split, kinds


def _break_counts(tokens: Tokens) -> np.ndarray:
    """For each word, how many words up to it (itself included) a line break or a sentence's
    end precedes: a running count, so that a stretch's breaks are one subtraction."""
    return tokens.derived("break counts", lambda: _gaps_holding(tokens.character_classes, *tokens.offsets, SENTENCE_END))


@compiled
def _gaps_holding(classes: np.ndarray, starts: np.ndarray, ends: np.ndarray, bit: int) -> np.ndarray:
    """The running count, from 0, of the words whose gap from the word before them holds a
    character of the class ``bit`` (a line break, '.', '!' or '?': not inside the word before)."""
    counts = np.zeros(len(starts) + 1, np.int64)
    for k in range(len(starts)):
        held = 0
        if k > 0:
            for c in range(ends[k - 1], starts[k]):
                if classes[c] & bit:
                    held = 1
                    break
        counts[k + 1] = counts[k] + held
    return counts


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
        return [Substitution((c0, c1), (d0, d1), suspect_words, source_words, "rewrite", i0, j0)]
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
                        i1 - i0, j1 - j0, kind, i0, j0)


def _chars(tokens: Tokens, first: int, end: int) -> tuple[int, int]:
    if first < end:
        return tokens.starts[first], tokens.ends[end - 1]
    at = tokens.ends[first - 1] if first else 0
    return at, at


def _breaks(tokens: Tokens, first: int, end: int) -> list[int]:
    """The words of ``first:end`` after the first that a line break or a sentence's end
    (:data:`_BOUNDARY`) precedes in the text: none unless the stretch itself holds one."""
    return _cuts(_code_points(tokens), *tokens.offsets, _MARKS, first, end).tolist()


# What _BOUNDARY reads, by code point (up to U+3000, the last whitespace; the last entry,
# 0, stands for every code point past it): a line break, a sentence's stop, a closing mark, a
# space (what str.isspace says, as the pattern's \s does).
_NEWLINE, _STOP, _CLOSER, _SPACE = 1, 2, 4, 8
_MARKS = np.zeros(0x3002, dtype=np.uint8)
for _point in range(0x3001):
    _MARKS[_point] = (_NEWLINE * (_point == 10) | _STOP * (chr(_point) in ".!?")
                      | _CLOSER * (chr(_point) in "\"'\u2019\u201d)]") | _SPACE * chr(_point).isspace())


def _code_points(tokens: Tokens) -> np.ndarray:
    """The code points of the text the tokens point into (kept with them)."""
    return tokens.derived("code points", lambda: code_points(tokens.text))


@compiled
def _boundary(points: np.ndarray, marks: np.ndarray, first: int, end: int) -> bool:
    """Whether ``_BOUNDARY.search(text, first, end)`` finds one (``points``: the text's code points)."""
    top = len(marks) - 1
    for p in range(first, end):
        mark = marks[min(points[p], top)]
        if mark & _NEWLINE:
            return True
        if mark & _STOP:
            q = p + 1
            while q < end and marks[min(points[q], top)] & _CLOSER:
                q += 1
            if q == end or marks[min(points[q], top)] & _SPACE:
                return True
    return False


@compiled
def _cuts(points: np.ndarray, starts: np.ndarray, ends: np.ndarray, marks: np.ndarray, first: int,
          end: int) -> np.ndarray:
    """:func:`_breaks` of words ``first:end``, as an array."""
    found = np.empty(max(0, end - first - 1), np.int64)
    count = 0
    if end - first >= 2 and _boundary(points, marks, starts[first], ends[end - 1]):
        for k in range(first + 1, end):
            if _boundary(points, marks, ends[k - 1], starts[k]):
                found[count] = k
                count += 1
    return found[:count]


@compiled
def _tally_pieces(changes: np.ndarray, points_i: np.ndarray, starts_i: np.ndarray, ends_i: np.ndarray,
                  points_j: np.ndarray, starts_j: np.ndarray, ends_j: np.ndarray, marks: np.ndarray,
                  immutable: np.ndarray, theirs: np.ndarray, ours: np.ndarray, swap: int,
                  imbalance: int) -> tuple[int, int, int]:
    """:meth:`_Substitutions.tally` of changes that a break may split, each cut into the pieces
    :func:`_substitutions` makes of it, in one compiled pass."""
    changed = swapped = replaced = 0
    for k in range(len(changes)):
        words_i, words_j, i0, j0 = changes[k, 4], changes[k, 5], changes[k, 6], changes[k, 7]
        cuts_i = _cuts(points_i, starts_i, ends_i, marks, i0, i0 + words_i)
        cuts_j = _cuts(points_j, starts_j, ends_j, marks, j0, j0 + words_j)
        whole = len(cuts_i) == 0 and len(cuts_j) == 0
        pieces = 1 if whole else max(len(cuts_i), len(cuts_j)) + 1
        rewrite = not whole and words_i > 0 and words_j > 0 and len(cuts_i) != len(cuts_j)
        if rewrite:
            pieces = 1
        for piece in range(pieces):
            if whole or rewrite:
                a0, a1, b0, b1 = i0, i0 + words_i, j0, j0 + words_j
            else:
                a0 = i0 if not words_i else (i0 if piece == 0 else cuts_i[piece - 1])
                a1 = i0 if not words_i else (i0 + words_i if piece == pieces - 1 else cuts_i[piece])
                b0 = j0 if not words_j else (j0 if piece == 0 else cuts_j[piece - 1])
                b1 = j0 if not words_j else (j0 + words_j if piece == pieces - 1 else cuts_j[piece])
            wi, wj = a1 - a0, b1 - b0
            changed += wj
            if wi > 0 and wj > 0 and theirs[b0 + wj] - theirs[b0] == wj and ours[a0 + wi] - ours[a0] == wi:
                replaced += wj
            elif not rewrite and wi > 0 and wj > 0 and (
                    (wi <= swap and wj <= swap)
                    or (abs(wi - wj) <= imbalance and immutable[b0 + wj] - immutable[b0] == 0)):
                swapped += wj  # change_kind's swap
    return changed, swapped, replaced


@compiled
def _diff_numbers(blocks: np.ndarray, ends: np.ndarray, suspect_starts: np.ndarray, suspect_ends: np.ndarray,
                  source_starts: np.ndarray, source_ends: np.ndarray, facts_before: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The numbers of :func:`diff_spans`: the spans' blocks, one after another (``ends``: where each
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


def diff_stretch(suspect: Tokens, source: Tokens, s0: int, s1: int, t0: int, t1: int) -> Passage | None:
    """Diff one stretch word by word, its kept blocks worked out here; None if the two
    stretches have no word in common."""
    blocks = lcs_blocks(keys64(suspect)[s0:s1], keys64(source)[t0:t1]) + np.array([s0, t0, 0])
    return diff_spans(suspect, source, [Span(s0, s1, t0, t1, blocks)])[0] if len(blocks) else None


def keys64(tokens: Tokens) -> np.ndarray:
    """The words' keys as int64, what the LCS compares (worked out once a text)."""
    return tokens.derived("keys as int64", lambda: tokens.key_array.astype(np.int64))
