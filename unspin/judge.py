"""Judgement: from the passages of a suspect-source pair, a verdict and its scores.

The verdict comes from the alignment's structure, not from a similarity threshold: a copy
spun at 30% shares fewer shingles with its source than two independent reports of one
event share with each other, but only the copy follows its source in long ordered runs,
with the changes *between* the words it kept. So the judge asks:

* **Is there evidence?** A passage counts when it keeps at least :data:`MIN_EVIDENCE`
  words of the source's prose in order (names and numbers are facts that independent
  reports share), densely, and not inside a quotation: outlets quote the same statements
  word for word, and a shared quote is not a copy.
* **How much is covered?** Once there is evidence, every dense passage counts, quotations
  too, and so does the stretch between two passages that follow each other in both texts
  after gaps about as long on both sides (a stretch rewritten in place, see
  :func:`_chains`). When they cover most of the suspect or most of the source, the suspect
  is a whole copy; otherwise it reused some passages (``partial``) if one of them is long
  enough.
* **How was it changed?** A whole copy that keeps nearly every word is a ``copy``; one whose
  changes are mostly word-for-word swaps is ``spun``; one whose changes are longer
  rewrites around what it kept is a ``paraphrase``.

Two kinds of shared text are not copying. **A template** (an earnings table, a price report,
a results table, a notice) repeated with new figures keeps its words and changes its numbers
and names, where a copy, spun or not, keeps them: a pair whose aligned passages replaced most
of the source's figures and names by others is two instances of one template, ``original``
(:func:`is_template`), and a change of figures alone is never a swap. **Stock text** (a stock
phrase, a template's lines, boilerplate) is what many sources of the collection share: the
checker marks the suspect's words inside phrases that the index finds in many sources
(:meth:`unspin.index.Index.common`), and they are not evidence of copying. Nor, in full, is
phrasing that a few of the suspect's candidate sources share without being copies of each
other (a family's boilerplate): a word's evidence of copying from a source is shared out among
the unrelated sources that hold it in the same phrase (:mod:`unspin.neighbours`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from unspin.align import CHAINED, balanced, one_reuse
from unspin.passage import Passage
from unspin.jit import compiled
from unspin.tokenize import LINE_BREAK, QUOTATION_MARK, QUOTATION_MARKS, Tokens, running_count

MIN_EVIDENCE = 12  # prose words kept in order: more than a stock phrase
MIN_PARTIAL = 20  # prose words kept in order by the longest passage of a partial copy
LONG_RUN = 2 * MIN_PARTIAL  # words kept in order, names and figures too, that show copying whatever they are
MIN_DENSITY = 0.4  # of a passage's words, the share kept; chance runs keep fewer
WHOLE = 0.5  # share of the suspect inside the copy from which it is a whole copy
WHOLE_SOURCE = 0.8  # share of the source inside the copy from which it is one too: nearly all of it
COPY_SPIN = 0.1  # at most this share of the aligned source words changed: a copy
SPUN_SWAPS = 0.6  # share of changed words in swaps from which a changed copy is spun
TEMPLATE_PROSE = 2  # prose words changed per figure replaced, at most, in two instances of one template
TEMPLATE_SLOT = 10  # prose words changed per number replaced, at most, in a template filled in again: a clause
QUOTE_FRAME = 6  # prose words kept outside the quotation marks: more is a copied story, not a shared quote
QUOTED = 0.6  # share of a passage's words inside quotation marks that makes it a quote
WRAPPED_QUOTE = 400  # characters past a line break within which a quote left open there may close

_QUOTATION = re.compile(f"[{QUOTATION_MARKS}]")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_NEWLINE = re.compile(r"\n")


class Verdict(str, Enum):
    """What a suspect is, with respect to one source or to the whole index."""

    COPY = "copy"
    SPUN = "spun"
    PARAPHRASE = "paraphrase"
    PARTIAL = "partial"
    ORIGINAL = "original"


@dataclass
class Judgement:
    """The verdict on one suspect-source pair and the figures behind it."""

    verdict: Verdict
    score: float  # share of the suspect's words found, in order, in the source
    coverage: float  # share of the suspect's words inside evidence passages or rewritten in place between them
    source_coverage: float  # the same share of the source's words
    spin_rate: float  # share of the aligned source words that the suspect changed
    passages: list[Passage] = field(default_factory=list)  # every passage aligned
    support: list[Passage] = field(default_factory=list)  # the passages the figures count, in suspect order

    @property
    def evidence(self) -> list[Passage]:
        """The passages the figures count (shared quotations among them), in suspect order."""
        if self.verdict is Verdict.ORIGINAL:
            return [p for p in self.passages if p.quote and p.matched >= MIN_EVIDENCE]
        return self.support


def judge(suspect_text: str, suspect: Tokens, source: Tokens, passages: list[Passage],
          quoted: np.ndarray | None = None, common: np.ndarray | Callable[[], np.ndarray] | None = None,
          stock: np.ndarray | Callable[[], np.ndarray] | None = None,
          shared: np.ndarray | Callable[[], np.ndarray] | None = None) -> Judgement:
    """Judge one suspect-source pair from its passages.

    ``quoted`` (:func:`quoted_words` of the suspect) may be passed in when one suspect is
    judged against several sources. ``common`` flags the suspect's words that are stock
    text of the collection (:meth:`unspin.index.Index.common_words`): they are no evidence.
    ``stock`` flags its topic words that many of the collection's sources hold
    (:func:`unspin.check.stock_words`; may be a function, called when first needed): figures
    among them (the names a template repeats) are not kept facts of a copy. ``shared`` gives,
    for each word of the suspect, how many other sources of the collection, unrelated to this
    one, hold it in the same phrase (:meth:`unspin.neighbours.Neighbours.others`; may be a
    function): its evidence of copying from this source is shared out among them all.
    """
    if not passages:
        return Judgement(Verdict.ORIGINAL, 0.0, 0.0, 0.0, 0.0, passages)
    if quoted is None:
        quoted = quoted_words(suspect_text, suspect)
    for passage in passages:
        passage.quote = _is_quote(passage, quoted, source)
    rare = _RareProse(suspect, source, common, shared)
    evidence = [p for p in passages if is_evidence(p, rare)]
    if not evidence:
        return Judgement(Verdict.ORIGINAL, 0.0, 0.0, 0.0, 0.0, passages)
    # Once copied prose is established, every dense passage near it counts towards
    # coverage, quotations included: a copy reproduces its source's quotes along with the rest.
    # (A passage of sentences is only ever evidence: its words need not keep their order.)
    chains = _chains([p for p in passages if _is_dense(p) and (p.kind != "sentences" or p in evidence)])
    chains = [chain for chain in chains if _near_evidence(chain, evidence)]
    support = [p for chain in chains for p in chain]
    matched = sum(p.matched for p in support)
    aligned = sum(p.source_words for p in support)
    coverage = min(1.0, sum(c[-1].suspect_span[1] - c[0].suspect_span[0] for c in chains) / max(1, len(suspect)))
    source_coverage = min(1.0, sum(c[-1].source_span[1] - c[0].source_span[0] for c in chains) / max(1, len(source)))
    spin_rate = 1 - matched / max(1, aligned)
    if is_template(support, suspect, source, chains, _family_stock(stock, rare)):
        return Judgement(Verdict.ORIGINAL, 0.0, 0.0, 0.0, 0.0, passages)
    verdict = _verdict(evidence, support, coverage, source_coverage, spin_rate, source, suspect, rare)
    if verdict is Verdict.ORIGINAL:
        return Judgement(Verdict.ORIGINAL, 0.0, 0.0, 0.0, 0.0, passages)
    # The figures count the pieces; the report shows each reuse as one passage.
    reported = one_reuse(sorted(support, key=lambda p: p.suspect_span), suspect, source)
    return Judgement(verdict, matched / max(1, len(suspect)), coverage, source_coverage, spin_rate, passages, reported)


def _family_stock(stock: np.ndarray | Callable[[], np.ndarray] | None,
                  rare: _RareProse) -> np.ndarray | Callable[[], np.ndarray] | None:
    """The suspect's stock words for the template test: those many sources of the collection
    hold, and those that other sources unrelated to this one hold in the same phrase (the
    family's own words: a site's forecast opens with its county's name in every instance)."""
    if stock is None:
        return None

    def words() -> np.ndarray:
        found = stock() if callable(stock) else stock
        shared = rare.shared
        return found if shared is None else found | (shared > 0)
    return words


def is_evidence(passage: Passage, rare: _RareProse | None = None) -> bool:
    """A passage that, alone, shows copied prose: :data:`MIN_EVIDENCE` words of the
    source's prose kept in order, or, where sentences were reused with their words moved
    about, :data:`MIN_PARTIAL` of its topic words kept in sentences that match one for one;
    given ``rare``, words of the collection's stock text not counted. In a stretch of
    sentences reused as a block (:func:`unspin.seeds.reused_block`), :data:`MIN_EVIDENCE`
    topic words do."""
    if passage.quote or not _is_dense(passage):
        return False
    kept = (rare or _RareProse()).kept(passage)
    if passage.kind == "sentences":
        # Sentences whose words were kept but not their order are weaker evidence, word for
        # word, than words kept in order: an outlet's follow-up story rewrites the background
        # paragraph of its first one with half its words. So they must keep as many topic
        # words as a partial copy's longest passage keeps words in order (or hold a run of
        # words kept in order that is evidence by itself), unless they reuse a stretch of
        # sentences as a block (see unspin.seeds.reused_block): the facts two reports share
        # are scattered through both, each in a sentence of its own.
        return _reworded_block(passage, kept) or passage.kept_run >= MIN_EVIDENCE
    return kept >= MIN_EVIDENCE


def _reworded_block(passage: Passage, kept: int) -> bool:
    """Whether a passage of sentences that keeps ``kept`` topic words is as long as a partial
    copy's longest passage: :data:`MIN_PARTIAL` of them, or :data:`MIN_EVIDENCE` in a stretch
    of sentences reused as a block."""
    return kept >= MIN_PARTIAL or (passage.block and kept >= MIN_EVIDENCE)


class _RareProse:
    """Counts the source's prose words a passage keeps: in order, or in sentences matched
    one for one; of them, only those that are not stock text of the collection (the
    suspect's ``common`` words), when that is known; and of a word that other sources of
    the collection hold in the same phrase (``shared`` of them), its share: ``1 / (1 + shared)``
    of a word (:mod:`unspin.neighbours`)."""

    def __init__(self, suspect: Tokens | None = None, source: Tokens | None = None,
                 common: np.ndarray | Callable[[], np.ndarray] | None = None,
                 shared: np.ndarray | Callable[[], np.ndarray] | None = None) -> None:
        self.suspect, self.source = suspect, source
        self._common = common
        self._shared = shared

    @property
    def shared(self) -> np.ndarray | None:
        """How many other sources hold each word of the suspect in a phrase, worked out on first
        need; None when no word is held elsewhere."""
        if callable(self._shared):
            self._shared = self._shared()
        if self._shared is not None and not self._shared.any():
            self._shared = None
        return self._shared

    @property
    def common(self) -> np.ndarray | None:
        """The suspect's common words, worked out on first need (``common`` may be a function:
        most pairs have no passage long enough to need them), None when there are none."""
        if callable(self._common):
            self._common = self._common()
        if self._common is not None and not self._common.any():
            self._common = None
        return self._common

    def kept(self, passage: Passage) -> float:
        if passage.kind == "sentences":
            return self._rare_topic_words(passage)
        if passage.matched >= LONG_RUN and self._kept_words(passage) >= LONG_RUN:
            # A list copied whole (a directory, a menu, a table of names): two reports of one
            # event share names, but not this many in the same order.
            return max(MIN_PARTIAL, self._kept_prose(passage))
        return self._kept_prose(passage)

    def _kept_prose(self, passage: Passage) -> int:
        # Prose, not facts: two reports of one event share its names and numbers (a team
        # sheet, a list of results) without copying each other's sentences. Taking stock
        # words away can only lower the count: below the evidence bar, no need to look.
        if passage.matched_prose < MIN_EVIDENCE or self.source is None or not len(passage.blocks):
            return passage.matched_prose
        return self._worth(passage, passage.matched_prose, self.source.facts_mask)

    def _kept_words(self, passage: Passage) -> float:
        """The words a passage keeps in order, facts too, less the collection's stock text."""
        if self.source is None or not len(passage.blocks):
            return passage.matched
        return self._worth(passage, passage.matched, np.zeros(len(self.source), dtype=bool))

    def _worth(self, passage: Passage, kept: int, facts: np.ndarray) -> float:
        """Of the ``kept`` words (not ``facts`` in the source) of a passage: those that are not
        the collection's stock text, each worth its share among the sources holding it."""
        common, shared = self.common, self.shared
        if shared is not None:
            return _kept_worth(passage.blocks, common if common is not None else _none(len(shared)), facts, shared)
        if common is None:
            return kept
        return kept - _kept_common_prose(passage.blocks, common, facts)

    def _rare_topic_words(self, passage: Passage) -> int:
        """A sentence passage's shared topic words, less those that are stock text of the
        collection. (Names count: a reworded passage keeps them, and its evidence is held
        to a partial copy's length already; figures are the template rule's, see
        :func:`is_template`.) Which words the bags shared is not kept: those taken away are
        the suspect's common words that the source's side has too."""
        if self.suspect is None or self.source is None or passage.shared < MIN_EVIDENCE or self.common is None:
            return passage.shared
        (s0, s1), (t0, t1) = passage.suspect_span, passage.source_span
        ours = self.suspect.key_array[s0:s1]
        theirs = Counter(self.source.key_array[t0:t1].tolist())
        stock = self.common[s0:s1] & self.suspect.content_mask[s0:s1]
        removed = sum((Counter(ours[stock].tolist()) & theirs).values())
        return max(0, passage.shared - removed)


def _near_evidence(chain: list[Passage], evidence: list[Passage]) -> bool:
    """Whether a run of dense passages holds evidence, or lies between evidence passages in
    both texts (a sentence of a copy moved about). A short dense passage far from all
    evidence is a chance match of common words: in a long text that reused a passage or
    two, it is not part of the reuse."""
    if any(p in evidence for p in chain):
        return True
    s0, s1 = chain[0].suspect_span[0], chain[-1].suspect_span[1]
    t0, t1 = min(p.source_span[0] for p in chain), max(p.source_span[1] for p in chain)
    return (min(p.suspect_span[0] for p in evidence) <= s0 and s1 <= max(p.suspect_span[1] for p in evidence)
            and min(p.source_span[0] for p in evidence) <= t0 and t1 <= max(p.source_span[1] for p in evidence))


def _chains(support: list[Passage]) -> list[list[Passage]]:
    """The dense passages, grouped into runs that follow each other in both texts with
    gaps about as long on both sides; in suspect order.

    A heavy spin breaks its alignment into pieces where it rewrote most of a stretch, but
    it rewrites in place: the next piece follows in both texts, after about as many words
    on each side. The stretch between two such pieces is part of the copy, rewritten past
    recognition; it counts towards coverage. The gaps may differ by :data:`IMBALANCE`
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


def _is_dense(passage: Passage) -> bool:
    # A sentence passage was validated on its sentences' words (unspin.seeds), not on their order.
    return passage.kind == "sentences" or passage.matched >= MIN_DENSITY * max(passage.source_words, passage.suspect_words)


def _verdict(
    evidence: list[Passage], support: list[Passage], coverage: float, source_coverage: float, spin_rate: float,
    source: Tokens | None = None, suspect: Tokens | None = None, rare: _RareProse | None = None,
) -> Verdict:
    if not is_whole(coverage, source_coverage):
        # A passage of sentences that is evidence keeps as many topic words as a partial
        # copy's longest passage keeps words in order (or holds such a passage); so does a
        # run of words that is the reuse of sentences reused as a block.
        rare = rare or _RareProse()
        longest = max(rare.kept(p) if p.kind != "sentences" and not p.block else
                      (MIN_PARTIAL if _reworded_block(p, rare.kept(p)) else p.kept_run) for p in evidence)
        return Verdict.PARTIAL if longest >= MIN_PARTIAL else Verdict.ORIGINAL
    if spin_rate <= COPY_SPIN:
        return Verdict.COPY
    changed, swapped, figures = _changes(support, source, suspect)
    # New figures are no spin: a copy whose other changes are few is a copy with its figures updated.
    if changed - figures <= COPY_SPIN * sum(p.source_words for p in support):
        return Verdict.COPY
    return Verdict.SPUN if swapped / max(1, changed - figures) >= SPUN_SWAPS else Verdict.PARAPHRASE


def is_whole(coverage: float, source_coverage: float) -> bool:
    """Whether a copy is the suspect's whole body rather than passages reused in it.

    It is when the copy is most of the suspect (a suspect that dropped some of the source's
    sentences, or took only its first paragraphs, is still nothing but a copy), or when it
    holds nearly all of the source (an article republished whole amid material of the
    page's own). A few paragraphs of a source inside a text of its own are ``partial``,
    however much of a short source they are.
    """
    return coverage >= WHOLE or source_coverage >= WHOLE_SOURCE


def swap_share(passages: list[Passage], source: Tokens | None = None, suspect: Tokens | None = None) -> float:
    """Of the source words the suspect changed, the share changed in swaps (a word or a short
    phrase for another, or a run of topic words replaced: :func:`unspin.diff.change_kind`).
    Given both texts, a change that put other words (numbers or topic words: no function
    word, which a writer's rewrite has) in place of figures and names (:func:`figures_mask`)
    and nothing else is neither: a spinner keeps them."""
    changed, swapped, figures = _changes(passages, source, suspect)
    return swapped / (changed - figures) if changed > figures else 1.0


def _changes(passages: list[Passage], source: Tokens | None, suspect: Tokens | None) -> tuple[int, int, int]:
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
    (without an index nothing is stock, and only the test of figures and names applies). Figures that are
    ``stock`` topic words of the collection (the template's own names: an index report's
    "Nasdaq", its "500") are kept by every instance and do not count as kept.
    """
    facts = _figure_counts(source)
    numbers = source.derived("number counts", lambda: running_count(source.digits_mask))
    ours = suspect.derived("number counts", lambda: running_count(suspect.digits_mask))
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
    if (replaced or replaced_numbers) and stock is not None:
        # Only when something was replaced can the stock figures kept tip the balance (a
        # spinner keeps the figures: most copies never look them up).
        stock = stock() if callable(stock) else stock
        for blocks in merged:
            found = _kept_stock(blocks, stock, figures_mask(source), source.digits_mask, source.content_mask)
            kept, kept_numbers = kept - found[0], kept_numbers - found[1]
            stock_topic, rare_topic = stock_topic + found[2], rare_topic + found[3]
    # New numbers around the collection's stock words: a template filled in again. (Around
    # topic words of its own, a rewrite of one report by another, which may give its
    # figures otherwise.)
    if replaced_numbers > kept_numbers and stock is not None and stock_topic >= rare_topic:
        # Unless it kept its names and changed its prose throughout: a copy translated there
        # and back, which writes its figures otherwise. (A template filled in again has names
        # of its own, or changes a few words around each number: a slot.)
        if kept - kept_numbers <= replaced - replaced_numbers:
            return True
        changed, _, figures = _changes(support, source, suspect)
        if changed - figures <= TEMPLATE_SLOT * replaced_numbers:
            return True
    if replaced <= kept:
        return False
    # A template changes its figures and keeps its words (a price report's "rose" may become
    # "fell"); a rewrite that also changed names (a paraphrase says "the president" for
    # "Bush") changed far more prose than figures.
    changed, _, figures = _changes(support, source, suspect)
    return TEMPLATE_PROSE * replaced >= changed - figures


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


def _is_quote(passage: Passage, quoted: np.ndarray, source: Tokens) -> bool:
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


@compiled
def _kept_worth(blocks: np.ndarray, common: np.ndarray, facts: np.ndarray, shared: np.ndarray) -> float:
    """Of the prose words (not facts in the source) the blocks keep, and not common in the
    suspect: each word's share among the ``shared`` other sources holding it, and this one."""
    worth = 0.0
    for b in range(len(blocks)):
        i, j, n = blocks[b, 0], blocks[b, 1], blocks[b, 2]
        for k in range(n):
            if not common[i + k] and not facts[j + k]:
                worth += 1.0 / (1 + shared[i + k])
    return worth


def _none(length: int) -> np.ndarray:
    return np.zeros(length, dtype=bool)


@compiled
def _kept_common_prose(blocks: np.ndarray, common: np.ndarray, facts: np.ndarray) -> int:
    """Of the prose words (not facts in the source) the blocks keep, how many are common in the suspect."""
    found = 0
    for b in range(len(blocks)):
        i, j, n = blocks[b, 0], blocks[b, 1], blocks[b, 2]
        for k in range(n):
            if common[i + k] and not facts[j + k]:
                found += 1
    return found


def _share(flags: np.ndarray, start: int, end: int) -> float:
    return int(flags[start:end].sum()) / max(1, end - start)
