"""The benchmark: recall by spin rate, false alarms, passage accuracy and speed, against datasketch.

One run, on one corpus of real articles, measures unspin and the shingle baseline (datasketch
MinHash + MinHashLSH, 128 permutations, word 5-shingles, threshold 0.5) on the same data:

1. **Corpus.** Read every article; drop exact duplicates (same words) and near-duplicates
   (half or more of either text's word 5-shingles in the other: the re-posted and updated
   stories of a news archive), keeping the first of each group.
2. **Split.** Hold out a random set of articles, the same share of each topic folder; the
   rest are the sources, indexed. A held-out article counts as an *unrelated negative* only
   if it reuses no text of any source: no run of :data:`UNRELATED_RUN` or more words, and no
   copy-edited sentence (see :func:`unrelated`); this is measured with word n-grams and a
   word diff, independently of unspin's detector, and the articles excluded are counted.
3. **Suspects** (each with its true source): copies spun by the spinner at rising rates with
   each thesaurus, reported by the share of the source's words actually changed (measured by
   a word-level diff, not the spinner's target); copies with sentences reordered, dropped, or
   both and spun; partial copies (a passage of a source inside an unrelated held-out article,
   verbatim or spun).
4. **Measures.** recall@1 (the true source ranked first, with a verdict other than
   ``original``), verdict accuracy (the verdict is one of those the condition allows), false
   alarms (a negative with any verdict but ``original``), PAN's plagdet on the aligned
   passages, docs/s to index and to check, peak traced memory, index bytes per document, and
   the *floor*: reading, tokenizing and hashing each word once.

:func:`run` returns the figures as a dict; :func:`write_report` writes the Markdown table,
the JSON and the PNG plots.
"""

from __future__ import annotations

import gc
import json
import math
import os
import platform
import random
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import xxhash

from unspin.check import Checker, warm_up
from unspin.document import Document, ReadError
from unspin.index import Index
from unspin.segments import index_bytes
from unspin.bench.plagdet import Annotation, Tally
from unspin.read import read_documents

UNRELATED_RUN = 10  # a held-out article sharing a run of this many words with a source is not "unrelated"
EDITED_WORDS = 10  # a held-out sentence this long ...
EDITED_KEPT = 0.6  # ... keeping this share of its words in order in a source sentence is reused text
NEAR_DUPLICATE = 0.5  # share of either text's 5-shingles found in the other that makes two texts one
RATES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)  # spinner targets; figures are reported by measured change
BINS = ((0.0, 0.025, "0%"), (0.025, 0.15, "~10%"), (0.15, 0.25, "~20%"), (0.25, 0.35, "~30%"),
        (0.35, 0.45, "~40%"), (0.45, 1.01, ">45%"))
THESAURI = ("wordnet", "aiksaurus")
MINHASH_PERMUTATIONS = 128
MINHASH_SHINGLE = 5
MINHASH_THRESHOLD = 0.5
CHECK_PASSES = 3  # timed passes over the suspects, for unspin and the baseline alike; the fastest counts

_WORD = re.compile(r"\w+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_hash = xxhash.xxh3_64_intdigest


# --- data ------------------------------------------------------------------------------


@dataclass
class Suspect:
    """A labelled suspect: its text, how it was made, its true source and the true passages."""

    id: str
    text: str
    condition: str
    thesaurus: str | None = None
    target: float = 0.0
    changed: float = 0.0  # measured share of the source's words not kept in order
    source: str | None = None  # true source id; None for a negative
    accepted: frozenset[str] = frozenset({"original"})  # verdicts that are right for it
    cases: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)  # true passages


@dataclass
class Config:
    corpus: str
    sample: int = 100  # suspects per condition
    negatives: int = 500
    seed: int = 1
    sources: int = 0  # grow the index to this many with generated documents (scaling)
    out: str = "docs/benchmarks"
    thesauri: Sequence[Any] = THESAURI  # names, or Thesaurus objects (tests)
    rates: Sequence[float] = RATES
    candidates: int = 10
    memory: bool = True
    plots: bool = True
    command: str = ""


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def load_corpus(folder: str) -> tuple[list[Document], list[str]]:
    """Every readable document under ``folder``, its id relative to the folder; and the errors."""
    # A file's id is its path from the folder holding ``folder``: it starts with the folder's name.
    own_name = os.path.basename(os.path.normpath(folder))
    prefix = f"{own_name}/" if own_name not in ("", ".", "..") else ""
    documents, errors = [], []
    for item in read_documents([folder]):
        if isinstance(item, ReadError):
            errors.append(str(item))
            continue
        if not words(item.text):
            continue
        item.id = item.id.removeprefix(prefix)
        documents.append(item)
    documents.sort(key=lambda d: d.id)
    return documents, errors


def topic(document: Document) -> str:
    return document.id.split("/")[0] if "/" in document.id else ""


def ngram_set(tokens: list[str], n: int) -> set[int]:
    return {_hash(" ".join(tokens[i : i + n]).encode()) for i in range(len(tokens) - n + 1)}


def deduplicate(documents: list[Document]) -> tuple[list[Document], dict[str, int]]:
    """Drop exact and near-exact duplicates, keeping the first of each group (by id)."""
    kept: list[Document] = []
    seen_exact: set[int] = set()
    postings: dict[int, list[int]] = defaultdict(list)
    shingles: list[set[int]] = []
    exact = near = 0
    for document in documents:
        tokens = words(document.text)
        digest = _hash(" ".join(tokens).encode())
        if digest in seen_exact:
            exact += 1
            continue
        mine = ngram_set(tokens, 5) or {digest}
        shared: Counter[int] = Counter()
        for s in mine:
            for k in postings.get(s, ()):
                shared[k] += 1
        if any(count >= NEAR_DUPLICATE * min(len(mine), len(shingles[k])) for k, count in shared.items()):
            near += 1
            continue
        seen_exact.add(digest)
        number = len(kept)
        kept.append(document)
        shingles.append(mine)
        for s in mine:
            postings[s].append(number)
    return kept, {"read": len(documents), "exact_duplicates": exact, "near_duplicates": near, "kept": len(kept)}


def split(documents: list[Document], held_out: int, rng: random.Random) -> tuple[list[Document], list[Document]]:
    """Sources and held-out articles, holding out the same share of each topic."""
    by_topic: dict[str, list[Document]] = defaultdict(list)
    for document in documents:
        by_topic[topic(document)].append(document)
    share = min(0.5, held_out / max(1, len(documents)))
    sources, held = [], []
    for name in sorted(by_topic):
        group = by_topic[name][:]
        rng.shuffle(group)
        k = round(share * len(group))
        held += group[:k]
        sources += group[k:]
    return sources, held


def sentences(text: str) -> list[list[str]]:
    return [words(s) for s in _SENTENCE.split(text)]


def unrelated(held: list[Document], sources: list[Document], run: int = UNRELATED_RUN) -> tuple[list[Document], dict[str, int]]:
    """The held-out articles that reuse no text of any source, and how many were excluded for what.

    Measured with plain word n-grams and a word-level diff, independently of unspin's detector.
    An article is excluded when it shares a run of ``run`` or more words with a source, or
    when one of its sentences of :data:`EDITED_WORDS` or more words keeps :data:`EDITED_KEPT`
    of its words, in order, in one sentence of a source (a copy-edited sentence: the news
    archive's rewritten updates of a story reuse its sentences that way).
    """
    from rapidfuzz.distance import LCSseq

    indexed: set[int] = set()
    by_gram: dict[int, list[list[str]]] = defaultdict(list)
    for source in sources:
        indexed |= ngram_set(words(source.text), run)
        for sentence in sentences(source.text):
            for gram in ngram_set(sentence, 4):
                by_gram[gram].append(sentence)
    keep, excluded = [], {"verbatim_run": 0, "edited_sentence": 0}
    for document in held:
        if ngram_set(words(document.text), run) & indexed:
            excluded["verbatim_run"] += 1
            continue
        if any(_edited(sentence, by_gram, LCSseq) for sentence in sentences(document.text) if len(sentence) >= EDITED_WORDS):
            excluded["edited_sentence"] += 1
            continue
        keep.append(document)
    return keep, excluded


def _edited(sentence: list[str], by_gram: dict[int, list[list[str]]], lcs: Any) -> bool:
    seen: set[int] = set()
    for gram in ngram_set(sentence, 4):
        for other in by_gram.get(gram, ()):
            if id(other) in seen:
                continue
            seen.add(id(other))
            if lcs.similarity(sentence, other) >= EDITED_KEPT * len(sentence):
                return True
    return False


# --- suspects --------------------------------------------------------------------------


def word_span(text: str) -> tuple[int, int]:
    """Characters from the first word to the end of the last."""
    found = list(_WORD.finditer(text))
    return (found[0].start(), found[-1].end()) if found else (0, 0)


def measured_change(original: str, copy: str) -> float:
    """Share of ``original``'s words not kept, in order, in ``copy``."""
    from rapidfuzz.distance import LCSseq

    a, b = words(original), words(copy)
    return 1.0 - LCSseq.similarity(a, b) / len(a) if a else 0.0


def whole_verdicts(changed: float) -> frozenset[str]:
    if changed < 0.025:
        return frozenset({"copy"})
    if changed < 0.15:
        return frozenset({"copy", "spun"})
    return frozenset({"spun", "paraphrase"})


def make_suspects(sources: list[Document], hosts: list[Document], config: Config, rng: random.Random,
                  thesauri: dict[str, Any], log: Callable[[str], None]) -> list[Suspect]:
    from unspin.spinner.spin import spin

    suspects: list[Suspect] = []
    n = config.sample

    def pick() -> list[Document]:
        return rng.sample(sources, min(n, len(sources)))

    def whole(name: str, condition: str, source: Document, result_text: str, thesaurus: str | None, target: float,
              accepted: frozenset[str] | None = None) -> None:
        changed = measured_change(source.text, result_text)
        suspects.append(Suspect(
            id=f"{condition}/{len(suspects)}", text=result_text, condition=condition, thesaurus=thesaurus,
            target=target, changed=changed, source=source.id,
            accepted=accepted or whole_verdicts(changed),
            cases=[(word_span(result_text), word_span(source.text))]))

    for name, thesaurus in thesauri.items():
        for rate in config.rates:
            started = time.perf_counter()
            for source in pick():
                result = spin(source.text, rate, thesaurus if rate > 0 else None, seed=rng.randrange(2**31))
                whole(name, f"spin-{name}-{rate:.2f}", source, result.text, name, rate)
            log(f"  spun {n} copies with {name} at {rate:.0%} in {time.perf_counter() - started:.1f}s")
    first = next(iter(thesauri.values()))
    first_name = next(iter(thesauri))
    for source in pick():
        result = spin(source.text, 0.0, None, seed=rng.randrange(2**31), reorder=0.5)
        whole("", "reordered", source, result.text, None, 0.0, frozenset({"copy", "spun", "paraphrase"}))
    for source in pick():
        result = spin(source.text, 0.0, None, seed=rng.randrange(2**31), drop=0.25)
        whole("", "dropped", source, result.text, None, 0.0, frozenset({"copy", "spun", "paraphrase", "partial"}))
    for source in pick():
        result = spin(source.text, 0.2, first, seed=rng.randrange(2**31), reorder=0.3, drop=0.15)
        whole(first_name, f"reordered+dropped+spun-{first_name}", source, result.text, first_name, 0.2,
              frozenset({"copy", "spun", "paraphrase", "partial"}))
    for spun in (False, True):
        for source in pick():
            host = rng.choice(hosts)
            suspects.append(partial_copy(source, host, rng, (first if spun else None), len(suspects), first_name))
    return suspects


def partial_copy(source: Document, host: Document, rng: random.Random, thesaurus: Any, number: int,
                 name: str) -> Suspect:
    """A passage of ``source`` (three to six sentences) inside ``host``, between two of its paragraphs."""
    from unspin.spinner.spin import spin, split_sentences

    sentences: list[tuple[int, int]] = []
    offset = 0
    for paragraph in source.text.split("\n"):
        position = offset
        for sentence in split_sentences(paragraph):
            if _WORD.search(sentence):
                sentences.append((position, position + len(sentence.rstrip())))
            position += len(sentence)
        offset += len(paragraph) + 1
    body = sentences[1:] if len(sentences) > 4 else sentences  # skip the title line when we can
    length = min(len(body), rng.randint(3, 6))
    first = rng.randrange(0, len(body) - length + 1)
    start, end = body[first][0], body[first + length - 1][1]
    passage = source.text[start:end]
    if thesaurus is not None:
        passage = spin(passage, 0.2, thesaurus, seed=rng.randrange(2**31)).text
    paragraphs = host.text.split("\n")
    cut = rng.randint(1, max(1, len(paragraphs) - 1))
    before = "\n".join(paragraphs[:cut]) + "\n"
    text = before + passage + "\n" + "\n".join(paragraphs[cut:])
    at = len(before) + word_span(passage)[0]
    span = word_span(passage)
    source_span = word_span(source.text[start:end])
    condition = f"partial-spun-{name}" if thesaurus is not None else "partial"
    return Suspect(
        id=f"{condition}/{number}", text=text, condition=condition, thesaurus=name if thesaurus is not None else None,
        target=0.2 if thesaurus is not None else 0.0, changed=measured_change(source.text[start:end], passage),
        source=source.id, accepted=frozenset({"partial"}),
        cases=[((at, at + span[1] - span[0]), (start + source_span[0], start + source_span[1]))])


# --- measures --------------------------------------------------------------------------


def floor_rate(texts: list[str]) -> float:
    """Docs/s to tokenize and hash every word once (the least any word-level tool must do)."""
    started = time.perf_counter()
    total = 0
    for text in texts:
        for word in _WORD.findall(text.lower()):
            total ^= _hash(word.encode())
    return len(texts) / max(1e-9, time.perf_counter() - started)


def read_rate(paths: list[str]) -> float:
    """Docs/s to read, decode, tokenize and hash each word of the corpus files once."""
    started = time.perf_counter()
    total = 0
    for path in paths:
        text = Path(path).read_bytes().decode("utf-8", "replace")
        for word in _WORD.findall(text.lower()):
            total ^= _hash(word.encode())
    return len(paths) / max(1e-9, time.perf_counter() - started)


# --- the two detectors -----------------------------------------------------------------


def run_unspin(sources: list[Document], suspects: list[Suspect], workdir: str, candidates: int,
               log: Callable[[str], None]) -> dict[str, Any]:
    db = os.path.join(workdir, "unspin.db")
    startup = warm_up(workdir)
    log(f"  unspin: compiled loops loaded in {startup:.2f}s (once per process)")
    gc.collect()
    started = time.perf_counter()
    with Index(db) as store:
        for _ in store.add(sources, batch_size=1024):
            pass
        store.candidates(np.empty(0, dtype=np.uint64))  # open the postings
        index_seconds = time.perf_counter() - started
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all of it in the file, none in the log
        bytes_per_doc = index_bytes(db) / max(1, len(sources))
        documents = [Document(suspect.id, suspect.text) for suspect in suspects]

        def one_pass() -> list:
            checker = Checker(store, candidates=candidates)  # each pass starts with no sources at hand
            return list(checker.check_all(documents))  # as `unspin check` does

        check_seconds, outcomes = best_of(CHECK_PASSES, one_pass)
    log(f"  unspin: indexed {len(sources)} in {index_seconds:.1f}s, checked {len(suspects)} in {check_seconds:.1f}s")
    scan_rate, workers = run_scan(suspects, db, workdir)
    log(f"  unspin scan: {workers} processes, {scan_rate:,.0f} docs/s")
    rows = []
    for suspect, result in zip(suspects, outcomes):
        top = result.matches[0] if result.matches else None
        true_match = next((m for m in result.matches if m.source.id == suspect.source), None)
        detections = []
        if true_match is not None:
            detections = [(p.suspect, p.source) for p in true_match.judgement.evidence if not p.quote]
        rows.append({
            "verdict": result.verdict.value,
            "top": top.source.id if top else None,
            "detections": detections,
        })
    return {"rows": rows, "index_rate": len(sources) / index_seconds, "check_rate": len(suspects) / check_seconds,
            "bytes_per_doc": bytes_per_doc, "scan_rate": scan_rate, "scan_workers": workers, "startup_seconds": startup}


def run_scan(suspects: list[Suspect], db: str, workdir: str) -> tuple[float, int]:
    """Docs per second of ``unspin scan`` on every core, end to end: the same suspects read
    from a JSON lines file, checked by worker processes that open the index themselves, the
    results written out."""
    from unspin.crawl.scan import scan

    path, out = os.path.join(workdir, "suspects.jsonl"), os.path.join(workdir, "scan.jsonl")
    with open(path, "w", encoding="utf-8") as stream:
        for suspect in suspects:
            stream.write(json.dumps({"id": suspect.id, "text": suspect.text}, ensure_ascii=False) + "\n")
    workers = os.cpu_count() or 1
    started = time.perf_counter()
    stats, _ = scan([path], db, out, workers=workers)
    seconds = time.perf_counter() - started
    if stats.scanned != len(suspects):
        raise RuntimeError(f"unspin scan checked {stats.scanned} of {len(suspects)} suspects")
    return len(suspects) / seconds, workers


def best_of(passes: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The shortest wall time of ``passes`` runs of ``work``, and the first run's result. The
    fastest pass is the one least disturbed by whatever else the machine was doing."""
    best, first = math.inf, None
    for number in range(passes):
        gc.collect()
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
        if number == 0:
            first = result
    return best, first


def minhash_of(text: str, shared: dict[str, Any]) -> Any:
    from datasketch import MinHash

    tokens = words(text)
    shingles = {" ".join(tokens[i : i + MINHASH_SHINGLE]).encode() for i in range(max(1, len(tokens) - MINHASH_SHINGLE + 1))}
    m = MinHash(num_perm=MINHASH_PERMUTATIONS, **shared)
    m.update_batch(list(shingles))
    return m


def run_datasketch(sources: list[Document], suspects: list[Suspect], log: Callable[[str], None]) -> dict[str, Any]:
    import pickle

    from datasketch import MinHash, MinHashLSH

    # Permutations computed once and shared, as datasketch's documentation advises for speed.
    prototype = MinHash(num_perm=MINHASH_PERMUTATIONS, seed=1)
    shared: dict[str, Any] = {"permutations": prototype.permutations}
    if getattr(prototype, "scheme", None):  # datasketch >= 2.0 wants the scheme named
        shared["scheme"] = prototype.scheme
    gc.collect()
    started = time.perf_counter()
    lsh = MinHashLSH(threshold=MINHASH_THRESHOLD, num_perm=MINHASH_PERMUTATIONS)
    hashes = {}
    for source in sources:
        m = minhash_of(source.text, shared)
        hashes[source.id] = m
        lsh.insert(source.id, m)
    index_seconds = time.perf_counter() - started

    def one_pass() -> list:
        rows = []
        for suspect in suspects:
            m = minhash_of(suspect.text, shared)
            found = lsh.query(m)
            ranked = sorted(found, key=lambda k: (-m.jaccard(hashes[k]), k))
            rows.append({"verdict": "copy" if ranked else "original", "top": ranked[0] if ranked else None})
        return rows

    check_seconds, rows = best_of(CHECK_PASSES, one_pass)
    size = len(pickle.dumps((lsh, hashes), protocol=pickle.HIGHEST_PROTOCOL))
    log(f"  datasketch: indexed {len(sources)} in {index_seconds:.1f}s, checked {len(suspects)} in {check_seconds:.1f}s")
    return {"rows": rows, "index_rate": len(sources) / index_seconds, "check_rate": len(suspects) / check_seconds,
            "bytes_per_doc": size / max(1, len(sources))}


def traced_peak(work: Callable[[], Any]) -> int:
    """Peak bytes allocated by Python (tracemalloc) while ``work`` runs."""
    gc.collect()
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def memory_peaks(sources: list[Document], suspects: list[Suspect], workdir: str) -> dict[str, int]:
    """Traced peak memory of each tool indexing the sources and checking a slice of suspects."""
    some = suspects[:: max(1, len(suspects) // 200)]
    counter = [0]

    def unspin() -> None:
        counter[0] += 1
        with Index(os.path.join(workdir, f"memory{counter[0]}.db")) as store:
            for _ in store.add(sources, batch_size=1024):
                pass
            checker = Checker(store)
            for suspect in some:
                checker.check(Document(suspect.id, suspect.text))

    def baseline() -> None:
        run_datasketch(sources, some, lambda _: None)

    return {"unspin": traced_peak(unspin), "datasketch": traced_peak(baseline)}


# --- scaling ---------------------------------------------------------------------------


def generated_documents(pool: list[Document], count: int, rng: random.Random, start: int = 0, words: int = 350):
    """Distinct synthetic articles of at least ``words`` words: real sentences with their words
    shuffled, from random articles.

    They have the corpus's vocabulary and word frequencies, so they compete in retrieval, but no
    ordered run of words from any article.
    """
    sentences = [s.split() for d in pool for s in re.split(r"(?<=[.!?])\s+", d.text) if len(s.split()) >= 4]
    for k in range(start, start + count):
        body = []
        size = 0
        while size < words:
            sentence = rng.choice(sentences)[:]
            rng.shuffle(sentence)
            body.append(" ".join(sentence))
            size += len(sentence)
        yield Document(f"generated/{k}", f"Generated {k}\n" + " ".join(body))


def run_scaling(sources: list[Document], suspects: list[Suspect], target: int, workdir: str, seed: int,
                log: Callable[[str], None]) -> list[dict[str, Any]]:
    """Check speed, recall and memory as generated documents grow the index to 10k, 100k, 1M, ..."""
    rng = random.Random(seed)
    levels = [n for n in (10_000, 100_000, 1_000_000, 10_000_000) if n < target] + [target]
    levels = [len(sources)] + [n for n in levels if n > len(sources)]  # the first row: the real sources alone
    some = [s for s in suspects if s.source is not None][:: max(1, len(suspects) // 300)]
    rows = []
    db = os.path.join(workdir, "scaling.db")
    with Index(db) as store:
        started = time.perf_counter()
        for _ in store.add(sources, batch_size=1024):
            pass
        base_seconds = time.perf_counter() - started
        have = len(sources)
        for level in levels:
            started = time.perf_counter() - (base_seconds if level == have else 0.0)
            for _ in store.add(generated_documents(sources, level - have, rng, start=have), batch_size=4096):
                pass
            store.candidates(np.empty(0, dtype=np.uint64))
            add_seconds = time.perf_counter() - started
            added = (level - have) or len(sources)
            have = level

            def one_pass() -> int:
                checker, hits = Checker(store), 0
                documents = [Document(suspect.id, suspect.text) for suspect in some]
                for suspect, result in zip(some, checker.check_all(documents)):
                    hits += bool(result.matches) and result.matches[0].source.id == suspect.source
                return hits

            check_seconds, hits = best_of(CHECK_PASSES, one_pass)
            store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            fresh_seconds, fresh_rss = fresh_check(db, some[0].text if some else sources[0].text, workdir)
            row = {
                "sources": level,
                "index_rate": added / add_seconds,
                "check_rate": len(some) / check_seconds,
                "recall_at_1": hits / max(1, len(some)),
                "suspects": len(some),
                "bytes_per_doc": index_bytes(db) / level,
                "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "fresh_check_seconds": fresh_seconds,
                "fresh_check_rss_mib": fresh_rss,
            }
            rows.append(row)
            log(f"  scaling: {level:,} sources: index {row['index_rate']:,.0f} docs/s, check {row['check_rate']:,.0f} "
                f"docs/s, recall@1 {row['recall_at_1']:.3f}, RSS {row['max_rss_mib']:,.0f} MiB; one check from a "
                f"fresh process {fresh_seconds:.2f} s, {fresh_rss:,.0f} MiB")
    return rows


def fresh_check(db: str, text: str, workdir: str) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of ``unspin check`` of one document against ``db`` in a new
    process, as a user runs it: interpreter start, imports, opening the index, the check.

    The peak is the new process's own (``VmHWM`` of its image, read as it exits): the
    ``ru_maxrss`` that ``wait4`` gives counts the pages the child shared with this process
    between its fork and its exec, so a benchmark of a gigabyte reported a gigabyte."""
    suspect = os.path.join(workdir, "fresh-suspect.txt")
    Path(suspect).write_text(text, encoding="utf-8")
    started = time.perf_counter()
    child = subprocess.run([sys.executable, "-c", _PEAK_REPORTING, "check", suspect, "--db", db, "--json"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - started
    error = child.stderr.decode(errors="replace")
    peaks = re.findall(r"^unspin-peak-rss-kb (\d+)$", error, flags=re.MULTILINE)
    if child.returncode not in (0, 1) or not peaks:
        raise RuntimeError(f"unspin check failed in a fresh process: {error.strip()}")
    return seconds, int(peaks[-1]) / 1024


# ``unspin`` with its arguments, reporting its peak RSS on standard error as it exits.
_PEAK_REPORTING = """
import atexit, re, sys
def report():
    status = open("/proc/self/status").read()
    sys.stderr.write("\\nunspin-peak-rss-kb %s\\n" % re.search(r"VmHWM:\\s+(\\d+)", status).group(1))
atexit.register(report)
from unspin.cli import main
main(sys.argv[1:], prog_name="unspin")
"""


# --- the run ---------------------------------------------------------------------------


def bin_of(changed: float) -> str:
    for low, high, label in BINS:
        if low <= changed < high:
            return label
    return BINS[-1][2]


def load_thesauri(names: Sequence[Any]) -> dict[str, Any]:
    from unspin.thesaurus import load_thesaurus

    loaded = {}
    for item in names:
        if isinstance(item, str):
            loaded[item] = load_thesaurus(item)
        else:
            loaded[getattr(item, "name", f"thesaurus{len(loaded)}")] = item
    return loaded


def run(config: Config, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Run the whole benchmark; returns every figure (see :func:`write_report`)."""
    rng = random.Random(config.seed)
    if not Path(config.corpus).is_dir():
        raise FileNotFoundError(f"no corpus at {config.corpus}")
    started = time.perf_counter()
    documents, errors = load_corpus(config.corpus)
    log(f"read {len(documents)} documents from {config.corpus} ({len(errors)} unreadable) "
        f"in {time.perf_counter() - started:.1f}s")
    documents, dedup = deduplicate(documents)
    log(f"deduplicated: {dedup}")
    holdout = min(len(documents) // 3, math.ceil(config.negatives * 1.6))
    sources, held = split(documents, holdout, rng)
    negatives, excluded = unrelated(held, sources)
    negatives = negatives[: config.negatives]
    log(f"{len(sources)} sources; {len(held)} held out, excluded as reusing a source's text: {excluded}; "
        f"{len(negatives)} negatives")
    thesauri = load_thesauri(config.thesauri)
    started = time.perf_counter()
    suspects = make_suspects(sources, negatives or held, config, rng, thesauri, log)
    log(f"made {len(suspects)} suspects in {time.perf_counter() - started:.1f}s")
    suspects += [Suspect(id=f"negative/{d.id}", text=d.text, condition="negative") for d in negatives]

    source_paths = [os.path.join(config.corpus, d.id) for d in sources]
    floor = {
        "read_tokenize_hash": read_rate(source_paths) if all(os.path.exists(p) for p in source_paths) else None,
        "tokenize_hash": floor_rate([d.text for d in sources]),
    }
    with tempfile.TemporaryDirectory(prefix="unspin-bench-") as workdir:
        unspin = run_unspin(sources, suspects, workdir, config.candidates, log)
        baseline = run_datasketch(sources, suspects, log)
        memory = memory_peaks(sources, suspects, workdir) if config.memory else {}
        scaling = (run_scaling(sources, suspects, config.sources, workdir, config.seed, log)
                   if config.sources > len(sources) else [])
    results = summarise(config, suspects, unspin, baseline)
    results.update({
        "command": config.command,
        "machine": machine(),
        "corpus": {"path": config.corpus, "unreadable": len(errors), **dedup, "sources": len(sources),
                   "held_out": len(held), "excluded_verbatim_run": excluded["verbatim_run"],
                   "excluded_edited_sentence": excluded["edited_sentence"], "negatives": len(negatives)},
        "thesauri": list(thesauri),
        "speed": {
            "floor_read_tokenize_hash": floor["read_tokenize_hash"],
            "floor_tokenize_hash": floor["tokenize_hash"],
            "unspin_index": unspin["index_rate"], "unspin_check": unspin["check_rate"],
            "unspin_scan": unspin["scan_rate"], "scan_workers": unspin["scan_workers"],
            "unspin_startup_seconds": unspin["startup_seconds"],
            "datasketch_index": baseline["index_rate"], "datasketch_check": baseline["check_rate"],
            "unspin_bytes_per_doc": unspin["bytes_per_doc"], "datasketch_bytes_per_doc": baseline["bytes_per_doc"],
            "unspin_peak_bytes": memory.get("unspin"), "datasketch_peak_bytes": memory.get("datasketch"),
        },
        "scaling": scaling,
    })
    return results


def summarise(config: Config, suspects: list[Suspect], unspin: dict, baseline: dict) -> dict[str, Any]:
    """recall@1 per thesaurus and bin, per condition, verdict accuracy, false alarms, plagdet."""
    def tally() -> dict[str, Any]:
        return {"n": 0, "unspin": 0, "datasketch": 0, "verdict_ok": 0, "changed": 0.0}

    by_bin: dict[str, dict[str, dict[str, Any]]] = defaultdict(lambda: defaultdict(tally))
    by_condition: dict[str, dict[str, Any]] = defaultdict(tally)
    verdicts: dict[str, Counter[str]] = defaultdict(Counter)
    passages = Tally()  # PAN's measures (unspin.bench.plagdet)
    failures = []
    false_alarms = {"unspin": 0, "datasketch": 0, "n": 0, "unspin_ids": []}
    for suspect, mine, theirs in zip(suspects, unspin["rows"], baseline["rows"]):
        verdicts[suspect.condition][mine["verdict"]] += 1
        if suspect.source is None:
            false_alarms["n"] += 1
            if mine["verdict"] != "original":
                false_alarms["unspin"] += 1
                false_alarms["unspin_ids"].append(f"{suspect.id} ({mine['verdict']}, {mine['top']})")
            false_alarms["datasketch"] += theirs["verdict"] != "original"
            continue
        found = mine["top"] == suspect.source and mine["verdict"] != "original"
        groups = [by_condition[suspect.condition]]
        if suspect.condition.startswith("spin-"):
            groups.append(by_bin[suspect.thesaurus or ""][bin_of(suspect.changed)])
        for group in groups:
            group["n"] += 1
            group["unspin"] += found
            group["datasketch"] += theirs["top"] == suspect.source
            group["verdict_ok"] += mine["verdict"] in suspect.accepted
            group["changed"] += suspect.changed
        if suspect.condition.startswith(("spin-", "partial")):
            passages.add([Annotation(*case) for case in suspect.cases], [Annotation(*d) for d in mine["detections"]])
        if not found or mine["verdict"] not in suspect.accepted:
            failures.append({"id": suspect.id, "source": suspect.source, "changed": round(suspect.changed, 3),
                             "verdict": mine["verdict"], "top": mine["top"]})

    def finish(group: dict[str, Any]) -> dict[str, Any]:
        n = max(1, group["n"])
        return {"n": group["n"], "changed": group["changed"] / n, "unspin_recall_at_1": group["unspin"] / n,
                "datasketch_recall_at_1": group["datasketch"] / n, "verdict_accuracy": group["verdict_ok"] / n}

    bins = {name: {label: finish(groups[label]) for _, _, label in BINS if label in groups}
            for name, groups in by_bin.items()}
    conditions = {name: finish(group) for name, group in sorted(by_condition.items())}
    accepted_total = sum(g["n"] for g in by_condition.values())
    verdict_ok = sum(g["verdict_ok"] for g in by_condition.values()) + (false_alarms["n"] - false_alarms["unspin"])
    return {
        "bins": bins,
        "conditions": conditions,
        "verdicts": {k: dict(v) for k, v in sorted(verdicts.items())},
        "verdict_accuracy": verdict_ok / max(1, accepted_total + false_alarms["n"]),
        "false_alarms": false_alarms,
        "plagdet": passages.scores(),
        "failures": failures,
    }


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        pass
    versions = {}
    for package in ("numpy", "datasketch", "rapidfuzz"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:  # noqa: BLE001 - a missing version is not worth failing the report
            versions[package] = None
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(memory / 2**30, 1) if memory else None,
            "os": platform.platform(), "python": platform.python_version(), **versions}


# --- the report ------------------------------------------------------------------------


def _rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "n/a" if not a or not b else f"{a / b:.2f}×"


def markdown(results: dict[str, Any]) -> str:
    """The report: command, machine, corpus, recall table, other figures."""
    lines = ["# unspin benchmark", ""]
    lines += ["Command:", "", "```", results["command"] or "unspin bench", "```", ""]
    m = results["machine"]
    lines += [f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; {m['os']}; Python {m['python']}, "
              f"numpy {m['numpy']}, datasketch {m['datasketch']}.", ""]
    c = results["corpus"]
    lines += [
        f"Corpus: `{c['path']}`: {c['read']} articles read ({c['unreadable']} unreadable), {c['exact_duplicates']} exact "
        f"and {c['near_duplicates']} near duplicates dropped (≥ {NEAR_DUPLICATE:.0%} of either text's word 5-shingles in "
        f"the other). {c['sources']} sources indexed; {c['held_out']} held out (same share of each topic), of which "
        f"{c['excluded_verbatim_run']} share a run of {UNRELATED_RUN}+ words with some source and "
        f"{c['excluded_edited_sentence']} more have a sentence of {EDITED_WORDS}+ words that keeps {EDITED_KEPT:.0%} of its "
        f"words in order in a source sentence (a copy-edited sentence); both measured with word n-grams and a word "
        f"diff, not with unspin, and excluded as not unrelated. {c['negatives']} unrelated negatives checked.",
        "",
        f"Thesauri: {', '.join(results['thesauri'])}. Baseline: datasketch MinHash + MinHashLSH, "
        f"{MINHASH_PERMUTATIONS} permutations, word {MINHASH_SHINGLE}-shingles, threshold {MINHASH_THRESHOLD}; its "
        "candidates ranked by estimated Jaccard.",
        "",
        "## recall@1 by share of words changed",
        "",
        "recall@1: the true source ranked first (for unspin, with a verdict other than `original`). Words changed: "
        "the share of the source's words not kept in order in the copy (word-level diff), binned.",
        "",
        "| thesaurus | words changed | n | mean changed | unspin recall@1 | datasketch recall@1 | unspin verdict ok |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, bins in results["bins"].items():
        for label, row in bins.items():
            lines.append(f"| {name} | {label} | {row['n']} | {row['changed']:.1%} | {row['unspin_recall_at_1']:.3f} | "
                         f"{row['datasketch_recall_at_1']:.3f} | {row['verdict_accuracy']:.3f} |")
    lines += ["", "## By condition", "",
              "| condition | n | mean changed | unspin recall@1 | datasketch recall@1 | unspin verdict ok | verdicts |",
              "|---|---:|---:|---:|---:|---:|---|"]
    for name, row in results["conditions"].items():
        counts = ", ".join(f"{k} {v}" for k, v in sorted(results["verdicts"].get(name, {}).items()))
        lines.append(f"| {name} | {row['n']} | {row['changed']:.1%} | {row['unspin_recall_at_1']:.3f} | "
                     f"{row['datasketch_recall_at_1']:.3f} | {row['verdict_accuracy']:.3f} | {counts} |")
    fa = results["false_alarms"]
    p = results["plagdet"]
    s = results["speed"]
    lines += [
        "", "## False alarms, verdicts, passages", "",
        f"- False alarms on {fa['n']} unrelated negatives: unspin **{fa['unspin']}**, datasketch {fa['datasketch']}"
        + (f" (unspin: {', '.join(fa['unspin_ids'][:10])})" if fa["unspin_ids"] else "") + ".",
        f"- Verdict accuracy (suspects and negatives): {results['verdict_accuracy']:.3f}.",
        f"- Passages (PAN plagdet, spun and partial copies, against the true source): plagdet {p['plagdet']:.3f}, "
        f"precision {p['precision']:.3f}, recall {p['recall']:.3f}, granularity {p['granularity']:.3f}.",
        "", "## Speed and memory", "",
        "| | docs/s to index | docs/s to check | index bytes/doc | peak traced memory |",
        "|---|---:|---:|---:|---:|",
        f"| unspin | {_rate(s['unspin_index'])} | {_rate(s['unspin_check'])} | {_rate(s['unspin_bytes_per_doc'])} "
        f"| {_mib(s['unspin_peak_bytes'])} |",
        f"| datasketch | {_rate(s['datasketch_index'])} | {_rate(s['datasketch_check'])} | "
        f"{_rate(s['datasketch_bytes_per_doc'])} | {_mib(s['datasketch_peak_bytes'])} |",
        f"| unspin / datasketch | {_ratio(s['unspin_index'], s['datasketch_index'])} | "
        f"{_ratio(s['unspin_check'], s['datasketch_check'])} | | |",
        *([f"| unspin scan, {s['scan_workers']} processes | | {_rate(s['unspin_scan'])} "
           f"({_ratio(s['unspin_scan'], s['datasketch_check'])}) | | |"] if s.get("unspin_scan") else []),
        f"| floor: tokenize + hash each word | {_rate(s['floor_tokenize_hash'])} | | | |",
        f"| floor: read + tokenize + hash | {_rate(s['floor_read_tokenize_hash'])} | | | |",
        "",
        "unspin's index bytes/doc is its SQLite file (texts included) and its postings' segment files over the "
        "sources; datasketch's is its pickled LSH and MinHashes (no texts). Peak traced memory: tracemalloc's peak while indexing all sources and checking "
        f"about 200 suspects, in a separate pass. Docs/s to check: the fastest of {CHECK_PASSES} passes over all the "
        "suspects, for unspin and datasketch alike; unspin's gives each suspect's verdict and matches, and leaves its "
        "intrinsic spin score, worked out when first read, unread (every report reads it: the scan row's results "
        "include it). The rows above are one process each; `unspin scan` checks on every "
        "core, and its row times it end to end (the suspects read from a JSON lines file, the index opened and its "
        "postings loaded by each worker, the results written), against datasketch's one process.",
        *([f"Start-up: unspin's compiled loops (numba) took {s['unspin_startup_seconds']:.2f} s to load in the benchmark's "
           "process, before the timing (once per process; `unspin scan`'s workers load them inside its timing)."]
          if s.get("unspin_startup_seconds") is not None else []),
    ]
    if results["scaling"]:
        lines += ["", "## Scaling (generated sources added)", "",
                  "| sources | docs/s to index | docs/s to check | recall@1 | index bytes/doc | max RSS MiB "
                  "| one check, fresh process | its RSS MiB |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for row in results["scaling"]:
            fresh = (f"{row['fresh_check_seconds']:.2f} s | {row['fresh_check_rss_mib']:,.0f}"
                     if "fresh_check_seconds" in row else "n/a | n/a")
            lines.append(f"| {row['sources']:,} | {row['index_rate']:,.0f} | {row['check_rate']:,.0f} | "
                         f"{row['recall_at_1']:.3f} | {row['bytes_per_doc']:,.0f} | {row['max_rss_mib']:,.0f} | {fresh} |")
        lines += ["", f"Checked at each size: {results['scaling'][0]['suspects']} of the copies, evenly spaced, the "
                  f"fastest of {CHECK_PASSES} passes. Max RSS: the benchmark process's peak so far. One check, fresh "
                  "process: `unspin check` of one copy against the index in a new process (start, imports, opening "
                  "the index, the check), wall time and that process's peak RSS."]
    if results.get("plots"):
        lines += ["", "## Plots", ""] + [f"![{name}]({name})" for name in results["plots"]]
    failures = results["failures"]
    lines += ["", f"## Failures ({len(failures)})", ""]
    for row in failures[:40]:
        lines.append(f"- `{row['id']}` (source `{row['source']}`, {row['changed']:.0%} changed): verdict "
                     f"{row['verdict']}, top `{row['top']}`")
    return "\n".join(lines) + "\n"


def _mib(value: int | None) -> str:
    return "n/a" if value is None else f"{value / 2**20:,.1f} MiB"


def plot(results: dict[str, Any], out: Path) -> list[str]:
    """recall@1 against words changed (unspin and datasketch, per thesaurus) and speed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = []
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, bins in results["bins"].items():
        xs = [row["changed"] * 100 for row in bins.values()]
        ax.plot(xs, [row["unspin_recall_at_1"] for row in bins.values()], "o-", label=f"unspin, {name}")
        ax.plot(xs, [row["datasketch_recall_at_1"] for row in bins.values()], "s--", label=f"datasketch, {name}")
    ax.axhline(0.99, color="grey", lw=0.8, ls=":")
    ax.set_xlabel("words changed (%)")
    ax.set_ylabel("recall@1")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title("True source ranked first, by share of words changed")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "recall.png", dpi=110)
    plt.close(fig)
    names.append("recall.png")

    s = results["speed"]
    labels = ["floor\n(tokenize+hash)", "unspin\nindex", "datasketch\nindex", "unspin\ncheck", "datasketch\ncheck"]
    values = [s["floor_tokenize_hash"], s["unspin_index"], s["datasketch_index"], s["unspin_check"], s["datasketch_check"]]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.bar(labels, values, color=["grey", "C0", "C1", "C0", "C1"])
    ax.set_ylabel("docs/s")
    ax.set_yscale("log")
    ax.set_title("Speed (same run, same data)")
    fig.tight_layout()
    fig.savefig(out / "speed.png", dpi=110)
    plt.close(fig)
    names.append("speed.png")

    if results["scaling"]:
        rows = results["scaling"]
        fig, ax = plt.subplots(figsize=(7, 4))
        ax.plot([r["sources"] for r in rows], [r["check_rate"] for r in rows], "o-", label="check docs/s")
        ax.plot([r["sources"] for r in rows], [r["index_rate"] for r in rows], "s-", label="index docs/s")
        ax.set_xscale("log")
        ax.set_xlabel("indexed sources")
        ax.set_ylabel("docs/s")
        ax.legend()
        fig.tight_layout()
        fig.savefig(out / "scaling.png", dpi=110)
        plt.close(fig)
        names.append("scaling.png")
    return names


# The summary page points to the suites that write their own reports beside results.md.
OTHER_SUITES = """
## Other suites

- `unspin bench --suite paraphrase`: the semantic view on real paraphrase pairs, in
  [{prefix}/paraphrase.md]({prefix}/paraphrase.md) (see [semantic.md](semantic.md)).
- `unspin bench --suite pan`: passages reused inside long documents, scored with PAN's measures on
  the PAN 2013 text-alignment training corpus, each pair given and through the index, in
  [{prefix}/pan.md]({prefix}/pan.md).
"""


def write_report(results: dict[str, Any], out: str | Path, plots: bool = True, summary: str | Path | None = None) -> Path:
    """Write results.json, results.md and the plots into ``out``; returns the Markdown path.

    ``summary``, when given, gets the same report with the plots' paths relative to it (the
    project's ``docs/benchmarks.md``, which shows the latest figures).
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if plots:
        try:
            results["plots"] = plot(results, out)
        except ImportError:
            results["plots"] = []
    (out / "results.json").write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    path = out / "results.md"
    path.write_text(markdown(results), encoding="utf-8")
    if summary is not None:
        summary = Path(summary)
        prefix = os.path.relpath(out, summary.parent).replace(os.sep, "/")
        text = markdown(results)
        for name in results.get("plots", []):
            text = text.replace(f"]({name})", f"]({prefix}/{name})")
        text = text.replace("# unspin benchmark\n", "# unspin benchmark: latest figures\n\n"
                            f"Full results: [{prefix}/results.md]({prefix}/results.md), "
                            f"[{prefix}/results.json]({prefix}/results.json).\n", 1)
        summary.write_text(text + OTHER_SUITES.format(prefix=prefix), encoding="utf-8")
    return path


def command_line(argv: list[str] | None = None) -> str:
    return "unspin " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
