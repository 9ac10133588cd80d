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

import math
import os
import random
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


from unspin.document import Document
from unspin.bench.plagdet import Annotation, Tally
from unspin.bench.corpus import (BINS, _WORD, Config, Suspect, _hash, deduplicate, load_corpus, split, unrelated,
                                  words)
from unspin.bench.files import machine
from unspin.bench.speed import memory_peaks, run_datasketch, run_scaling, run_unspin



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
            "unspin_index_cpu": unspin["index_cpu_rate"], "unspin_check_cpu": unspin["check_cpu_rate"],
            "datasketch_index_cpu": baseline["index_cpu_rate"], "datasketch_check_cpu": baseline["check_cpu_rate"],
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


