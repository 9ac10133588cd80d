"""The languages suite of ``unspin bench --suite languages``: copies in other languages.

On the BBC articles (read where they lie, never copied), split as the spin benchmark splits
them (sources indexed; held-out articles of the same topics):

* **translated copies**: sources translated into each language Apertium translates both ways
  here, checked against the English index as ``unspin check`` does (the checker detects the
  language and translates back): recall@1 (the source ranked first), verdicts (not
  ``original``);
* **partial translated copies**: a held-out article with three paragraphs of a source inside
  it, all translated piece by piece so that where the source's paragraphs lie in the foreign
  text is known: passage accuracy, as PAN measures it on the suspect's side (the characters of
  the reported passages against those of the inserted paragraphs; precision, recall);
* **negatives**: held-out articles translated (same topics, no source's translation), and
  texts written in the language (``--languages-data``, made by
  ``scripts/language_negatives.py`` from Debian's packages): false alarms (any verdict but
  ``original``);
* **round trips**: sources sent to the language and back into English (``unspin spin --via``):
  recall@1;
* **cost**: seconds a document to translate a suspect into English, and to check it whole,
  beside an English suspect's check in the same run.
"""

from __future__ import annotations

import math
import os
import random
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable

from unspin.bench.files import write_results
from unspin.bench import corpus as bench_corpus
from unspin.bench import files as bench_files
from unspin.check import Checker, Result, warm_up
from unspin.document import Document
from unspin.index import Index
from unspin.judge import Verdict
from unspin.read import read_documents
from unspin.translate import available_languages, from_english_all, into_english

DEFAULT_NATIVE = Path("..") / "shared" / "data-dev" / "languages"
PARAGRAPHS = 3  # a partial copy's paragraphs of its source


def partial(source: Document, host: Document, rng: random.Random) -> tuple[list[str], int]:
    """A host article with a few paragraphs of the source put in its middle: its three
    pieces (host before, source paragraphs, host after) and the source piece's index."""
    paragraphs = [p for p in source.text.split("\n\n") if p.strip()]
    body = paragraphs[1:] or paragraphs  # not the title
    start = rng.randrange(max(1, len(body) - PARAGRAPHS + 1))
    taken = "\n\n".join(body[start:start + PARAGRAPHS])
    hosted = [p for p in host.text.split("\n\n") if p.strip()]
    cut = max(1, len(hosted) // 2)
    return ["\n\n".join(hosted[:cut]) + "\n\n", taken, "\n\n" + "\n\n".join(hosted[cut:])], 1


def overlap(spans: list[tuple[int, int]], truth: tuple[int, int]) -> tuple[int, int]:
    """Characters of the spans (counted once), and of those inside ``truth``."""
    covered: set[int] = set()
    for start, end in spans:
        covered.update(range(start, end))
    return len(covered), sum(1 for c in covered if truth[0] <= c < truth[1])


def run(corpus: str, languages: list[str] | None = None, sample: int = 100, negatives: int = 500,
        seed: int = 1, native: Path | None = None, log: Callable[[str], None] = print,
        command: str = "") -> dict[str, Any]:
    """Every figure of the suite (see :func:`write_report`)."""
    if not Path(corpus).is_dir():
        raise FileNotFoundError(f"no corpus at {corpus}: pass --corpus DIR (a folder like ../shared/data/bbc)")
    installed = available_languages()
    if not installed:
        raise LookupError("no Apertium pair into and out of English is installed: "
                          "apt-get install apertium transfuse apertium-eng-spa (and apertium-eng-cat, apertium-en-gl, apertium-eo-en)")
    languages = list(languages or installed)
    missing = [lang for lang in languages if lang not in installed]
    if missing:
        raise LookupError(f"no Apertium pair for {', '.join(missing)} both ways: installed are {', '.join(installed)}")
    rng = random.Random(seed)
    documents, _ = bench_corpus.load_corpus(corpus)
    documents, dedup = bench_corpus.deduplicate(documents)
    sources, held = bench_corpus.split(documents, min(len(documents) // 3, math.ceil(negatives * 1.6)), rng)
    unrelated, _ = bench_corpus.unrelated(held, sources)
    unrelated = unrelated[:negatives]
    picked = rng.sample(sources, min(sample, len(sources)))
    hosts = rng.sample(unrelated, min(sample, len(unrelated)))
    log(f"{len(sources)} sources, {len(picked)} copies and {len(unrelated)} negatives a language: {', '.join(languages)}")
    results: dict[str, Any] = {"command": command, "machine": bench_files.machine(), "seed": seed,
                               "corpus": {"path": corpus, **dedup, "sources": len(sources)}, "languages": {}}
    with tempfile.TemporaryDirectory(prefix="unspin-languages-") as workdir:
        warm_up(workdir)
        with Index(os.path.join(workdir, "sources.db")) as store:
            list(store.add(sources))
            checker = Checker(store)
            english = _english_rate(checker, picked)
            results["english_check_seconds"] = english
            log(f"English copies: {english * 1000:.1f} ms a check")
            for language in languages:
                results["languages"][language] = _language(checker, language, picked, hosts, unrelated,
                                                           rng, native, log)
    return results


def _english_rate(checker: Checker, documents: list[Document]) -> float:
    """Seconds a check of the English sources themselves takes, for comparison."""
    suspects = [Document(f"en/{d.id}", d.text) for d in documents]
    started = time.perf_counter()
    list(checker.check_all(suspects))
    return (time.perf_counter() - started) / max(1, len(suspects))


def _language(checker: Checker, language: str, picked: list[Document], hosts: list[Document],
              unrelated: list[Document], rng: random.Random, native: Path | None,
              log: Callable[[str], None]) -> dict[str, Any]:
    started = time.perf_counter()
    copies = from_english_all([d.text for d in picked], language)
    pieces = [partial(source, host, rng) for source, host in zip(picked, hosts)]
    flat = from_english_all([piece for parts, _ in pieces for piece in parts], language)
    negatives = from_english_all([d.text for d in unrelated], language)
    log(f"{language}: made {len(copies)} copies, {len(pieces)} partial copies, {len(negatives)} negatives "
        f"in {time.perf_counter() - started:.1f}s")
    figures: dict[str, Any] = {}
    # Translation alone, timed apart: what a foreign suspect costs beyond an English one.
    started = time.perf_counter()
    into_english(copies, language)
    figures["translate_seconds"] = (time.perf_counter() - started) / max(1, len(copies))
    started = time.perf_counter()
    checked = list(checker.check_all([Document(f"{language}/{d.id}", text) for d, text in zip(picked, copies)]))
    figures["check_seconds"] = (time.perf_counter() - started) / max(1, len(copies))
    figures["copies"] = _recall(checked, picked)
    # Partial copies: the source's paragraphs' place in the foreign text is known piece by piece.
    suspects, truths = [], []
    for k, (parts, inserted) in enumerate(pieces):
        translated = flat[3 * k:3 * k + 3]
        start = sum(len(p) for p in translated[:inserted])
        truths.append((start, start + len(translated[inserted])))
        suspects.append(Document(f"{language}/partial/{picked[k].id}", "".join(translated)))
    figures["partial"] = _passages(list(checker.check_all(suspects)), picked, truths)
    alarms = list(checker.check_all([Document(f"{language}/negative/{d.id}", t) for d, t in zip(unrelated, negatives)]))
    figures["negatives"] = _alarms(alarms)
    written = _native(native, language)
    figures["native"] = _alarms(list(checker.check_all(written))) if written else None
    back = into_english(copies, language)  # the round trips of unspin spin --via, in one run
    trips = list(checker.check_all([Document(f"{language}/round-trip/{d.id}", t.text) for d, t in zip(picked, back)]))
    figures["round_trips"] = _recall(trips, picked)
    log(f"{language}: copies recall@1 {figures['copies']['recall_at_1']:.3f}, not original "
        f"{figures['copies']['not_original']:.3f}; partial passages precision {figures['partial']['precision']:.3f} "
        f"recall {figures['partial']['recall']:.3f}; false alarms {figures['negatives']['alarms']}/{figures['negatives']['checked']}"
        + (f", native {figures['native']['alarms']}/{figures['native']['checked']}" if figures["native"] else "")
        + f"; round trips recall@1 {figures['round_trips']['recall_at_1']:.3f}")
    return figures


def _recall(results: list[Result], sources: list[Document]) -> dict[str, Any]:
    first = sum(1 for r, s in zip(results, sources) if r.matches and r.matches[0].source.id == s.id)
    flagged = sum(1 for r in results if r.verdict is not Verdict.ORIGINAL)
    return {"checked": len(results), "recall_at_1": first / max(1, len(results)),
            "not_original": flagged / max(1, len(results)),
            "verdicts": dict(Counter(r.verdict.value for r in results)),
            "missed": [s.id for r, s in zip(results, sources) if not (r.matches and r.matches[0].source.id == s.id)][:20]}


def _passages(results: list[Result], sources: list[Document], truths: list[tuple[int, int]]) -> dict[str, Any]:
    """Characters of the reported passages with the true source, against the inserted paragraphs."""
    reported = inside = truth_total = 0
    found = 0
    for result, source, truth in zip(results, sources, truths):
        truth_total += truth[1] - truth[0]
        match = next((m for m in result.matches if m.source.id == source.id), None)
        if match is None:
            continue
        found += 1
        chars, hits = overlap([p.suspect for p in match.judgement.evidence], truth)
        reported, inside = reported + chars, inside + hits
    return {"checked": len(results), "source_found": found / max(1, len(results)),
            "precision": inside / reported if reported else 0.0, "recall": inside / max(1, truth_total),
            "verdicts": dict(Counter(r.verdict.value for r in results))}


def _alarms(results: list[Result]) -> dict[str, Any]:
    flagged = [r for r in results if r.verdict is not Verdict.ORIGINAL]
    return {"checked": len(results), "alarms": len(flagged),
            "languages": dict(Counter(r.language or "und" for r in results)),
            "flagged": [(r.suspect.id, r.verdict.value, r.matches[0].source.id) for r in flagged][:20]}


def _native(folder: Path | None, language: str) -> list[Document]:
    """Texts written in the language (not translations of any source), if the folder has them."""
    if folder is None or not (folder / language).is_dir():
        return []
    return [d for d in read_documents([str(folder / language)]) if isinstance(d, Document)]


def write_report(results: dict[str, Any], out: str | Path) -> Path:
    """OUT/languages.md (the table) and OUT/languages.json (every figure)."""
    return write_results(out, "languages", results, markdown(results))


def markdown(results: dict[str, Any]) -> str:
    lines = [
        "# Copies in other languages",
        "",
        f"Command: `{results['command']}` (seed {results['seed']}); {results['corpus']['sources']} English "
        f"BBC sources indexed. Translations into the language and back by Apertium (Debian's packages), "
        f"the suspect's language told by unspin.language. Machine: {results['machine'].get('cpu', '?')}.",
        "",
        "| language | copies: recall@1 | not original | partial: source found | passage precision | passage recall "
        "| false alarms (translated held-out) | false alarms (written in it) | round trips: recall@1 "
        "| translate s/doc | check s/doc |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for language, f in results["languages"].items():
        native = f"{f['native']['alarms']}/{f['native']['checked']}" if f["native"] else "n/a"
        lines.append(
            f"| {language} | {f['copies']['recall_at_1']:.3f} | {f['copies']['not_original']:.3f} "
            f"| {f['partial']['source_found']:.3f} | {f['partial']['precision']:.3f} | {f['partial']['recall']:.3f} "
            f"| {f['negatives']['alarms']}/{f['negatives']['checked']} "
            f"| {native} "
            f"| {f['round_trips']['recall_at_1']:.3f} | {f['translate_seconds']:.3f} | {f['check_seconds']:.3f} |")
    lines += ["", f"An English copy's check in the same run: {results['english_check_seconds']:.4f} s a document.", ""]
    for language, f in results["languages"].items():
        lines.append(f"- {language}: verdicts of the copies {f['copies']['verdicts']}; of the round trips "
                     f"{f['round_trips']['verdicts']}; of the partial copies {f['partial']['verdicts']}")
    return "\n".join(lines) + "\n"
