"""Cluster: every group of copies inside one collection, with no index built beforehand.

A self-join in five stages. Each stage is a plain function over documents, features or
pairs, so the local engine (this module, NumPy and multiprocessing) and the Spark engine
(:mod:`unspin.crawl.spark`) run the very same code and give the same groups:

1. **read** the collection; a document id seen twice keeps its longest text
   (:func:`pick`); texts identical up to white space are folded into one representative
   (:func:`text_digest`), the others join its group as verbatim copies.
2. **fingerprint** each representative with the index's features (:func:`profile`).
3. **candidates**: documents that share features. Each feature lists the documents that
   have it; a feature in more than ``max_df`` documents (boilerplate, common phrases) is
   skipped, as search engines skip stop words; every pair in a feature's list gets a vote,
   and a pair with enough shared features (:func:`is_candidate`: at least 10, and 10% of
   the smaller document's features that are in at most ``max_df`` documents) is aligned.
4. **align and judge** each candidate pair with the core's :func:`unspin.check.compare`: the
   more likely original of the two (:func:`precedence`: earliest date, else the longer
   text, else the smaller id) is the source, the other the suspect. A pair judged anything
   but ``original`` is an edge.
5. **group**: connected components of the edges (union-find). Each group's original is its
   member first by :func:`precedence`; every other member is judged against it (an
   extra alignment when no edge joins them directly), else keeps its strongest edge.

Output: one JSON object per group, keyed by document ids (:func:`group_json`): its original,
the whole copies of it (to drop) and, apart, the partial copies (text of their own around
passages of it).
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import xxhash

from unspin.check import compare
from unspin.document import Document, ReadError
from unspin.fingerprint import fingerprint
from unspin.judge import Verdict
from unspin.read import Limits, Selection
from unspin.tokenize import Tokens, tokenize

MAX_DF = 100  # a feature shared by more documents than this proposes no pairs
MIN_SHARED = 10  # features a pair must share to be aligned...
MIN_SHARED_SHARE = 0.1  # ...and this share of the smaller document's features


# --- the shared stage functions (both engines) -----------------------------------------


def pick(a: Document, b: Document) -> Document:
    """Of two documents with one id, the one kept: the longer text, then the smaller text."""
    return min(a, b, key=lambda d: (-len(d.text), d.text))


def text_digest(text: str) -> str:
    """A digest of a text up to white space: equal digests are verbatim duplicates."""
    return xxhash.xxh3_128_hexdigest(" ".join(text.split()).encode("utf-8", "surrogatepass"))


@dataclass(frozen=True)
class Meta:
    """What deciding the original needs of a document."""

    date: str | None
    words: int


def precedence(doc_id: str, meta: Meta) -> tuple:
    """Sort key of the likely original: earliest date (dated before undated), most words, id."""
    return (meta.date is None, meta.date or "", -meta.words, doc_id)


def profile(document: Document) -> tuple[np.ndarray, Meta]:
    """A document's features (as in the index) and its metadata."""
    tokens = tokenize(document.text)
    date = (document.date or "").strip()[:10] or None
    return fingerprint(tokens), Meta(date, len(tokens))


def is_candidate(shared: Any, size_a: Any, size_b: Any) -> Any:
    """Whether two documents share enough features to be worth aligning (numbers or arrays).

    ``shared`` counts the features both have among those in at most ``max_df`` documents;
    ``size_a`` and ``size_b`` count each one's features among those (its *informative*
    features, ones it alone has included). Measuring the share against the informative
    features rather than all of them keeps recall as the collection grows: at 100,000
    generated documents most content words are in more than ``max_df`` documents, and a
    spun copy sharing 30 of its 70 informative features with its source (but 30 of its 300
    features in all) is still found.
    """
    return (shared >= MIN_SHARED) & (shared >= MIN_SHARED_SHARE * np.maximum(1, np.minimum(size_a, size_b)))


@dataclass(frozen=True)
class Edge:
    """A judged pair: the suspect, the source it was judged against, and the judgement."""

    suspect: str
    source: str
    verdict: str
    score: float
    coverage: float
    source_coverage: float
    spin_rate: float

    def json(self) -> dict[str, Any]:
        return {
            "suspect": self.suspect, "source": self.source, "verdict": self.verdict,
            "score": self.score, "coverage": self.coverage,
            "source_coverage": self.source_coverage, "spin_rate": self.spin_rate,
        }


def judge_pair(
    a: Document, b: Document, meta_a: Meta, meta_b: Meta,
    tokens: Callable[[Document], Tokens] = lambda d: tokenize(d.text),
) -> Edge:
    """Judge the later of two documents (by :func:`precedence`) against the earlier."""
    source, suspect = (a, b) if precedence(a.id, meta_a) <= precedence(b.id, meta_b) else (b, a)
    return judge_against(suspect, source, tokens)


def judge_against(suspect: Document, source: Document, tokens: Callable[[Document], Tokens] = lambda d: tokenize(d.text)) -> Edge:
    """Judge ``suspect`` against ``source`` with the core's alignment and judge."""
    judgement = compare(suspect, tokens(suspect), source, tokens(source)).judgement
    return Edge(
        suspect.id, source.id, judgement.verdict.value,
        round(judgement.score, 4), round(judgement.coverage, 4),
        round(judgement.source_coverage, 4), round(judgement.spin_rate, 4),
    )


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class Group:
    original: str
    members: list[str]  # every member but the original, in id order
    edges: list[Edge] = field(default_factory=list)


def build_groups(edges: Iterable[Edge], metas: dict[str, Meta]) -> list[Group]:
    """Connected components of the copy edges, each with its original; sorted by original id."""
    found = UnionFind()
    kept = [e for e in edges if e.verdict != Verdict.ORIGINAL.value]
    for edge in kept:
        found.union(edge.suspect, edge.source)
    components: dict[str, list[str]] = {}
    for doc_id in found.parent:
        components.setdefault(found.find(doc_id), []).append(doc_id)
    by_root: dict[str, list[Edge]] = {}
    for edge in kept:
        by_root.setdefault(found.find(edge.suspect), []).append(edge)
    groups = []
    for root, ids in components.items():
        original = min(ids, key=lambda i: precedence(i, metas[i]))
        members = sorted(i for i in ids if i != original)
        group_edges = sorted(by_root.get(root, []), key=lambda e: (e.suspect, e.source))
        groups.append(Group(original, members, group_edges))
    return sorted(groups, key=lambda g: g.original)


def missing_judgements(groups: list[Group]) -> list[tuple[str, str]]:
    """(member, original) pairs of members that no edge judges against their original."""
    needed = []
    for group in groups:
        direct = {e.suspect for e in group.edges if e.source == group.original}
        needed.extend((m, group.original) for m in group.members if m not in direct)
    return needed


def group_json(number: int, group: Group, extra: dict[tuple[str, str], Edge], duplicates: dict[str, list[str]],
               metas: dict[str, Meta]) -> dict[str, Any]:
    """One group as JSON: its original and each member's verdict against it.

    A member that its original does not explain (a copy of a copy that kept too little
    of the first) keeps its strongest edge, with that edge's source. Whole copies (copy,
    spun, paraphrase) are the ``members``, what a curator drops; a ``partial`` member reused
    some passages in text of its own, and is listed apart: dropping it would lose that text.
    """
    members = []
    for member in group.members:
        edge = next((e for e in group.edges if e.suspect == member and e.source == group.original), None)
        edge = edge or extra.get((member, group.original))
        if edge is None or edge.verdict == Verdict.ORIGINAL.value:
            touching = [e for e in group.edges if member in (e.suspect, e.source)]
            edge = max(touching, key=lambda e: (e.score, e.coverage, e.source, e.suspect))
        members.append(_member_json(member, edge, metas))
    for representative in [group.original, *group.members]:
        for duplicate in duplicates.get(representative, []):
            members.append({"id": duplicate, "verdict": "copy", "source_id": representative, "duplicate": True,
                            "score": 1.0, "coverage": 1.0, "spin_rate": 0.0, "date": None})
    members.sort(key=lambda m: m["id"])
    return {
        "group": number,
        "original": group.original,
        "date": metas[group.original].date,
        "words": metas[group.original].words,
        "size": 1 + len(members),
        "members": [m for m in members if m["verdict"] != Verdict.PARTIAL.value],
        "partial": [m for m in members if m["verdict"] == Verdict.PARTIAL.value],
        "pairs": [e.json() for e in group.edges],
    }


def _member_json(member: str, edge: Edge, metas: dict[str, Meta]) -> dict[str, Any]:
    other = edge.source if edge.suspect == member else edge.suspect
    return {
        "id": member, "verdict": edge.verdict, "source_id": other,
        "score": edge.score, "coverage": edge.coverage, "spin_rate": edge.spin_rate,
        "date": metas[member].date,
    }


def fold_duplicates(documents: Iterable[Document], metas: dict[str, Meta]) -> tuple[list[Document], dict[str, list[str]]]:
    """One representative per text (the first by precedence); the others, by representative."""
    by_digest: dict[str, list[Document]] = {}
    for document in documents:
        by_digest.setdefault(text_digest(document.text), []).append(document)
    representatives, duplicates = [], {}
    for docs in by_digest.values():
        docs.sort(key=lambda d: precedence(d.id, metas[d.id]))
        representatives.append(docs[0])
        if len(docs) > 1:
            duplicates[docs[0].id] = sorted(d.id for d in docs[1:])
    representatives.sort(key=lambda d: d.id)
    return representatives, duplicates


def finish(groups: list[Group], extra: Iterable[Edge], duplicates: dict[str, list[str]],
           metas: dict[str, Meta]) -> list[dict[str, Any]]:
    """Groups as JSON, including groups made only of verbatim duplicates."""
    extra_map = {(e.suspect, e.source): e for e in extra}
    grouped = {g.original for g in groups} | {m for g in groups for m in g.members}
    for representative in duplicates:
        if representative not in grouped:
            groups.append(Group(representative, []))
    groups.sort(key=lambda g: g.original)
    return [group_json(n, g, extra_map, duplicates, metas) for n, g in enumerate(groups, start=1)]


# --- the local engine ------------------------------------------------------------------


@dataclass
class ClusterStats:
    documents: int = 0
    duplicates: int = 0
    candidates: int = 0
    aligned: int = 0
    groups: int = 0
    errors: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def candidate_pairs(features: list[np.ndarray], max_df: int = MAX_DF) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs ``a < b`` of document numbers worth aligning, with their shared-feature counts.

    Each document's features must be distinct (as :func:`unspin.fingerprint.fingerprint`
    makes them).
    """
    n = len(features)
    if n < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64)
    lengths = np.fromiter((len(f) for f in features), dtype=np.int64, count=n)
    all_features = np.concatenate(features)
    owners = np.repeat(np.arange(n, dtype=np.int64), lengths)
    order = np.argsort(all_features, kind="stable")
    all_features, owners = all_features[order], owners[order]
    starts = np.flatnonzero(np.r_[True, all_features[1:] != all_features[:-1]])
    counts = np.diff(np.r_[starts, len(all_features)])
    sizes = np.bincount(owners[np.repeat(counts, counts) <= max_df], minlength=n)  # informative features
    keep = (counts >= 2) & (counts <= max_df)
    codes = []
    for size in np.unique(counts[keep]):
        group_starts = starts[keep & (counts == size)]
        members = np.sort(owners[group_starts[:, None] + np.arange(size)], axis=1)
        rows, cols = np.triu_indices(int(size), k=1)
        codes.append((members[:, rows] * n + members[:, cols]).ravel())
    if not codes:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64)
    pairs, shared = np.unique(np.concatenate(codes), return_counts=True)
    a, b = pairs // n, pairs % n
    chosen = is_candidate(shared, sizes[a], sizes[b])
    return a[chosen], b[chosen], shared[chosen]


# Worker state, inherited through fork (the parent sets it before starting the pool).
_shared: dict[str, Any] = {}


@lru_cache(maxsize=4096)
def _tokens_of(number: int) -> Tokens:
    return tokenize(_shared["documents"][number].text)


def _tokens(document: Document) -> Tokens:
    return _tokens_of(_shared["numbers"][document.id])


def _judge_numbers(pair: tuple[int, int, Meta, Meta]) -> Edge:
    documents = _shared["documents"]
    return judge_pair(documents[pair[0]], documents[pair[1]], pair[2], pair[3], _tokens)


def _judge_ids(pair: tuple[str, str]) -> Edge:
    documents, numbers = _shared["documents"], _shared["numbers"]
    return judge_against(documents[numbers[pair[0]]], documents[numbers[pair[1]]], _tokens)


def _profile_number(number: int) -> tuple[np.ndarray, Meta]:
    return profile(_shared["documents"][number])


def _read_task(task: Any) -> list[Document | ReadError]:
    from unspin.crawl.scan import Task
    from unspin.read import read_file
    from unspin.warc import page_document

    assert isinstance(task, Task)
    limits = _shared.get("limits", Limits())
    if task.kind == "error":
        return [task.item]
    if task.kind == "pages":
        return [d for d in (page_document(page, limits) for page in task.item) if d is not None]
    if task.kind == "documents":
        return list(task.item)
    if task.kind == "file":
        return list(read_file(task.item.path, limits, task.item.name))
    return []


def read_collection(paths: list[str], workers: int, limits: Limits = Limits(),
                    on_error: Callable[[ReadError], None] | None = None,
                    selection: Selection | None = None) -> tuple[list[Document], int]:
    """Every document under ``paths`` (extracted in parallel), one per id (:func:`pick`)."""
    from unspin.crawl.scan import plan

    tasks = plan(paths, set(), limits, selection)
    _shared["limits"] = limits
    by_id: dict[str, Document] = {}
    errors = 0
    with _pool(workers) as pool:
        results = pool.imap(_read_task, tasks, chunksize=4) if pool else map(_read_task, tasks)
        for items in results:
            for item in items:
                if isinstance(item, ReadError):
                    errors += 1
                    if on_error:
                        on_error(item)
                elif item.id in by_id:
                    by_id[item.id] = pick(by_id[item.id], item)
                else:
                    by_id[item.id] = item
    return [by_id[k] for k in sorted(by_id)], errors


class _pool:
    """A fork pool when there is more than one worker, else nothing (run in this process)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def __enter__(self) -> Any:
        if self.workers <= 1:
            return None
        context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        self.pool = context.Pool(self.workers)
        return self.pool

    def __exit__(self, *exc: object) -> None:
        if self.workers > 1:
            self.pool.terminate()
            self.pool.join()


def cluster_documents(documents: list[Document], workers: int = 0, max_df: int = MAX_DF,
                      stats: ClusterStats | None = None) -> list[dict[str, Any]]:
    """The groups of copies among ``documents`` (one per id), with the local engine."""
    import time

    stats = stats if stats is not None else ClusterStats()
    workers = workers or os.cpu_count() or 1
    clock = time.perf_counter()
    _shared.update(documents=documents, numbers={d.id: i for i, d in enumerate(documents)})
    _tokens_of.cache_clear()
    with _pool(workers) as pool:
        mapper = (lambda f, xs: pool.map(f, xs, chunksize=64)) if pool else (lambda f, xs: list(map(f, xs)))
        profiles = mapper(_profile_number, range(len(documents)))
        metas = {d.id: p[1] for d, p in zip(documents, profiles)}
        _shared["metas"] = metas  # the workers need it only from the alignment on, sent with each task
        representatives, duplicates = fold_duplicates(documents, metas)
        stats.documents, stats.duplicates = len(documents), len(documents) - len(representatives)
        numbers = _shared["numbers"]
        chosen = np.fromiter((numbers[d.id] for d in representatives), dtype=np.int64, count=len(representatives))
        stats.seconds["fingerprint"] = time.perf_counter() - clock
        clock = time.perf_counter()
        a, b, _ = candidate_pairs([profiles[i][0] for i in chosen], max_df)
        a, b = chosen[a], chosen[b]
        stats.candidates = len(a)
        stats.seconds["candidates"] = time.perf_counter() - clock
        clock = time.perf_counter()
        pairs = [(int(x), int(y), metas[documents[x].id], metas[documents[y].id]) for x, y in zip(a, b)]
        edges = mapper(_judge_numbers, pairs)
        groups = build_groups(edges, metas)
        extra = mapper(_judge_ids, missing_judgements(groups))
        stats.aligned = len(edges) + len(extra)
        stats.seconds["align"] = time.perf_counter() - clock
    result = finish(groups, extra, duplicates, metas)
    stats.groups = len(result)
    _shared.clear()
    return result


def cluster_paths(paths: list[str], workers: int = 0, max_df: int = MAX_DF, limits: Limits = Limits(),
                  on_error: Callable[[ReadError], None] | None = None,
                  stats: ClusterStats | None = None, selection: Selection | None = None) -> list[dict[str, Any]]:
    """Read a collection and cluster it with the local engine."""
    import time

    stats = stats if stats is not None else ClusterStats()
    workers = workers or os.cpu_count() or 1
    clock = time.perf_counter()
    documents, stats.errors = read_collection(paths, workers, limits, on_error, selection)
    read_seconds = time.perf_counter() - clock
    groups = cluster_documents(documents, workers, max_df, stats)
    stats.seconds = {"read": read_seconds, **stats.seconds}
    return groups


def write_groups(groups: Iterable[dict[str, Any]], stream: Any) -> None:
    for group in groups:
        stream.write(json.dumps(group, ensure_ascii=False) + "\n")
