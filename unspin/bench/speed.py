"""The detectors run and timed: unspin (in process, and `unspin scan`), datasketch's MinHash LSH in the same run, their memory, the index grown to more sources, and one check from a fresh process."""

from __future__ import annotations

import gc
import json
import math
import os
import random
import re
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from unspin.check import Checker, warm_up
from unspin.document import Document
from unspin.index import Index
from unspin.prepare import default_workers
from unspin.segment_files import index_bytes
from unspin.bench.corpus import CHECK_PASSES, MINHASH_PERMUTATIONS, MINHASH_SHINGLE, MINHASH_THRESHOLD, Suspect, words


# --- the two detectors -----------------------------------------------------------------


def run_unspin(sources: list[Document], suspects: list[Suspect], workdir: str, candidates: int,
               log: Callable[[str], None]) -> dict[str, Any]:
    db = os.path.join(workdir, "unspin.db")
    startup = warm_up(workdir)
    log(f"  unspin: compiled loops loaded in {startup:.2f}s (once per process)")
    gc.collect()
    started, cpu_started = time.perf_counter(), time.process_time()
    with Index(db) as store:
        for _ in store.add(sources, batch_size=1024):
            pass
        store.candidates(np.empty(0, dtype=np.uint64))  # open the postings
        index_seconds, index_cpu = time.perf_counter() - started, time.process_time() - cpu_started
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all of it in the file, none in the log
        bytes_per_doc = index_bytes(db) / max(1, len(sources))
        documents = [Document(suspect.id, suspect.text) for suspect in suspects]

        def one_pass() -> list:
            checker = Checker(store, candidates=candidates)  # each pass starts with no sources at hand
            return list(checker.check_all(documents))  # as `unspin check` does

        check_seconds, check_cpu, outcomes = best_of(CHECK_PASSES, one_pass)
    log(f"  unspin: indexed {len(sources)} in {index_seconds:.1f}s ({index_cpu:.1f} CPU s), "
        f"checked {len(suspects)} in {check_seconds:.1f}s ({check_cpu:.1f} CPU s)")
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
            "index_cpu_rate": len(sources) / index_cpu, "check_cpu_rate": len(suspects) / check_cpu,
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


def best_of(passes: int, work: Callable[[], Any]) -> tuple[float, float, Any]:
    """The shortest wall time of ``passes`` runs of ``work``, the shortest CPU time of this
    process among them, and the first run's result. The fastest pass is the one least
    disturbed by whatever else the machine was doing; CPU time is less disturbed still (a
    process that waits for a core is not charged for the wait), so both are reported."""
    best, best_cpu, first = math.inf, math.inf, None
    for number in range(passes):
        # What is alive before a pass (the benchmark's documents, earlier passes' results) outlives
        # it: frozen, the collector does not walk it again and again during the pass, as it would
        # not walk the data a command holds from start to end.
        gc.collect()
        gc.freeze()
        started, cpu_started = time.perf_counter(), time.process_time()
        result = work()
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - cpu_started)
        gc.unfreeze()
        if number == 0:
            first = result
    return best, best_cpu, first


def minhash_of(text: str, shared: dict[str, Any]) -> Any:
    from datasketch import MinHash

    tokens = words(text)
    shingles = {" ".join(tokens[i : i + MINHASH_SHINGLE]).encode() for i in range(max(1, len(tokens) - MINHASH_SHINGLE + 1))}
    m = MinHash(num_perm=MINHASH_PERMUTATIONS, **shared)
    m.update_batch(list(shingles))
    return m


class Datasketch:
    """datasketch's MinHash LSH as the benchmark runs it: word shingles of each text hashed
    with shared permutations (as datasketch's documentation advises for speed), the sources
    inserted, and a suspect's candidates ranked by their estimated Jaccard."""

    def __init__(self) -> None:
        from datasketch import MinHash, MinHashLSH

        prototype = MinHash(num_perm=MINHASH_PERMUTATIONS, seed=1)
        self.shared: dict[str, Any] = {"permutations": prototype.permutations}
        if getattr(prototype, "scheme", None):  # datasketch >= 2.0 wants the scheme named
            self.shared["scheme"] = prototype.scheme
        self.lsh = MinHashLSH(threshold=MINHASH_THRESHOLD, num_perm=MINHASH_PERMUTATIONS)
        self.hashes: dict[str, Any] = {}

    def add(self, sources: list[Document]) -> None:
        for source in sources:
            m = minhash_of(source.text, self.shared)
            self.hashes[source.id] = m
            self.lsh.insert(source.id, m)

    def ranked(self, text: str) -> list[str]:
        """The sources the LSH gives for ``text``, the most alike first."""
        m = minhash_of(text, self.shared)
        return sorted(self.lsh.query(m), key=lambda k: (-m.jaccard(self.hashes[k]), k))


def run_datasketch(sources: list[Document], suspects: list[Suspect], log: Callable[[str], None]) -> dict[str, Any]:
    import pickle

    import datasketch  # noqa: F401  loaded before the timing, as unspin's compiled loops are (about 1 s)

    gc.collect()
    started, cpu_started = time.perf_counter(), time.process_time()
    detector = Datasketch()
    detector.add(sources)
    index_seconds, index_cpu = time.perf_counter() - started, time.process_time() - cpu_started

    def one_pass() -> list:
        rows = []
        for suspect in suspects:
            ranked = detector.ranked(suspect.text)
            rows.append({"verdict": "copy" if ranked else "original", "top": ranked[0] if ranked else None})
        return rows

    check_seconds, check_cpu, rows = best_of(CHECK_PASSES, one_pass)
    size = len(pickle.dumps((detector.lsh, detector.hashes), protocol=pickle.HIGHEST_PROTOCOL))
    log(f"  datasketch: indexed {len(sources)} in {index_seconds:.1f}s ({index_cpu:.1f} CPU s), "
        f"checked {len(suspects)} in {check_seconds:.1f}s ({check_cpu:.1f} CPU s)")
    return {"rows": rows, "index_rate": len(sources) / index_seconds, "check_rate": len(suspects) / check_seconds,
            "index_cpu_rate": len(sources) / index_cpu, "check_cpu_rate": len(suspects) / check_cpu,
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
            # Tokenized and packed by workers beside the writer, as 'unspin index add' does.
            for _ in store.add(generated_documents(sources, level - have, rng, start=have), batch_size=4096,
                               workers=default_workers()):
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

            check_seconds, _, hits = best_of(CHECK_PASSES, one_pass)
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
