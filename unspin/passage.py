"""A passage: where a suspect follows a source, the blocks of words it keeps, and its changes.

The types that alignment (:mod:`unspin.align`) finds, the diff (:mod:`unspin.diff`) fills in
and the judge and the report read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np


class Span(NamedTuple):
    """Where a passage lies, in words, and the blocks of words it keeps (from the alignment
    that found it: a longest common subsequence of the whole texts, which passes through
    the span's first and last blocks, is one of the span's own)."""

    s0: int
    s1: int
    t0: int
    t1: int
    blocks: np.ndarray  # rows of (suspect word, source word, length), int64


class Substitution(NamedTuple):
    """A stretch the suspect changed: suspect words in place of source words (either may be empty)."""

    suspect: tuple[int, int]  # character offsets in the suspect's text
    source: tuple[int, int]  # character offsets in the source's text
    suspect_words: int
    source_words: int
    kind: str = "swap"  # "swap", "rewrite", "insertion" or "deletion" (see change_kind)
    suspect_first: int = -1  # the first word of each side (where an empty side sits)
    source_first: int = -1


@dataclass
class Passage:
    """A stretch of the suspect aligned to a stretch of the source."""

    suspect: tuple[int, int]  # character offsets
    source: tuple[int, int]
    suspect_span: tuple[int, int]  # word offsets
    source_span: tuple[int, int]
    matched: int  # words identical in both, in order
    matched_prose: int  # of those, words that are not names or numbers
    substitutions: list[Substitution] = field(default_factory=list)
    quote: bool = False  # set by the judge when the passage lies inside a quotation
    kind: str = "words"  # "words": kept in order; "sentences": the sentences' words kept, reordered or reworded
    shared: int = 0  # of a "sentences" passage, the topic words its two sides match one for one by stem
    kept_run: int = 0  # of a "sentences" passage, the prose words kept in order by the longest word passage inside it
    seeds: int = 0  # of a "sentences" passage, the pairs of sentences alike enough to seed it
    bag_cosine: float = 0.0  # of a "sentences" passage, the tf-idf cosine of its two sides, each taken whole
    # Whether its sentences were reused as a block (unspin.seeds.reused_block): of a "sentences"
    # passage, its seeds show it; of a "words" passage, it is the reuse of such sentences.
    block: bool = False
    # The words both keep, as rows of (suspect word, source word, length) blocks.
    blocks: np.ndarray = field(default_factory=lambda: np.empty((0, 3), dtype=np.int64), repr=False, compare=False)

    @property
    def suspect_words(self) -> int:
        return self.suspect_span[1] - self.suspect_span[0]

    @property
    def source_words(self) -> int:
        return self.source_span[1] - self.source_span[0]

    @property
    def changed(self) -> int:
        """Source words in the passage that the suspect does not keep."""
        return self.source_words - self.matched
