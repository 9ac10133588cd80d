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
  :func:`unspin.chains.chained`). When they cover most of the suspect or most of the source, the suspect
  is a whole copy; otherwise it reused some passages (``partial``) if one of them is long
  enough.
* **How was it changed?** A whole copy that keeps nearly every word is a ``copy``; one whose
  changes are mostly word-for-word swaps is ``spun``; one whose changes are longer
  rewrites around what it kept is a ``paraphrase``.

Two kinds of shared text are not copying. **A template** (an earnings table, a price report,
a results table, a notice) repeated with new figures keeps its words and changes its numbers
and names, where a copy, spun or not, keeps them: a pair whose aligned passages replaced most
of the source's figures and names by others is two instances of one template, ``original``
(:func:`unspin.figures.is_template`), and a change of figures alone is never a swap. **Stock text** (a stock
phrase, a template's lines, boilerplate) is what many sources of the collection share: the
checker marks the suspect's words inside phrases that the index finds in many sources
(:meth:`unspin.index.Index.common`), and they are not evidence of copying. Nor, in full, is
phrasing that a few of the suspect's candidate sources share without being copies of each
other (a family's boilerplate): a word's evidence of copying from a source is shared out among
the unrelated sources that hold it in the same phrase (:mod:`unspin.neighbours`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from unspin.align import one_reuse
from unspin.chains import MIN_DENSITY, chained, is_dense, near_evidence
from unspin.passage import Passage
from unspin.ends import whole_source_sentences
from unspin.summary import summed_up
from unspin.quotes import is_quote, quoted_in_source, quoted_words
from unspin.bags import matched_one_for_one, sentence_stems
from unspin.figures import change_counts, is_template
from unspin import worth
from unspin.tokenize import Tokens, running_count

MIN_EVIDENCE = 12  # prose words kept in order: more than a stock phrase
MIN_PARTIAL = 20  # prose words kept in order by the longest passage of a partial copy
LONG_RUN = 2 * MIN_PARTIAL  # words kept in order, names and figures too, that show copying whatever they are
WHOLE = 0.5  # share of the suspect inside the copy from which it is a whole copy
WHOLE_SOURCE = 0.8  # share of the source inside the copy from which it is one too: nearly all of it
COPY_SPIN = 0.1  # at most this share of the aligned source words changed: a copy
SPUN_SWAPS = 0.6  # share of changed words in swaps from which a changed copy is spun
FURTHER_SIMILARITY = 0.5  # tf-idf cosine of a passage of sentences' two sides from which it is evidence beside other evidence
# Of a passage of sentences' suspect words, the share its diff keeps in order from the source side
# from which the suspect side is the source's words, condensed: a text of its own writes more of its own.
CONDENSED = 0.5



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
          shared: np.ndarray | Callable[[], np.ndarray] | None = None,
          most_shared: float | None = None) -> Judgement:
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
    ``most_shared``, the most that ``shared`` can give any word (the other candidate sources
    of the suspect, one each at most), lets a function ``shared`` go uncalled wherever it
    could not change the verdict (see :meth:`_RareProse.reaches`).
    """
    if not passages:
        return Judgement(Verdict.ORIGINAL, 0.0, 0.0, 0.0, 0.0, passages)
    if quoted is None:
        quoted = quoted_words(suspect_text, suspect)
    for passage in passages:
        passage.quote = is_quote(passage, quoted, source)
    rare = _RareProse(suspect, source, common, shared, most_shared)
    evidence = [p for p in passages if is_evidence(p, rare)]
    if not evidence:
        return Judgement(Verdict.ORIGINAL, 0.0, 0.0, 0.0, 0.0, passages)
    # Once reuse of this source is established, reworded sentences that keep as many of its
    # topic words as words kept in order make evidence are more of it: a text that took
    # one passage of a page takes others (each passage alone is held to more, see is_evidence).
    evidence += [p for p in passages if p not in evidence and is_further_evidence(p, rare)]
    judgement = _judged(evidence, passages, suspect, source, rare, stock)
    if judgement.verdict is Verdict.ORIGINAL:
        return judgement
    # Beside reuse established without them, quotations of the source's own prose are more of
    # it (each alone may be a statement that one report quotes and another restates): they
    # extend what was found, never make a finding.
    taken = _quoted_from_source(passages, source, rare)
    if taken:
        more = _judged(evidence + taken, passages, suspect, source, rare, stock)
        if more.verdict is not Verdict.ORIGINAL:
            return more
        for passage in taken:
            passage.quote = True
    return judgement


def _judged(evidence: list[Passage], passages: list[Passage], suspect: Tokens, source: Tokens, rare: _RareProse,
            stock: np.ndarray | Callable[[], np.ndarray] | None) -> Judgement:
    """The judgement of a pair given its evidence passages: their runs, the figures, the verdict."""
    # Once copied prose is established, every dense passage near it counts towards
    # coverage, quotations included: a copy reproduces its source's quotes along with the rest.
    # (A passage of sentences is only ever evidence: its words need not keep their order.)
    chains = chained([p for p in passages if is_dense(p) and (p.kind != "sentences" or p in evidence)])
    chains = near_evidence(chains, evidence)
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
    reported = summed_up(one_reuse(sorted(support, key=lambda p: p.suspect_span), suspect, source), suspect, source)
    # A copy kept word for word ends where its copying did; a rewritten one may have dropped
    # its last sentence's last words, and still took that sentence.
    reported = [whole_source_sentences(p, source) if p.changed > COPY_SPIN * p.source_words else p for p in reported]
    return Judgement(verdict, matched / max(1, len(suspect)), coverage, source_coverage, spin_rate, passages, reported)


def _quoted_from_source(passages: list[Passage], source: Tokens, rare: _RareProse) -> list[Passage]:
    """The quotations that are evidence but for being quoted, whose words the source has as
    its own prose, beside evidence of reuse: more of what the suspect took from this source.
    (Alone, such a quote may be a statement that one report quotes and another restates.)"""
    taken = []
    for passage in passages:
        if passage.quote and not quoted_in_source(passage, source):
            passage.quote = False
            if is_evidence(passage, rare) or is_further_evidence(passage, rare):
                taken.append(passage)
            else:
                passage.quote = True
    return taken


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
    if passage.quote or not is_dense(passage):
        return False
    if passage.kind == "sentences":
        # Sentences whose words were kept but not their order are weaker evidence, word for
        # word, than words kept in order: an outlet's follow-up story rewrites the background
        # paragraph of its first one with half its words. So they must keep as many topic
        # words as a partial copy's longest passage keeps words in order (or hold a run of
        # words kept in order that is evidence by itself), unless they reuse a stretch of
        # sentences as a block (see unspin.seeds.reused_block): the facts two reports share
        # are scattered through both, each in a sentence of its own.
        rare = rare or _RareProse()
        return (_reworded_block(passage, rare.kept(passage), rare) or passage.kept_run >= MIN_EVIDENCE
                or rare.kept_in_order(passage) >= MIN_PARTIAL or _condensed_block(passage, rare))
    if rare is None:
        return _RareProse().kept(passage) >= MIN_EVIDENCE
    # kept_unbroken is kept itself below the bar: reaching it, the passage keeps enough in all.
    return rare.reaches(passage, MIN_EVIDENCE)


def is_further_evidence(passage: Passage, rare: _RareProse | None = None) -> bool:
    """A passage of reworded sentences that is evidence beside a passage that is evidence
    alone: two seeds or more, :data:`MIN_EVIDENCE` topic words kept in sentences matched
    one for one, and its two sides alike (``bag_cosine`` at least :data:`FURTHER_SIMILARITY`):
    a text that writes about its source's subject around what it took shares some of its
    words too, sentence by sentence, but keeps fewer of them together."""
    return (passage.kind == "sentences" and not passage.quote and passage.seeds >= 2
            and passage.bag_cosine >= FURTHER_SIMILARITY and (rare or _RareProse()).kept(passage) >= MIN_EVIDENCE)


def _reworded_block(passage: Passage, kept: int, rare: _RareProse | None = None) -> bool:
    """Whether a passage of sentences that keeps ``kept`` topic words is as long as a partial
    copy's longest passage: :data:`MIN_PARTIAL` of them, or :data:`MIN_EVIDENCE` in a stretch
    of sentences reused as a block unless most of them are names and figures (given ``rare``):
    consecutive lines of names (two team sheets, two lists of one round's fixtures) are the
    facts that two reports of one event share, a block of them or not."""
    if kept >= MIN_PARTIAL:
        return True
    # (A passage of words kept in order counts its prose only, names and figures left out already.)
    names = passage.kind == "sentences" and rare is not None and rare.mostly_names(passage)
    return passage.block and kept >= MIN_EVIDENCE and not names


def _condensed_block(passage: Passage, rare: _RareProse) -> bool:
    """Whether a passage of sentences is its source's stretch condensed: its suspect side
    mostly the source side's words in their order (:data:`CONDENSED`), as many of them prose
    as :func:`_reworded_block` asks of topic words (:data:`MIN_EVIDENCE` in a stretch reused
    as a block). A rewrite that drops most of its source's words keeps fewer topic words than
    a block needs, but what it keeps stays in order; a text of its own on the subject adds
    words of its own between them."""
    return _reworded_block(passage, rare.kept_condensed(passage), rare)


class _RareProse:
    """Counts the source's prose words a passage keeps: in order, or in sentences matched
    one for one; of them, only those that are not stock text of the collection (the
    suspect's ``common`` words), when that is known; and of a word that other sources of
    the collection hold in the same phrase (``shared`` of them), its share: ``1 / (1 + shared)``
    of a word (:mod:`unspin.neighbours`)."""

    def __init__(self, suspect: Tokens | None = None, source: Tokens | None = None,
                 common: np.ndarray | Callable[[], np.ndarray] | None = None,
                 shared: np.ndarray | Callable[[], np.ndarray] | None = None,
                 most_shared: float | None = None) -> None:
        self.suspect, self.source = suspect, source
        # (An array with no word set is None, as a function's value is when first read.)
        self._common = common if common is None or callable(common) or common.any() else None
        self._shared = shared if shared is None or callable(shared) or shared.any() else None
        self._most_shared = most_shared  # the most ``shared`` can give a word, when known
        self._most: np.ndarray | None = None

    @property
    def shared(self) -> np.ndarray | None:
        """How many other sources hold each word of the suspect in a phrase, worked out on first
        need; None when no word is held elsewhere."""
        if callable(self._shared):
            self._shared = self._shared()
            if self._shared is not None and not np.count_nonzero(self._shared):
                self._shared = None
        return self._shared

    @property
    def common(self) -> np.ndarray | None:
        """The suspect's common words, worked out on first need (``common`` may be a function:
        most pairs have no passage long enough to need them), None when there are none."""
        if callable(self._common):
            self._common = self._common()
            if self._common is not None and not np.count_nonzero(self._common):
                self._common = None
        return self._common

    def kept(self, passage: Passage, unshared: bool = False) -> float:
        """The words a passage keeps (see the class); ``unshared``: as if no other source held
        any of them."""
        if passage.kind == "sentences":
            return self._rare_topic_words(passage)
        if passage.matched >= LONG_RUN and self._kept_words(passage, unshared) >= LONG_RUN:
            # A list copied whole (a directory, a menu, a table of names): two reports of one
            # event share names, but not this many in the same order.
            return max(MIN_PARTIAL, self._kept_prose(passage, unshared))
        return self._kept_prose(passage, unshared)

    def kept_in_order(self, passage: Passage) -> float:
        """Of a passage of sentences, the prose words its two sides keep in order, as a
        passage of words counts them, when they keep them as densely (:data:`MIN_DENSITY`);
        else none. Word alignment chains a copy's words through short swaps only: a
        rewrite that swaps words about at every step breaks its chain into pieces too short
        to count, where the diff of the whole stretch still follows it."""
        if passage.kind != "sentences" or passage.matched < MIN_DENSITY * max(passage.source_words, passage.suspect_words):
            return 0
        return self._kept_prose(passage)

    def kept_condensed(self, passage: Passage) -> float:
        """Of a passage of sentences, the prose words its two sides keep in order (as
        :meth:`kept_in_order` counts them) when they are :data:`CONDENSED` of its suspect
        side's words, however many source words it dropped between them; else none."""
        if passage.kind != "sentences" or passage.matched < CONDENSED * passage.suspect_words:
            return 0
        return self._kept_prose(passage)

    def reaches(self, passage: Passage, bar: int) -> bool:
        """Whether :meth:`kept_unbroken` of a passage reaches ``bar``, asking the other sources'
        shares (``shared``, when a function: the costly part) only when bounds leave it open.

        Shares only take words off: the passage's count as if no other source held a word is
        the most it can be, and below the bar it settles the answer. Nor can a word's share
        exceed ``most_shared``: the longest unbroken stretch's worth at that share everywhere
        is the least the count can be (each word's worth only falls as its share grows, and
        :meth:`kept_unbroken` is never less than that stretch's worth), and at the bar it
        settles the answer too. A copy's long passages reach the bar either way, the short
        ones of a text on the same subject miss it either way."""
        if callable(self._shared) and self._most_shared is not None and self._bounded(passage):
            if self.kept(passage, unshared=True) < bar:
                return False
            if self._least_unbroken(passage) >= bar:
                return True
        return self.kept_unbroken(passage, bar) >= bar

    def _bounded(self, passage: Passage) -> bool:
        return self.suspect is not None and self.source is not None and len(passage.blocks) > 0

    def _least_unbroken(self, passage: Passage) -> float:
        """The worth of a passage's longest unbroken stretch (see :meth:`kept_unbroken`) were
        every word held by ``most_shared`` other sources."""
        if self._most is None:  # the same for every passage of the pair
            self._most = np.full(len(self.suspect), self._most_shared, dtype=np.float64)  # type: ignore[arg-type]
        most = self._most
        common = self.common if self.common is not None else _none(len(most))
        return worth.unbroken_worth(passage.blocks, common, self.source.facts_mask, most, self._immutable_counts())

    def _immutable_counts(self) -> np.ndarray:
        source = self.source
        return source.derived("immutable counts", lambda: running_count(source.immutable_mask))  # type: ignore[union-attr]

    def kept_unbroken(self, passage: Passage, bar: int = MIN_PARTIAL) -> float:
        """:meth:`kept`, in a passage whose words other sources also hold (a family's
        phrasing: their shares take a word or more off it, see ``shared``): of its longest
        stretch that no rewrite breaks (see :func:`_unbroken_worth`), when the whole passage
        reaches ``bar``.

        A copy, spun or edited, keeps its source's prose around swaps and an editor's
        touches. Two texts that restate one rule in their family's terms (two filings' notes
        on earnings per share, two towns' clauses on impounded dogs) keep those terms
        between phrases each wrote its own way: their kept words add up to a passage, but no
        stretch of theirs is one. Where no other source holds a passage's words, its
        rewrites are an editor's (a translated or obfuscated copy) and the whole counts."""
        whole = self.kept(passage)
        shared = self.shared
        if whole < bar or self.source is None or len(passage.blocks) < 2 or shared is None:
            return whole
        if passage.matched >= LONG_RUN and self._kept_words(passage) >= LONG_RUN:
            return whole  # a list copied whole (see kept)
        common = self.common if self.common is not None else _none(len(shared))
        if worth.shared_off(passage.blocks, common, self.source.facts_mask, shared) < 1:
            return whole  # other sources hold less than a word of it: an editor's changes to copied prose
        return worth.unbroken_worth(passage.blocks, common, self.source.facts_mask, shared, self._immutable_counts())

    def _kept_prose(self, passage: Passage, unshared: bool = False) -> int:
        # Prose, not facts: two reports of one event share its names and numbers (a team
        # sheet, a list of results) without copying each other's sentences. Taking stock
        # words away can only lower the count: below the evidence bar, no need to look.
        if passage.matched_prose < MIN_EVIDENCE or self.source is None or not len(passage.blocks):
            return passage.matched_prose
        return self._worth(passage, passage.matched_prose, self.source.facts_mask, unshared)

    def _kept_words(self, passage: Passage, unshared: bool = False) -> float:
        """The words a passage keeps in order, facts too, less the collection's stock text."""
        if self.source is None or not len(passage.blocks):
            return passage.matched
        return self._worth(passage, passage.matched, np.zeros(len(self.source), dtype=bool), unshared)

    def _worth(self, passage: Passage, kept: int, facts: np.ndarray, unshared: bool = False) -> float:
        """Of the ``kept`` words (not ``facts`` in the source) of a passage: those that are not
        the collection's stock text, each worth its share among the sources holding it
        (``unshared``: a whole word each)."""
        common, shared = self.common, None if unshared else self.shared
        if shared is not None:
            return worth.kept_worth(passage.blocks, common if common is not None else _none(len(shared)), facts, shared)
        if common is None:
            return kept
        return kept - worth.kept_common_prose(passage.blocks, common, facts)

    def mostly_names(self, passage: Passage) -> bool:
        """Whether most of the topic words that a passage's two sides match one for one by
        stem are the source's names and figures (the source's: a rewrite moves words about,
        and a word it moved to a sentence's start is no name)."""
        if self.suspect is None or self.source is None:
            return False
        (s0, s1), (t0, t1) = passage.suspect_span, passage.source_span
        ours = sentence_stems(self.suspect)[s0:s1]
        prose = matched_one_for_one(ours, sentence_stems(self.source, prose=True)[t0:t1])
        return 2 * prose < matched_one_for_one(ours, sentence_stems(self.source)[t0:t1])

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


def _verdict(
    evidence: list[Passage], support: list[Passage], coverage: float, source_coverage: float, spin_rate: float,
    source: Tokens | None = None, suspect: Tokens | None = None, rare: _RareProse | None = None,
) -> Verdict:
    if not is_whole(coverage, source_coverage):
        # A passage of sentences that is evidence keeps as many topic words as a partial
        # copy's longest passage keeps words in order (or holds such a passage); so does a
        # run of words that is the reuse of sentences reused as a block.
        rare = rare or _RareProse()
        longest = any(rare.reaches(p, MIN_PARTIAL) if p.kind != "sentences" and not p.block else
                      _reworded_block(p, rare.kept(p), rare) or p.kept_run >= MIN_PARTIAL
                      or rare.kept_in_order(p) >= MIN_PARTIAL or _condensed_block(p, rare) for p in evidence)
        return Verdict.PARTIAL if longest else Verdict.ORIGINAL
    if spin_rate <= COPY_SPIN:
        return Verdict.COPY
    changed, swapped, figures = change_counts(support, source, suspect)
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


def _none(length: int) -> np.ndarray:
    return np.zeros(length, dtype=bool)
