"""PAN's measures of text alignment, from their definition (Potthast, Stein, Barrón-Cedeño
and Rosso, "An Evaluation Framework for Plagiarism Detection", COLING 2010).

A reuse **case** ``s`` and a **detection** ``r`` are each a pair of character ranges: one in
the suspect, one in the source. Both are read as sets of characters of the two documents.

* ``r`` *detects* ``s`` when they share characters in the suspect *and* in the source;
  ``s ⊓ r`` is then ``s ∩ r`` (the characters they share in both documents), else nothing.
* **recall** = mean over cases of ``|⋃_r (s ⊓ r)| / |s|``;
  **precision** = mean over detections of ``|⋃_s (s ⊓ r)| / |r|`` (macro averages: a short
  case counts as much as a long one).
* **granularity** = mean, over the cases detected at all, of the number of detections that
  detect each: 1 when every case is found in one piece.
* **plagdet** = F1 of precision and recall / log2(1 + granularity).

Cases and detections of different (suspect, source) pairs never detect each other, so the
measures pool over pairs: :class:`Tally` takes them a pair at a time. Pooling every case of a
corpus gives PAN's overall figures (micro over cases), not a mean of per-category figures.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

Range = tuple[int, int]  # [start, end) character offsets


class Annotation(NamedTuple):
    """A reuse case or a detection: where it lies in the suspect and in the source."""

    suspect: Range
    source: Range

    @property
    def size(self) -> int:
        """Its characters in both documents."""
        return _length(self.suspect) + _length(self.source)


def detects(detection: Annotation, case: Annotation) -> bool:
    """Whether the two share characters in both documents (the relation is symmetric)."""
    return _overlaps(detection.suspect, case.suspect) and _overlaps(detection.source, case.source)


def covered(target: Annotation, others: Iterable[Annotation]) -> int:
    """Characters of ``target``, in both documents, inside those of ``others`` that detect it:
    ``|⋃ (target ⊓ other)|``."""
    touching = [other for other in others if detects(other, target)]
    return (_union_within(target.suspect, [o.suspect for o in touching])
            + _union_within(target.source, [o.source for o in touching]))


@dataclass
class Tally:
    """PAN's measures, accumulated over (suspect, source) pairs."""

    cases: int = 0
    detections: int = 0
    recall_sum: float = 0.0  # per case, its share covered
    precision_sum: float = 0.0  # per detection, its share inside cases
    detected_cases: int = 0
    detecting: int = 0  # over detected cases, the detections that detect each

    def add(self, cases: Sequence[Annotation], detections: Iterable[Annotation]) -> None:
        """One pair's true cases and the detections reported for it."""
        found = list(dict.fromkeys(detections))  # a set, as in the definition: a duplicate is one detection
        for case in cases:
            self.cases += 1
            self.recall_sum += covered(case, found) / max(1, case.size)
            count = sum(1 for detection in found if detects(detection, case))
            if count:
                self.detected_cases += 1
                self.detecting += count
        for detection in found:
            self.detections += 1
            self.precision_sum += covered(detection, cases) / max(1, detection.size)

    def merge(self, other: Tally) -> None:
        for name in ("cases", "detections", "recall_sum", "precision_sum", "detected_cases", "detecting"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def recall(self) -> float:
        # As PAN's evaluator: nothing to find and nothing reported is perfect; either one alone, nothing.
        if not self.cases:
            return 1.0 if not self.detections else 0.0
        return self.recall_sum / self.cases

    @property
    def precision(self) -> float:
        if not self.detections:
            return 1.0 if not self.cases else 0.0
        return self.precision_sum / self.detections

    @property
    def granularity(self) -> float:
        return self.detecting / self.detected_cases if self.detected_cases else 1.0

    @property
    def plagdet(self) -> float:
        return plagdet(self.precision, self.recall, self.granularity)

    def scores(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "granularity": self.granularity,
                "plagdet": self.plagdet, "cases": self.cases, "detections": self.detections,
                "detected_cases": self.detected_cases}


def plagdet(precision: float, recall: float, granularity: float) -> float:
    """F1 of precision and recall, discounted by granularity."""
    if precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall) / math.log2(1 + granularity)


def _length(span: Range) -> int:
    return max(0, span[1] - span[0])


def _overlaps(a: Range, b: Range) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[0] < a[1] and b[0] < b[1]


def _union_within(target: Range, spans: list[Range]) -> int:
    """Characters of ``target`` inside at least one of ``spans``."""
    clipped = sorted((max(s, target[0]), min(e, target[1])) for s, e in spans)
    total, reached = 0, target[0]
    for start, end in clipped:
        start = max(start, reached)
        if end > start:
            total += end - start
            reached = end
    return total
