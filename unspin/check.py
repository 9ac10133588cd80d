"""Check suspects against the index: retrieve, align, judge.

The one function that the CLI, the server and the batch jobs call to check a document.
"""

from __future__ import annotations

import functools
import os
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from unspin.align import align, passage_spans
from unspin.document import Document, ReadError
from unspin.fingerprint import SHINGLE_SIZE, content_features, fingerprint, flags_of, sampled_shingles
from unspin.foreign import Translator, in_original, translated
from unspin.index import Index
from unspin.postings import Candidate
from unspin.intrinsic import Intrinsic, score as intrinsic_score
from unspin.jit import compiled
from unspin.judge import MIN_EVIDENCE, Judgement, Verdict, judge
from unspin.quotes import quoted_words
from unspin.language import detect_language, load_identifier
from unspin.local import DENSE_SPAN, TopicWords
from unspin.neighbours import Neighbours
from unspin.passage import Span
from unspin.tokenize import Tokens, tokenize
from unspin.translate import Translation

CANDIDATES = 10  # sources retrieved per suspect
WINDOW = 200  # words of a long suspect retrieved for on their own, windows overlapping by half
WINDOW_CANDIDATES = 5  # best sources of each window aligned
WINDOWED = 5 * WINDOW  # words from which a suspect is retrieved for window by window too
ALWAYS_ALIGNED = 4  # the best candidates are aligned whatever their scores
RELATIVE_FLOOR = 0.5  # further candidates are aligned only when they score this share of the best
EXPLAINED = 0.9  # a match covering this share of the suspect leaves nothing for weak candidates
BATCH = 32  # suspects retrieved together by check_all
KEYS_PER_SOURCE_CACHED = 8  # sources whose keys are kept, for each source kept whole


@dataclass
class Match:
    """A suspect paired with one source, with the judgement on the pair."""

    source: Document
    judgement: Judgement

    @property
    def verdict(self) -> Verdict:
        return self.judgement.verdict


class _OnFirstRead:
    """A field whose value may be given as a function of no arguments, called when the field is
    first read and its value kept: what a caller may never read costs nothing."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = "_" + name

    def __get__(self, result: Any, owner: type | None = None) -> Any:
        if result is None:  # the class's default, for dataclass
            return None
        value = getattr(result, self._name)
        if callable(value):
            value = value()
            setattr(result, self._name, value)
        return value

    def __set__(self, result: Any, value: Any) -> None:
        setattr(result, self._name, value)


@dataclass
class Result:
    """The outcome of checking one suspect: its verdict and its matches, best first."""

    suspect: Document
    verdict: Verdict
    matches: list[Match] = field(default_factory=list)
    words: int = 0  # the suspect's words, as tokenized
    # Sources the suspect shares only quotations with (an official statement every outlet
    # quotes): not copying, so not matches, but shown; their evidence is the quotations.
    shared_quotes: list[Match] = field(default_factory=list)
    # The suspect's spin score from its own words, whatever the index holds (unspin/intrinsic.py).
    # The checker gives it as a function, worked out when first read (a report, the JSON): a
    # caller that wants only the matches never pays for it.
    intrinsic: Intrinsic | Callable[[], Intrinsic] | None = _OnFirstRead()  # type: ignore[assignment]
    language: str | None = None  # the suspect's (unspin.language), None when too short to tell
    # A suspect in another language is checked through its English translation (unspin.foreign);
    # every offset above points into its own text all the same.
    translation: Translation | None = None


class Checker:
    """Checks suspects against one index, keeping recently used sources' words at hand.

    Each candidate is first aligned on its stored word keys alone (cheap, and the same
    passages that :func:`unspin.align.align` finds); only a candidate with a passage long
    enough to be evidence is read (its tokens rebuilt from the stored layout), diffed and judged.
    """

    def __init__(self, index: Index, candidates: int = CANDIDATES, cache_size: int = 1024) -> None:
        self.index = index
        self.candidates = candidates
        self._cache: OrderedDict[int, tuple[Document, Tokens]] = OrderedDict()
        self._cache_size = cache_size
        # Keys alone are small (4 bytes a word), and most candidates are ruled out on them:
        # many more sources' keys are kept than whole sources.
        self._keys_cache: OrderedDict[int, np.ndarray] = OrderedDict()
        # Sources' distinct phrases, for the neighbours' test of duplicates: the same sources
        # are candidates of many suspects. Cleared when it grows as large as the keys kept.
        self._phrases: dict[int, np.ndarray] = {}
        self._twins: dict[tuple[int, int], bool] = {}  # pairs of sources that are one text, or not
        # The keys of a batch's candidates not at hand, read in one query, unpacked when first needed.
        self._unread: dict[int, Callable[[], np.ndarray | None]] = {}
        self.translator = Translator()

    def check(self, suspect: Document) -> Result:
        """Judge one suspect against the index."""
        return self.check_many([suspect])[0]

    def check_many(self, suspects: list[Document]) -> list[Result]:
        """Judge several suspects, retrieving their candidates together (faster per suspect
        than one at a time; the results are the same).

        A long suspect is also retrieved for window by window (:data:`WINDOW` words, half
        overlapping): a source that explains a paragraph of a long text shares too little
        with the whole of it to rank among its best, but ranks first for that paragraph."""
        originals = suspects
        words = [tokenize(suspect.text) for suspect in suspects]
        languages = [detect_language(suspect.text, w) for suspect, w in zip(suspects, words)]
        translations = self.translator.translate(suspects, languages)
        if any(translations):  # compared in English, reported in their own text (unspin.foreign)
            suspects = [s if t is None else translated(s, t) for s, t in zip(suspects, translations)]
            words = [w if t is None else tokenize(t.text) for w, t in zip(words, translations)]
        prints = [fingerprint(w) for w in words]
        windows = [(k, start) for k, w in enumerate(words) for start in window_starts(len(w))]
        prints += [fingerprint(words[k], start, start + WINDOW) for k, start in windows]
        flags: list[np.ndarray] = []  # each print's features that many sources hold, found by retrieval
        limits = [self.retrieved(len(w)) for w in words] + [min(WINDOW_CANDIDATES, self.candidates)] * len(windows)
        found = self.index.candidates_of(prints, limits, flags)
        frequent = [_Frequent(p, f, self.index) for p, f in zip(prints, flags)] or [self.index] * len(suspects)
        local: list[dict[int, Candidate]] = [{} for _ in suspects]
        for (k, _), candidates in zip(windows, found[len(suspects):]):
            for candidate in candidates[:WINDOW_CANDIDATES]:
                local[k].setdefault(candidate.number, candidate)
        # (Not those retrieved only for a long text's passages: read when a check reaches them.)
        self._read_keys([c.number for candidates in found[:len(suspects)] for c in candidates[:self.candidates]]
                        + [number for near in local for number in near])
        results = [self._judged(suspect, w, candidates, list(near.values()), stock_text)
                   for suspect, w, candidates, near, stock_text in zip(suspects, words, found, local, frequent)]
        self._unread.clear()
        return [_in_own_language(result, original, language, translation)
                for result, original, language, translation in zip(results, originals, languages, translations)]

    def retrieved(self, words: int) -> int:
        """How many sources are retrieved for a whole suspect of ``words`` words: the checker's
        ``candidates``, and for a longer text one for each stretch of local evidence
        (:data:`~unspin.local.DENSE_SPAN` words) it holds, since each may be a passage of a
        source of its own, which shares too little with the whole text to rank among its best.
        Those beyond ``candidates`` are aligned only when they have local evidence."""
        return max(self.candidates, words // DENSE_SPAN)

    def check_all(self, inputs: Iterable[Document | ReadError], batch: int = BATCH) -> Iterator[Result | ReadError]:
        """Check every readable input, ``batch`` at a time; unreadable ones pass through as
        errors. Results come in input order."""
        pending: list[Document | ReadError] = []
        for item in inputs:
            pending.append(item)
            if len(pending) >= batch:
                yield from self._in_order(pending)
                pending = []
        yield from self._in_order(pending)

    def _in_order(self, items: list[Document | ReadError]) -> Iterator[Result | ReadError]:
        results = iter(self.check_many([item for item in items if not isinstance(item, ReadError)]))
        for item in items:
            yield item if isinstance(item, ReadError) else next(results)

    def _judged(self, suspect: Document, words: Tokens, candidates: list[Candidate],
                local: list[Candidate] = (), stock_text: _Frequent | Index | None = None) -> Result:  # type: ignore[assignment]
        """Align and judge a suspect against its retrieved candidates: the whole suspect's,
        and ``local``, the best of each of its windows (each aligned, whatever its rank).
        ``stock_text`` tells which of the suspect's features many sources hold (the index, by
        default)."""
        frequent = stock_text if stock_text is not None else self.index
        quoted: np.ndarray | None = None
        common: np.ndarray | None = None
        matches, shared_quotes = [], []
        explained = False  # a source already covers nearly all of the suspect
        # The whole suspect's candidates first, then the windows' others: once a source
        # explains the whole suspect (a copy of an article), its windows add nothing.
        ranked, windowed = {c.number for c in candidates}, {c.number for c in local}
        # Local evidence (unspin.local) marks the candidates worth looking at for reworded
        # sentences, whatever their rank: a source of one passage of a long text ranks low.
        # Worked out for a candidate when it is reached, and not at all once a source explains
        # the suspect (a whole copy found: the rest are other outlets' copies of it), which
        # spares reading the keys of a copy's other candidates.
        topic_words = _Once(lambda: TopicWords(words))
        plan = [(c, c.number in windowed) for c in candidates]
        plan += [(c, True) for c in local if c.number not in ranked]
        best = candidates[0].score if candidates else 0.0
        # The most other sources that can share a word of the suspect with one candidate: all
        # the others (unspin.neighbours). The judge settles most passages with it alone, and
        # their neighbours are never worked out (their keys never read).
        most_shared = len(ranked | windowed) - 1
        rank = -1
        for candidate, window in plan:
            rank += 1
            if window and explained:
                continue
            if rank == self.candidates and not explained:  # the first retrieved for passages: all of them at once
                self._read_keys([c.number for c in candidates[self.candidates:]])
            # Whether it has local evidence, worked out only where the answer counts: a
            # candidate aligned whatever it is, whose words keep a passage that is evidence of
            # copying and whose passages span the suspect (a whole copy), never asks.
            near = _Once(lambda number=candidate.number, window=window: not explained and self._near(
                topic_words(), number, window, number in ranked))
            # A partial copy's source may rank below a same-topic article that shares more
            # words, so the first few are always aligned. After them, only close contenders
            # of a source already found are (the same story from another outlet): when none
            # of the best few shares a passage, the rest of a flat field of same-topic
            # articles is more of the same. Once one source explains the whole suspect,
            # only close contenders are aligned at all. A candidate with local evidence, or
            # the best of a window, is aligned whatever its rank.
            close = candidate.score >= RELATIVE_FLOOR * best
            passed_over = ((rank >= self.candidates and candidate.number in ranked)  # see retrieved
                           or (not close and (rank >= ALWAYS_ALIGNED or explained))
                           or (rank >= ALWAYS_ALIGNED and not matches and not local))
            if passed_over and not window and not near():
                continue
            keys = self._keys(candidate.number)
            if keys is None:  # removed since retrieval
                continue
            spans = passage_spans(words, keys)
            # No passage keeps enough words to show copying (the judge's bar, whatever the words
            # are): original against this source, unless the source was among the best for a
            # window of the suspect and its words crowd together there, where reworded sentences
            # (which word alignment cannot follow) may be what it shares. Ruled out here, on the
            # keys, its text is never read nor diffed.
            in_order = any(kept_words(span) >= MIN_EVIDENCE for span in spans)
            if not in_order and not near():
                continue
            entry = self._source(candidate.number)
            if entry is None:
                continue
            source, source_words = entry
            if quoted is None:
                # The suspect's stock words, worked out once, when a passage first needs them.
                quoted, common = quoted_words(suspect.text, words), _Once(lambda: common_words(words, frequent))
                stock = _Once(lambda: stock_words(words, frequent))
                # The phrases the suspect shares with each of its candidates, all of them
                # (not only those aligned yet): a phrase that several unrelated ones hold is
                # their family's, not one source's (unspin.neighbours).
                # (Not those retrieved only for a long text's passages: see retrieved.)
                nearest = [entry for k, entry in enumerate(plan) if k < self.candidates or entry[1]]
                neighbours = _Once(lambda: self._neighbours(words, nearest))
            # Reworded sentences are looked for against the sources with local evidence (see
            # _near): a text reusing passages of several sources is where they are (PAN's
            # essays); against every candidate, looking costs more than the rest of a check.
            # (Looked for only when the words passages are no match, they cost a partial
            # copy's source less, and PAN's summaries 0.462 -> 0.429 plagdet through the index.)
            reworded = functools.partial(lambda near: (suspect.text, source.text) if near() else None, near)
            passages = align(words, source_words, spans, texts=reworded)
            if not in_order and not any(passage.kind == "sentences" for passage in passages):
                continue  # no run of words long enough, and no reworded sentences: nothing to judge
            shared = functools.partial(lambda number: neighbours().others(number), candidate.number)
            match = Match(source, judge(suspect.text, words, source_words, passages, quoted, common, stock, shared,
                                        most_shared))
            if match.verdict is not Verdict.ORIGINAL:
                matches.append(match)
                explained = explained or match.judgement.coverage >= EXPLAINED
            elif match.judgement.evidence:  # no copied prose, but a long quotation in common
                shared_quotes.append(match)
        matches.sort(key=lambda m: (-m.judgement.score, -m.judgement.coverage, m.source.id))
        shared_quotes.sort(key=lambda m: (-quoted_words_shared(m), m.source.id))
        verdict = matches[0].verdict if matches else Verdict.ORIGINAL
        return Result(suspect, verdict, matches, len(words), shared_quotes, functools.partial(intrinsic_score, words))

    def _neighbours(self, words: Tokens, plan: list[tuple[Candidate, bool]]) -> Neighbours:
        """The suspect's candidate sources, as :class:`unspin.neighbours.Neighbours`."""
        keys = {candidate.number: self._keys(candidate.number) for candidate, *_ in plan}
        if len(self._phrases) > KEYS_PER_SOURCE_CACHED * self._cache_size:
            self._phrases.clear()
            self._twins.clear()
        return Neighbours(words, {number: k for number, k in keys.items() if k is not None}, self._phrases, self._twins)

    def _read_keys(self, numbers: list[int]) -> None:
        """Read the keys of these sources that are not at hand, a few hundred a query (one a
        source costs more), to be unpacked by :meth:`_keys` when needed."""
        missing = [n for n in dict.fromkeys(numbers) if n not in self._cache and n not in self._keys_cache]
        for start in range(0, len(missing), 500):
            self._unread.update(self.index.keys_of(missing[start:start + 500]))

    def _near(self, topic_words: TopicWords, number: int, window: bool, whole: bool) -> bool:
        """Whether a candidate has local evidence (:meth:`unspin.local.TopicWords.is_near`): as
        the best of a window, its words dense in some stretch of the suspect; as a candidate of
        the whole suspect, crowded into one stretch rather than spread through it."""
        keys = self._keys(number)
        return keys is not None and topic_words.is_near(keys, window=window, whole=whole)

    def _keys(self, number: int) -> np.ndarray | None:
        """A source's word keys: from the tokens at hand, else as stored (no tokenizing)."""
        entry = self._cache.get(number)
        if entry is not None:
            return entry[1].key_array
        keys = self._keys_cache.get(number)
        if keys is not None:
            self._keys_cache.move_to_end(number)
            return keys
        unread = self._unread.pop(number, None)
        keys = unread() if unread is not None else self.index.keys(number)
        if keys is not None:
            self._keys_cache[number] = keys
            if len(self._keys_cache) > KEYS_PER_SOURCE_CACHED * self._cache_size:
                self._keys_cache.popitem(last=False)
        return keys

    def _source(self, number: int) -> tuple[Document, Tokens] | None:
        """A source and its tokens, from the cache of recently judged sources or the index."""
        entry = self._cache.get(number)
        if entry is not None:
            self._cache.move_to_end(number)
            return entry
        entry = self.index.tokens(number, self._keys_cache.get(number))  # its keys read already, most often
        if entry is None:
            return None
        self._cache[number] = entry
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return entry


class _Once:
    """A function of no arguments called when first needed, its value kept (functools.cache
    costs several times more to make, and a check makes one for each candidate)."""

    __slots__ = ("_make", "_value")

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make: Callable[[], Any] | None = make
        self._value: Any = None

    def __call__(self) -> Any:
        if self._make is not None:
            self._value, self._make = self._make(), None
        return self._value


def _in_own_language(result: Result, suspect: Document, language: str | None,
                     translation: Translation | None) -> Result:
    """A result as reported: its suspect's language, and the offsets of a translated suspect
    moved into its own text."""
    result.language, result.translation = language, translation
    if translation is not None:
        result.suspect = suspect
        result.intrinsic = None  # worked out on the engine's English, whose oddities are no spinner's
        for match in result.matches + result.shared_quotes:
            match.judgement = in_original(match.judgement, translation)
    return result


class _Frequent:
    """Which features of one suspect many of the index's sources hold (:meth:`Index.common`),
    as retrieval found them for its fingerprint (``features``, sorted, and their ``flags``):
    the judge asks about some of them again, and they are not looked up twice. A feature
    outside the fingerprint is looked up in the ``index``."""

    def __init__(self, features: np.ndarray, flags: np.ndarray, index: Index) -> None:
        self.features, self.flags, self.index = features, flags, index

    def common(self, features: np.ndarray) -> np.ndarray:
        """:meth:`Index.common` of ``features``."""
        if not len(self.features) or features.dtype != self.features.dtype:
            return self.index.common(features)
        flags, found = flags_of(self.features, self.flags, features)
        return flags if found else self.index.common(features)



def kept_words(span: Span) -> int:
    """The words a span keeps, in its blocks: the ``matched`` words of the passage it becomes
    (:func:`unspin.diff.diff_spans`), the most that the judge can count as evidence."""
    return int(np.add.reduce(span.blocks[:, 2])) if len(span.blocks) else 0


def common_words(words: Tokens, index: Index | _Frequent) -> np.ndarray:
    """For each word of a suspect, whether it lies in a phrase that many of the index's
    sources share (:meth:`unspin.index.Index.common`): stock text of the collection.

    A phrase is a sampled word 5-gram (one in four, as the index keeps them): a word is
    common inside a common 5-gram, and between two common words fewer than
    :data:`~unspin.fingerprint.SHINGLE_SIZE` apart (where no 5-gram of a common stretch
    happened to be sampled).
    """
    starts, features = sampled_shingles(words)
    starts = starts[index.common(features)] if len(features) else starts
    return _covered(starts, len(words), SHINGLE_SIZE)


@compiled
def _covered(starts: np.ndarray, count: int, size: int) -> np.ndarray:
    """Of ``count`` words, those inside a run of ``size`` from one of ``starts`` (in order), and
    those between two such words fewer than ``size`` apart: :func:`common_words`' flags."""
    common = np.zeros(count, np.bool_)
    for start in starts:
        common[start:start + size] = True
    last = -1  # the last word covered by a run (filling behind it changes no later gap)
    for k in range(count):
        if common[k]:
            if last >= 0 and 1 < k - last <= size:
                common[last + 1:k] = True
            last = k
    return common


def stock_words(words: Tokens, index: Index | _Frequent) -> np.ndarray:
    """For each word of a suspect, whether it is a topic word that many of the index's sources
    hold (:meth:`unspin.index.Index.common` of its word feature): a template's own names and
    numbers ("Nasdaq", "500" in a market report) are kept by every instance of it."""
    stock = np.zeros(len(words), dtype=bool)
    topic = words.content_mask
    if np.count_nonzero(topic):
        stock[topic] = index.common(content_features(words)[topic])
    return stock


def quoted_words_shared(match: Match) -> int:
    """Words of the shared quotations of a match that is no copy."""
    return sum(passage.matched for passage in match.judgement.evidence)


def window_starts(words: int) -> list[int]:
    """Where the retrieval windows of a text of ``words`` words start: none for a text of
    :data:`WINDOWED` words or less (an article: retrieval for the whole of it finds the source
    of a paragraph, as the benchmark's partial copies show), else every half window."""
    if words <= WINDOWED:
        return []
    return list(range(0, words - WINDOW // 2, WINDOW // 2))


_WARM_UP = ("The harbour board met on Tuesday to discuss the new ferry timetable. Its chair said the "
            "winter sailings would keep their usual times, and that a second boat would join in spring.")


def warm_up(workdir: str) -> float:
    """Load the compiled loops that indexing and checking use (from numba's cache, or
    compiled on a fresh install), by indexing and checking a sentence in ``workdir``, and the
    identifier of languages; the seconds it took. A process pays this once, whenever it first
    needs them; a benchmark pays it before its timing."""
    started = time.perf_counter()
    load_identifier()
    with Index(os.path.join(workdir, "warm-up.db")) as store:
        list(store.add([Document("warm-up", _WARM_UP)]))
        list(Checker(store).check_all([Document("warm-up copy", _WARM_UP)]))
    return time.perf_counter() - started


def compare(suspect: Document, suspect_words: Tokens, source: Document, source_words: Tokens) -> Match:
    """Align and judge one suspect against one source."""
    passages = align(suspect_words, source_words, texts=(suspect.text, source.text))
    return Match(source, judge(suspect.text, suspect_words, source_words, passages))


def compare_documents(suspect: Document, source: Document) -> Result:
    """Judge one suspect against one source, without an index (``unspin compare``, and
    :func:`unspin.compare`): the result holds that source's match whatever its verdict,
    since the source is the one asked about."""
    words = tokenize(suspect.text)
    match = compare(suspect, words, source, tokenize(source.text))
    return Result(suspect, match.verdict, [match], len(words))


def compare_texts(suspect_text: str, source_text: str) -> Judgement:
    """Judge two plain texts against each other, without an index."""
    suspect, source = tokenize(suspect_text), tokenize(source_text)
    return judge(suspect_text, suspect, source, align(suspect, source, texts=(suspect_text, source_text)))
