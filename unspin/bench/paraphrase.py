"""Paraphrase suites for ``unspin bench --suite paraphrase``: the semantic view against the lexical one.

Whole documents are assembled from real, human-labelled sentence pairs (read from
``../shared/data/paraphrase``, never copied into the repository):

* **mrpc**: the Microsoft Research Paraphrase Corpus (news sentences, pairs from different
  outlets reporting one story);
* **pan**: sentence pairs from the PAN-PC-10 plagiarism cases (Madnani et al. 2012), whose
  negatives are sentences of the same document sharing at least four content words.

For every run of ``sentences`` consecutive pairs labelled *paraphrase*, the first sentences
make a **source** (indexed) and the second ones its **copy** (checked; it should find its
source). For every run of pairs labelled *not a paraphrase*, the first sentences make a
source too (indexed: the negative's closest document is in the index) and the second ones
a **hard negative** (checked; it should stay ``original``): same events, same topics, other
sentences. Each suite is run lexically, and with the semantic view on each backend.
"""

from __future__ import annotations

import csv
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from unspin.bench.files import write_results
from unspin.check import Checker, warm_up
from unspin.document import Document
from unspin.index import Index

DEFAULT_DATA = Path("..") / "shared" / "data" / "paraphrase"
SUITES = ("mrpc", "pan")
MODES = ("lexical", "minilm", "static")


@dataclass
class Case:
    id: str
    text: str
    source: str | None  # the true source's id; None for a hard negative


def _pairs_mrpc(folder: Path, split: str) -> list[tuple[str, str, int]]:
    pairs = []
    for name in ("train", "test") if split == "all" else (split,):
        with open(folder / f"msr_paraphrase_{name}.txt", encoding="utf-8-sig", newline="") as handle:
            rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            next(rows)
            pairs += [(row[3], row[4], int(row[0])) for row in rows if len(row) >= 5]
    return pairs


def _pairs_pan(folder: Path, split: str) -> list[tuple[str, str, int]]:
    pairs = []
    for name in ("train", "test") if split == "all" else (split,):
        first = (folder / f"pan-{name}_s1.txt").read_text(encoding="utf-8", errors="replace").splitlines()
        second = (folder / f"pan-{name}_s2.txt").read_text(encoding="utf-8", errors="replace").splitlines()
        labels = (folder / f"pan-{name}.labels").read_text(encoding="utf-8").split()
        pairs += [(a.strip(), b.strip(), int(float(label))) for a, b, label in zip(first, second, labels)]
    return pairs


def build_suite(name: str, data: Path, split: str, sentences: int) -> tuple[list[Document], list[Case]]:
    """Sources to index and cases to check for one suite."""
    if name == "mrpc":
        pairs = _pairs_mrpc(data / "mrpc", split)
    elif name == "pan":
        pairs = _pairs_pan(data / "mt_metrics_pan_paraphrase", split)
    else:
        raise LookupError(f"unknown paraphrase suite {name!r}: choose from {', '.join(SUITES)}")
    sources: list[Document] = []
    cases: list[Case] = []
    for label, kind in ((1, "copy"), (0, "negative")):
        chosen = [(a, b) for a, b, l in pairs if l == label and a and b]
        for g in range(len(chosen) // sentences):
            group = chosen[g * sentences:(g + 1) * sentences]
            source_id = f"{name}-{kind}-source-{g}"
            sources.append(Document(source_id, _ensure_end(" ".join(_ensure_end(a) for a, _ in group))))
            cases.append(Case(f"{name}-{kind}-{g}", " ".join(_ensure_end(b) for _, b in group),
                              source_id if label == 1 else None))
    return sources, cases


def _ensure_end(sentence: str) -> str:
    sentence = sentence.strip()
    return sentence if sentence[-1:] in ".!?\"'”’)" else sentence + "."


def run_mode(mode: str, sources: list[Document], cases: list[Case], workdir: str,
             log: Callable[[str], None]) -> dict[str, Any]:
    """Index the sources and check the cases with one detector; recall, false alarms, speed."""
    db = os.path.join(workdir, f"{mode}.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    model = None
    if mode != "lexical":
        from unspin.semantic import embed as semantic
        model = semantic.embedder(mode)  # loading the model is not counted as indexing
    started = time.perf_counter()
    with Index(db) as store:
        for _ in store.add(sources, batch_size=1024):
            pass
        if model is None:
            checker: Checker = Checker(store)
        else:
            from unspin.semantic.store import SemanticChecker

            checker = SemanticChecker(store, model=model)
            checker.sync()
        index_seconds = time.perf_counter() - started
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        bytes_per_doc = os.path.getsize(db) / max(1, len(sources))
        started = time.perf_counter()
        results = [checker.check(Document(case.id, case.text)) for case in cases]
        check_seconds = time.perf_counter() - started
    copies = [(c, r) for c, r in zip(cases, results) if c.source is not None]
    negatives = [(c, r) for c, r in zip(cases, results) if c.source is None]
    found = sum(1 for c, r in copies if r.verdict.value != "original" and r.matches and r.matches[0].source.id == c.source)
    alarms = [c.id for c, r in negatives if r.verdict.value != "original"]
    verdicts: dict[str, int] = {}
    for _, r in copies:
        verdicts[r.verdict.value] = verdicts.get(r.verdict.value, 0) + 1
    log(f"  {mode}: recall {found}/{len(copies)}, false alarms {len(alarms)}/{len(negatives)}, "
        f"index {len(sources) / index_seconds:.0f} docs/s, check {len(cases) / check_seconds:.1f} docs/s")
    outcomes = {c.id: (r.verdict.value != "original" and (c.source is None or bool(r.matches) and r.matches[0].source.id == c.source))
                for c, r in zip(cases, results)}
    return {
        "outcomes": outcomes,
        "missed_ids": [c.id for c, r in copies if not outcomes[c.id]][:50],
        "copies": len(copies), "found": found, "recall": found / max(1, len(copies)),
        "negatives": len(negatives), "false_alarms": len(alarms), "false_alarm_ids": alarms[:20],
        "copy_verdicts": verdicts,
        "index_rate": len(sources) / index_seconds, "check_rate": len(cases) / check_seconds,
        "bytes_per_doc": bytes_per_doc,
    }


def run(data: str | Path = DEFAULT_DATA, suites: tuple[str, ...] = SUITES, modes: tuple[str, ...] = MODES,
        split: str = "all", sentences: int = 8, log: Callable[[str], None] = print,
        command: str = "", limit: int | None = None, bbc: str | Path | None = None, negatives: int = 500,
        bbc_minilm: bool = False) -> dict[str, Any]:
    """Run the suites; ``limit`` keeps that many copies and negatives per suite (a quick run)."""
    data = Path(data)
    if not data.is_dir():
        raise FileNotFoundError(f"no paraphrase data at {data}: pass --paraphrase-data DIR (../shared/data/paraphrase)")
    if any(m != "lexical" for m in modes):
        from unspin.semantic import embed as semantic
        semantic.require()
    results: dict[str, Any] = {"command": command, "split": split, "sentences": sentences, "suites": {}}
    with tempfile.TemporaryDirectory(prefix="unspin-bench-paraphrase-") as workdir:
        log(f"compiled loops loaded in {warm_up(workdir):.2f}s (once per process, before the timing)")
        for suite in suites:
            sources, cases = build_suite(suite, data, split, sentences)
            if limit is not None:
                cases = [c for c in cases if c.source][:limit] + [c for c in cases if not c.source][:limit]
            log(f"{suite}: {len(sources)} sources, {sum(c.source is not None for c in cases)} copies, "
                f"{sum(c.source is None for c in cases)} hard negatives")
            results["suites"][suite] = {mode: run_mode(mode, sources, cases, workdir, log) for mode in modes}
        if bbc is not None:
            sources, cases = bbc_negatives(bbc, negatives, log)
            results["suites"]["bbc-same-topic"] = {
                mode: run_mode(mode, sources, cases, workdir, log) for mode in modes if mode != "minilm" or bbc_minilm
            }
    for suite in results["suites"].values():
        lexical = suite.get("lexical", {}).get("outcomes")
        for mode, figures in suite.items():
            outcomes = figures.pop("outcomes")
            if lexical is not None and mode != "lexical":
                figures["added_by_semantic"] = sum(1 for k, v in outcomes.items() if v and not lexical[k])
    return results


def bbc_negatives(corpus: str | Path, count: int, log: Callable[[str], None]) -> tuple[list[Document], list[Case]]:
    """Independent same-topic articles: the spin benchmark's held-out BBC negatives (never indexed)."""
    import random


    from unspin.bench import corpus as bench_corpus
    documents, _ = bench_corpus.load_corpus(str(corpus))
    documents, _ = bench_corpus.deduplicate(documents)
    sources, held = bench_corpus.split(documents, min(len(documents) // 3, int(count * 1.4) + 1), random.Random(1))
    negatives, _ = bench_corpus.unrelated(held, sources)
    negatives = negatives[:count]
    log(f"bbc-same-topic: {len(sources)} sources, {len(negatives)} same-topic negatives")
    return sources, [Case(f"bbc-negative/{d.id}", d.text, None) for d in negatives]


def markdown(results: dict[str, Any]) -> str:
    lines = [
        "# Paraphrase suites: the semantic view against the lexical one",
        "",
        f"Command: `{results['command']}`  ",
        f"Documents of {results['sentences']} sentences, split `{results['split']}`; recall = true source ranked "
        "first with a verdict other than `original`; false alarms = hard negatives (same events, other sentences, "
        "their own near-source indexed) given any verdict but `original`; bbc-same-topic: held-out BBC articles "
        "of the indexed topics (independent reports, never indexed), as in the spin benchmark. "
        "'added by the semantic view': copies found, or negatives flagged, only with the semantic view on.",
        "",
        "| suite | view | recall | false alarms | added by the semantic view | copies' verdicts | index docs/s | check docs/s | index bytes/doc |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for suite, modes in results["suites"].items():
        for mode, r in modes.items():
            view = "lexical only" if mode == "lexical" else f"+ semantic ({mode})"
            verdicts = ", ".join(f"{k} {v}" for k, v in sorted(r["copy_verdicts"].items())) or "-"
            recall = f"{r['recall']:.3f} ({r['found']}/{r['copies']})" if r["copies"] else "-"
            added = r.get("added_by_semantic", "-")
            lines.append(
                f"| {suite} | {view} | {recall} | "
                f"{r['false_alarms']}/{r['negatives']} | {added} | {verdicts} | {r['index_rate']:.0f} | {r['check_rate']:.1f} | "
                f"{r['bytes_per_doc']:.0f} |"
            )
    return "\n".join(lines) + "\n"


def write_report(results: dict[str, Any], out: str | Path) -> Path:
    """Write paraphrase.json and paraphrase.md into ``out``; returns the Markdown path."""
    return write_results(out, "paraphrase", results, markdown(results))
