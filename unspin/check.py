"""Check suspects against the index: retrieve, align, judge.

The one function that the CLI, the server and the batch jobs call to check a document.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from unspin.align import align
from unspin.document import Document, ReadError
from unspin.fingerprint import fingerprint
from unspin.index import Index
from unspin.judge import Judgement, Verdict, judge
from unspin.tokenize import Tokens, tokenize

CANDIDATES = 10  # sources retrieved per suspect
RELATIVE_FLOOR = 0.2  # candidates scoring under this share of the best are not aligned


@dataclass
class Match:
    """A suspect paired with one source, with the judgement on the pair."""

    source: Document
    judgement: Judgement

    @property
    def verdict(self) -> Verdict:
        return self.judgement.verdict


@dataclass
class Result:
    """The outcome of checking one suspect: its verdict and its matches, best first."""

    suspect: Document
    verdict: Verdict
    matches: list[Match] = field(default_factory=list)


class Checker:
    """Checks suspects against one index, keeping recently used sources' words at hand."""

    def __init__(self, index: Index, candidates: int = CANDIDATES, cache_size: int = 512) -> None:
        self.index = index
        self.candidates = candidates
        self._cache: OrderedDict[int, tuple[Document, Tokens]] = OrderedDict()
        self._cache_size = cache_size

    def check(self, suspect: Document) -> Result:
        """Judge one suspect against the index."""
        words = tokenize(suspect.text)
        candidates = self.index.candidates(fingerprint(words), self.candidates)
        matches = []
        for candidate in candidates:
            if candidate.score < RELATIVE_FLOOR * candidates[0].score:
                break
            source = self._source(candidate.number)
            if source is None:  # removed since retrieval
                continue
            match = compare(suspect, words, *source)
            if match.verdict is not Verdict.ORIGINAL:
                matches.append(match)
        matches.sort(key=lambda m: (-m.judgement.score, -m.judgement.coverage, m.source.id))
        return Result(suspect, matches[0].verdict if matches else Verdict.ORIGINAL, matches)

    def check_all(self, inputs: Iterable[Document | ReadError]) -> Iterator[Result | ReadError]:
        """Check every readable input; unreadable ones pass through as errors."""
        for item in inputs:
            yield item if isinstance(item, ReadError) else self.check(item)

    def _source(self, number: int) -> tuple[Document, Tokens] | None:
        if number in self._cache:
            self._cache.move_to_end(number)
            return self._cache[number]
        document = self.index.get_number(number)
        if document is None:
            return None
        entry = (document, tokenize(document.text))
        self._cache[number] = entry
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return entry


def compare(suspect: Document, suspect_words: Tokens, source: Document, source_words: Tokens) -> Match:
    """Align and judge one suspect against one source."""
    passages = align(suspect_words, source_words)
    return Match(source, judge(suspect.text, suspect_words, source_words, passages))


def compare_texts(suspect_text: str, source_text: str) -> Judgement:
    """Judge two plain texts against each other, without an index."""
    suspect, source = tokenize(suspect_text), tokenize(source_text)
    return judge(suspect_text, suspect, source, align(suspect, source))
